/**
 * Receivers built on the providers' own verification code (provider-libs.ts), correct or with one
 * control deliberately broken, and receivers built on Tollgate's verifier. The probe must find
 * every weakness, naming the control, and nothing on the correct ones.
 */
import { createHash, randomBytes } from "node:crypto";
import { PROFILES, type ProfileScheme } from "@tollgate/webhooks";
import { runProbes } from "../../checks/probe/runner.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import type { WebhookMemory } from "../../checks/probe/webhook-replays.js";
import { buildModel } from "../../model/build.js";
import { PROVIDER_LIBS, type Headers } from "./provider-libs.js";
import { startHttp, type Running } from "./servers.js";

export type Weakness =
  | "no-signature"
  | "reserialised"
  | "no-window"
  | "abs-doubled"
  | "no-future"
  | "no-idempotency"
  | "short-ttl"
  | "unsigned-id-key"
  | "missing-id-accepted"
  | "first-signature-only";

const TOLERANCE = 300;
const DAY_MS = 86_400_000;

/** Which weaknesses a profile can have (a profile without timestamps has no window to break). */
export function weaknessesFor(scheme: ProfileScheme): Weakness[] {
  const p = PROFILES[scheme];
  const out: Weakness[] = ["no-signature", "reserialised", "no-idempotency", "missing-id-accepted"];
  // Where a signed timestamp bounds a replay, a TTL over the window is enough; elsewhere it is the only guard.
  if (p.timestamp) out.push("no-window", "abs-doubled", "no-future");
  else out.push("short-ttl");
  if (p.id && "header" in p.id && !p.id.signed) out.push("unsigned-id-key");
  if (p.format.kind === "list" && p.format.separator) out.push("first-signature-only");
  return out;
}

export interface LibReceiver extends Running {
  processed: () => number;
  /** Moves the receiver's clock (its idempotency store) forward, as hours passing would. */
  advance: (ms: number) => void;
}

export interface LibReceiverOptions {
  scheme: ProfileScheme;
  secret: string;
  weakness?: Weakness;
  duplicates?: "reject" | "acknowledge";
  /** Headers a provider's full SDK validator requires (X-GitHub-Event, X-Shopify-Topic). */
  requireHeaders?: string[];
}

