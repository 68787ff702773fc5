/**
 * Scoring tells the truth on estates that are not the reference: a category with nothing to judge
 * is n/a (left out of the denominator), production readiness fails without production, and the
 * overall score is the weighted mean of unrounded scorecard ratios, rounded once.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { productionGate } from "../../assess/gate.js";
import { assess } from "../../assess/readiness.js";
import { overallPercent, score, type ScorecardDef } from "../../policies/scoring.js";
import type { Finding } from "../../policies/types.js";
import { NOW, removeDir, runCli, writeProject } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

/** Two healthy services, staging only: no production, no APIs, no webhooks, no channels. */
const SMALL = {
  "tollgate.yaml": "organization: Small\n",
  "manifests/estate.yaml": [
    "environments:",
    "  staging: { deployed: true }",
    "services:",
    "  api:",
    "    kind: http-api",
    "    owner: team-a",
    "    tier: high",
    "    healthCheck: { interval: 60s }",
    "    endpoints: { staging: { url: 'http://127.0.0.1:9/health' } }",
    "  worker:",
    "    kind: infra",
    "    owner: team-a",
    "    tier: low",
    "    healthCheck: { interval: 60s }",
    "    endpoints: { staging: { url: 'http://127.0.0.1:9/health' } }",
    "alerts:",
    "  ServiceDown: { condition: probe-failing, severity: warning }",
    "",
  ].join("\n"),
};

async function small(): Promise<string> {
  const d = await writeProject(SMALL);
  dirs.push(d);
  return d;
}

describe("not-applicable categories", () => {
  it("an estate with nothing to judge is not 100% ready: n/a cards are left out, production categories fail", async () => {
    const root = await small();
    const report = (await assess(root, { now: NOW })).report!;
    const card = (id: string) => report.scorecards.find((s) => s.id === id)!;
    expect(card("rate-limits")).toMatchObject({ status: "n/a", percent: null, passed: 0, total: 0, notApplicable: 5 });
    expect(card("webhooks")).toMatchObject({ status: "n/a", percent: null, total: 0 });
    const secrets = card("secrets");
    expect(secrets.categories.map((c) => [c.id, c.status])).toEqual([
      ["inventory", "n/a"],
      ["rotation", "n/a"],
      ["incident-response", "n/a"],
      ["access-control", "n/a"],
      ["testing", "n/a"],
      ["production-mirroring", "fail"],
      ["production-deployed", "fail"],
    ]);
    expect(secrets).toMatchObject({ status: "fail", percent: 0, passed: 0, total: 2 });
    // Monitoring: both services probed and alerted on; paging has an alert to judge; no channel has a secret.
    expect(card("monitoring")).toMatchObject({ status: "pass", percent: 100, passed: 3, total: 3, notApplicable: 1 });
    // Overall: (0/2 + 3/3) / 2 over the two applicable scorecards = 50, not 100.
    expect(report.score.percent).toBe(50);
    // The production gate names the failing production categories.
    expect(productionGate(report, ["secrets"]).failing.map((f) => f.category)).toEqual([
      "production-mirroring",
      "production-deployed",
    ]);
    // A misspelt scorecard name judges nothing: it fails the gate instead of opening it.
    const misspelt = productionGate(report, ["secret"]);
    expect(misspelt.passed).toBe(false);
    expect(misspelt.failing).toEqual([
      {
        scorecard: "secret",
        category: "unknown",
        title: "no scorecard named secret (gate.production.scorecards)",
        findings: 0,
      },
    ]);
    expect(productionGate(report, ["webhooks"]).passed).toBe(true);
  });

  it("JSON gives every category a status; text and markdown show n/a distinctly", async () => {
    const root = await small();
    const r = await runCli(
      [
        "check",
        "--root",
        root,
        "--now",
        NOW,
        "--explain",
        "--fail-on",
        "never",
        "--format",
        "text",
        "--format",
        `json=${root}/r.json`,
        "--format",
        `markdown=${root}/r.md`,
      ],
      { cwd: root },
    );
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(await readFile(path.join(root, "r.json"), "utf8"));
    const statuses = json.scorecards.flatMap((s: any) => s.categories.map((c: any) => c.status));
    expect(new Set(statuses)).toEqual(new Set(["pass", "fail", "n/a"]));
    expect(json.scorecards.find((s: any) => s.id === "webhooks")).toMatchObject({ status: "n/a", percent: null });
    expect(json.score.percent).toBe(50);
    expect(r.stdout).toMatch(/Webhook security\s+n\/a\s+n\/a/);
    expect(r.stdout).not.toMatch(/Webhook security\s+\d+ of/);
    expect(r.stdout).toContain("– HMAC signature verification — n/a, nothing to judge");
    expect(r.stdout).toContain("✖ Production deployed");
    expect(r.stdout).toMatch(/Monitoring and alerting\s+3 of 3\s+100%\s+\(1 n\/a\)/);
    const md = await readFile(path.join(root, "r.md"), "utf8");
    expect(md).toContain("| Webhook security | n/a | n/a |");
    expect(md).toContain("| Monitoring and alerting | 3 of 3 (1 n/a) | 100% |");
    expect(md).toContain("- API rate limits and client policy: Projected cost within budget");
  });

  it("a scorecard with no applicable category does not lift the overall score", () => {
    const defs: ScorecardDef[] = [
      {
        id: "a",
        title: "A",
        categories: [
          { id: "x", title: "X", rules: ["r1"] },
          { id: "y", title: "Y", rules: ["r2"] },
        ],
      },
      { id: "b", title: "B", categories: [{ id: "z", title: "Z", rules: ["r3"], applies: () => false }] },
    ];
    const f = (ruleId: string): Finding => ({
      ruleId,
      severity: "error",
      message: "m",
      subject: "s",
      location: { file: "f", line: 1, col: 1 },
      fingerprint: ruleId,
      waived: false,
    });
    const result = score(
      defs,
      [f("r1")],
      new Set(["r1", "r2", "r3"]),
      {},
      {
        environments: new Map(),
        services: new Map(),
        secrets: new Map(),
        apis: new Map(),
        webhooks: new Map(),
        channels: new Map(),
        alerts: new Map(),
        organization: undefined,
      },
    );
    expect(result.scorecards.map((s) => [s.id, s.status, s.percent])).toEqual([
      ["a", "fail", 50],
      ["b", "n/a", null],
    ]);
    expect(result.percent).toBe(50); // not (50 + 100) / 2
  });
});

