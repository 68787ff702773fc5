/**
 * One manifest file: size and symlink checks, strict UTF-8, secret-value scan, YAML parse with
 * positions, a linear AST walk (depth, forbidden keys, value-like secrets) and conversion to plain
 * data. Shared by the loader and its worker threads, so both report exactly the same problems.
 */
import { lstat, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node } from "yaml";
import type { DiagnosticCode, Severity } from "./diagnostics.js";
import { looksLikeSecretValue, scanDocument, VALUE_LIKE_KEYS } from "./secret-scan.js";
import { DocumentSource, locateOffset, type Location } from "./source-map.js";

export const DEFAULT_MAX_ALIASES = 100;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export interface ReaderConfig {
  realRoot: string;
  displayBase: string;
  maxBytes: number;
  maxDepth: number;
}

/** Where parseFile reports: the loader's collector in-thread, a plain list in a worker. */
export interface FileOutput {
  add(code: DiagnosticCode, loc: Location, message: string, hint?: string, severity?: Severity): void;
  rememberSecret(value: string): void;
}

export interface ParsedFile {
  src: DocumentSource;
  data: unknown;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

export function display(r: { displayBase: string }, abs: string): string {
  const rel = path.relative(r.displayBase, abs);
  return toPosix(rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel);
}

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
        out.add("file-outside-root", top, "symlink points outside the project root", "Copy the file into the project instead of linking to it.");
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
    out.add("file-unreadable", top, `not a regular file (${info.isDirectory() ? "a folder" : "a device, FIFO or socket"})`, "Name a YAML file.");
    return undefined;
  }
  if (info.size > r.maxBytes) {
    out.add("file-too-large", top, `file is ${info.size} bytes, over the ${r.maxBytes}-byte limit`, "Split it into several files, or raise limits.maxFileBytes in tollgate.yaml.");
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(abs);
  } catch (e) {
    out.add("file-unreadable", top, `file could not be read (${readFailure(e)})`, "Make it readable by the user running tollgate.");
    return undefined;
  }
  let content: string;
  try {
    content = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    out.add("file-encoding", top, "file is not valid UTF-8", "Save the file as UTF-8.");
    return undefined;
  }
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  const lineCounter = new LineCounter();
  // Duplicate keys are found in walkAst with a Set per mapping (linear); yaml's own check compares
  // every pair of keys, which dominates on large files.
  const doc = parseDocument(content, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: true, keepSourceTokens: false });
  const src = new DocumentSource(file, doc, lineCounter);

  const scan = await scanDocument(content, file, doc);
  for (const v of scan.values) out.rememberSecret(v);
  for (const hit of scan.hits) {
    out.add("secret-value", locateOffset(src, hit.start), `a secret value is pasted here (detected by ${hit.rule}); it is not shown`, "Remove the value and rotate it: store it in your secret manager and reference it by name or path.");
  }

  let fatal = false;
  for (const e of doc.errors) {
    fatal = true;
    if (e.code === "RESOURCE_EXHAUSTION" && /call stack/i.test(e.message)) {
      // The parser itself ran out of stack: only extreme nesting does that.
      out.add("nesting-too-deep", locateOffset(src, e.pos[0]), `nesting is far deeper than ${r.maxDepth} levels`, "Manifests are shallow; flatten this structure.");
      continue;
    }
    const code: DiagnosticCode =
      e.code === "DUPLICATE_KEY" ? "yaml-duplicate-key" : e.code === "TAB_AS_INDENT" ? "yaml-tab-indent" : e.code === "MULTIPLE_DOCS" ? "yaml-multiple-documents" : "yaml-syntax";
    const hint =
      code === "yaml-duplicate-key" ? "Remove or rename one of the two entries; the second would silently win in most tools."
      : code === "yaml-tab-indent" ? "Indent with spaces; YAML forbids tabs for indentation."
      : code === "yaml-multiple-documents" ? "Keep one document per file; split the rest into their own files."
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
      out.add("yaml-alias-limit", top, "too many alias expansions (possible alias bomb)", "Write the values out instead of nesting aliases.");
      return undefined;
    }
    throw e;
  }
  return { src, data };
}

