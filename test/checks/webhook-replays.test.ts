/** The webhook probe's kept deliveries: which one is replayed, which are kept, what a state file may hold. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadState } from "../../checks/probe/state.js";
import { keepDelivery, replayCandidate, validMemory, type KeptDelivery } from "../../checks/probe/webhook-replays.js";
import { removeDir, tempDir } from "../helpers/project.js";

const H = 3_600_000;
const TTL = 24 * H;
const at = (hoursAgo: number, now = 100 * H): KeptDelivery => ({
  at: now - hoursAgo * H,
  headers: { "x-id": String(hoursAgo) },
  body: "{}",
});

describe("replayCandidate", () => {
  it.each([
    [[1, 5, 23], 23],
    [[1, 5, 25], 5], // 25 h old is past the TTL: the receiver may have forgotten it
    [[], undefined],
    [[23.99], undefined], // inside the last minute of the TTL: too close to call
  ] as [number[], number | undefined][])("kept %j hours ago → replays the one %s hours old", (ages, expected) => {
    expect(
      replayCandidate(
        ages.map((a) => at(a)),
        100 * H,
        TTL,
      )?.headers["x-id"],
    ).toBe(expected === undefined ? undefined : String(expected));
  });
});

describe("keepDelivery", () => {
  it("drops expired ones and adds this run's only when the newest kept is older than ttl/24", () => {
    const now = 100 * H;
    expect(keepDelivery([at(30), at(2)], at(0), now, TTL).map((k) => k.headers["x-id"])).toEqual(["2", "0"]);
    expect(keepDelivery([at(0.5)], at(0), now, TTL).map((k) => k.headers["x-id"])).toEqual(["0.5"]);
  });

  it("every-minute runs for two days keep at most 25 deliveries", () => {
    let kept: KeptDelivery[] = [];
    for (let m = 0; m < 48 * 60; m++)
      kept = keepDelivery(kept, { at: m * 60_000, headers: {}, body: "" }, m * 60_000, TTL);
    expect(kept.length).toBeLessThanOrEqual(25);
    expect(kept.length).toBeGreaterThanOrEqual(23);
  });
});

describe("state files", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map(removeDir));
  });

  it("keep well-formed kept deliveries and drop the rest", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const file = path.join(dir, "state.json");
    const good = { at: 5, headers: { a: "b" }, body: "{}" };
    await writeFile(
      file,
      JSON.stringify({
        tool: "tollgate-probe-state",
        version: 1,
        env: "local",
        window: 10,
        services: {},
        webhookDeliveries: { hook: [good, { at: "x" }, { at: 1, headers: { a: 1 }, body: "" }], other: "nope" },
      }),
    );
    const { state, warning } = await loadState(file, "local", 10);
    expect(warning).toBeUndefined();
    expect(state.webhookDeliveries).toEqual({ hook: [good] });
    expect(validMemory(null)).toEqual({});
  });
});
