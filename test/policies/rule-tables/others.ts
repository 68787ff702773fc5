/** Test tables of the rate-limit, webhook and monitoring policies: findings compared exactly. */
import type { PolicyCase } from "../../../policies/testing.js";
import { alerting, api, down, envs, fullSecret, hook, org, pager, slack, svc } from "./builders.js";

export const OTHER_TABLES: Record<string, Omit<PolicyCase, "name">[]> = {
  "rate-limit-budget-exceeds-provider": [
    { manifest: org(api({})), expect: [] },
    {
      manifest: org(api({ budget: { requests: { limit: 95, per: "1m" } } })),
      expect: [
        {
          ruleId: "rate-limit-budget-exceeds-provider",
          subject: "api/api",
          message: "requests budget 95/1m exceeds the provider's 100/1m less 10% margin",
          path: ["apis", "api", "client", "budget", "requests"],
        },
      ],
    },
    {
      manifest: org(api({ budget: { requests: { limit: 95, per: "1m" } } })),
      options: { safetyMargin: 0 },
      expect: [],
    },
    {
      manifest: org(api({ budget: { requests: { limit: 2, per: "1s" } } })),
      expect: [
        {
          ruleId: "rate-limit-budget-exceeds-provider",
          subject: "api/api",
          message: "requests budget 2/1s exceeds the provider's 100/1m less 10% margin",
          path: ["apis", "api", "client", "budget", "requests"],
        },
      ],
    }, // 120/min across windows
    {
      manifest: org(api({ budget: undefined })),
      expect: [
        {
          ruleId: "rate-limit-budget-exceeds-provider",
          subject: "api/api",
          message: "no client budget for requests (provider allows 100/1m)",
          path: ["apis", "api", "client"],
        },
      ],
    },
    {
      manifest: org(api({ budget: { concurrency: 5 } }, { provider: { model: "concurrency", concurrency: 5 } })),
      expect: [
        {
          ruleId: "rate-limit-budget-exceeds-provider",
          subject: "api/api",
          message: "concurrency budget 5 exceeds the provider's 5 less 10% margin",
          path: ["apis", "api", "client", "budget", "concurrency"],
        },
      ],
    },
  ],
  "client-retry-attempts": [
    { manifest: org(api({})), expect: [] },
    {
      manifest: org(api({ retry: { maxAttempts: 5, backoff: "exponential", jitter: "full" } })),
      expect: [
        {
          ruleId: "client-retry-attempts",
          subject: "api/api",
          message: "retries up to 5 attempts (at most 3)",
          path: ["apis", "api", "client", "retry", "maxAttempts"],
        },
      ],
    },
  ],
  "client-no-retry": [
    { manifest: org(api({})), expect: [] },
    {
      manifest: org(api({ retry: undefined })),
      expect: [
        { ruleId: "client-no-retry", subject: "api/api", message: "no retry policy", path: ["apis", "api", "client"] },
      ],
    },
  ],
  "client-backoff-no-jitter": [
    { manifest: org(api({})), expect: [] },
    {
      manifest: org(api({ retry: { maxAttempts: 3, backoff: "exponential", jitter: "none" } })),
      expect: [
        {
          ruleId: "client-backoff-no-jitter",
          subject: "api/api",
          message: "retries back off without jitter",
          path: ["apis", "api", "client", "retry", "jitter"],
        },
      ],
    },
    {
      manifest: org(api({ retry: { maxAttempts: 3, backoff: "constant", jitter: "full" } })),
      expect: [
        {
          ruleId: "client-backoff-no-jitter",
          subject: "api/api",
          message: "backoff is constant, not exponential",
          path: ["apis", "api", "client", "retry", "backoff"],
        },
      ],
    },
  ],
  "client-no-circuit-breaker": [
    { manifest: org(api({})), expect: [] },
    {
      manifest: org(api({ circuitBreaker: undefined })),
      expect: [
        {
          ruleId: "client-no-circuit-breaker",
          subject: "api/api",
          message: "no circuit breaker",
          path: ["apis", "api", "client"],
        },
      ],
    },
    {
      manifest: org(api({ circuitBreaker: { failureThreshold: 20, reset: "30s" } })),
      expect: [
        {
          ruleId: "client-no-circuit-breaker",
          subject: "api/api",
          message: "breaker opens only after 20 failures (at most 5)",
          path: ["apis", "api", "client", "circuitBreaker", "failureThreshold"],
        },
      ],
    },
  ],
  "client-no-metrics": [
    { manifest: org(api({})), expect: [] },
    {
      manifest: org(api({ metrics: false })),
      expect: [
        {
          ruleId: "client-no-metrics",
          subject: "api/api",
          message: "no request/latency/error metrics",
          path: ["apis", "api", "client", "metrics"],
        },
      ],
    },
    // With probe evidence for the API, the evidence decides, whatever the boolean claims.
    {
      manifest: org(api({ metrics: true })),
      evidence: {
        env: "staging",
        now: "2026-11-24",
        clientMetrics: { api: { present: false, detail: "no tollgate_client_* series" } },
      },
      expect: [
        {
          ruleId: "client-no-metrics",
          subject: "api/api",
          message:
            "no client metrics at the declared endpoint in staging (probe of 2026-11-24): no tollgate_client_* series",
          path: ["apis", "api", "client", "metricsEndpoint", "staging"],
        },
      ],
    },
    {
      manifest: org(api({ metrics: false })),
      evidence: { env: "staging", now: "2026-11-24", clientMetrics: { api: { present: true, detail: "" } } },
      expect: [],
    },
    // Evidence about other APIs leaves this one to its boolean.
    {
      manifest: org(api({ metrics: false })),
      evidence: { env: "staging", now: "2026-11-24", clientMetrics: { other: { present: true, detail: "" } } },
      expect: [
        {
          ruleId: "client-no-metrics",
          subject: "api/api",
          message: "no request/latency/error metrics",
          path: ["apis", "api", "client", "metrics"],
        },
      ],
    },
  ],
  "api-cost-over-budget": [
    {
      manifest: org(
        api({}, { cost: { unit: "1k-tokens", monthlyVolume: 300000, unitPriceUsd: 0.002, monthlyBudgetUsd: 750 } }),
      ),
      expect: [],
    },
    {
      manifest: org(
        api({}, { cost: { unit: "1k-tokens", monthlyVolume: 300000, unitPriceUsd: 0.002, monthlyBudgetUsd: 500 } }),
      ),
      expect: [
        {
          ruleId: "api-cost-over-budget",
          subject: "api/api",
          message: "projected $600.00/month exceeds the $500.00 budget",
          path: ["apis", "api", "cost", "monthlyBudgetUsd"],
        },
      ],
    },
  ],
  "webhook-no-hmac": [
    { manifest: org(hook()), expect: [] },
    {
      manifest: org(hook({ signature: undefined })),
      expect: [
        {
          ruleId: "webhook-no-hmac",
          subject: "webhook/hook",
          message: "no HMAC signature verification",
          path: ["webhooks", "hook"],
        },
      ],
    },
    {
      manifest: org({ ...hook(), webhooks: {} }),
      expect: [
        {
          ruleId: "webhook-no-hmac",
          subject: "service/hook",
          message: "webhook endpoint has no security controls declared in webhooks:",
          path: ["services", "hook", "kind"],
        },
      ],
    },
  ],
  "webhook-timestamp-tolerance": [
    { manifest: org(hook()), expect: [] },
    {
      manifest: org(hook({ timestampTolerance: "10m" })),
      expect: [
        {
          ruleId: "webhook-timestamp-tolerance",
          subject: "webhook/hook",
          message: "timestamp tolerance 10m is above 300s",
          path: ["webhooks", "hook", "timestampTolerance"],
        },
      ],
    },
    {
      manifest: org(hook({ timestampTolerance: undefined })),
      expect: [
        {
          ruleId: "webhook-timestamp-tolerance",
          subject: "webhook/hook",
          message: "no timestamp tolerance (replay window unbounded)",
          path: ["webhooks", "hook"],
        },
      ],
    },
    // A provider profile brings its window (5 minutes); GitHub and Shopify sign no timestamp at all.
    {
      manifest: org(
        hook({
          timestampTolerance: undefined,
          signature: { scheme: "stripe", secret: "HOOK_SECRET" },
          idempotency: { store: "redis", ttl: "24h" },
        }),
      ),
      expect: [],
    },
    {
      manifest: org(
        hook({
          timestampTolerance: undefined,
          signature: { scheme: "github", secret: "HOOK_SECRET" },
          idempotency: { store: "redis", ttl: "24h" },
        }),
      ),
      expect: [],
    },
    {
      manifest: org(
        hook({
          timestampTolerance: "10m",
          signature: { scheme: "slack", secret: "HOOK_SECRET" },
          idempotency: { store: "redis", ttl: "24h" },
        }),
      ),
      expect: [
        {
          ruleId: "webhook-timestamp-tolerance",
          subject: "webhook/hook",
          message: "timestamp tolerance 10m is above 300s",
          path: ["webhooks", "hook", "timestampTolerance"],
        },
      ],
    },
  ],
  "webhook-idempotency": [
    { manifest: org(hook()), expect: [] },
    {
      manifest: org(hook({ idempotency: { store: "redis", keyHeader: "X-Id", ttl: "1h" } })),
      expect: [
        {
          ruleId: "webhook-idempotency",
          subject: "webhook/hook",
          message: "idempotency keys kept 1h, under 24h",
          path: ["webhooks", "hook", "idempotency", "ttl"],
        },
      ],
    },
    {
      manifest: org(hook({ idempotency: undefined })),
      expect: [
        {
          ruleId: "webhook-idempotency",
          subject: "webhook/hook",
          message: "no idempotency store",
          path: ["webhooks", "hook"],
        },
      ],
    },
  ],
  "webhook-tls-min-version": [
    { manifest: org(hook()), expect: [] },
    {
      manifest: org(hook({ tls: { minVersion: "1.1" } })),
      expect: [
        {
          ruleId: "webhook-tls-min-version",
          subject: "webhook/hook",
          message: "minimum TLS version 1.1 is below 1.2",
          path: ["webhooks", "hook", "tls", "minVersion"],
        },
      ],
    },
  ],
  "webhook-audit-retention": [
    { manifest: org(hook()), expect: [] },
    {
      manifest: org(hook({ auditLog: { retentionDays: 30 } })),
      expect: [
        {
          ruleId: "webhook-audit-retention",
          subject: "webhook/hook",
          message: "audit log kept 30 days, under 90",
          path: ["webhooks", "hook", "auditLog", "retentionDays"],
        },
      ],
    },
  ],
  "webhook-no-rate-limit": [
    { manifest: org(hook()), expect: [] },
    {
      manifest: org(hook({ rateLimits: undefined })),
      expect: [
        {
          ruleId: "webhook-no-rate-limit",
          subject: "webhook/hook",
          message: "no per-source rate limit",
          path: ["webhooks", "hook"],
        },
      ],
    },
  ],
  "service-no-health-check": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ services: { api: svc({ healthCheck: undefined, secrets: ["API_KEY"] }) } }),
      expect: [
        {
          ruleId: "service-no-health-check",
          subject: "service/api",
          message: "no healthCheck",
          path: ["services", "api"],
        },
      ],
    },
    {
      manifest: org({
        services: { api: svc({ endpoints: { staging: { url: "http://127.0.0.1:9/" } }, secrets: ["API_KEY"] }) },
      }),
      expect: [
        {
          ruleId: "service-no-health-check",
          subject: "service/api@production",
          message: "no endpoint to probe in production",
          path: ["services", "api", "endpoints"],
        },
      ],
    },
  ],
  "mcp-no-smoke-call": [
    {
      manifest: org({
        services: {
          api: svc({ secrets: ["API_KEY"] }),
          rag: svc({
            kind: "mcp",
            healthCheck: { mcp: { transport: "streamable-http", requiredTools: ["q"], smoke: { tool: "q" } } },
          }),
        },
      }),
      expect: [],
    },
    {
      manifest: org({
        services: {
          api: svc({ secrets: ["API_KEY"] }),
          rag: svc({ kind: "mcp", healthCheck: { mcp: { transport: "streamable-http", requiredTools: ["q"] } } }),
        },
      }),
      expect: [
        {
          ruleId: "mcp-no-smoke-call",
          subject: "service/rag",
          message: "no smoke call: a server whose tools all fail passes its probe",
          path: ["services", "rag", "healthCheck", "mcp"],
        },
      ],
    },
    {
      manifest: org({ services: { api: svc({ secrets: ["API_KEY"] }), rag: svc({ kind: "mcp" }) } }),
      expect: [
        {
          ruleId: "mcp-no-smoke-call",
          subject: "service/rag",
          message: "MCP server probed without healthCheck.mcp: its tools are never listed or called",
          path: ["services", "rag", "healthCheck"],
        },
      ],
    },
    {
      manifest: org({
        services: { api: svc({ secrets: ["API_KEY"] }), rag: svc({ kind: "mcp", healthCheck: undefined }) },
      }),
      expect: [],
    }, // service-no-health-check's finding
  ],
  "mcp-protocol-floor": [
    {
      manifest: org({
        services: {
          api: svc({ secrets: ["API_KEY"] }),
          rag: svc({
            kind: "mcp",
            healthCheck: { mcp: { transport: "streamable-http", requiredTools: ["q"], minProtocol: "2025-06-18" } },
          }),
        },
      }),
      expect: [],
    },
    {
      manifest: org({
        services: {
          api: svc({ secrets: ["API_KEY"] }),
          rag: svc({ kind: "mcp", healthCheck: { mcp: { transport: "streamable-http", requiredTools: ["q"] } } }),
        },
      }),
      expect: [],
    },
    {
      manifest: org({
        services: {
          api: svc({ secrets: ["API_KEY"] }),
          rag: svc({
            kind: "mcp",
            healthCheck: { mcp: { transport: "streamable-http", requiredTools: ["q"], minProtocol: "2025-03-26" } },
          }),
        },
      }),
      expect: [
        {
          ruleId: "mcp-protocol-floor",
          subject: "service/rag",
          message: "minProtocol 2025-03-26 is older than the floor 2025-06-18",
          path: ["services", "rag", "healthCheck", "mcp", "minProtocol"],
        },
      ],
    },
    {
      manifest: org({
        services: {
          api: svc({ secrets: ["API_KEY"] }),
          rag: svc({
            kind: "mcp",
            healthCheck: { mcp: { transport: "sse", requiredTools: ["q"], minProtocol: "2024-11-05" } },
          }),
        },
      }),
      expect: [
        {
          ruleId: "mcp-protocol-floor",
          subject: "service/rag",
          message: "probed over the legacy HTTP+SSE transport (replaced by Streamable HTTP in 2025-03-26)",
          path: ["services", "rag", "healthCheck", "mcp", "transport"],
        },
        {
          ruleId: "mcp-protocol-floor",
          subject: "service/rag",
          message: "minProtocol 2024-11-05 is older than the floor 2025-06-18",
          path: ["services", "rag", "healthCheck", "mcp", "minProtocol"],
        },
      ],
    },
  ],
  "service-no-alert-rule": [
    { manifest: org({ alerts: { Down: down } }), expect: [] },
    {
      manifest: org({ alerts: { Flaky: { condition: "success-rate-below", threshold: 0.9, severity: "warning" } } }),
      expect: [],
    },
    {
      manifest: org({ alerts: { Slow: { condition: "latency-p95-above", threshold: 1, severity: "warning" } } }),
      expect: [
        {
          ruleId: "service-no-alert-rule",
          subject: "service/api",
          message: "no probe-failing or success-rate-below alert rule covers this service",
          path: ["services", "api"],
        },
      ],
    },
    {
      manifest: org({ alerts: { Down: { ...down, appliesTo: { kinds: ["mcp"] } } } }),
      expect: [
        {
          ruleId: "service-no-alert-rule",
          subject: "service/api",
          message: "no probe-failing or success-rate-below alert rule covers this service",
          path: ["services", "api"],
        },
      ],
    },
    // A tool-stage alert is silent when the MCP server is down: it does not cover the service.
    {
      manifest: org({
        services: { api: svc({ kind: "mcp", secrets: ["API_KEY"] }) },
        alerts: { Tools: { condition: "mcp-tool-failing", severity: "critical" } },
      }),
      expect: [
        {
          ruleId: "service-no-alert-rule",
          subject: "service/api",
          message: "no probe-failing or success-rate-below alert rule covers this service",
          path: ["services", "api"],
        },
      ],
    },
  ],
  "alert-critical-not-paging": [
    { manifest: alerting({ Down: down }, { pager, slack }), expect: [] },
    {
      manifest: alerting({ Down: down }, { slack }),
      expect: [
        {
          ruleId: "alert-critical-not-paging",
          subject: "alert/Down@production",
          message: "critical alert reaches no enabled PagerDuty channel in production",
          path: ["alerts", "Down", "severity"],
        },
        {
          ruleId: "alert-critical-not-paging",
          subject: "alert/Down@staging",
          message: "critical alert reaches no enabled PagerDuty channel in staging",
          path: ["alerts", "Down", "severity"],
        },
      ],
    },
    {
      manifest: alerting(
        { Down: down },
        { pager },
        { ...envs, staging: { deployed: true, channels: { pager: { enabled: false } } } },
      ),
      expect: [
        {
          ruleId: "alert-critical-not-paging",
          subject: "alert/Down@staging",
          message: "critical alert reaches no enabled PagerDuty channel in staging",
          path: ["alerts", "Down", "severity"],
        },
      ],
    },
    {
      manifest: alerting(
        { Down: down },
        { pager },
        {
          ...envs,
          staging: {
            deployed: true,
            alerts: { Down: { severity: "warning" } },
            channels: { pager: { enabled: false } },
          },
        },
      ),
      expect: [],
    },
  ],
  "channel-secret-missing": [
    { manifest: { ...org(), channels: { pager: { ...pager, secret: "API_KEY" } } }, expect: [] },
    {
      manifest: {
        ...org({
          secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) },
        }),
        channels: { pager: { ...pager, secret: "API_KEY" } },
      },
      expect: [
        {
          ruleId: "channel-secret-missing",
          subject: "channel/pager@production",
          message: "secret API_KEY is not present in production",
          path: ["channels", "pager", "secret"],
        },
      ],
    },
  ],
};
