/**
 * Prometheus recording and alerting rules from the manifests' alert rules, a promtool test file
 * with a firing and a quiet case per alert, blackbox exporter modules and a prometheus.yml.
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: rules, their promtool tests, blackbox modules and the scrape config share the environment's targets; the alert conditions are a table of their own (alert-conditions.ts).
 */
import { yamlText } from "./yaml-text.js";
import { coveredServices, effectiveAlert } from "../../model/alerts.js";
import { durationMs, formatDuration } from "../../model/duration.js";
import { METRICS, RECORDED } from "../../model/metrics.js";
import { ALERT_CONDITIONS, sel, thresholdOf, type Built, type Case } from "./alert-conditions.js";
import type { AlertT } from "../../model/schema.js";
import { servicesIn, type EnvContext } from "./context.js";
import { goTemplateLiteral } from "./encode.js";
import { readinessRule, readinessRuleTests } from "./readiness-rules.js";
import { clientMetricsEndpoints, meteredApis } from "./client-apis.js";
import { stalenessRuleTests, stalenessRules } from "./staleness-rules.js";

export interface GeneratedAlert {
  name: string;
  alert: AlertT;
  expr: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** For tests: a label set that matches, and the metric that drives it. */
  sample: Record<string, string>;
  variant?: Built["variant"];
}

const TREND_WINDOWS = ["1h", "24h", "7d", "30d"] as const;

export function recordingRules(ctx: EnvContext) {
  const env = { env: ctx.env };
  return [
    ...TREND_WINDOWS.map((w) => ({
      record: RECORDED.successRatio(w),
      expr: `avg_over_time(${METRICS.success}${sel(env)}[${w}])`,
    })),
    ...(["p50", "p95", "p99"] as const).map((q) => ({
      record: RECORDED.latency(q),
      expr: `quantile_over_time(0.${q.slice(1)}, ${METRICS.duration}${sel(env)}[1h])`,
    })),
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
  const secret = { name: sampleSecret(ctx), service: sampleSecretService(ctx) };
  const out: GeneratedAlert[] = [];
  for (const name of model.alerts.keys()) {
    const a = effectiveAlert(model, name, env);
    if (!a) continue;
    const services = coveredServices(model, a).filter((s) => present.has(s));
    const covered = new Set(services);
    const costed = [...model.apis].filter(([, api]) => covered.has(api.service) && api.cost).map(([n]) => n);
    const metered = new Set(meteredApis(model, env));
    const apis = costed.filter((n) => !metered.has(n));
    const kindOf = (s: string) => model.services.get(s)!.kind;
    const built = ALERT_CONDITIONS[a.condition].build(
      {
        env,
        threshold: a.threshold,
        services,
        apis,
        meteredApis: costed.filter((n) => metered.has(n)),
        kindOf,
        secret,
      },
      thresholdOf(a),
    );
    if (!built) continue;
    const { expr, sample, summary, variant } = built;
    // Annotations are Go templates: text from the manifests is made literal (encode.ts), so it reads as written.
    const annotations: Record<string, string> = {
      summary,
      ...(a.description ? { description: goTemplateLiteral(a.description.trim()) } : {}),
      ...(a.runbook ? { runbook_url: goTemplateLiteral(a.runbook) } : {}),
    };
    out.push({
      name,
      alert: a,
      expr,
      labels: { severity: a.severity, env },
      annotations,
      sample,
      ...(variant ? { variant } : {}),
    });
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
        rules: [
          ...alertsFor(ctx).map((g) => ({
            alert: g.name,
            expr: g.expr,
            for: g.alert.for,
            labels: g.labels,
            annotations: g.annotations,
          })),
          readinessRule(ctx),
          // The exporter path's staleness alert lives in exporter-rules.yml: this file is loaded there too.
          ...(ctx.exporter ? [] : stalenessRules(ctx)),
        ],
      },
    ],
  };
  return `# Generated by tollgate synth for environment "${ctx.env}". Edit the manifests, not this file.\n${yamlText(doc)}`;
}

