/**
 * Built-in alerts that notice when the cron probe stops: without them a dead monitor looks
 * healthy. node_exporter keeps serving the last textfile forever, so `tollgate_probe_success`
 * keeps its last value; only the run's own finish time (written by `tollgate probe --format
 * prometheus`) shows that no run has completed since. Critical: while they fire, no other probe
 * alert can. The exporter path's counterpart is in exporter-rules.ts.
 */
import { durationMs, formatDuration } from "../../model/duration.js";
import { METRICS } from "../../model/metrics.js";
import type { EnvContext } from "./context.js";
import { goTemplateLiteral, goTemplateRendered } from "./encode.js";

export const STALE_ALERT = "ProbeRunsStale";
export const MISSING_ALERT = "ProbeRunsMissing";

const seconds = (d: string) => durationMs(d) / 1000;

/** The cron path's rules (rules.yml): an old finish time, and no finish time at all for as long. */
export function stalenessRules(ctx: EnvContext) {
  const env = ctx.env;
  const lastRun = `${METRICS.lastRun}{env="${env}"}`;
  // A fresh object per rule: a shared one would be written as a YAML anchor and alias.
  const labels = () => ({ severity: "critical", env });
  return [
    {
      alert: STALE_ALERT,
      // time(), not --now: the finish time is compared with the evaluation's own clock.
      expr: `time() - max by (env) (${lastRun}) > ${seconds(ctx.staleAfter)}`,
      for: "0s",
      labels: labels(),
      annotations: {
        summary: `No probe run has completed in ${env} for more than ${ctx.staleAfter}: probe alerts there show old results`,
        description: `The probe job (cron/crontab or kubernetes/cronjobs.yaml) has stopped, hangs, or cannot write ${goTemplateLiteral(ctx.textfileDir)}/tollgate_probe_${env}.prom; node_exporter keeps serving the last file. Check the job's logs.`,
      },
    },
    {
      alert: MISSING_ALERT,
      expr: `absent(${lastRun})`,
      for: ctx.staleAfter,
      labels: labels(),
      annotations: {
        summary: `No probe run of ${env} has ever reported: the probe job is not scheduled or its textfile is not scraped`,
        description: `Prometheus has no ${METRICS.lastRun} for ${env}: install the generated cron/crontab or CronJob, and check that node_exporter reads ${goTemplateLiteral(ctx.textfileDir)}.`,
      },
    },
  ];
}

/** promtool cases: each alert fires when its condition holds long enough, and stays quiet otherwise. */
export function stalenessRuleTests(ctx: EnvContext) {
  const { test, samples, step } = staleTestKit(ctx, stalenessRules(ctx));
  const env = ctx.env;
  // Finish times that advance with each sample (seconds since the test's epoch), or stop after the first.
  const runs = (upTo: 1 | typeof samples) => (upTo === 1 ? `0 ${step}x${samples - 1}` : `0+${step}x${samples}`);
  const last = (values: string) => [{ series: `${METRICS.lastRun}{env="${env}"}`, values }];
  return [
    test("fires when runs stop completing", STALE_ALERT, last(runs(1)), true),
    test("stays quiet while runs complete", STALE_ALERT, last(runs(samples)), false),
    test(
      "fires when no run has ever reported",
      MISSING_ALERT,
      [{ series: `up{job="tollgate-probe"}`, values: `1x${samples}` }],
      true,
    ),
    test("stays quiet once runs report", MISSING_ALERT, last(runs(samples)), false),
  ];
}

interface Rule {
  alert: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * A promtool case builder: a sample at least every minute (Prometheus looks back only 5m for the
 * latest one) and three per staleAfter, evaluated once the last finish time (at the first
 * sample) is older than staleAfter.
 */
export function staleTestKit(ctx: EnvContext, rules: Rule[]) {
  const after = seconds(ctx.staleAfter);
  const step = Math.max(1, Math.min(60, Math.floor(after / 3)));
  // promtool evaluates once a minute (the test files' evaluation_interval): the first evaluation
  // that sees the last run older than staleAfter, then one more.
  const evalSeconds = Math.ceil((after + step + 1) / 60) * 60 + 60;
  const evalAt = formatDuration(evalSeconds * 1000);
  const samples = Math.ceil(evalSeconds / step) + 2;
  /** `absent()` adds its selector's equality labels (job on the exporter path): `extra`. */
  const test = (
    name: string,
    alertname: string,
    series: { series: string; values: string }[],
    fires: boolean,
    extra: Record<string, string> = {},
  ) => {
    const rule = rules.find((r) => r.alert === alertname)!;
    return {
      name: `${alertname} ${name}`,
      interval: `${step}s`,
      input_series: series,
      alert_rule_test: [
        {
          eval_time: evalAt,
          alertname,
          exp_alerts: fires
            ? [
                {
                  exp_labels: { ...extra, ...rule.labels },
                  exp_annotations: Object.fromEntries(
                    Object.entries(rule.annotations).map(([k, v]) => [k, goTemplateRendered(v)]),
                  ),
                },
              ]
            : [],
        },
      ],
    };
  };
  return { test, samples, step };
}
