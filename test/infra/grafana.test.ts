/**
 * The generated Grafana dashboard: every panel query reads only metrics Tollgate really emits
 * (parsed from the probe's, forecast's and check's own exposition output) or records (rules.yml);
 * thresholds and runbooks come from the manifests; uids are stable; the staging dashboard matches
 * its golden file; provisioning points at the same datasource uid.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../helpers/golden.js";
import { renderPrometheus as probeMetrics } from "../../checks/probe/output.js";
import { assess } from "../../assess/readiness.js";
import { loadProject, type Project } from "../../load/loader.js";
import { forecastMetrics } from "../../policies/forecast.js";
import { renderPrometheus as readinessMetrics } from "../../report/prometheus.js";
import { envContext, type EnvContext } from "../../infra/generate/context.js";
import { dashboardJson } from "../../infra/generate/grafana-dashboard.js";
import { dashboardProvisioning, datasourceProvisioning } from "../../infra/generate/grafana.js";
import { ALERTS_METRIC } from "../../infra/generate/grafana-overview.js";
import { grafanaUids } from "../../infra/generate/grafana-queries.js";
import { recordingRules } from "../../infra/generate/prometheus.js";
import { NOW, REPO } from "../helpers/project.js";

const LOCAL_ORG = path.join(REPO, "test/fixtures/orgs/local");

async function project(root = REPO): Promise<Project> {
  return (await loadProject(root, { now: NOW })).project;
}

/** Metric names declared (# TYPE) in Prometheus text exposition. */
const exposed = (text: string) => [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);

/** What Tollgate writes and records, read from its real outputs, plus Prometheus' ALERTS series. */
async function knownMetrics(p: Project, ctx: EnvContext): Promise<Set<string>> {
  const probe = await probeMetrics(ctx.env, [
    {
      service: "a",
      kind: "mcp",
      optional: false,
      status: "unhealthy",
      stage: "tool-error",
      latencyMs: 5,
      attempts: 1,
      detail: "x",
      rateLimited: true,
    },
  ]);
  const { report } = await assess(p.root, { now: NOW, env: ctx.env });
  return new Set([
    ...exposed(probe),
    ...exposed(await forecastMetrics(p, ctx.env)),
    ...exposed(await readinessMetrics(report!)),
    ...recordingRules(ctx).map((r) => r.record),
    ALERTS_METRIC,
  ]);
}

/** Series names a PromQL expression selects (label matchers, label lists, strings, functions removed). */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\[[^\]]*\]/g, " ");
  const keywords = new Set(["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring"]);
  return [...stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)]
    .filter((m) => !m[2] && !keywords.has(m[1]!))
    .map((m) => m[1]!);
}

function panelsOf(dashboard: any): any[] {
  return dashboard.panels.flatMap((p: any) => (p.type === "row" ? (p.panels ?? []) : [p]));
}

