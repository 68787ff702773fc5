/**
 * Git plumbing for PR mode: a ref's tree extracted with `git archive` into a folder of Tollgate's
 * own inside the project (the working tree and index are never touched), and the repository root.
 * Kept apart from assess/readiness.ts so `check --base` with a cache hit does not load the
 * evaluation code.
 */
import { execFile } from "node:child_process";
import { lstat, mkdir, mkdtemp, rm, rmdir } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";

const exec = promisify(execFile);

export class GitRefError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * Tollgate's working folder in the project (gitignore it). The base is extracted here, not in the
 * system temp folder, so its custom policies resolve `tollgate` and other packages from the
 * project's node_modules exactly as the head's do.
 */
export const WORK_DIR = ".tollgate";

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
  const work = path.join(absRoot, WORK_DIR);
  const created = await mkdir(work, { recursive: true }).catch(() => undefined);
  // A link or a file under that name is not ours to write through or replace.
  if (!(await lstat(work).catch(() => undefined))?.isDirectory())
    throw new GitRefError(
      `${path.join(root, WORK_DIR)} is not a folder, so the base cannot be extracted there`,
      `Remove or rename it; Tollgate keeps its working files in ${WORK_DIR}/ (gitignored).`,
    );
  const tmp = await mkdtemp(path.join(work, "base-"));
  try {
    const treeish = rel ? `${ref}:${rel.split(path.sep).join("/")}` : ref;
    await exec("sh", ["-c", `git -C "$1" archive --format=tar "$2" | tar -x -C "$3"`, "sh", top, treeish, tmp], {
      maxBuffer: 1 << 30,
    });
    // Racy-git guard: the result cache refuses inputs changed at or after the run's start, read in whole
    // milliseconds, and tar's last status change can fall in the same millisecond as that reading.
    const extracted = Date.now();
    while (Date.now() <= extracted) await sleep(1);
    return await fn(tmp);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    // Only a folder this run created, and only when nothing else is in it (a parallel run's base).
    if (created) await rmdir(work).catch(() => undefined);
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
