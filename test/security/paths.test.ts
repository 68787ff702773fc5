/**
 * Hostile corpus for reads: configured paths stay inside the root (path-outside-root), nothing is
 * dropped silently (path-not-found, symlink-broken, file-unreadable), and YAML beyond the core
 * schema is a located error. Serial and worker-thread parsing must report the same.
 */
import { spawnSync } from "node:child_process";
import { chmod, cp, mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const BASE = path.join(REPO, "test/fixtures/base");
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

async function project(files: Record<string, string> = {}, config?: string): Promise<string> {
  const dir = await tempDir("tollgate-paths-");
  dirs.push(dir);
  await cp(BASE, dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  if (config !== undefined) await writeFile(path.join(dir, "tollgate.yaml"), config);
  return dir;
}
async function load(dir: string, workers = 0) {
  return loadProject(dir, { now: NOW, displayBase: dir, workers });
}
function codes(r: Awaited<ReturnType<typeof load>>): string[] {
  return r.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`);
}

describe("configured paths stay inside the project root", () => {
  it.each([
    ['manifests: ["../../"]\n', "tollgate.yaml:1"],
    ["manifests: [/]\n", "tollgate.yaml:1"],
    ["manifests:\n  - manifests\n  - /etc\n", "tollgate.yaml:3"],
    ["waivers: /etc/passwd\n", "tollgate.yaml:1"],
    ["customPolicies: ../somewhere\n", "tollgate.yaml:1"],
    ["customPolicies: /tmp\n", "tollgate.yaml:1"],
  ])("%j → path-outside-root at the config entry", async (config, at) => {
    const r = await load(await project({}, config));
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain(`path-outside-root ${at}`);
    // Nothing outside was read: only the one diagnostic, no file content in any message.
    expect(r.diagnostics).toHaveLength(1);
    expect(JSON.stringify(r.diagnostics)).not.toMatch(/root:x:0/);
  });

  it("a manifests/ folder that is a symlink to outside → path-outside-root", async () => {
    const outside = await tempDir("tollgate-outside-");
    dirs.push(outside);
    await cp(path.join(BASE, "manifests"), outside, { recursive: true });
    const dir = await project();
    await removeDir(path.join(dir, "manifests"));
    await symlink(outside, path.join(dir, "manifests"));
    const r = await load(dir);
    expect(codes(r)).toEqual(["path-outside-root tollgate.yaml:1"]);
  });

  it("waivers naming a non-waivers file inside the root is reported without quoting its content", async () => {
    const dir = await project({ "notes.yaml": "SECRETISH_LINE: do-not-echo\nother: 1\n" }, "waivers: notes.yaml\n");
    const r = await load(dir);
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(["invalid-type notes.yaml:1"]);
    expect(JSON.stringify(r.diagnostics)).not.toContain("SECRETISH_LINE");
  });

  it("an unknown key is quoted at most 64 characters long (a pasted line is not echoed whole)", async () => {
    const long = `k${"x".repeat(300)}TAIL`;
    const r = await load(await project({ "manifests/long.yaml": `${long}: 1\n` }));
    expect(codes(r)).toEqual(["unknown-key manifests/long.yaml:1"]);
    expect(r.diagnostics[0]!.message).not.toContain("TAIL");
    expect(r.diagnostics[0]!.message.length).toBeLessThan(100);
  });

  it("CLI: waivers: /etc/passwd exits 2 and prints no line of the file", async () => {
    const dir = await project({}, "waivers: /etc/passwd\n");
    const r = await runCli(["validate", "--root", dir, "--now", NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("path-outside-root");
    expect(r.stdout + r.stderr).not.toMatch(/root:|nologin/);
  }, 60_000);
});

describe("nothing is dropped silently", () => {
  it("a misspelled manifests folder → path-not-found with a did-you-mean", async () => {
    const r = await load(await project({}, "manifests: [manifest]\n"));
    expect(codes(r)).toEqual(["path-not-found tollgate.yaml:1"]);
    expect(r.diagnostics[0]!.hint).toContain('did you mean "manifests"?');
  });

  it("a dangling link and a symlink loop → symlink-broken", async () => {
    const dir = await project();
    await symlink("nowhere.yaml", path.join(dir, "manifests/dangling.yaml"));
    await symlink("loop-b", path.join(dir, "manifests/loop-a"));
    await symlink("loop-a", path.join(dir, "manifests/loop-b"));
    await symlink(".", path.join(dir, "manifests/self"));
    const r = await load(dir);
    expect(codes(r)).toEqual([
      "symlink-broken manifests/dangling.yaml:1",
      "symlink-broken manifests/loop-a:1",
      "symlink-broken manifests/loop-b:1",
      "symlink-broken manifests/self:1",
    ]);
  });

  it("a file linked twice is read once (no duplicate-name)", async () => {
    const dir = await project();
    await symlink("base.yaml", path.join(dir, "manifests/again.yaml"));
    const r = await load(dir);
    expect(r.ok, JSON.stringify(r.diagnostics)).toBe(true);
    expect(r.project.files).toHaveLength(1);
  });

  it("a folder where the waivers file is expected → file-unreadable, not 'not valid UTF-8'", async () => {
    const dir = await project({ "w/keep.txt": "" }, "waivers: w\n");
    const r = await load(dir);
    expect(codes(r)).toEqual(["file-unreadable tollgate.yaml:1"]);
  });

  it("a FIFO named like a manifest → file-unreadable, and loading does not hang on it", async () => {
    const dir = await project();
    expect(spawnSync("mkfifo", [path.join(dir, "manifests/pipe.yaml")]).status).toBe(0);
    const r = await load(dir);
    expect(codes(r)).toEqual(["file-unreadable manifests/pipe.yaml:1"]);
  });

  // Root reads a chmod-000 folder anyway, so as root the CLI runs without CAP_DAC_OVERRIDE and
  // CAP_DAC_READ_SEARCH (util-linux setpriv): the case runs everywhere.
  it("an unreadable sub-folder (chmod 000) → file-unreadable", async () => {
    const dir = await project({ "manifests/locked/x.yaml": "services: {}\n" });
    const asRoot = process.getuid?.() === 0;
    await chmod(path.join(dir, "manifests/locked"), 0o000);
    try {
      const r = await runCli(["validate", "--root", dir], { cwd: dir, withoutDacOverride: asRoot });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout + r.stderr).toMatch(/^manifests\/locked:1:1 file-unreadable /m);
    } finally {
      await chmod(path.join(dir, "manifests/locked"), 0o755);
    }
  });
});

describe("YAML beyond the core schema is a located error (serial and worker threads agree)", () => {
  const cases: [string, string, string][] = [
    ["omap.yaml", "services: !!omap\n  - api2: { kind: http-api }\n", "yaml-unsupported-tag manifests/omap.yaml:2"],
    ["set.yaml", "secrets: !!set\n  ? A\n", "yaml-unsupported-tag manifests/set.yaml:2"],
    ["custom.yaml", "services:\n  api2: !thing\n    kind: http-api\n", "yaml-unsupported-tag manifests/custom.yaml:3"],
    [
      "binary.yaml",
      "services:\n  api2:\n    owner: !!binary aGVsbG8=\n",
      "yaml-unsupported-tag manifests/binary.yaml:3",
    ],
    [
      "key-tag.yaml",
      "services:\n  ? !!binary YXBp\n  : { kind: http-api }\n",
      "yaml-unsupported-tag manifests/key-tag.yaml:2",
    ],
    ["alias.yaml", "services:\n  api2: *nowhere\n", "yaml-undefined-alias manifests/alias.yaml:2"],
    [
      "deep-flow.yaml",
      `services: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
      "nesting-too-deep manifests/deep-flow.yaml:1",
    ],
    ["deep-block.yaml", `services:\n  ${"- ".repeat(10_000)}x\n`, "nesting-too-deep manifests/deep-block.yaml:2"],
  ];
  it.each(cases)(
    "%s",
    async (name, text, expected) => {
      const dir = await project({ [`manifests/${name}`]: text, "manifests/zz-other.yaml": "alerts: {}\n" });
      const serial = await load(dir, 0);
      const parallel = await load(dir, 2);
      expect(codes(serial)).toEqual([expected]);
      expect(codes(parallel)).toEqual(codes(serial));
      expect(JSON.stringify(serial.diagnostics)).not.toContain("Maximum call stack");
    },
    60_000,
  );
});
