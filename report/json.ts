import type { Report } from "../policies/engine.js";
import type { Comparison } from "./baseline.js";

/** The documented JSON contract; `comparison` only in PR mode. */
export function renderJson(report: Report, comparison?: Comparison): string {
  const out = {
    tool: report.tool,
    now: report.now,
    env: report.env,
    score: report.score,
    scorecards: report.scorecards.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      percent: s.percent,
      passed: s.passed,
      total: s.total,
      notApplicable: s.notApplicable,
      weight: s.weight,
      categories: s.categories,
    })),
    findings: report.findings.map(findingJson),
    summary: report.summary,
    ...(report.diagnostics ? { diagnostics: report.diagnostics } : {}),
    ...(comparison
      ? {
          comparison: {
            baseScore: comparison.base.percent,
            delta: comparison.delta,
            new: comparison.newFindings.length,
            fixed: comparison.fixed.map((f) => ({ ruleId: f.ruleId, subject: f.subject, message: f.message })),
            unchanged: comparison.unchanged.length,
          },
        }
      : {}),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** One finding, keys in the contract's order; optional keys only when set (no spread per key). */
function findingJson(f: Report["findings"][number]): Record<string, unknown> {
  const o: Record<string, unknown> = {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    subject: f.subject,
    location: f.location,
    waived: f.waived,
  };
  if (f.waiver) o.waiver = f.waiver;
  if (f.baselineState) o.baselineState = f.baselineState;
  o.fingerprint = f.fingerprint;
  if (f.date) o.date = f.date;
  return o;
}
