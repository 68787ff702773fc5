/**
 * Fast path for well-formed manifests: one linear pass over the lines that builds plain values and
 * a compact position index (load/parse/position-index.ts) instead of a yaml Document. It parses the
 * common shapes itself — block mappings and sequences (indentless too), one-line plain and quoted
 * scalars without escapes, one-line flow collections, comments, one leading `---`, anchors and
 * aliases at block level (within yaml's alias limit, none inside an anchored collection) — and
 * hands any other entry or item (block scalars, escaped or multi-line scalars, flow collections
 * across lines, quoted keys) to yaml alone (load/parse/fast-yaml-fragment.ts, issue #27). It DECLINES
 * (returns undefined) on anything it is not sure of: tags, directives, several documents, tabs, CR,
 * duplicate or forbidden keys, deep nesting, any problem yaml reports in a fragment. A declined file
 * takes the full yaml path, which reports every problem with its position.
 * Scalars resolve with yaml's own core-schema tags, so values are the ones yaml would give;
 * test/model/fast-yaml*.test.ts prove both paths agree on values and positions.
 *
 * Longer than the ~250-line rule on purpose: one state machine over the lines (indent stack,
 * anchors, the pending key), whose parts share that state; split, they would pass it around.
 */
import { Schema, type Node } from "yaml";
import {
  DECLINE,
  Decline,
  extent,
  FRAGMENT,
  fragmentKey,
  graft,
  graftNode,
  noteKey,
  parseFragment,
  type FragmentHost,
} from "./fast-yaml-fragment.js";
import { blockScalar, multiPlain, quoted, type Scalar } from "./fast-yaml-scalars.js";
import { MAP, PosBuilder, SEQ } from "./position-index.js";
import {
  decodesToItsText,
  looksLikeSecretValue,
  VALUE_LIKE_KEYS,
  type DecodedScalar,
} from "../../redact/secret-scan.js";

export interface ValueLikeString {
  key: string;
  value: string;
  offset: number;
}

export interface FastParse {
  data: Record<string, unknown>;
  /** Position records (load/parse/position-index.ts) and the root collection's header in them. */
  tree: Int32Array;
  root: number;
  rootOffset: number;
  lineStarts: Uint32Array;
  /** String scalars under value-like keys that look like secrets (the full path's AST walk reports the same). */
  strings: ValueLikeString[];
  /** Scalars (from fragments) whose value is not their source text: the secret scan decodes them. */
  decoded: DecodedScalar[];
  /** Entries whose key is not the plain text up to its `:` (load/parse/position-index.ts). */
  keys: Map<number, string>;
}

/** yaml refuses the 100th expansion of an anchor (toJS maxAliasCount 100 counts the anchor itself). */
const MAX_ALIAS_USES = 99;
const ANCHOR_CHAR = /[A-Za-z0-9_-]/;

// yaml's own tags, with private copies of their patterns: sharing the RegExp objects changed when V8
// compiles them to native code, which then happened inside yaml's deepest recursion on hostile input.
const SCALAR_TAGS = new Schema({ schema: "core" }).tags
  .filter((t) => t.default === true && !t.collection && t.test)
  .map((t) => ({ ...t, test: new RegExp(t.test!.source, t.test!.flags) }));
const RESOLVE_OPTIONS = { intAsBigInt: false } as any;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
/** Keys the fast path accepts: what manifests use. Anything else (quoted, spaced, odd) is declined. */
const KEY_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$") KEY_CHAR[c.charCodeAt(0)] = 2 | 1;
for (const c of "./@+-") KEY_CHAR[c.charCodeAt(0)] = 1;
/** Characters the fast path refuses anywhere: tabs, CR, controls, BOMs, NEL and other oddities. */
const REFUSED = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;
/** First characters of a plain scalar that need the full parser. */
const ODD_START = new Set([..."&*!|>%@`,]}#?:-'\"[{\\"].map((c) => c.charCodeAt(0)));

/** A plain scalar as yaml's core schema resolves it. */
function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only these first characters can match null, bool, int or float: a fast exit for names and text.
  if (
    !(
      (c >= 48 && c <= 57) ||
      c === 43 ||
      c === 45 ||
      c === 46 ||
      c === 126 ||
      c === 110 ||
      c === 78 ||
      c === 116 ||
      c === 84 ||
      c === 102 ||
      c === 70
    )
  )
    return s;
  for (const tag of SCALAR_TAGS) {
    if (tag.test!.test(s)) {
      const res = (tag as any).resolve(
        s,
        () => {
          throw DECLINE;
        },
        RESOLVE_OPTIONS,
      );
      return res !== null && typeof res === "object" && "value" in res ? (res as { value: unknown }).value : res;
    }
  }
  return s;
}

