/**
 * The fast path's fallback for one entry or item (issue #27): a value it does not parse itself —
 * block scalars, escaped or multi-line quoted and plain scalars, flow collections across lines,
 * quoted keys — is handed to yaml, alone, in its own indentation context: the entry's lines, with
 * whatever precedes its first character on the first line blanked, parse as a one-entry document
 * whose offsets are the file's own. The result is grafted into the fast path's values and position
 * records. Anything yaml reports (an error, a warning), and anything whose meaning could depend on
 * the rest of the file (anchors, tags, non-string keys, keep-chomping `|+`), DECLINES the file, so
 * every diagnostic still comes from the full path.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { MAP, SEQ, type PosBuilder } from "./position-index.js";
import { decodesToItsText, type DecodedScalar } from "../../redact/secret-scan.js";

export class Decline extends Error {}
export const DECLINE = new Decline();
/** Thrown inside the fast path's value parser: this value needs the fragment parse. */
export const FRAGMENT = new Decline();

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const OPTIONS = { uniqueKeys: false, strict: true, prettyErrors: false, keepSourceTokens: false } as const;

/** What a fragment needs from the fast path's parser. */
export interface FragmentHost {
  readonly s: string;
  readonly b: PosBuilder;
  readonly maxDepth: number;
  readonly decoded: DecodedScalar[];
  /** Map entries whose key is not the plain text up to its `:` (quoted keys). */
  readonly keys: Map<number, string>;
  string(key: string | undefined, value: string, offset: number): string;
  alias(name: string): unknown;
}

/**
 * Where the block starting on the line of `from` ends: the last non-blank line indented more than
 * `parent` (or a flow collection's closing bracket at `parent`), at its end.
 */
export function extent(s: string, lineEnd: number, parent: number): number {
  let end = lineEnd;
  let q = lineEnd + 1;
  while (q < s.length) {
    let r = q;
    while (s.charCodeAt(r) === 32) r++;
    let e = s.indexOf("\n", r);
    if (e === -1) e = s.length;
    const c = s.charCodeAt(r);
    if (r === e) {
      q = e + 1;
      continue;
    }
    if (r - q > parent || (r - q === parent && (c === 93 || c === 125))) end = e;
    else break;
    q = e + 1;
  }
  return end;
}

/**
 * Parses `s[lineStart..end)` with the part before `p` blanked. Returns the one pair (a map entry at
 * p) or item (a sequence item whose dash is at p) as yaml parsed it.
 */
export function parseFragment(
  s: string,
  lineStart: number,
  p: number,
  end: number,
  item: boolean,
  maxDepth: number,
): { key?: Node; value: Node | null } {
  // Deep nesting exhausts yaml's recursion (V8 may then abort instead of throwing): the full path
  // refuses it before yaml sees it, so decline the file and let it.
  if (deeperThan(s, p, end, maxDepth)) throw DECLINE;
  const text = " ".repeat(p - lineStart) + s.slice(p, end);
  const doc = parseDocument(text, OPTIONS);
  if (doc.errors.length > 0 || doc.warnings.length > 0) throw DECLINE;
  const c = doc.contents;
  if (item) {
    if (!isSeq(c) || c.items.length !== 1) throw DECLINE;
    return { value: c.items[0] as Node | null };
  }
  if (!isMap(c) || c.items.length !== 1) throw DECLINE;
  const pair = c.items[0]!;
  return { key: pair.key as Node, value: pair.value as Node | null };
}

/** Whether flow brackets, or block sequence dashes on one line, nest deeper than `limit` in s[from..to). */
function deeperThan(s: string, from: number, to: number, limit: number): boolean {
  let depth = 0;
  let dashes = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 45 && s.charCodeAt(i + 1) === 32) {
      if (++dashes > limit) return true;
      i++;
    } else if (c !== 32) dashes = 0;
  }
  return false;
}

/** A fragment's key: a string scalar, with no anchor or tag; also checked by the caller's addKey. */
export function fragmentKey(h: FragmentHost, node: Node | undefined, base: number): string {
  if (!isScalar(node) || typeof node.value !== "string" || node.anchor || node.tag || !node.range) throw DECLINE;
  const key = node.value;
  if (key.length > 1000 || FORBIDDEN_KEYS.has(key)) throw DECLINE;
  const at = node.range[0] + base;
  if (!decodesToItsText(h.s, at, node.range[1] + base, node.type, key))
    h.decoded.push({ start: at, end: node.range[1] + base, value: key });
  return key;
}

/** Records an entry's key when the position index cannot read it back from the text up to `:`. */
export function noteKey(h: FragmentHost, entry: number, offset: number, key: string): void {
  if (key.includes(":") || h.s.indexOf(":", offset) !== offset + key.length || !h.s.startsWith(key, offset))
    h.keys.set(entry, key);
}

/** Result of graft(): the value's position header, or -1 for a scalar or alias. */
export let graftNode = -1;

/** Converts a yaml node of a fragment into a plain value, adding its positions to the records. */
export function graft(
  h: FragmentHost,
  node: Node | null,
  depth: number,
  key: string | undefined,
  base: number,
): unknown {
  graftNode = -1;
  if (node === null) return null;
  if (isAlias(node)) return h.alias(node.source);
  if (node.anchor || node.tag || !node.range) throw DECLINE;
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v !== "string") return v;
    const at = node.range[0] + base;
    const type = node.type;
    if ((type === "BLOCK_LITERAL" || type === "BLOCK_FOLDED") && /^[|>][0-9-]*\+/.test(h.s.slice(at, at + 3)))
      throw DECLINE;
    if (!decodesToItsText(h.s, at, node.range[1] + base, type, v))
      h.decoded.push({ start: at, end: node.range[1] + base, value: v });
    return h.string(key, v, at);
  }
  if (depth >= h.maxDepth) throw DECLINE;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const pos = h.b.node(MAP);
    for (const pair of node.items) {
      const k = fragmentKey(h, pair.key as Node, base);
      if (Object.hasOwn(out, k)) throw DECLINE;
      const at = (pair.key as Node).range![0] + base;
      out[k] = graft(h, pair.value as Node | null, depth + 1, k, base);
      noteKey(h, h.b.add(pos, at, graftNode), at, k);
    }
    graftNode = pos;
    return out;
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    const pos = h.b.node(SEQ);
    for (const item of node.items) {
      if (item === null || !(item as Node).range) throw DECLINE;
      out.push(graft(h, item as Node, depth + 1, key, base));
      h.b.add(pos, (item as Node).range![0] + base, graftNode);
    }
    graftNode = pos;
    return out;
  }
  throw DECLINE;
}
