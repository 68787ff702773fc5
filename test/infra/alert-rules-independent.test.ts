/**
 * Every generated alert of the reference organization, fired and kept quiet by scenarios written
 * here by hand from what the manifests mean — not by the generator's own promtool cases. The
 * synthesized rules.yml runs in promtool's rule engine (Prometheus's own evaluator); each case asks
 * `count by (…) (ALERTS{alertstate="firing"})`, so no expectation is derived from our code.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AlertCase, runAlertCase } from "../helpers/alert-cases.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";
import { requireTool, run } from "../helpers/tools.js";

let dir = "";
let rules = "";
beforeAll(async () => {
  dir = await tempDir("tollgate-alerts-");
  const r = await runCli(["synth", "--root", REPO, "--now", NOW, "--env", "staging", "--out", path.join(dir, "out")]);
  expect(r.code, r.stderr).toBe(0);
  const found: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n === "rules.yml") found.push(p);
    }
  };
  walk(path.join(dir, "out"));
  rules = found.sort().find((p) => p.includes(`${path.sep}staging${path.sep}`))!;
  expect(rules).toBeTruthy();
});
afterAll(() => removeDir(dir));

const S = 'env="staging"';
/** n samples, one a minute, where every `period`-th sample is `odd` and the rest `even`. */
const every = (n: number, period: number, odd: number, even: number) =>
  Array.from({ length: n }, (_, i) => ((i + 1) % period === 0 ? odd : even)).join(" ");

