/**
 * The webhook probe against receivers built on the providers' own libraries: each deliberately
 * weakened one is caught with the missing control named; the correct ones pass with no finding.
 */
import { afterAll, describe, expect, it } from "vitest";
import { PROFILE_SCHEMES, type ProfileScheme } from "@tollgate/webhooks";
import type { ProbeResult } from "../../checks/probe/types.js";
import type { WebhookMemory } from "../../checks/probe/webhook-replays.js";
import {
  PROVIDER_HEADERS,
  probeReceiver,
  secretFor,
  startLibReceiver,
  weaknessesFor,
  type LibReceiver,
  type Weakness,
} from "../helpers/webhook-receivers.js";

/** The control the probe must name for each weakness. */
const NAMED: Record<Weakness, string> = {
  "no-signature": "signature verification (unsigned request accepted)",
  reserialised: "verification on the raw body",
  "no-window": "timestamp window",
  "abs-doubled": "timestamp window",
  "no-future": "future-timestamp check",
  "no-idempotency": "replay protection (same delivery processed twice)",
  "short-ttl": "idempotency TTL",
  "unsigned-id-key": "replay protection on the signed content",
  "missing-id-accepted": "delivery id required",
  "first-signature-only": "secret rotation",
};

/**
 * Two probe runs sharing their kept deliveries (what --state does), with two hours passing on the
 * receiver's clock in between: the second run's late replay is inside the declared 24 h.
 */
async function twoRuns(r: LibReceiver, scheme: ProfileScheme, secret: string): Promise<ProbeResult> {
  const memory: WebhookMemory = {};
  const first = await probeReceiver(r.url, scheme, secret, {}, {}, {}, memory);
  if (first.status !== "healthy") return first;
  r.advance(2 * 3_600_000);
  return probeReceiver(r.url, scheme, secret, {}, {}, {}, memory);
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

describe.each(PROFILE_SCHEMES)("%s receivers on the provider's library", (scheme) => {
  const required = Object.keys(PROVIDER_HEADERS[scheme] ?? {});

  it("a correct receiver: no finding, and only the deliveries meant to be processed were", async () => {
    const secret = secretFor(scheme);
    const r = await startLibReceiver({ scheme, secret, requireHeaders: required });
    closers.push(r.close);
    const result = await twoRuns(r, scheme, secret);
    expect(result.detail).not.toContain("missing controls");
    expect(result).toMatchObject({ status: "healthy", stage: "ok" });
    // Per run: the first delivery, the non-canonical body, the redelivery under a new id (+ the rotation request).
    expect(r.processed()).toBe(2 * (weaknessesFor(scheme).includes("first-signature-only") ? 4 : 3));
    if (weaknessesFor(scheme).includes("short-ttl")) expect(result.detail).toMatch(/, a \d+s old delivery;/);
  });

  it("a correct receiver that acknowledges duplicates (probe.duplicates: acknowledge) passes", async () => {
    const secret = secretFor(scheme);
    const r = await startLibReceiver({ scheme, secret, requireHeaders: required, duplicates: "acknowledge" });
    closers.push(r.close);
    expect(await probeReceiver(r.url, scheme, secret, { duplicates: "acknowledge" })).toMatchObject({
      status: "healthy",
      stage: "ok",
    });
  });

  it.each(weaknessesFor(scheme))("weakened (%s): caught, with the control named", async (weakness) => {
    const secret = secretFor(scheme);
    const r = await startLibReceiver({ scheme, secret, weakness, requireHeaders: required });
    closers.push(r.close);
    const result = await twoRuns(r, scheme, secret);
    expect(result).toMatchObject({ status: "unhealthy", stage: "webhook-security" });
    expect(result.detail).toContain(NAMED[weakness]);
    expect(result.detail).not.toContain(secret);
  });
});

it("without probe.headers, a receiver that requires the provider's event header refuses the valid delivery, and the probe says so", async () => {
  const secret = secretFor("github");
  const r = await startLibReceiver({ scheme: "github", secret, requireHeaders: ["X-GitHub-Event"] });
  closers.push(r.close);
  const result = await probeReceiver(r.url, "github", secret, { headers: {} });
  expect(result.detail).toContain("a validly signed fresh GitHub delivery was refused (HTTP 400)");
  expect(result.detail).toContain("probe.headers");
});

it.each(["whsec_====", "whsec_", ""])(
  "a probe secret %j that decodes to no key is a config failure naming the variable, never a probe signed with an empty key",
  async (secret) => {
    const r = await startLibReceiver({ scheme: "standard-webhooks", secret: secretFor("standard-webhooks") });
    closers.push(r.close);
    const result = await probeReceiver(r.url, "standard-webhooks", secret);
    expect(result).toMatchObject({ status: "unhealthy", stage: "config", attempts: 1 });
    expect(result.detail).toContain("TG_HOOK_SECRET");
    expect(r.processed()).toBe(0);
  },
);
