/**
 * The positions a fast-parsed file keeps instead of a yaml Document: for every mapping the offset
 * of each key, for every sequence the offset of each item, and the line starts, so `locate(path)`
 * answers exactly as DocumentSource does (the deepest existing node on the path) at a fraction
 * of the memory.
 */
import type { Location, SourceFile } from "./source-map.js";

export type PosNode = PosMap | PosSeq;

export class PosMap {
  /**
   * Offset of each key. A plain object (not prototype-free: those start in V8's slow dictionary
   * mode and cost several times the memory); lookups accept only own numbers.
   */
  readonly keys: Record<string, number> = {};
  /** Position nodes of the values that are collections. */
  kids: Record<string, PosNode> | undefined;
}

export class PosSeq {
  readonly at: number[] = [];
  readonly kids: (PosNode | undefined)[] = [];
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
  constructor(readonly file: string, private readonly root: PosNode, private readonly rootOffset: number, private readonly lineStarts: Uint32Array) {}

  offsetOf(path: readonly (string | number)[]): number {
    let node: PosNode | undefined = this.root;
    let offset = this.rootOffset;
    for (const seg of path) {
      if (node instanceof PosMap) {
        const key = String(seg);
        const at = node.keys[key];
        if (typeof at !== "number" || !Object.hasOwn(node.keys, key)) break;
        offset = at;
        node = node.kids && Object.hasOwn(node.kids, key) ? node.kids[key] : undefined;
      } else if (node instanceof PosSeq && typeof seg === "number") {
        const at = node.at[seg];
        if (at === undefined) break;
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
