/**
 * A table per built-in policy: passing and failing cases over small manifests, run through the
 * same runner custom policies use (policies/testing.ts).
 */
import { describe, expect, it } from "vitest";
import { BUILTIN_POLICIES } from "../../policies/registry.js";
import { matchesCase, runPolicyCase, type PolicyCase } from "../../policies/testing.js";

const envs = { staging: { deployed: true }, production: { production: true, deployed: true } };
const svc = (extra: Record<string, unknown> = {}): any => ({ kind: "http-api", owner: "a", tier: "high", healthCheck: { interval: "60s" }, endpoints: { staging: { url: "http://127.0.0.1:9/" }, production: { url: "http://127.0.0.1:9/" } }, ...extra });
const fullSecret = (extra: Record<string, unknown> = {}): any => ({
  service: "api", owner: "team", purpose: "p", requiredInProduction: true, rotationDays: 90, runbook: "https://rb.example/x", readers: ["service/api"],
  verification: { check: "c" }, environments: { staging: { ref: "vault://s", lastRotated: "2026-10-01" }, production: { ref: "vault://p", lastRotated: "2026-10-01" } }, ...extra,
});
const org = (parts: Record<string, unknown> = {}): any => ({
  environments: envs,
  services: { api: svc({ secrets: ["API_KEY"] }) },
  secrets: { API_KEY: fullSecret() },
  ...parts,
});
const api = (client: Record<string, unknown>, extra: Record<string, unknown> = {}): any => ({
  apis: { api: { service: "api", provider: { model: "sliding-window", requests: { limit: 100, per: "1m" } }, client: { budget: { requests: { limit: 80, per: "1m" } }, retry: { maxAttempts: 3, backoff: "exponential", jitter: "full" }, circuitBreaker: { failureThreshold: 5, reset: "30s" }, metrics: true, ...client }, ...extra } },
});
const hook = (extra: Record<string, unknown> = {}): any => ({
  services: { api: svc({ secrets: ["API_KEY"] }), hook: svc({ kind: "webhook", secrets: ["HOOK_SECRET"] }), redis: svc({ kind: "infra" }) },
  secrets: { API_KEY: fullSecret(), HOOK_SECRET: fullSecret({ service: "hook" }) },
  webhooks: { hook: { service: "hook", signature: { scheme: "hmac-sha256", header: "X-Sig", secret: "HOOK_SECRET" }, timestampTolerance: "5m", idempotency: { store: "redis", keyHeader: "X-Id", ttl: "24h" }, rateLimits: { perSource: [{ limit: 10, per: "1s" }] }, tls: { minVersion: "1.2" }, auditLog: { retentionDays: 90 }, ...extra } },
});
const alerting = (alerts: Record<string, unknown>, channels: Record<string, unknown>, environments: Record<string, unknown> = envs): any => ({ environments, alerts, channels });
const pager = { type: "pagerduty", severities: ["critical"] };
const slack = { type: "slack", severities: ["warning"] };
const down = { condition: "probe-failing", severity: "critical" };

