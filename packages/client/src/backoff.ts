/** The delay before retry number `retry` (1 = the first retry), as the declared policy says. */
import type { ApiPolicy } from "./policy.js";

export const DEFAULT_BASE_DELAY_MS = 200;
export const DEFAULT_MAX_DELAY_MS = 30_000;

type Retry = NonNullable<ApiPolicy["retry"]>;

/** `previous` is the last delay (decorrelated jitter grows from it); `random` returns [0, 1). */
export function backoffMs(retry: Retry, n: number, previous: number, random: () => number): number {
  const base = retry.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const cap = retry.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const raw = retry.backoff === "exponential" ? base * 2 ** (n - 1) : retry.backoff === "linear" ? base * n : base;
  const d = Math.min(cap, raw);
  switch (retry.jitter) {
    case "full":
      return random() * d;
    case "equal":
      return d / 2 + (random() * d) / 2;
    case "decorrelated":
      return Math.min(cap, base + random() * (Math.max(base, previous * 3) - base));
    default:
      return d;
  }
}
