/**
 * Scorecards: categories that pass or fail on the findings that decide them. A category fails
 * when any unwaived error-severity finding of its rules remains; warnings are shown, not scored.
 * A category with nothing to judge (no APIs for the rate-limit categories, ...) is not
 * applicable: shown as n/a and left out of the denominator. The overall score is the weighted
 * mean of the unrounded scorecard ratios, rounded once at the end.
 */
import type { Model } from "../model/model.js";
import type { Finding, Policy } from "./types.js";

/** A category as the table declares it; its rules are the policies that declare it (scorecardDefs). */
export interface CategoryDecl {
  id: string;
  title: string;
  /** Whether the model holds anything this category judges; absent means always applicable. */
  applies?: (model: Model) => boolean;
}

const any = (m: Map<string, unknown>) => m.size > 0;
const hasSecrets = (m: Model) => any(m.secrets);
const hasApis = (m: Model) => any(m.apis);
const hasWebhooks = (m: Model) => any(m.webhooks);
const hasServices = (m: Model) => any(m.services);

export interface CategoryDef extends CategoryDecl {
  rules: string[];
}

export interface ScorecardDecl {
  id: string;
  title: string;
  categories: CategoryDecl[];
}

export interface ScorecardDef extends ScorecardDecl {
  categories: CategoryDef[];
}

