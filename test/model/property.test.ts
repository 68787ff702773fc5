/**
 * Random and mutated manifests never crash the loader and never make it echo a planted secret.
 */
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { REPO, NOW, removeDir, tempDir } from "../helpers/project.js";
import { syntheticTokens } from "../helpers/tokens.js";

const seedText =
  readFileSync(path.join(REPO, "secrets-manifest/shopify.yaml"), "utf8") +
  readFileSync(path.join(REPO, "manifests/webhooks.yaml"), "utf8").replace(/^# yaml.*\n/, "");
const tokens = Object.values(syntheticTokens(23));
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        ":",
        "- ",
        "\t",
        "&a",
        "*a",
        "{",
        "]",
        "\n  ",
        "__proto__: 1\n",
        "'",
        '"',
        "!!binary ",
        "? ",
        "---\n",
      ),
    ),
  }),
  fc.record({ kind: fc.constant("secret" as const), at: fc.nat(), token: fc.constantFrom(...tokens) }),
  fc.record({ kind: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }),
);

function apply(text: string, muts: fc.Arbitrary<any> extends never ? never : any[]): string {
  let t = text;
  for (const m of muts) {
    if (m.kind === "delete") {
      const i = m.at % (t.length + 1);
      t = t.slice(0, i) + t.slice(i + m.len);
    } else if (m.kind === "insert") {
      const i = m.at % (t.length + 1);
      t = t.slice(0, i) + m.text + t.slice(i);
    } else if (m.kind === "secret") {
      const lines = t.split("\n");
      const i = m.at % (lines.length + 1);
      lines.splice(i, 0, `    purpose: ${m.token}`);
      t = lines.join("\n");
    } else {
      const lines = t.split("\n");
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      t = lines.join("\n");
    }
  }
  return t;
}

describe("property: the loader is total and never leaks", () => {
  it("mutated manifests: no throw, every diagnostic located, no planted token in any message", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await mkdir(path.join(dir, "manifests"), { recursive: true });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), async (muts) => {
        const text = apply(seedText, muts);
        await writeFile(path.join(dir, "manifests", "m.yaml"), text);
        const { diagnostics } = await loadProject(dir, { now: NOW });
        const out = JSON.stringify(diagnostics);
        for (const t of tokens) expect(out).not.toContain(t);
        for (const d of diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.col).toBeGreaterThanOrEqual(1);
          expect(d.code).toMatch(/^[a-z-]+$/);
        }
      }),
      { numRuns: 150, seed: 20261124 },
    );
  });

  it("arbitrary JSON-like values as a manifest: no throw", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await mkdir(path.join(dir, "manifests"), { recursive: true });
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        await writeFile(path.join(dir, "manifests", "m.yaml"), JSON.stringify({ services: value, secrets: value }));
        const r = await loadProject(dir, { now: NOW });
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
