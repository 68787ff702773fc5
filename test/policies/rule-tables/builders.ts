/** Builders for the policy test tables: small manifests, complete unless a case removes something. */
export const envs = { staging: { deployed: true }, production: { production: true, deployed: true } };
export const svc = (extra: Record<string, unknown> = {}): any => ({
  kind: "http-api",
  owner: "a",
  tier: "high",
  healthCheck: { interval: "60s" },
  endpoints: { staging: { url: "http://127.0.0.1:9/" }, production: { url: "http://127.0.0.1:9/" } },
  ...extra,
});
export const fullSecret = (extra: Record<string, unknown> = {}): any => ({
  service: "api",
  owner: "team",
  purpose: "p",
  requiredInProduction: true,
  rotationDays: 90,
  runbook: "https://rb.example/x",
  readers: ["service/api"],
  verification: { check: "c" },
  environments: {
    staging: { ref: "vault://s", lastRotated: "2026-10-01" },
    production: { ref: "vault://p", lastRotated: "2026-10-01" },
  },
  ...extra,
});
export const org = (parts: Record<string, unknown> = {}): any => ({
  environments: envs,
  services: { api: svc({ secrets: ["API_KEY"] }) },
  secrets: { API_KEY: fullSecret() },
  ...parts,
});
export const api = (client: Record<string, unknown>, extra: Record<string, unknown> = {}): any => ({
  apis: {
    api: {
      service: "api",
      provider: { model: "sliding-window", requests: { limit: 100, per: "1m" } },
      client: {
        budget: { requests: { limit: 80, per: "1m" } },
        retry: { maxAttempts: 3, backoff: "exponential", jitter: "full" },
        circuitBreaker: { failureThreshold: 5, reset: "30s" },
        metrics: true,
        ...client,
      },
      ...extra,
    },
  },
});
export const hook = (extra: Record<string, unknown> = {}): any => ({
  services: {
    api: svc({ secrets: ["API_KEY"] }),
    hook: svc({ kind: "webhook", secrets: ["HOOK_SECRET"] }),
    redis: svc({ kind: "infra" }),
  },
  secrets: { API_KEY: fullSecret(), HOOK_SECRET: fullSecret({ service: "hook" }) },
  webhooks: {
    hook: {
      service: "hook",
      signature: { scheme: "hmac-sha256", header: "X-Sig", secret: "HOOK_SECRET" },
      timestampTolerance: "5m",
      idempotency: { store: "redis", keyHeader: "X-Id", ttl: "24h" },
      rateLimits: { perSource: [{ limit: 10, per: "1s" }] },
      tls: { minVersion: "1.2" },
      auditLog: { retentionDays: 90 },
      ...extra,
    },
  },
});
export const alerting = (
  alerts: Record<string, unknown>,
  channels: Record<string, unknown>,
  environments: Record<string, unknown> = envs,
): any => ({ environments, alerts, channels });
export const pager = { type: "pagerduty", severities: ["critical"] };
export const slack = { type: "slack", severities: ["warning"] };
export const down = { condition: "probe-failing", severity: "critical" };
