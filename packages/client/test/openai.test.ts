/**
 * Proof: the official openai SDK with the declared client's fetch, against the OpenAI stand-in
 * enforcing the reference organization's provider limits. All timing is virtual (no wall clock).
 */
import { createApiFetch, type ApiPolicy, type ClientPolicyFile } from "@tollgate/client";
import OpenAI from "openai";
import { Registry } from "prom-client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { peakPerWindow, type Simulator, startSimulator } from "../../../checks/simulate/server.js";
import { policiesOf } from "./helpers/policies.js";
import { VirtualClock, inVirtualTime } from "./helpers/virtual-clock.js";

let policies: ClientPolicyFile;
let openai: ApiPolicy;
const sims: Simulator[] = [];
beforeAll(async () => {
  policies = await policiesOf();
  openai = policies.apis.openai as ApiPolicy;
});
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});

async function simulator(clock: VirtualClock): Promise<Simulator> {
  const s = await startSimulator({ api: "openai", provider: openai.provider, now: () => clock.now() });
  sims.push(s);
  return s;
}

const ask = (client: OpenAI, maxTokens: number) => () =>
  client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "hello" }],
    max_tokens: maxTokens,
  });

/** Requests per declared window, from the simulator's own count, over the full windows of the run. */
function throughput(times: number[], perMs: number): number {
  const first = Math.min(...times);
  const windows = Math.max(1, Math.floor((Math.max(...times) - first) / perMs));
  return times.filter((t) => t < first + windows * perMs).length / windows;
}

describe("openai SDK through createApiFetch", () => {
  it("the reference org declares what this proof relies on", () => {
    expect(openai.budget.requests).toEqual({ limit: 300, perMs: 60_000 });
    expect(openai.provider.requests).toEqual({ limit: 400, perMs: 60_000 });
    expect(openai.budget.tokens).toEqual({ limit: 30_000, perMs: 60_000 });
  });

  it("a burst 2.5x the budget: 0 provider 429s reach the app, throughput >= 90% of the budget; the bare SDK gets 429s", async () => {
    const clock = new VirtualClock();
    const sim = await simulator(clock);
    const registry = new Registry();
    const fetch = createApiFetch({ policy: policies, api: "openai", registry, clock, timeoutMs: 3_600_000 });
    const client = new OpenAI({ apiKey: "sk-simulated", baseURL: `${sim.url}/v1`, fetch, maxRetries: 0 });
    const burst = 750;
    const results = await inVirtualTime(
      clock,
      Array.from({ length: burst }, () => ask(client, 50)),
    );
    const failures = results.filter((r) => r.status === "rejected");
    expect(failures).toEqual([]);
    expect(sim.stats.rateLimited).toBe(0);
    expect(sim.stats.admitted.length).toBe(burst);
    expect(peakPerWindow(sim.stats.arrivals, 60_000)).toBeLessThanOrEqual(300);
    expect(throughput(sim.stats.admitted, 60_000)).toBeGreaterThanOrEqual(0.9 * 300);

    const text = await registry.metrics();
    expect(text).toContain(`tollgate_client_requests_total{api="openai",status_class="2xx"} ${burst}`);
    expect(Number(/tollgate_client_throttle_waits_total\{api="openai"\} (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(
      burst - 300,
    );
    const completion = Number(/tollgate_client_tokens_total\{api="openai",kind="completion"\} (\d+)/.exec(text)?.[1]);
    expect(completion).toBe(burst * 20); // the simulator answers 20 completion tokens each
    expect(Number(/tollgate_client_spend_usd_total\{api="openai"\} ([\d.e-]+)/.exec(text)?.[1])).toBeGreaterThan(0);

    // The same burst with the bare SDK: the provider turns part of it away, and the app sees it.
    const bareClock = new VirtualClock();
    const bareSim = await simulator(bareClock);
    const bare = new OpenAI({ apiKey: "sk-simulated", baseURL: `${bareSim.url}/v1`, maxRetries: 0 });
    const bareResults = await Promise.allSettled(Array.from({ length: burst }, () => ask(bare, 50)()));
    const bare429 = bareResults.filter(
      (r) => r.status === "rejected" && (r.reason as { status?: number }).status === 429,
    );
    expect(bare429.length).toBe(burst - 400);
    expect(bareSim.stats.rateLimited).toBe(burst - 400);
  });

  it("tokens: reserved from max_tokens, corrected from usage, so the token budget does not cap throughput at the estimate", async () => {
    const clock = new VirtualClock();
    const sim = await simulator(clock);
    const fetch = createApiFetch({ policy: policies, api: "openai", clock, timeoutMs: 3_600_000 });
    const client = new OpenAI({ apiKey: "sk-simulated", baseURL: `${sim.url}/v1`, fetch, maxRetries: 0 });
    // ~209 tokens reserved each: by the estimate only 143 fit in 30000 a minute; usage says 29.
    const results = await inVirtualTime(
      clock,
      Array.from({ length: 600 }, () => ask(client, 200)),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(sim.stats.rateLimited).toBe(0);
    expect(throughput(sim.stats.admitted, 60_000)).toBeGreaterThan(30_000 / 209);
    expect(throughput(sim.stats.admitted, 60_000)).toBeGreaterThanOrEqual(0.9 * 143);
  });
});
