/**
 * `tollgate init` checks every target before writing, but a file or symlink can appear between the
 * check and the write (a shared folder, another process). The write itself must then refuse too:
 * nothing is replaced, no symlink that appeared is followed out of the folder, and what init had
 * already written is removed. The window is reproduced deterministically by creating the entries
 * after planProblems() and before writePlan().
 */
import { lstat, readFile, readlink, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { initFiles } from "../../cli/init/templates.js";
import { planProblems, writePlan } from "../../cli/init/write.js";
import { NOW, removeDir, tempDir } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

async function planIn(dir: string) {
  const files = await initFiles({ example: "starter", dir, now: NOW });
  const plan = { dir, files, display: (abs: string) => abs };
  expect(await planProblems(plan)).toEqual([]);
  return plan;
}

describe("init between the check and the write", () => {
  it("does not follow a symlink that appeared at a target, and leaves nothing of its own behind", async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    dirs.push(dir, outside);
    const victim = path.join(outside, "victim.txt");
    await writeFile(victim, "keep me\n");
    const plan = await planIn(dir);
    const last = plan.files.at(-1)!.path;
    await symlink(victim, path.join(dir, ...last.split("/")));
    await expect(writePlan(plan)).rejects.toThrow();
    expect(await readFile(victim, "utf8")).toBe("keep me\n");
    expect(await readlink(path.join(dir, ...last.split("/")))).toBe(victim);
    for (const f of plan.files.slice(0, -1))
      await expect(lstat(path.join(dir, ...f.path.split("/"))), f.path).rejects.toThrow();
  });

  it("does not replace a file that appeared at a target", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const plan = await planIn(dir);
    const first = path.join(dir, plan.files.find((f) => !f.path.includes("/"))!.path);
    await writeFile(first, "theirs\n");
    await expect(writePlan(plan)).rejects.toThrow(/appeared/);
    expect(await readFile(first, "utf8")).toBe("theirs\n");
  });
});
