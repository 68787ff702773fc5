/**
 * A provider's own limits as the simulator enforces them, on an injectable clock: requests per
 * window (token bucket, sliding or fixed window, as the manifest's provider model says), tokens
 * per window, requests in flight and Shopify GraphQL cost points.
 */
export interface Window {
  limit: number;
  perMs: number;
}

export interface ProviderSpec {
  model: "token-bucket" | "sliding-window" | "fixed-window" | "concurrency";
  requests: Window | null;
  tokens: Window | null;
  concurrency: number | null;
  costPoints?: { bucket: number; restorePerSecond: number } | null;
}

/** What a request window says: admitted, or how long until it would be. */
export interface Verdict {
  ok: boolean;
  limit: number;
  remaining: number;
  resetMs: number;
}

export class RequestWindow {
  private log: number[] = [];
  private level: number;
  private at: number;

  constructor(
    private readonly w: Window,
    private readonly model: ProviderSpec["model"],
    now: number,
  ) {
    this.level = w.limit;
    this.at = now;
  }

  admit(now: number): Verdict {
    const { limit, perMs } = this.w;
    if (this.model === "token-bucket") {
      const rate = limit / perMs;
      this.level = Math.min(limit, this.level + (now - this.at) * rate);
      this.at = now;
      if (this.level >= 1) {
        this.level -= 1;
        return { ok: true, limit, remaining: Math.floor(this.level), resetMs: Math.ceil((limit - this.level) / rate) };
      }
      return { ok: false, limit, remaining: 0, resetMs: Math.ceil((1 - this.level) / rate) };
    }
    if (this.model === "fixed-window") {
      const start = Math.floor(now / perMs) * perMs;
      this.log = this.log.filter((t) => t >= start);
      const resetMs = start + perMs - now;
      if (this.log.length >= limit) return { ok: false, limit, remaining: 0, resetMs };
      this.log.push(now);
      return { ok: true, limit, remaining: Math.floor(limit - this.log.length), resetMs };
    }
    this.log = this.log.filter((t) => t > now - perMs);
    if (this.log.length >= limit)
      return {
        ok: false,
        limit,
        remaining: 0,
        resetMs: Math.max(1, (this.log[this.log.length - Math.floor(limit)] ?? now) + perMs - now),
      };
    this.log.push(now);
    return {
      ok: true,
      limit,
      remaining: Math.floor(limit - this.log.length),
      resetMs: Math.max(1, (this.log[0] as number) + perMs - now),
    };
  }
}

/** Tokens per sliding window, charged at admission from the estimate and corrected from usage. */
export class TokenWindow {
  private log: Array<{ at: number; n: number; id: number }> = [];

  constructor(private readonly w: Window) {}

  admit(now: number, n: number, id: number): Verdict {
    this.log = this.log.filter((e) => e.at > now - this.w.perMs);
    let used = this.log.reduce((s, e) => s + e.n, 0);
    if (used + n > this.w.limit) {
      let resetMs = this.w.perMs;
      for (const e of this.log) {
        used -= e.n;
        if (used + n <= this.w.limit) {
          resetMs = Math.max(1, e.at + this.w.perMs - now);
          break;
        }
      }
      return {
        ok: false,
        limit: this.w.limit,
        remaining: Math.max(0, Math.floor(this.w.limit - this.log.reduce((s, e) => s + e.n, 0))),
        resetMs,
      };
    }
    this.log.push({ at: now, n, id });
    return {
      ok: true,
      limit: this.w.limit,
      remaining: Math.floor(this.w.limit - used - n),
      resetMs: Math.max(1, (this.log[0] as { at: number }).at + this.w.perMs - now),
    };
  }

  correct(id: number, n: number): void {
    const e = this.log.find((x) => x.id === id);
    if (e) e.n = n;
  }
}

/** Shopify's GraphQL leaky bucket of cost points. */
export class CostBucket {
  private available: number;
  private at: number;

  constructor(
    readonly max: number,
    readonly restorePerSecond: number,
    now: number,
  ) {
    this.available = max;
    this.at = now;
  }

  level(now: number): number {
    this.available = Math.min(this.max, this.available + ((now - this.at) / 1000) * this.restorePerSecond);
    this.at = now;
    return this.available;
  }

  /** Charge `requested` if it fits, then refund what the query did not use. */
  charge(now: number, requested: number, actual: number): boolean {
    if (this.level(now) < requested) return false;
    this.available -= actual;
    return true;
  }
}

/** The prompt estimate OpenAI charges before answering (the client counts the same way). */
export function estimateTokens(body: Record<string, unknown> | null): number {
  if (!body) return 0;
  const prompt = body.messages ?? body.input ?? body.prompt;
  const promptTokens = prompt === undefined ? 0 : Math.ceil(JSON.stringify(prompt).length / 4);
  const max = [body.max_tokens, body.max_completion_tokens, body.max_output_tokens].find(
    (v) => typeof v === "number" && v >= 0,
  ) as number | undefined;
  return promptTokens + (max ?? 0);
}
