/**
 * `check --format prometheus`: the readiness report as gauges in the Prometheus text exposition
 * format, for node_exporter's textfile collector, so dashboards and alert rules can read the score.
 */
import { Gauge, Registry } from "prom-client";
import { METRICS } from "../model/metrics.js";
import type { Report } from "../policies/engine.js";

export async function renderPrometheus(report: Report): Promise<string> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const env = report.env ?? "all";
  const score = gauge(METRICS.readinessScore, "Overall readiness score, 0 to 100.", ["env"]);
  const card = gauge(METRICS.scorecardScore, "Readiness score of one scorecard, 0 to 100.", ["env", "scorecard"]);
  const category = gauge(
    METRICS.categoryPassed,
    "1 when the scorecard category passes, 0 when it fails; absent when not applicable.",
    ["env", "scorecard", "category", "title"],
  );
  const findings = gauge(
    METRICS.findings,
    'Findings by severity; waived findings are counted under severity="waived" only.',
    ["env", "severity"],
  );
  // Not applicable (nothing to judge) is no sample at all: 0 would read as failing, 100 as passing.
  if (report.score.percent !== null) score.set({ env }, report.score.percent);
  for (const s of report.scorecards) {
    if (s.percent !== null) card.set({ env, scorecard: s.id }, s.percent);
    for (const c of s.categories)
      if (c.status !== "n/a") category.set({ env, scorecard: s.id, category: c.id, title: c.title }, c.passed ? 1 : 0);
  }
  const { errors, warnings, notes, waived } = report.summary;
  for (const [severity, n] of [
    ["error", errors],
    ["warning", warnings],
    ["note", notes],
    ["waived", waived],
  ] as const)
    findings.set({ env, severity }, n);
  return registry.metrics();
}
