/**
 * Hostile corpus, custom policies: a check that rejects, throws or never returns is contained. On a
 * valid tollgate.yaml each is `custom-policy-failed` naming the policy id and module, exit 2, no
 * stack trace, and the run ends (the infinite loop under a short configured time limit).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NOW, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

const meta = (id: string) =>
  `id: '${id}', title: 'T', category: 'secrets', severity: 'warning', rationale: 'R', remediation: 'M'`;

async function projectWithPolicy(file: string, source: string, extraConfig = ""): Promise<string> {
  const root = await copyReferenceOrg();
  dirs.push(root);
  await mkdir(path.join(root, "policies-local"));
  await writeFile(path.join(root, "policies-local", file), source);
  const cfg = path.join(root, "tollgate.yaml");
  await writeFile(cfg, `${await readFile(cfg, "utf8")}customPolicies: policies-local\n${extraConfig}`);
  return root;
}

async function expectContained(root: string, id: string, file: string, reason: RegExp): Promise<void> {
  const r = await runCli(["check", "--root", root, "--now", NOW], { cwd: root, timeoutMs: 120_000 });
  expect(r.code, r.stdout + r.stderr).toBe(2);
  const line = r.stderr.split("\n").find((l) => l.includes("custom-policy-failed"));
  expect(line, r.stderr).toBeDefined();
  expect(line).toContain(`\`${id}\``);
  expect(line).toContain(`policies-local/${file}`);
  expect(line).toMatch(reason);
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(r.stdout + r.stderr).not.toContain("this is a bug");
}

describe("custom policies are contained", () => {
  it("an async check that rejects", { timeout: 240_000 }, async () => {
    const root = await projectWithPolicy(
      "reject.mjs",
      `export default { ${meta("async-reject")}, async check() { await null; throw new Error("upstream said no"); } };\n`,
    );
    await expectContained(root, "async-reject", "reject.mjs", /upstream said no/);
  });

  it("a check that throws (TypeScript module)", { timeout: 240_000 }, async () => {
    const root = await projectWithPolicy(
      "throws.ts",
      `const p: any = { ${meta("sync-throw")}, check(ctx: any) { return ctx.model.nothing.here; } };\nexport default p;\n`,
    );
    await expectContained(root, "sync-throw", "throws.ts", /TypeError/);
  });

  it("a check that loops forever ends at the configured time limit", { timeout: 240_000 }, async () => {
    const root = await projectWithPolicy(
      "loop.mjs",
      `export default { ${meta("forever")}, check() { for (;;) {} } };\n`,
      "limits:\n  customPolicyTimeoutMs: 300\n",
    );
    await expectContained(root, "forever", "loop.mjs", /did not finish within 300 ms/);
  });

  it("a finding that is not a finding", { timeout: 240_000 }, async () => {
    const root = await projectWithPolicy(
      "bad-finding.mjs",
      `export default { ${meta("bad-finding")}, check(ctx, report) { report({ subject: 1 }); } };\n`,
    );
    await expectContained(root, "bad-finding", "bad-finding.mjs", /finding/);
  });

  it("a well-behaved async custom policy still reports its findings", { timeout: 240_000 }, async () => {
    const root = await projectWithPolicy(
      "ok.mjs",
      `export default { ${meta("async-ok")}, async check({ model }, report) { await null; for (const name of model.services.keys()) report({ subject: 'service/' + name, message: 'seen', at: { section: 'services', name } }); } };\n`,
    );
    const r = await runCli(["check", "--root", root, "--now", NOW, "--format", "json"], {
      cwd: root,
      timeoutMs: 120_000,
    });
    expect(r.stderr).not.toContain("custom-policy-failed");
    const report = JSON.parse(r.stdout);
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId === "async-ok").length).toBeGreaterThan(3);
  });
});
