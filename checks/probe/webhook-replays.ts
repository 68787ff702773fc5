/**
 * Deliveries the webhook probe keeps between runs (in the --state file) to replay later: the only
 * way to observe an idempotency TTL shorter than declared. Only for profiles without a signed
 * timestamp (GitHub, Shopify, hmac-sha256 over the body alone): elsewhere the timestamp window
 * refuses an old delivery whatever the TTL. A kept delivery is a probe payload with its signature,
 * never the secret; a correct receiver refuses it by design.
 */

export interface KeptDelivery {
  /** When the probe first sent it, ms since the epoch. */
  at: number;
  headers: Record<string, string>;
  body: string;
}

/** Per webhook service. */
export type WebhookMemory = Record<string, KeptDelivery[]>;

/** Kept deliveries per TTL: one more only when the newest is older than ttl / KEEP_PER_TTL. */
const KEEP_PER_TTL = 24;
/** Not replayed this close to the declared TTL: the receiver's key may expire between our clocks. */
const MARGIN_MS = 60_000;

/** The oldest kept delivery still inside the declared TTL (the longest span it tests). */
export function replayCandidate(kept: readonly KeptDelivery[], nowMs: number, ttlMs: number): KeptDelivery | undefined {
  return [...kept].sort((a, b) => a.at - b.at).find((k) => nowMs - k.at < ttlMs - MARGIN_MS);
}

/** The list to store after this run: expired ones dropped, this run's first delivery added when due. */
export function keepDelivery(
  kept: readonly KeptDelivery[],
  d: KeptDelivery,
  nowMs: number,
  ttlMs: number,
): KeptDelivery[] {
  const live = kept.filter((k) => nowMs - k.at < ttlMs).sort((a, b) => a.at - b.at);
  const newest = live.at(-1);
  if (!newest || nowMs - newest.at >= ttlMs / KEEP_PER_TTL) live.push(d);
  return live.slice(-(KEEP_PER_TTL + 1));
}

/** What a state file may hold under webhookDeliveries; anything else is dropped. */
export function validMemory(x: unknown): WebhookMemory {
  const out: WebhookMemory = Object.create(null);
  if (!x || typeof x !== "object") return out;
  for (const [service, list] of Object.entries(x)) {
    if (!Array.isArray(list)) continue;
    out[service] = list.filter(
      (k): k is KeptDelivery =>
        !!k &&
        typeof k.at === "number" &&
        typeof k.body === "string" &&
        !!k.headers &&
        typeof k.headers === "object" &&
        Object.values(k.headers).every((v) => typeof v === "string"),
    );
  }
  return out;
}

export function formatAge(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}
