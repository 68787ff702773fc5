/**
 * Proof: @shopify/admin-api-client through the declared client never surfaces THROTTLED and its
 * waits follow the restore rate; REST stays under the call limit; Google Analytics never has more
 * requests in flight than the client budget. Provider limits come from the reference manifests.
 */
import { createAdminApiClient, createAdminRestApiClient } from "@shopify/admin-api-client";
import { type ApiPolicy, type ClientPolicyFile, createApiFetch } from "@tollgate/client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "../../../checks/simulate/server.js";
import { policiesOf } from "./helpers/policies.js";
import { VirtualClock, inVirtualTime } from "./helpers/virtual-clock.js";

let policies: ClientPolicyFile;
const sims: Simulator[] = [];
beforeAll(async () => {
  policies = await policiesOf();
});
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});
const api = (name: string) => policies.apis[name] as ApiPolicy;
async function simulator(name: string, o: { now?: () => number; latencyMs?: number } = {}): Promise<Simulator> {
  const s = await startSimulator({ api: name, provider: api(name).provider, ...o });
  sims.push(s);
  return s;
}

const STORE = "hotdash.myshopify.example";
/** Stands in for DNS and TLS: the store's https origin is the simulator on 127.0.0.1. */
const toSimulator =
  (sim: Simulator): typeof fetch =>
  (url, init) =>
    fetch(String(url).replace(`https://${STORE}`, sim.url), init);
const PRODUCTS = "query Products { products(first: 100) { edges { node { id title } } } }"; // costs 101, uses 51

describe("Shopify through createApiFetch", () => {
  it("a run of costly GraphQL queries never surfaces THROTTLED; waits follow the restore rate", async () => {
    expect(api("shopify-admin").provider.costPoints).toEqual({ bucket: 1000, restorePerSecond: 50 });
    const clock = new VirtualClock();
    const sim = await simulator("shopify-admin", { now: () => clock.now() });
    const shopifyFetch = createApiFetch({
      policy: policies,
      api: "shopify-admin",
      fetch: toSimulator(sim),
      clock,
      timeoutMs: 3_600_000,
    });
    const shopify = createAdminApiClient({
      storeDomain: STORE,
      apiVersion: "2025-10",
      accessToken: "shpat_simulated",
      customFetchApi: shopifyFetch,
    });
    const n = 60;
    const results = await inVirtualTime(
      clock,
      Array.from({ length: n }, () => () => shopify.request(PRODUCTS)),
    );
    for (const r of results) {
      expect(r.status).toBe("fulfilled");
      const v = (r as PromiseFulfilledResult<Awaited<ReturnType<typeof shopify.request>>>).value;
      expect(v.errors).toBeUndefined();
      expect(v.data).toEqual({ shop: { name: "Simulated shop" } });
    }
    expect(sim.stats.throttled).toBe(0);
    expect(sim.stats.admitted.length).toBe(n);
    // After the bucket's 1000 points, each query waits for the 51 points it uses at 50 a second.
    const span = Math.max(...sim.stats.admitted) - Math.min(...sim.stats.admitted);
    const restoreMs = ((n * 51 - 1000) / 50) * 1000;
    expect(span).toBeGreaterThanOrEqual(restoreMs);
    expect(span).toBeLessThanOrEqual(restoreMs * 1.15);
  });

  it("without the client, the same run gets THROTTLED inside HTTP 200", async () => {
    const clock = new VirtualClock();
    const sim = await simulator("shopify-admin", { now: () => clock.now() });
    const shopify = createAdminApiClient({
      storeDomain: STORE,
      apiVersion: "2025-10",
      accessToken: "shpat_simulated",
      customFetchApi: toSimulator(sim),
    });
    const results = await Promise.all(Array.from({ length: 60 }, () => shopify.request(PRODUCTS)));
    const throttled = results.filter((r) => JSON.stringify(r.errors ?? {}).includes("THROTTLED"));
    expect(throttled.length).toBeGreaterThan(0);
    expect(sim.stats.throttled).toBe(throttled.length);
  });

  it("REST: a burst stays within the provider's call limit (no 429s), at the declared 1.6 calls a second", async () => {
    const clock = new VirtualClock();
    const sim = await simulator("shopify-admin", { now: () => clock.now() });
    const shopifyFetch = createApiFetch({ policy: policies, api: "shopify-admin", clock, timeoutMs: 3_600_000 });
    const rest = createAdminRestApiClient({
      storeDomain: sim.url.replace("http://", ""),
      scheme: "http",
      apiVersion: "2025-10",
      accessToken: "shpat_simulated",
      customFetchApi: shopifyFetch,
    });
    const n = 40;
    const results = await inVirtualTime(
      clock,
      Array.from({ length: n }, () => () => rest.get("shop")),
    );
    for (const r of results) expect((r as PromiseFulfilledResult<Response>).value.status).toBe(200);
    expect(sim.stats.rateLimited).toBe(0);
    const span = Math.max(...sim.stats.admitted) - Math.min(...sim.stats.admitted);
    // A full bucket of 1.6 lets one call go at once; the other n-1 come at 1.6 a second.
    expect(span).toBeGreaterThanOrEqual(((n - 1.6) / 1.6) * 1000);
    expect(span).toBeLessThanOrEqual(((n - 1) / 1.6) * 1000 * 1.05);
    const bare = await simulator("shopify-admin", { now: () => clock.now() });
    const bareRest = createAdminRestApiClient({
      storeDomain: bare.url.replace("http://", ""),
      scheme: "http",
      apiVersion: "2025-10",
      accessToken: "shpat_simulated",
    });
    const statuses = await Promise.all(Array.from({ length: n }, () => bareRest.get("shop").then((r) => r.status)));
    expect(statuses.filter((s) => s === 429).length).toBe(n - 2);
  });
});

describe("Google Analytics through createApiFetch", () => {
  it("never more requests in flight than the client budget (4), so no concurrency 429s; bare calls exceed the provider's 5", async () => {
    const ga = api("google-analytics");
    expect(ga.budget.concurrency).toBe(4);
    expect(ga.provider.concurrency).toBe(5);
    const sim = await simulator("google-analytics", { latencyMs: 40 });
    const gaFetch = createApiFetch({ policy: policies, api: "google-analytics" });
    const report = () =>
      gaFetch(`${sim.url}/v1beta/properties/1:runReport`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ dimensions: [{ name: "date" }] }),
      });
    const statuses = await Promise.all(Array.from({ length: 24 }, () => report().then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(sim.stats.maxInFlight).toBe(4);
    expect(sim.stats.rateLimited).toBe(0);
    const bare = await simulator("google-analytics", { latencyMs: 40 });
    const bareStatuses = await Promise.all(
      Array.from({ length: 24 }, () =>
        fetch(`${bare.url}/v1beta/properties/1:runReport`, { method: "POST", body: "{}" }).then((r) => r.status),
      ),
    );
    expect(bareStatuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(bare.stats.maxInFlight).toBeGreaterThan(5);
  });
});
