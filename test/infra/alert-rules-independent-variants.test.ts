/**
 * The generated alert variants the reference organization's staging rules do not have, fired and
 * kept quiet by hand-written scenarios (test/helpers/alert-cases.ts): the cost alert of an API
 * whose app reports its own spend (client.metricsEndpoint), and the exporter path's alerts
 * (ProbeRunsStale as a missing scrape target, ProbeScrapesFailing) from `synth --shards`.
 */
import { cp, readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AlertCase, runAlertCase } from "../helpers/alert-cases.js";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli, tempDir } from "../helpers/project.js";
import { editYaml } from "../helpers/yaml-edit.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map(removeDir)));

async function alertsIn(rules: string): Promise<string[]> {
  const doc = parse(await readFile(rules, "utf8")) as { groups: { rules: { alert?: string }[] }[] };
  return doc.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
}

describe("ApiCostOverBudget judged by metered spend (openai reports its own, staging)", () => {
  let rules = "";
  beforeAll(async () => {
    const dir = await copyReferenceOrg();
    dirs.push(dir);
    await editYaml(path.join(dir, "manifests/apis.yaml"), (doc) => {
      doc.setIn(
        ["apis", "openai", "client", "metricsEndpoint"],
        doc.createNode({ staging: "http://127.0.0.1:9464/m" }),
      );
    });
    const out = path.join(dir, "out");
    const r = await runCli(["synth", "--env", "staging", "--now", NOW, "--out", out], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    rules = path.join(out, "config/staging/prometheus/rules.yml");
  }, 120_000);

  // From manifests/apis.yaml and alerts.yaml: openai's budget is $750 a month, `for: 1h`. The app's
  // counter is dollars spent so far, one sample each 10 minutes over 26 hours; $750 a month is
  // about $0.0174 a minute. The projection is the last day's spend times 30, so a steady rate
  // shows in full after a day, and a runaway before that.
  const spend = (instance: string) =>
    `tollgate_client_spend_usd_total{env="staging",api="openai",instance="${instance}"}`;
  const budget = { 'tollgate_api_monthly_budget_usd{env="staging",service="openai"}': "750x156" };
  const base = { alert: "ApiCostOverBudget", by: "service", evalTime: "26h", interval: "10m" };
  const CASES: AlertCase[] = [
    { ...base, name: "fires at $1 a minute", firing: ["openai"], series: { ...budget, [spend("a")]: "0+10x156" } },
    {
      ...base,
      name: "a runaway fires within hours: $1 a minute from the 4th hour",
      evalTime: "6h",
      firing: ["openai"],
      series: { ...budget, [spend("a")]: "0+0.1x24 12.4+10x12" },
    },
    {
      ...base,
      name: "quiet at $0.01 a minute ($432 a month)",
      firing: [],
      series: { ...budget, [spend("a")]: "0+0.1x156" },
    },
    {
      ...base,
      name: "two replicas at $0.01 a minute each are summed: $864 a month fires",
      firing: ["openai"],
      series: { ...budget, [spend("a")]: "0+0.1x156", [spend("b")]: "0+0.1x156" },
    },
    {
      ...base,
      name: "quiet when the declared volume projects over budget but the metered spend is low",
      firing: [],
      series: {
        ...budget,
        [spend("a")]: "0+0.1x156",
        'tollgate_api_projected_monthly_cost_usd{env="staging",service="openai"}': "900x156",
      },
    },
    {
      ...base,
      name: "quiet after only 30 minutes of overspending",
      firing: [],
      series: { ...budget, [spend("a")]: "0+0.1x153 25.3+10x2" },
    },
  ];

  it.each(CASES.map((c, i) => [c.name, c, i] as const))("%s", (_, c, i) => {
    const r = runAlertCase(rules, c, `metered-${i}`);
    expect(r.code, r.out).toBe(0);
  });
});

describe("the exporter path's alerts (synth --shards 2, the local fixture: staleAfter 1m)", () => {
  let rules = "";
  beforeAll(async () => {
    const dir = await tempDir("tollgate-exporter-alerts-");
    dirs.push(dir);
    await cp(path.join(REPO, "test/fixtures/orgs/local"), path.join(dir, "org"), { recursive: true });
    const r = await runCli([
      ...["synth", "--root", path.join(dir, "org"), "--env", "local", "--now", NOW],
      ...["--out", path.join(dir, "out"), "--shards", "2"],
    ]);
    expect(r.code, r.stderr).toBe(0);
    rules = path.join(dir, "out/config/local/prometheus/exporter-rules.yml");
  }, 120_000);

  // Prometheus scrapes `tollgate serve` as job tollgate-probe (docs/probes.md); `up` is that scrape.
  const up = (instance: string) => `up{job="tollgate-probe",env="local",instance="${instance}"}`;
  const stale = { alert: "ProbeRunsStale", by: "env", evalTime: "20m" };
  const failing = { alert: "ProbeScrapesFailing", by: "env", evalTime: "10m" };
  const CASES: AlertCase[] = [
    // A target that disappears stays visible for Prometheus's 5m lookback, then is absent.
    { ...stale, name: "ProbeRunsStale fires once the target is gone", firing: ["local"], series: { [up("a")]: "1x5" } },
    { ...stale, name: "ProbeRunsStale quiet while scrapes run", firing: [], series: { [up("a")]: "1x20" } },
    {
      ...stale,
      name: "ProbeRunsStale quiet for scrapes that fail (that is ProbeScrapesFailing's)",
      firing: [],
      series: { [up("a")]: "0x20" },
    },
    {
      ...failing,
      name: "ProbeScrapesFailing after 3m+ of failed scrapes",
      firing: ["local"],
      series: { [up("a")]: "1x4 0x6" },
    },
    {
      ...failing,
      name: "ProbeScrapesFailing quiet for 2m of failures",
      firing: [],
      series: { [up("a")]: "1x7 0x2 1" },
    },
    {
      ...failing,
      name: "ProbeScrapesFailing fires when one shard's scrape fails",
      firing: ["local"],
      series: { [up("a")]: "1x10", [up("b")]: "0x10" },
    },
  ];

  it("covers every alert the exporter rules define, firing and quiet", async () => {
    for (const a of await alertsIn(rules)) {
      expect(
        CASES.some((c) => c.alert === a && c.firing.length),
        `${a} fires`,
      ).toBe(true);
      expect(
        CASES.some((c) => c.alert === a && !c.firing.length),
        `${a} stays quiet`,
      ).toBe(true);
    }
    expect(new Set(await alertsIn(rules))).toEqual(new Set(CASES.map((c) => c.alert)));
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))("%s", (_, c, i) => {
    const r = runAlertCase(rules, c, `exporter-${i}`);
    expect(r.code, r.out).toBe(0);
  });
});
