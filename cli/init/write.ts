/**
 * `tollgate init` never overwrites: every target is checked before anything is written, and every
 * problem is reported at once as a diagnostic. Writing is atomic per file and never replaces what
 * appeared after the check (createNew), and a failure part-way removes what this run wrote, so the
 * folder is left as it was found.
 */
import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { link, lstat, mkdir, realpath, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../../model/diagnostics.js";
import { UsageError } from "../../util/usage-error.js";
import type { InitFile } from "./templates.js";

export interface InitPlan {
  /** Absolute target folder. */
  dir: string;
  files: InitFile[];
  /** How paths are shown in diagnostics (relative to the working directory). */
  display: (abs: string) => string;
}

const at = (file: string) => ({ severity: "error" as const, file, line: 1, col: 1 });

/** Every reason the plan cannot be written, in file order; empty when init may go ahead. */
export async function planProblems(plan: InitPlan): Promise<Diagnostic[]> {
  const dirStat = await statOrUndefined(plan.dir, stat);
  if (dirStat && !dirStat.isDirectory()) {
    return [
      {
        code: "init-not-a-folder",
        ...at(plan.display(plan.dir)),
        message: "the target exists and is not a folder",
        hint: "Name a new or existing folder: tollgate init DIR.",
      },
    ];
  }
  if (!dirStat) {
    const broken = await brokenAncestor(plan.dir);
    if (broken)
      return [
        {
          code: "init-not-a-folder",
          ...at(plan.display(broken)),
          message: "is a dangling (or looping) symlink; init cannot create the target folder through it",
          hint: "Point the link at a folder, remove it, or name another folder: tollgate init DIR.",
        },
      ];
  }
  const realDir = dirStat ? await realpath(plan.dir) : plan.dir;
  const problems: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const f of plan.files) {
    const parts = f.path.split("/");
    let current = plan.dir;
    for (const [i, part] of parts.entries()) {
      current = path.join(current, part);
      const last = i === parts.length - 1;
      const l = await statOrUndefined(current, lstat);
      if (!l) break;
      if (reported.has(current)) break;
      const shown = plan.display(current);
      if (last) {
        problems.push({
          code: "init-file-exists",
          ...at(shown),
          message: "already exists; init writes nothing over an existing file",
          hint: "Move or remove it, or run init in another folder (every existing file is listed).",
        });
        reported.add(current);
        break;
      }
      const s = await statOrUndefined(current, stat);
      if (!s?.isDirectory()) {
        problems.push({
          code: "init-not-a-folder",
          ...at(shown),
          message: `init needs a folder here to write ${f.path}`,
          hint: "Move or remove it, or run init in another folder.",
        });
        reported.add(current);
        break;
      }
      const real = await realpath(current);
      if (real !== realDir && !real.startsWith(realDir + path.sep)) {
        problems.push({
          code: "init-path-outside",
          ...at(shown),
          message: `is a symlink to ${real}, outside the target folder`,
          hint: "init writes only inside the folder it was given; remove the symlink or choose another folder.",
        });
        reported.add(current);
        break;
      }
    }
  }
  return problems;
}

/** Writes every file (atomically); on a failure removes the files already written and rethrows. */
export async function writePlan(plan: InitPlan): Promise<void> {
  const written: string[] = [];
  try {
    for (const f of plan.files) {
      const abs = path.join(plan.dir, ...f.path.split("/"));
      await createNew(abs, f.content);
      written.push(abs);
    }
  } catch (e) {
    await Promise.all(written.map((abs) => rm(abs, { force: true })));
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    throw new UsageError(
      `${plan.display((e as { dest?: string }).dest ?? plan.dir)} appeared while init was writing; nothing written`,
      "Run init again once nothing else writes to the folder.",
    );
  }
}

/**
 * Writes a new file whole (temporary sibling, then a hard link to the name) and never over anything:
 * unlike a rename, link() fails with EEXIST when the name exists, also as a symlink, which it does
 * not follow — so a file or link that appeared since planProblems() is neither replaced nor written through.
 */
async function createNew(abs: string, content: string): Promise<void> {
  await mkdir(path.dirname(abs), { recursive: true });
  const tmp = path.join(
    path.dirname(abs),
    `.${path.basename(abs)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  await writeFile(tmp, content, { flag: "wx" });
  try {
    await link(tmp, abs);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The target or its nearest existing ancestor when that is a link that leads nowhere (mkdir would fail on it). */
async function brokenAncestor(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = path.dirname(d)) {
    const l = await statOrUndefined(d, lstat);
    if (l) return l.isSymbolicLink() && !(await statOrUndefined(d, stat)) ? d : undefined;
    if (path.dirname(d) === d) return undefined;
  }
}

async function statOrUndefined(p: string, fn: (p: string) => Promise<Stats>): Promise<Stats | undefined> {
  try {
    return await fn(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP") return undefined; // ELOOP: a link loop leads nowhere either
    throw e;
  }
}