function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a folder" : code ?? "unknown error";
}

/** Tags the core schema resolves itself; anything else (!!omap, !!set, !!binary, !custom) is refused. */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

/** Every alias must name an anchor defined before it (document order); reported where it is used. */
function checkAliases(src: DocumentSource, out: FileOutput): boolean {
  const anchors = new Set<string>();
  let ok = true;
  visit(src.doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        if (!anchors.has(node.source)) {
          out.add("yaml-undefined-alias", locateOffset(src, node.range?.[0] ?? 0), `alias \`*${node.source.slice(0, 64)}\` names no anchor defined before it`, "Define the anchor (&name) before using the alias, or write the value out.");
          ok = false;
        }
      } else if (node.anchor) anchors.add(node.anchor);
      return undefined;
    },
  });
  return ok;
}

/** One linear pass over the AST (aliases are not expanded): depth, forbidden keys, value-like secrets. */
function walkAst(r: ReaderConfig, src: DocumentSource, out: FileOutput): boolean {
  let ok = true;
  const stack: Array<{ node: unknown; depth: number; key: string | undefined }> = [{ node: src.doc.contents, depth: 1, key: undefined }];
  while (stack.length > 0) {
    const { node, depth, key } = stack.pop()!;
    if (depth > r.maxDepth) {
      const offset = (node as Node)?.range?.[0] ?? 0;
      out.add("nesting-too-deep", locateOffset(src, offset), `nesting is deeper than ${r.maxDepth} levels`, "Manifests are shallow; flatten this structure.");
      return false;
    }
    const tag = (node as Node | undefined)?.tag;
    if (tag !== undefined && !CORE_TAGS.has(tag)) {
      out.add("yaml-unsupported-tag", locateOffset(src, (node as Node).range?.[0] ?? 0), `tag \`${tag.replace(/^tag:yaml\.org,2002:/, "!!").slice(0, 64)}\` is not supported`, "Remove the tag; manifests use plain mappings, lists and scalars.");
      ok = false;
      continue;
    }
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        // Keys are checked for tags here; values below when popped.
        const keyTag = (pair.key as Node | null)?.tag;
        if (keyTag !== undefined && !CORE_TAGS.has(keyTag)) {
          out.add("yaml-unsupported-tag", locateOffset(src, (pair.key as Node).range?.[0] ?? 0), `tag \`${keyTag.replace(/^tag:yaml\.org,2002:/, "!!").slice(0, 64)}\` is not supported`, "Remove the tag; manifests use plain mappings, lists and scalars.");
          ok = false;
        }
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (k !== undefined) {
          if (seen.has(k)) {
            out.add("yaml-duplicate-key", locateOffset(src, (pair.key as Node).range?.[0] ?? 0), "Map keys must be unique", "Remove or rename one of the two entries; the second would silently win in most tools.");
            ok = false;
          }
          seen.add(k);
        }
        if (k !== undefined && FORBIDDEN_KEYS.has(k)) {
          out.add("forbidden-key", locateOffset(src, (pair.key as Node).range?.[0] ?? 0), `key \`${k}\` is not allowed`, "Rename the key; it could alter object prototypes in tools that read this file.");
          ok = false;
        }
        stack.push({ node: pair.value, depth: depth + 1, key: k });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1, key });
    } else if (isScalar(node) && typeof node.value === "string" && key !== undefined) {
      if (VALUE_LIKE_KEYS.has(key.toLowerCase()) && looksLikeSecretValue(node.value)) {
        out.rememberSecret(node.value);
        out.add("secret-value", locateOffset(src, node.range?.[0] ?? 0), `field \`${key}\` holds what looks like a secret value (high entropy); it is not shown`, "Reference the secret by name or store path; never paste its value.");
      }
    } else if (isAlias(node)) {
      // aliases are resolved (and counted) by toJS
    }
  }
  return ok;
}

