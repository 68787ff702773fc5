/** A JSON summary of each API's client policy that application clients can load at start-up. */
import { durationMs } from "../../model/duration.js";
import type { EnvContext } from "./context.js";

export function clientPolicies(ctx: EnvContext): string {
  const apis: Record<string, unknown> = {};
  for (const [name, a] of ctx.model.apis) {
    const r = a.client.retry;
    const b = a.client.circuitBreaker;
    const win = (w?: { limit: number; per: string }) => (w ? { limit: w.limit, perMs: durationMs(w.per) } : null);
    apis[name] = {
      service: a.service,
      provider: { model: a.provider.model, requests: win(a.provider.requests), tokens: win(a.provider.tokens), concurrency: a.provider.concurrency ?? null },
      budget: { requests: win(a.client.budget?.requests), tokens: win(a.client.budget?.tokens), concurrency: a.client.budget?.concurrency ?? null },
      retry: r ? { maxAttempts: r.maxAttempts, backoff: r.backoff, jitter: r.jitter, baseDelayMs: r.baseDelay ? durationMs(r.baseDelay) : null, maxDelayMs: r.maxDelay ? durationMs(r.maxDelay) : null } : null,
      circuitBreaker: b ? { failureThreshold: b.failureThreshold, resetMs: durationMs(b.reset) } : null,
      metrics: a.client.metrics,
    };
  }
  return `${JSON.stringify({ environment: ctx.env, apis }, null, 2)}\n`;
}
