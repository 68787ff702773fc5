/** How long a provider asks the client to wait, in milliseconds, from its response headers. */

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** OpenAI's reset durations: "1s", "6m0s", "20ms", "1m30.5s". */
export function parseResetDuration(text: string): number | null {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  if (!/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(t)) return null;
  let ms = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) ms += Number(m[1]) * (UNIT_MS[m[2] as string] ?? 0);
  return ms;
}

/**
 * `retry-after-ms` first (milliseconds), then `Retry-After` (seconds or an HTTP-date), then
 * the `x-ratelimit-reset-*` of whichever limit is exhausted (OpenAI), then `x-ratelimit-reset`
 * (epoch seconds, GitHub). null when the response says nothing.
 */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const ms = headers.get("retry-after-ms");
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Number(ms);
  const ra = headers.get("retry-after");
  if (ra !== null) {
    const v = ra.trim();
    if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
    const at = Date.parse(v);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  let wait: number | null = null;
  for (const kind of ["requests", "tokens"]) {
    const reset = headers.get(`x-ratelimit-reset-${kind}`);
    if (reset === null || headers.get(`x-ratelimit-remaining-${kind}`)?.trim() !== "0") continue;
    const d = parseResetDuration(reset);
    if (d !== null) wait = Math.max(wait ?? 0, d);
  }
  if (wait !== null) return wait;
  const epoch = headers.get("x-ratelimit-reset");
  if (epoch !== null && /^\d+$/.test(epoch.trim())) return Math.max(0, Number(epoch) * 1000 - now);
  return null;
}