type Case = AlertCase;
const CASES: Case[] = [
  // ServiceDown: a required service's probe fails for longer than `for: 2m`.
  {
    name: "ServiceDown fires after 2m of failing",
    alert: "ServiceDown",
    by: "service",
    evalTime: "10m",
    firing: ["chatwoot"],
    series: { [`tollgate_probe_success{${S},service="chatwoot",kind="http-api"}`]: "1 1 0x10" },
  },
  {
    name: "ServiceDown stays quiet for one failed probe",
    alert: "ServiceDown",
    by: "service",
    evalTime: "10m",
    firing: [],
    series: { [`tollgate_probe_success{${S},service="chatwoot",kind="http-api"}`]: "1x8 0 1" },
  },
  {
    name: "ServiceDown never pages for the optional fly-mcp",
    alert: "ServiceDown",
    by: "service",
    evalTime: "20m",
    firing: [],
    series: { [`tollgate_probe_success{${S},service="fly-mcp",kind="mcp"}`]: "0x20" },
  },
  {
    name: "OptionalServiceDown: fly-mcp down 10m+",
    alert: "OptionalServiceDown",
    by: "service",
    evalTime: "20m",
    firing: ["fly-mcp"],
    series: { [`tollgate_probe_success{${S},service="fly-mcp",kind="mcp"}`]: "0x20" },
  },
  {
    name: "OptionalServiceDown: not for required services",
    alert: "OptionalServiceDown",
    by: "service",
    evalTime: "20m",
    firing: [],
    series: { [`tollgate_probe_success{${S},service="chatwoot",kind="http-api"}`]: "0x20" },
  },
  // McpToolFailing: the server answers, its tools fail.
  {
    name: "McpToolFailing on a tool error",
    alert: "McpToolFailing",
    by: "service",
    evalTime: "10m",
    firing: ["llamaindex-rag-mcp"],
    series: {
      [`tollgate_probe_failed_stage{${S},service="llamaindex-rag-mcp",kind="mcp",stage="tool-error"}`]: "1x10",
    },
  },
  {
    name: "McpToolFailing not on a connection failure",
    alert: "McpToolFailing",
    by: "service",
    evalTime: "10m",
    firing: [],
    series: { [`tollgate_probe_failed_stage{${S},service="llamaindex-rag-mcp",kind="mcp",stage="connect"}`]: "1x10" },
  },
  // LatencyHigh: P95 over an hour above 2000 ms for 10m.
  {
    name: "LatencyHigh at 2.5 s",
    alert: "LatencyHigh",
    by: "service",
    evalTime: "90m",
    firing: ["openai"],
    series: { [`tollgate_probe_duration_seconds{${S},service="openai",kind="http-api"}`]: "2.5x90" },
  },
  {
    name: "LatencyHigh quiet at 1.5 s",
    alert: "LatencyHigh",
    by: "service",
    evalTime: "90m",
    firing: [],
    series: { [`tollgate_probe_duration_seconds{${S},service="openai",kind="http-api"}`]: "1.5x90" },
  },
  {
    name: "LatencyHigh: one slow probe in twenty is under P95",
    alert: "LatencyHigh",
    by: "service",
    evalTime: "90m",
    firing: [],
    series: { [`tollgate_probe_duration_seconds{${S},service="openai",kind="http-api"}`]: every(90, 30, 9, 0.2) },
  },
  // SuccessRateLow: under 95 % over an hour, for 15m.
  {
    name: "SuccessRateLow at 90 %",
    alert: "SuccessRateLow",
    by: "service",
    evalTime: "120m",
    firing: ["supabase"],
    series: { [`tollgate_probe_success{${S},service="supabase",kind="infrastructure"}`]: every(120, 10, 0, 1) },
  },
  {
    name: "SuccessRateLow quiet at ~98 %",
    alert: "SuccessRateLow",
    by: "service",
    evalTime: "120m",
    firing: [],
    series: { [`tollgate_probe_success{${S},service="supabase",kind="infrastructure"}`]: every(120, 50, 0, 1) },
  },
  // ApiRateLimited: more than 5 % of an API's probes answered 429 over an hour, for 10m.
  {
    name: "ApiRateLimited at 10 %",
    alert: "ApiRateLimited",
    by: "service",
    evalTime: "90m",
    firing: ["chatwoot"],
    series: { [`tollgate_probe_rate_limited{${S},service="chatwoot",kind="http-api"}`]: every(90, 10, 1, 0) },
  },
  {
    name: "ApiRateLimited quiet at 2 %",
    alert: "ApiRateLimited",
    by: "service",
    evalTime: "90m",
    firing: [],
    series: { [`tollgate_probe_rate_limited{${S},service="chatwoot",kind="http-api"}`]: every(90, 50, 1, 0) },
  },
  {
    name: "ApiRateLimited not for an MCP server",
    alert: "ApiRateLimited",
    by: "service",
    evalTime: "90m",
    firing: [],
    series: { [`tollgate_probe_rate_limited{${S},service="github-mcp",kind="mcp"}`]: "1x90" },
  },
  // ApiCostOverBudget: projected spend above the budget for an hour.
  {
    name: "ApiCostOverBudget at $900 of $750",
    alert: "ApiCostOverBudget",
    by: "service",
    evalTime: "90m",
    firing: ["openai"],
    series: {
      [`tollgate_api_projected_monthly_cost_usd{${S},service="openai"}`]: "900x90",
      [`tollgate_api_monthly_budget_usd{${S},service="openai"}`]: "750x90",
    },
  },
  {
    name: "ApiCostOverBudget quiet at $600 of $750",
    alert: "ApiCostOverBudget",
    by: "service",
    evalTime: "90m",
    firing: [],
    series: {
      [`tollgate_api_projected_monthly_cost_usd{${S},service="openai"}`]: "600x90",
      [`tollgate_api_monthly_budget_usd{${S},service="openai"}`]: "750x90",
    },
  },
  {
    name: "ApiCostOverBudget quiet for only 30m over",
    alert: "ApiCostOverBudget",
    by: "service",
    evalTime: "90m",
    firing: [],
    series: {
      [`tollgate_api_projected_monthly_cost_usd{${S},service="openai"}`]: "600x60 900x30",
      [`tollgate_api_monthly_budget_usd{${S},service="openai"}`]: "750x90",
    },
  },
  // Rotation: due within 14 days (0..14 inclusive), overdue below 0.
  {
    name: "SecretRotationDue at 14 days",
    alert: "SecretRotationDue",
    by: "secret",
    evalTime: "90m",
    firing: ["OPENAI_API_KEY"],
    series: { [`tollgate_secret_rotation_due_days{${S},secret="OPENAI_API_KEY",service="openai"}`]: "14x90" },
  },
  {
    name: "SecretRotationDue at 0 days (today)",
    alert: "SecretRotationDue",
    by: "secret",
    evalTime: "90m",
    firing: ["OPENAI_API_KEY"],
    series: { [`tollgate_secret_rotation_due_days{${S},secret="OPENAI_API_KEY",service="openai"}`]: "0x90" },
  },
  {
    name: "SecretRotationDue quiet at 15 days",
    alert: "SecretRotationDue",
    by: "secret",
    evalTime: "90m",
    firing: [],
    series: { [`tollgate_secret_rotation_due_days{${S},secret="OPENAI_API_KEY",service="openai"}`]: "15x90" },
  },
  {
    name: "SecretRotationDue quiet once overdue",
    alert: "SecretRotationDue",
    by: "secret",
    evalTime: "90m",
    firing: [],
    series: { [`tollgate_secret_rotation_due_days{${S},secret="OPENAI_API_KEY",service="openai"}`]: "-1x90" },
  },
  {
    name: "SecretRotationOverdue one day past",
    alert: "SecretRotationOverdue",
    by: "secret",
    evalTime: "90m",
    firing: ["OPENAI_API_KEY"],
    series: { [`tollgate_secret_rotation_due_days{${S},secret="OPENAI_API_KEY",service="openai"}`]: "-1x90" },
  },
  {
    name: "SecretRotationOverdue quiet when due today",
    alert: "SecretRotationOverdue",
    by: "secret",
    evalTime: "90m",
    firing: [],
    series: { [`tollgate_secret_rotation_due_days{${S},secret="OPENAI_API_KEY",service="openai"}`]: "0x90" },
  },
  // Staleness (staging probes every 5 minutes: stale after three intervals, 15m).
  {
    name: "ProbeRunsStale when the last run finished 20 minutes ago",
    alert: "ProbeRunsStale",
    by: "env",
    evalTime: "30m",
    firing: ["staging"],
    series: { [`tollgate_probe_last_run_timestamp_seconds{${S}}`]: "0+60x10 600x20" },
  },
  {
    name: "ProbeRunsStale quiet while runs keep finishing",
    alert: "ProbeRunsStale",
    by: "env",
    evalTime: "30m",
    firing: [],
    series: { [`tollgate_probe_last_run_timestamp_seconds{${S}}`]: "0+60x30" },
  },
  {
    name: "ProbeRunsMissing when no run ever reported",
    alert: "ProbeRunsMissing",
    by: "env",
    evalTime: "30m",
    firing: ["staging"],
    series: { [`tollgate_probe_success{${S},service="chatwoot",kind="http-api"}`]: "1x30" },
  },
  {
    name: "ProbeRunsMissing quiet once runs report",
    alert: "ProbeRunsMissing",
    by: "env",
    evalTime: "30m",
    firing: [],
    series: { [`tollgate_probe_last_run_timestamp_seconds{${S}}`]: "0+60x30" },
  },
  // ReadinessScoreDropped: lower than a day earlier.
  {
    name: "ReadinessScoreDropped after 90 → 70",
    alert: "ReadinessScoreDropped",
    by: "env",
    evalTime: "25h",
    firing: ["staging"],
    interval: "10m",
    series: { [`tollgate_readiness_score_percent{${S}}`]: "90x144 70x6" },
  },
  {
    name: "ReadinessScoreDropped quiet when it rises",
    alert: "ReadinessScoreDropped",
    by: "env",
    evalTime: "25h",
    firing: [],
    interval: "10m",
    series: { [`tollgate_readiness_score_percent{${S}}`]: "70x144 90x6" },
  },
];

