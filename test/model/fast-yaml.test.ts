/**
 * Differential test: whenever the fast path (load/parse/fast-yaml.ts) accepts a file, it must give the
 * very values, diagnostics (secret findings included) and positions the full yaml path gives.
 * Inputs: every YAML fixture and manifest in the repository, the generated benchmark estate, the
 * secret formats of test/security, and random documents built from tricky scalars, keys, styles
 * and comments (fast-check).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastParse } from "../../load/parse/fast-yaml.js";
import { agree, yamlFiles } from "../helpers/fast-yaml-agree.js";
import { REPO } from "../helpers/project.js";
import { secretFixtures } from "../security/secrets-fixtures.js";
// @ts-expect-error: plain JavaScript module without types
import { generate } from "../../bench/generate.mjs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";

describe("fast path = full path", () => {
  it("every YAML file in the repository (fixtures, examples, manifests): same values, diagnostics, positions", async () => {
    const files = ["test", "manifests", "secrets-manifest", "examples"]
      .flatMap((d) => yamlFiles(path.join(REPO, d)))
      .concat(path.join(REPO, "tollgate.yaml"));
    let taken = 0;
    for (const f of files) if (await agree(readFileSync(f, "utf8").replace(/^\uFEFF/, ""))) taken++;
    // Not vacuous: most real manifests take the fast path.
    expect(taken).toBeGreaterThan(files.length / 2);
  });

  it("refuses the hostile fixtures the full path reports (duplicate keys, tabs, aliases, nesting, several documents)", () => {
    for (const name of [
      "yaml-duplicate-key",
      "yaml-tab-indent",
      "alias-bomb",
      "deep-nesting",
      "yaml-multiple-documents",
      "yaml-syntax-unclosed-flow",
      "forbidden-key-proto",
      "forbidden-key-constructor",
      "comments-only",
    ]) {
      expect(
        fastParse(readFileSync(path.join(REPO, "test/fixtures/invalid", `${name}.yaml`), "utf8"), 64),
        name,
      ).toBeUndefined();
    }
  });

  it("the generated benchmark estate takes the fast path, file by file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tollgate-fast-"));
    try {
      generate(dir, { services: 40, secrets: 120, seed: 3, now: "2026-11-24", perFile: 50, style: "plain" });
      const files = yamlFiles(dir);
      for (const f of files) expect(await agree(readFileSync(f, "utf8")), f).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("secret values in every format: same findings on both paths", async () => {
    for (const [name, value] of Object.entries(secretFixtures())) {
      for (const text of [
        `secrets:\n  X:\n    purpose: ${value}\n`,
        `secrets:\n  X:\n    value: "${value}"\n`,
        `a: [${value}]\nb: { token: '${value}' }\n# ${value}\n`,
      ]) {
        await agree(text);
        void name;
      }
    }
  });

  const SCALARS = [
    "plain",
    "null",
    "Null",
    "~",
    "",
    "True",
    "false",
    "FALSE",
    "yes",
    "0",
    "007",
    "-12",
    "+3",
    "0o17",
    "0o9",
    "0x1F",
    "0xG",
    "1e3",
    "1.5",
    "1.",
    ".5",
    "-.5",
    ".inf",
    "-.Inf",
    ".NaN",
    "1_000",
    "12:30",
    "2026-11-24",
    "a: b",
    "a:b",
    "a #b",
    "a#b",
    "#x",
    "-",
    "- x",
    "-x",
    "'q'",
    "it's",
    '"d"',
    "x\\y",
    " lead",
    "trail ",
    "http://x:1/#f",
    "[a]",
    "{a}",
    "a,b",
    "a]b",
    "@x",
    "`x",
    "%x",
    "!t",
    "&a",
    "*a",
    "?x",
    ":x",
    "x:",
    "über",
    "a  b",
    "$ref",
    "|",
    ">",
    "AKIAABCDEFGHIJKLMNOP",
    "k9F2mQ7xLp3Zr8Tv1Wb6Yc4",
  ];
  const KEYS = [
    "a",
    "b",
    "name",
    "x-y",
    "a.b",
    "$ref",
    "A_1",
    "token",
    "value",
    "123",
    "true",
    "null",
    "__proto__",
    "a b",
    "-k",
    "k:",
    "é",
    "constructor",
    "0x1",
  ];
  const SAFE_SCALARS = [
    "plain",
    "x-1",
    "http://h/p",
    "12",
    "1.5",
    "true",
    "~",
    "Some text.",
    "svc-01",
    "0o7",
    "2026-11-24",
  ];
  const SAFE_KEYS = ["a", "b", "name", "url", "token", "list"];
  const scalar = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SAFE_SCALARS) },
    { weight: 1, arbitrary: fc.constantFrom(...SCALARS) },
  );
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SAFE_KEYS) },
    { weight: 1, arbitrary: fc.constantFrom(...KEYS) },
  );
  const quote = (s: string, style: number) =>
    style === 1 ? `'${s.replace(/'/g, "''")}'` : style === 2 ? JSON.stringify(s) : s;

  type Tree = string | { seq: Tree[]; flow: boolean } | { map: [string, Tree][]; flow: boolean };
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
    t: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.tuple(scalar, fc.constantFrom(0, 0, 0, 1, 2)).map(([s, q]) => quote(s, q)),
      fc.record({ seq: fc.array(tie("t"), { maxLength: 4 }), flow: fc.boolean() }),
      fc.record({ map: fc.array(fc.tuple(key, tie("t")), { maxLength: 4 }), flow: fc.boolean() }),
    ),
  })).t;

  function flow(t: Tree): string {
    if (typeof t === "string") return t;
    if ("seq" in t) return `[${t.seq.map(flow).join(", ")}]`;
    return `{ ${t.map.map(([k, v]) => `${k}: ${flow(v)}`).join(", ")} }`;
  }
  function block(t: Tree, indent: number, step: number, comment: string): string[] {
    const pad = " ".repeat(indent);
    if (typeof t === "string" || t.flow) return [` ${flow(t)}${comment}`];
    if ("seq" in t) {
      if (t.seq.length === 0) return [" []"];
      // A block mapping as an item starts on the dash's line, its other keys two columns in.
      return [
        "",
        ...t.seq.flatMap((v) => {
          const [first, ...rest] = block(v, indent + 2, step, comment);
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
        const [first, ...rest] = block(v, indent + step, step, comment);
        return [`${pad}${k}:${first}`, ...rest];
      }),
    ];
  }

  it("random documents: whenever the fast path takes one, both paths agree", async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(key, tree), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom("", " # note", "  #x", "#no"),
        fc.boolean(),
        async (entries, step, comment, blank) => {
          const lines = block({ map: entries, flow: false }, 0, step, comment).slice(1);
          const text = (blank ? "# header\n\n" : "") + lines.join(blank ? "\n\n" : "\n") + "\n";
          if (await agree(text)) taken++;
        },
      ),
      { numRuns: 1000, seed: 20261125 },
    );
    expect(taken).toBeGreaterThan(100);
  }, 120_000);
});
