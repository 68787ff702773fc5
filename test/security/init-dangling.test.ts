/**
 * `tollgate init DIR` where DIR (or the folder it would be created in) is a dangling or looping
 * symlink: a one-line `file:line:col init-not-a-folder …` diagnostic with a hint, exit 2, nothing
 * written; it was an internal error (ENOTDIR from mkdir, ELOOP from stat).
 */
import { mkdir, readdir, symlink } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeDir, runCli, tempDir } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

async function run(target: string, setup: (dir: string) => Promise<void>) {
  const dir = await tempDir();
  dirs.push(dir);
  await setup(dir);
  const before = await readdir(dir, { recursive: true });
  const r = await runCli(["init", target, "--now", "2026-11-24"], { cwd: dir });
  expect(await readdir(dir, { recursive: true })).toEqual(before);
  return r;
}

function expectUsage(r: { code: number; stdout: string; stderr: string }, shown: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.split("\n");
  expect(lines[0]).toBe(
    `${shown}:1:1 init-not-a-folder is a dangling (or looping) symlink; init cannot create the target folder through it`,
  );
  expect(lines[1]).toMatch(/^ {2}hint: /);
  expect(r.stderr).not.toMatch(/internal error|this is a bug|\n\s+at .*:\d+:\d+/);
}

describe("init into a dangling symlink", () => {
  it("DIR itself dangles", async () => {
    expectUsage(await run("estate", (d) => symlink("nowhere", path.join(d, "estate"))), "estate");
  });

  it("a folder above DIR dangles", async () => {
    expectUsage(
      await run("ops/link/estate", async (d) => {
        await mkdir(path.join(d, "ops"));
        await symlink("../missing", path.join(d, "ops/link"));
      }),
      path.join("ops", "link"),
    );
  });

  it("DIR is a symlink loop", async () => {
    expectUsage(
      await run("a", async (d) => {
        await symlink("b", path.join(d, "a"));
        await symlink("a", path.join(d, "b"));
      }),
      "a",
    );
  });
});
