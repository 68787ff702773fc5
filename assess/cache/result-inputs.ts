/**
 * Every input a `check`/`validate` run reads, hashed without loading the parser: the digest the
 * result cache (assess/cache/result-cache.ts) keys on. What is read is decided by tollgate.yaml, so the
 * folders it names (the "plan") are recorded once per distinct config bytes by a cold run; a warm
 * run then hashes the config, finds its plan, lists the manifest folders with the loader's own
 * walk (load/project-paths.ts: same links, same refusals) and hashes every listed file, the
 * waivers file and every file under the custom policy folder. An added, removed, renamed or
 * changed file, a link pointing elsewhere, or any config byte gives another digest.
 *
 * Not covered (documented in the README): modules a custom policy imports from outside its folder
 * (packages, `../common.js`) and files under a `node_modules` folder inside it.
 */
import { createHash, type Hash } from "node:crypto";
import type { Dirent } from "node:fs";
import { constants } from "node:fs";
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { display } from "../../load/display-path.js";
import { isInsideOrSame, listYaml, resolveConfigured, type PathReader } from "../../load/project-paths.js";

export const CONFIG_FILE = "tollgate.yaml";
const DEFAULT_WAIVERS_FILE = "waivers.yaml";
/** Several files are read at once, not all (a folder of 10,000 manifests must not exhaust descriptors). */
const READ_BATCH = 64;
/** Bytes read per call when hashing: READ_BATCH of them at most are held at once. */
const HASH_CHUNK = 256 * 1024;

/** What tollgate.yaml (with its defaults) says to read: a pure function of the config's bytes. */
export interface Plan {
  manifests: string[];
  waivers?: string | undefined;
  customPolicies?: string | undefined;
}

export interface InputDigest {
  digest: string;
  /**
   * The newest modification or status-change time of a hashed file: a file changed during a run is
   * not trusted. The change time counts too, because a copy that keeps the old modification time
   * (`cp -p`, `rsync -t`, `tar x`) still sets it.
   */
  newestMtimeMs: number;
}

/**
 * A regular file's SHA-256 (or, with `keep`, its bytes), else what it is. Opened without blocking
 * and checked on the open descriptor: a FIFO (or a link to one) would block a plain read forever,
 * where the loader only reports "not a regular file". Hashed in chunks, so a folder of huge files
 * (which the loader refuses as too large) cannot exhaust memory here first.
 */
async function readRegular(
  file: string,
  keep = false,
): Promise<{ bytes?: Buffer; sha256?: string; what: string; changedMs: number }> {
  let fh;
  try {
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { what: `unreadable ${(e as NodeJS.ErrnoException)?.code ?? ""}`, changedMs: 0 };
  }
  try {
    const s = await fh.stat();
    const changedMs = Math.max(s.mtimeMs, s.ctimeMs);
    if (!s.isFile()) return { what: s.isDirectory() ? "folder" : "not a regular file", changedMs };
    try {
      if (keep) {
        const bytes = await fh.readFile();
        return { bytes, what: String(bytes.length), changedMs };
      }
      const h = createHash("sha256");
      const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK, Math.max(1, s.size)));
      let total = 0;
      for (let n; (n = (await fh.read(chunk, 0, chunk.length, null)).bytesRead) > 0; total += n)
        h.update(chunk.subarray(0, n));
      return { sha256: h.digest("hex"), what: String(total), changedMs };
    } catch (e) {
      return { what: `unreadable ${(e as NodeJS.ErrnoException)?.code ?? ""} ${s.size}`, changedMs };
    }
  } finally {
    await fh.close();
  }
}

/** The config's bytes (or why there are none), read once per run. */
export async function readConfig(root: string): Promise<{ bytes: Buffer; hash: string }> {
  const file = path.join(path.resolve(root), CONFIG_FILE);
  const read = await readRegular(file, true);
  const bytes = read.bytes ?? Buffer.from(`\u0000absent ${read.what}`);
  return { bytes, hash: createHash("sha256").update(bytes).digest("hex") };
}

/**
 * The digest of everything the run reads under `root`. `displayBase` is where diagnostics' paths
 * are relative to; `skip` (the cache folder) is never hashed.
 */
