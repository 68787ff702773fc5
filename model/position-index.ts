/**
 * The positions a fast-parsed file keeps instead of a yaml Document: for every mapping the offset
 * of each key, for every sequence the offset of each item, and the line starts, so `locate(path)`
 * answers exactly as DocumentSource does (the deepest existing node on the path) at a fraction
 * of the memory.
 */
import type { Location, SourceFile } from "./source-map.js";

export type PosNode = PosMap | PosSeq;

/**
 * Plain objects (JSON as they are, so a cache entry needs no conversion): a mapping keeps the
 * offset of each key (a plain object, not a prototype-free one: those start in V8's slow
 * dictionary mode and cost several times the memory; lookups accept only own numbers) and the
 * position nodes of its values that are collections; a sequence the offset of each item.
 */
export interface PosMap {
  keys: Record<string, number>;
  kids?: Record<string, PosNode>;
}

export interface PosSeq {
  at: number[];
  kids: (PosNode | null)[];
}

export const newPosMap = (): PosMap => ({ keys: {} });
export const newPosSeq = (): PosSeq => ({ at: [], kids: [] });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

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
  constructor(readonly file: string, private readonly root: PosNode, private readonly rootOffset: number, private readonly lineStarts: Uint32Array) {}

  offsetOf(path: readonly (string | number)[]): number {
    // Defensive about shapes: a cache entry is checksummed, but never trusted to be well formed.
    let node: unknown = this.root;
    let offset = this.rootOffset;
    for (const seg of path) {
      if (!isObject(node)) break;
      if (isObject(node.keys)) {
        const key = String(seg);
        const at = node.keys[key];
        if (typeof at !== "number" || !Object.hasOwn(node.keys, key)) break;
        offset = at;
        node = isObject(node.kids) && Object.hasOwn(node.kids, key) ? node.kids[key] : undefined;
      } else if (Array.isArray(node.at) && Array.isArray(node.kids) && typeof seg === "number" && Number.isInteger(seg) && seg >= 0) {
        const at: unknown = node.at[seg];
        if (typeof at !== "number") break;
        offset = at;
        node = node.kids[seg];
      } else break;
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
