/**
 * A table per built-in policy: passing and failing cases over small manifests, run through the
 * same runner custom policies use (policies/testing.ts), each compared exactly: every finding's
 * ruleId, subject, message and model path, and no finding more or less.
 */
import { describe, expect, it } from "vitest";
import { BUILTIN_POLICIES } from "../../policies/registry.js";
import { matchesCase, runPolicyCase, sortCaseFindings, type PolicyCase } from "../../policies/testing.js";

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
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-08-01" } } }) } }), expect: [
      { ruleId: "secret-rotation-overdue", subject: "secret/API_KEY@staging", message: "rotation was due 2026-10-30 (every 90 days, last 2026-08-01)", path: ["secrets", "API_KEY", "environments", "staging", "lastRotated"] },
    ] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-08-26" } } }) } }), expect: [] }, // due today is not overdue
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-08-01" } } }) } }), env: "production", expect: [] },
  ],
  "secret-rotation-due-soon": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-09-01" } } }) } }), expect: [
      { ruleId: "secret-rotation-due-soon", subject: "secret/API_KEY@staging", message: "rotation due 2026-11-30, in 6 days", path: ["secrets", "API_KEY", "environments", "staging", "lastRotated"] },
    ] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-09-01" } } }) } }), options: { windowDays: 3 }, expect: [] },
  ],
  "secret-rotation-missing-date": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v" } } }) } }), expect: [
      { ruleId: "secret-rotation-missing-date", subject: "secret/API_KEY@staging", message: "no lastRotated date", path: ["secrets", "API_KEY", "environments", "staging"] },
    ] },
  ],
  "secret-rotation-period": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ rotationDays: undefined }) } }), expect: [
      { ruleId: "secret-rotation-period", subject: "secret/API_KEY", message: "no rotation period (rotationDays)", path: ["secrets", "API_KEY", "rotationDays"] },
    ] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ rotationDays: 400 }) } }), expect: [
      { ruleId: "secret-rotation-period", subject: "secret/API_KEY", message: "rotation period 400 days is outside 30–365", path: ["secrets", "API_KEY", "rotationDays"] },
    ] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ rotationDays: 400 }) } }), options: { maxDays: 400 }, expect: [] },
  ],
  "secret-no-owner": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ owner: undefined }) } }), expect: [
      { ruleId: "secret-no-owner", subject: "secret/API_KEY", message: "no owner", path: ["secrets", "API_KEY", "owner"] },
    ] },
  ],
  "secret-no-runbook": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ runbook: undefined }) } }), expect: [
      { ruleId: "secret-no-runbook", subject: "secret/API_KEY", message: "no runbook (incident-response playbook)", path: ["secrets", "API_KEY", "runbook"] },
    ] },
  ],
  "secret-no-readers": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ readers: [] }) } }), expect: [
      { ruleId: "secret-no-readers", subject: "secret/API_KEY", message: "no declared readers (access control)", path: ["secrets", "API_KEY", "readers"] },
    ] },
  ],
  "secret-no-verification": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ verification: undefined }) } }), expect: [
      { ruleId: "secret-no-verification", subject: "secret/API_KEY", message: "no verification check (testing procedure)", path: ["secrets", "API_KEY", "verification"] },
    ] },
  ],
  "secret-missing-in-production": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) } }), expect: [
      { ruleId: "secret-missing-in-production", subject: "secret/API_KEY@production", message: "required in production but not present in production", path: ["secrets", "API_KEY", "environments", "production"] },
    ] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ requiredInProduction: false, environments: {} }) } }), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: {} }) } }), env: "staging", expect: [] },
  ],
  "secret-not-mirrored": [
    { manifest: org(), expect: [] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ requiredInProduction: false, environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) } }), expect: [
      { ruleId: "secret-not-mirrored", subject: "secret/API_KEY@production", message: "present in staging but not in production", path: ["secrets", "API_KEY", "environments"] },
    ] },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) } }), expect: [] }, // required: the other rule's job
  ],
  "secret-unused": [
    { manifest: org(), expect: [] },
    { manifest: org({ services: { api: svc() } }), expect: [
      { ruleId: "secret-unused", subject: "secret/API_KEY", message: "declared but no service, webhook or channel uses it", path: ["secrets", "API_KEY"] },
    ] },
    { manifest: hook(), expect: [] },
  ],
  "secret-undeclared": [
    { manifest: org(), expect: [] },
    { manifest: org({ services: { api: svc({ secrets: ["API_KEY", "API_KEYS"] }) } }), expect: [
      { ruleId: "secret-undeclared", subject: "service/api", message: "uses secret API_KEYS, which is not declared (did you mean `API_KEY`?)", path: ["services", "api", "secrets", 1] },
    ] },
  ],
  "production-not-deployed": [
    { manifest: org(), expect: [] },
    { manifest: org({ environments: { staging: { deployed: true }, production: { production: true, deployed: false } } }), expect: [
      { ruleId: "production-not-deployed", subject: "environment/production", message: "production is marked deployed: false", path: ["environments", "production", "deployed"] },
    ] },
  ],
  "rate-limit-budget-exceeds-provider": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ budget: { requests: { limit: 95, per: "1m" } } })), expect: [
      { ruleId: "rate-limit-budget-exceeds-provider", subject: "api/api", message: "requests budget 95/1m exceeds the provider's 100/1m less 10% margin", path: ["apis", "api", "client", "budget", "requests"] },
    ] },
    { manifest: org(api({ budget: { requests: { limit: 95, per: "1m" } } })), options: { safetyMargin: 0 }, expect: [] },
    { manifest: org(api({ budget: { requests: { limit: 2, per: "1s" } } })), expect: [
      { ruleId: "rate-limit-budget-exceeds-provider", subject: "api/api", message: "requests budget 2/1s exceeds the provider's 100/1m less 10% margin", path: ["apis", "api", "client", "budget", "requests"] },
    ] }, // 120/min across windows
    { manifest: org(api({ budget: undefined })), expect: [
      { ruleId: "rate-limit-budget-exceeds-provider", subject: "api/api", message: "no client budget for requests (provider allows 100/1m)", path: ["apis", "api", "client"] },
    ] },
    { manifest: org(api({ budget: { concurrency: 5 } }, { provider: { model: "concurrency", concurrency: 5 } })), expect: [
      { ruleId: "rate-limit-budget-exceeds-provider", subject: "api/api", message: "concurrency budget 5 exceeds the provider's 5 less 10% margin", path: ["apis", "api", "client", "budget", "concurrency"] },
    ] },
  ],
  "client-retry-attempts": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ retry: { maxAttempts: 5, backoff: "exponential", jitter: "full" } })), expect: [
      { ruleId: "client-retry-attempts", subject: "api/api", message: "retries up to 5 attempts (at most 3)", path: ["apis", "api", "client", "retry", "maxAttempts"] },
    ] },
  ],
  "client-no-retry": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ retry: undefined })), expect: [
      { ruleId: "client-no-retry", subject: "api/api", message: "no retry policy", path: ["apis", "api", "client"] },
    ] },
  ],
  "client-backoff-no-jitter": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ retry: { maxAttempts: 3, backoff: "exponential", jitter: "none" } })), expect: [
      { ruleId: "client-backoff-no-jitter", subject: "api/api", message: "retries back off without jitter", path: ["apis", "api", "client", "retry", "jitter"] },
    ] },
    { manifest: org(api({ retry: { maxAttempts: 3, backoff: "constant", jitter: "full" } })), expect: [
      { ruleId: "client-backoff-no-jitter", subject: "api/api", message: "backoff is constant, not exponential", path: ["apis", "api", "client", "retry", "backoff"] },
    ] },
  ],
  "client-no-circuit-breaker": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ circuitBreaker: undefined })), expect: [
      { ruleId: "client-no-circuit-breaker", subject: "api/api", message: "no circuit breaker", path: ["apis", "api", "client"] },
    ] },
    { manifest: org(api({ circuitBreaker: { failureThreshold: 20, reset: "30s" } })), expect: [
      { ruleId: "client-no-circuit-breaker", subject: "api/api", message: "breaker opens only after 20 failures (at most 5)", path: ["apis", "api", "client", "circuitBreaker", "failureThreshold"] },
    ] },
  ],
  "client-no-metrics": [
    { manifest: org(api({})), expect: [] },
    { manifest: org(api({ metrics: false })), expect: [
      { ruleId: "client-no-metrics", subject: "api/api", message: "no request/latency/error metrics", path: ["apis", "api", "client", "metrics"] },
    ] },
  ],
  "api-cost-over-budget": [
    { manifest: org(api({}, { cost: { unit: "1k-tokens", monthlyVolume: 300000, unitPriceUsd: 0.002, monthlyBudgetUsd: 750 } })), expect: [] },
    { manifest: org(api({}, { cost: { unit: "1k-tokens", monthlyVolume: 300000, unitPriceUsd: 0.002, monthlyBudgetUsd: 500 } })), expect: [
      { ruleId: "api-cost-over-budget", subject: "api/api", message: "projected $600.00/month exceeds the $500.00 budget", path: ["apis", "api", "cost", "monthlyBudgetUsd"] },
    ] },
  ],
  "webhook-no-hmac": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ signature: undefined })), expect: [
      { ruleId: "webhook-no-hmac", subject: "webhook/hook", message: "no HMAC signature verification", path: ["webhooks", "hook"] },
    ] },
    { manifest: org({ ...hook(), webhooks: {} }), expect: [
      { ruleId: "webhook-no-hmac", subject: "service/hook", message: "webhook endpoint has no security controls declared in webhooks:", path: ["services", "hook", "kind"] },
    ] },
  ],
  "webhook-timestamp-tolerance": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ timestampTolerance: "10m" })), expect: [
      { ruleId: "webhook-timestamp-tolerance", subject: "webhook/hook", message: "timestamp tolerance 10m is above 300s", path: ["webhooks", "hook", "timestampTolerance"] },
    ] },
    { manifest: org(hook({ timestampTolerance: undefined })), expect: [
      { ruleId: "webhook-timestamp-tolerance", subject: "webhook/hook", message: "no timestamp tolerance (replay window unbounded)", path: ["webhooks", "hook"] },
    ] },
  ],
  "webhook-idempotency": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ idempotency: { store: "redis", keyHeader: "X-Id", ttl: "1h" } })), expect: [
      { ruleId: "webhook-idempotency", subject: "webhook/hook", message: "idempotency keys kept 1h, under 24h", path: ["webhooks", "hook", "idempotency", "ttl"] },
    ] },
    { manifest: org(hook({ idempotency: undefined })), expect: [
      { ruleId: "webhook-idempotency", subject: "webhook/hook", message: "no idempotency store", path: ["webhooks", "hook"] },
    ] },
  ],
  "webhook-tls-min-version": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ tls: { minVersion: "1.1" } })), expect: [
      { ruleId: "webhook-tls-min-version", subject: "webhook/hook", message: "minimum TLS version 1.1 is below 1.2", path: ["webhooks", "hook", "tls", "minVersion"] },
    ] },
  ],
  "webhook-audit-retention": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ auditLog: { retentionDays: 30 } })), expect: [
      { ruleId: "webhook-audit-retention", subject: "webhook/hook", message: "audit log kept 30 days, under 90", path: ["webhooks", "hook", "auditLog", "retentionDays"] },
    ] },
  ],
  "webhook-no-rate-limit": [
    { manifest: org(hook()), expect: [] },
    { manifest: org(hook({ rateLimits: undefined })), expect: [
      { ruleId: "webhook-no-rate-limit", subject: "webhook/hook", message: "no per-source rate limit", path: ["webhooks", "hook"] },
    ] },
  ],
  "service-no-health-check": [
    { manifest: org(), expect: [] },
    { manifest: org({ services: { api: svc({ healthCheck: undefined, secrets: ["API_KEY"] }) } }), expect: [
      { ruleId: "service-no-health-check", subject: "service/api", message: "no healthCheck", path: ["services", "api"] },
    ] },
    { manifest: org({ services: { api: svc({ endpoints: { staging: { url: "http://127.0.0.1:9/" } }, secrets: ["API_KEY"] }) } }), expect: [
      { ruleId: "service-no-health-check", subject: "service/api@production", message: "no endpoint to probe in production", path: ["services", "api", "endpoints"] },
    ] },
  ],
  "service-no-alert-rule": [
    { manifest: org({ alerts: { Down: down } }), expect: [] },
    { manifest: org({ alerts: { Slow: { condition: "latency-p95-above", threshold: 1, severity: "warning" } } }), expect: [
      { ruleId: "service-no-alert-rule", subject: "service/api", message: "no probe-failing alert rule covers this service", path: ["services", "api"] },
    ] },
    { manifest: org({ alerts: { Down: { ...down, appliesTo: { kinds: ["mcp"] } } } }), expect: [
      { ruleId: "service-no-alert-rule", subject: "service/api", message: "no probe-failing alert rule covers this service", path: ["services", "api"] },
    ] },
  ],
  "alert-critical-not-paging": [
    { manifest: alerting({ Down: down }, { pager, slack }), expect: [] },
    { manifest: alerting({ Down: down }, { slack }), expect: [
      { ruleId: "alert-critical-not-paging", subject: "alert/Down@production", message: "critical alert reaches no enabled PagerDuty channel in production", path: ["alerts", "Down", "severity"] },
      { ruleId: "alert-critical-not-paging", subject: "alert/Down@staging", message: "critical alert reaches no enabled PagerDuty channel in staging", path: ["alerts", "Down", "severity"] },
    ] },
    { manifest: alerting({ Down: down }, { pager }, { ...envs, staging: { deployed: true, channels: { pager: { enabled: false } } } }), expect: [
      { ruleId: "alert-critical-not-paging", subject: "alert/Down@staging", message: "critical alert reaches no enabled PagerDuty channel in staging", path: ["alerts", "Down", "severity"] },
    ] },
    { manifest: alerting({ Down: down }, { pager }, { ...envs, staging: { deployed: true, alerts: { Down: { severity: "warning" } }, channels: { pager: { enabled: false } } } }), expect: [] },
  ],
  "channel-secret-missing": [
    { manifest: { ...org(), channels: { pager: { ...pager, secret: "API_KEY" } } }, expect: [] },
    { manifest: { ...org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) } }), channels: { pager: { ...pager, secret: "API_KEY" } } }, expect: [
      { ruleId: "channel-secret-missing", subject: "channel/pager@production", message: "secret API_KEY is not present in production", path: ["channels", "pager", "secret"] },
    ] },
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
    it.each(cases.map((c, i) => ({ ...c, label: c.expect.length ? `fails: ${c.expect[0]!.subject}: ${c.expect[0]!.message}` : `passes (#${i + 1})` })))("$label", (c) => {
      const result = runPolicyCase(policy, c);
      expect(result.findings).toEqual(sortCaseFindings(c.expect));
      expect(matchesCase(result, c.expect)).toBe(true);
    });
  });
}

