/**
 * TypeScript custom policies load without the user's compiler: esbuild transpiles them in memory,
 * their imports of `tollgate`, of TypeScript helpers (by the `.js` name tsc wants) and of JS helpers
 * keep working, and nothing is written into the project. Runs the compiled CLI (npm run build).
 */
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { filesLoadedBy } from "../helpers/loaded-modules.js";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

const POLICY = `import { definePolicy, z, type Policy } from "tollgate";
import { TIERS } from "./lib/tiers.js";
import { describeTier } from "./lib/describe.mjs";

const policy: Policy<{ tiers: string[] }> = definePolicy({
  id: "ts-runbook",
  title: "Critical service without a runbook",
  category: "monitoring",
  severity: "error",
  rationale: "Whoever is paged needs the runbook.",
  remediation: "Add runbook: <url>.",
  options: z.strictObject({ tiers: z.array(z.string()).default([...TIERS]) }),
  check({ model, options }, report) {
    for (const [name, service] of model.services)
      if (options.tiers.includes(service.tier) && !service.runbook)
        report({ subject: \`service/\${name}\`, message: describeTier(service.tier), at: { section: "services", name, path: ["tier"] } });
  },
});
export default policy;
`;

/** Every path under `dir` (node_modules aside), to show a run adds nothing. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter((p) => !p.startsWith("node_modules")).sort();
}

async function project(files: Record<string, string>): Promise<string> {
  const root = await copyReferenceOrg();
  dirs.push(root);
  await mkdir(path.join(root, "node_modules"));
  await symlink(REPO, path.join(root, "node_modules/tollgate"));
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  await writeFile(
    path.join(root, "tollgate.yaml"),
    `${await readFile(path.join(root, "tollgate.yaml"), "utf8")}customPolicies: p\n`,
  );
  return root;
}

describe("TypeScript custom policies", () => {
  it("load with their tollgate, TypeScript and JavaScript imports, and write nothing into the project", async () => {
    const root = await project({
      "p/runbook.ts": POLICY,
      "p/lib/tiers.ts": 'export const TIERS: readonly string[] = ["critical"] as const;\n',
      "p/lib/describe.mjs":
        "export const describeTier = (tier) => `${tier} service has no runbook (from the helper)`;\n",
    });
    const before = await tree(root);
    const r = await runCli(["check", "--now", NOW, "--format", "json", "--no-cache"], { cwd: root });
    expect(r.code, r.stderr).toBe(1);
    const found = (
      JSON.parse(r.stdout) as { findings: { ruleId: string; subject: string; message: string }[] }
    ).findings.filter((f) => f.ruleId === "ts-runbook");
    expect(found.map((f) => f.subject).sort()).toEqual([
      "service/chatwoot",
      "service/fly",
      "service/shopify-admin",
      "service/shopify-webhooks",
      "service/supabase",
    ]);
    expect(new Set(found.map((f) => f.message))).toEqual(
      new Set(["critical service has no runbook (from the helper)"]),
    );
    expect(await tree(root)).toEqual(before);
  }, 120_000);

  it("a module that does not transpile or resolve is reported where esbuild says, with a hint that fits a .ts file", async () => {
    const root = await project({
      "p/broken.ts": 'export default {\n  id: "x",, \n};\n',
      "p/missing.ts": 'import { nope } from "./lib/missing.js";\nexport default nope;\n',
    });
    const r = await runCli(["check", "--now", NOW], { cwd: root });
    expect(r.code).toBe(2);
    const lines = r.stderr.split("\n");
    expect(lines).toContain(
      'p/broken.ts:2:11 custom-policy-invalid could not load custom policy module p/broken.ts: Expected identifier but found ","',
    );
    expect(lines).toContain(
      'p/missing.ts:1:22 custom-policy-invalid could not load custom policy module p/missing.ts: Could not resolve "./lib/missing.js"',
    );
    expect(lines).toContain("  hint: Fix it there; npx tsc --noEmit p/broken.ts type-checks the module.");
    expect(r.stderr).not.toContain("Run it with node");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it("esbuild is loaded once per run, however many TypeScript policies: their workers reuse the loader's code", async () => {
    const policy = (id: string) => POLICY.replace('"ts-runbook"', JSON.stringify(id));
    const helpers = {
      "p/lib/tiers.ts": 'export const TIERS = ["critical"];\n',
      "p/lib/describe.mjs": "export const describeTier = (t) => t;\n",
    };
    const esbuildLoads = async (root: string) => {
      const run = await filesLoadedBy(["check", "--now", NOW, "--no-cache"], { cwd: root, dirs });
      expect(run.status, run.stderr).toBe(1);
      return run.files.filter((f) => f.includes("/node_modules/esbuild/")).length;
    };
    const one = await esbuildLoads(await project({ "p/a.ts": policy("ts-a"), ...helpers }));
    const three = await esbuildLoads(
      await project({ "p/a.ts": policy("ts-a"), "p/b.ts": policy("ts-b"), "p/c.ts": policy("ts-c"), ...helpers }),
    );
    expect(one).toBeGreaterThan(0);
    expect(three).toBe(one);
  }, 120_000);
});