export function fastParse(content: string, maxDepth: number): FastParse | undefined {
  if (REFUSED.test(content)) return undefined;
  try {
    return new Parser(content, maxDepth).run();
  } catch (e) {
    if (e instanceof Decline) return undefined;
    throw e;
  }
}

interface Frame {
  indent: number;
  depth: number;
  map: Record<string, unknown> | undefined;
  seq: unknown[] | undefined;
  /** The collection's header in the position records. */
  pos: number;
  /** The key owning a sequence's items (the AST walk's notion). */
  key: string | undefined;
  /** A sequence at its key's own indentation (`key:\n- item`). */
  indentless: boolean;
  /** Carries an anchor: an alias inside it would multiply expansions, so the fast path declines. */
  anchored: boolean;
}

class Parser implements FragmentHost {
  private readonly stack: Frame[] = [];
  private readonly strings: ValueLikeString[] = [];
  readonly decoded: DecodedScalar[] = [];
  readonly keys = new Map<number, string>();
  private readonly anchors = new Map<string, { value: unknown; uses: number }>();
  private lineStart = 0;
  private lineEnd = 0;
  /** Lines before this offset belong to a fragment already parsed. */
  private skipTo = 0;
  private docStart = false;
  private pending: { frame: Frame; key: string; entry: number; anchor: string | undefined } | undefined;
  readonly b: PosBuilder;
  private root: Frame | undefined;
  private rootOffset = 0;

  constructor(
    readonly s: string,
    readonly maxDepth: number,
  ) {
    // About one key or item per 20 bytes of a manifest, 3 ints each (grows when needed).
    this.b = new PosBuilder(Math.ceil(s.length / 6));
  }

  run(): FastParse | undefined {
    const s = this.s;
    const starts: number[] = [0];
    let start = 0;
    while (start <= s.length) {
      let end = s.indexOf("\n", start);
      if (end === -1) end = s.length;
      if (start >= this.skipTo) {
        this.lineStart = start;
        this.lineEnd = end;
        this.line(start);
      }
      if (end === s.length) break;
      start = end + 1;
      starts.push(start);
    }
    if (!this.root) throw DECLINE;
    return {
      data: this.root.map!,
      tree: this.b.finish(),
      root: this.root.pos,
      rootOffset: this.rootOffset,
      lineStarts: Uint32Array.from(starts),
      strings: this.strings,
      decoded: this.decoded,
      keys: this.keys,
    };
  }

