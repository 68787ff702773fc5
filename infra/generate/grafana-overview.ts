/**
 * The overview row: services up/down, firing alerts, readiness score and failing categories (from
 * `check --format prometheus`), secrets overdue and due soon (from `forecast --format prometheus`).
 */
import { ALERT_CONDITIONS } from "./alert-conditions.js";
import { METRICS } from "../../model/metrics.js";
import type { EnvContext } from "./context.js";
import {
  GREEN,
  ORANGE,
  RED,
  SERVICE_VAR,
  instant,
  runbooksFor,
  sel,
  thresholdFor,
  type PanelSpec,
  type RowSpec,
} from "./grafana-queries.js";

/** Prometheus' own series of active alerts: Tollgate's alert rules (rules.yml) populate it. */
export const ALERTS_METRIC = "ALERTS";

const stat = (
  title: string,
  description: string,
  expr: string,
  steps: PanelSpec["steps"],
  unit = "none",
): PanelSpec => ({
  kind: "stat",
  title,
  description,
  unit,
  width: 3,
  height: 4,
  queries: [instant(expr, title)],
  steps,
});
const zeroIsGood = [
  { value: null, color: GREEN },
  { value: 1, color: RED },
];

export function overviewRow(ctx: EnvContext): RowSpec {
  const env = sel({ env: ctx.env });
  const probed = `${METRICS.success}{env="${ctx.env}",service=~"${SERVICE_VAR}"}`;
  const firing = `${ALERTS_METRIC}${sel({ alertstate: "firing", env: ctx.env })}`;
  const due = `${METRICS.rotationDueDays}${env}`;
  const window = thresholdFor(ctx, "secret-rotation-due") ?? ALERT_CONDITIONS["secret-rotation-due"].defaultThreshold!;
  const category = `${METRICS.categoryPassed}${env}`;
  const panels: PanelSpec[] = [
    stat("Services up", "Services whose last probe passed every stage.", `count(${probed} == 1) or vector(0)`, [
      { value: null, color: GREEN },
    ]),
    stat(
      "Services down",
      "Services whose last probe failed or was skipped (a parent is down).",
      `count(${probed} == 0) or vector(0)`,
      zeroIsGood,
    ),
    stat(
      "Firing alerts",
      "Tollgate alert rules firing in Prometheus now.",
      `count(${firing}) or vector(0)`,
      zeroIsGood,
    ),
    stat(
      "Readiness score",
      "Overall readiness score from the daily `tollgate check`.",
      `${METRICS.readinessScore}${env}`,
      [
        { value: null, color: RED },
        { value: 50, color: ORANGE },
        { value: 80, color: GREEN },
      ],
      "percent",
    ),
    stat(
      "Failing categories",
      "Scorecard categories failing in the daily `tollgate check`.",
      `count(${category} == 0) or vector(0)`,
      zeroIsGood,
    ),
    stat(
      "Open errors",
      "Unwaived error findings in the daily `tollgate check`.",
      `${METRICS.findings}${sel({ env: ctx.env, severity: "error" })}`,
      zeroIsGood,
    ),
    stat(
      "Secrets overdue",
      "Secrets past their rotation date (tollgate forecast).",
      `count(${due} < 0) or vector(0)`,
      zeroIsGood,
    ),
    stat(
      `Secrets due in ${window} days`,
      "Secrets entering their rotation window (tollgate forecast).",
      `count(${due} >= 0 and ${due} <= ${window}) or vector(0)`,
      [
        { value: null, color: GREEN },
        { value: 1, color: ORANGE },
      ],
    ),
    {
      kind: "table",
      title: "Service status",
      description: "Result of each service's last probe.",
      unit: "none",
      width: 8,
      height: 8,
      queries: [instant(probed, "{{service}}")],
      steps: [
        { value: null, color: RED },
        { value: 1, color: GREEN },
      ],
      mappings: [
        { value: "1", text: "UP", color: GREEN },
        { value: "0", text: "DOWN", color: RED },
      ],
    },
    {
      kind: "table",
      title: "Firing alerts",
      description: "Alerts firing now, with severity and service.",
      unit: "none",
      width: 8,
      height: 8,
      queries: [instant(`sum by (alertname, severity, service) (${firing})`, "{{alertname}} {{service}}")],
      steps: [{ value: null, color: RED }],
    },
    {
      kind: "table",
      title: "Failing readiness categories",
      description: "Scorecard categories that fail (fix the findings, or waive them with an owner and expiry).",
      unit: "none",
      width: 8,
      height: 8,
      queries: [instant(`${category} == 0`, "{{scorecard}}: {{title}}")],
      steps: [{ value: null, color: RED }],
    },
    {
      kind: "bargauge",
      title: "Scorecards",
      description: "Each scorecard's share of passing categories.",
      unit: "percent",
      width: 12,
      height: 8,
      min: 0,
      max: 100,
      queries: [instant(`${METRICS.scorecardScore}${env}`, "{{scorecard}}")],
      steps: [
        { value: null, color: RED },
        { value: 50, color: ORANGE },
        { value: 100, color: GREEN },
      ],
    },
    {
      kind: "bargauge",
      title: "Days until secret rotation is due",
      description: `Negative when overdue; orange inside the ${window}-day window.`,
      unit: "d",
      width: 12,
      height: 8,
      queries: [instant(due, "{{secret}}")],
      steps: [
        { value: null, color: RED },
        { value: 0, color: ORANGE },
        { value: window + 1, color: GREEN },
      ],
      links: runbooksFor(ctx, undefined, ["secret-rotation-due", "secret-rotation-overdue"]),
    },
  ];
  return { title: "Overview", panels };
}