describe("the Grafana dashboard synth writes", async () => {
  const ref = await project();
  const local = await project(LOCAL_ORG);
  const envs: [string, Project, string][] = [
    ["staging", ref, "staging"],
    ["production", ref, "production"],
    ["local fixture", local, "local"],
  ];

  it("the metric-name extractor finds the series a query reads (so the next test can fail)", () => {
    expect(metricNames('count(up{job="x"} == 1) or vector(0)')).toEqual(["up"]);
    expect(metricNames('a:b:c_1h{env="s",service=~"$service"} / on(env, service) budget_usd{env="s"}')).toEqual([
      "a:b:c_1h",
      "budget_usd",
    ]);
    expect(metricNames('sum by (alertname, service) (ALERTS{alertstate="firing"})')).toEqual(["ALERTS"]);
  });

  it.each(envs)("%s: every panel query reads only metrics Tollgate emits or records", async (_, p, env) => {
    const ctx = envContext(p.model, env, "test");
    const known = await knownMetrics(p, ctx);
    const dashboard = JSON.parse(dashboardJson(ctx));
    const panels = panelsOf(dashboard);
    expect(panels.length).toBeGreaterThan(10);
    const used = new Set<string>();
    for (const panel of panels) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const t of panel.targets) {
        const names = metricNames(t.expr);
        expect(names.length, `${panel.title}: ${t.expr}`).toBeGreaterThan(0);
        for (const n of names) {
          expect(known.has(n), `${panel.title}: ${n} is neither emitted nor recorded by Tollgate`).toBe(true);
          used.add(n);
        }
        expect(t.datasource.uid).toBe(grafanaUids(ctx).datasource);
      }
    }
    // The overview reads the readiness gauges of `check --format prometheus` and the forecast's.
    for (const m of [
      "tollgate_readiness_score_percent",
      "tollgate_readiness_category_passed",
      "tollgate_secret_rotation_due_days",
      "ALERTS",
      "tollgate:probe_duration_seconds:p99_1h",
    ])
      expect(used).toContain(m);
  });

  it("a query on a metric Tollgate does not write would be caught", async () => {
    const ctx = envContext(ref.model, "staging", "test");
    const known = await knownMetrics(ref, ctx);
    expect(metricNames('up{env="staging"}').every((n) => known.has(n))).toBe(false);
    expect(known.has("tollgate_probe_success")).toBe(true);
  });

  it("draws each service's alert thresholds from the manifests, with the environment's overrides", () => {
    const find = (d: any, title: string) => panelsOf(d).find((p) => p.title === title);
    const staging = JSON.parse(dashboardJson(envContext(ref.model, "staging", "test")));
    const lat = find(staging, "chatwoot: probe latency P50 / P95 / P99");
    expect(lat.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 2]); // LatencyHigh: 2000 ms
    expect(lat.fieldConfig.defaults.custom.thresholdsStyle.mode).toBe("dashed");
    expect(lat.targets.map((t: any) => t.legendFormat)).toEqual(["P50", "P95", "P99"]);
    expect(find(staging, "chatwoot: success ratio").fieldConfig.defaults.thresholds.steps[1].value).toBe(0.95); // SuccessRateLow
    expect(find(staging, "chatwoot: rate-limited (429) ratio").fieldConfig.defaults.thresholds.steps[1].value).toBe(
      0.05,
    );
    const localDash = JSON.parse(dashboardJson(envContext(local.model, "local", "test")));
    expect(find(localDash, "hook: probe latency P50 / P95 / P99").fieldConfig.defaults.thresholds.steps[1].value).toBe(
      5,
    ); // local override: 5 s
    expect(find(localDash, "rag-mcp: failing MCP stage")).toBeDefined();
    expect(find(localDash, "hook: webhook security probe").options.reduceOptions.calcs).toEqual(["lastNotNull"]);
    expect(find(localDash, "api: rate-limited (429) ratio")).toBeUndefined(); // no API declared for it
  });

  it("links runbooks from the manifests and offers tier and service variables", () => {
    const d = JSON.parse(dashboardJson(envContext(ref.model, "staging", "test")));
    const urls = panelsOf(d).flatMap((p) => (p.links ?? []).map((l: any) => l.url));
    expect(urls).toContain("https://runbooks.hotdash.example/latency");
    expect(urls).toContain("https://runbooks.hotdash.example/mcp-tool-failing");
    expect(urls).toContain("https://runbooks.hotdash.example/api-cost");
    const [tier, service] = d.templating.list;
    expect(tier).toMatchObject({ name: "tier", type: "custom", includeAll: true, allValue: ".*" });
    expect(tier.options.map((o: any) => o.text)).toEqual(["All", "critical", "high", "medium", "low"]);
    expect(tier.options[1].value.split("|")).toContain("supabase");
    expect(service).toMatchObject({ name: "service", type: "query", multi: true, includeAll: true });
    // "All" must expand to the tier's services, not to ".*", or choosing a tier would filter nothing.
    expect(service.allValue).toBeUndefined();
    expect(service.query).toContain('service=~"${tier:raw}"');
  });

  it("uids are stable per organization and environment, and differ between them", () => {
    const a = grafanaUids(envContext(ref.model, "staging", "test"));
    expect(grafanaUids(envContext(ref.model, "staging", "other-version"))).toEqual(a);
    expect(grafanaUids(envContext(ref.model, "production", "test")).dashboard).not.toBe(a.dashboard);
    expect(grafanaUids(envContext({ ...ref.model, organization: "Other" }, "staging", "test")).dashboard).not.toBe(
      a.dashboard,
    );
    for (const uid of Object.values(a)) expect(uid.length).toBeLessThanOrEqual(40);
    expect(JSON.parse(dashboardJson(envContext(ref.model, "staging", "test"))).uid).toBe(a.dashboard);
  });

  it("provisioning: the datasource uid is the one the panels use; the provider loads from a fixed folder", () => {
    const ctx = envContext(ref.model, "staging", "test");
    const ds = parse(datasourceProvisioning(ctx));
    expect(ds.datasources[0]).toMatchObject({
      type: "prometheus",
      uid: grafanaUids(ctx).datasource,
      jsonData: { timeInterval: "30s" },
    });
    const prov = parse(dashboardProvisioning(ctx));
    expect(prov.providers[0]).toMatchObject({
      type: "file",
      allowUiUpdates: false,
      options: { path: "/var/lib/grafana/dashboards/tollgate-staging" },
    });
  });

  it("the staging dashboard matches its golden file and is byte-identical across builds", () => {
    const text = dashboardJson(envContext(ref.model, "staging", "test"));
    expect(dashboardJson(envContext(ref.model, "staging", "test"))).toBe(text);
    expectGolden(text, "grafana-staging.json");
  });
});

describe("start-up cost", () => {
  /** How many modules of the Grafana SDK importing a compiled CLI command loads. */
  const sdkModulesLoadedBy = (command: string) => {
    const script = `import { createRequire } from "node:module"; await import(${JSON.stringify(path.join(REPO, "dist/cli", `${command}.js`))}); console.log(Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes("grafana-foundation-sdk")).length);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    return Number(r.stdout.trim());
  };

  it("only synth loads the Grafana SDK; check, validate, probe and forecast do not pay for it", () => {
    expect(sdkModulesLoadedBy("synth")).toBeGreaterThan(0);
    for (const c of ["check", "validate", "probe", "forecast"]) expect(sdkModulesLoadedBy(c), c).toBe(0);
  });
});