describe("overall formula", () => {
  it("is the weighted mean of unrounded scorecard ratios, rounded once (docs/policies.md)", () => {
    // 5/8 = 62.5% shows as 63, 3/8 = 37.5% shows as 38. Averaging the shown values would give
    // 50.5 → 51; the documented formula averages the ratios: (0.625 + 0.375) / 2 = 50%.
    const cards = [
      { passed: 5, total: 8, weight: 1 },
      { passed: 3, total: 8, weight: 1 },
    ];
    expect(overallPercent(cards)).toBe(50);
    // Weighted: 2·(5/8) and 1·(1/8) → (1.25 + 0.125) / 3 = 45.8 → 46; from the shown 63 and 13: 46.3 → 46 (same here),
    // while four cards 1/8, 1/8, 1/8, 5/8 show 13, 13, 13, 63 → 25.5 → 26 but are exactly 25%.
    expect(
      overallPercent([
        { passed: 5, total: 8, weight: 2 },
        { passed: 1, total: 8, weight: 1 },
      ]),
    ).toBe(46);
    expect(
      overallPercent([
        { passed: 1, total: 8, weight: 1 },
        { passed: 1, total: 8, weight: 1 },
        { passed: 1, total: 8, weight: 1 },
        { passed: 5, total: 8, weight: 1 },
      ]),
    ).toBe(25);
    // Weight 0 and n/a (total 0) scorecards are left out; nothing left is n/a (null), not 100.
    expect(
      overallPercent([
        { passed: 1, total: 2, weight: 1 },
        { passed: 0, total: 0, weight: 5 },
        { passed: 0, total: 4, weight: 0 },
      ]),
    ).toBe(50);
    expect(overallPercent([{ passed: 0, total: 0, weight: 1 }])).toBeNull();
  });
});