describe("generated alerts against hand-written scenarios (promtool's rule engine)", () => {
  it("the rules file has no YAML anchors or aliases (a shared object would be written as one)", async () => {
    const { parseDocument, visit } = await import("yaml");
    const { readFileSync } = await import("node:fs");
    let aliases = 0;
    visit(parseDocument(readFileSync(rules, "utf8")), {
      Alias: () => void aliases++,
      Node: (_, n) => void ((n as { anchor?: string }).anchor && aliases++),
    });
    expect(aliases).toBe(0);
  });

  it("covers every alert the staging rules define", async () => {
    const { parse } = await import("yaml");
    const { readFileSync } = await import("node:fs");
    const doc = parse(readFileSync(rules, "utf8")) as { groups: { rules: { alert?: string }[] }[] };
    const defined = new Set(doc.groups.flatMap((g) => g.rules.map((r) => r.alert).filter(Boolean)));
    const tested = new Set(CASES.map((c) => c.alert));
    expect([...defined].filter((a) => !tested.has(a!))).toEqual([]);
    for (const a of defined) {
      expect(
        CASES.some((c) => c.alert === a && c.firing.length),
        `${a} fires somewhere`,
      ).toBe(true);
      expect(
        CASES.some((c) => c.alert === a && !c.firing.length),
        `${a} stays quiet somewhere`,
      ).toBe(true);
    }
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const r = runAlertCase(rules, c, CASES.indexOf(c));
    expect(r.code, r.out).toBe(0);
  });
});

describe("staging routing against hand-written expectations (amtool)", () => {
  // From manifests/channels.yaml, read by a person: critical pages, warnings go to chat and email.
  it.each([
    ["critical", "pagerduty-oncall"],
    ["warning", "email-platform,slack-platform"],
    ["info", "tollgate-null"],
  ])("severity=%s → %s", (severity, receivers) => {
    const am = path.join(path.dirname(rules), "..", "alertmanager", "alertmanager.yml");
    const r = run(requireTool("amtool"), [
      "config",
      "routes",
      "test",
      `--config.file=${am}`,
      `severity=${severity}`,
      "env=staging",
      "alertname=Independent",
    ]);
    expect(r.code, r.out).toBe(0);
    expect(r.out.split("\n").filter((l) => l && !l.startsWith("Warning:"))).toEqual([receivers]);
  });
});
