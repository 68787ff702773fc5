/**
 * The Done-when of "from nothing to a gated pull request": pack this repository, install the
 * tarball into a new git repository, and run the README's "Adopt it" commands exactly as written
 * (only the install line differs: tests talk only to 127.0.0.1, so the tarball and the versions
 * this repository pins are installed with `npm ci --offline` from a lockfile derived from this
 * repository's own, out of the npm cache that `npm ci` filled; see offline-lock.ts). Then the installed package's typings are checked
 * from an ES module consumer with tsc --strict, importing "tollgate" must not load cdktf, and the
 * schemas are importable as `tollgate/schemas/*.json`. Runs on the built dist/ (`npm test` builds).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, removeDir, tempDir } from "../helpers/project.js";
import { writeOfflineLock } from "./offline-lock.js";

const LONG = 900_000;
const pkg = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { version: string };
const readme = await readFile(path.join(REPO, "README.md"), "utf8");

/** The README's "Adopt it" section: its sh commands and its TypeScript policy. */
function adoptSection(): { commands: string[]; policy: string } {
  const start = readme.indexOf("\n## Adopt it\n");
  expect(start, 'README has an "Adopt it" section').toBeGreaterThan(0);
  const body = readme.slice(start, readme.indexOf("\n## ", start + 5));
  const sh = /```sh\n([\s\S]*?)```/.exec(body)?.[1];
  const ts = /```ts\n([\s\S]*?)```/.exec(body)?.[1];
  expect(sh).toBeDefined();
  expect(ts).toBeDefined();
  return { commands: sh!.split("\n").filter((l) => l.trim() !== ""), policy: ts! };
}

interface Ran {
  code: number;
  out: string;
}

/** A shell as a user's: without the npm_* variables of the `npm test` that started this test. */
function sh(line: string, cwd: string): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "", CI: "" };
  for (const k of Object.keys(env)) if (/^npm_/i.test(k) || k === "INIT_CWD") delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", line], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    // npm's own warnings about the machine's npm configuration are not the command's output.
    child.on("close", (code) => resolve({ code: code ?? -1, out: out.replace(/^npm warn .*\n/gm, "") }));
  });
}

let tmp = "";
let tarball = "";

/** A new git repository with a package.json, as an adopter starts. */
async function newRepo(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir);
  expect((await sh("git init -q && git config user.email t@example.invalid && git config user.name t", dir)).code).toBe(
    0,
  );
  await writeFile(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: "estate", version: "1.0.0", private: true }, null, 2)}\n`,
  );
  return dir;
}

beforeAll(async () => {
  if (!existsSync(path.join(REPO, "dist", "index.d.ts")))
    throw new Error("dist/ is not built with typings: run `npm run build` (npm test does)");
  tmp = await tempDir("tollgate-adopt-");
  // --ignore-scripts: prepare would rebuild dist/ while other tests may read it; npm test built it.
  const packed = await sh(`npm pack --offline --ignore-scripts --pack-destination '${tmp}'`, REPO);
  expect(packed.code, packed.out).toBe(0);
  tarball = path.join(tmp, `tollgate-${pkg.version}.tgz`);
  expect(existsSync(tarball), packed.out).toBe(true);
}, LONG);

afterAll(async () => {
  if (tmp) await removeDir(tmp);
});

/** The README's install line: this repository's git tag for the package's version, plus the type-check tools. */
const INSTALL = new RegExp(
  `^npm install --save-dev github:tollgate-dev/tollgate#v${pkg.version.replace(/\./g, "\\.")} typescript @types/node$`,
);

/**
 * Runs the section's commands in `repo`. With TypeScript: verbatim, TypeScript being the newest one
 * this repository's lockfile has (7, which the build uses too). Without: as the README says, the
 * install leaves out `typescript @types/node` and the `npx tsc` line is not run.
 */
async function adopt(repo: string, withTypeScript: boolean): Promise<{ line: string; ran: Ran }[]> {
  const { commands, policy } = adoptSection();
  expect(commands[0]).toMatch(INSTALL);
  const results: { line: string; ran: Ran }[] = [];
  for (const line of commands) {
    const write = /^# write the custom policy below to (\S+\.ts), then:$/.exec(line);
    if (write) {
      await mkdir(path.dirname(path.join(repo, write[1]!)), { recursive: true });
      await writeFile(path.join(repo, write[1]!), policy);
      results.push({ line, ran: { code: 0, out: "" } });
      continue;
    }
    expect(line.startsWith("#"), `an unexpected comment line in the README: ${line}`).toBe(false);
    if (!withTypeScript && line.startsWith("npx tsc ")) continue;
    const install = INSTALL.test(line);
    if (install) await writeOfflineLock(REPO, repo, tarball, withTypeScript ? ["typescript", "@types/node"] : []);
    results.push({ line, ran: await sh(install ? "npm ci --offline --no-audit --no-fund" : line, repo) });
  }
  return results;
}

