/**
 * @tollgate/webhooks' verifier as an attacker sees it: header parsing edge cases, timestamp
 * spellings, secrets that decode to no key, bodies that are not raw, an unsigned timestamp in the
 * idempotency key, concurrent duplicates, and what audit lines and errors may say. Injected clock,
 * memory store (the Redis store: verifier-attacks-redis.test.ts).
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createVerifier,
  memoryStore,
  profileFor,
  PROFILES,
  signedHeaders,
  type VerifierOptions,
  type WebhookDeclaration,
} from "@tollgate/webhooks";
import { PROVIDER_LIBS } from "../helpers/provider-libs.js";

const NOW = 1_800_000_000;
const STRIPE_SECRET = "whsec_attack_test_0123456789abcdef";
const SW_SECRET = `whsec_${Buffer.from("tollgate-attack-test-key-456789").toString("base64")}`;
const lower = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

function verifier(declaration: WebhookDeclaration, secret: string | string[], o: Partial<VerifierOptions> = {}) {
  const lines: string[] = [];
  const v = createVerifier({
    name: "attacks",
    declaration,
    secret,
    store: memoryStore(() => NOW * 1000),
    audit: (l) => lines.push(l),
    now: () => NOW * 1000,
    ...o,
  });
  return { v, lines };
}

describe("Stripe-Signature parsing", () => {
  const body = '{"id":"evt_attack","type":"charge.succeeded"}';
  const sig = (ts: number, b = body) => createHmac("sha256", STRIPE_SECRET).update(`${ts}.${b}`).digest("hex");
  const verify = (header: string, b = body) =>
    verifier({ signature: { scheme: "stripe" } }, STRIPE_SECRET).v.verify({
      rawBody: b,
      headers: { "stripe-signature": header },
    });

  it.each([
    [
      "Stripe's own test header",
      () =>
        lower(PROVIDER_LIBS.stripe.sign(STRIPE_SECRET, body, NOW, "") as Record<string, string>)["stripe-signature"]!,
      true,
    ],
    ["a valid v1 after invalid ones", () => `t=${NOW},v1=${"0".repeat(64)},v1=deadbeef,v1=${sig(NOW)}`, true],
    ["a valid v1 after 10 000 junk entries", () => `t=${NOW},${"v1=00,".repeat(10_000)}v1=${sig(NOW)}`, true],
    ["empty entries and an unknown scheme around it", () => `,,t=${NOW},,v0=${sig(NOW)},v1=,v1=${sig(NOW)},`, true],
    ["only a v0 (unknown scheme) signature", () => `t=${NOW},v0=${sig(NOW)}`, false],
    [
      "a second t= swapped in after a valid old signature",
      () => `t=${NOW - 3600},v1=${sig(NOW - 3600)},t=${NOW}`,
      false,
    ],
    ["a second t= dating a valid signature back", () => `t=${NOW},v1=${sig(NOW)},t=${NOW - 3600}`, false],
    ["the signature upper-cased", () => `t=${NOW},v1=${sig(NOW).toUpperCase()}`, false],
    ["a signature with a unicode look-alike", () => `t=${NOW},v1=${sig(NOW).slice(0, -1)}\u0430`, false],
    ["a truncated signature", () => `t=${NOW},v1=${sig(NOW).slice(0, 32)}`, false],
    ["no t=", () => `v1=${sig(NOW)}`, false],
  ] as const)("%s", async (_name, header, ok) => {
    expect((await verify(header())).ok).toBe(ok);
  });

  it.each(["1e9", "-1", `${NOW}.0`, `${NOW}000`, "0x6b49d200", "", `${NOW}abc`, "１８００００００００"])(
    "timestamp %j: refused, never verified as some other number",
    async (t) => {
      const r = await verify(`t=${t},v1=${sig(Number.parseInt(t, 10) || 0)}`);
      expect(r).toMatchObject({ ok: false });
      expect(["malformed", "unsigned", "bad-signature"]).toContain(r.ok ? "" : r.reason);
    },
  );

  it("a timestamp in milliseconds is refused (malformed), not read as a date 50 000 years ahead", async () => {
    expect(await verify(`t=${NOW * 1000},v1=${sig(NOW * 1000)}`)).toMatchObject({ ok: false, reason: "malformed" });
  });
});

describe("Standard Webhooks signature list", () => {
  const body = '{"type":"x"}';
  const sign = (secrets: string[]) =>
    lower(signedHeaders(PROFILES["standard-webhooks"], secrets, { body, timestamp: NOW, id: "msg_a" }));
  const other = `whsec_${Buffer.from("another-key-of-the-same-length!").toString("base64")}`;

  it("several signatures where only the last is valid; extra spaces and v2 entries ignored", async () => {
    const good = sign([SW_SECRET])["webhook-signature"]!;
    const bad = sign([other])["webhook-signature"]!;
    const h = { ...sign([SW_SECRET]), "webhook-signature": `v2,${good.slice(3)}  ${bad} v1, ${good}` };
    expect(
      await verifier({ signature: { scheme: "standard-webhooks" } }, SW_SECRET).v.verify({ rawBody: body, headers: h }),
    ).toMatchObject({ ok: true });
  });

  it("a valid signature under another scheme version (v1a, v2) is not accepted", async () => {
    const good = sign([SW_SECRET])["webhook-signature"]!.slice(3);
    for (const s of [`v2,${good}`, `v1a,${good}`, `V1,${good}`, good]) {
      expect(
        await verifier({ signature: { scheme: "standard-webhooks" } }, SW_SECRET).v.verify({
          rawBody: body,
          headers: { ...sign([SW_SECRET]), "webhook-signature": s },
        }),
      ).toMatchObject({ ok: false, reason: "bad-signature" });
    }
  });
});

describe("secrets", () => {
  it.each(["whsec_", "whsec_!!!!", "whsec_ ", "whsec_====", "whsec_abc def", "whsec_abc-_x"])(
    "a Standard Webhooks secret %j that is no base64 key is refused at start, naming neither it nor a key",
    (secret) => {
      let message = "";
      try {
        createVerifier({
          name: "sw",
          declaration: { signature: { scheme: "standard-webhooks" } },
          secret,
          store: memoryStore(),
          audit: false,
        });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/webhook sw: .*secret/);
      if (secret.length > 7) expect(message).not.toContain(secret.slice(6));
    },
  );

  it("no forged delivery is accepted under a secret that decodes to an empty key", async () => {
    const body = '{"evil":true}';
    const forged = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(NOW),
      "webhook-signature": `v1,${createHmac("sha256", Buffer.alloc(0)).update(`msg_1.${NOW}.${body}`).digest("base64")}`,
    };
    const outcome = await (async () => {
      try {
        return (
          await verifier({ signature: { scheme: "standard-webhooks" } }, "whsec_====").v.verify({
            rawBody: body,
            headers: forged,
          })
        ).ok;
      } catch {
        return "refused at start";
      }
    })();
    expect(outcome).not.toBe(true);
  });

  it("unpadded base64 after whsec_ is a key, as standardwebhooks and svix read it", async () => {
    const secret = "whsec_dG9sbGdhdGUta2V5"; // "tollgate-key", no padding needed; and one that needs it:
    for (const s of [secret, "whsec_dG9sbGdhdGUta2V5LTE", "whsec_dG9sbGdhdGUta2V5LTE="]) {
      const body = '{"a":1}';
      const headers = lower(await PROVIDER_LIBS["standard-webhooks"].sign(s, body, NOW, "msg_p"));
      expect(
        await verifier({ signature: { scheme: "standard-webhooks" } }, s).v.verify({ rawBody: body, headers }),
      ).toMatchObject({ ok: true });
    }
  });
});

describe("the body must be the raw bytes", () => {
  const body = '{"zen":"raw"}';
  const headers = lower(signedHeaders(PROFILES.github, ["gh"], { body, id: "d1" }));

  it.each([
    ["a parsed JSON object", () => JSON.parse(body)],
    ["an array", () => [1]],
    ["null", () => null],
    ["a number", () => 42],
  ])("%s is refused with a message that says why (never verified on a re-serialisation)", async (_name, make) => {
    const { v } = verifier({ signature: { scheme: "github" } }, "gh");
    await expect(v.verify({ rawBody: make() as never, headers })).rejects.toThrow(
      /rawBody must be the raw request body.*parsed/,
    );
  });

  it("a Uint8Array of the raw bytes verifies", async () => {
    const { v } = verifier({ signature: { scheme: "github" } }, "gh");
    expect(await v.verify({ rawBody: new Uint8Array(Buffer.from(body)) as Buffer, headers })).toMatchObject({
      ok: true,
    });
  });
});

describe("the idempotency key covers only signed content", () => {
  it("generic hmac-sha256 over the body with an unsigned timestamp header: a replay under a fresh timestamp is a replay", async () => {
    const declaration: WebhookDeclaration = {
      signature: { scheme: "hmac-sha256", header: "X-Signature", prefix: "sha256=", timestampHeader: "X-Timestamp" },
    };
    const { v } = verifier(declaration, "generic");
    const body = '{"order":1}';
    const h = lower(signedHeaders(profileFor(declaration)!, ["generic"], { body, timestamp: NOW }));
    expect(await v.verify({ rawBody: body, headers: h })).toMatchObject({ ok: true });
    expect(await v.verify({ rawBody: body, headers: { ...h, "x-timestamp": String(NOW + 1) } })).toMatchObject({
      ok: false,
      reason: "replay",
    });
  });

  it("where the timestamp is signed, the same body at another signed timestamp is a new delivery", async () => {
    const declaration: WebhookDeclaration = {
      signature: {
        scheme: "hmac-sha256",
        header: "X-Signature",
        timestampHeader: "X-Timestamp",
        signedPayload: "timestamp.body",
      },
    };
    const { v } = verifier(declaration, "generic");
    const body = '{"order":1}';
    const at = (ts: number) => lower(signedHeaders(profileFor(declaration)!, ["generic"], { body, timestamp: ts }));
    expect(await v.verify({ rawBody: body, headers: at(NOW) })).toMatchObject({ ok: true });
    expect(await v.verify({ rawBody: body, headers: { ...at(NOW), "x-timestamp": String(NOW + 1) } })).toMatchObject({
      ok: false,
      reason: "bad-signature",
    });
    expect(await v.verify({ rawBody: body, headers: at(NOW + 1) })).toMatchObject({ ok: true });
  });
});

it("two identical deliveries at once on the memory store: exactly one is processed", async () => {
  const { v } = verifier({ signature: { scheme: "standard-webhooks" } }, SW_SECRET);
  const body = '{"type":"race"}';
  const headers = lower(
    signedHeaders(PROFILES["standard-webhooks"], [SW_SECRET], { body, timestamp: NOW, id: "msg_race" }),
  );
  const verdicts = await Promise.all(Array.from({ length: 50 }, () => v.verify({ rawBody: body, headers })));
  expect(verdicts.filter((x) => x.ok && !x.duplicate)).toHaveLength(1);
  expect(verdicts.filter((x) => !x.ok && x.reason === "replay")).toHaveLength(49);
});

it("audit lines and errors carry neither secrets nor bodies, whatever the outcome", async () => {
  const body = '{"card":"tollgate-body-marker-4242","id":"evt_marker"}';
  const { v, lines } = verifier(
    {
      signature: { scheme: "stripe" },
      ipAllowlist: { enabled: true, cidrs: ["127.0.0.0/8"] },
      rateLimits: { perSource: [{ limit: 6, per: "1m" }] },
    },
    [STRIPE_SECRET, "whsec_second_secret_marker"],
  );
  const good = lower(signedHeaders(PROFILES.stripe, [STRIPE_SECRET], { body, timestamp: NOW }));
  const attempts: [Record<string, string>, string, string][] = [
    [good, body, "127.0.0.1"],
    [good, body, "127.0.0.1"], // replay
    [good, `${body} `, "127.0.0.1"], // bad signature
    [{}, body, "127.0.0.1"], // unsigned
    [lower(signedHeaders(PROFILES.stripe, [STRIPE_SECRET], { body, timestamp: NOW - 3600 })), body, "127.0.0.1"], // stale
    [good, body, "192.0.2.9"], // not allowed
    [{ "stripe-signature": `t=soon,v1=${good["stripe-signature"]!.split("v1=")[1]}` }, body, "127.0.0.1"], // malformed
    [good, body, "127.0.0.1"], // rate limited
  ];
  for (const [headers, rawBody, source] of attempts) await v.verify({ rawBody, headers, source });
  expect(lines.map((l) => JSON.parse(l).reason ?? JSON.parse(l).outcome)).toEqual([
    "accepted",
    "replay",
    "bad-signature",
    "unsigned",
    "stale",
    "ip-not-allowed",
    "malformed",
    "rate-limited",
  ]);
  for (const l of lines) {
    for (const marker of [
      "tollgate-body-marker",
      "attack_test",
      "second_secret_marker",
      good["stripe-signature"]!.split("v1=")[1]!,
    ])
      expect(l).not.toContain(marker);
  }
  const errors: string[] = [];
  for (const bad of [{ timestampTolerance: "soon" }, { idempotency: { ttl: "a day" } }]) {
    try {
      createVerifier({
        name: "e",
        declaration: { signature: { scheme: "stripe" }, ...bad },
        secret: STRIPE_SECRET,
        store: memoryStore(),
        audit: false,
      });
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  expect(errors).toHaveLength(2);
  for (const e of errors) expect(e).not.toContain("attack_test");
});

describe("per-source rate limits against address rotation", () => {
  const declaration: WebhookDeclaration = {
    signature: { scheme: "standard-webhooks" },
    rateLimits: { perSource: [{ limit: 2, per: "1m" }] },
  };
  const limited = async (sources: string[]) => {
    const { v } = verifier(declaration, SW_SECRET);
    const reasons: string[] = [];
    for (const source of sources) {
      const r = await v.verify({ rawBody: "{}", headers: {}, source });
      reasons.push(r.ok ? "ok" : r.reason);
    }
    return reasons.filter((r) => r === "rate-limited").length;
  };

  it("one IPv6 /64 (what a single host or customer gets) is one source, however it is spelled", async () => {
    expect(
      await limited([
        "2001:db8:1:2::1",
        "2001:db8:1:2::2",
        "2001:db8:1:2:ffff:ffff:ffff:ffff",
        "2001:0db8:0001:0002:0:0:0:9",
        "2001:DB8:1:2::a",
      ]),
    ).toBe(3);
  });

  it("other /64s, IPv4 addresses and IPv4-mapped addresses keep their own buckets", async () => {
    expect(
      await limited([
        "2001:db8:1:2::1",
        "2001:db8:1:3::1",
        "2001:db8:1:4::1",
        "192.0.2.1",
        "192.0.2.2",
        "::ffff:192.0.2.3",
        "::1",
      ]),
    ).toBe(0);
    expect(await limited(["192.0.2.1", "::ffff:192.0.2.1", "192.0.2.1"])).toBe(1);
  });
});

it("the memory store's sweep is amortised: with 20 000 live keys a new one does not rescan them all", async () => {
  let reads = 0;
  const store = memoryStore(() => {
    reads++;
    return NOW * 1000;
  });
  for (let i = 0; i < 20_000; i++) await store.claim(`k${i}`, 86_400_000);
  const before = reads;
  for (let i = 0; i < 100; i++) await store.claim(`fresh${i}`, 86_400_000);
  // Each claim reads the clock a few times; a full scan per claim would read it 20 000 times each.
  expect(reads - before).toBeLessThan(100 * 10 + 25_000);
  expect(await store.claim("k0", 86_400_000)).toBe(false);
});

it("an idempotency TTL shorter than the timestamp window still refuses every replay the window lets in", async () => {
  let clock = NOW * 1000;
  const v = createVerifier({
    name: "short",
    declaration: { signature: { scheme: "standard-webhooks" }, timestampTolerance: "5m", idempotency: { ttl: "1m" } },
    secret: SW_SECRET,
    store: memoryStore(() => clock),
    audit: false,
    now: () => clock,
  });
  const body = '{"type":"x"}';
  // Signed 5 minutes ahead (inside the window), replayed until 5 minutes after: a 10-minute span.
  const headers = lower(
    signedHeaders(PROFILES["standard-webhooks"], [SW_SECRET], { body, timestamp: NOW + 300, id: "msg_short" }),
  );
  expect(await v.verify({ rawBody: body, headers })).toMatchObject({ ok: true });
  const verdicts: string[] = [];
  for (let s = 60; s <= 600; s += 60) {
    clock = (NOW + s) * 1000;
    const r = await v.verify({ rawBody: body, headers });
    verdicts.push(r.ok ? "accepted" : r.reason);
  }
  expect(verdicts).toEqual(Array(10).fill("replay"));
  clock = (NOW + 601) * 1000;
  expect(await v.verify({ rawBody: body, headers })).toMatchObject({ reason: "stale" });
});

it("an unset secret (process.env.X undefined, as in the README example) is refused with the webhook named", () => {
  for (const secret of [undefined, null, [undefined], [""]]) {
    expect(() =>
      createVerifier({
        name: "readme",
        declaration: { signature: { scheme: "stripe" } },
        secret: secret as never,
        store: memoryStore(),
        audit: false,
      }),
    ).toThrow(/^webhook readme: a signing secret is required$/);
  }
});
