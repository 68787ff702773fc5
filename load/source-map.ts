/**
 * Maps a path in the merged model back to file:line:col, down to the offending key. When the
 * path does not exist (a missing field), it falls back to the nearest existing ancestor.
 *
 * A file parsed in this thread answers at once. A file parsed in a worker thread (large projects)
 * hands out a Location whose line and col are filled in when its positions are resolved in one
 * batch (`resolvePending`), so only the positions actually reported cross threads.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";

export interface Location {
  file: string;
  line: number;
  col: number;
}

export interface SourceFile {
  readonly file: string;
  locate(path: readonly (string | number)[]): Location;
}

/** The offset of the deepest existing node on the path: a key's offset for map entries. */
export function offsetOf(doc: Document.Parsed, path: readonly (string | number)[]): number {
  let node: unknown = doc.contents;
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
  return offset;
}

export class DocumentSource implements SourceFile {
  constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    readonly lineCounter: LineCounter,
  ) {}
  locate(path: readonly (string | number)[]): Location {
    const pos = this.lineCounter.linePos(offsetOf(this.doc, path));
    return { file: this.file, line: pos.line, col: pos.col };
  }
}

export type PendingRequest = { loc: Location; path: (string | number)[] };

/** A file whose Document lives in a worker: locations are placeholders until resolved. */
export class DeferredSource implements SourceFile {
  readonly pending: PendingRequest[] = [];
  disposed = false;
  constructor(
    readonly file: string,
    readonly workerFileId: number,
  ) {}
  locate(path: readonly (string | number)[]): Location {
    if (this.disposed) return { file: this.file, line: 1, col: 1 };
    const loc = { file: this.file, line: 0, col: 0 };
    this.pending.push({ loc, path: [...path] });
    return loc;
  }
}

export function locateIn(src: SourceFile, path: readonly (string | number)[]): Location {
  return src.locate(path);
}

export function locateOffset(src: { file: string; lineCounter: LineCounter }, offset: number): Location {
  const pos = src.lineCounter.linePos(offset);
  return { file: src.file, line: pos.line, col: pos.col };
}

/** Where each named entity of the model was declared. */
export class SourceMap {
  /** section → name → file: no key string is built per lookup (findings look up tens of thousands). */
  private readonly entities = new Map<string, Map<string, SourceFile>>();
  /** Set by the loader when some files were parsed in worker threads. */
  resolver: (() => Promise<void>) | undefined;
  disposer: (() => Promise<void>) | undefined;

  set(section: string, name: string, src: SourceFile): void {
    let names = this.entities.get(section);
    if (!names) this.entities.set(section, (names = new Map()));
    names.set(name, src);
  }

  fileOf(section: string, name: string): SourceFile | undefined {
    return this.entities.get(section)?.get(name);
  }

  /** path is relative to the entity: locate("secrets", "X", ["environments", "production"]). */
  locate(section: string, name: string, path: readonly (string | number)[] = []): Location | undefined {
    const src = this.fileOf(section, name);
    return src ? src.locate([section, name, ...path]) : undefined;
  }

  /** Fills in every deferred location handed out so far. A no-op for in-thread files. */
  async resolvePending(): Promise<void> {
    if (this.resolver) await this.resolver();
  }

  /** Releases worker threads (if any). Locations handed out earlier stay valid. */
  async dispose(): Promise<void> {
    if (this.disposer) await this.disposer();
    this.resolver = undefined;
    this.disposer = undefined;
  }
}
