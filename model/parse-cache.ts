/**
 * Content-addressed cache of parsed manifest files (`--cache`), like ESLint's: an entry is keyed
 * by the SHA-256 of the file's bytes, the Tollgate version and the options that change parsing,
 * and holds the plain values and the position index of a file that parsed on the fast path with
 * no diagnostic at all — so a file with a secret-scan finding (or any other problem) is never
 * stored. Each entry carries a CRC-32 of its own payload (it detects corruption; whoever can write
 * the cache folder could write anything, which is why it must lie inside the project root): a
 * corrupted, truncated, foreign or unreadable entry is a miss, never an error, and so is a cache
 * from another version (another key). Values and positions are stored as the plain JSON they are,
 * so a hit is one JSON.parse (no conversion, no re-validation of the shape).
 * Writes are atomic (temporary sibling + rename); failures to write are ignored.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { crc32 } from "node:zlib";
import type { PosNode } from "./position-index.js";

/** Bumped whenever the entry format or what the fast path produces changes. */
const FORMAT = 2;
/** Entries not used for this long are pruned (their bytes no longer exist in any checkout). */
const STALE_MS = 30 * 24 * 3600 * 1000;

export interface CacheSettings {
  dir: string;
  /** Tollgate version and parsing options, folded into every key. */
  salt: string;
}

export interface CachedParse {
  data: Record<string, unknown>;
  root: PosNode;
  rootOffset: number;
  lineStarts: Uint32Array;
}

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
}

/** JSON cannot carry NaN, ±Infinity or -0: such files are simply not cached. */
function faithfulJson(value: unknown): string | undefined {
  let ok = true;
  const text = JSON.stringify(value, (_k, v) => {
    if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) ok = false;
    return v;
  });
  return ok ? text : undefined;
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
    return path.join(this.settings.dir, key.slice(0, 2), `${key.slice(2)}.json`);
  }

  async get(key: string): Promise<CachedParse | undefined> {
    try {
      const bytes = await readFile(this.file(key));
      const nl = bytes.indexOf(10);
      const payload = bytes.subarray(nl + 1);
      if (nl < 1 || nl > 10 || Number(bytes.subarray(0, nl).toString("latin1")) !== crc32(payload)) throw new Error("checksum");
      const e = JSON.parse(payload.toString("utf8"));
      const ok = e && e.key === key && e.data && typeof e.data === "object" && !Array.isArray(e.data) && Array.isArray(e.lines) && e.pos && typeof e.pos === "object" && typeof e.rootOffset === "number";
      if (!ok) throw new Error("shape");
      // Positions are used as stored (plain objects); model/position-index.ts never trusts their shape.
      const hit: CachedParse = { data: e.data, root: e.pos, rootOffset: e.rootOffset, lineStarts: Uint32Array.from(e.lines) };
      this.stats.hits++;
      return hit;
    } catch {
      this.stats.misses++;
      return undefined;
    }
  }

  async put(key: string, entry: CachedParse): Promise<void> {
    const data = faithfulJson(entry.data);
    if (data === undefined) return;
    const payload = `{"key":${JSON.stringify(key)},"rootOffset":${entry.rootOffset},"lines":${JSON.stringify(Array.from(entry.lineStarts))},"pos":${JSON.stringify(entry.root)},"data":${data}}`;
    const body = Buffer.from(payload, "utf8");
    try {
      await writeFileAtomic(this.file(key), Buffer.concat([Buffer.from(`${crc32(body)}\n`, "latin1"), body]));
      this.stats.writes++;
    } catch {
      /* an unwritable cache only costs speed */
    }
  }

  /** Removes entries not read or written for a month; best effort. */
  async prune(now = Date.now()): Promise<void> {
    try {
      for (const sub of await readdir(this.settings.dir)) {
        if (!/^[0-9a-f]{2}$/.test(sub)) continue;
        for (const f of await readdir(path.join(this.settings.dir, sub))) {
          const p = path.join(this.settings.dir, sub, f);
          const s = await stat(p);
          if (now - Math.max(s.mtimeMs, s.atimeMs) > STALE_MS) await rm(p, { force: true });
        }
      }
    } catch {
      /* best effort */
    }
  }
}
