/**
 * Waivers: findings about a waiver are keyed by what it says (rule + subject pattern), so moving or
 * adding a waiver changes no other fingerprint; an unsound waiver (expired, over the lifetime cap,
 * without owner or reason) suppresses nothing, so it cannot lift a scorecard or open the
 * production gate.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { productionGate } from "../../assess/gate.js";
import { assess } from "../../assess/readiness.js";
import { applyWaivers } from "../../policies/waivers.js";
import { fingerprint } from "../../policies/engine.js";
import type { Finding } from "../../policies/types.js";
import { NOW, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
async function orgCopy(): Promise<string> {
  const d = await copyReferenceOrg();
  dirs.push(d);
  return d;
}
const waiverFile = (lines: string[]) => ["waivers:", ...lines.map((l) => `  - ${l}`), ""].join("\n");

describe("waiver findings are keyed by content, not position", () => {
  it("reordering waivers and inserting one at the top makes only the inserted one new (PR mode, --baseline)", async () => {
    const root = await orgCopy();
    const a = "{ rule: client-no-metrics, subject: api/google-analytics, owner: a, reason: r, expires: 2027-01-31 }";
    const expired = "{ rule: client-no-retry, subject: 'api/*', owner: a, reason: r, expires: 2026-11-01 }";
    const unused = "{ rule: webhook-no-hmac, subject: 'webhook/*', owner: a, reason: r, expires: 2026-12-31 }";
    const tooLong =
      "{ rule: client-no-circuit-breaker, subject: api/chatwoot, owner: a, reason: r, expires: 2027-06-01 }";
    await writeFile(path.join(root, "waivers.yaml"), waiverFile([a, expired, unused, tooLong]));
    const base = await runCli(
      ["check", "--root", root, "--now", NOW, "--format", `json=${root}/base.json`, "--fail-on", "never"],
      { cwd: root },
    );
    expect(base.code, base.stderr).toBe(0);

    const inserted = "{ rule: secret-no-owner, subject: 'secret/NOPE_*', owner: b, reason: r, expires: 2026-12-31 }";
    await writeFile(path.join(root, "waivers.yaml"), waiverFile([inserted, tooLong, unused, a, expired]));
    const r = await runCli(
      ["check", "--root", root, "--now", NOW, "--baseline", `${root}/base.json`, "--format", "json", "--fail-on-new"],
      { cwd: root },
    );
    const json = JSON.parse(r.stdout);
    expect(
      json.findings.filter((f: any) => f.baselineState === "new").map((f: any) => `${f.ruleId} ${f.subject}`),
    ).toEqual(["waiver-unused waiver/secret-no-owner:secret/NOPE_*"]);
    expect(json.comparison).toMatchObject({ new: 1, fixed: [] });
    expect(r.code).toBe(1); // the inserted, unused waiver is the one new finding
  });

  it("two identical waivers stay distinct and stable", () => {
    const loc = { file: "waivers.yaml", line: 1, col: 1 };
    const w = { rule: "x", subject: "s/*", owner: "o", reason: "r", expires: "2026-12-01", location: loc };
    const fps = applyWaivers([], [w, { ...w }], NOW, 90, fingerprint).map((f) => f.fingerprint);
    expect(new Set(fps).size).toBe(2);
    const moved = applyWaivers([], [{ ...w, subject: "other" }, w, { ...w }], NOW, 90, fingerprint).map(
      (f) => f.fingerprint,
    );
    expect(moved.slice(1)).toEqual(fps);
  });
});

describe("an unsound waiver suppresses nothing", () => {
  const finding = (ruleId: string): Finding => ({
    ruleId,
    severity: "error",
    message: "m",
    subject: "api/x",
    location: { file: "f", line: 1, col: 1 },
    fingerprint: ruleId,
    waived: false,
  });
  it.each([
    ["expired", { expires: "2026-11-01" }, "waiver-expired"],
    ["over limits.maxWaiverDays", { expires: "2027-06-01" }, "waiver-too-long"],
    ["blank owner", { owner: "  " }, "waiver-incomplete"],
    ["blank reason", { reason: " " }, "waiver-incomplete"],
  ])("%s", (_, change, rule) => {
    const f = finding("client-no-retry");
    const meta = applyWaivers(
      [f],
      [
        {
          rule: "client-no-retry",
          subject: "api/*",
          owner: "o",
          reason: "r",
          expires: "2026-12-01",
          location: { file: "w", line: 1, col: 1 },
          ...change,
        },
      ],
      NOW,
      90,
      fingerprint,
    );
    expect(f.waived).toBe(false);
    expect(meta.map((m) => m.ruleId)).toEqual([rule]);
  });

  // Boundaries, exactly (NOW is 2026-11-24; the cap is 90 days, so 2027-02-22 is the last day allowed).
  it.each([
    ["expires yesterday", "2026-11-23", 90, ["waiver-expired"], false],
    ["expires today (still valid through its last day)", "2026-11-24", 90, [], true],
    ["exactly the cap", "2027-02-22", 90, [], true],
    ["one day over the cap", "2027-02-23", 90, ["waiver-too-long"], false],
    ["a cap of 0 days: today only", "2026-11-24", 0, [], true],
    ["a cap of 0 days: tomorrow is too long", "2026-11-25", 0, ["waiver-too-long"], false],
  ] as const)("%s", (_, expires, cap, rules, waived) => {
    const f = finding("client-no-retry");
    const meta = applyWaivers(
      [f],
      [
        {
          rule: "client-no-retry",
          subject: "api/*",
          owner: "o",
          reason: "r",
          expires,
          location: { file: "w", line: 1, col: 1 },
        },
      ],
      NOW,
      cap,
      fingerprint,
    );
    expect(meta.map((m) => m.ruleId)).toEqual(rules);
    expect(f.waived).toBe(waived);
  });

  it("five over-long waivers do not lift the webhooks scorecard, and synth --env production stays refused", async () => {
    const root = await orgCopy();
    // Make two webhook categories (replay, audit) fail, and gate production on webhooks as well as secrets.
    const config = (await readFile(path.join(root, "tollgate.yaml"), "utf8"))
      .replace(
        "  rate-limit-budget-exceeds-provider:",
        "  webhook-audit-retention: { options: { minDays: 365 } }\n  webhook-timestamp-tolerance: { options: { maxSeconds: 60 } }\n  webhook-idempotency: { options: { minTtlSeconds: 172800 } }\n  rate-limit-budget-exceeds-provider:",
      )
      .replace("scorecards: [secrets]", "scorecards: [secrets, webhooks]");
    await writeFile(path.join(root, "tollgate.yaml"), config);
    const five = (expires: string) =>
      waiverFile([
        `{ rule: webhook-audit-retention, subject: 'webhook/*', owner: a, reason: r, expires: ${expires} }`,
        `{ rule: webhook-timestamp-tolerance, subject: 'webhook/*', owner: a, reason: r, expires: ${expires} }`,
        `{ rule: webhook-idempotency, subject: 'webhook/*', owner: a, reason: r, expires: ${expires} }`,
        `{ rule: secret-missing-in-production, subject: 'secret/*', owner: a, reason: r, expires: ${expires} }`,
        `{ rule: production-not-deployed, subject: environment/production, owner: a, reason: r, expires: ${expires} }`,
      ]);
    const cards = async () => {
      const report = (await assess(root, { now: NOW })).report!;
      const pct = (id: string) => report.scorecards.find((s) => s.id === id)!.percent;
      return {
        webhooks: pct("webhooks"),
        secrets: pct("secrets"),
        gate: productionGate(report, ["secrets", "webhooks"]).passed,
        tooLong: report.findings.filter((f) => f.ruleId === "waiver-too-long").length,
      };
    };
    // Control: the same five waivers within the 90-day cap do match, lift both cards and open the gate.
    await writeFile(path.join(root, "waivers.yaml"), five("2027-01-31"));
    expect(await cards()).toEqual({ webhooks: 100, secrets: 100, gate: true, tooLong: 0 });

    await writeFile(path.join(root, "waivers.yaml"), five("2027-06-01"));
    expect(await cards()).toEqual({ webhooks: 60, secrets: 71, gate: false, tooLong: 5 });
    const synth = await runCli(
      ["synth", "--root", root, "--now", NOW, "--env", "production", "--out", path.join(root, "out")],
      { cwd: root, timeoutMs: 180_000 },
    );
    expect(synth.code, synth.stderr).toBe(1);
    expect(synth.stderr).toContain("refusing to synthesize production");
    expect(synth.stderr).toContain("webhooks: Audit log retention");
    expect(synth.stderr).toContain("secrets: Production deployed");
  }, 240_000);
});
