/**
 * Git plumbing for PR mode: a ref's tree extracted with `git archive` into a temporary folder (the
 * working tree and index are never touched), and the repository root. Kept apart from
 * checks/readiness.ts so `check --base` with a cache hit does not load the evaluation code.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

export class GitRefError extends Error {}

/** Runs `fn` on the project folder as it was at `ref` (the folder is removed afterwards). */
export async function atRef<T>(root: string, ref: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const absRoot = path.resolve(root);
  let top: string;
  try {
    top = (await exec("git", ["-C", absRoot, "rev-parse", "--show-toplevel"])).stdout.trim();
    await exec("git", ["-C", absRoot, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new GitRefError(`cannot read git ref ${JSON.stringify(ref)} in ${root}`);
  }
  const rel = path.relative(top, absRoot);
  const tmp = await mkdtemp(path.join(tmpdir(), "tollgate-base-"));
  try {
    const treeish = rel ? `${ref}:${rel.split(path.sep).join("/")}` : ref;
    await exec("sh", ["-c", `git -C "$1" archive --format=tar "$2" | tar -x -C "$3"`, "sh", top, treeish, tmp], { maxBuffer: 1 << 30 });
    return await fn(tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** The repository root (git top level) holding `root`, else `root` itself, as an absolute path. */
export async function repositoryRoot(root: string): Promise<string> {
  const absRoot = path.resolve(root);
  try {
    return (await exec("git", ["-C", absRoot, "rev-parse", "--show-toplevel"])).stdout.trim() || absRoot;
  } catch {
    return absRoot;
  }
}
