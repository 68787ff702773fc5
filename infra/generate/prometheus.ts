/**
 * Prometheus recording and alerting rules from the manifests' alert rules, a promtool test file
 * with a firing and a quiet case per alert, blackbox exporter modules and a prometheus.yml.
 */
import { yamlText } from "./yaml-text.js";
import { coveredServices, effectiveAlert } from "../../model/alerts.js";
import { durationMs, formatDuration } from "../../model/duration.js";
import { METRICS, RECORDED, TOOL_STAGES } from "../../model/metrics.js";
import type { AlertT } from "../../model/schema.js";
import { servicesIn, type EnvContext } from "./context.js";
import { goTemplateLiteral } from "./encode.js";
import { readinessRule, readinessRuleTests } from "./readiness-rules.js";

export interface GeneratedAlert {
  name: string;
  alert: AlertT;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** For tests: a label set that matches, and the metric that drives it. */
  sample: Record<string, string>;
}

const TREND_WINDOWS = ["1h", "24h", "7d", "30d"] as const;
const sel = (labels: Record<string, string>) => `{${Object.entries(labels).map(([k, v]) => (v.startsWith("~") ? `${k}=~"${v.slice(1)}"` : `${k}="${v}"`)).join(",")}}`;

export function recordingRules(ctx: EnvContext) {
  const env = { env: ctx.env };
  return [
    ...TREND_WINDOWS.map((w) => ({ record: RECORDED.successRatio(w), expr: `avg_over_time(${METRICS.success}${sel(env)}[${w}])` })),
    ...(["p50", "p95", "p99"] as const).map((q) => ({ record: RECORDED.latency(q), expr: `quantile_over_time(0.${q.slice(1)}, ${METRICS.duration}${sel(env)}[1h])` })),
    { record: RECORDED.rateLimitedRatio, expr: `avg_over_time(${METRICS.rateLimited}${sel(env)}[1h])` },
  ];
}

const alertsCache = new WeakMap<EnvContext, GeneratedAlert[]>();

/** The environment's generated alerts, made once per context (rules, their tests and the stack's count all ask). */
export function alertsFor(ctx: EnvContext): readonly GeneratedAlert[] {
  let list = alertsCache.get(ctx);
  if (!list) alertsCache.set(ctx, (list = generateAlerts(ctx)));
  return list;
}

function generateAlerts(ctx: EnvContext): GeneratedAlert[] {
  const { model, env } = ctx;
  const present = new Set(servicesIn(ctx));
  const out: GeneratedAlert[] = [];
  for (const name of model.alerts.keys()) {
    const a = effectiveAlert(model, name, env);
    if (!a) continue;
    const services = coveredServices(model, a).filter((s) => present.has(s));
    const covered = new Set(services);
    const apis = [...model.apis].filter(([, api]) => covered.has(api.service) && api.cost).map(([n]) => n);
    const first = services[0];
    const svcSel = (list: string[]) => ({ env, service: `~${list.join("|")}` });
    const kindOf = (s: string) => model.services.get(s)!.kind;
    let expr: string;
    let sample: Record<string, string>;
    let summary: string;
    switch (a.condition) {
      case "probe-failing":
        if (!first) continue;
        expr = `${METRICS.success}${sel(svcSel(services))} == 0`;
        sample = { env, service: first, kind: kindOf(first) };
        summary = `{{ $labels.service }} is failing its probe in ${env}`;
        break;
      case "mcp-tool-failing": {
        const mcp = services.filter((s) => kindOf(s) === "mcp");
        if (!mcp[0]) continue;
        expr = `${METRICS.failedStage}${sel({ ...svcSel(mcp), stage: `~${TOOL_STAGES.join("|")}` })} == 1`;
        sample = { env, service: mcp[0], kind: "mcp", stage: "tool-error" };
        summary = `{{ $labels.service }} answers but its tools fail ({{ $labels.stage }}) in ${env}`;
        break;
      }
      case "latency-p95-above":
        if (!first) continue;
        expr = `${RECORDED.latency("p95")}${sel(svcSel(services))} > ${(a.threshold ?? 1000) / 1000}`;
        sample = { env, service: first, kind: kindOf(first) };
        summary = `{{ $labels.service }} P95 probe latency is above ${a.threshold ?? 1000} ms in ${env}`;
        break;
      case "success-rate-below":
        if (!first) continue;
        expr = `${RECORDED.successRatio("1h")}${sel(svcSel(services))} < ${a.threshold ?? 0.99}`;
        sample = { env, service: first, kind: kindOf(first) };
        summary = `{{ $labels.service }} probe success rate is below ${(a.threshold ?? 0.99) * 100}% in ${env}`;
        break;
      case "rate-limited-ratio-above":
        if (!first) continue;
        expr = `${RECORDED.rateLimitedRatio}${sel(svcSel(services))} > ${a.threshold ?? 0.05}`;
        sample = { env, service: first, kind: kindOf(first) };
        summary = `{{ $labels.service }} is rate limited (429) in more than ${(a.threshold ?? 0.05) * 100}% of probes in ${env}`;
        break;
      case "cost-over-budget":
        if (!apis[0]) continue;
        expr = `${METRICS.projectedCost}${sel(svcSel(apis))} > on(env, service) ${METRICS.budget}${sel({ env })}`;
        sample = { env, service: apis[0] };
        summary = `{{ $labels.service }} projected monthly cost is over budget in ${env}`;
        break;
      case "secret-rotation-due":
        expr = `${METRICS.rotationDueDays}${sel({ env })} >= 0 and ${METRICS.rotationDueDays}${sel({ env })} <= ${a.threshold ?? 14}`;
        sample = { env, secret: sampleSecret(ctx), service: sampleSecretService(ctx) };
        summary = `{{ $labels.secret }} is due for rotation within ${a.threshold ?? 14} days in ${env}`;
        break;
      case "secret-rotation-overdue":
        expr = `${METRICS.rotationDueDays}${sel({ env })} < 0`;
        sample = { env, secret: sampleSecret(ctx), service: sampleSecretService(ctx) };
        summary = `{{ $labels.secret }} is overdue for rotation in ${env}`;
        break;
    }
    // Annotations are Go templates: text from the manifests is made literal (encode.ts), so it reads as written.
    const annotations: Record<string, string> = { summary, ...(a.description ? { description: goTemplateLiteral(a.description.trim()) } : {}), ...(a.runbook ? { runbook_url: goTemplateLiteral(a.runbook) } : {}) };
    out.push({ name, alert: a, expr, labels: { severity: a.severity, env }, annotations, sample });
  }
  return out;
}

