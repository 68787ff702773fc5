/**
 * `tollgate check --format prometheus=FILE`: the readiness report as gauges the dashboard and alert
 * rules read. Checked against the JSON report of the same run and linted by promtool; the
 * generated daily cron line writes it to the textfile collector.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { envContext } from "../../infra/generate/context.js";
import { commandLine, jobs } from "../../infra/generate/cron.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";
import { requireTool } from "../helpers/tools.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

/** `name{labels} value` lines of text exposition, as [name, labels, value]. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => {
      const m = /^([a-z_:]+)\{(.*)\} (\S+)$/.exec(l)!;
      const labels = Object.fromEntries(
        [...m[2]!.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]),
      );
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

describe("check --format prometheus", () => {
  it("writes score, scorecard, category and finding gauges that agree with the JSON report, and promtool accepts them", async () => {
    const dir = await tempDir("tollgate-prom-report-");
    dirs.push(dir);
    const prom = path.join(dir, "readiness.prom");
    const r = await runCli([
      "check",
      "--env",
      "staging",
      "--now",
      NOW,
      "--format",
      `prometheus=${prom}`,
      "--format",
      `json=${dir}/report.json`,
      "--fail-on",
      "never",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(prom, "utf8");
    const json = JSON.parse(readFileSync(path.join(dir, "report.json"), "utf8"));
    const s = samples(text);
    const one = (name: string, labels: Record<string, string>) =>
      s.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));

    expect(one("tollgate_readiness_score_percent", { env: "staging" }).map((x) => x.value)).toEqual([
      json.score.percent,
    ]);
    for (const card of json.scorecards) {
      expect(one("tollgate_readiness_scorecard_percent", { env: "staging", scorecard: card.id })[0]!.value).toBe(
        card.percent,
      );
      for (const c of card.categories) {
        const samples = one("tollgate_readiness_category_passed", { scorecard: card.id, category: c.id });
        // n/a is no sample: neither 0 (failing) nor 1 (passing) would be true.
        if (c.status === "n/a") expect(samples, `${card.id}/${c.id}`).toEqual([]);
        else expect(samples[0]!.value, `${card.id}/${c.id}`).toBe(c.passed ? 1 : 0);
      }
    }
    expect(s.filter((x) => x.name === "tollgate_readiness_category_passed" && x.value === 0).length).toBeGreaterThan(0);
    const findings = Object.fromEntries(
      one("tollgate_readiness_findings", { env: "staging" }).map((x) => [x.labels.severity, x.value]),
    );
    expect(findings).toEqual({
      error: json.summary.errors,
      warning: json.summary.warnings,
      note: json.summary.notes,
      waived: json.summary.waived,
    });
    expect(findings.error).toBeGreaterThan(0);

    const checked = spawnSync(requireTool("promtool"), ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(checked.status, `${checked.stdout}${checked.stderr}`).toBe(0);
  });

  it("output is byte-identical for the same manifests", async () => {
    const a = await runCli(["check", "--env", "staging", "--now", NOW, "--format", "prometheus", "--fail-on", "never"]);
    const b = await runCli(["check", "--env", "staging", "--now", NOW, "--format", "prometheus", "--fail-on", "never"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('tollgate_readiness_score_percent{env="staging"}');
  });

  it("the generated daily readiness cron line writes the gauges next to the probe's in the textfile folder", async () => {
    const { project } = await loadProject(REPO, { now: NOW });
    const ctx = envContext(project.model, "production", "test");
    const readiness = jobs(ctx).find((j) => j.name === "readiness")!;
    expect(commandLine(ctx, readiness)).toContain(
      `--format prometheus=${ctx.textfileDir}/tollgate_readiness_production.prom`,
    );
    expect(commandLine(ctx, readiness)).toContain("--fail-on never");
  });
});
