/**
 * `stringify(doc, { lineWidth: 0 })` of the `yaml` library, byte for byte, for the plain data
 * the generators build (maps, sequences, strings, numbers, booleans, null), an order of magnitude
 * faster on large files (10,000 blackbox modules, scrape targets or inhibit rules). The layout is
 * yaml's block style; every scalar and key is rendered by yaml itself once and remembered, and a
 * multi-line string by yaml in place, so quoting and escaping are always yaml's. Anything outside
 * that subset (a shared object yaml would alias, a document marker, a Date or Map, -0) falls back
 * to yaml for the whole document. test/infra/yaml-text.test.ts compares both on random documents.
 */
import { stringify } from "yaml";

const OPTIONS = { lineWidth: 0 } as const;

class Fallback extends Error {}

type Scalar = string | number | boolean | null;

/** Plain in yaml's output and not read back as null, a boolean or a number (YAML 1.2 core). */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

const valueCache = new Map<Scalar, string>();
const itemCache = new Map<Scalar, string>();
const keyCache = new Map<string, string>();

/** Runs yaml on a one-entry document and cuts out the scalar; refuses anything depth-dependent. */
function probe(cache: Map<Scalar, string>, v: Scalar, doc: unknown, prefix: string, suffix: string): string {
  // Before the lookup: a Map finds 0 for -0, which yaml writes differently.
  if (Object.is(v, -0)) throw new Fallback();
  let r = cache.get(v);
  if (r !== undefined) return r;
  if (typeof v === "string" && (v.includes("\n") || v.includes("\r") || /^(?:%|---|\.\.\.)/.test(v)))
    throw new Fallback();
  const text = stringify(doc, OPTIONS);
  if (!text.startsWith(prefix) || !text.endsWith(suffix)) throw new Fallback();
  r = text.slice(prefix.length, text.length - suffix.length);
  if (r.includes("\n")) throw new Fallback();
  if (cache.size > 100_000) cache.clear();
  cache.set(v, r);
  return r;
}

/** Short enough that yaml never writes it as an explicit `? key` (it does above 1,024 characters). */
const plain = (v: Scalar) => typeof v === "string" && v.length <= 256 && PLAIN.test(v) && !RESERVED.test(v);
const value = (v: Scalar) => (plain(v) ? (v as string) : probe(valueCache, v, { k: v }, "k: ", "\n"));
const item = (v: Scalar) => (plain(v) ? (v as string) : probe(itemCache, v, [v], "- ", "\n"));
const key = (k: string) => (plain(k) ? k : probe(keyCache as Map<Scalar, string>, k, { [k]: 0 }, "", ": 0\n"));

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A string yaml writes over several lines; one with a document marker at a line start is left to yaml. */
function multiline(v: unknown): v is string {
  if (typeof v !== "string" || !v.includes("\n")) return false;
  if (/^(?:%|---|\.\.\.)/m.test(v)) throw new Fallback();
  return true;
}

class Writer {
  /** Finished text in blocks of a few thousand lines: few long-lived strings for the collector to move. */
  private readonly blocks: string[] = [];
  private out: string[] = [];
  private readonly seen = new Set<object>();

  private emit(line: string): void {
    if (this.out.push(line) >= 4096) {
      this.blocks.push(this.out.join(""));
      this.out = [];
    }
  }

  text(): string {
    this.blocks.push(this.out.join(""));
    this.out = [];
    return this.blocks.join("");
  }

  /** A collection that yaml would write as an anchor and alias if met twice. */
  enter(v: object): void {
    if (this.seen.has(v)) throw new Fallback();
    this.seen.add(v);
  }

  /** Lines of a non-empty map at `pad`; the first line's indentation is `first`. */
  map(obj: Record<string, unknown>, pad: string, first: string): void {
    this.enter(obj);
    let lead = first;
    for (const k of Object.keys(obj)) {
      const v = obj[k];
      if (v === undefined) continue;
      // key(k) first: it refuses keys whose rendering depends on depth, as viaYaml renders at the top.
      if (key(k) && multiline(v)) this.viaYaml({ [k]: v }, pad, lead);
      else {
        this.emit(`${lead}${key(k)}:`);
        this.nested(v, pad, " ");
      }
      lead = pad;
    }
  }

  /** Lines of a non-empty sequence at `pad` (items start with "- "). */
  seq(arr: unknown[], pad: string, first: string): void {
    this.enter(arr);
    let lead = first;
    for (const v of arr) {
      if (multiline(v)) this.viaYaml([v], pad, lead);
      else if (isScalar(v)) this.emit(`${lead}- ${item(v)}\n`);
      else if (this.empty(v)) this.emit(`${lead}- ${Array.isArray(v) ? "[]" : "{}"}\n`);
      else if (Array.isArray(v)) this.seq(v, `${pad}  `, `${lead}- `);
      else if (isPlainObject(v)) this.map(v, `${pad}  `, `${lead}- `);
      else throw new Fallback();
      lead = pad;
    }
  }

  /**
   * A multi-line string is a block scalar (or folded double quotes) whose lines yaml indents
   * relative to its parent: rendered by yaml on its own, then shifted to where it stands.
   */
  private viaYaml(doc: unknown, pad: string, lead: string): void {
    const lines = stringify(doc, OPTIONS).split("\n");
    lines.pop();
    this.emit(`${lead}${lines[0]}\n`);
    for (let i = 1; i < lines.length; i++) this.emit(lines[i] ? `${pad}${lines[i]}\n` : "\n");
  }

  /** The rest of a map entry's line (after "key:") and any lines below it. */
  private nested(v: unknown, pad: string, space: string): void {
    if (isScalar(v)) this.emit(`${space}${value(v)}\n`);
    else if (this.empty(v)) this.emit(`${space}${Array.isArray(v) ? "[]" : "{}"}\n`);
    else if (Array.isArray(v)) {
      this.emit("\n");
      this.seq(v, `${pad}  `, `${pad}  `);
    } else if (isPlainObject(v)) {
      this.emit("\n");
      this.map(v, `${pad}  `, `${pad}  `);
    } else throw new Fallback();
  }

  private empty(v: unknown): boolean {
    if (Array.isArray(v)) return v.length === 0 && (this.enter(v), true);
    if (isPlainObject(v)) return Object.values(v).every((x) => x === undefined) && (this.enter(v), true);
    return false;
  }
}

/** The fast rendering, or undefined where only yaml itself may render the document. */
export function yamlTextFast(doc: unknown): string | undefined {
  try {
    const w = new Writer();
    if (Array.isArray(doc) && doc.length) w.seq(doc, "", "");
    else if (isPlainObject(doc) && Object.values(doc).some((x) => x !== undefined)) w.map(doc, "", "");
    else return undefined;
    return w.text();
  } catch (e) {
    if (e instanceof Fallback) return undefined;
    throw e;
  }
}

/** Exactly `stringify(doc, { lineWidth: 0 })` from the `yaml` library. */
export function yamlText(doc: unknown): string {
  return yamlTextFast(doc) ?? stringify(doc, OPTIONS);
}
