/**
 * synth for an API whose app declares its @tollgate/client metrics endpoint: Prometheus scrapes it
 * with the environment label, the cost alert judges that API by metered spend (promtool runs the
 * firing and quiet cases), other APIs keep the declared-volume projection, and the dashboard gets
 * the per-API client row. Without the endpoint nothing changes (the golden files prove that).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envContext } from "../../infra/generate/context.js";
import { buildDashboard, dashboardJson } from "../../infra/generate/grafana-dashboard.js";
import { dashboardSpec } from "../../infra/generate/grafana-spec.js";
import { loadProject } from "../../load/loader.js";
import { NOW, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";
import { requireTool, run } from "../helpers/tools.js";
import { editYaml } from "../helpers/yaml-edit.js";

const ENDPOINT = "http://127.0.0.1:9464/internal/metrics?format=prometheus";

describe("synth with a declared client metrics endpoint", () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await copyReferenceOrg();
    await editYaml(path.join(dir, "manifests/apis.yaml"), (doc) => {
      doc.setIn(["apis", "openai", "client", "metricsEndpoint"], doc.createNode({ staging: ENDPOINT }));
      // A second costed API without an endpoint: it stays on the declared-volume projection.
      doc.setIn(
        ["apis", "chatwoot", "cost"],
        doc.createNode({ unit: "request", monthlyVolume: 100000, unitPriceUsd: 0.001, monthlyBudgetUsd: 50 }),
      );
    });
    const out = path.join(dir, "cdktf.out");
    const r = await runCli(["synth", "--env", "staging", "--now", NOW, "--out", out], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    config = path.join(out, "config/staging");
  }, 120_000);
  afterAll(() => removeDir(dir));

  it("scrapes the declared endpoint with the env label, path, scheme and query", () => {
    const prom = parse(readFileSync(path.join(config, "prometheus/prometheus.yml"), "utf8"));
    const job = prom.scrape_configs.find((j: any) => j.job_name === "tollgate-client");
    expect(job.static_configs).toEqual([
      {
        targets: ["127.0.0.1:9464"],
        labels: {
          env: "staging",
          __scheme__: "http",
          __metrics_path__: "/internal/metrics",
          __param_format: "prometheus",
        },
      },
    ]);
    const r = run(requireTool("promtool"), ["check", "config", "prometheus.yml"], path.join(config, "prometheus"));
    expect(r.code, r.out).toBe(0);
  });

  it("judges the metered API by its spend and the other by its projection; promtool's cases pass", () => {
    const rules = parse(readFileSync(path.join(config, "prometheus/rules.yml"), "utf8"));
    const cost = rules.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === "ApiCostOverBudget");
    expect(cost.expr).toContain('tollgate_client_spend_usd_total{env="staging",api=~"openai"}');
    expect(cost.expr).toContain('tollgate_api_projected_monthly_cost_usd{env="staging",service=~"chatwoot"}');
    expect(cost.expr).not.toContain('service=~"chatwoot|openai"');
    const tests = parse(readFileSync(path.join(config, "prometheus/rules.test.yml"), "utf8"));
    const cases = tests.tests.filter((t: any) => t.name.startsWith("ApiCostOverBudget"));
    expect(cases.map((t: any) => t.name)).toEqual([
      "ApiCostOverBudget fires (cost-over-budget)",
      "ApiCostOverBudget stays quiet (cost-over-budget)",
    ]);
    expect(cases[0].alert_rule_test[0].exp_alerts[0].exp_labels).toEqual({
      env: "staging",
      service: "openai",
      severity: "warning",
    });
    const promtool = requireTool("promtool");
    const r = run(promtool, ["test", "rules", "rules.test.yml"], path.join(config, "prometheus"));
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("SUCCESS");
  });

  it("adds the openai client row with every panel the issue asks for", () => {
    const dash = JSON.parse(readFileSync(path.join(config, "grafana/dashboards/tollgate-staging.json"), "utf8"));
    const titles: string[] = dash.panels.map((p: any) => p.title);
    expect(titles).toContain("openai client (@tollgate/client)");
    for (const t of [
      "client latency P50 / P95 / P99",
      "client success and 4xx ratios",
      "client retries and throttle waits",
      "circuit breaker",
      "metered spend against the monthly budget",
    ])
      expect(titles).toContain(`openai: ${t}`);
    expect(titles.some((t) => t.startsWith("chatwoot client"))).toBe(false);
    const spend = dash.panels.find((p: any) => p.title === "openai: metered spend against the monthly budget");
    expect(spend.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 750]);
  });

  it("on the exporter path the first shard scrapes the client endpoint, once", async () => {
    const out = path.join(dir, "sharded.out");
    const r = await runCli(["synth", "--env", "staging", "--now", NOW, "--out", out, "--shards", "2"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const prom = path.join(out, "config/staging/prometheus");
    const jobs = (file: string) =>
      parse(readFileSync(path.join(prom, file), "utf8")).scrape_configs.map((j: any) => j.job_name);
    expect(jobs("shard-0-of-2.yml")).toContain("tollgate-client");
    expect(jobs("shard-1-of-2.yml")).not.toContain("tollgate-client");
    for (const f of ["shard-0-of-2.yml", "shard-1-of-2.yml"]) {
      const c = run(requireTool("promtool"), ["check", "config", f], prom);
      expect(c.code, c.out).toBe(0);
    }
  }, 120_000);

  it("the streamed dashboard with client rows is byte-identical to the Grafana SDK's", async () => {
    const { project } = await loadProject(dir, { now: NOW });
    const ctx = envContext(project.model, "staging", "test");
    const viaSdk = `${JSON.stringify(buildDashboard(dashboardSpec(ctx)), null, 2)}\n`;
    expect(viaSdk).toContain("openai client (@tollgate/client)");
    expect(dashboardJson(ctx)).toBe(viaSdk);
  });
});
