/**
 * The positions a fast-parsed file keeps instead of a yaml Document: for every mapping the offset
 * of each key, for every sequence the offset of each item, and the line starts, so `locate(path)`
 * answers exactly as DocumentSource does (the deepest existing node on the path).
 *
 * Compact: one Int32Array per file of 3-int records instead of objects per node (which took ~80 MB
 * at 50,000 secrets, more than the values themselves). A collection is a header record
 * [kind, first entry, last entry]; each key or item is an entry record [offset, child header or -1,
 * next entry or -1]. Keys are not stored: a fast-path key is plain text ending at its `:`, read
 * back from the file text (which the values' strings keep alive anyway).
 */
import type { Location, SourceFile } from "../source-map.js";

export const MAP = 0;
export const SEQ = 1;
const NONE = -1;
/** Collections with more entries than this get a lookup table on their first lookup. */
const INDEX_FROM = 8;

/** Appends records while the fast path parses; `finish()` returns the trimmed array. */
export class PosBuilder {
  private a: Int32Array;
  private n = 0;

  constructor(capacity = 1024) {
    this.a = new Int32Array(Math.max(48, capacity - (capacity % 3)));
  }

  private alloc(x: number, y: number, z: number): number {
    if (this.n + 3 > this.a.length) {
      const bigger = new Int32Array(this.a.length * 2);
      bigger.set(this.a);
      this.a = bigger;
    }
    const i = this.n;
    this.a[i] = x;
    this.a[i + 1] = y;
    this.a[i + 2] = z;
    this.n += 3;
    return i;
  }

  /** A new, empty collection: returns its header. */
  node(kind: typeof MAP | typeof SEQ): number {
    return this.alloc(kind, NONE, NONE);
  }

  /** Appends a key (MAP) or item (SEQ) at `offset` to the collection `node`; returns the entry. */
  add(node: number, offset: number, child: number): number {
    const e = this.alloc(offset, child, NONE);
    const a = this.a;
    if (a[node + 1] === NONE) a[node + 1] = e;
    else a[a[node + 2]! + 2] = e;
    a[node + 2] = e;
    return e;
  }

  /** The value of an entry turned out to be a collection (a block under its key). */
  setChild(entry: number, child: number): void {
    this.a[entry + 1] = child;
  }

  finish(): Int32Array {
    return this.a.slice(0, this.n);
  }
}

/** Offset → 1-based line and column, as yaml's LineCounter computes them. */
export function linePos(lineStarts: Uint32Array | number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = lineStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offset < lineStarts[mid]!) hi = mid;
    else lo = mid + 1;
  }
  if (lo === 0) return { line: 0, col: offset };
  const start = lineStarts[lo - 1]!;
  return { line: lo, col: offset - start + 1 };
}

export class IndexedSource implements SourceFile {
  /** Lookup tables of large collections, built on first use: key → entry (MAP), index → entry (SEQ). */
  private tables: Map<number, Map<string, number> | Int32Array> | undefined;

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly tree: Int32Array,
    private readonly root: number,
    private readonly rootOffset: number,
    private readonly lineStarts: Uint32Array,
    keys?: Map<number, string>,
  ) {
    this.keys = keys && keys.size > 0 ? keys : undefined;
  }

  /** Entries whose key is not the text up to its `:` (quoted keys, keys holding `:`), from fast-path fragments. */
  private readonly keys: Map<number, string> | undefined;

  /** The key text of a MAP entry: from its offset up to the `:` that ends it. */
  private keyAt(entry: number): string {
    const known = this.keys?.get(entry);
    if (known !== undefined) return known;
    const start = this.tree[entry]!;
    return this.text.slice(start, this.text.indexOf(":", start));
  }

  private count(node: number): number {
    let n = 0;
    for (let e = this.tree[node + 1]!; e !== NONE; e = this.tree[e + 2]!) n++;
    return n;
  }

  private table(node: number): Map<string, number> | Int32Array | undefined {
    let t = this.tables?.get(node);
    if (t) return t;
    if (this.count(node) <= INDEX_FROM) return undefined;
    if (this.tree[node] === MAP) {
      const m = new Map<string, number>();
      for (let e = this.tree[node + 1]!; e !== NONE; e = this.tree[e + 2]!) m.set(this.keyAt(e), e);
      t = m;
    } else {
      const items: number[] = [];
      for (let e = this.tree[node + 1]!; e !== NONE; e = this.tree[e + 2]!) items.push(e);
      t = Int32Array.from(items);
    }
    (this.tables ??= new Map()).set(node, t);
    return t;
  }

  /** The entry of `key` in a MAP, or -1. A key never holds a `:` (the fast path's key characters). */
  private findKey(node: number, key: string): number {
    const colonFree = !key.includes(":");
    if (!colonFree && !this.keys) return NONE;
    const t = this.table(node);
    if (t) return (t as Map<string, number>).get(key) ?? NONE;
    const text = this.text;
    for (let e = this.tree[node + 1]!; e !== NONE; e = this.tree[e + 2]!) {
      const known = this.keys?.get(e);
      if (known !== undefined) {
        if (known === key) return e;
        continue;
      }
      const at = this.tree[e]!;
      // The key starts with `key` and its `:` follows at once: then it is exactly `key`.
      if (colonFree && text.charCodeAt(at + key.length) === 58 && text.startsWith(key, at)) return e;
    }
    return NONE;
  }

  private findItem(node: number, index: number): number {
    const t = this.table(node);
    if (t) return index < (t as Int32Array).length ? (t as Int32Array)[index]! : NONE;
    let e = this.tree[node + 1]!;
    for (let i = 0; i < index && e !== NONE; i++) e = this.tree[e + 2]!;
    return e;
  }

  offsetOf(path: readonly (string | number)[]): number {
    let node = this.root;
    let offset = this.rootOffset;
    for (const seg of path) {
      if (node === NONE) break;
      let e: number;
      if (this.tree[node] === MAP) e = this.findKey(node, String(seg));
      else if (typeof seg === "number" && Number.isInteger(seg) && seg >= 0) e = this.findItem(node, seg);
      else break;
      if (e === NONE) break;
      offset = this.tree[e]!;
      node = this.tree[e + 1]!;
    }
    return offset;
  }

  locate(path: readonly (string | number)[]): Location {
    return this.locateOffset(this.offsetOf(path));
  }

  locateOffset(offset: number): Location {
    const pos = linePos(this.lineStarts, offset);
    return { file: this.file, line: pos.line, col: pos.col };
  }
}