function sampleSecret(ctx: EnvContext): string {
  return [...ctx.model.secrets.keys()][0] ?? "EXAMPLE_SECRET";
}
function sampleSecretService(ctx: EnvContext): string {
  return [...ctx.model.secrets.values()][0]?.service ?? "example";
}

export function rulesFile(ctx: EnvContext): string {
  const doc = {
    groups: [
      { name: `tollgate-recording-${ctx.env}`, interval: ctx.evaluationInterval, rules: recordingRules(ctx) },
      {
        name: `tollgate-alerts-${ctx.env}`,
        interval: ctx.evaluationInterval,
        rules: [...alertsFor(ctx).map((g) => ({ alert: g.name, expr: g.expr, for: g.alert.for, labels: g.labels, annotations: g.annotations })), readinessRule(ctx)],
      },
    ],
  };
  return `# Generated by tollgate synth for environment "${ctx.env}". Edit the manifests, not this file.\n${yamlText(doc)}`;
}

/** Renders the two actions these templates hold (`{{ $labels.x }}` and the literal `{{ "{{" }}`) as Prometheus would, for test expectations. */
function render(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{ \$labels\.([a-z_]+) \}\}|\{\{ "\{\{" \}\}/g, (m, k: string | undefined) => (k === undefined ? "{{" : labels[k] ?? ""));
}

interface Case {
  series: { series: string; values: string }[];
  fires: boolean;
}

function cases(g: GeneratedAlert): [Case, Case] {
  const s = g.sample;
  const l = (metric: string, extra: Record<string, string> = {}) => `${metric}${sel({ ...s, ...extra })}`;
  const t = g.alert.threshold;
  const series = (metric: string, v: number | string, extra: Record<string, string> = {}) => ({ series: l(metric, extra), values: `${v}x90` });
  switch (g.alert.condition) {
    case "probe-failing":
      return [{ series: [series(METRICS.success, 0)], fires: true }, { series: [series(METRICS.success, 1)], fires: false }];
    case "mcp-tool-failing":
      return [{ series: [series(METRICS.failedStage, 1)], fires: true }, { series: [series(METRICS.failedStage, 1, { stage: "connect" })], fires: false }];
    case "latency-p95-above":
      return [{ series: [series(METRICS.duration, ((t ?? 1000) * 2) / 1000)], fires: true }, { series: [series(METRICS.duration, ((t ?? 1000) / 2) / 1000)], fires: false }];
    case "success-rate-below":
      return [{ series: [series(METRICS.success, 0)], fires: true }, { series: [series(METRICS.success, 1)], fires: false }];
    case "rate-limited-ratio-above":
      return [{ series: [series(METRICS.rateLimited, 1)], fires: true }, { series: [series(METRICS.rateLimited, 0)], fires: false }];
    case "cost-over-budget":
      return [
        { series: [series(METRICS.projectedCost, 900), series(METRICS.budget, 750)], fires: true },
        { series: [series(METRICS.projectedCost, 600), series(METRICS.budget, 750)], fires: false },
      ];
    case "secret-rotation-due":
      return [{ series: [series(METRICS.rotationDueDays, Math.max(0, (t ?? 14) - 1))], fires: true }, { series: [series(METRICS.rotationDueDays, (t ?? 14) + 30)], fires: false }];
    case "secret-rotation-overdue":
      return [{ series: [series(METRICS.rotationDueDays, -3)], fires: true }, { series: [series(METRICS.rotationDueDays, 10)], fires: false }];
  }
}

