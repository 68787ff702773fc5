/**
 * Content-addressed cache of parsed manifest files (`--cache`), like ESLint's: an entry is keyed
 * by the SHA-256 of the file's bytes, the Tollgate version and the options that change parsing,
 * and holds the plain values and the position index of a file that parsed on the fast path with
 * no diagnostic at all — so a file with a secret-scan finding (or any other problem) is never
 * stored. Each entry carries a checksum of its own payload: a corrupted, truncated, foreign or
 * unreadable entry is a miss, never an error, and so is a cache from another version (another key).
 * Writes are atomic (temporary sibling + rename); failures to write are ignored.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../util/atomic-write.js";
import { PosMap, PosSeq, type PosNode } from "./position-index.js";

/** Bumped whenever the entry format or what the fast path produces changes. */
const FORMAT = 1;
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

type WirePos = { k: Record<string, number>; c?: Record<string, WirePos> } | { a: number[]; c: (WirePos | 0)[] };

function toWire(n: PosNode): WirePos {
  if (n instanceof PosMap) {
    const out: WirePos = { k: n.keys };
    if (n.kids) out.c = Object.fromEntries(Object.entries(n.kids).map(([k, v]) => [k, toWire(v)]));
    return out;
  }
  return { a: n.at, c: n.kids.map((k) => (k ? toWire(k) : 0)) };
}

function fromWire(w: any): PosNode {
  if (w && typeof w === "object" && w.k && typeof w.k === "object") {
    const m = new PosMap();
    for (const [k, v] of Object.entries(w.k)) {
      if (typeof v !== "number") throw new Error("bad entry");
      m.keys[k] = v;
    }
    if (w.c) {
      m.kids = {};
      for (const [k, v] of Object.entries(w.c)) m.kids![k] = fromWire(v);
    }
    return m;
  }
  if (w && Array.isArray(w.a) && Array.isArray(w.c)) {
    const s = new PosSeq();
    for (const a of w.a) s.at.push(Number(a));
    for (const c of w.c) s.kids.push(c === 0 ? undefined : fromWire(c));
    return s;
  }
  throw new Error("bad entry");
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
      const text = await readFile(this.file(key), "utf8");
      const nl = text.indexOf("\n");
      const payload = text.slice(nl + 1);
      if (nl !== 64 || text.slice(0, 64) !== sha256(payload)) throw new Error("checksum");
      const e = JSON.parse(payload);
      if (e.key !== key || !e.data || typeof e.data !== "object" || Array.isArray(e.data) || !Array.isArray(e.lines)) throw new Error("shape");
      const hit: CachedParse = { data: e.data, root: fromWire(e.pos), rootOffset: Number(e.rootOffset), lineStarts: Uint32Array.from(e.lines) };
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
    const payload = `{"key":${JSON.stringify(key)},"rootOffset":${entry.rootOffset},"lines":${JSON.stringify(Array.from(entry.lineStarts))},"pos":${JSON.stringify(toWire(entry.root))},"data":${data}}`;
    try {
      await writeFileAtomic(this.file(key), `${sha256(payload)}\n${payload}`);
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
