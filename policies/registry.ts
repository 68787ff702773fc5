/** The built-in policies, in a stable order. */
import type { Policy } from "./types.js";
import secretRotationOverdue from "./rules/secret-rotation-overdue.js";
import secretRotationDueSoon from "./rules/secret-rotation-due-soon.js";
import secretRotationMissingDate from "./rules/secret-rotation-missing-date.js";
import secretRotationPeriod from "./rules/secret-rotation-period.js";
import secretNoOwner from "./rules/secret-no-owner.js";
import secretNoRunbook from "./rules/secret-no-runbook.js";
import secretNoReaders from "./rules/secret-no-readers.js";
import secretNoVerification from "./rules/secret-no-verification.js";
import secretMissingInProduction from "./rules/secret-missing-in-production.js";
import secretNotMirrored from "./rules/secret-not-mirrored.js";
import secretUnused from "./rules/secret-unused.js";
import secretUndeclared from "./rules/secret-undeclared.js";
import productionNotDeployed from "./rules/production-not-deployed.js";
import rateLimitBudget from "./rules/rate-limit-budget-exceeds-provider.js";
import clientRetryAttempts from "./rules/client-retry-attempts.js";
import clientNoRetry from "./rules/client-no-retry.js";
import clientBackoffNoJitter from "./rules/client-backoff-no-jitter.js";
import clientNoCircuitBreaker from "./rules/client-no-circuit-breaker.js";
import clientNoMetrics from "./rules/client-no-metrics.js";
import apiCostOverBudget from "./rules/api-cost-over-budget.js";
import webhookNoHmac from "./rules/webhook-no-hmac.js";
import webhookTimestampTolerance from "./rules/webhook-timestamp-tolerance.js";
import webhookIdempotency from "./rules/webhook-idempotency.js";
import webhookTlsMinVersion from "./rules/webhook-tls-min-version.js";
import webhookAuditRetention from "./rules/webhook-audit-retention.js";
import webhookNoRateLimit from "./rules/webhook-no-rate-limit.js";
import serviceNoHealthCheck from "./rules/service-no-health-check.js";
import serviceNoAlertRule from "./rules/service-no-alert-rule.js";
import mcpNoSmokeCall from "./rules/mcp-no-smoke-call.js";
import mcpProtocolFloor from "./rules/mcp-protocol-floor.js";
import alertCriticalNotPaging from "./rules/alert-critical-not-paging.js";
import channelSecretMissing from "./rules/channel-secret-missing.js";

export const BUILTIN_POLICIES: readonly Policy[] = [
  secretRotationOverdue,
  secretRotationDueSoon,
  secretRotationMissingDate,
  secretRotationPeriod,
  secretNoOwner,
  secretNoRunbook,
  secretNoReaders,
  secretNoVerification,
  secretMissingInProduction,
  secretNotMirrored,
  secretUnused,
  secretUndeclared,
  productionNotDeployed,
  rateLimitBudget,
  clientRetryAttempts,
  clientNoRetry,
  clientBackoffNoJitter,
  clientNoCircuitBreaker,
  clientNoMetrics,
  apiCostOverBudget,
  webhookNoHmac,
  webhookTimestampTolerance,
  webhookIdempotency,
  webhookTlsMinVersion,
  webhookAuditRetention,
  webhookNoRateLimit,
  serviceNoHealthCheck,
  mcpNoSmokeCall,
  mcpProtocolFloor,
  serviceNoAlertRule,
  alertCriticalNotPaging,
  channelSecretMissing,
];

/** Findings about the waivers file itself; not policies over the model, but reported like them. */
export const WAIVER_RULES = {
  "waiver-expired": {
    title: "Waiver expired",
    severity: "error",
    rationale: "An expired waiver no longer suppresses anything; the exception needs a decision.",
    remediation: "Fix the finding, or renew the waiver with a new expiry and reason.",
  },
  "waiver-too-long": {
    title: "Waiver lifetime too long",
    severity: "error",
    rationale: "Waivers are time-boxed so exceptions get revisited; an over-long waiver suppresses nothing.",
    remediation: "Set expires within the maximum lifetime (limits.maxWaiverDays, default 90).",
  },
  "waiver-incomplete": {
    title: "Waiver without owner or reason",
    severity: "error",
    rationale: "An exception nobody owns or explains cannot be revisited; it suppresses nothing.",
    remediation: "Give the waiver an owner and a reason.",
  },
  "waiver-unused": {
    title: "Waiver matches nothing",
    severity: "warning",
    rationale: "A waiver that suppresses nothing is stale and hides intent.",
    remediation: "Remove it, or fix its rule id or subject pattern.",
  },
} as const;
