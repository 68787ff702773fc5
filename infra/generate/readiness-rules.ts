/**
 * A built-in alert on the readiness gauges the daily `check --format prometheus` job writes: the
 * score fell below what it was a day earlier. Warning severity (Slack and email, never a page).
 */
import { METRICS } from "../../model/metrics.js";
import type { EnvContext } from "./context.js";

export const READINESS_ALERT = "ReadinessScoreDropped";

export function readinessRule(ctx: EnvContext) {
  const score = `${METRICS.readinessScore}{env="${ctx.env}"}`;
  return {
    alert: READINESS_ALERT,
    expr: `${score} < ${score} offset 1d`,
    for: "0s",
    labels: { severity: "warning", env: ctx.env },
    annotations: {
      summary: `Readiness score in ${ctx.env} dropped below yesterday's`,
      description: `The daily tollgate check scored ${ctx.env} lower than the day before. Run tollgate check --env ${ctx.env} --base <yesterday's commit> to see the new findings.`,
    },
  };
}

/** promtool cases: fires after a drop from 90 to 70, stays quiet while the score holds. */
export function readinessRuleTests(ctx: EnvContext) {
  const rule = readinessRule(ctx);
  const series = (values: string) => [{ series: `${METRICS.readinessScore}{env="${ctx.env}"}`, values }];
  const test = (name: string, values: string, fires: boolean) => ({
    name: `${READINESS_ALERT} ${name}`,
    interval: "10m",
    input_series: series(values),
    alert_rule_test: [
      {
        eval_time: "25h",
        alertname: READINESS_ALERT,
        exp_alerts: fires ? [{ exp_labels: { ...rule.labels }, exp_annotations: rule.annotations }] : [],
      },
    ],
  });
  return [
    test("fires after the score drops", "90x144 70x12", true),
    test("stays quiet while the score holds", "80x156", false),
  ];
}