const TABLES: Record<string, Omit<PolicyCase, "name">[]> = {
  "secret-rotation-overdue": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-08-01" } } }) } }), expect: ["secret/API_KEY@staging: rotation was due 2026-10-30"] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-08-26" } } }) } }), expect: [] }, // due today is not overdue
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-08-01" } } }) } }), env: "production", expect: [] },
  ],
  "secret-rotation-due-soon": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-09-01" } } }) } }), expect: ["secret/API_KEY@staging: rotation due 2026-11-30, in 6 days"] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-09-01" } } }) } }), options: { windowDays: 3 }, expect: [] },
  ],
  "secret-rotation-missing-date": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v" } } }) } }), expect: ["secret/API_KEY@staging: no lastRotated"] },
  ],
  "secret-rotation-period": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ rotationDays: undefined }) } }), expect: ["secret/API_KEY: no rotation period"] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ rotationDays: 400 }) } }), expect: ["outside 30–365"] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ rotationDays: 400 }) } }), options: { maxDays: 400 }, expect: [] },
  ],
  "secret-no-owner": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ owner: undefined }) } }), expect: ["secret/API_KEY: no owner"] },
  ],
  "secret-no-runbook": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ runbook: undefined }) } }), expect: ["secret/API_KEY: no runbook"] },
  ],
  "secret-no-readers": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ readers: [] }) } }), expect: ["secret/API_KEY: no declared readers"] },
  ],
  "secret-no-verification": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ verification: undefined }) } }), expect: ["secret/API_KEY: no verification check"] },
  ],
  "secret-missing-in-production": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) } }), expect: ["secret/API_KEY@production: required in production but not present"] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ requiredInProduction: false, environments: {} }) } }), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: {} }) } }), env: "staging", expect: [] },
    { manifest: org({ environments: { staging: { deployed: true } }, secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) } }), expect: ["estate/production: no environment is marked production: true"] },
  ],
  "secret-not-mirrored": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ requiredInProduction: false, environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) } }), expect: ["secret/API_KEY@production: present in staging but not in production"] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) } }), expect: [] }, // required: the other rule's job
  ],
  "secret-unused": [
    { manifest: org(), expect: [] },
    { manifest: org({ services: { api: svc() } }), expect: ["secret/API_KEY: declared but no service"] },
    { manifest: hook(), expect: [] },
  ],
  "secret-undeclared": [
    { manifest: org(), expect: [] },
    { manifest: org({ services: { api: svc({ secrets: ["API_KEY", "API_KEYS"] }) } }), expect: ["service/api: uses secret API_KEYS, which is not declared (did you mean `API_KEY`?)"] },
  ],
  "production-not-deployed": [
    { manifest: org(), expect: [] },
    { manifest: org({ environments: { staging: { deployed: true } } }), expect: ["estate/production: no environment is marked production: true"] },
    { manifest: org({ environments: { staging: { deployed: true }, production: { production: true, deployed: false } } }), expect: ["environment/production: production is marked deployed: false"] },
  ],
  "rate-limit-budget-exceeds-provider": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ budget: { requests: { limit: 95, per: "1m" } } })), expect: ["api/api: requests budget 95/1m exceeds the provider's 100/1m less 10% margin"] },
    { manifest: org(api({ budget: { requests: { limit: 95, per: "1m" } } })), options: { safetyMargin: 0 }, expect: [] },
    { manifest: org(api({ budget: { requests: { limit: 2, per: "1s" } } })), expect: ["exceeds"] }, // 120/min across windows
    { manifest: org(api({ budget: undefined })), expect: ["no client budget for requests"] },
    { manifest: org(api({ budget: { concurrency: 5 } }, { provider: { model: "concurrency", concurrency: 5 } })), expect: ["concurrency budget 5 exceeds"] },
  ],
  "client-retry-attempts": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ retry: { maxAttempts: 5, backoff: "exponential", jitter: "full" } })), expect: ["api/api: retries up to 5 attempts (at most 3)"] },
  ],
  "client-no-retry": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ retry: undefined })), expect: ["api/api: no retry policy"] },
  ],
  "client-backoff-no-jitter": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ retry: { maxAttempts: 3, backoff: "exponential", jitter: "none" } })), expect: ["without jitter"] },
    { manifest: org(api({ retry: { maxAttempts: 3, backoff: "constant", jitter: "full" } })), expect: ["backoff is constant"] },
  ],
  "client-no-circuit-breaker": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ circuitBreaker: undefined })), expect: ["api/api: no circuit breaker"] },
    { manifest: org(api({ circuitBreaker: { failureThreshold: 20, reset: "30s" } })), expect: ["opens only after 20 failures"] },
  ],
  "client-no-metrics": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ metrics: false })), expect: ["api/api: no request/latency/error metrics"] },
  ],
  "api-cost-over-budget": [
    { manifest: org(api({}, { cost: { unit: "1k-tokens", monthlyVolume: 300000, unitPriceUsd: 0.002, monthlyBudgetUsd: 750 } })), expect: [] },
    { manifest: org(api({}, { cost: { unit: "1k-tokens", monthlyVolume: 300000, unitPriceUsd: 0.002, monthlyBudgetUsd: 500 } })), expect: ["projected $600.00/month exceeds the $500.00 budget"] },
  ],
  "webhook-no-hmac": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ signature: undefined })), expect: ["webhook/hook: no HMAC signature verification"] },
    { manifest: org({ ...hook(), webhooks: {} }), expect: ["service/hook: webhook endpoint has no security controls"] },
  ],
  "webhook-timestamp-tolerance": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ timestampTolerance: "10m" })), expect: ["timestamp tolerance 10m is above 300s"] },
    { manifest: org(hook({ timestampTolerance: undefined })), expect: ["no timestamp tolerance"] },
  ],
  "webhook-idempotency": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ idempotency: { store: "redis", keyHeader: "X-Id", ttl: "1h" } })), expect: ["idempotency keys kept 1h, under 24h"] },
    { manifest: org(hook({ idempotency: undefined })), expect: ["no idempotency store"] },
  ],
  "webhook-tls-min-version": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ tls: { minVersion: "1.1" } })), expect: ["minimum TLS version 1.1 is below 1.2"] },
  ],
  "webhook-audit-retention": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ auditLog: { retentionDays: 30 } })), expect: ["audit log kept 30 days, under 90"] },
  ],
  "webhook-no-rate-limit": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ rateLimits: undefined })), expect: ["no per-source rate limit"] },
  ],
  "service-no-health-check": [
    { manifest: org(), expect: [] },
    { manifest: org({ services: { api: svc({ healthCheck: undefined, secrets: ["API_KEY"] }) } }), expect: ["service/api: no healthCheck"] },
    { manifest: org({ services: { api: svc({ endpoints: { staging: { url: "http://127.0.0.1:9/" } }, secrets: ["API_KEY"] }) } }), expect: ["service/api@production: no endpoint to probe in production"] },
  ],
  "mcp-no-smoke-call": [
    { manifest: org({ services: { api: svc({ secrets: ["API_KEY"] }), rag: svc({ kind: "mcp", healthCheck: { mcp: { transport: "streamable-http", requiredTools: ["q"], smoke: { tool: "q" } } } }) } }), expect: [] },
    { manifest: org({ services: { api: svc({ secrets: ["API_KEY"] }), rag: svc({ kind: "mcp", healthCheck: { mcp: { transport: "streamable-http", requiredTools: ["q"] } } }) } }), expect: ["service/rag: no smoke call: a server whose tools all fail passes its probe"] },
    { manifest: org({ services: { api: svc({ secrets: ["API_KEY"] }), rag: svc({ kind: "mcp" }) } }), expect: ["service/rag: MCP server probed without healthCheck.mcp"] },
    { manifest: org({ services: { api: svc({ secrets: ["API_KEY"] }), rag: svc({ kind: "mcp", healthCheck: undefined }) } }), expect: [] }, // service-no-health-check's finding
  ],
  "service-no-alert-rule": [
    { manifest: org({ alerts: { Down: down } }), expect: [] },
    { manifest: org({ alerts: { Flaky: { condition: "success-rate-below", threshold: 0.9, severity: "warning" } } }), expect: [] },
    { manifest: org({ alerts: { Slow: { condition: "latency-p95-above", threshold: 1, severity: "warning" } } }), expect: ["service/api: no probe-failing or success-rate-below alert rule"] },
    { manifest: org({ alerts: { Down: { ...down, appliesTo: { kinds: ["mcp"] } } } }), expect: ["service/api"] },
    // A tool-stage alert is silent when the MCP server is down: it does not cover the service.
    { manifest: org({ services: { api: svc({ kind: "mcp", secrets: ["API_KEY"] }) }, alerts: { Tools: { condition: "mcp-tool-failing", severity: "critical" } } }), expect: ["service/api"] },
  ],
  "alert-critical-not-paging": [
    { manifest: alerting({ Down: down }, { pager, slack }), expect: [] },
    { manifest: alerting({ Down: down }, { slack }), expect: ["alert/Down@staging: critical alert reaches no enabled PagerDuty channel", "alert/Down@production"] },
    { manifest: alerting({ Down: down }, { pager }, { ...envs, staging: { deployed: true, channels: { pager: { enabled: false } } } }), expect: ["alert/Down@staging"] },
    { manifest: alerting({ Down: down }, { pager }, { ...envs, staging: { deployed: true, alerts: { Down: { severity: "warning" } }, channels: { pager: { enabled: false } } } }), expect: [] },
  ],
  "channel-secret-missing": [
    { manifest: { ...org(), channels: { pager: { ...pager, secret: "API_KEY" } } }, expect: [] },
    { manifest: { ...org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) } }), channels: { pager: { ...pager, secret: "API_KEY" } } }, expect: ["channel/pager@production: secret API_KEY is not present in production"] },
  ],
};

