/**
 * One manifest file: size and symlink checks, strict UTF-8, secret-value scan, YAML parse with
 * positions, a linear AST walk (depth, forbidden keys, value-like secrets) and conversion to plain
 * data. Shared by the loader and its worker threads, so both report exactly the same problems.
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: one file's pass (size, UTF-8, secrets, fast or full parse, AST walk, conversion) keeps its positions in one place; the fast path and the AST checks are their own modules.
 */
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { LineCounter, isScalar, parseDocument } from "yaml";
import { checkAliases, walkAst } from "./ast-checks.js";
import type { DiagnosticCode } from "../../model/diagnostics.js";
import { fastParse } from "./fast-yaml.js";
import { ParseCache, type CacheSettings } from "./parse-cache.js";
import { IndexedSource } from "./position-index.js";
import { scanDecoded, scanDocument } from "../../redact/secret-scan.js";
import { DocumentSource, locateOffset, type Location, type SourceFile } from "../source-map.js";
import type { FileOutput, ReaderConfig } from "./parse-types.js";

export type { FileOutput, ReaderConfig } from "./parse-types.js";

export const DEFAULT_MAX_ALIASES = 100;

export interface ParsedFile {
  src: SourceFile;
  data: unknown;
}

export { display, toPosix } from "../display-path.js";
import { display } from "../display-path.js";

/** Reads, decodes, scans and parses one YAML file; returns undefined when nothing can be trusted. */
export async function parseFile(r: ReaderConfig, abs: string, out: FileOutput): Promise<ParsedFile | undefined> {
  const file = display(r, abs);
  const top: Location = { file, line: 1, col: 1 };
  let info;
  try {
    const l = await lstat(abs);
    if (l.isSymbolicLink()) {
      const target = await realpath(abs);
      if (target !== r.realRoot && !target.startsWith(r.realRoot + path.sep)) {
        out.add(
          "file-outside-root",
          top,
          "symlink points outside the project root",
          "Copy the file into the project instead of linking to it.",
        );
        return undefined;
      }
    }
    info = await stat(abs);
  } catch {
    out.add("file-unreadable", top, "file could not be read", "Check that it exists and is readable.");
    return undefined;
  }
  if (!info.isFile()) {
    // A FIFO or device would block or never end; a folder cannot be parsed.
    out.add(
      "file-unreadable",
      top,
      `not a regular file (${info.isDirectory() ? "a folder" : "a device, FIFO or socket"})`,
      "Name a YAML file.",
    );
    return undefined;
  }
  if (info.size > r.maxBytes) {
    out.add(
      "file-too-large",
      top,
      `file is ${info.size} bytes, over the ${r.maxBytes}-byte limit`,
      "Split it into several files, or raise limits.maxFileBytes in tollgate.yaml.",
    );
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(abs);
  } catch (e) {
    out.add(
      "file-unreadable",
      top,
      `file could not be read (${readFailure(e)})`,
      "Make it readable by the user running tollgate.",
    );
    return undefined;
  }
  const cache = r.cache ? cacheFor(r.cache) : undefined;
  const key = cache?.key(bytes);
  const knownClean = cache && key ? await cache.has(key) : false;
  let content: string;
  try {
    content = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    out.add("file-encoding", top, "file is not valid UTF-8", "Save the file as UTF-8.");
    return undefined;
  }
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  return parseText(
    r,
    file,
    content,
    out,
    "auto",
    knownClean ? "known-clean" : cache && key ? () => cache.put(key) : undefined,
  );
}

/** Offset where flow brackets or block sequence dashes on one line nest deeper than `limit`, else -1. */
function extremeNesting(content: string, limit: number): number {
  let depth = 0;
  let dashes = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > limit) return i;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 45 && content.charCodeAt(i + 1) === 32) {
      if (++dashes > limit) return i;
      i++;
    } else if (c !== 32) dashes = 0;
  }
  return -1;
}

let warmed = false;
/**
 * The first full parse in a process compiles yaml's regular expressions. When that first file is a
 * hostile one nested thousands deep, the compile happens at the bottom of an exhausted stack and V8
 * aborts the process ("RegExpCompiler Allocation failed") instead of throwing. Before the fast path,
 * ordinary files warmed yaml up first; now one small document does.
 */
function warmYaml(): void {
  if (warmed) return;
  warmed = true;
  // Several times: V8 compiles a regular expression to native code on its second use.
  for (let i = 0; i < 3; i++)
    parseDocument("a: [b, 'c', \"d\", { e: 1.5 }]\nf:\n  - &g h # i\n  - *g\n  - !!str j\n  - |\n    k\nl: >-\n  m\n", {
      lineCounter: new LineCounter(),
      strict: true,
      uniqueKeys: false,
    }).toJS();
}

const caches = new Map<string, ParseCache>();
/** One cache (and one set of counters) per location and salt in this thread. */
export function cacheFor(settings: CacheSettings): ParseCache {
  const id = `${settings.dir}\u0000${settings.salt}`;
  let c = caches.get(id);
  if (!c) caches.set(id, (c = new ParseCache(settings)));
  return c;
}

const SECRET_HINT = "Remove the value and rotate it: store it in your secret manager and reference it by name or path.";
const VALUE_LIKE_HINT = "Reference the secret by name or store path; never paste its value.";

/**
 * Parses decoded text: the fast path (load/parse/fast-yaml.ts) when it accepts the file, else the full
 * yaml Document. `mode` forces one path (the differential tests compare them). `clean` is the
 * cache: "known-clean" skips the secret scan; a function is called when the file had nothing to report.
 */
