/**
 * Issue #27: the fast path covers YAML as teams write it (block scalars, multi-line and escaped
 * scalars, flow collections across lines, indentless sequences, `---`, anchors and aliases, quoted
 * keys, non-ASCII) by handing such entries to yaml alone (load/parse/fast-yaml-fragment.ts). Whenever it
 * accepts a file, both paths must give the same values, diagnostics and positions; bad input must
 * still be declined so the full path reports it.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastParse } from "../../load/parse/fast-yaml.js";
import { parseText } from "../../load/parse/parse-file.js";
import { agree, Out, reader, yamlFiles } from "../helpers/fast-yaml-agree.js";
// @ts-expect-error: plain JavaScript module without types
import { generate } from "../../bench/generate.mjs";

async function fullCodes(text: string): Promise<string[]> {
  const out = new Out();
  await parseText(reader, "f.yaml", text, out, "full");
  return out.diagnostics.map((d) => d.code);
}

describe("fast path on realistic YAML = full path", () => {
  it("the realistic benchmark estate takes the fast path, file by file, with the same values and positions", async () => {
    for (const seed of [1, 2, 3]) {
      const dir = mkdtempSync(path.join(tmpdir(), "tollgate-fast-real-"));
      try {
        generate(dir, { services: 30, secrets: 150, seed, now: "2026-11-24", perFile: 40 });
        for (const f of yamlFiles(dir)) expect(await agree(readFileSync(f, "utf8")), f).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 120_000);

  it("declines what the full path reports: alias limits, undefined aliases, duplicate keys in fragments, tabs, a second document", async () => {
    const many = `a: &x v\nb:\n${Array.from({ length: 100 }, () => "  - *x").join("\n")}\n`;
    const cases: [string, string][] = [
      [many, "yaml-alias-limit"],
      ["a: *nowhere\n", "yaml-undefined-alias"],
      ["a: { b: 1,\n  b: 2 }\n", "yaml-duplicate-key"],
      ['"a": 1\na: 2\n', "yaml-duplicate-key"],
      ["a:\n\tb: 1\n", "yaml-tab-indent"],
      ["a: |\n  x\n\ty\n", "yaml-syntax"],
      ["---\na: 1\n---\nb: 2\n", "yaml-multiple-documents"],
      ['a: "open\n', "yaml-syntax"],
      ["a: >\n  x\n b: 1\n", "yaml-syntax"],
      // Deep nesting inside an entry yaml would parse alone: declined before yaml sees it.
      [`"a\\x41": ${"[".repeat(5000)}${"]".repeat(5000)}\n`, "nesting-too-deep"],
    ];
    for (const [text, code] of cases) {
      expect(fastParse(text, 64), text).toBeUndefined();
      expect(await fullCodes(text), text).toContain(code);
    }
    // At the limit it is taken, and equal; an alias inside an anchored collection multiplies expansions: declined.
    expect(await agree(`a: &x v\nb:\n${Array.from({ length: 99 }, () => "  - *x").join("\n")}\n`)).toBe(true);
    expect(fastParse("a: &m\n  b: &n 1\n  c: *n\nd: *m\n", 64)).toBeUndefined();
  });

  it("a secret that only its decoded value shows is found on both paths", async () => {
    for (const text of ['token: "AKIA\\x41BCDEFGHIJKLMNOP"\n', "note: >-\n  AKIAABCDEF\n  GHIJKLMNOP\n"]) {
      expect(await agree(text), text).toBe(true);
      const out = new Out();
      await parseText(reader, "f.yaml", text, out, "auto");
      void out;
    }
    const out = new Out();
    await parseText(
      reader,
      "f.yaml",
      'secrets:\n  X:\n    purpose: "key AKIA\\u0041BCDEFGHIJKLMNOP here"\n',
      out,
      "auto",
    );
    expect(out.diagnostics.map((d) => `${d.code}@${d.line}:${d.col}`)).toEqual(["secret-value@3:14"]);
  });

  // Random documents built from what real estates contain, at odd indentations and with tricky text.
  const TEXT = [
    "plain words",
    "café Zürich",
    "東京",
    "a: b",
    "x #y",
    "- item",
    "#c",
    "'q'",
    '"d"',
    "back\\slash",
    "tab\there",
    "12",
    "true",
    "~",
    "",
    " lead",
    "trail ",
    "AKIAABCDEFGHIJKLMNOP",
    "k9F2mQ7xLp3Zr8Tv1Wb6Yc4x",
    "a, b",
    "[x]",
    "{y}",
    "*z",
    "&w",
    "|",
    ">",
  ];
  const KEYS = [
    "a",
    "name",
    "purpose",
    "token",
    "value",
    "x-y",
    '"quoted key"',
    "'single'",
    '"a:b"',
    '"é"',
    '"__proto__"',
    "'it''s'",
    '"12"',
    "url",
  ];
  const SAFE = ["plain words", "café Zürich", "svc-01", "Some text.", "https://h.example/p", "7"];
  const key = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("a", "b", "name", "purpose", "token") },
    { weight: 1, arbitrary: fc.constantFrom(...KEYS) },
  );
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SAFE) },
    { weight: 1, arbitrary: fc.constantFrom(...TEXT) },
  );
  const words = fc.array(text, { minLength: 1, maxLength: 4 });
  const dq = (s: string) => JSON.stringify(s).slice(1, -1);
  /** A value rendered as lines: the first goes after `key:` (may be empty), the rest indented by `ind`. */
  type Render = (ind: string) => string[];
  const scalarValue: fc.Arbitrary<Render> = fc.oneof(
    text.map((t) => () => [` ${t}`]),
    fc
      .tuple(fc.constantFrom("|", "|-", "|+", ">", ">-", ">+", "|2", ">1-"), words, fc.boolean())
      .map(([h, ws, blank]) => (ind: string) => [
        ` ${h}`,
        ...ws.flatMap((w, i) => (blank && i === 1 ? ["", `${ind}  ${w}`] : [`${ind}  ${w}`])),
      ]),
    words.map((ws) => (ind: string) => [` ${ws[0]}`, ...ws.slice(1).map((w) => `${ind}  ${w}`)]),
    fc
      .tuple(
        words,
        fc.constantFrom(
          "\\n",
          "\\t",
          '\\"',
          "\\\\",
          "\\u00e9",
          "\\x41",
          "",
          "\\",
          "\\ ",
          "\\x20",
          " \\t ",
          "\\U0001F600",
          "\\N",
          "\\/",
          "  ",
        ),
      )
      .map(([ws, esc]) => (ind: string) => [
        ` "${dq(ws[0]!)}${esc}`,
        ...ws.slice(1).map((w) => `${ind}  ${dq(w)}`),
        `${ind}  end"`,
      ]),
    words.map((ws) => (ind: string) => [
      ` '${ws[0]!.replace(/'/g, "''")}`,
      ...ws.slice(1).map((w) => `${ind}  ${w.replace(/'/g, "''")}`),
      `${ind}  end'`,
    ]),
    fc
      .tuple(
        fc.array(fc.constantFrom("x", "1", '"q, r"', "y: 2", "[a]", "{ b: c }", "*al"), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom("  ", "  ", ""),
      )
      .map(([items, map, comma, more]) => (ind: string) => {
        const body = items.map((it, i) => (map ? (it.includes(":") ? it : `k${i}: ${it}`) : it));
        return [
          ` ${map ? "{" : "["}`,
          ...body.map((b, i) => `${ind}${more}${b}${i < body.length - 1 || comma ? "," : ""}`),
          `${ind}${map ? "}" : "]"}`,
        ];
      }),
    fc.constantFrom(" *al", " &al anchored", " &al", " *missing").map((t) => () => [t]),
  );
  const value: fc.Arbitrary<Render> = fc.letrec<{ v: Render }>((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      scalarValue,
      fc
        .tuple(
          fc.array(fc.tuple(key, tie("v")), { minLength: 1, maxLength: 3 }),
          fc.constantFrom(2, 4),
          fc.constantFrom("", " &al"),
        )
        .map(([entries, step, anchor]) => (ind: string) => {
          const inner = ind + " ".repeat(step);
          return [
            anchor,
            ...entries.flatMap(([k, v]) => {
              const [first, ...rest] = v(inner);
              return [`${inner}${k}:${first}`, ...rest];
            }),
          ];
        }),
      fc
        .tuple(fc.array(tie("v"), { minLength: 1, maxLength: 3 }), fc.boolean())
        .map(([items, indentless]) => (ind: string) => {
          const dash = indentless ? ind : `${ind}  `;
          return [
            "",
            ...items.flatMap((v) => {
              const [first, ...rest] = v(`${dash}  `);
              return first === "" ? [`${dash}-`, ...rest] : [`${dash}-${first}`, ...rest];
            }),
          ];
        }),
    ),
  })).v;

  it("random realistic documents: whenever the fast path takes one, both paths agree", async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 4 }),
        fc.constantFrom("", "---\n", "# head\n---\n", "--- # doc\n"),
        fc.constantFrom("\n", "\n\n", "\n# between\n"),
        async (entries, start, between) => {
          const text =
            start +
            entries
              .map(([k, v]) => {
                const [first, ...rest] = v("");
                return [`${k}:${first}`, ...rest].join("\n");
              })
              .join(between) +
            "\n";
          if (await agree(text)) taken++;
        },
      ),
      { numRuns: 1500, seed: 20261206 },
    );
    expect(taken).toBeGreaterThan(150);
  }, 300_000);
});