/** The scorecards and their categories. Which rule counts where is declared on each policy (`scorecard`). */
export const SCORECARDS: readonly ScorecardDecl[] = [
  {
    id: "secrets",
    title: "Secrets production readiness",
    categories: [
      {
        id: "inventory",
        title: "Secrets inventoried",
        applies: (m) => hasSecrets(m) || [...m.services.values()].some((s) => (s.secrets ?? []).length > 0),
      },
      { id: "rotation", title: "Rotation procedures", applies: hasSecrets },
      { id: "incident-response", title: "Incident response playbook", applies: hasSecrets },
      { id: "access-control", title: "Access control", applies: hasSecrets },
      { id: "testing", title: "Testing procedures", applies: hasSecrets },
      // Production readiness needs a production environment: without one these fail (never n/a).
      { id: "production-mirroring", title: "Production secrets generated and mirrored" },
      { id: "production-deployed", title: "Production deployed" },
    ],
  },
  {
    id: "rate-limits",
    title: "API rate limits and client policy",
    categories: [
      { id: "budget", title: "Client budgets within provider limits", applies: hasApis },
      { id: "retries", title: "Retries with capped, jittered exponential backoff", applies: hasApis },
      { id: "circuit-breaker", title: "Circuit breakers", applies: hasApis },
      { id: "observability", title: "Client metrics", applies: hasApis },
      {
        id: "cost",
        title: "Projected cost within budget",
        applies: (m) => [...m.apis.values()].some((a) => a.cost?.monthlyBudgetUsd !== undefined),
      },
    ],
  },
  {
    id: "webhooks",
    title: "Webhook security",
    categories: [
      { id: "signature", title: "HMAC signature verification", applies: hasWebhooks },
      { id: "replay", title: "Replay protection (timestamps, idempotency)", applies: hasWebhooks },
      { id: "transport", title: "TLS 1.2 or newer", applies: hasWebhooks },
      { id: "abuse", title: "Per-source rate limits", applies: hasWebhooks },
      { id: "audit", title: "Audit log retention", applies: hasWebhooks },
    ],
  },
  {
    id: "monitoring",
    title: "Monitoring and alerting",
    categories: [
      { id: "health-checks", title: "Every service probed", applies: hasServices },
      { id: "alert-coverage", title: "Every service alerted on", applies: hasServices },
      { id: "paging", title: "Critical alerts page", applies: (m) => any(m.alerts) },
      {
        id: "channels",
        title: "Receivers provisioned",
        applies: (m) => [...m.channels.values()].some((c) => c.secret !== undefined),
      },
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

export type CategoryStatus = "pass" | "fail" | "n/a";

export interface CategoryResult {
  id: string;
  title: string;
  status: CategoryStatus;
  /** status === "pass" (kept for readers of the JSON contract). */
  passed: boolean;
  findings: FindingRef[];
}

export interface ScorecardResult {
  id: string;
  title: string;
  status: CategoryStatus;
  /** passed ÷ applicable categories, rounded; null when no category is applicable (n/a). */
  percent: number | null;
  passed: number;
  /** Applicable categories (n/a ones are left out of the denominator). */
  total: number;
  notApplicable: number;
  weight: number;
  categories: CategoryResult[];
}

/** Where a custom policy that names no scorecard is counted: its own category in this scorecard. */
export const CUSTOM_SCORECARD = { id: "custom", title: "Custom policies" } as const;

/**
 * Every policy joins a scorecard category by declaring `scorecard: { id, category }` (every built-in
 * does; a custom policy may add a category with `categoryTitle`, or a scorecard with a new id). A
 * custom policy that declares none is counted in the `custom` scorecard under its own category, so
 * an error it reports always shows in a scorecard and in --explain.
 */
export function scorecardDefs(policies: readonly Policy[]): ScorecardDef[] {
  const defs: ScorecardDef[] = SCORECARDS.map((s) => ({
    ...s,
    categories: s.categories.map((c) => ({ ...c, rules: [] })),
  }));
  for (const p of policies) {
    const at = p.scorecard ?? { id: CUSTOM_SCORECARD.id, category: p.category };
    let card = defs.find((d) => d.id === at.id);
    if (!card)
      defs.push(
        (card = { id: at.id, title: at.id === CUSTOM_SCORECARD.id ? CUSTOM_SCORECARD.title : at.id, categories: [] }),
      );
    let cat = card.categories.find((c) => c.id === at.category);
    if (!cat) card.categories.push((cat = { id: at.category, title: at.categoryTitle ?? at.category, rules: [] }));
    if (!cat.rules.includes(p.id)) cat.rules.push(p.id);
  }
  return defs;
}

/**
 * Overall score: Σ weight·(passed/total) ÷ Σ weight over the applicable scorecards with weight > 0,
 * × 100, rounded once. Scorecard percentages are rounded for display only and never fed back in.
 * null (n/a) when no scorecard is applicable.
 */
export function overallPercent(
  scorecards: readonly Pick<ScorecardResult, "passed" | "total" | "weight">[],
): number | null {
  const weighted = scorecards.filter((s) => s.total > 0 && s.weight > 0);
  const sumW = weighted.reduce((a, s) => a + s.weight, 0);
  if (sumW === 0) return null;
  return Math.round((weighted.reduce((a, s) => a + s.weight * (s.passed / s.total), 0) / sumW) * 100);
}

export function score(
  defs: readonly ScorecardDef[],
  findings: readonly Finding[],
  enabled: ReadonlySet<string>,
  weights: Record<string, number> = {},
  model?: Model,
): { percent: number | null; scorecards: ScorecardResult[] } {
  const scorecards = defs.map((def): ScorecardResult => {
    const categories = def.categories
      .filter((c) => c.rules.some((r) => enabled.has(r)))
      .map((c): CategoryResult => {
        const fs = findings.filter((f) => c.rules.includes(f.ruleId));
        const refs = fs.map((f) => ({
          ruleId: f.ruleId,
          subject: f.subject,
          severity: f.severity,
          waived: f.waived,
          message: f.message,
        }));
        // A finding always makes its category applicable (a custom policy may judge what the default predicate does not).
        const applicable = fs.length > 0 || !model || !c.applies || c.applies(model);
        const status: CategoryStatus = !applicable
          ? "n/a"
          : fs.some((f) => !f.waived && f.severity === "error")
            ? "fail"
            : "pass";
        return { id: c.id, title: c.title, status, passed: status === "pass", findings: refs };
      });
    const passed = categories.filter((c) => c.status === "pass").length;
    const total = categories.filter((c) => c.status !== "n/a").length;
    const status: CategoryStatus = total === 0 ? "n/a" : passed === total ? "pass" : "fail";
    return {
      id: def.id,
      title: def.title,
      status,
      percent: total === 0 ? null : Math.round((passed / total) * 100),
      passed,
      total,
      notApplicable: categories.length - total,
      weight: weights[def.id] ?? 1,
      categories,
    };
  });
  return { percent: overallPercent(scorecards), scorecards };
}
