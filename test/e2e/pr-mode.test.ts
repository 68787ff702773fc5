/**
 * PR mode with custom policies, as the workflow `init` writes runs it: `check --base HEAD
 * --fail-on-new` in a git repository whose custom policies import `tollgate` from the project's
 * node_modules. The base is extracted inside the project (.tollgate/), so its policies load as the
 * head's do: an unchanged tree has 0 new findings and passes. A base that does not load is exit 2
 * with its problems, never an empty base that makes every finding new.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli, tempDir } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t.example",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t.example",
};
const gitIn =
  (dir: string) =>
  (...args: string[]) =>
    execFileSync("git", ["-C", dir, ...args], { env: gitEnv }).toString();

/** The reference organization with the shipped example custom policies (and a TypeScript one), committed. */
async function estate(): Promise<{ root: string; git: (...a: string[]) => string }> {
  const root = await copyReferenceOrg();
  dirs.push(root);
  // As in a user's repository: tollgate installed, node_modules and Tollgate's own folder not committed.
  await mkdir(path.join(root, "node_modules"));
  await symlink(REPO, path.join(root, "node_modules/tollgate"));
  await writeFile(path.join(root, ".gitignore"), "node_modules/\n.tollgate/\n");
  await cp(path.join(REPO, "examples/custom-policies"), path.join(root, "policies-local"), { recursive: true });
  await writeFile(
    path.join(root, "policies-local/owner-prefix.ts"),
    [
      'import { definePolicy, z } from "tollgate";',
      "export default definePolicy({",
      '  id: "owner-prefix", title: "Secrets owned by commerce", category: "secrets", severity: "warning",',
      '  rationale: "Commerce holds the keys.", remediation: "Hand the secret to team-commerce.", options: z.strictObject({}),',
      "  check({ model }, report) {",
      '    for (const [name, s] of model.secrets) if (s.owner !== "team-commerce") report({ subject: `secret/${name}`, message: `owned by ${s.owner}`, at: { section: "secrets", name, path: ["owner"] } });',
      "  },",
      "});",
    ].join("\n"),
  );
  await writeFile(
    path.join(root, "tollgate.yaml"),
    `${await readFile(path.join(root, "tollgate.yaml"), "utf8")}customPolicies: policies-local\n`,
  );
  const git = gitIn(root);
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
  return { root, git };
}

describe("PR mode with custom policies", () => {
  it("an unchanged tree with the example custom policies: 0 new findings, exit 0, nothing left behind", async () => {
    const { root, git } = await estate();
    const plain = await runCli(["check", "--now", NOW, "--format", "json"], { cwd: root });
    expect(plain.code, plain.stderr).toBe(1);
    const ruleIds = new Set(
      (JSON.parse(plain.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId),
    );
    // The custom policies do report on this estate, so "0 new" means the base found them too.
    expect(ruleIds.has("critical-service-runbook") && ruleIds.has("owner-prefix")).toBe(true);

    const r = await runCli(["check", "--base", "HEAD", "--fail-on-new", "--now", NOW, "--format", "json"], {
      cwd: root,
    });
    expect(r.stderr).not.toContain("empty base");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      findings: { waived?: boolean }[];
      comparison?: { new: number; fixed: unknown[]; unchanged: number; delta: number };
    };
    expect(report.comparison, r.stdout.slice(0, 500)).toBeDefined();
    expect(report.comparison).toMatchObject({
      new: 0,
      fixed: [],
      delta: 0,
      unchanged: report.findings.filter((f) => !f.waived).length,
    });
    expect(existsSync(path.join(root, ".tollgate")), "the base's folder is removed").toBe(false);
    expect(git("status", "--porcelain")).toBe("");
  });

  it("a base that has a tollgate.yaml but does not load: exit 2 with its problems, not an empty base", async () => {
    const { root, git } = await estate();
    // The base commit's policy module is broken; the working tree (the PR) fixes it.
    const policy = path.join(root, "policies-local/owner-prefix.ts");
    const good = await readFile(policy, "utf8");
    await writeFile(
      policy,
      good.replace(
        'from "tollgate";',
        'from "tollgate";\nimport { nope } from "./missing-helper.js";\nexport const helper = nope;',
      ),
    );
    git("commit", "-qam", "broken base");
    const base = git("rev-parse", "HEAD").trim();
    await writeFile(policy, good);
    git("commit", "-qam", "fix");

    const r = await runCli(["check", "--base", base, "--fail-on-new", "--now", NOW], { cwd: root });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toContain("empty base");
    const lines = r.stderr.split("\n");
    expect(lines).toContain(
      `<command line>:1:1 base-invalid --base ${base}: the project at ${base} does not load (1 problem below, files as at that ref)`,
    );
    expect(lines).toContain(
      `${base}:policies-local/owner-prefix.ts:2:22 custom-policy-invalid could not load custom policy module policies-local/owner-prefix.ts: Could not resolve "./missing-helper.js"`,
    );
    expect(existsSync(path.join(root, ".tollgate"))).toBe(false);
  });

  it("a base without tollgate.yaml (the PR that adopts Tollgate) is compared as empty: every finding is new", async () => {
    const { root, git } = await estate();
    git("rm", "-q", "--cached", "tollgate.yaml");
    git("commit", "-qm", "before tollgate");
    const r = await runCli(["check", "--base", "HEAD", "--fail-on-new", "--now", NOW, "--format", "json"], {
      cwd: root,
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("tollgate: HEAD has no tollgate.yaml; comparing against an empty base");
    const report = JSON.parse(r.stdout) as { findings: { waived?: boolean }[]; comparison: { new: number } };
    expect(report.findings.length).toBeGreaterThan(0);
    // Every finding is new (waived ones are not counted as new).
    expect(report.comparison).toMatchObject({
      new: report.findings.filter((f) => !f.waived).length,
      unchanged: 0,
      fixed: [],
    });
  });

  it("a .tollgate that is a link is refused (exit 2), never written through", async () => {
    const { root } = await estate();
    const elsewhere = await tempDir("tollgate-elsewhere-");
    dirs.push(elsewhere);
    await symlink(elsewhere, path.join(root, ".tollgate"));
    const r = await runCli(["check", "--base", "HEAD", "--fail-on-new", "--now", NOW], { cwd: root });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("<command line>:1:1 git-error --base HEAD: ");
    expect(r.stderr).toContain(".tollgate is not a folder, so the base cannot be extracted there");
    expect(await readdir(elsewhere)).toEqual([]);
  });
});