/** A promtool test file: for every alert, one case where it fires and one where it stays quiet. */
export function ruleTestsFile(ctx: EnvContext, rulesFileName: string): string {
  const tests = alertsFor(ctx).flatMap((g) => {
    const evalMs = durationMs(g.alert.for) + 5 * 60_000;
    const evalTime = formatDuration(evalMs);
    return cases(g).map((c) => ({
      name: `${g.name} ${c.fires ? "fires" : "stays quiet"} (${g.alert.condition})`,
      interval: "1m",
      input_series: c.series,
      alert_rule_test: [
        {
          eval_time: evalTime,
          alertname: g.name,
          exp_alerts: c.fires
            ? [{ exp_labels: { ...g.sample, ...g.labels }, exp_annotations: Object.fromEntries(Object.entries(g.annotations).map(([k, v]) => [k, render(v, g.sample)])) }]
            : [],
        },
      ],
    }));
  });
  const doc = { rule_files: [rulesFileName], evaluation_interval: "1m", tests: [...tests, ...readinessRuleTests(ctx)] };
  return `# Generated by tollgate synth: run with  promtool test rules ${rulesFileName.replace(/\.yml$/, ".test.yml")}\n${yamlText(doc)}`;
}

/** Blackbox exporter modules for teams that probe continuously with Prometheus. */
export function blackboxConfig(ctx: EnvContext): string {
  const modules: Record<string, unknown> = {};
  for (const name of servicesIn(ctx)) {
    const s = ctx.model.services.get(name)!;
    const ep = s.endpoints[ctx.env]!;
    const target = ep.health ?? ep.url;
    if (!target || !/^https?:\/\//.test(target)) continue;
    const status = s.healthCheck?.expect?.status;
    modules[`tollgate_${name.replace(/-/g, "_")}`] = {
      prober: "http",
      timeout: s.healthCheck?.timeout ?? "5s",
      http: {
        method: "GET",
        preferred_ip_protocol: "ip4",
        valid_status_codes: status === undefined ? [] : Array.isArray(status) ? status : [status],
        follow_redirects: (s.healthCheck?.maxRedirects ?? 5) > 0,
        fail_if_not_ssl: target.startsWith("https://"),
        tls_config: { min_version: "TLS12" },
        ...(s.healthCheck?.expect?.bodyMatches ? { fail_if_body_not_matches_regexp: [s.healthCheck.expect.bodyMatches] } : {}),
      },
    };
  }
  return `# Generated by tollgate synth for environment "${ctx.env}": blackbox_exporter modules.\n${yamlText({ modules })}`;
}

export function blackboxTargets(ctx: EnvContext): { module: string; target: string; service: string }[] {
  const out: { module: string; target: string; service: string }[] = [];
  for (const name of servicesIn(ctx)) {
    const ep = ctx.model.services.get(name)!.endpoints[ctx.env]!;
    const target = ep.health ?? ep.url;
    if (target && /^https?:\/\//.test(target)) out.push({ module: `tollgate_${name.replace(/-/g, "_")}`, target, service: name });
  }
  return out;
}

/** The blackbox multi-target scrape job; the cron and the exporter configs both carry it. */
export function blackboxJob(ctx: EnvContext, bb: ReturnType<typeof blackboxTargets>) {
  return {
    job_name: "tollgate-blackbox",
    metrics_path: "/probe",
    static_configs: bb.map((t) => ({ targets: [t.target], labels: { module: t.module, service: t.service, env: ctx.env } })),
    relabel_configs: [
      { source_labels: ["__address__"], target_label: "__param_target" },
      { source_labels: ["module"], target_label: "__param_module" },
      { source_labels: ["__param_target"], target_label: "instance" },
      { target_label: "__address__", replacement: ctx.blackboxExporter },
    ],
  };
}

/** A complete prometheus.yml: the probe textfile via node_exporter, blackbox targets, rules, Alertmanager. */
export function prometheusConfig(ctx: EnvContext, rulesFileName: string): string {
  const bb = blackboxTargets(ctx);
  const doc = {
    global: { scrape_interval: ctx.scrapeInterval, evaluation_interval: ctx.evaluationInterval, external_labels: { tollgate_env: ctx.env } },
    rule_files: [rulesFileName],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [ctx.alertmanager] }] }] },
    scrape_configs: [
      { job_name: "tollgate-probe", honor_labels: true, static_configs: [{ targets: [ctx.nodeExporter] }] },
      ...(bb.length ? [blackboxJob(ctx, bb)] : []),
    ],
  };
  return `# Generated by tollgate synth for environment "${ctx.env}".\n${yamlText(doc)}`;
}
