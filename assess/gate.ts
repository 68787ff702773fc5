/**
 * The CI readiness gate: turns a report (and, in PR mode, its comparison with a base) into pass
 * or fail with reasons. Also the production gate that `synth --env production` enforces.
 */
import type { Report } from "../policies/engine.js";
import type { Comparison } from "../report/baseline.js";
import { plural } from "../util/plural.js";

export interface GateOptions {
  failOn: "error" | "warning" | "never";
  minScore?: number;
  failOnNew?: boolean;
  maxDrop?: number;
}

export interface GateResult {
  passed: boolean;
  reasons: string[];
}

export function gate(
  report: Pick<Report, "summary" | "score">,
  opts: GateOptions,
  comparison?: Comparison,
): GateResult {
  const reasons: string[] = [];
  const { errors, warnings } = report.summary;
  if (opts.failOn === "error" && errors > 0)
    reasons.push(`${errors} error finding${errors === 1 ? "" : "s"} (--fail-on error)`);
  if (opts.failOn === "warning" && errors + warnings > 0)
    reasons.push(`${plural(errors, "error")} and ${plural(warnings, "warning")} (--fail-on warning)`);
  if (opts.minScore !== undefined && (report.score.percent === null || report.score.percent < opts.minScore))
    reasons.push(
      report.score.percent === null
        ? `no scorecard is applicable, so no score meets --min-score ${opts.minScore}`
        : `score ${report.score.percent}% is below --min-score ${opts.minScore}`,
    );
  if (comparison) {
    if (opts.failOnNew && comparison.newFindings.length > 0)
      reasons.push(
        `${comparison.newFindings.length} new finding${comparison.newFindings.length === 1 ? "" : "s"} (--fail-on-new)`,
      );
    if (opts.maxDrop !== undefined && -comparison.delta > opts.maxDrop)
      reasons.push(`score dropped ${-comparison.delta} points, more than --max-drop ${opts.maxDrop}`);
  }
  return { passed: reasons.length === 0, reasons };
}

export interface ProductionGateResult {
  passed: boolean;
  failing: { scorecard: string; category: string; title: string; findings: number }[];
}

/**
 * Production config is only synthesized when the named scorecards pass in full. A name the report
 * has no scorecard for fails too: a misspelt `gate.production.scorecards` must not open the gate
 * by judging nothing.
 */
export function productionGate(report: Report, scorecards: readonly string[]): ProductionGateResult {
  const known = new Set(report.scorecards.map((s) => s.id));
  const unknown = scorecards
    .filter((id) => !known.has(id))
    .map((id) => ({
      scorecard: id,
      category: "unknown",
      title: `no scorecard named ${id} (gate.production.scorecards)`,
      findings: 0,
    }));
  const failing = report.scorecards
    .filter((s) => scorecards.includes(s.id))
    .flatMap((s) =>
      s.categories
        .filter((c) => c.status === "fail")
        .map((c) => ({
          scorecard: s.id,
          category: c.id,
          title: c.title,
          findings: c.findings.filter((f) => !f.waived && f.severity === "error").length,
        })),
    );
  return { passed: failing.length + unknown.length === 0, failing: [...unknown, ...failing] };
}
