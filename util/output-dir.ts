/**
 * The synth output folder: Tollgate replaces only a folder it created (it holds MARKER) or an
 * empty/missing one, never the project root, an ancestor of it or of a manifest folder, nor a file.
 * One writer at a time (a lock file beside the folder); leftovers of a killed run are recovered
 * (an `out.old-*` with no `out`) or removed (`out.tmp-*`) by the next run; SIGINT/SIGTERM clean up.
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: lock, recover, swap and signal cleanup of one folder must be read together to see that nothing Tollgate did not create is touched.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
  type Stats,
} from "node:fs";
import { lstat, readdir, realpath, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "./usage-error.js";

export const MARKER = ".tollgate-synth";
const LEFTOVER = /^\.(tmp|old)-(\d+)-[0-9a-f]{8}$/;

export interface Protected {
  /** The project root: never the output, nor inside it an ancestor of it. */
  root?: string;
  /** Manifest folders: never the output, an ancestor of the output, or inside the output. */
  manifests?: readonly string[];
}

/** Refuses an --out that is not Tollgate's to replace (UsageError naming the path). */
export async function checkOutDir(outDir: string, protect: Protected = {}): Promise<void> {
  const out = path.resolve(outDir);
  const real = await realOrLexical(out);
  const refuse = (why: string) =>
    new UsageError(
      `refusing --out ${outDir}: ${why}`,
      "Write the output to its own folder, such as cdktf.out.",
      "output-unwritable",
    );
  for (const p of [...(protect.root ? [protect.root] : []), ...(protect.manifests ?? [])]) {
    const rp = await realOrLexical(path.resolve(p));
    if (real === rp)
      throw refuse(`it is ${p === protect.root ? "the project root" : `the manifest folder ${shown(p)}`}`);
    if (isInside(rp, real))
      throw refuse(`it contains ${p === protect.root ? "the project root" : `the manifest folder ${shown(p)}`}`);
  }
  for (const m of protect.manifests ?? []) {
    if (isInside(real, await realOrLexical(path.resolve(m))))
      throw refuse(`it lies inside the manifest folder ${shown(m)} (its YAML would be read as manifests)`);
  }
  let s: Stats;
  try {
    s = await lstat(out);
  } catch {
    return; // missing: created
  }
  if (s.isSymbolicLink())
    throw new UsageError(`refusing --out ${outDir}: it is a symlink`, "Pass the real folder.", "output-unwritable");
  if (!s.isDirectory())
    throw new UsageError(
      `refusing --out ${outDir}: it is not a folder`,
      "Name a folder; synth writes a folder of stacks and config.",
      "output-unwritable",
    );
  const entries = await readdir(out).catch(() => {
    throw refuse("the folder cannot be read");
  });
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new UsageError(
      `refusing --out ${outDir}: the folder is not empty and was not created by tollgate synth (no ${MARKER})`,
      "Choose an empty or new folder, or delete this one yourself.",
      "output-unwritable",
    );
  }
}