export async function parseText(
  r: ReaderConfig,
  file: string,
  content: string,
  out: FileOutput,
  mode: "auto" | "full" = "auto",
  clean?: "known-clean" | (() => Promise<void>),
): Promise<ParsedFile | undefined> {
  const fast = mode === "auto" ? fastParse(content, r.maxDepth) : undefined;
  if (fast) {
    const src = new IndexedSource(file, content, fast.tree, fast.root, fast.rootOffset, fast.lineStarts, fast.keys);
    // A cache hit: these bytes were scanned by this version and had nothing to report.
    if (clean === "known-clean") return { src, data: fast.data };
    // The text scan, plus the decoded values of the scalars that are not their own text (escapes,
    // block scalars, folding: only the fragments yaml parsed have any), exactly as the full path scans.
    const { hits, values } = await scanDecoded(content, file, fast.decoded);
    for (const v of values) out.rememberSecret(v);
    for (const h of hits)
      out.add(
        "secret-value",
        src.locateOffset(h.start),
        `a secret value is pasted here (detected by ${h.rule}); it is not shown`,
        SECRET_HINT,
      );
    for (const v of fast.strings) {
      out.rememberSecret(v.value);
      out.add(
        "secret-value",
        src.locateOffset(v.offset),
        `field \`${v.key}\` holds what looks like a secret value (high entropy); it is not shown`,
        VALUE_LIKE_HINT,
      );
    }
    // Only a file with nothing to report may be cached: a secret-scan finding keeps it out.
    if (typeof clean === "function" && hits.length === 0 && fast.strings.length === 0) await clean();
    return { src, data: fast.data };
  }
  const top: Location = { file, line: 1, col: 1 };
  // Nesting thousands deep exhausts yaml's recursion, where V8 may abort the process instead of
  // throwing (seen with the fast path in front): refuse it before yaml sees it.
  const extreme = extremeNesting(content, Math.max(1000, r.maxDepth + 1));
  if (extreme >= 0) {
    const before = content.lastIndexOf("\n", extreme - 1);
    let line = 1;
    for (let i = content.indexOf("\n"); i !== -1 && i < extreme; i = content.indexOf("\n", i + 1)) line++;
    out.add(
      "nesting-too-deep",
      { file, line, col: extreme - before },
      `nesting is far deeper than ${r.maxDepth} levels`,
      "Manifests are shallow; flatten this structure.",
    );
    return undefined;
  }
  warmYaml();
  const lineCounter = new LineCounter();
  // Duplicate keys are found in walkAst with a Set per mapping (linear); yaml's own check compares
  // every pair of keys, which dominates on large files.
  const doc = parseDocument(content, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    strict: true,
    keepSourceTokens: false,
  });
  const src = new DocumentSource(file, doc, lineCounter);

  const scan = await scanDocument(content, file, doc);
  for (const v of scan.values) out.rememberSecret(v);
  for (const hit of scan.hits) {
    out.add(
      "secret-value",
      locateOffset(src, hit.start),
      `a secret value is pasted here (detected by ${hit.rule}); it is not shown`,
      SECRET_HINT,
    );
  }

  let fatal = false;
  // A parser that ran out of stack leaves errors (one per level, follow-up syntax errors) that depend
  // on how deep the caller's own stack was (a test runner, a worker): report the nesting once then.
  const outOfStack = (e: { code: string; message: string }) =>
    e.code === "RESOURCE_EXHAUSTION" && /call stack/i.test(e.message);
  const exhausted = doc.errors.find(outOfStack);
  for (const e of exhausted ? [exhausted] : doc.errors) {
    fatal = true;
    if (outOfStack(e)) {
      // The parser itself ran out of stack: only extreme nesting does that.
      out.add(
        "nesting-too-deep",
        locateOffset(src, e.pos[0]),
        `nesting is far deeper than ${r.maxDepth} levels`,
        "Manifests are shallow; flatten this structure.",
      );
      continue;
    }
    const code: DiagnosticCode =
      e.code === "DUPLICATE_KEY"
        ? "yaml-duplicate-key"
        : e.code === "TAB_AS_INDENT"
          ? "yaml-tab-indent"
          : e.code === "MULTIPLE_DOCS"
            ? "yaml-multiple-documents"
            : "yaml-syntax";
    const hint =
      code === "yaml-duplicate-key"
        ? "Remove or rename one of the two entries; the second would silently win in most tools."
        : code === "yaml-tab-indent"
          ? "Indent with spaces; YAML forbids tabs for indentation."
          : code === "yaml-multiple-documents"
            ? "Keep one document per file; split the rest into their own files."
            : "Fix the YAML syntax at this position.";
    const message = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+.*$/, "");
    out.add(code, locateOffset(src, e.pos[0]), message, hint);
  }
  if (fatal) return undefined;

  if (doc.contents === null || (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ""))) {
    out.add("file-empty", top, "file has no content", "Add a section such as `services:`, or delete the file.");
    return undefined;
  }
  if (!walkAst(r, src, out)) return undefined;
  if (!checkAliases(src, out)) return undefined;

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: DEFAULT_MAX_ALIASES });
  } catch (e) {
    if (e instanceof ReferenceError || (e as Error)?.message?.includes("alias")) {
      out.add(
        "yaml-alias-limit",
        top,
        "too many alias expansions (possible alias bomb)",
        "Write the values out instead of nesting aliases.",
      );
      return undefined;
    }
    throw e;
  }
  return { src, data };
}

function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === "EACCES" || code === "EPERM"
    ? "permission denied"
    : code === "EISDIR"
      ? "it is a folder"
      : (code ?? "unknown error");
}
