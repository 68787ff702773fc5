/**
 * Webhook-security probes against real receivers on 127.0.0.1: `probe.path` is where the signed
 * requests go, and the recorded latency is one request's (the validly signed one), not the
 * whole sequence of four or five requests the probe sends.
 */
import { afterAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { runProbes } from "../../checks/probe/runner.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import { startWebhookReceiver, strictReceiverWebhook, type HookOptions, type Running } from "../helpers/servers.js";

const secret = `whsec-${"Pw3z".repeat(8)}`;
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});
async function receiver(o: Partial<HookOptions> = {}) {
  const r = await startWebhookReceiver({ secret, strict: true, ...o });
  closers.push(r.close);
  return r;
}

async function probe(
  url: string,
  probeSettings: Record<string, unknown> | undefined,
  timeout = "10s",
): Promise<ProbeResult> {
  const model = buildModel({
    environments: { local: { deployed: true } },
    services: {
      hook: {
        kind: "webhook",
        owner: "t",
        tier: "high",
        secrets: ["HOOK_SECRET"],
        endpoints: { local: { url } },
        healthCheck: { timeout, retries: 1 },
      },
    },
    secrets: { HOOK_SECRET: { service: "hook", requiredInProduction: false } },
    webhooks: {
      hook: strictReceiverWebhook(probeSettings ? { probe: probeSettings } : {}),
    },
  } as any);
  const { results } = await runProbes(model, { env: "local", concurrency: 1, environment: { TG_HOOK_SECRET: secret } });
  return results[0]!;
}

describe("webhooks.<name>.probe.path", () => {
  it("the security probes are posted to probe.path on the endpoint's origin", async () => {
    const s = await receiver();
    const r = await probe(`${s.url}/webhooks/shopify`, { path: "/webhooks/probe?source=tollgate" });
    expect(r).toMatchObject({ status: "healthy", stage: "ok" });
    expect(s.paths.length).toBe(11); // 6 refusals, the first delivery, 2 more accepted, 2 replays
    expect(new Set(s.paths)).toEqual(new Set(["POST /webhooks/probe?source=tollgate"]));
  });

  it("without probe.path they go to the endpoint URL", async () => {
    const s = await receiver();
    await probe(`${s.url}/webhooks/shopify`, undefined);
    expect(new Set(s.paths)).toEqual(new Set(["POST /webhooks/shopify"]));
  });

  it("a probe.path that would leave the endpoint's origin is refused before any request", async () => {
    const s = await receiver();
    for (const path of ["//elsewhere.test/hook", "https://elsewhere.test/hook", "relative/hook"]) {
      const r = await probe(`${s.url}/webhooks/shopify`, { path });
      expect(r).toMatchObject({ status: "unhealthy", stage: "config", attempts: 1 });
      expect(r.detail).toContain(`must be an absolute path on ${s.url}`);
    }
    expect(s.paths).toEqual([]);
  });
});

describe("webhook probe latency is one request's, not the sequence's", () => {
  const SLOW = 600;

  it("slow refusals and a fast valid delivery: the recorded latency is the valid request's", async () => {
    // Four refusals (unsigned, wrong signature, stale, replay) are each delayed; the valid request answers at once.
    // The bound comes from the server's own delays, not from how fast this machine is: the sequence
    // cannot take less than 4 × REFUSAL_DELAY, while the valid request is not delayed at all.
    const REFUSAL_DELAY = 1_500;
    const s = await receiver({ delayFor: (status) => (status >= 400 ? REFUSAL_DELAY : 0) });
    const r = await probe(`${s.url}/hook`, undefined, "30s");
    expect(r).toMatchObject({ status: "healthy", stage: "ok" });
    expect(r.latencyMs).toBeLessThan(4 * REFUSAL_DELAY);
    expect(r.detail).toContain(`accepted a valid one in ${r.latencyMs} ms`);
  }, 60_000);

  it("a slow valid delivery shows in the latency even when the refusals are fast", async () => {
    const s = await receiver({ delayFor: (status) => (status < 300 ? SLOW : 0) });
    const r = await probe(`${s.url}/hook`, undefined, "30s");
    expect(r).toMatchObject({ status: "healthy", stage: "ok" });
    expect(r.latencyMs).toBeGreaterThanOrEqual(SLOW - 5);
  }, 60_000);
});
