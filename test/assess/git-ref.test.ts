import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { atRef, GitRefError } from "../../assess/git-ref.js";

const roots: string[] = [];
afterAll(async () => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

async function repo(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "tollgate-git-ref-"));
  roots.push(root);
  const git = (...a: string[]) =>
    execFileSync("git", ["-C", root, "-c", "user.name=t", "-c", "user.email=t@example.com", ...a]);
  git("init", "-q", "-b", "main");
  for (let i = 0; i < 40; i++) await writeFile(path.join(root, `f${i}.yaml`), `n: ${i}\n`);
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  return root;
}

describe("atRef (the --base tree)", () => {
  it("removes the extracted tree and the working folder it created", async () => {
    const root = await repo();
    const seen = await atRef(root, "main", async (dir) => dir);
    await expect(stat(seen)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(stat(path.join(root, ".tollgate"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("names a ref that does not exist as a git error", async () => {
    const root = await repo();
    await expect(atRef(root, "nope", async () => 1)).rejects.toBeInstanceOf(GitRefError);
  });
});
