/**
 * The command-line conventions adopters expect from git and eslint: tollgate.yaml found by walking
 * up from the working directory, --quiet (errors only) and --verbose, --no-color beside NO_COLOR
 * and FORCE_COLOR, and validate's --format FMT=FILE like check's.
 */
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findProjectRoot, resolveRoot } from "../../cli/find-root.js";
import { colorEnabled } from "../../cli/common.js";
import { NOW, copyReferenceOrg, removeDir, runCli, tempDir, writeProject } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
const track = (d: string) => (dirs.push(d), d);
const ESC = "\u001b[";

describe("the project root", () => {
  it("is found by walking up from the working directory, and output paths stay relative to it", async () => {
    const root = track(await copyReferenceOrg());
    const deep = path.join(root, "manifests", "nested", "deeper");
    await mkdir(deep, { recursive: true });
    expect(await findProjectRoot(deep)).toBe(root);
    expect(await resolveRoot(undefined, deep)).toBe(path.join("..", "..", ".."));
    expect(await resolveRoot("given", deep)).toBe("given");
    const r = await runCli(["check", "--now", NOW, "--format", "json", "--fail-on", "never"], { cwd: deep });
    expect(r.code, r.stderr).toBe(0);
    const file = path.resolve(deep, JSON.parse(r.stdout).findings[0].location.file);
    expect(file).toMatch(new RegExp(`^${root}/(manifests|secrets-manifest)/`));
    expect((await runCli(["validate", "--now", NOW], { cwd: deep })).stdout).toContain("16 services");
  });

  it("none anywhere up is exit 2 with a hint to run tollgate init; a bare manifests/ folder still works", async () => {
    const empty = track(await tempDir());
    expect(await findProjectRoot(empty)).toBeUndefined();
    for (const cmd of [["validate"], ["check"], ["forecast"]]) {
      const r = await runCli([...cmd, "--now", NOW], { cwd: empty });
      expect(r.code, cmd[0]).toBe(2);
      expect(r.stderr).toContain(`no tollgate.yaml in ${empty} or any folder above it`);
      expect(r.stderr).toContain("hint: Run `tollgate init`");
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const bare = track(
      await writeProject({ "manifests/a.yaml": "services:\n  api: { kind: infra, owner: a, tier: low }\n" }),
    );
    expect((await runCli(["validate", "--now", NOW], { cwd: bare })).code).toBe(0);
  });
});

describe("verbosity", () => {
  it("--quiet prints error findings only; --verbose says what it did; both at once is a usage error", async () => {
    const normal = (await runCli(["check", "--now", NOW])).stdout;
    expect(normal).toMatch(/ warning /);
    const quiet = await runCli(["check", "--now", NOW, "--quiet"]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toMatch(/ error /);
    expect(quiet.stdout).not.toMatch(/ warning |run with --explain|secret-rotation-due-soon/);
    expect(quiet.stderr).toBe("tollgate: gate failed: 23 error findings (--fail-on error)\n");
    const verbose = await runCli(["-q", "validate", "--now", NOW]);
    expect([verbose.code, verbose.stdout]).toEqual([0, ""]);
    const loud = await runCli(["check", "--now", NOW, "--verbose", "--fail-on", "never"]);
    expect(loud.stderr).toMatch(/^tollgate: project root \. \(found from the working directory\)$/m);
    expect(loud.stderr).toMatch(/^tollgate: evaluated \d+ files, \d+ findings in \d+ ms$/m);
    const both = await runCli(["check", "--quiet", "--verbose"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("use either --quiet or --verbose");
  });
});

describe("colour", () => {
  it("FORCE_COLOR colours piped output; --no-color and NO_COLOR win over it", async () => {
    const forced = await runCli(["check", "--now", NOW, "--fail-on", "never"], {
      env: { NO_COLOR: undefined, FORCE_COLOR: "1" },
    });
    expect(forced.stdout).toContain(ESC);
    const off = await runCli(["check", "--now", NOW, "--fail-on", "never", "--no-color"], {
      env: { NO_COLOR: undefined, FORCE_COLOR: "1" },
    });
    expect(off.stdout).not.toContain(ESC);
    const policies = await runCli(["policies", "--no-color"], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(policies.stdout).not.toContain(ESC);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { FORCE_COLOR: "0" })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
  });
});

describe("validate --format", () => {
  it("takes FMT=FILE like check, several at once, and one on standard output at most", async () => {
    const out = track(await tempDir());
    const r = await runCli([
      "validate",
      "--now",
      NOW,
      "--format",
      `json=${out}/v.json`,
      "--format",
      `text=${out}/v.txt`,
    ]);
    expect([r.code, r.stdout]).toEqual([0, ""]);
    expect(JSON.parse(await readFile(`${out}/v.json`, "utf8"))).toEqual({ ok: true, diagnostics: [] });
    expect(await readFile(`${out}/v.txt`, "utf8")).toMatch(/^✔ \d+ files valid/);
    const twice = await runCli(["validate", "--format", "json", "--format", "text"]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("only one --format may print to standard output");
  });
});
