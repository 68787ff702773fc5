/**
 * The whole-result layer of `--cache` (like Nx/Turborepo task caching): a run whose every input
 * (assess/cache/result-inputs.ts), Tollgate version and result-changing option are unchanged reuses the
 * evaluated result of an earlier run instead of loading and evaluating. What is stored is what the
 * reporters consume (the Report, and the HTML report's extra input when it was asked for), so every
 * format, colour and gate option renders from one entry and `--base` shares entries with plain runs.
 *
 * Entries hold only what the report holds, which never contains a secret value; a run with a
 * `secret-value` diagnostic or without a report (exit 2) is never stored. An entry names its format,
 * version and key and carries the length and SHA-256 of its body: anything else (corrupt, truncated,
 * foreign, another version) is a miss, never an error. Writes are atomic (temporary sibling + rename); the folder is bounded
 * (least recently used entries beyond MAX_ENTRIES or MAX_BYTES are removed, only files named like
 * Tollgate's own).
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: store and lookup share the entry format and its safety checks (owned folder, regular files, digests before and after); what is hashed is result-inputs.ts.
 */
import { createHash, randomBytes } from "node:crypto";
import { lstat, lutimes, mkdir, open, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { readCacheFile } from "../../util/cache-read.js";
import { digestInputs, readConfig, type InputDigest, type Plan } from "./result-inputs.js";

/** Bumped whenever what an entry holds changes shape. */
export const RESULT_FORMAT = 1;
export const MAX_ENTRIES = 64;
export const MAX_BYTES = 512 * 1024 * 1024;
/** Temporary files of a write that never finished are removed after this long. */
const STALE_TMP_MS = 3600 * 1000;
const ENTRY = /^(plan-)?[0-9a-f]{64}\.json$/;
/** Exactly the temporary names write() gives: eviction never removes someone else's `.x.tmp`. */
/** How every entry begins (the header's first key). */
const HEADER = '{"tollgate":"result-cache"';
const TMP = /^\.(plan-)?[0-9a-f]{64}\.json\.\d+\.[0-9a-f]{8}\.tmp$/;

const sha256 = (s: string | Uint8Array) => createHash("sha256").update(s).digest("hex");

/** What was read before the run: handed to get() and store(). */
export interface Lookup {
  startedAt: number;
  configHash: string;
  /** The inputs' digest before the run read anything; undefined when it could not be taken. */
  before?: InputDigest | undefined;
  /** The plan `before` was taken with: a cold run stores only if its config gives the same plan. */
  plan?: Plan | undefined;
}

/** An entry's parts: a JSON value, then raw byte blobs (rendered outputs are stored as their bytes). */
export interface Stored<T> {
  value: T;
  blobs: Buffer[];
}

/** Why a cold run was not stored, said with the cache's stats (TOLLGATE_CACHE_STATS=1) for diagnosis. */
function skipped(why: string): false {
  if (process.env.TOLLGATE_CACHE_STATS === "1") process.stderr.write(`tollgate: cache: skipped: ${why}\n`);
  return false;
}

export class ResultCache {
  readonly folder: string;
  constructor(
    readonly cacheDir: string,
    readonly version: string,
  ) {
    this.folder = path.join(cacheDir, "results");
  }

  private planFile(configHash: string): string {
    return path.join(this.folder, `plan-${sha256(`${RESULT_FORMAT}\u0000${this.version}\u0000${configHash}`)}.json`);
  }

  private entryFile(key: string): string {
    return path.join(this.folder, `${key}.json`);
  }

  /** The entry's key: format, version, the options that change the result, and the inputs' digest. */
  key(parts: Record<string, string>, digest: string): string {
    return sha256(
      JSON.stringify(["tollgate-result", RESULT_FORMAT, this.version, Object.entries(parts).sort(), digest]),
    );
  }

  /** Hashes every input under `root` (when a cold run has recorded what to read for this config). */
  async prepare(root: string, displayBase: string): Promise<Lookup> {
    const startedAt = Date.now();
    const config = await readConfig(root);
    const state: Lookup = { startedAt, configHash: config.hash };
    let plan = (await this.read(this.planFile(config.hash), `plan ${config.hash}`))?.value as Plan | undefined;
    // A config seen for the first time: read its plan now, before the loader reads any input, so a
    // file changed or deleted during this cold run is caught by comparing digests in store().
    if (!plan || !Array.isArray(plan.manifests))
      plan = (await import("./config-plan.js")).planOfConfigBytes(config.bytes);
    try {
      if (plan) {
        state.before = await digestInputs(root, displayBase, plan, config, this.cacheDir);
        state.plan = plan;
      }
    } catch {
      /* an input that cannot be hashed is a miss: the run reports it */
    }
    return state;
  }

  /** The entry stored for these options and the inputs as prepared, if any. */
  async get<T>(state: Lookup, parts: Record<string, string>): Promise<Stored<T> | undefined> {
    if (!state.before) return undefined;
    const key = this.key(parts, state.before.digest);
    return this.read(this.entryFile(key), key) as Promise<Stored<T> | undefined>;
  }

  /** Adds an entry for inputs that were just hashed and found unchanged (outputs rendered from a stored result). */
  async add(
    state: Lookup,
    parts: Record<string, string>,
    value: unknown,
    blobs: (string | Buffer)[] = [],
  ): Promise<boolean> {
    if (!state.before) return false;
    try {
      const key = this.key(parts, state.before.digest);
      await this.write(this.entryFile(key), key, value, blobs);
      await this.evict();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Stores a cold run's result under each of `variants` (option sets it answers). Skipped when an
   * input changed while the run read it (config bytes, digest before/after, modification or status
   * change times). No allowance for the kernel's coarse file clock is needed: what matters is a
   * change after the loader read a file, which is well after `startedAt` (a change before it is
   * read by both the loader and the digest). `--base` extracts its tree just before and waits for the
   * millisecond to turn (git-ref.ts), so a tree extracted in the same millisecond is not refused.
   */
  async store(
    root: string,
    displayBase: string,
    state: Lookup,
    plan: Plan,
    variants: { parts: Record<string, string>; value: unknown; blobs?: (string | Buffer)[] }[],
  ): Promise<boolean> {
    try {
      const config = await readConfig(root);
      if (config.hash !== state.configHash) return skipped("tollgate.yaml changed during the run");
      // Without a digest taken before the run, a file deleted or a link repointed during it would go unseen.
      if (!state.before) return skipped("no digest from before the run");
      if (samePlan(state.plan, plan) === false)
        return skipped("the run read other folders than tollgate.yaml named at its start");
      const after = await digestInputs(root, displayBase, plan, config, this.cacheDir);
      if (state.before.digest !== after.digest) return skipped("an input changed during the run");
      if (after.newestMtimeMs >= state.startedAt)
        return skipped(`an input changed at ${after.newestMtimeMs}, not before the run's start ${state.startedAt}`);
      await this.write(this.planFile(config.hash), `plan ${config.hash}`, plan);
      for (const v of variants) {
        const key = this.key(v.parts, after.digest);
        await this.write(this.entryFile(key), key, v.value, v.blobs);
      }
      state.before = after;
      await this.evict();
      return true;
    } catch (e) {
      // An unwritable cache (or an input gone while hashing) only costs speed.
      return skipped(`failed: ${(e as NodeJS.ErrnoException)?.code ?? e}`);
    }
  }

  /**
   * Header line, then the parts, written to a temporary sibling and renamed into place. Parts are
   * written as they are (a rendered output is a string of tens of MB at 50k secrets: no copies).
   */
  private async write(file: string, key: string, value: unknown, blobs: (string | Buffer)[] = []): Promise<void> {
    const parts = [JSON.stringify(value), ...blobs];
    const hash = createHash("sha256");
    for (const p of parts) hash.update(p);
    const header = JSON.stringify({
      tollgate: "result-cache",
      format: RESULT_FORMAT,
      version: this.version,
      key,
      parts: parts.map((p) => (typeof p === "string" ? Buffer.byteLength(p) : p.length)),
      sha256: hash.digest("hex"),
    });
    await mkdir(path.dirname(file), { recursive: true });
    if (!(await this.ownFolder())) throw new Error("the results folder is a link");
    const tmp = path.join(
      path.dirname(file),
      `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
    );
    try {
      const fh = await open(tmp, "wx");
      try {
        await fh.writeFile(`${header}\n`);
        for (const p of parts) await fh.writeFile(p);
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /**
   * Whether the results folder is a real folder, not a link: one planted in the cache folder (a
   * committed or restored cache) would otherwise move writes, reads and eviction's deletions to
   * wherever it points, outside the project root.
   */
  private async ownFolder(): Promise<boolean> {
    return (await lstat(this.folder).catch(() => undefined))?.isDirectory() === true;
  }

  /** The entry stored under `key`, or undefined for anything that is not exactly such an entry. */
  private async read(file: string, key: string): Promise<Stored<unknown> | undefined> {
    try {
      // A linked entry is not one Tollgate wrote (and touching it below would touch its target).
      if (!(await this.ownFolder())) return undefined;
      // Opened without following a link and without blocking on a FIFO, then checked on the descriptor.
      const buf = await readCacheFile(file);
      if (!buf) return undefined;
      const nl = buf.indexOf(10);
      if (nl < 0) return undefined;
      const header = JSON.parse(buf.subarray(0, nl).toString("utf8"));
      const body = buf.subarray(nl + 1);
      if (
        header?.tollgate !== "result-cache" ||
        header.format !== RESULT_FORMAT ||
        header.version !== this.version ||
        header.key !== key
      )
        return undefined;
      const lengths = header.parts;
      if (!Array.isArray(lengths) || lengths.length < 1 || !lengths.every((n) => Number.isSafeInteger(n) && n >= 0))
        return undefined;
      if (lengths.reduce((a: number, b: number) => a + b, 0) !== body.length || header.sha256 !== sha256(body))
        return undefined;
      const parts: Buffer[] = [];
      let at = 0;
      for (const n of lengths as number[]) parts.push(body.subarray(at, (at += n)));
      const value = JSON.parse(parts[0]!.toString("utf8"));
      // Recently used: eviction removes the least recently used first (atime is unreliable).
      const now = new Date();
      await lutimes(file, now, now).catch(() => undefined); // never the target of a link swapped in
      return { value, blobs: parts.slice(1) };
    } catch {
      return undefined;
    }
  }

  /** Keeps at most MAX_ENTRIES files and MAX_BYTES, oldest first; removes abandoned temporary files. */
  async evict(now = Date.now()): Promise<void> {
    if (!(await this.ownFolder())) return;
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const files: { file: string; size: number; mtime: number }[] = [];
    for (const name of names) {
      const file = path.join(this.folder, name);
      const s = await lstat(file).catch(() => undefined);
      if (!s?.isFile()) continue;
      if (ENTRY.test(name)) files.push({ file, size: s.size, mtime: s.mtimeMs });
      else if (TMP.test(name) && now - s.mtimeMs > STALE_TMP_MS) await rm(file, { force: true });
    }
    files.sort((a, b) => b.mtime - a.mtime);
    let bytes = 0;
    for (const [i, f] of files.entries()) {
      bytes += f.size;
      if ((i >= MAX_ENTRIES || (i > 0 && bytes > MAX_BYTES)) && (await written(f.file)))
        await rm(f.file, { force: true });
    }
  }
}

/** Whether a file begins like an entry write() made: a user's own `<sha256>.json` (with `--cache-location .`, in their results/ folder) is never removed. */
async function written(file: string): Promise<boolean> {
  return (await readCacheFile(file, HEADER.length))?.toString("utf8") === HEADER;
}

/** Whether a cold run's outcome may be stored: it has a result, and no secret value was found on the way. */
export function storable(diagnostics: readonly { code: string }[]): boolean {
  return !diagnostics.some((d) => d.code === "secret-value");
}

const samePlan = (a: Plan | undefined, b: Plan): boolean =>
  a !== undefined &&
  JSON.stringify([a.manifests, a.waivers ?? null, a.customPolicies ?? null]) ===
    JSON.stringify([b.manifests, b.waivers ?? null, b.customPolicies ?? null]);
