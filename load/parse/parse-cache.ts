/**
 * Content-addressed cache for `--cache`, like ESLint's: an entry says "these exact bytes parsed on
 * the fast path with no diagnostic at all (no secret-scan finding, nothing else)", keyed by the
 * SHA-256 of the file's bytes, the Tollgate version and the options that change parsing. A hit
 * skips the secret scan of the file, the costliest per-byte work after parsing; the file is still
 * parsed (the fast path is as fast as reading a stored copy of its values and positions would be:
 * measured, JSON.parse of such a copy took longer than parsing the YAML). Nothing from a file is
 * stored, so no secret value can reach the cache. An entry holds only its own key: a corrupted,
 * truncated, foreign or unreadable entry is a miss, never an error, and so is a cache from another
 * version (another key). Writes are atomic (temporary sibling + rename); failures are ignored.
 * The folder is trusted like the project's own files (whoever can write it could also edit the
 * manifests), which is why it must lie inside the project root.
 */
import { createHash } from "node:crypto";
import { lstat, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { readCacheFile } from "../../util/cache-read.js";

/** Bumped whenever the entry format, what the fast path produces or what the secret scan finds changes (5: base64-wrapped tokens and chat webhook URLs; the fast path takes realistic YAML and scans decoded scalars). */
const FORMAT = 5;
/** Entries not used for this long are pruned (their bytes no longer exist in any checkout). */
const STALE_MS = 30 * 24 * 3600 * 1000;

export interface CacheSettings {
  dir: string;
  /** Tollgate version and parsing options, folded into every key. */
  salt: string;
}

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
}

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
};

export class ParseCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0 };
  constructor(readonly settings: CacheSettings) {}

  key(bytes: Uint8Array): string {
    return sha256(`tollgate-parse-cache\u0000${FORMAT}\u0000${this.settings.salt}\u0000`, bytes);
  }

  private file(key: string): string {
    return path.join(this.settings.dir, key.slice(0, 2), `${key.slice(2)}`);
  }

  /** Whether these bytes were seen clean before. */
  async has(key: string): Promise<boolean> {
    // Never through a link or from a FIFO planted in the folder (util/cache-read.ts), nor in a linked subfolder.
    const file = this.file(key);
    const marker = this.marker(key);
    const bytes = (await realFolder(path.dirname(file))) ? await readCacheFile(file, marker.length + 1) : undefined;
    if (bytes?.toString("utf8") === marker) {
      this.stats.hits++;
      return true;
    }
    this.stats.misses++;
    return false;
  }

  async put(key: string): Promise<void> {
    try {
      // A planted link (a restored or committed cache) must not carry the write out of the folder:
      // writeFileAtomic writes through a linked entry, and into a linked subfolder; and it writes a
      // FIFO in place, which blocks until someone reads it. Only a missing or regular entry is written.
      const file = this.file(key);
      if ((await lstat(path.dirname(file)).catch(() => undefined))?.isDirectory() === false) return;
      const entry = await lstat(file).catch(() => undefined);
      if (entry && !entry.isFile()) return;
      await writeFileAtomic(file, this.marker(key));
      this.stats.writes++;
    } catch {
      /* an unwritable cache only costs speed */
    }
  }

  private marker(key: string): string {
    return `tollgate-clean ${FORMAT} ${key}\n`;
  }

  /** Removes entries not read or written for a month; best effort. */
  async prune(now = Date.now()): Promise<void> {
    try {
      for (const sub of await readdir(this.settings.dir)) {
        // Only real subfolders and files named like entries: a link planted here may point anywhere.
        if (!/^[0-9a-f]{2}$/.test(sub) || !(await realFolder(path.join(this.settings.dir, sub)))) continue;
        for (const f of await readdir(path.join(this.settings.dir, sub))) {
          if (!/^[0-9a-f]{62}$/.test(f)) continue;
          const p = path.join(this.settings.dir, sub, f);
          const s = await lstat(p);
          if (s.isFile() && now - Math.max(s.mtimeMs, s.atimeMs) > STALE_MS) await rm(p, { force: true });
        }
      }
    } catch {
      /* best effort */
    }
  }
}

/** A folder that is not a link (lstat). */
async function realFolder(dir: string): Promise<boolean> {
  return (await lstat(dir).catch(() => undefined))?.isDirectory() === true;
}
