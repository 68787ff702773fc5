/**
 * The client policy of one API, as `tollgate synth` writes it to
 * config/<env>/client-policies.json (infra/generate/client-policies.ts). This package reads only
 * this JSON (or the same object in code): no manifest parser, no cdktf.
 */
export interface Window {
  limit: number;
  perMs: number;
}

export type ProviderModel = "token-bucket" | "sliding-window" | "fixed-window" | "concurrency";

export interface ApiPolicy {
  service?: string;
  provider: {
    model: ProviderModel;
    requests: Window | null;
    tokens: Window | null;
    concurrency: number | null;
    costPoints?: { bucket: number; restorePerSecond: number } | null;
  };
  budget: { requests: Window | null; tokens: Window | null; concurrency: number | null };
  retry: {
    maxAttempts: number;
    backoff: "exponential" | "linear" | "constant";
    jitter: "full" | "equal" | "decorrelated" | "none";
    baseDelayMs: number | null;
    maxDelayMs: number | null;
  } | null;
  circuitBreaker: { failureThreshold: number; resetMs: number } | null;
  metrics?: boolean;
  cost?: { unit: "request" | "1k-tokens"; unitPriceUsd: number; monthlyBudgetUsd: number | null } | null;
  /** Every call may be repeated safely, so POSTs are retried too (otherwise only with an idempotency key). */
  idempotent?: boolean;
  /** How many processes share the provider limit; without Redis each takes budget ÷ replicas. */
  replicas?: number;
  /** A deadline per call, waits and retries included. */
  timeoutMs?: number | null;
}

export interface ClientPolicyFile {
  environment?: string;
  apis: Record<string, ApiPolicy>;
}

/** The policy of `api`, from the whole file or one API's object. */
export function pickPolicy(policy: ClientPolicyFile | ApiPolicy, api: string): ApiPolicy {
  if ("apis" in policy && policy.apis && typeof policy.apis === "object") {
    const found = policy.apis[api];
    if (!found)
      throw new Error(
        `@tollgate/client: no API named "${api}" in the client policy (declared: ${Object.keys(policy.apis).sort().join(", ") || "none"})`,
      );
    return found;
  }
  if (!("budget" in policy) || !("provider" in policy))
    throw new Error("@tollgate/client: policy is neither client-policies.json nor one API's policy");
  return policy as ApiPolicy;
}

/** One process's share of the declared budget when nothing coordinates the replicas. */
export function share(budget: ApiPolicy["budget"], replicas: number): ApiPolicy["budget"] {
  if (replicas <= 1) return budget;
  // Below one request (or slot) each, every process still sends one at once: only Redis can share that.
  const small = [
    budget.requests && ["requests per window", budget.requests.limit],
    budget.concurrency !== null && ["concurrency", budget.concurrency],
  ].find((x) => x && (x[1] as number) < replicas);
  if (small)
    throw new Error(
      `@tollgate/client: budget ${small[0]} ${small[1]} ÷ ${replicas} replicas is less than 1 per process, so the replicas together would exceed it; pass redis to share the budget, or declare fewer replicas`,
    );
  const part = (w: Window | null) => (w ? { limit: w.limit / replicas, perMs: w.perMs } : null);
  return {
    requests: part(budget.requests),
    tokens: part(budget.tokens),
    concurrency: budget.concurrency === null ? null : Math.max(1, Math.floor(budget.concurrency / replicas)),
  };
}
