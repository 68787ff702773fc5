/**
 * The receiver side of a webhook declaration: raw body and headers in, a verdict out. Checks, in
 * order: IP allowlist, per-source rate limit, signature (any of the current secrets, so a rotation
 * has no gap), timestamp window in both directions, delivery id, idempotency. Framework-free: the
 * adapters in adapters.ts only move bytes and statuses.
 */
import { createHash } from "node:crypto";
import { BlockList, isIPv6 } from "node:net";
import { durationMs } from "./duration.js";
import { profileFor, type Profile, type WebhookDeclaration } from "./profiles.js";
import { parseSignatureHeader, rawSignature, secretProblem, signatureMatches } from "./signing.js";
import type { Store } from "./store.js";

export type Reason =
  | "ip-not-allowed"
  | "rate-limited"
  | "unsigned"
  | "bad-signature"
  | "malformed"
  | "stale"
  | "future"
  | "missing-id"
  | "replay";

/** One status per reason; 409 for a refused duplicate, 400 for what a provider's own library answers 400 to. */
export const REASON_STATUS: Readonly<Record<Reason, number>> = {
  "ip-not-allowed": 403,
  "rate-limited": 429,
  unsigned: 401,
  "bad-signature": 401,
  malformed: 400,
  stale: 400,
  future: 400,
  "missing-id": 400,
  replay: 409,
};

export type Verdict =
  | { ok: true; duplicate: false; status: 200; id?: string; key: string; body: Buffer; release: () => Promise<void> }
  /** A duplicate acknowledged with 2xx (`duplicates: "acknowledge"`): do not process it again. */
  | { ok: true; duplicate: true; status: 200; id?: string; key: string }
  | { ok: false; reason: Reason; status: number };

export interface Delivery {
  /** The bytes as received: never a parsed and re-serialised body (refused with a TypeError). */
  rawBody: Buffer | Uint8Array | string;
  headers: Record<string, string | string[] | undefined>;
  /** The peer address (for the allowlist, rate limits and the audit line). */
  source?: string;
}

