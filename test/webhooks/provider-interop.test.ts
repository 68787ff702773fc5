/**
 * Tollgate's signing profiles against the providers' own code, both ways: deliveries signed by
 * Tollgate verify with the provider's library, and deliveries signed by the provider's signer are
 * accepted by Tollgate's verifier; tampered and stale variants are refused by both.
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createVerifier,
  memoryStore,
  PROFILE_SCHEMES,
  PROFILES,
  signedHeaders,
  type ProfileScheme,
} from "@tollgate/webhooks";
import { PROVIDER_LIBS } from "../helpers/provider-libs.js";

// 10 000 per profile and direction (120 000 signed deliveries, each checked fresh, tampered and
// stale): about two minutes of one core. TOLLGATE_INTEROP_RUNS lowers it for a quick local loop.
const RUNS = Number(process.env.TOLLGATE_INTEROP_RUNS ?? 10_000);
const LIMIT_MS = 900_000;
const STALE = 400; // seconds: past every profile's 300 s window

/** A secret in the provider's own format. */
const secretArb = (scheme: ProfileScheme) =>
  fc.uint8Array({ minLength: 16, maxLength: 40 }).map((b) => {
    const raw = Buffer.from(b);
    if (scheme === "standard-webhooks" || scheme === "svix") return `whsec_${raw.toString("base64")}`;
    if (scheme === "stripe") return `whsec_${raw.toString("hex")}`;
    return raw.toString("hex");
  });
const idArb = fc.uuid().map((u) => `msg_${u.replaceAll("-", "")}`);
const timestamped = (s: ProfileScheme) => PROFILES[s].timestamp !== undefined;
const asHeaders = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

describe.each(PROFILE_SCHEMES)("profile %s against the provider's library", (scheme) => {
  const profile = PROFILES[scheme];
  const lib = PROVIDER_LIBS[scheme];

  it(
    `${RUNS} payloads signed by Tollgate verify with the provider's code; tampered and stale ones do not`,
    async () => {
      let checked = 0;
      await fc.assert(
        fc.asyncProperty(fc.json(), secretArb(scheme), idArb, async (body, secret, id) => {
          const now = Math.floor(Date.now() / 1000);
          const sign = (ts: number) => signedHeaders(profile, [secret], { body, timestamp: ts, id });
          expect((await lib.verify(secret, body, sign(now), { window: true })).ok).toBe(true);
          expect((await lib.verify(secret, `${body} `, sign(now), { window: true })).ok).toBe(false);
          if (timestamped(scheme))
            expect((await lib.verify(secret, body, sign(now - STALE), { window: true })).ok).toBe(false);
          checked++;
        }),
        { numRuns: RUNS },
      );
      expect(checked).toBe(RUNS);
    },
    LIMIT_MS,
  );

  it(
    `${RUNS} payloads signed by the provider's signer are accepted by Tollgate's verifier; tampered and stale ones are refused`,
    async () => {
      let checked = 0;
      await fc.assert(
        fc.asyncProperty(fc.json(), secretArb(scheme), idArb, async (body, secret, id) => {
          const now = Math.floor(Date.now() / 1000);
          // The body-id profiles (Stripe, Slack) need the id inside the signed JSON.
          const payload =
            profile.id && "bodyField" in profile.id
              ? JSON.stringify({ [profile.id.bodyField]: id, data: JSON.parse(body) })
              : body;
          const verifier = () =>
            createVerifier({
              name: "interop",
              declaration: { signature: { scheme } },
              secret,
              store: memoryStore(),
              audit: false,
              now: () => now * 1000,
            });
          const fresh = asHeaders(await lib.sign(secret, payload, now, id));
          expect(await verifier().verify({ rawBody: payload, headers: fresh })).toMatchObject({
            ok: true,
            duplicate: false,
          });
          expect(await verifier().verify({ rawBody: `${payload} `, headers: fresh })).toMatchObject({
            ok: false,
            reason: "bad-signature",
          });
          if (timestamped(scheme)) {
            const stale = asHeaders(await lib.sign(secret, payload, now - STALE, id));
            expect(await verifier().verify({ rawBody: payload, headers: stale })).toMatchObject({
              ok: false,
              reason: "stale",
            });
          }
          checked++;
        }),
        { numRuns: RUNS },
      );
      expect(checked).toBe(RUNS);
    },
    LIMIT_MS,
  );
});

it("a wrong secret in the provider's format is refused by both sides", async () => {
  for (const scheme of PROFILE_SCHEMES) {
    const profile = PROFILES[scheme];
    const secret =
      scheme === "standard-webhooks" || scheme === "svix"
        ? `whsec_${randomBytes(24).toString("base64")}`
        : randomBytes(16).toString("hex");
    const other =
      scheme === "standard-webhooks" || scheme === "svix"
        ? `whsec_${randomBytes(24).toString("base64")}`
        : randomBytes(16).toString("hex");
    const body = JSON.stringify({ id: "evt_1", event_id: "Ev1", x: 1 });
    const now = Math.floor(Date.now() / 1000);
    expect(
      (
        await PROVIDER_LIBS[scheme].verify(
          secret,
          body,
          signedHeaders(profile, [other], { body, timestamp: now, id: "msg_1" }),
          { window: true },
        )
      ).ok,
    ).toBe(false);
    const v = createVerifier({
      name: "interop",
      declaration: { signature: { scheme } },
      secret,
      store: memoryStore(),
      audit: false,
    });
    expect(
      await v.verify({
        rawBody: body,
        headers: asHeaders(await PROVIDER_LIBS[scheme].sign(other, body, now, "msg_1")),
      }),
    ).toMatchObject({ ok: false, reason: "bad-signature" });
  }
});