export async function startLibReceiver(o: LibReceiverOptions): Promise<LibReceiver> {
  const p = PROFILES[o.scheme];
  const lib = PROVIDER_LIBS[o.scheme];
  const w = o.weakness;
  const seen = new Map<string, number>();
  let skew = 0;
  const now = () => Date.now() + skew;
  let processed = 0;
  const ttl = w === "short-ttl" ? 3_600_000 : DAY_MS;

  const handle = async (raw: string, headers: Headers): Promise<{ status: number; replayed?: boolean }> => {
    for (const h of o.requireHeaders ?? []) if (!headers[h.toLowerCase()]) return { status: 400 };
    const sigHeader = p.signatureHeader.toLowerCase();
    const h = { ...headers };
    if (w === "first-signature-only" && h[sigHeader]) h[sigHeader] = h[sigHeader]!.split(" ")[0]!;
    const idHeader = p.id && "header" in p.id ? p.id.header.toLowerCase() : undefined;
    if (w === "missing-id-accepted" && idHeader && p.id && "signed" in p.id && p.id.signed && h[idHeader] === undefined)
      h[idHeader] = "";
    let body = raw;
    if (w === "reserialised") {
      try {
        body = JSON.stringify(JSON.parse(raw));
      } catch {
        return { status: 400 };
      }
    }
    if (w !== "no-signature") {
      // The library's own window, except where a weakness replaces it (or, for a Standard Webhooks
      // id left empty, where the library refuses before it could be weakened).
      const libWindow = !(
        w === "no-window" ||
        w === "abs-doubled" ||
        w === "no-future" ||
        (w === "missing-id-accepted" && h[idHeader ?? ""] === "")
      );
      const v = await lib.verify(o.secret, body, h, { window: libWindow });
      if (!v.ok) return { status: 401 };
      if (p.timestamp && v.timestamp !== undefined) {
        const age = Math.floor(Date.now() / 1000) - v.timestamp;
        if (w === "abs-doubled") {
          if (Math.abs(age) > 2 * TOLERANCE) return { status: 400 };
        } else if (w === "no-future") {
          if (age > TOLERANCE) return { status: 400 };
        } else if (w !== "no-window") {
          // Stripe's and Slack's libraries accept future-dated timestamps: a correct receiver adds the check.
          if (Math.abs(age) > TOLERANCE) return { status: 400 };
        }
      }
    }
    let key: string | undefined;
    if (p.id && "bodyField" in p.id) {
      let id: unknown;
      try {
        id = (JSON.parse(raw) as Record<string, unknown>)[p.id.bodyField];
      } catch {
        return { status: 400 };
      }
      if (typeof id !== "string" && w !== "missing-id-accepted") return { status: 400 };
      key = `id:${String(id)}`;
    } else if (idHeader && p.id && "signed" in p.id) {
      const id = headers[idHeader];
      if (!id && w !== "missing-id-accepted") return { status: 400 };
      key = p.id.signed
        ? `id:${id ?? ""}`
        : w === "unsigned-id-key"
          ? `id:${id}`
          : `body:${createHash("sha256").update(raw).digest("hex")}`;
    }
    if (w !== "no-idempotency" && key !== undefined) {
      const until = seen.get(key);
      if (until !== undefined && until > now())
        return o.duplicates === "acknowledge" ? { status: 200, replayed: true } : { status: 409 };
      seen.set(key, now() + ttl);
    }
    processed++;
    return { status: 200 };
  };

  const running = await startHttp((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]),
      );
      handle(Buffer.concat(chunks).toString("utf8"), headers).then(
        (a) => {
          res.writeHead(a.status, a.replayed ? { "Idempotent-Replayed": "true" } : {});
          res.end();
        },
        () => {
          res.statusCode = 500;
          res.end();
        },
      );
    });
  });
  return { ...running, processed: () => processed, advance: (ms) => (skew += ms) };
}

/** What the providers' full SDK validators require besides the signature: sent from probe.headers. */
export const PROVIDER_HEADERS: Partial<Record<ProfileScheme, Record<string, string>>> = {
  github: { "X-GitHub-Event": "ping" },
  shopify: { "X-Shopify-Topic": "orders/create", "X-Shopify-Shop-Domain": "tollgate-probe.myshopify.com" },
};

export function secretFor(scheme: ProfileScheme): string {
  if (scheme === "standard-webhooks" || scheme === "svix") return `whsec_${randomBytes(24).toString("base64")}`;
  if (scheme === "stripe") return `whsec_${randomBytes(20).toString("hex")}`;
  return randomBytes(20).toString("hex");
}

export async function probeReceiver(
  url: string,
  scheme: ProfileScheme | "hmac-sha256",
  secret: string,
  probe: Record<string, unknown> = {},
  signature: Record<string, unknown> = {},
  webhook: Record<string, unknown> = {},
  webhookMemory?: WebhookMemory,
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
        healthCheck: { timeout: "30s", retries: 1 },
      },
      store: { kind: "infra", owner: "t", tier: "high", endpoints: {} },
    },
    secrets: { HOOK_SECRET: { service: "hook", requiredInProduction: false } },
    webhooks: {
      hook: {
        service: "hook",
        signature: { scheme, secret: "HOOK_SECRET", probeSecretEnv: "TG_HOOK_SECRET", ...signature },
        idempotency: { store: "store", ttl: "24h" },
        ...webhook,
        probe: { headers: PROVIDER_HEADERS[scheme as ProfileScheme] ?? {}, ...probe },
      },
    },
  } as any);
  const { results } = await runProbes(model, {
    env: "local",
    concurrency: 1,
    environment: { TG_HOOK_SECRET: secret },
    ...(webhookMemory ? { webhookMemory } : {}),
  });
  return results[0]!;
}
