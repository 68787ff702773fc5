/**
 * What fixing a finding gives the score (policies/impact.ts), checked against the scoring model
 * itself: a category's points are the rise of the unrounded overall score when it passes, shared by
 * its deciding findings. Then the CLI's --sort, and custom policies in a scorecard and --explain.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assess } from "../../assess/readiness.js";
import { findingImpacts, fixItems, sortedFindings } from "../../policies/impact.js";
import { scorecardDefs } from "../../policies/scoring.js";
import type { Policy } from "../../policies/types.js";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

/** The unrounded overall score, as policies/scoring.ts defines it. */
const overall = (cards: { passed: number; total: number; weight: number }[]) => {
  const scored = cards.filter((s) => s.total > 0 && s.weight > 0);
  return (
    (scored.reduce((a, s) => a + s.weight * (s.passed / s.total), 0) / scored.reduce((a, s) => a + s.weight, 0)) * 100
  );
};

describe("score impact on the reference organization", () => {
  it("a failing category is worth what passing it adds to the overall score, shared by its findings", async () => {
    const { report } = await assess(REPO, { now: NOW });
    const items = fixItems(report!);
    const failing = report!.scorecards.flatMap((s) =>
      s.categories.filter((c) => c.status === "fail").map((c) => `${s.id}/${c.id}`),
    );
    expect(items.map((i) => `${i.scorecard}/${i.category}`).sort()).toEqual(failing.sort());
    const before = overall(report!.scorecards);
    for (const item of items) {
      const after = overall(
        report!.scorecards.map((s) => (s.id === item.scorecard ? { ...s, passed: s.passed + 1 } : s)),
      );
      expect(item.points, item.category).toBeCloseTo(after - before, 9);
      expect(item.findings.every((f) => f.severity === "error" && !f.waived)).toBe(true);
    }
    // The issue's numbers: 12 missing production secrets are worth +3.6 together, three APIs' retries +5.
    const impact = findingImpacts(report!);
    const sum = (rule: string) =>
      report!.findings.filter((f) => f.ruleId === rule).reduce((a, f) => a + impact.get(f)!, 0);
    expect(report!.findings.filter((f) => f.ruleId === "secret-missing-in-production")).toHaveLength(12);
    expect(sum("secret-missing-in-production")).toBeCloseTo(100 / 4 / 7, 9);
    expect(sum("client-no-retry")).toBeCloseTo(100 / 4 / 5, 9);
    // Warnings and waived findings cost nothing.
    for (const f of report!.findings.filter((x) => x.waived || x.severity !== "error"))
      expect(impact.get(f), f.ruleId).toBe(0);
    // Sorted by impact, every retry finding comes before every missing secret; by deadline, dated ones first.
    const byImpact = sortedFindings(report!, "impact").map((f) => f.ruleId);
    expect(byImpact.lastIndexOf("client-no-retry")).toBeLessThan(byImpact.indexOf("secret-missing-in-production"));
    const byDeadline = sortedFindings(report!, "deadline");
    const dated = byDeadline.filter((f) => f.date).map((f) => f.date!);
    expect(dated.length).toBeGreaterThan(0);
    expect(byDeadline.slice(0, dated.length).map((f) => f.date)).toEqual([...dated].sort());
    expect(sortedFindings(report!, "file")).toEqual(report!.findings);
  }, 120_000);

  it("check --sort impact lists the findings flat with their points; a bad --sort is exit 2", async () => {
    const r = await runCli(["check", "--now", NOW, "--sort", "impact", "--fail-on", "never"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("Findings by what fixing them gives the score");
    const retry = lines.findIndex((l) =>
      / {3}\+1\.7 {2}error {3}client-no-retry {2}api\/chatwoot: no retry policy {2}manifests\/apis\.yaml:\d+:\d+$/.test(
        l,
      ),
    );
    const secret = lines.findIndex((l) => / {3}\+0\.3 {2}error {3}secret-missing-in-production /.test(l));
    expect(retry).toBeGreaterThan(0);
    expect(secret).toBeGreaterThan(retry);
    const bad = await runCli(["check", "--now", NOW, "--sort", "size"]);
    expect([bad.code, bad.stderr]).toEqual([
      2,
      '<command line>:1:1 invalid-option --sort must be one of file, impact, deadline (got "size")\n  hint: Run tollgate check --help for the options.\n',
    ]);
  }, 120_000);
});

describe("custom policies in a scorecard", () => {
  const policy = (over: Partial<Policy>) =>
    ({
      id: "x",
      title: "X",
      category: "ops" as never,
      severity: "error",
      rationale: "r",
      remediation: "m",
      check: () => undefined,
      ...over,
    }) as unknown as Policy;

  it("one that names no scorecard gets its category in `custom`; a new scorecard id makes that scorecard", () => {
    const defs = scorecardDefs([
      policy({ id: "a" }),
      policy({ id: "b", category: "ops" as never }),
      policy({ id: "c", scorecard: { id: "compliance", category: "sox" } } as never),
    ]);
    expect(defs.find((d) => d.id === "custom")).toEqual({
      id: "custom",
      title: "Custom policies",
      categories: [{ id: "ops", title: "ops", rules: ["a", "b"] }],
    });
    expect(defs.find((d) => d.id === "compliance")).toEqual({
      id: "compliance",
      title: "compliance",
      categories: [{ id: "sox", title: "sox", rules: ["c"] }],
    });
    expect(scorecardDefs([]).map((d) => d.id)).toEqual(["secrets", "rate-limits", "webhooks", "monitoring"]);
  });

  it("an error from a custom policy without a scorecard fails the custom scorecard and shows in --explain", async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    await mkdir(path.join(root, "p"));
    await writeFile(
      path.join(root, "p/owner-team.mjs"),
      [
        "export default {",
        "  id: 'owner-team', title: 'Owners are teams', category: 'ownership', severity: 'error',",
        "  rationale: 'People leave.', remediation: 'Use a team-* owner.',",
        "  check({ model }, report) { for (const [name, s] of model.services) if (name === 'chatwoot') report({ subject: `service/${name}`, message: 'owner is not a team', at: { section: 'services', name, path: ['owner'] } }); },",
        "};",
      ].join("\n"),
    );
    await writeFile(
      path.join(root, "tollgate.yaml"),
      `${await readFile(path.join(root, "tollgate.yaml"), "utf8")}customPolicies: p\n`,
    );
    const r = await runCli(
      ["check", "--root", root, "--now", NOW, "--explain", "--format", "json=r.json", "--format", "text"],
      { cwd: root },
    );
    expect(r.code).toBe(1);
    const json = JSON.parse(await readFile(path.join(root, "r.json"), "utf8"));
    const custom = json.scorecards.find((s: { id: string }) => s.id === "custom");
    expect(custom).toMatchObject({
      title: "Custom policies",
      passed: 0,
      total: 1,
      categories: [{ id: "ownership", status: "fail" }],
    });
    expect(r.stdout).toMatch(/^ {2}Custom policies +0 of 1 +0%$/m);
    expect(r.stdout).toContain(
      "    ✖ ownership — failed by 1 finding\n        • owner-team service/chatwoot: owner is not a team\n          fix: Use a team-* owner.",
    );
  }, 120_000);
});