describe("every built-in policy has a table with passing and failing cases", () => {
  it.each(BUILTIN_POLICIES.map((p) => ({ id: p.id })))("$id", ({ id }) => {
    const table = TABLES[id] as PolicyCase[] | undefined;
    expect(table, `no test table for ${id}`).toBeDefined();
    expect(table!.some((c) => c.expect.length === 0)).toBe(true);
    expect(table!.some((c) => c.expect.length > 0)).toBe(true);
  });
});

for (const policy of BUILTIN_POLICIES) {
  describe(policy.id, () => {
    const cases = (TABLES[policy.id] ?? []) as PolicyCase[];
    it.each(cases.map((c, i) => ({ ...c, label: c.expect.length ? `fails: ${c.expect[0]}` : `passes (#${i + 1})` })))("$label", (c) => {
      const result = runPolicyCase(policy, c);
      expect(matchesCase(result, c.expect), `got ${JSON.stringify(result.findings)}`).toBe(true);
    });
  });
}

describe("policy metadata", () => {
  it("ids are unique, stable kebab-case, and every policy explains itself", () => {
    const ids = BUILTIN_POLICIES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of BUILTIN_POLICIES) {
      expect(p.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.rationale.length).toBeGreaterThan(20);
      expect(p.remediation.length).toBeGreaterThan(10);
      expect(["secrets", "rate-limits", "webhooks", "monitoring"]).toContain(p.category);
    }
  });
});
