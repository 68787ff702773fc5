/**
 * One table for the alert conditions a manifest may name: per condition its default threshold,
 * which covered services it judges, the PromQL, a matching label set, the summary, and one firing
 * and one quiet promtool case. Rules, rule tests and the Grafana thresholds all read it.
 */
import { CLIENT_METRICS, METRICS, RECORDED, TOOL_STAGES } from "../../model/metrics.js";
import type { AlertT } from "../../model/schema.js";
import { DEFAULT_ROTATION_WINDOW_DAYS } from "../../model/rotation-window.js";

type Condition = AlertT["condition"];
type Labels = Record<string, string>;

/** What a condition is built from: the environment and the covered services/APIs present in it. */
export interface ConditionInput {
  env: string;
  threshold: number | undefined;
  services: string[];
  /** Covered APIs with a declared cost, judged by declared volume × unit price (tollgate forecast). */
  apis: string[];
  /** Covered APIs with a declared cost whose client is metered here: judged by @tollgate/client's spend. */
  meteredApis?: string[];
  kindOf: (service: string) => string;
  secret: { name: string; service: string };
}

export interface Built {
  expr: string;
  sample: Labels;
  summary: string;
  /** Which kind of input the sample is (cost-over-budget: a metered API), for the promtool cases. */
  variant?: "metered";
}

export interface Case {
  series: { series: string; values: string }[];
  fires: boolean;
}

interface ConditionSpec {
  /** Used when the manifest's alert gives no threshold. */
  defaultThreshold?: number;
  /** undefined: nothing in this environment to judge, so no rule. */
  build(i: ConditionInput, t: number): Built | undefined;
  /** One case that fires and one that stays quiet; `series(metric, value, extra labels)` adds the sample's labels; a value with `x` is a whole promtool series (`0+50x90`). */
  cases(
    series: (metric: string, v: number | string, extra?: Labels) => Case["series"][number],
    t: number,
    built: Pick<Built, "sample" | "variant">,
  ): [Case, Case];
}

