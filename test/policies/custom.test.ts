/** Custom policies load from the configured folder, join scorecards and are testable with the same runner. */
import { cp, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assess } from "../../assess/readiness.js";
import { matchesCase, runPolicyCase, sortCaseFindings, type PolicyCase } from "../../policies/testing.js";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

describe("custom policies", () => {
  it("the documented example passes and fails its own table with the policy runner, compared exactly", async () => {
    const example = "../../examples/custom-policies/critical-service-runbook.mjs";
    const { default: policy } = (await import(example)) as { default: any };
    const table = "../../examples/custom-policies/critical-service-runbook.test.mjs";
    const { cases } = (await import(table)) as { cases: PolicyCase[] };
    expect(cases.some((c) => c.expect.length === 0) && cases.some((c) => c.expect.length > 0)).toBe(true);
    for (const c of cases) {
      const result = runPolicyCase(policy, c);
      expect(result.findings, c.name).toEqual(sortCaseFindings(c.expect));
      expect(matchesCase(result, c.expect)).toBe(true);
    }
  });

  it("loads from tollgate.yaml's customPolicies folder (JS and TypeScript), reports and scores", async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    await mkdir(path.join(root, "policies-local"));
    // As in a user's repository with tollgate installed: the example imports from "tollgate".
    await mkdir(path.join(root, "node_modules"));
    await symlink(REPO, path.join(root, "node_modules/tollgate"));
    await cp(
      path.join(REPO, "examples/custom-policies/critical-service-runbook.mjs"),
      path.join(root, "policies-local/critical-service-runbook.mjs"),
    );
    // A TypeScript policy without imports, to show .ts modules work too.
    await writeFile(
      path.join(root, "policies-local/owner-prefix.ts"),
      [
        "const policy: any = {",
        "  id: 'owner-prefix', title: 'Owners are teams', category: 'secrets', severity: 'warning' as const,",
        "  rationale: 'Secrets owned by individuals are orphaned when they leave.', remediation: 'Use a team-* owner.',",
        "  check({ model }: any, report: any) { for (const [name, s] of model.secrets) if (!String(s.owner ?? '').startsWith('team-')) report({ subject: `secret/${name}`, message: 'owner is not a team', at: { section: 'secrets', name, path: ['owner'] } }); },",
        "};",
        "export default policy;",
      ].join("\n"),
    );
    await writeFile(
      path.join(root, "tollgate.yaml"),
      `${await readFile(path.join(root, "tollgate.yaml"), "utf8")}customPolicies: policies-local\n`,
    );
    const { report, diagnostics } = await assess(root, { now: NOW });
    expect(diagnostics, JSON.stringify(diagnostics)).toEqual([]);
    const found = report!.findings.filter((f) => f.ruleId === "critical-service-runbook").map((f) => f.subject);
    expect(found).toEqual(
      expect.arrayContaining([
        "service/shopify-admin",
        "service/supabase",
        "service/fly",
        "service/chatwoot",
        "service/shopify-webhooks",
      ]),
    );
    const monitoring = report!.scorecards.find((s) => s.id === "monitoring")!;
    expect(monitoring.categories.find((c) => c.id === "runbooks")).toMatchObject({
      title: "Critical services have runbooks",
      passed: false,
    });
    // 4 built-in categories + runbooks, less "Receivers provisioned" (no channel names a secret: n/a).
    expect([monitoring.total, monitoring.notApplicable]).toEqual([4, 1]);
    expect(report!.findings.filter((f) => f.ruleId === "owner-prefix")).toEqual([]);
  });

  it("a custom policy module that fails to import is reported by the loader with its own code (exit 2), not a crash", async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    await mkdir(path.join(root, "p"));
    await writeFile(
      path.join(root, "p/bad.mjs"),
      "throw new Error('the policy module blew up');\nexport default {};\n",
    );
    // The configuration itself is valid: only the module is broken.
    await writeFile(
      path.join(root, "tollgate.yaml"),
      `${await readFile(path.join(root, "tollgate.yaml"), "utf8")}customPolicies: p\n`,
    );
    const r = await runCli(["check", "--root", root, "--now", NOW], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")).toContain(
      "p/bad.mjs:1:1 custom-policy-invalid could not load custom policy module: the policy module blew up",
    );
    expect(r.stderr).not.toMatch(/unknown-key|unknown-policy|\n\s+at /);
  });

  it("a module whose export is not a policy is reported with the same code, naming what is wrong", async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    await mkdir(path.join(root, "p"));
    await writeFile(path.join(root, "p/bad.mjs"), "export default { id: 'Bad Id', check: 1 };\n");
    await writeFile(
      path.join(root, "tollgate.yaml"),
      `${await readFile(path.join(root, "tollgate.yaml"), "utf8")}customPolicies: p\n`,
    );
    const r = await runCli(["check", "--root", root, "--now", NOW], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^p\/bad\.mjs:1:1 custom-policy-invalid export is not a valid policy: id Invalid string: must match pattern .*; check check must be a function$/m,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("tollgate.yaml can switch a policy off, change its severity, and typos get a hint", async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    const cfg = (await readFile(path.join(root, "tollgate.yaml"), "utf8")).replace(
      "policies:\n",
      "policies:\n  client-no-circuit-breaker: off\n  client-no-metrics: warning\n",
    );
    await writeFile(path.join(root, "tollgate.yaml"), cfg);
    const { report } = await assess(root, { now: NOW });
    expect(report!.findings.some((f) => f.ruleId === "client-no-circuit-breaker")).toBe(false);
    expect(new Set(report!.findings.filter((f) => f.ruleId === "client-no-metrics").map((f) => f.severity))).toEqual(
      new Set(["warning"]),
    );
    await writeFile(
      path.join(root, "tollgate.yaml"),
      cfg.replace("client-no-metrics: warning", "client-no-metric: warning"),
    );
    const r = await runCli(["check", "--root", root, "--now", NOW], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("tollgate.yaml:");
    expect(r.stderr).toContain("unknown-policy no policy named `client-no-metric`");
    expect(r.stderr).toContain("did you mean `client-no-metrics`?");
  });
});