/** Renders the two actions these templates hold (`{{ $labels.x }}` and the literal `{{ "{{" }}`) as Prometheus would, for test expectations. */
function render(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{ \$labels\.([a-z_]+) \}\}|\{\{ "\{\{" \}\}/g, (m, k: string | undefined) =>
    k === undefined ? "{{" : (labels[k] ?? ""),
  );
}

function cases(g: GeneratedAlert): [Case, Case] {
  const series = (metric: string, v: number | string, extra: Record<string, string> = {}) => ({
    series: `${metric}${sel({ ...g.sample, ...extra })}`,
    values: typeof v === "string" && v.includes("x") ? v : `${v}x90`,
  });
  return ALERT_CONDITIONS[g.alert.condition].cases(series, thresholdOf(g.alert), g);
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
            ? [
                {
                  exp_labels: { ...g.sample, ...g.labels },
                  exp_annotations: Object.fromEntries(
                    Object.entries(g.annotations).map(([k, v]) => [k, render(v, g.sample)]),
                  ),
                },
              ]
            : [],
        },
      ],
    }));
  });
  const doc = {
    rule_files: [rulesFileName],
    evaluation_interval: "1m",
    tests: [...tests, ...readinessRuleTests(ctx), ...(ctx.exporter ? [] : stalenessRuleTests(ctx))],
  };
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
        ...(s.healthCheck?.expect?.bodyMatches
          ? { fail_if_body_not_matches_regexp: [s.healthCheck.expect.bodyMatches] }
          : {}),
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
    if (target && /^https?:\/\//.test(target))
      out.push({ module: `tollgate_${name.replace(/-/g, "_")}`, target, service: name });
  }
  return out;
}

/**
 * The apps' @tollgate/client series at their declared metrics endpoints, labelled with the
 * environment (the dashboard and the metered cost alert select on it). Path and scheme go per target.
 */
export function clientJob(ctx: EnvContext): object[] {
  const urls = clientMetricsEndpoints(ctx.model, ctx.env);
  if (urls.length === 0) return [];
  const raws = new Map(urls.map((u) => [u.href, rawOf(ctx, u)]));
  return [
    {
      job_name: "tollgate-client",
      static_configs: urls.map((u) => ({
        targets: [u.host],
        labels: {
          env: ctx.env,
          __scheme__: u.protocol.slice(0, -1),
          __metrics_path__: rawPath(raws.get(u.href)!),
          ...Object.fromEntries([...u.searchParams].map(([k, v]) => [`__param_${k}`, v])),
        },
      })),
    },
  ];
}

/** The endpoint as the manifest wrote it (URL parsing percent-encodes what Prometheus encodes itself). */
function rawOf(ctx: EnvContext, u: URL): string {
  for (const a of ctx.model.apis.values()) {
    const raw = a.client.metricsEndpoint?.[ctx.env];
    if (raw !== undefined && URL.canParse(raw) && new URL(raw).href === u.href) return raw;
  }
  return u.href;
}

/** The path of a URL as written: what follows scheme and authority, up to the query or fragment. */
function rawPath(raw: string): string {
  const rest = raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "");
  return rest.split(/[?#]/, 1)[0] || "/";
}

/** The blackbox multi-target scrape job; the cron and the exporter configs both carry it. */
export function blackboxJob(ctx: EnvContext, bb: ReturnType<typeof blackboxTargets>) {
  return {
    job_name: "tollgate-blackbox",
    metrics_path: "/probe",
    static_configs: bb.map((t) => ({
      targets: [t.target],
      labels: { module: t.module, service: t.service, env: ctx.env },
    })),
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
    global: {
      scrape_interval: ctx.scrapeInterval,
      evaluation_interval: ctx.evaluationInterval,
      external_labels: { tollgate_env: ctx.env },
    },
    rule_files: [rulesFileName],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [ctx.alertmanager] }] }] },
    scrape_configs: [
      { job_name: "tollgate-probe", honor_labels: true, static_configs: [{ targets: [ctx.nodeExporter] }] },
      ...(bb.length ? [blackboxJob(ctx, bb)] : []),
      ...clientJob(ctx),
    ],
  };
  return `# Generated by tollgate synth for environment "${ctx.env}".\n${yamlText(doc)}`;
}