export const sel = (labels: Labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => (v.startsWith("~") ? `${k}=~"${v.slice(1)}"` : `${k}="${v}"`))
    .join(",")}}`;
const svcSel = (env: string, list: string[]) => ({ env, service: `~${list.join("|")}` });
const first = (i: ConditionInput) => i.services[0];
const onFirst = (i: ConditionInput, expr: string, summary: string): Built | undefined => {
  const s = first(i);
  return s === undefined ? undefined : { expr, sample: { env: i.env, service: s, kind: i.kindOf(s) }, summary };
};
/** Seconds in the 30-day month the budget is declared for. */
const MONTH_SECONDS = 30 * 24 * 3600;

/**
 * Metered monthly spend per API as `{env, api, service}` (service = api, to match the budget): the larger of what was spent in the last
 * 30 days and the last day's rate projected over a month (so a runaway shows within a day, and a
 * fresh series is not judged by the little it has seen). Replicas are summed.
 */
export function meteredSpend(env: string, apis: string[]): string {
  const s = `${CLIENT_METRICS.spendUsd}${sel({ env, api: `~${apis.join("|")}` })}`;
  const spent = `sum by (env, api) (increase(${s}[30d]))`;
  const projected = `sum by (env, api) (rate(${s}[1d])) * ${MONTH_SECONDS}`;
  return `label_replace((${spent} > ${projected}) or ${projected}, "service", "$1", "api", "(.+)")`;
}
const pair = (fire: Case["series"], quiet: Case["series"]): [Case, Case] => [
  { series: fire, fires: true },
  { series: quiet, fires: false },
];

export const ALERT_CONDITIONS: Record<Condition, ConditionSpec> = {
  "probe-failing": {
    build: (i) =>
      onFirst(
        i,
        `${METRICS.success}${sel(svcSel(i.env, i.services))} == 0`,
        `{{ $labels.service }} is failing its probe in ${i.env}`,
      ),
    cases: (s) => pair([s(METRICS.success, 0)], [s(METRICS.success, 1)]),
  },
  "mcp-tool-failing": {
    build(i) {
      const mcp = i.services.filter((s) => i.kindOf(s) === "mcp");
      if (!mcp[0]) return undefined;
      return {
        expr: `${METRICS.failedStage}${sel({ ...svcSel(i.env, mcp), stage: `~${TOOL_STAGES.join("|")}` })} == 1`,
        sample: { env: i.env, service: mcp[0], kind: "mcp", stage: "tool-error" },
        summary: `{{ $labels.service }} answers but its tools fail ({{ $labels.stage }}) in ${i.env}`,
      };
    },
    cases: (s) => pair([s(METRICS.failedStage, 1)], [s(METRICS.failedStage, 1, { stage: "connect" })]),
  },
  "latency-p95-above": {
    defaultThreshold: 1000,
    build: (i, t) =>
      onFirst(
        i,
        `${RECORDED.latency("p95")}${sel(svcSel(i.env, i.services))} > ${t / 1000}`,
        `{{ $labels.service }} P95 probe latency is above ${t} ms in ${i.env}`,
      ),
    cases: (s, t) => pair([s(METRICS.duration, (t * 2) / 1000)], [s(METRICS.duration, t / 2 / 1000)]),
  },
  "success-rate-below": {
    defaultThreshold: 0.99,
    build: (i, t) =>
      onFirst(
        i,
        `${RECORDED.successRatio("1h")}${sel(svcSel(i.env, i.services))} < ${t}`,
        `{{ $labels.service }} probe success rate is below ${t * 100}% in ${i.env}`,
      ),
    cases: (s) => pair([s(METRICS.success, 0)], [s(METRICS.success, 1)]),
  },
  "rate-limited-ratio-above": {
    defaultThreshold: 0.05,
    build: (i, t) =>
      onFirst(
        i,
        `${RECORDED.rateLimitedRatio}${sel(svcSel(i.env, i.services))} > ${t}`,
        `{{ $labels.service }} is rate limited (429) in more than ${t * 100}% of probes in ${i.env}`,
      ),
    cases: (s) => pair([s(METRICS.rateLimited, 1)], [s(METRICS.rateLimited, 0)]),
  },
  "cost-over-budget": {
    build(i) {
      const metered = i.meteredApis ?? [];
      const budget = `${METRICS.budget}${sel({ env: i.env })}`;
      const parts: string[] = [];
      if (i.apis[0]) parts.push(`${METRICS.projectedCost}${sel(svcSel(i.env, i.apis))} > on(env, service) ${budget}`);
      if (metered[0]) parts.push(`${meteredSpend(i.env, metered)} > on(env, service) ${budget}`);
      if (!parts[0]) return undefined;
      // A metered API is the sample when there is one: its case then proves the metered expression.
      const sample: Labels = { env: i.env, service: metered[0] ?? i.apis[0]! };
      return {
        expr: parts.length === 1 ? parts[0]! : parts.map((p) => `(${p})`).join(" or "),
        sample,
        summary: `{{ $labels.service }} ${metered[0] && !i.apis[0] ? "metered" : "projected"} monthly cost is over budget in ${i.env}`,
        ...(metered[0] ? { variant: "metered" as const } : {}),
      };
    },
    // Metered: 50 USD spent within the hour projects to 36,000 USD a month; 0.5 USD to 360.
    cases: (s, _t, { sample, variant }) =>
      variant === "metered"
        ? pair(
            [s(METRICS.budget, 750), s(CLIENT_METRICS.spendUsd, "0+50x90", { api: sample.service! })],
            [s(METRICS.budget, 750), s(CLIENT_METRICS.spendUsd, "0+0.5x90", { api: sample.service! })],
          )
        : pair(
            [s(METRICS.projectedCost, 900), s(METRICS.budget, 750)],
            [s(METRICS.projectedCost, 600), s(METRICS.budget, 750)],
          ),
  },
  "secret-rotation-due": {
    defaultThreshold: DEFAULT_ROTATION_WINDOW_DAYS,
    build: (i, t) => ({
      expr: `${METRICS.rotationDueDays}${sel({ env: i.env })} >= 0 and ${METRICS.rotationDueDays}${sel({ env: i.env })} <= ${t}`,
      sample: { env: i.env, secret: i.secret.name, service: i.secret.service },
      summary: `{{ $labels.secret }} is due for rotation within ${t} days in ${i.env}`,
    }),
    cases: (s, t) => pair([s(METRICS.rotationDueDays, Math.max(0, t - 1))], [s(METRICS.rotationDueDays, t + 30)]),
  },
  "secret-rotation-overdue": {
    build: (i) => ({
      expr: `${METRICS.rotationDueDays}${sel({ env: i.env })} < 0`,
      sample: { env: i.env, secret: i.secret.name, service: i.secret.service },
      summary: `{{ $labels.secret }} is overdue for rotation in ${i.env}`,
    }),
    cases: (s) => pair([s(METRICS.rotationDueDays, -3)], [s(METRICS.rotationDueDays, 10)]),
  },
};

/** The threshold an alert rule uses: its own, else its condition's default (NaN where none applies). */
export function thresholdOf(alert: Pick<AlertT, "condition" | "threshold">): number {
  return alert.threshold ?? ALERT_CONDITIONS[alert.condition].defaultThreshold ?? Number.NaN;
}
