/**
 * A JSON summary of each API's client policy that application clients load at start-up: the
 * one input of @tollgate/client (packages/client/src/policy.ts types it; keep the two in step).
 */
import { durationMs } from "../../model/duration.js";
import type { EnvContext } from "./context.js";

type Api = EnvContext["model"]["apis"] extends Map<string, infer A> ? A : never;

export function apiClientPolicy(a: Api): Record<string, unknown> {
  const r = a.client.retry;
  const b = a.client.circuitBreaker;
  const win = (w?: { limit: number; per: string }) => (w ? { limit: w.limit, perMs: durationMs(w.per) } : null);
  return {
    service: a.service,
    provider: {
      model: a.provider.model,
      requests: win(a.provider.requests),
      tokens: win(a.provider.tokens),
      concurrency: a.provider.concurrency ?? null,
      costPoints: a.provider.costPoints ?? null,
    },
    budget: {
      requests: win(a.client.budget?.requests),
      tokens: win(a.client.budget?.tokens),
      concurrency: a.client.budget?.concurrency ?? null,
    },
    retry: r
      ? {
          maxAttempts: r.maxAttempts,
          backoff: r.backoff,
          jitter: r.jitter,
          baseDelayMs: r.baseDelay ? durationMs(r.baseDelay) : null,
          maxDelayMs: r.maxDelay ? durationMs(r.maxDelay) : null,
        }
      : null,
    circuitBreaker: b ? { failureThreshold: b.failureThreshold, resetMs: durationMs(b.reset) } : null,
    metrics: a.client.metrics,
    cost: a.cost
      ? { unit: a.cost.unit, unitPriceUsd: a.cost.unitPriceUsd, monthlyBudgetUsd: a.cost.monthlyBudgetUsd ?? null }
      : null,
    idempotent: a.client.idempotent ?? false,
    replicas: a.client.replicas ?? 1,
    timeoutMs: a.client.timeout ? durationMs(a.client.timeout) : null,
  };
}

export function clientPolicies(ctx: EnvContext): string {
  const apis: Record<string, unknown> = {};
  for (const [name, a] of ctx.model.apis) apis[name] = apiClientPolicy(a);
  return `${JSON.stringify({ environment: ctx.env, apis }, null, 2)}\n`;
}
