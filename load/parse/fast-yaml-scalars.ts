/**
 * Scalars the fast path decodes itself (issue #27), so the common ones need no yaml fragment:
 * block scalars (`|`, `|-`, `>`, `>-`), quoted scalars with escapes or across lines, and multi-line
 * plain scalars. Each returns undefined for anything outside the simple forms (keep chomping,
 * indentation indicators, whitespace-only lines, more-indented folded lines, rare escapes, line
 * continuations): the caller then hands the entry to yaml (load/parse/fast-yaml-fragment.ts).
 * test/model/fast-yaml-realistic.test.ts compares every result with yaml's.
 */

export interface Scalar {
  value: string;
  /** End of the scalar as yaml's node range ends it. */
  end: number;
  /** End of the last line it occupies (its lines up to there are consumed). */
  lastLine: number;
}

const lineEndAt = (s: string, p: number) => {
  const e = s.indexOf("\n", p);
  return e === -1 ? s.length : e;
};

/** `|`, `|-`, `>` or `>-` at p, content indented more than `parent`. */
export function blockScalar(s: string, p: number, lineEnd: number, parent: number): Scalar | undefined {
  const folded = s.charCodeAt(p) === 62;
  let q = p + 1;
  const strip = s.charCodeAt(q) === 45;
  if (strip) q++;
  if (q < lineEnd && s.charCodeAt(q) !== 32) return undefined;
  while (q < lineEnd && s.charCodeAt(q) === 32) q++;
  if (q < lineEnd && s.charCodeAt(q) !== 35) return undefined;
  const lines: string[] = [];
  let n = -1;
  let start = lineEnd + 1;
  let lastLine = -1;
  let blanks = 0;
  while (start < s.length) {
    const e = lineEndAt(s, start);
    if (e === start) {
      blanks++;
      start = e + 1;
      continue;
    }
    let r = start;
    while (r < e && s.charCodeAt(r) === 32) r++;
    if (r === e) return undefined; // a whitespace-only line: its meaning depends on the indentation
    const indent = r - start;
    if (n === -1) {
      if (indent <= parent) break;
      n = indent;
    } else if (indent < n) {
      if (indent > parent) return undefined;
      break;
    }
    if (folded && indent > n) return undefined;
    for (; blanks > 0; blanks--) lines.push("");
    lines.push(s.slice(start + n, e));
    lastLine = e;
    start = e + 1;
  }
  if (lines.length === 0) return undefined;
  let value: string;
  if (!folded) value = lines.join("\n");
  else {
    value = lines[0]!;
    for (let i = 1; i < lines.length; i++) {
      if (lines[i] === "") {
        value += "\n";
        continue;
      }
      value += lines[i - 1] === "" ? lines[i] : ` ${lines[i]}`;
    }
  }
  if (!strip) value += "\n";
  return { value, end: Math.min(lastLine + 1, s.length), lastLine };
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  n: "\n",
  t: "\t",
  r: "\r",
  "0": "\0",
  b: "\b",
  f: "\f",
  v: "\v",
  e: "\x1b",
  a: "\x07",
  " ": " ",
};
const HEX = { x: 2, u: 4, U: 8 } as Record<string, number>;

/**
 * A double- or single-quoted scalar starting at p, possibly across lines (each continuation line
 * indented more than `parent`): line breaks fold to a space, empty lines to newlines.
 */
export function quoted(s: string, p: number, parent: number): Scalar | undefined {
  const dq = s.charCodeAt(p) === 34;
  let value = "";
  /** Up to here the value came from escapes: folding never trims it. */
  let kept = 0;
  let q = p + 1;
  let lastLine = lineEndAt(s, p);
  for (;;) {
    if (q >= s.length) return undefined;
    const c = s.charCodeAt(q);
    if (dq && c === 34) break;
    if (!dq && c === 39) {
      if (s.charCodeAt(q + 1) !== 39) break;
      value += "'";
      q += 2;
      continue;
    }
    if (dq && c === 92) {
      const e = s[q + 1]!;
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        value += simple;
        kept = value.length;
        q += 2;
        continue;
      }
      const digits = HEX[e];
      if (digits === undefined) return undefined; // \N, \_, \L, \P, an escaped line break, or an error
      const hex = s.slice(q + 2, q + 2 + digits);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return undefined;
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
      value += String.fromCodePoint(code);
      kept = value.length;
      q += 2 + digits;
      continue;
    }
    if (c === 10) {
      // Fold: trailing spaces go, then each empty line is a newline, else one space.
      let t = value.length;
      while (t > kept && value.charCodeAt(t - 1) === 32) t--;
      value = value.slice(0, t);
      let breaks = 0;
      let r = q + 1;
      for (;;) {
        const e = lineEndAt(s, r);
        let k = r;
        while (k < e && s.charCodeAt(k) === 32) k++;
        if (k === e && e < s.length) {
          if (k > r) return undefined; // a whitespace-only line
          breaks++;
          r = e + 1;
          continue;
        }
        if (k - r <= parent) return undefined; // not indented enough (or a document marker): yaml decides
        lastLine = e;
        q = k;
        break;
      }
      value += breaks > 0 ? "\n".repeat(breaks) : " ";
      continue;
    }
    value += s[q];
    q++;
  }
  return { value, end: q + 1, lastLine };
}

const ODD_FIRST = new Set([..."&*!|>%@`,[]{}#?:-'\""].map((c) => c.charCodeAt(0)));

/** Continuation lines of a plain scalar whose first line is s[p..firstEnd): folded as yaml does. */
export function multiPlain(
  s: string,
  p: number,
  firstEnd: number,
  lineEnd: number,
  parent: number,
): Scalar | undefined {
  let value = s.slice(p, firstEnd);
  let end = firstEnd;
  let lastLine = lineEnd;
  let breaks = 0;
  let start = lineEnd + 1;
  while (start < s.length) {
    const e = lineEndAt(s, start);
    let r = start;
    while (r < e && s.charCodeAt(r) === 32) r++;
    if (r === e) {
      if (r > start) return undefined;
      breaks++;
      start = e + 1;
      continue;
    }
    if (r - start <= parent || s.charCodeAt(r) === 35) break;
    if (ODD_FIRST.has(s.charCodeAt(r))) return undefined;
    let t = e;
    while (t > r && s.charCodeAt(t - 1) === 32) t--;
    const text = s.slice(r, t);
    if (text.includes(": ") || text.endsWith(":") || text.includes(" #") || text.startsWith("- ") || text === "-")
      return undefined;
    value += breaks > 0 ? "\n".repeat(breaks) : " ";
    value += text;
    breaks = 0;
    end = t;
    lastLine = e;
    start = e + 1;
  }
  return { value, end, lastLine };
}