describe("the runner compares findings exactly", () => {
  const policy = BUILTIN_POLICIES.find((p) => p.id === "secret-no-owner")!;
  const failing = org({ secrets: { API_KEY: fullSecret({ owner: undefined }) } });
  const exact = { ruleId: "secret-no-owner", subject: "secret/API_KEY", message: "no owner", path: ["secrets", "API_KEY", "owner"] };

  it("accepts only the exact list: a fragment, another path, subject or rule, a missing or an extra finding all fail", () => {
    const result = runPolicyCase(policy, { manifest: failing });
    expect(matchesCase(result, [exact])).toBe(true);
    expect(matchesCase(result, [{ ...exact, message: "no own" }])).toBe(false);
    expect(matchesCase(result, [{ ...exact, path: ["secrets", "API_KEY"] }])).toBe(false);
    expect(matchesCase(result, [{ ...exact, subject: "secret/API_KEYS" }])).toBe(false);
    expect(matchesCase(result, [{ ...exact, ruleId: "secret-no-runbook" }])).toBe(false);
    expect(matchesCase(result, [])).toBe(false);
    expect(matchesCase(result, [exact, exact])).toBe(false);
  });

  it("given YAML text, each finding carries the line it is located at (the nearest existing key for a missing one)", () => {
    const yaml = [
      "environments:",
      "  staging: { deployed: true }",
      "services:",
      "  api: { kind: infra, owner: a, tier: low, secrets: [API_KEY] }",
      "secrets:",
      "  API_KEY:",
      "    service: api",
      "    requiredInProduction: false",
      "",
    ].join("\n");
    const result = runPolicyCase(policy, { manifest: yaml });
    expect(result.findings).toEqual([{ ...exact, line: 6 }]); // `API_KEY:`, as owner is missing
    expect(matchesCase(result, [exact])).toBe(false); // the line is part of the comparison
  });
});

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
