/** The simulator's provider windows, exactly, and its token count agreeing with the client's. */
import { describe, expect, it } from "vitest";
import { resetText } from "../../checks/simulate/flavors.js";
import { CostBucket, RequestWindow, TokenWindow, estimateTokens } from "../../checks/simulate/provider-limits.js";
import { peakPerWindow } from "../../checks/simulate/server.js";
import { estimateTokens as clientEstimate } from "../../packages/client/src/inspect.js";

const admitted = (w: RequestWindow, times: number[]) => times.map((t) => w.admit(t).ok);

describe("provider windows", () => {
  it.each([
    ["sliding-window", [0, 0, 0, 999, 1000, 1000, 1001], [true, true, false, false, true, true, false]],
    ["fixed-window", [0, 0, 0, 999, 1000, 1000, 1001], [true, true, false, false, true, true, false]],
    ["token-bucket", [0, 0, 0, 499, 500, 1000, 1000], [true, true, false, false, true, true, false]],
  ] as const)("%s, 2 per second", (model, times, expected) => {
    expect(admitted(new RequestWindow({ limit: 2, perMs: 1000 }, model, 0), [...times])).toEqual(expected);
  });

  it("sliding and fixed windows differ at the boundary", () => {
    expect(admitted(new RequestWindow({ limit: 2, perMs: 1000 }, "sliding-window", 0), [900, 900, 1100])).toEqual([
      true,
      true,
      false,
    ]);
    expect(admitted(new RequestWindow({ limit: 2, perMs: 1000 }, "fixed-window", 0), [900, 900, 1100])).toEqual([
      true,
      true,
      true,
    ]);
  });

  it("tokens: charged at admission, corrected from usage, freed as the window slides", () => {
    const t = new TokenWindow({ limit: 100, perMs: 1000 });
    expect(t.admit(0, 60, 1).ok).toBe(true);
    expect(t.admit(10, 60, 2)).toMatchObject({ ok: false, resetMs: 990 });
    t.correct(1, 20);
    expect(t.admit(10, 60, 2)).toMatchObject({ ok: true, remaining: 20 });
    expect(t.admit(1001, 60, 3).ok).toBe(false); // the 60 admitted at 10 still count
    expect(t.admit(1011, 60, 3).ok).toBe(true);
  });

  it("cost points: charge the requested cost if it fits, refund to the actual, restore per second", () => {
    const b = new CostBucket(100, 10, 0);
    expect(b.charge(0, 80, 40)).toBe(true);
    expect(b.level(0)).toBe(60);
    expect(b.charge(0, 80, 40)).toBe(false);
    expect(b.charge(2000, 80, 40)).toBe(true);
    expect(b.level(2000)).toBe(40);
  });

  it.each([
    [20, "20ms"],
    [1000, "1s"],
    [1500, "1.5s"],
    [90_000, "1m30s"],
  ])("OpenAI reset text for %d ms is %s", (ms, text) => expect(resetText(ms)).toBe(text));

  it("peakPerWindow counts half-open windows", () => {
    expect(peakPerWindow([0, 500, 999, 1000, 1999], 1000)).toBe(3);
    expect(peakPerWindow([], 1000)).toBe(0);
  });
});

describe("token estimate", () => {
  it.each([
    [{ model: "m", messages: [{ role: "user", content: "hello" }], max_tokens: 50 }],
    [{ model: "m", input: "a longer input text for the responses API", max_output_tokens: 7 }],
    [{ model: "m", prompt: "complete me", max_completion_tokens: 3 }],
    [{ model: "m", messages: [] }],
    [{ model: "m", input: ["embed", "these"] }],
  ])("client and simulator count the same: %j", (body) => {
    expect(clientEstimate(body)).toBe(estimateTokens(body));
    expect(clientEstimate(body)).toBeGreaterThanOrEqual(0);
  });
});
