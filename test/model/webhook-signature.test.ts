/**
 * `webhooks.<name>.signature` and `probe`: a provider profile needs only scheme, secret and
 * probeSecretEnv and refuses the fields it fixes; the generic scheme needs its header; probe
 * headers never carry credentials (and their values are never echoed).
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { NOW, REPO, removeDir, writeProject } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

async function load(webhook: string) {
  const dir = await writeProject({
    "manifests/hook.yaml": `services:
  hook: { kind: webhook, owner: t, tier: high, secrets: [HOOK_SECRET] }
  redis: { kind: infra, owner: t, tier: high }
secrets:
  HOOK_SECRET: { service: hook, requiredInProduction: false }
webhooks:
  hook:
    service: hook
${webhook}`,
  });
  dirs.push(dir);
  const { diagnostics, ok } = await loadProject(dir, { now: NOW, displayBase: dir });
  return {
    ok,
    problems: diagnostics.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`),
  };
}

describe("signature.scheme", () => {
  it.each(["stripe", "standard-webhooks", "svix", "slack", "github", "shopify"])(
    "%s: scheme, secret and probeSecretEnv are enough",
    async (scheme) => {
      expect(
        await load(
          `    signature: { scheme: ${scheme}, secret: HOOK_SECRET, probeSecretEnv: HOOK_PROBE_SECRET }\n    idempotency: { store: redis, ttl: 24h }\n`,
        ),
      ).toEqual({ ok: true, problems: [] });
    },
  );

  it("a field the profile fixes is refused, each one located", async () => {
    const r = await load(`    signature:
      scheme: stripe
      secret: HOOK_SECRET
      header: Stripe-Signature
      encoding: hex
      signedPayload: timestamp.body
    idempotency: { store: redis, keyHeader: X-Id, ttl: 24h }
`);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      "12:7 signature-fixed-by-profile `header`: `header` is fixed by the stripe profile",
      "13:7 signature-fixed-by-profile `encoding`: `encoding` is fixed by the stripe profile",
      "14:7 signature-fixed-by-profile `signedPayload`: `signedPayload` is fixed by the stripe profile",
      "15:34 signature-fixed-by-profile `keyHeader`: `keyHeader` is fixed by the stripe profile",
    ]);
  });

  it("hmac-sha256 keeps its fields and needs a header", async () => {
    expect(
      (await load(`    signature: { scheme: hmac-sha256, header: X-Sig, prefix: "sha256=", secret: HOOK_SECRET }\n`))
        .ok,
    ).toBe(true);
    const r = await load(`    signature: { scheme: hmac-sha256, secret: HOOK_SECRET }\n`);
    expect(r.problems).toEqual([expect.stringMatching(/ missing-field `header`/)]);
  });
});

describe("probe.headers", () => {
  it("fixed public values are accepted", async () => {
    expect(
      (
        await load(
          `    signature: { scheme: github, secret: HOOK_SECRET }\n    probe: { headers: { X-GitHub-Event: ping, X-GitHub-Hook-ID: "123" } }\n`,
        )
      ).ok,
    ).toBe(true);
  });

  it("a credential header or a secret-looking value is refused without echoing it", async () => {
    const value = "Zq8vT3kLmN4pR7sW2xY9aB6cQ";
    const r = await load(
      `    signature: { scheme: github, secret: HOOK_SECRET }\n    probe:\n      headers:\n        Authorization: Basic-not-shown\n        X-Custom: ${value}\n`,
    );
    expect(r.ok).toBe(false);
    expect(r.problems.filter((p) => p.includes(" secret-value "))).toHaveLength(2);
    expect(r.problems.join("\n")).not.toContain(value);
    expect(r.problems.join("\n")).not.toContain("Basic-not-shown");
  });
});

describe("the JSON Schema (editors, ajv) carries the same rules", () => {
  it("a profile's fixed fields, keyHeader under a profile, and hmac-sha256 without a header are refused", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schemas/manifest.schema.json"), "utf8")));
    const hook = (webhook: Record<string, unknown>) => ({ webhooks: { hook: { service: "hook", ...webhook } } });
    expect(
      validate(hook({ signature: { scheme: "stripe", secret: "S" }, idempotency: { store: "redis", ttl: "24h" } })),
    ).toBe(true);
    expect(validate(hook({ signature: { scheme: "hmac-sha256", secret: "S", header: "X-Sig" } }))).toBe(true);
    expect(validate(hook({ signature: { scheme: "stripe", secret: "S", prefix: "v1=" } }))).toBe(false);
    expect(
      validate(
        hook({
          signature: { scheme: "github", secret: "S" },
          idempotency: { store: "redis", keyHeader: "X-Id", ttl: "24h" },
        }),
      ),
    ).toBe(false);
    expect(validate(hook({ signature: { scheme: "hmac-sha256", secret: "S" } }))).toBe(false);
  });
});