export interface VerifierOptions {
  /** The manifest's `webhooks.<name>` entry (or the same fields). */
  declaration: WebhookDeclaration;
  /** The webhook's name: namespaces store keys and labels audit lines. */
  name: string;
  /** The signing secret; several during a rotation (each is accepted). */
  secret: string | readonly string[];
  store: Store;
  /** `acknowledge`: a duplicate gets 2xx (and `Idempotent-Replayed: true` from the adapters) and is not processed. */
  duplicates?: "reject" | "acknowledge";
  /** One JSON line per delivery (no secrets, no bodies); default: stdout. `false` to switch off. */
  audit?: ((line: string) => void) | false;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

export interface Verifier {
  verify(d: Delivery): Promise<Verdict>;
  readonly profile: Profile;
  readonly duplicates: "reject" | "acknowledge";
}

/** Idempotency TTL when the declaration has none: a day, the longest provider retry schedules run. */
const DEFAULT_TTL_MS = 86_400_000;

function header(headers: Delivery["headers"], name: string): string | undefined {
  const v = headers[name.toLowerCase()] ?? headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function allowlist(w: WebhookDeclaration): BlockList | undefined {
  if (!w.ipAllowlist?.enabled) return undefined;
  const list = new BlockList();
  for (const cidr of w.ipAllowlist.cidrs ?? []) {
    const [net, bits] = cidr.split("/") as [string, string | undefined];
    const type = isIPv6(net) ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(net, type);
    else list.addSubnet(net, Number(bits), type);
  }
  return list;
}

/** One spelling per peer: an IPv4-mapped IPv6 address is its IPv4 address (for the allowlist and rate limits alike). */
const normalise = (source: string | undefined) =>
  source ? (/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(source)?.[1] ?? source) : undefined;

/**
 * The rate-limit bucket of a peer: an IPv4 address, or an IPv6 address's /64 (what one host or
 * customer is given), so rotating through one's own prefix neither escapes the limit nor creates a
 * store key per address.
 */
export function rateSource(ip: string | undefined): string {
  if (!ip || !isIPv6(ip)) return ip ?? "unknown";
  const groups = (part: string) => (part ? part.split(":").flatMap((g) => (g.includes(".") ? ["0", "0"] : [g])) : []);
  const [head, tail] = ip.split("%")[0]!.split("::") as [string, string | undefined];
  const h = groups(head);
  const all =
    tail === undefined ? h : [...h, ...Array<string>(8 - h.length - groups(tail).length).fill("0"), ...groups(tail)];
  return `${all
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

function allowed(list: BlockList, ip: string | undefined): boolean {
  return !!ip && list.check(ip, isIPv6(ip) ? "ipv6" : "ipv4");
}

export function createVerifier(o: VerifierOptions): Verifier {
  const found = profileFor(o.declaration);
  if (!found) throw new TypeError(`webhook ${o.name}: signature.scheme "none" has nothing to verify`);
  const profile: Profile = found;
  // process.env.X is undefined when unset: said as such, not as "not iterable".
  const given: unknown[] = typeof o.secret === "string" ? [o.secret] : Array.isArray(o.secret) ? [...o.secret] : [];
  if (given.length === 0 || given.some((s) => typeof s !== "string" || !s))
    throw new TypeError(`webhook ${o.name}: a signing secret is required`);
  const secrets = given as string[];
  for (const [i, s] of secrets.entries()) {
    const problem = secretProblem(profile, s);
    if (problem) throw new TypeError(`webhook ${o.name}: signing secret ${i + 1} of ${secrets.length} ${problem}`);
  }
  const now = o.now ?? Date.now;
  const toleranceS = o.declaration.timestampTolerance
    ? durationMs(o.declaration.timestampTolerance) / 1000
    : (profile.toleranceSeconds ?? 300);
  // A key must outlive every replay the window admits: a delivery dated tolerance ahead is accepted
  // until tolerance (and the second it is rounded in) after its date, so never less than that span.
  const declaredTtlMs = o.declaration.idempotency ? durationMs(o.declaration.idempotency.ttl) : DEFAULT_TTL_MS;
  const ttlMs = profile.timestamp ? Math.max(declaredTtlMs, (2 * toleranceS + 1) * 1000) : declaredTtlMs;
  const windows = (o.declaration.rateLimits?.perSource ?? []).map((w) => ({ limit: w.limit, ms: durationMs(w.per) }));
  const ips = allowlist(o.declaration);
  const duplicates = o.duplicates ?? "reject";
  const write = o.audit === false ? undefined : (o.audit ?? ((line: string) => process.stdout.write(`${line}\n`)));

  const audit = (d: Delivery, status: number, outcome: string, extra: { reason?: Reason; id?: string }) => {
    write?.(
      JSON.stringify({
        time: new Date(now()).toISOString(),
        webhook: o.name,
        scheme: profile.scheme,
        source: d.source ?? null,
        id: extra.id ?? null,
        outcome,
        ...(extra.reason ? { reason: extra.reason } : {}),
        status,
      }),
    );
  };
  const refuse = (d: Delivery, reason: Reason, id?: string): Verdict => {
    const status = REASON_STATUS[reason];
    audit(d, status, "rejected", { reason, ...(id ? { id } : {}) });
    return { ok: false, reason, status };
  };

  async function verify(d: Delivery): Promise<Verdict> {
    // A parsed body would have to be re-serialised to be checked, which verifies other bytes than were signed.
    if (typeof d.rawBody !== "string" && !(d.rawBody instanceof Uint8Array)) {
      throw new TypeError(
        `webhook ${o.name}: rawBody must be the raw request body (a Buffer or string), not ${d.rawBody === null ? "null" : Array.isArray(d.rawBody) ? "an array" : typeof d.rawBody}: was it parsed (express.json()) before verification? Use express.raw() or the adapters`,
      );
    }
    const body =
      typeof d.rawBody === "string"
        ? Buffer.from(d.rawBody, "utf8")
        : Buffer.from(d.rawBody.buffer, d.rawBody.byteOffset, d.rawBody.byteLength);
    const source = normalise(d.source);
    if (ips && !allowed(ips, source)) return refuse(d, "ip-not-allowed");
    for (const [i, w] of windows.entries()) {
      if ((await o.store.increment(`${o.name}:rate:${i}:${rateSource(source)}`, w.ms)) > w.limit)
        return refuse(d, "rate-limited");
    }
    const sigHeader = header(d.headers, profile.signatureHeader);
    if (!sigHeader) return refuse(d, "unsigned");
    const parsed = parseSignatureHeader(profile, sigHeader);
    let timestamp: number | undefined;
    if (profile.timestamp) {
      const raw = "header" in profile.timestamp ? header(d.headers, profile.timestamp.header) : parsed.timestamp;
      if (!raw || !/^\d{1,12}$/.test(raw)) return refuse(d, raw ? "malformed" : "unsigned");
      timestamp = Number(raw);
    }
    const headerId = profile.id && "header" in profile.id ? header(d.headers, profile.id.header) : undefined;
    const signedId = profile.id && "header" in profile.id && profile.id.signed ? (headerId ?? "") : undefined;
    const m = {
      body,
      ...(timestamp !== undefined ? { timestamp } : {}),
      ...(signedId !== undefined ? { id: signedId } : {}),
    };
    const expected = secrets.map((s) => rawSignature(profile, s, m));
    if (!parsed.signatures.some((c) => expected.some((e) => signatureMatches(e, c)))) return refuse(d, "bad-signature");
    if (timestamp !== undefined) {
      const nowS = Math.floor(now() / 1000);
      if (nowS - timestamp > toleranceS) return refuse(d, "stale");
      if (timestamp - nowS > toleranceS) return refuse(d, "future");
    }
    // The idempotency key must be something the signature covers: a signed id, or the signed content itself.
    let id: string | undefined;
    let key: string;
    if (profile.id && "bodyField" in profile.id) {
      let field: unknown;
      try {
        field = (JSON.parse(body.toString("utf8")) as Record<string, unknown>)?.[profile.id.bodyField];
      } catch {
        return refuse(d, "malformed");
      }
      if (typeof field !== "string" || !field) return refuse(d, "missing-id");
      id = field;
      key = `id:${id}`;
    } else {
      if (profile.id && !headerId) return refuse(d, "missing-id");
      id = headerId;
      // Only a signed timestamp belongs in the key: an unsigned one is the attacker's to change on every replay.
      const signedTs = timestamp !== undefined && profile.signedContent.includes("{timestamp}") ? timestamp : "";
      key =
        signedId !== undefined
          ? `id:${signedId}`
          : `content:${createHash("sha256").update(body).update(`\0${signedTs}`).digest("hex")}`;
    }
    const storeKey = `${o.name}:seen:${key}`;
    if (!(await o.store.claim(storeKey, ttlMs))) {
      if (duplicates === "acknowledge") {
        audit(d, 200, "duplicate", id ? { id } : {});
        return { ok: true, duplicate: true, status: 200, key, ...(id ? { id } : {}) };
      }
      return refuse(d, "replay", id);
    }
    audit(d, 200, "accepted", id ? { id } : {});
    return {
      ok: true,
      duplicate: false,
      status: 200,
      key,
      body,
      release: () => o.store.release(storeKey),
      ...(id ? { id } : {}),
    };
  }
  return { verify, profile, duplicates };
}