for (const withTypeScript of [true, false]) {
  describe(`Adopt it (README), against the packed tarball, ${withTypeScript ? "with TypeScript 7" : "without TypeScript"}`, () => {
    let repo = "";
    it(
      "runs every command of the README section in a new git repository",
      async () => {
        repo = await newRepo(withTypeScript ? "estate" : "estate-no-ts");
        const results = await adopt(repo, withTypeScript);
        const byLine = (prefix: string, nth = 0) => results.filter((r) => r.line.startsWith(prefix))[nth]!.ran;

        const installed = byLine("npm install");
        expect(installed.code, installed.out).toBe(0);
        expect(existsSync(path.join(repo, "node_modules", "tollgate", "dist", "index.d.ts"))).toBe(true);
        if (withTypeScript) {
          const ts = JSON.parse(
            await readFile(path.join(repo, "node_modules", "typescript", "package.json"), "utf8"),
          ) as { version: string };
          expect(ts.version).toMatch(/^7\./);
        } else {
          // Not even through another package: the policy below must load with no compiler at all.
          expect(existsSync(path.join(repo, "node_modules", "typescript"))).toBe(false);
        }

        const init = byLine("npx tollgate init");
        expect(init.code, init.out).toBe(0);
        for (const f of [
          ".github/workflows/tollgate.yml",
          "manifests/environments.yaml",
          "manifests/services.yaml",
          "secrets-manifest/secrets.yaml",
          "tollgate.yaml",
          "waivers.yaml",
        ]) {
          expect(init.out).toContain(`  ${f}\n`);
        }
        expect(await readFile(path.join(repo, "tollgate.yaml"), "utf8")).toMatch(/^organization: Acme$/m);
        // The $schema lines resolve from the adopter's files into the installed package.
        for (const [file, schema] of [
          ["tollgate.yaml", "config"],
          ["manifests/services.yaml", "manifest"],
          ["waivers.yaml", "waivers"],
        ] as const) {
          const ref = /^# yaml-language-server: \$schema=(\S+)$/m.exec(
            await readFile(path.join(repo, file), "utf8"),
          )?.[1];
          expect(ref).toMatch(new RegExp(`node_modules/tollgate/schemas/${schema}\\.schema\\.json$`));
          expect(existsSync(path.resolve(repo, path.dirname(file), ref!)), `${file} → ${ref}`).toBe(true);
        }

        const validate = byLine("npx tollgate validate");
        expect(validate.out).toContain("3 files valid: 2 environments, 1 service, 1 secret");
        expect(validate.code).toBe(0);

        const first = byLine("npx tollgate check", 0);
        expect(first.code, first.out).toBe(1);
        expect(first.out).toContain(
          "secret-missing-in-production  secret/WEB_APP_API_KEY@production: required in production but not present in production",
        );
        expect(first.out).toContain(
          "production-not-deployed  environment/production: production is marked deployed: false",
        );
        expect(first.out).toContain("service-no-alert-rule  service/web-app");
        expect(first.out).toContain("gate failed: 2 error findings");
        expect(first.out).not.toContain("critical-service-runbook");

        if (withTypeScript) {
          const tsc = byLine("npx tsc");
          expect(tsc.out).toBe("");
          expect(tsc.code).toBe(0);
        } else expect(results.some((r) => r.line.startsWith("npx tsc"))).toBe(false);

        const second = byLine("npx tollgate check", 1);
        expect(second.code, second.out).toBe(1);
        expect(second.out).toContain("critical-service-runbook  service/web-app: critical service has no runbook");
        expect(second.out).toContain("gate failed: 3 error findings");
        // Transpiled in memory: the policy folder holds only what the user wrote.
        expect(await readdir(path.join(repo, "policies-local"))).toEqual(["critical-service-runbook.ts"]);
      },
      LONG,
    );

    if (withTypeScript) {
      it(
        "type-checks an ES module consumer of the library surface with tsc --strict, and rejects a wrong one",
        async () => {
          const consumer = path.join(repo, "consumer");
          await mkdir(consumer, { recursive: true });
          await writeFile(path.join(consumer, "package.json"), '{ "type": "module" }\n');
          await writeFile(path.join(consumer, "use.ts"), CONSUMER);
          await writeFile(path.join(consumer, "wrong.ts"), WRONG);
          const flags = "--noEmit --strict --target es2022 --module nodenext --moduleResolution nodenext --types node";
          // One tsc run over both files (loading the package's typings dominates): every error must be
          // in wrong.ts, so use.ts — and the installed .d.ts files — type-check cleanly.
          const both = await sh(`npx tsc ${flags} consumer/use.ts consumer/wrong.ts`, repo);
          expect(both.code).not.toBe(0);
          const errors = both.out.split("\n").filter((l) => /error TS\d+/.test(l));
          expect(errors.length, both.out).toBe(2);
          expect(
            errors.every((l) => l.startsWith("consumer/wrong.ts(")),
            both.out,
          ).toBe(true);
          expect(both.out).toMatch(/wrong\.ts\(\d+,\d+\): error TS2322/); // severity "fatal" is not a PolicySeverity
          expect(both.out).toMatch(/wrong\.ts\(\d+,\d+\): error TS2339: Property 'nope' does not exist/);
        },
        LONG,
      );

      it(
        "importing tollgate loads no cdktf; the schemas are exported",
        async () => {
          const script = [
            'import { createRequire } from "node:module";',
            'const t = await import("tollgate");',
            'const schema = (await import("tollgate/schemas/manifest.schema.json", { with: { type: "json" } })).default;',
            "const cached = Object.keys(createRequire(import.meta.url).cache);",
            'console.log(JSON.stringify({ cdktf: cached.filter((k) => k.includes("/node_modules/cdktf/")).length, exports: Object.keys(t).sort(), id: schema.$id }));',
          ].join("\n");
          await writeFile(path.join(repo, "probe-import.mjs"), script);
          const r = await sh("node probe-import.mjs", repo);
          expect(r.code, r.out).toBe(0);
          const seen = JSON.parse(r.out) as { cdktf: number; exports: string[]; id: string };
          expect(seen.cdktf).toBe(0);
          expect(seen.exports).toEqual(
            expect.arrayContaining([
              "loadProject",
              "definePolicy",
              "evaluate",
              "runPolicyCase",
              "synthesize",
              "runProbes",
              "renderSarif",
              "REPORTERS",
              "z",
            ]),
          );
          expect(seen.id).toBe(
            "https://raw.githubusercontent.com/tollgate-dev/tollgate/main/schemas/manifest.schema.json",
          );
        },
        LONG,
      );
    }
  });
}

