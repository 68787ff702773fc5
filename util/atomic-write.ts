/**
 * Every file Tollgate writes (--format FMT=FILE, --output, --state, schemas) goes through here.
 * A regular file (or a missing path) is written to a temporary sibling and renamed into place, so
 * readers never see half a file. Anything else is never replaced: character devices (/dev/null),
 * FIFOs, sockets and `-` are written in place; a symlink is followed and its target written; a
 * folder or an unwritable path is a UsageError (exit 2, one line), not an internal error.
 */
import { randomBytes } from "node:crypto";
import type { Stats } from "node:fs";
import { lstat, mkdir, readlink, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./usage-error.js";

export type PathKind = "missing" | "file" | "directory" | "fifo" | "char-device" | "block-device" | "socket";
export type WriteStrategy = "rename" | "in-place" | "refuse";

/** The decision, kept pure so it is tested for every kind (tests never write to /dev). */
export function writeStrategy(kind: PathKind): WriteStrategy {
  switch (kind) {
    case "missing":
    case "file":
      return "rename";
    case "fifo":
    case "char-device":
    case "socket":
      return "in-place";
    default:
      return "refuse";
  }
}

export function pathKind(s: Stats | undefined): PathKind {
  if (!s) return "missing";
  if (s.isFile()) return "file";
  if (s.isDirectory()) return "directory";
  if (s.isFIFO()) return "fifo";
  if (s.isCharacterDevice()) return "char-device";
  if (s.isBlockDevice()) return "block-device";
  return "socket";
}

/** Descriptors of this process: writing them means writing the stream, never replacing a file. */
const FD_PATH = /^\/(dev\/(stdout|stderr|fd\/\d+)|proc\/self\/fd\/\d+)$/;

export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  if (file === "-") {
    await new Promise<void>((resolve, reject) => process.stdout.write(content, (e) => (e ? reject(e) : resolve())));
    return;
  }
  try {
    const target = await resolveTarget(path.resolve(file));
    const kind = FD_PATH.test(path.resolve(file)) ? "fifo" : pathKind(await statOrUndefined(target));
    const strategy = writeStrategy(kind);
    if (strategy === "refuse")
      throw new UsageError(
        `cannot write ${file}: it is a ${kind === "directory" ? "folder" : kind.replace("-", " ")}`,
        "Name a file to write.",
        "output-unwritable",
      );
    // A descriptor path is appended to: stdout redirected to a file must not be truncated.
    if (strategy === "in-place")
      await writeFile(FD_PATH.test(path.resolve(file)) ? file : target, content, {
        flag: FD_PATH.test(path.resolve(file)) ? "a" : "w",
      });
    else await renameInto(target, content);
  } catch (e) {
    throw asUsageError(file, e);
  }
}

/** Follows symlinks (also dangling ones, whose target is created) to the path to write. */
async function resolveTarget(abs: string): Promise<string> {
  let current = abs;
  for (let hops = 0; hops < 40; hops++) {
    let l: Stats;
    try {
      l = await lstat(current);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return current;
      throw e;
    }
    if (!l.isSymbolicLink()) return hops === 0 ? current : realpath(current);
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  throw Object.assign(new Error("too many symlinks"), { code: "ELOOP" });
}

async function renameInto(target: string, content: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await writeFile(tmp, content, { flag: "wx" });
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function statOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await stat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a folder",
  ENOTDIR: "a part of the path is not a folder",
  EROFS: "the file system is read-only",
  ELOOP: "too many symlinks (a loop?)",
  ENOSPC: "no space left on the device",
  ENXIO: "no process is reading the FIFO or socket",
  ENAMETOOLONG: "the name is too long",
  EEXIST: "a file appeared while writing; try again",
};

function asUsageError(file: string, e: unknown): unknown {
  if (e instanceof UsageError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code !== "string") return e;
  return new UsageError(
    `cannot write ${file}: ${REASONS[code] ?? code}`,
    "Check the path, or write somewhere you may write.",
    "output-unwritable",
  );
}
