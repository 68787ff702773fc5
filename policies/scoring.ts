/**
 * Scorecards: categories that pass or fail on the findings that decide them. A category fails
 * when any unwaived error-severity finding of its rules remains; warnings are shown, not scored.
 */
import type { Finding, Policy } from "./types.js";

export interface CategoryDef {
  id: string;
  title: string;
  rules: string[];
}

export interface ScorecardDef {
  id: string;
  title: string;
  categories: CategoryDef[];
}

export const SCORECARDS: readonly ScorecardDef[] = [
  {
    id: "secrets",
    title: "Secrets production readiness",
    categories: [
      { id: "inventory", title: "Secrets inventoried", rules: ["secret-no-owner", "secret-unused", "secret-undeclared"] },
      { id: "rotation", title: "Rotation procedures", rules: ["secret-rotation-period", "secret-rotation-missing-date", "secret-rotation-overdue", "secret-rotation-due-soon"] },
      { id: "incident-response", title: "Incident response playbook", rules: ["secret-no-runbook"] },
      { id: "access-control", title: "Access control", rules: ["secret-no-readers"] },
      { id: "testing", title: "Testing procedures", rules: ["secret-no-verification"] },
      { id: "production-mirroring", title: "Production secrets generated and mirrored", rules: ["secret-missing-in-production", "secret-not-mirrored"] },
      { id: "production-deployed", title: "Production deployed", rules: ["production-not-deployed"] },
    ],
  },
  {
    id: "rate-limits",
    title: "API rate limits and client policy",
    categories: [
      { id: "budget", title: "Client budgets within provider limits", rules: ["rate-limit-budget-exceeds-provider"] },
      { id: "retries", title: "Retries with capped, jittered exponential backoff", rules: ["client-no-retry", "client-retry-attempts", "client-backoff-no-jitter"] },
      { id: "circuit-breaker", title: "Circuit breakers", rules: ["client-no-circuit-breaker"] },
      { id: "observability", title: "Client metrics", rules: ["client-no-metrics"] },
      { id: "cost", title: "Projected cost within budget", rules: ["api-cost-over-budget"] },
    ],
  },
  {
    id: "webhooks",
    title: "Webhook security",
    categories: [
      { id: "signature", title: "HMAC signature verification", rules: ["webhook-no-hmac"] },
      { id: "replay", title: "Replay protection (timestamps, idempotency)", rules: ["webhook-timestamp-tolerance", "webhook-idempotency"] },
      { id: "transport", title: "TLS 1.2 or newer", rules: ["webhook-tls-min-version"] },
      { id: "abuse", title: "Per-source rate limits", rules: ["webhook-no-rate-limit"] },
      { id: "audit", title: "Audit log retention", rules: ["webhook-audit-retention"] },
    ],
  },
  {
    id: "monitoring",
    title: "Monitoring and alerting",
    categories: [
      { id: "health-checks", title: "Every service probed", rules: ["service-no-health-check", "mcp-no-smoke-call"] },
      { id: "alert-coverage", title: "Every service alerted on", rules: ["service-no-alert-rule"] },
      { id: "paging", title: "Critical alerts page", rules: ["alert-critical-not-paging"] },
      { id: "channels", title: "Receivers provisioned", rules: ["channel-secret-missing"] },
    ],
  },
];

export interface FindingRef {
  ruleId: string;
  subject: string;
  severity: string;
  waived: boolean;
  message: string;
}

export interface CategoryResult {
  id: string;
  title: string;
  passed: boolean;
  findings: FindingRef[];
}

export interface ScorecardResult {
  id: string;
  title: string;
  percent: number;
  passed: number;
  total: number;
  weight: number;
  categories: CategoryResult[];
}

/** Custom policies join a scorecard by declaring `scorecard: { id, category }`. */
export function scorecardDefs(policies: readonly (Policy & { scorecard?: { id: string; category: string; categoryTitle?: string } })[]): ScorecardDef[] {
  const defs: ScorecardDef[] = SCORECARDS.map((s) => ({ ...s, categories: s.categories.map((c) => ({ ...c, rules: [...c.rules] })) }));
  for (const p of policies) {
    if (!p.scorecard) continue;
    const card = defs.find((d) => d.id === p.scorecard!.id);
    if (!card) continue;
    let cat = card.categories.find((c) => c.id === p.scorecard!.category);
    if (!cat) card.categories.push((cat = { id: p.scorecard.category, title: p.scorecard.categoryTitle ?? p.scorecard.category, rules: [] }));
    if (!cat.rules.includes(p.id)) cat.rules.push(p.id);
  }
  return defs;
}

export function score(defs: readonly ScorecardDef[], findings: readonly Finding[], enabled: ReadonlySet<string>, weights: Record<string, number> = {}): { percent: number; scorecards: ScorecardResult[] } {
  const scorecards = defs.map((def) => {
    const categories = def.categories
      .filter((c) => c.rules.some((r) => enabled.has(r)))
      .map((c) => {
        const fs = findings.filter((f) => c.rules.includes(f.ruleId));
        const refs = fs.map((f) => ({ ruleId: f.ruleId, subject: f.subject, severity: f.severity, waived: f.waived, message: f.message }));
        return { id: c.id, title: c.title, passed: !fs.some((f) => !f.waived && f.severity === "error"), findings: refs };
      });
    const passed = categories.filter((c) => c.passed).length;
    const total = categories.length;
    return { id: def.id, title: def.title, percent: total === 0 ? 100 : Math.round((passed / total) * 100), passed, total, weight: weights[def.id] ?? 1, categories };
  });
  const weighted = scorecards.filter((s) => s.total > 0 && s.weight > 0);
  const sumW = weighted.reduce((a, s) => a + s.weight, 0);
  const percent = sumW === 0 ? 100 : Math.round(weighted.reduce((a, s) => a + s.weight * (s.passed / s.total), 0) / sumW * 100);
  return { percent, scorecards };
}
