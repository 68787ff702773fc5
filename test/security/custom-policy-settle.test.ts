/**
 * Hostile corpus, custom policies that never let `check` decide: a top-level `await` that never
 * settles, `process.exit(0)` at import or inside the check, an uncaught throw that kills the worker.
 * Each used to end the CLI itself (exit 0, no report); now the module runs only in a worker thread,
 * so each is `custom-policy-failed` naming the module (and the policy id once known), exit 2, and
 * every requested output is still written.
 */
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

const meta = (id: string) =>
  `id: '${id}', title: 'T', category: 'secrets', severity: 'warning', rationale: 'R', remediation: 'M'`;

async function runHostile(
  file: string,
  source: string,
): Promise<{ code: number; stderr: string; line: string | undefined; root: string }> {
  const root = await copyReferenceOrg();
  dirs.push(root);
  await mkdir(path.join(root, "policies-local"));
  await writeFile(path.join(root, "policies-local", file), source);
  const cfg = path.join(root, "tollgate.yaml");
  await writeFile(
    cfg,
    `${await readFile(cfg, "utf8")}customPolicies: policies-local\nlimits:\n  customPolicyTimeoutMs: 1000\n`,
  );
  const out = path.join(root, "out");
  const r = await runCli(
    [
      "check",
      "--root",
      root,
      "--now",
      NOW,
      "--format",
      `json=${out}.json`,
      "--format",
      `junit=${out}.xml`,
      "--format",
      `markdown=${out}.md`,
    ],
    { cwd: root, timeoutMs: 180_000 },
  );
  // Every requested output is there and says the run did not decide.
  const json = JSON.parse(await readFile(`${out}.json`, "utf8"));
  expect(JSON.stringify(json)).toContain("custom-policy-failed");
  const xml = await readFile(`${out}.xml`, "utf8");
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml).toContain("custom-policy-failed");
  expect(await readFile(`${out}.md`, "utf8")).toContain("custom-policy-failed");
  return { ...r, root, line: r.stderr.split("\n").find((l) => l.includes("custom-policy-failed")) };
}

function expectFailed(
  r: { code: number; stderr: string; line: string | undefined },
  file: string,
  reason: RegExp,
  id?: string,
): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.line, r.stderr).toBeDefined();
  expect(r.line).toContain(`policies-local/${file}`);
  if (id) expect(r.line).toContain(`\`${id}\``);
  expect(r.line).toMatch(reason);
  expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
  expect(r.stderr).not.toContain("this is a bug");
}

describe("a custom policy cannot end `check` before it decides", () => {
  it("a top-level await that never settles (nothing keeps its thread alive)", { timeout: 240_000 }, async () => {
    const r = await runHostile(
      "tla.mjs",
      `await new Promise(() => {});\nexport default { ${meta("never")}, check() {} };\n`,
    );
    expectFailed(r, "tla.mjs", /failed while loading: its import ended the worker/);
  });

  it("a top-level await kept pending by a timer ends at the load time limit", { timeout: 240_000 }, async () => {
    const r = await runHostile(
      "tla-timer.mjs",
      `await new Promise(() => { setInterval(() => {}, 1000); });\nexport default { ${meta("never-timer")}, check() {} };\n`,
    );
    expectFailed(r, "tla-timer.mjs", /did not settle within 15000 ms/);
  });

  it("process.exit(0) at import", { timeout: 240_000 }, async () => {
    const r = await runHostile(
      "exit-import.mjs",
      `process.exit(0);\nexport default { ${meta("exit-import")}, check() {} };\n`,
    );
    expectFailed(r, "exit-import.mjs", /exit code 0/);
  });

  it("process.exit(0) inside the check (TypeScript module)", { timeout: 240_000 }, async () => {
    const r = await runHostile(
      "exit-check.ts",
      `const p: any = { ${meta("exit-check")}, check() { process.exit(0); } };\nexport default p;\n`,
    );
    expectFailed(r, "exit-check.ts", /exited \(code 0\)/, "exit-check");
  });

  it("an uncaught throw at import kills its worker", { timeout: 240_000 }, async () => {
    const r = await runHostile(
      "crash-import.mjs",
      `setTimeout(() => { throw new RangeError("worker down"); }, 0);\nawait new Promise(() => { setInterval(() => {}, 1000); });\nexport default { ${meta("crash-import")}, check() {} };\n`,
    );
    expectFailed(r, "crash-import.mjs", /crashed: worker down/);
  });

  it("an uncaught throw during the check kills its worker", { timeout: 240_000 }, async () => {
    const r = await runHostile(
      "crash-check.mjs",
      `export default { ${meta("crash-check")}, check() { setTimeout(() => { throw new Error("gone mid-check"); }, 0); return new Promise(() => { setInterval(() => {}, 1000); }); } };\n`,
    );
    expectFailed(r, "crash-check.mjs", /gone mid-check/, "crash-check");
  });
});

describe("options still reach a custom policy loaded in its worker", () => {
  const source = [
    "import { z } from 'tollgate';",
    `export default { ${meta("opt-policy")}, options: z.strictObject({ tiers: z.array(z.string()).default(['critical']) }),`,
    "  check({ options }, report) { report({ subject: 'service/x', message: 'tiers ' + options.tiers.join('+'), at: { section: 'services', name: 'x' } }); } };",
  ].join("\n");

  async function withOptions(options: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const root = await copyReferenceOrg();
    dirs.push(root);
    await mkdir(path.join(root, "policies-local"));
    await mkdir(path.join(root, "node_modules"));
    await symlink(REPO, path.join(root, "node_modules/tollgate"));
    await writeFile(path.join(root, "policies-local", "opt.mjs"), source);
    const cfg = path.join(root, "tollgate.yaml");
    const text = (await readFile(cfg, "utf8")).replace(
      "policies:\n",
      `policies:\n  opt-policy:\n    options: ${options}\n`,
    );
    await writeFile(cfg, `${text}customPolicies: policies-local\n`);
    return runCli(["check", "--root", root, "--now", NOW, "--format", "json", "--fail-on", "never"], {
      cwd: root,
      timeoutMs: 180_000,
    });
  }

  it("valid options are parsed in the worker and passed to the check", { timeout: 240_000 }, async () => {
    const r = await withOptions("{ tiers: [high, low] }");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).findings.find((f: { ruleId: string }) => f.ruleId === "opt-policy").message).toBe(
      "tiers high+low",
    );
  });

  it("invalid options are invalid-policy-options at their line in tollgate.yaml", { timeout: 240_000 }, async () => {
    const r = await withOptions("{ tiers: 5 }");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tollgate\.yaml:\d+:\d+ invalid-policy-options opt-policy: tiers: /m);
    expect(r.stderr).not.toMatch(/^tollgate\.yaml:1:1 /m);
  });
});
