/**
 * The compact position index (load/parse/position-index.ts: one Int32Array of records per file, keys
 * read back from the text, lookup tables for collections of more than 8 entries) must answer
 * every path exactly as the straightforward walk over a yaml Document does (load/source-map.ts
 * offsetOf), for wide and deep documents, keys that are prefixes of each other, and near misses.
 */
import fc from "fast-check";
import { LineCounter, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { fastParse } from "../../load/parse/fast-yaml.js";
import { IndexedSource, MAP, PosBuilder, SEQ } from "../../load/parse/position-index.js";
import { offsetOf } from "../../load/source-map.js";

type Tree = string | { seq: Tree[]; flow: boolean } | { map: [string, Tree][]; flow: boolean };

// Keys that are prefixes and extensions of each other, so a lookup that matched on a prefix would show.
const KEYS = ["a", "ab", "abc", "b", "b1", "b10", "name", "names", "x-y", "x.y", "K_1", "K_12", "url", "urls", "NaN"];
const SCALARS = ["v", "x-1", "http://h/p", "12", "1.5", "true", "~", "some text", "a:b", "2026-11-24"];

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...SCALARS),
    fc.record({ seq: fc.array(tie("t"), { maxLength: 20 }), flow: fc.boolean() }),
    fc.record({
      map: fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tie("t")), { maxLength: 15, selector: ([k]) => k }),
      flow: fc.boolean(),
    }),
  ),
})).t;

const flow = (t: Tree): string =>
  typeof t === "string"
    ? t
    : "seq" in t
      ? `[${t.seq.map(flow).join(", ")}]`
      : `{ ${t.map.map(([k, v]) => `${k}: ${flow(v)}`).join(", ")} }`;

function block(t: Tree, indent: number): string[] {
  const pad = " ".repeat(indent);
  if (typeof t === "string" || t.flow) return [` ${flow(t)}`];
  if ("seq" in t) {
    if (t.seq.length === 0) return [" []"];
    return [
      "",
      ...t.seq.flatMap((v) => {
        const [first, ...rest] = block(v, indent + 2);
        return first === "" && rest.length > 0
          ? [`${pad}- ${rest[0]!.trimStart()}`, ...rest.slice(1)]
          : [`${pad}-${first}`, ...rest];
      }),
    ];
  }
  if (t.map.length === 0) return [" {}"];
  return [
    "",
    ...t.map.flatMap(([k, v]) => {
      const [first, ...rest] = block(v, indent + 2);
      return [`${pad}${k}:${first}`, ...rest];
    }),
  ];
}

/** Every path into the value, and near misses under each: other keys, prefixes, indices past the end, odd types. */
function paths(v: unknown, prefix: (string | number)[], out: (string | number)[][]): void {
  out.push(prefix);
  for (const miss of [...KEYS, "", "a:", "a: v", 0, 1, 9, 25, -1, 1.5, "0"]) out.push([...prefix, miss]);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
}

describe("position index", () => {
  it("answers every path as a walk over the yaml Document does (random wide documents)", () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tree), { minLength: 1, maxLength: 15, selector: ([k]) => k }),
        (entries) => {
          const text = `${block({ map: entries, flow: false }, 0).slice(1).join("\n")}\n`;
          const fast = fastParse(text, 64);
          if (!fast) return;
          const src = new IndexedSource("f.yaml", text, fast.tree, fast.root, fast.rootOffset, fast.lineStarts);
          const doc = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: false });
          const all: (string | number)[][] = [];
          paths(doc.toJS(), [], all);
          const wrong = all.filter((p) => src.offsetOf(p) !== offsetOf(doc, p)).map((p) => JSON.stringify(p));
          expect(wrong, text).toEqual([]);
          checked++;
        },
      ),
      { numRuns: 200, seed: 20261125 },
    );
    expect(checked).toBeGreaterThan(60);
  }, 120_000);

  it("large collections use a lookup table with the same answers as the linear walk", () => {
    // 30 keys and 30 items: above the table threshold; asked twice (the second time from the table).
    const text = `m:\n${Array.from({ length: 30 }, (_, i) => `  k${i}: ${i}`).join("\n")}\ns:\n${Array.from({ length: 30 }, (_, i) => `  - i${i}`).join("\n")}\n`;
    const fast = fastParse(text, 64)!;
    const src = new IndexedSource("f.yaml", text, fast.tree, fast.root, fast.rootOffset, fast.lineStarts);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 30; i++) {
        expect(src.locate(["m", `k${i}`])).toEqual({ file: "f.yaml", line: 2 + i, col: 3 });
        expect(src.locate(["s", i])).toEqual({ file: "f.yaml", line: 33 + i, col: 5 });
      }
      expect(src.locate(["m", "k30"])).toEqual({ file: "f.yaml", line: 1, col: 1 });
      expect(src.locate(["m", "k1:"])).toEqual({ file: "f.yaml", line: 1, col: 1 });
      expect(src.locate(["s", 30])).toEqual({ file: "f.yaml", line: 32, col: 1 });
    }
  });

  it("the builder links entries in order and grows past its first capacity", () => {
    const b = new PosBuilder(3);
    const root = b.node(MAP);
    const seq = b.node(SEQ);
    for (let i = 0; i < 100; i++) b.add(seq, 1000 + i, -1);
    const first = b.add(root, 0, seq);
    const tree = b.finish();
    expect(tree.length).toBe(3 * 103);
    expect([tree[root], tree[root + 1], tree[root + 2]]).toEqual([MAP, first, first]);
    let e = tree[seq + 1]!;
    for (let i = 0; i < 100; i++, e = tree[e + 2]!) expect(tree[e]).toBe(1000 + i);
    expect(e).toBe(-1);
  });
});