  private line(start: number): void {
    const s = this.s;
    let p = start;
    while (p < this.lineEnd && s.charCodeAt(p) === 32) p++;
    if (p === this.lineEnd || s.charCodeAt(p) === 35) return; // blank or comment
    const indent = p - start;
    const c = s.charCodeAt(p);
    if (indent === 0 && (c === 37 || s.startsWith("...", p))) throw DECLINE;
    if (indent === 0 && s.startsWith("---", p)) {
      // One document start before the content; a second document is the full path's to report.
      if (this.root || this.docStart) throw DECLINE;
      let q = p + 3;
      if (q < this.lineEnd && s.charCodeAt(q) !== 32) throw DECLINE;
      while (q < this.lineEnd && s.charCodeAt(q) === 32) q++;
      if (q < this.lineEnd && s.charCodeAt(q) !== 35) throw DECLINE;
      this.docStart = true;
      return;
    }
    const isItem = c === 45 && (p + 1 === this.lineEnd || s.charCodeAt(p + 1) === 32);
    if (!this.root) {
      if (indent !== 0 || isItem) throw DECLINE;
      this.root = this.push(0, 1, true, undefined, false);
      this.rootOffset = p;
    } else if (this.pending) {
      const { frame, key, entry, anchor } = this.pending;
      this.pending = undefined;
      let value: unknown = null;
      if (indent > frame.indent || (isItem && indent === frame.indent)) {
        const child = this.push(indent, frame.depth + 1, !isItem, key, anchor !== undefined);
        child.indentless = indent === frame.indent;
        value = frame.map![key] = child.map ?? child.seq;
        this.b.setChild(entry, child.pos);
      }
      if (anchor !== undefined) this.setAnchor(anchor, value);
    }
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.indent > indent) this.stack.pop();
    let top = this.stack[this.stack.length - 1];
    if (top?.indentless && !isItem && top.indent === indent) {
      this.stack.pop();
      top = this.stack[this.stack.length - 1];
    }
    if (!top || top.indent !== indent) throw DECLINE;
    if (top.seq) {
      if (!isItem) throw DECLINE;
      this.item(top, p + 1);
    } else {
      if (isItem) throw DECLINE;
      this.entry(top, p);
    }
  }

  private push(indent: number, depth: number, isMap: boolean, key: string | undefined, anchored: boolean): Frame {
    if (depth >= this.maxDepth) throw DECLINE;
    const frame: Frame = isMap
      ? { indent, depth, map: {}, seq: undefined, pos: this.b.node(MAP), key: undefined, indentless: false, anchored }
      : { indent, depth, map: undefined, seq: [], pos: this.b.node(SEQ), key, indentless: false, anchored };
    this.stack.push(frame);
    return frame;
  }

  /** `- value` or `- key: value` (a mapping starting on the item's line); p is just after the dash. */
  private item(frame: Frame, p: number): void {
    const s = this.s;
    const dash = p - 1;
    while (p < this.lineEnd && s.charCodeAt(p) === 32) p++;
    if (p === this.lineEnd || s.charCodeAt(p) === 35) throw DECLINE;
    if (this.keyEnd(p) !== -1) {
      const child = this.push(p - this.lineStart, frame.depth + 1, true, undefined, false);
      frame.seq!.push(child.map);
      this.b.add(frame.pos, p, child.pos);
      this.entry(child, p);
      return;
    }
    let anchor: string | undefined;
    if (s.charCodeAt(p) === 38) {
      anchor = this.anchorName(p);
      p = this.aEnd;
      if (p === this.lineEnd || s.charCodeAt(p) === 35) throw DECLINE;
    }
    const mark = this.strings.length;
    let value: unknown;
    let node: number;
    let cont = false;
    const first = this.lineEnd;
    this.flowParent = frame.indent;
    this.flowClose = -1;
    try {
      value = this.value(p, frame.depth + 1, frame.key, false);
      node = this.vNode;
      this.trailing(this.vEnd);
      if ((cont = this.continues(frame.indent))) throw FRAGMENT;
      if (this.lineEnd !== first) this.skipTo = this.lineEnd + 1;
    } catch (e) {
      if (e !== FRAGMENT || anchor !== undefined) throw e === FRAGMENT ? DECLINE : e;
      this.strings.length = mark;
      this.lineEnd = first;
      if (!this.native(p, frame.indent, frame.key, cont)) return this.fragment(frame, dash, true);
      value = this.vValue;
      node = -1;
    }
    if (anchor !== undefined) this.setAnchor(anchor, value);
    frame.seq!.push(value);
    this.b.add(frame.pos, p, node);
  }

  /** An anchor `&name` at p: returns the name; aEnd is where the value after it starts. */
  private aEnd = 0;
  private anchorName(p: number): string {
    const s = this.s;
    let q = p + 1;
    while (q < this.lineEnd && ANCHOR_CHAR.test(s[q]!)) q++;
    if (q === p + 1 || (q < this.lineEnd && s.charCodeAt(q) !== 32)) throw DECLINE;
    const name = s.slice(p + 1, q);
    while (q < this.lineEnd && s.charCodeAt(q) === 32) q++;
    this.aEnd = q;
    return name;
  }

  private setAnchor(name: string, value: unknown): void {
    if (this.anchors.has(name)) throw DECLINE;
    this.anchors.set(name, { value, uses: 0 });
  }

  /** The value of `*name`: declined when undefined, expanded too often, or inside an anchored collection. */
  alias(name: string): unknown {
    const a = this.anchors.get(name);
    if (!a || ++a.uses > MAX_ALIAS_USES) throw DECLINE;
    for (const f of this.stack) if (f.anchored) throw DECLINE;
    return a.value;
  }

  /** Whether the next non-blank line continues the value just read (more indented, not a comment). */
  private continues(indent: number): boolean {
    const s = this.s;
    let q = this.lineEnd + 1;
    while (q < s.length) {
      let r = q;
      while (s.charCodeAt(r) === 32) r++;
      const c = s.charCodeAt(r);
      if (c === 10) {
        q = r + 1;
        continue;
      }
      return r < s.length && r - q > indent && c !== 35;
    }
    return false;
  }

  private vValue: unknown;

  /**
   * A block, quoted or multi-line plain scalar at p decoded here (load/parse/fast-yaml-scalars.ts), its
   * value left in vValue and its lines consumed; false leaves everything as it was (yaml decides).
   */
  private native(p: number, parent: number, key: string | undefined, cont: boolean): boolean {
    const s = this.s;
    const c = s.charCodeAt(p);
    const quote = c === 34 || c === 39;
    let r: Scalar | undefined;
    if (c === 124 || c === 62) r = blockScalar(s, p, this.lineEnd, parent);
    else if (quote) r = quoted(s, p, parent);
    // A comment after the first line ends a plain scalar: then the next line is yaml's to judge.
    else if (cont && !ODD_START.has(c) && c !== 91 && c !== 123 && s.slice(this.vEnd, this.lineEnd).trim() === "")
      r = multiPlain(s, p, this.vEnd, this.lineEnd, parent);
    if (!r) return false;
    const first = this.lineEnd;
    this.lineEnd = r.lastLine;
    try {
      if (quote) this.trailing(r.end);
      if (this.continues(parent)) throw FRAGMENT;
    } catch (e) {
      this.lineEnd = first;
      if (e === FRAGMENT) return false;
      throw e;
    }
    const value = quote ? r.value : c === 124 || c === 62 ? r.value : resolvePlain(r.value);
    if (typeof value === "string") {
      if (!decodesToItsText(s, p, r.end, c === 34 ? "QUOTE_DOUBLE" : c === 39 ? "QUOTE_SINGLE" : undefined, value))
        this.decoded.push({ start: p, end: r.end, value });
      this.string(key, value, p);
    }
    this.vValue = value;
    this.skipTo = r.lastLine + 1;
    return true;
  }

  /** Hands the entry (or item) at p, with every line it spans, to yaml (load/parse/fast-yaml-fragment.ts). */
  private fragment(frame: Frame, p: number, item: boolean): void {
    const s = this.s;
    const base = this.lineStart;
    const end = extent(s, this.lineEnd, frame.indent);
    const { key, value } = parseFragment(s, base, p, end, item, this.maxDepth);
    if (item) {
      if (value === null || !value.range) throw DECLINE;
      const v = graft(this, value, frame.depth + 1, frame.key, base);
      frame.seq!.push(v);
      this.b.add(frame.pos, value.range[0] + base, graftNode);
    } else {
      const k = fragmentKey(this, key, base);
      const at = (key as Node).range![0] + base;
      const v = graft(this, value, frame.depth + 1, k, base);
      noteKey(this, this.addKey(frame, k, at, v, graftNode, false), at, k);
    }
    this.skipTo = end + 1;
  }

  /** Where a block key starting at p ends (at its colon), or -1 when this is not a simple key. */
  private keyEnd(p: number): number {
    const s = this.s;
    if ((KEY_CHAR[s.charCodeAt(p)]! & 2) === 0) return -1;
    let q = p + 1;
    while (q < this.lineEnd && (KEY_CHAR[s.charCodeAt(q)]! & 1) === 1) q++;
    if (s.charCodeAt(q) !== 58) return -1;
    const after = q + 1 === this.lineEnd ? 32 : s.charCodeAt(q + 1);
    return after === 32 ? q : -1;
  }

  /** Adds a key to a mapping and its position; returns the position entry. */
  private addKey(
    frame: { map?: Record<string, unknown> | undefined; pos: number },
    key: string,
    offset: number,
    value: unknown,
    node: number,
    plain = true,
  ): number {
    const map = frame.map!;
    if (key.length > 1000 || FORBIDDEN_KEYS.has(key) || Object.hasOwn(map, key) || (plain && resolvePlain(key) !== key))
      throw DECLINE;
    map[key] = value;
    return this.b.add(frame.pos, offset, node);
  }

  private entry(frame: Frame, p: number): void {
    const s = this.s;
    let colon = this.keyEnd(p);
    let key: string;
    let plain = true;
    if (colon !== -1) key = s.slice(p, colon);
    else {
      colon = this.quotedKeyEnd(p);
      // An escaped, multi-line or otherwise unusual key: yaml reads the entry.
      if (colon === -1) return this.fragment(frame, p, false);
      key = s.slice(p + 1, colon - 1);
      plain = false;
    }
    let q = colon + 1;
    while (q < this.lineEnd && s.charCodeAt(q) === 32) q++;
    let anchor: string | undefined;
    if (s.charCodeAt(q) === 38) {
      anchor = this.anchorName(q);
      q = this.aEnd;
    }
    if (q === this.lineEnd || s.charCodeAt(q) === 35) {
      const entry = this.addKey(frame, key, p, null, -1, plain);
      if (!plain) this.keys.set(entry, key);
      this.pending = { frame, key, entry, anchor };
      return;
    }
    const mark = this.strings.length;
    let value: unknown;
    let node: number;
    let cont = false;
    const first = this.lineEnd;
    this.flowParent = this.flowClose = frame.indent;
    try {
      value = this.value(q, frame.depth + 1, key, false);
      node = this.vNode;
      this.trailing(this.vEnd);
      if ((cont = this.continues(frame.indent))) throw FRAGMENT;
      if (this.lineEnd !== first) this.skipTo = this.lineEnd + 1;
    } catch (e) {
      if (e !== FRAGMENT || anchor !== undefined) throw e === FRAGMENT ? DECLINE : e;
      this.strings.length = mark;
      this.lineEnd = first;
      if (!this.native(q, frame.indent, key, cont)) return this.fragment(frame, p, false);
      value = this.vValue;
      node = -1;
    }
    if (anchor !== undefined) this.setAnchor(anchor, value);
    const entry = this.addKey(frame, key, p, value, node, plain);
    if (!plain) this.keys.set(entry, key);
  }

  /** A one-line quoted key whose value is its text (no escape, no doubled quote): where its `:` is, else -1. */
  private quotedKeyEnd(p: number): number {
    const s = this.s;
    const c = s.charCodeAt(p);
    if (c !== 34 && c !== 39) return -1;
    const close = s.indexOf(c === 34 ? '"' : "'", p + 1);
    if (close === -1 || close >= this.lineEnd || s.charCodeAt(close + 1) !== 58) return -1;
    if (c === 34 ? s.lastIndexOf("\\", close) > p : false) return -1;
    const after = close + 2 === this.lineEnd ? 32 : s.charCodeAt(close + 2);
    return after === 32 ? close + 1 : -1;
  }

  /** After a value on a block line: only spaces, then a comment or the end of the line. */
  private trailing(p: number): void {
    while (p < this.lineEnd && this.s.charCodeAt(p) === 32) p++;
    if (p === this.lineEnd) return;
    if (this.s.charCodeAt(p) === 35 && this.s.charCodeAt(p - 1) === 32) return;
    throw FRAGMENT;
  }

  private readonly valueLike = new Map<string, boolean>();

  /** Remembers a string that the value-like secret check would flag, as the full path's AST walk does. */
  string(key: string | undefined, value: string, offset: number): string {
    if (key === undefined) return value;
    let watched = this.valueLike.get(key);
    if (watched === undefined) this.valueLike.set(key, (watched = VALUE_LIKE_KEYS.has(key.toLowerCase())));
    if (watched && looksLikeSecretValue(value)) this.strings.push({ key, value, offset });
    return value;
  }

  /** Set by value(): the position header of a collection (else -1) and where the value ends (no tuple per value). */
  private vNode = -1;
  private vEnd = 0;

  /** One value on the current line at p; its position header and end are left in vNode and vEnd. */
  private value(p: number, depth: number, key: string | undefined, flow: boolean): unknown {
    const s = this.s;
    const c = s.charCodeAt(p);
    if (c === 91 || c === 123) {
      if (depth >= this.maxDepth) throw DECLINE;
      return c === 91 ? this.flowSeq(p + 1, depth, key) : this.flowMap(p + 1, depth);
    }
    if (c === 34 || c === 39) {
      const close = s.indexOf(c === 34 ? '"' : "'", p + 1);
      // Multi-line, escaped or with a doubled quote: the value is not its text, yaml decodes it.
      if (close === -1 || close >= this.lineEnd) throw FRAGMENT;
      const text = s.slice(p + 1, close);
      if (c === 34 ? text.includes("\\") : s.charCodeAt(close + 1) === 39) throw FRAGMENT;
      return this.done(this.string(key, text, p), -1, close + 1);
    }
    if (c === 124 || c === 62) throw FRAGMENT; // a block scalar
    if (c === 42) {
      if (flow) throw FRAGMENT;
      let q = p + 1;
      while (q < this.lineEnd && s.charCodeAt(q) !== 32) q++;
      return this.done(this.alias(s.slice(p + 1, q)), -1, q);
    }
    if (ODD_START.has(c) && !(c === 45 && p + 1 < this.lineEnd && s.charCodeAt(p + 1) !== 32)) throw DECLINE;
    let end: number;
    if (flow) {
      end = p;
      while (end < this.lineEnd) {
        const d = s.charCodeAt(end);
        if (d === 44 || d === 93 || d === 125) break;
        if (d === 91 || d === 123 || d === 35) throw FRAGMENT;
        end++;
      }
    } else {
      end = p;
      while (end < this.lineEnd && !(s.charCodeAt(end) === 35 && s.charCodeAt(end - 1) === 32)) end++;
    }
    while (end > p && s.charCodeAt(end - 1) === 32) end--;
    const text = s.slice(p, end);
    if (text.length === 0 || text === "-" || text.endsWith(":") || text.includes(": ")) throw DECLINE;
    const value = resolvePlain(text);
    return this.done(typeof value === "string" ? this.string(key, value, p) : value, -1, end);
  }

  /** The block indentation a flow collection's continuation lines must exceed; a closing bracket may sit at flowClose. */
  private flowParent = 0;
  private flowClose = -1;

  /** Skips spaces in a flow collection, on to its next line (indented more than its parent). */
  private skip(p: number): number {
    const s = this.s;
    for (;;) {
      while (p < this.lineEnd && s.charCodeAt(p) === 32) p++;
      if (p < this.lineEnd) return p;
      if (this.lineEnd >= s.length) throw FRAGMENT;
      const start = this.lineEnd + 1;
      let e = s.indexOf("\n", start);
      if (e === -1) e = s.length;
      let r = start;
      while (r < e && s.charCodeAt(r) === 32) r++;
      const c = s.charCodeAt(r);
      // Blank or comment lines, or too little indentation: yaml decides (a closing bracket may sit at the parent's).
      if (
        r === e ||
        c === 35 ||
        (r - start <= this.flowParent && !(r - start === this.flowClose && (c === 93 || c === 125)))
      )
        throw FRAGMENT;
      this.lineEnd = e;
      p = r;
    }
  }

  private done(value: unknown, node: number, end: number): unknown {
    this.vNode = node;
    this.vEnd = end;
    return value;
  }

  private flowSeq(p: number, depth: number, key: string | undefined): unknown {
    const out: unknown[] = [];
    const pos = this.b.node(SEQ);
    p = this.skip(p);
    if (this.s.charCodeAt(p) === 93) return this.done(out, pos, p + 1);
    for (;;) {
      const at = p;
      const value = this.value(p, depth + 1, key, true);
      const node = this.vNode;
      const end = this.vEnd;
      out.push(value);
      this.b.add(pos, at, node);
      p = this.skip(end);
      const c = this.s.charCodeAt(p);
      if (c === 93) return this.done(out, pos, p + 1);
      if (c !== 44) throw FRAGMENT;
      p = this.skip(p + 1);
      if (this.s.charCodeAt(p) === 93) throw FRAGMENT; // trailing comma
    }
  }

  private flowMap(p: number, depth: number): unknown {
    const target = { map: {} as Record<string, unknown>, pos: this.b.node(MAP) };
    p = this.skip(p);
    if (this.s.charCodeAt(p) === 125) return this.done(target.map, target.pos, p + 1);
    for (;;) {
      const colon = this.keyEnd(p);
      if (colon === -1 || colon + 1 >= this.lineEnd) throw FRAGMENT;
      const key = this.s.slice(p, colon);
      const at = p;
      p = this.skip(colon + 1);
      const c0 = this.s.charCodeAt(p);
      if (c0 === 44 || c0 === 125) throw FRAGMENT; // empty value
      const value = this.value(p, depth + 1, key, true);
      const node = this.vNode;
      const end = this.vEnd;
      this.addKey(target, key, at, value, node);
      p = this.skip(end);
      const c = this.s.charCodeAt(p);
      if (c === 125) return this.done(target.map, target.pos, p + 1);
      if (c !== 44) throw FRAGMENT;
      p = this.skip(p + 1);
      if (this.s.charCodeAt(p) === 125) throw FRAGMENT;
    }
  }
}
