/**
 * Hostile corpus for `synth --out`: Tollgate replaces only a folder it created (MARKER) or an
 * empty/missing one; never the root, an ancestor of it or of a manifest folder, nor a file. One
 * writer at a time; a killed run's leftovers are recovered; SIGTERM cleans up.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { synthesize } from "../../infra/synth.js";
import { loadProject } from "../../load/loader.js";
import { MARKER, leftoversOf, recoverLeftovers } from "../../util/output-dir.js";
import { BIN, NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const LOCAL_ORG = path.join(REPO, "test/fixtures/orgs/local");
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
async function tmp(): Promise<string> {
  const d = await tempDir("tollgate-synth-out-");
  dirs.push(d);
  return d;
}
async function localOrg(): Promise<string> {
  const d = await tmp();
  await cp(LOCAL_ORG, d, { recursive: true });
  return d;
}
async function model() {
  return (await loadProject(LOCAL_ORG, { now: NOW })).project.model;
}

describe("synth --out never destroys what Tollgate did not create", () => {
  it("refuses the root, an ancestor, a manifest folder, a folder inside one, a file and a foreign folder — exit 2 naming the path, nothing touched", async () => {
    const root = await localOrg();
    await mkdir(path.join(root, "mine"));
    await writeFile(path.join(root, "mine/keep.txt"), "precious\n");
    const cases: [string, RegExp][] = [
      [".", /refusing --out \.: it is the project root/],
      ["..", /refusing --out \.\.: it contains the project root/],
      ["manifests", /refusing --out manifests: it is the manifest folder/],
      ["manifests/out", /refusing --out manifests\/out: it lies inside the manifest folder/],
      ["tollgate.yaml", /refusing --out tollgate\.yaml: it is not a folder/],
      ["mine", /refusing --out mine: the folder is not empty and was not created by tollgate synth/],
    ];
    const before = readdirSync(root).sort();
    for (const [out, message] of cases) {
      const r = await runCli(["synth", "--root", ".", "--env", "local", "--now", NOW, "--out", out], { cwd: root });
      expect(r.code, `${out}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain("internal error");
    }
    expect(readdirSync(root).sort()).toEqual(before);
    expect(readdirSync(path.join(root, "manifests")).length).toBe(4);
    expect(await readFile(path.join(root, "mine/keep.txt"), "utf8")).toBe("precious\n");
  }, 240_000);

  it("replaces its own output (marker) and fills an empty folder", async () => {
    const parent = await tmp();
    const out = path.join(parent, "out");
    await mkdir(out);
    await synthesize(await model(), { envs: ["local"], outDir: out, version: "test" });
    expect(existsSync(path.join(out, MARKER))).toBe(true);
    await synthesize(await model(), { envs: ["local"], outDir: out, version: "test" });
    expect(readdirSync(parent)).toEqual(["out"]);
  }, 120_000);

  it("a second writer gets 'another synth is writing DIR'; a dead writer's lock is taken over", async () => {
    const parent = await tmp();
    const out = path.join(parent, "out");
    await writeFile(`${out}.lock`, `${process.pid}\n`);
    await expect(synthesize(await model(), { envs: ["local"], outDir: out, version: "test" })).rejects.toThrow(
      `another synth is writing ${out}`,
    );
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => dead.on("exit", r));
    await writeFile(`${out}.lock`, `${dead.pid}\n`);
    await synthesize(await model(), { envs: ["local"], outDir: out, version: "test" });
    expect(readdirSync(parent)).toEqual(["out"]);
  }, 120_000);

  it("a run killed between the two renames (only out.old-* left) is recovered; out.tmp-* leftovers are removed", async () => {
    const parent = await tmp();
    const out = path.join(parent, "out");
    await mkdir(`${out}.old-4242-0123abcd`);
    await writeFile(`${out}.old-4242-0123abcd/${MARKER}`, "");
    await writeFile(`${out}.old-4242-0123abcd/previous.txt`, "previous output\n");
    await mkdir(`${out}.tmp-4243-89abcdef`);
    await writeFile(path.join(parent, "out.other"), "not ours\n");
    await recoverLeftovers(out);
    expect(await readFile(path.join(out, "previous.txt"), "utf8")).toBe("previous output\n");
    expect(leftoversOf(out)).toEqual([]);
    expect(readdirSync(parent).sort()).toEqual(["out", "out.other"]);
    // And synth does the same on its own before writing.
    await mkdir(`${out}.tmp-4244-00000000`);
    await synthesize(await model(), { envs: ["local"], outDir: out, version: "test" });
    expect(readdirSync(parent).sort()).toEqual(["out", "out.other"]);
  }, 120_000);

  it("SIGTERM while synth writes leaves no lock, no out.tmp-* and no out.old-*", async () => {
    const parent = await tmp();
    const out = path.join(parent, "out");
    const child = spawn(
      process.execPath,
      [BIN, "synth", "--root", LOCAL_ORG, "--env", "local", "--now", NOW, "--out", out],
      { stdio: "ignore" },
    );
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    // Wait until the run has started writing (its lock or its temporary folder exists).
    const started = Date.now();
    while (!readdirSync(parent).some((n) => n === "out.lock" || n.startsWith("out.tmp-"))) {
      if (Date.now() - started > 90_000) throw new Error("synth never started writing");
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill("SIGTERM");
    // 143 is the cleanup handler's exit (128 + 15): the signal landed while synth was writing, not
    // before the handler existed (killed, no code) nor after synth finished (0).
    expect(await exited).toBe(143);
    expect(existsSync(out)).toBe(false); // the run never got to put its output in place
    expect(leftoversOf(out)).toEqual([]);
  }, 120_000);
});