function shown(p: string): string {
  return path.relative(process.cwd(), p) || ".";
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** realpath of the deepest existing ancestor, plus the rest: a missing --out still compares truly. */
async function realOrLexical(p: string): Promise<string> {
  const rest: string[] = [];
  let cur = p;
  for (;;) {
    try {
      return path.join(await realpath(cur), ...rest);
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return p;
      rest.unshift(path.basename(cur));
      cur = parent;
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes `OUT.lock` (a stale lock of a dead process is taken over). Synchronous on purpose: no signal
 * can be handled between creating the lock and the caller recording that it owns it.
 */
export function lockOutDirSync(out: string): void {
  const lock = `${out}.lock`;
  mkdirSync(path.dirname(out), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      // Only a small regular file can be a lock Tollgate wrote: a committed link, folder, FIFO or
      // device there is never read, followed or removed.
      const st = lstatSync(lock, { throwIfNoEntry: false });
      if (st && (!st.isFile() || st.size > 64))
        throw new UsageError(
          `${lock} is not a lock file Tollgate wrote (it is ${st.isSymbolicLink() ? "a symbolic link" : st.isDirectory() ? "a folder" : st.isFile() ? "a large file" : "a special file"})`,
          `Remove ${lock} or choose another --out.`,
          "output-unwritable",
        );
      let pid = NaN;
      try {
        pid = Number(readFileSync(lock, "utf8").trim());
      } catch {
        /* vanished: retry */
      }
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new UsageError(
          `another synth is writing ${out} (process ${pid})`,
          `Wait for it to finish; if no synth runs, delete ${lock}.`,
          "output-unwritable",
        );
      rmSync(lock, { force: true });
    }
  }
  throw new UsageError(
    `another synth is writing ${out}`,
    `Wait for it to finish; if no synth runs, delete ${lock}.`,
    "output-unwritable",
  );
}

/** Under the lock: brings back `out` if a killed swap left only `out.old-*`, removes the rest. */
export async function recoverLeftovers(out: string): Promise<void> {
  const dir = path.dirname(out);
  const base = path.basename(out);
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((n) => n.startsWith(base) && LEFTOVER.test(n.slice(base.length)))
    .sort();
  const olds = names.filter((n) => n.slice(base.length).startsWith(".old-"));
  if (!existsSync(out) && olds.length > 0) {
    const back = olds.pop()!;
    await rename(path.join(dir, back), out);
  }
  for (const n of [...olds, ...names.filter((x) => x.slice(base.length).startsWith(".tmp-"))]) {
    await rm(path.join(dir, n), { recursive: true, force: true });
  }
}

export interface OutTransaction {
  /** The folder to build into (a sibling of out). */
  tmp: string;
  /** Marks tmp as Tollgate's and swaps it into place. */
  commit(): Promise<void>;
  /** Removes tmp, releases the lock and the signal handlers. */
  close(): void;
}

/** Lock, recover, and prepare a temporary sibling; SIGINT/SIGTERM clean up and exit 128+n. */
export async function beginOutDir(outDir: string, protect: Protected = {}): Promise<OutTransaction> {
  const out = path.resolve(outDir);
  await checkOutDir(outDir, protect);
  let locked = false;
  const release = () => {
    if (locked) rmSync(`${out}.lock`, { force: true });
    locked = false;
  };
  const suffix = () => `${process.pid}-${randomBytes(4).toString("hex")}`;
  const tmp = `${out}.tmp-${suffix()}`;
  const old = `${out}.old-${suffix()}`;
  const cleanup = () => {
    try {
      // The swap may have been interrupted between its two renames: put the previous output back.
      if (!existsSync(out) && existsSync(old)) renameSync(old, out);
      // A write still in flight on libuv's thread pool can land in tmp while it is removed
      // (ENOTEMPTY): retry, and never let a failed removal keep the lock.
      for (const dir of [tmp, old]) {
        try {
          rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
        } catch {
          /* the next run removes it (recoverLeftovers) */
        }
      }
    } finally {
      release();
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const close = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    cleanup();
  };
  try {
    // Handlers are in place before the lock exists, and the lock is taken synchronously.
    lockOutDirSync(out);
    locked = true;
    await recoverLeftovers(out);
    // Again under the lock: the folder may have changed while waiting, or been recovered.
    await checkOutDir(outDir, protect);
  } catch (e) {
    close();
    throw e;
  }
  return {
    tmp,
    close,
    async commit() {
      await writeFile(path.join(tmp, MARKER), "Created by tollgate synth; the next synth replaces this folder.\n");
      // Synchronous: a signal handler never runs while a rename is in flight on another thread.
      if (existsSync(out)) renameSync(out, old);
      renameSync(tmp, out);
      await rm(old, { recursive: true, force: true });
    },
  };
}

/** Synchronous leftovers check used by tests and docs: names next to out that a run left. */
export function leftoversOf(out: string): string[] {
  const base = path.basename(out);
  return readdirSync(path.dirname(out)).filter(
    (n) => n === `${base}.lock` || (n.startsWith(base) && LEFTOVER.test(n.slice(base.length))),
  );
}
