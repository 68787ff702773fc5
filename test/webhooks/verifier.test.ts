/**
 * @tollgate/webhooks' verifier, one reason at a time, with an injected clock (no waiting) and the
 * in-memory store; the Redis store is exercised by verifier-redis.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  createVerifier,
  memoryStore,
  PROFILES,
  REASON_STATUS,
  signedHeaders,
  type VerifierOptions,
  type WebhookDeclaration,
} from "@tollgate/webhooks";

const NOW = 1_800_000_000;
const SECRET = `whsec_${Buffer.from("tollgate-verifier-test-key-0123").toString("base64")}`;
const lower = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

function setup(
  declaration: WebhookDeclaration = { signature: { scheme: "standard-webhooks" } },
  o: Partial<VerifierOptions> = {},
) {
  let clock = NOW * 1000;
  const lines: string[] = [];
  const v = createVerifier({
    name: "orders",
    declaration,
    secret: SECRET,
    store: memoryStore(() => clock),
    audit: (l) => lines.push(l),
    now: () => clock,
    ...o,
  });
  const sign = (body: string, x: { ts?: number; id?: string; secrets?: string[] } = {}) =>
    lower(signedHeaders(v.profile, x.secrets ?? [SECRET], { body, timestamp: x.ts ?? NOW, id: x.id ?? "msg_1" }));
  return { v, lines, sign, advance: (ms: number) => (clock += ms) };
}

describe("verdicts (standard-webhooks profile)", () => {
  const body = '{"type":"order.created","total":12}';

  it("a fresh, validly signed delivery is accepted once; the same id again is a replay (409)", async () => {
    const { v, sign } = setup();
    expect(await v.verify({ rawBody: body, headers: sign(body) })).toMatchObject({
      ok: true,
      duplicate: false,
      id: "msg_1",
    });
    expect(await v.verify({ rawBody: body, headers: sign(body) })).toEqual({
      ok: false,
      reason: "replay",
      status: 409,
    });
  });

  it.each([
    [
      "unsigned",
      (h: Record<string, string>) => {
        delete h["webhook-signature"];
      },
    ],
    [
      "bad-signature",
      (h: Record<string, string>) => {
        h["webhook-signature"] = "v1,AAAA";
      },
    ],
    [
      "malformed",
      (h: Record<string, string>) => {
        h["webhook-timestamp"] = "soon";
      },
    ],
  ] as const)("%s", async (reason, edit) => {
    const { v, sign } = setup();
    const h = sign(body);
    edit(h);
    expect(await v.verify({ rawBody: body, headers: h })).toEqual({ ok: false, reason, status: REASON_STATUS[reason] });
  });

  it("the window holds in both directions, at its edges too", async () => {
    const { v, sign } = setup();
    expect(await v.verify({ rawBody: body, headers: sign(body, { ts: NOW - 301, id: "a" }) })).toMatchObject({
      reason: "stale",
    });
    expect(await v.verify({ rawBody: body, headers: sign(body, { ts: NOW + 301, id: "b" }) })).toMatchObject({
      reason: "future",
    });
    expect(await v.verify({ rawBody: body, headers: sign(body, { ts: NOW - 300, id: "c" }) })).toMatchObject({
      ok: true,
    });
    expect(await v.verify({ rawBody: body, headers: sign(body, { ts: NOW + 300, id: "d" }) })).toMatchObject({
      ok: true,
    });
  });

  it("timestampTolerance overrides the profile's window", async () => {
    const { v, sign } = setup({ signature: { scheme: "standard-webhooks" }, timestampTolerance: "1m" });
    expect(await v.verify({ rawBody: body, headers: sign(body, { ts: NOW - 61 }) })).toMatchObject({ reason: "stale" });
  });

  it("two signatures during a rotation: any current one is enough; two configured secrets are both accepted", async () => {
    const old = `whsec_${Buffer.from("the-previous-key-of-this-hook!!").toString("base64")}`;
    const { v, sign } = setup();
    expect(await v.verify({ rawBody: body, headers: sign(body, { secrets: [old, SECRET] }) })).toMatchObject({
      ok: true,
    });
    const both = setup(undefined, { secret: [SECRET, old] });
    expect(await both.v.verify({ rawBody: body, headers: both.sign(body, { secrets: [old], id: "x" }) })).toMatchObject(
      { ok: true },
    );
  });

  it("idempotency keys last the declared TTL, not longer", async () => {
    const { v, sign, advance } = setup({ signature: { scheme: "github" }, idempotency: { ttl: "24h" } });
    const h = { ...sign(body), "x-github-delivery": "d-1" };
    expect(await v.verify({ rawBody: body, headers: h })).toMatchObject({ ok: true });
    advance(23 * 3_600_000);
    expect(await v.verify({ rawBody: body, headers: { ...h, "x-github-delivery": "d-2" } })).toMatchObject({
      reason: "replay",
    });
    advance(2 * 3_600_000);
    expect(await v.verify({ rawBody: body, headers: h })).toMatchObject({ ok: true });
  });

  it("duplicates: acknowledge answers 200 without a second first-delivery verdict", async () => {
    const { v, sign } = setup(undefined, { duplicates: "acknowledge" });
    await v.verify({ rawBody: body, headers: sign(body) });
    expect(await v.verify({ rawBody: body, headers: sign(body) })).toEqual({
      ok: true,
      duplicate: true,
      status: 200,
      key: "id:msg_1",
      id: "msg_1",
    });
  });

  it("a failed handler's release lets the provider's retry through", async () => {
    const { v, sign } = setup();
    const first = await v.verify({ rawBody: body, headers: sign(body) });
    if (!first.ok || first.duplicate) throw new Error("expected a first delivery");
    await first.release();
    expect(await v.verify({ rawBody: body, headers: sign(body) })).toMatchObject({ ok: true, duplicate: false });
  });
});

describe("ids where the profile puts them", () => {
  it("Stripe: the event id in the signed body; a body without one is missing-id", async () => {
    const { v } = setup({ signature: { scheme: "stripe" } }, { secret: "whsec_stripe_test" });
    const sign = (b: string) =>
      lower(signedHeaders(PROFILES.stripe, ["whsec_stripe_test"], { body: b, timestamp: NOW }));
    const b1 = '{"id":"evt_1","type":"x"}';
    expect(await v.verify({ rawBody: b1, headers: sign(b1) })).toMatchObject({ ok: true, id: "evt_1" });
    const b2 = '{"type":"x"}';
    expect(await v.verify({ rawBody: b2, headers: sign(b2) })).toMatchObject({ reason: "missing-id" });
  });

  it("GitHub: the unsigned delivery id is required, and a replay under a fresh one is still a replay", async () => {
    const { v, sign } = setup({ signature: { scheme: "github" } }, { secret: "gh-secret" });
    const b = '{"zen":"x"}';
    const h = lower(signedHeaders(PROFILES.github, ["gh-secret"], { body: b }));
    expect(await v.verify({ rawBody: b, headers: h })).toMatchObject({ reason: "missing-id" });
    expect(await v.verify({ rawBody: b, headers: { ...h, "x-github-delivery": "1" } })).toMatchObject({
      ok: true,
      id: "1",
    });
    expect(await v.verify({ rawBody: b, headers: { ...h, "x-github-delivery": "2" } })).toMatchObject({
      reason: "replay",
    });
    void sign;
  });
});

describe("source controls and the audit line", () => {
  const body = '{"a":1}';
  it("IP allowlist (IPv4, IPv4-mapped IPv6, IPv6) and per-source rate limits", async () => {
    const { v, sign } = setup({
      signature: { scheme: "standard-webhooks" },
      ipAllowlist: { enabled: true, cidrs: ["10.0.0.0/8", "2001:db8::/32"] },
      rateLimits: { perSource: [{ limit: 2, per: "1m" }] },
    });
    expect(await v.verify({ rawBody: body, headers: sign(body, { id: "1" }), source: "192.0.2.1" })).toMatchObject({
      reason: "ip-not-allowed",
      status: 403,
    });
    expect(
      await v.verify({ rawBody: body, headers: sign(body, { id: "2" }), source: "::ffff:10.1.2.3" }),
    ).toMatchObject({ ok: true });
    expect(await v.verify({ rawBody: body, headers: sign(body, { id: "3" }), source: "2001:db8::5" })).toMatchObject({
      ok: true,
    });
    expect(await v.verify({ rawBody: body, headers: sign(body, { id: "4" }), source: "10.1.2.3" })).toMatchObject({
      ok: true,
    });
    expect(await v.verify({ rawBody: body, headers: sign(body, { id: "5" }), source: "10.1.2.3" })).toMatchObject({
      reason: "rate-limited",
      status: 429,
    });
  });

  it("one JSON line per delivery, with neither the secret nor the body", async () => {
    const { v, sign, lines } = setup();
    const secretBody = '{"card":"4242-tollgate-body-marker"}';
    await v.verify({ rawBody: secretBody, headers: sign(secretBody), source: "127.0.0.1" });
    await v.verify({ rawBody: secretBody, headers: sign(secretBody), source: "127.0.0.1" });
    await v.verify({ rawBody: secretBody, headers: {}, source: "127.0.0.1" });
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => JSON.parse(l).outcome)).toEqual(["accepted", "rejected", "rejected"]);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      webhook: "orders",
      scheme: "standard-webhooks",
      source: "127.0.0.1",
      id: "msg_1",
      status: 200,
    });
    for (const l of lines) {
      expect(l).not.toContain("tollgate-body-marker");
      expect(l).not.toContain(SECRET.slice(6, 20));
    }
  });

  it("refuses a declaration with nothing to verify, or no secret", () => {
    expect(() =>
      createVerifier({ name: "x", declaration: { signature: { scheme: "none" } }, secret: "s", store: memoryStore() }),
    ).toThrow(/nothing to verify/);
    expect(() =>
      createVerifier({ name: "x", declaration: { signature: { scheme: "github" } }, secret: "", store: memoryStore() }),
    ).toThrow(/secret is required/);
  });
});