const CONSUMER = `import { definePolicy, evaluate, loadProject, renderSarif, REPORTERS, runPolicyCase, sortCaseFindings, synthesize, z } from "tollgate";
import type { Finding, Policy, ProbeResult, ProbeRunOptions, Report, SynthOptions } from "tollgate";

const policy: Policy<{ minDays: number }> = definePolicy({
  id: "rotation-floor",
  title: "Rotation period below a floor",
  category: "secrets",
  severity: "warning",
  rationale: "Very short rotations are rarely kept.",
  remediation: "Raise rotationDays.",
  options: z.strictObject({ minDays: z.number().default(7) }),
  scorecard: { id: "secrets", category: "rotation-floor", categoryTitle: "Rotation floor" },
  async check({ model, options }, report) {
    for (const [name, secret] of model.secrets)
      if ((secret.rotationDays ?? Infinity) < options.minDays) report({ subject: \`secret/\${name}\`, message: "rotates too often", at: { section: "secrets", name, path: ["rotationDays"] } });
  },
});

const result = runPolicyCase(policy, { manifest: { services: {} }, now: "2026-11-24" });
const sorted = sortCaseFindings(result.findings);
const { project, ok } = await loadProject(".", { now: "2026-11-24" });
const { report }: { report: Report } = await evaluate(project);
const worst: Finding | undefined = report.findings.find((f) => f.severity === "error");
const sarif: string = renderSarif(report);
const formats: string[] = REPORTERS.map((r) => r.format);
const synthOpts: SynthOptions = { envs: ["staging"], outDir: "out", version: "1" };
const run: (o: SynthOptions) => Promise<{ outDir: string; stacks: string[] }> = (o) => synthesize(project.model, o);
const probeOpts: Partial<ProbeRunOptions> = { env: "staging", concurrency: 4 };
const healthy = (r: ProbeResult): boolean => r.status === "healthy";
export { sorted, ok, worst, sarif, formats, synthOpts, run, probeOpts, healthy };
`;

const WRONG = `import { definePolicy, loadProject, z } from "tollgate";

export default definePolicy({
  id: "x",
  title: "x",
  category: "secrets",
  severity: "fatal",
  rationale: "x",
  remediation: "x",
  options: z.strictObject({}),
  check() {},
});
const { project } = await loadProject(".");
project.nope;
`;
