/**
 * Maps a path in the merged model back to file:line:col, down to the offending key. When the
 * path does not exist (a missing field), it falls back to the nearest existing ancestor.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

export interface Location {
  file: string;
  line: number;
  col: number;
}

export interface SourceFile {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export function locateIn(src: SourceFile, path: readonly (string | number)[]): Location {
  let node: unknown = src.doc.contents;
  let offset = node && (node as Node).range ? (node as Node).range![0] : 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const key = pair.key as Node;
      if (key.range) offset = key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      if (item.range) offset = item.range[0];
      node = item;
    } else break;
  }
  const pos = src.lineCounter.linePos(offset);
  return { file: src.file, line: pos.line, col: pos.col };
}

export function locateOffset(src: { file: string; lineCounter: LineCounter }, offset: number): Location {
  const pos = src.lineCounter.linePos(offset);
  return { file: src.file, line: pos.line, col: pos.col };
}

/** Where each named entity of the model was declared. */
export class SourceMap {
  private readonly entities = new Map<string, SourceFile>();

  set(section: string, name: string, src: SourceFile): void {
    this.entities.set(`${section}\u0000${name}`, src);
  }

  fileOf(section: string, name: string): SourceFile | undefined {
    return this.entities.get(`${section}\u0000${name}`);
  }

  /** path is relative to the entity: locate("secrets", "X", ["environments", "production"]). */
  locate(section: string, name: string, path: readonly (string | number)[] = []): Location | undefined {
    const src = this.fileOf(section, name);
    return src ? locateIn(src, [section, name, ...path]) : undefined;
  }
}