export async function digestInputs(
  root: string,
  displayBase: string,
  plan: Plan,
  config: { bytes: Buffer },
  skip: string,
): Promise<InputDigest> {
  const absRoot = path.resolve(root);
  const realRoot = await realpath(absRoot).catch(() => absRoot);
  const h = createHash("sha256");
  const part = (...s: string[]) => h.update(`${s.join("\u0000")}\u0001`);
  let newest = 0;
  // Paths in the result are relative to the display base: the same project seen from elsewhere is another result.
  part("display", path.resolve(displayBase) === absRoot ? "" : `${path.resolve(displayBase)}\u0000${absRoot}`);
  const notes: string[] = [];
  const reader: PathReader = {
    root: absRoot,
    realRoot,
    displayBase,
    maxBytes: 0,
    maxDepth: 0,
    out: { add: (code, loc, message) => notes.push(`${code} ${loc.file}:${loc.line}:${loc.col} ${message}`) },
  };
  const loc = { file: CONFIG_FILE, line: 1, col: 1 };

  part("config", await linkOf(path.join(absRoot, CONFIG_FILE), realRoot));
  h.update(config.bytes);

  const files: string[] = [];
  const walked = new Set<string>();
  for (const dir of plan.manifests) {
    const abs = await resolveConfigured(reader, "manifests", dir, loc, { required: true, kind: "folder" });
    if (abs) await listYaml(reader, abs, files, walked);
  }
  part("manifests", String(files.length));
  for (let i = 0; i < files.length; i += READ_BATCH) {
    const batch = files.slice(i, i + READ_BATCH);
    const read = await Promise.all(batch.map((f) => readRegular(f)));
    for (const [j, f] of batch.entries()) {
      const { sha256, what, changedMs } = read[j]!;
      part("file", display(reader, f), what, sha256 ?? "");
      newest = Math.max(newest, changedMs);
    }
  }

  const waivers = path.resolve(absRoot, plan.waivers ?? DEFAULT_WAIVERS_FILE);
  newest = Math.max(newest, await hashFile(h, "waivers", waivers, realRoot, display(reader, waivers)));
  if (plan.customPolicies) {
    const dir = path.resolve(absRoot, plan.customPolicies);
    await resolveConfigured(reader, "customPolicies", plan.customPolicies, loc, { required: false, kind: "folder" });
    newest = Math.max(newest, await hashTree(h, dir, dir, realRoot, path.resolve(skip), 0, new Set()));
  }
  part("notes", ...notes);
  return { digest: h.digest("hex"), newestMtimeMs: newest };
}

/** Whether a path is a link and where it resolves (relative to the root), or why not. */
async function linkOf(file: string, realRoot: string): Promise<string> {
  try {
    const l = await lstat(file);
    if (!l.isSymbolicLink()) return "plain";
    const real = await realpath(file);
    return isInsideOrSame(real, realRoot) ? `link ${path.relative(realRoot, real)}` : "link outside";
  } catch (e) {
    return `error ${(e as NodeJS.ErrnoException)?.code ?? ""}`;
  }
}

async function hashFile(h: Hash, kind: string, file: string, realRoot: string, name: string): Promise<number> {
  const { sha256, what, changedMs } = await readRegular(file);
  h.update(`${kind}\u0000${name}\u0000${await linkOf(file, realRoot)}\u0000${what}\u0000${sha256 ?? ""}\u0001`);
  return changedMs;
}

/** Folders deeper than this under the custom policy folder: the run is not cached at all. */
const MAX_TREE_DEPTH = 64;

/**
 * Every file under a custom policy folder (their helpers too), except node_modules and the cache.
 * A linked folder is walked like a real one (a policy's `./lib/x.js` imports through it), each real
 * folder once, so a link loop ends.
 */
async function hashTree(
  h: Hash,
  top: string,
  dir: string,
  realRoot: string,
  skip: string,
  depth: number,
  walked: Set<string>,
): Promise<number> {
  let entries: Dirent[];
  try {
    const real = await realpath(dir);
    if (walked.has(real)) {
      h.update(`seen ${path.relative(top, dir)}\u0001`);
      return 0;
    }
    walked.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    h.update(`tree ${dir} ${(e as NodeJS.ErrnoException)?.code ?? ""}\u0001`);
    return 0;
  }
  let newest = 0;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (abs === skip || e.name === "node_modules") continue;
    if (e.isDirectory() || (e.isSymbolicLink() && (await stat(abs).catch(() => undefined))?.isDirectory())) {
      const link = await linkOf(abs, realRoot);
      // A linked folder out of the root (maybe a whole disk) is not walked: such a run is not cached.
      if (link === "link outside") throw new Error(`${abs}: a link out of the project root`);
      h.update(`dir ${path.relative(top, abs)} ${link}\u0001`);
      // A policy may import a helper at any depth: deeper than this is not hashed, so it is not cached (prepare/store catch).
      if (depth >= MAX_TREE_DEPTH) throw new Error(`${abs}: custom policy folder nested too deep to hash`);
      newest = Math.max(newest, await hashTree(h, top, abs, realRoot, skip, depth + 1, walked));
    } else newest = Math.max(newest, await hashFile(h, "policy", abs, realRoot, path.relative(top, abs)));
  }
  return newest;
}
