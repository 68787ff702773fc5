/**
 * The committed JSON Schema must be what zod generates today, every bundled YAML file must point
 * editors at it, and ajv (what editors use) must agree with zod (what the CLI uses).
 */
import { readdirSync, readFileSync, existsSync, statSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderSchemas } from "../../tools/json-schema.js";
import { ManifestFile } from "../../model/sections.js";
import { REPO } from "../helpers/project.js";

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const bundled = [
  ...yamlFiles(path.join(REPO, "manifests")),
  ...yamlFiles(path.join(REPO, "secrets-manifest")),
  path.join(REPO, "tollgate.yaml"),
  path.join(REPO, "waivers.yaml"),
];

describe("generated JSON Schema", () => {
  it.each([...renderSchemas()].map(([name, text]) => ({ name, text })))(
    "schemas/$name matches zod (run `npm run schemas` after changing model/schema.ts)",
    ({ name, text }) => {
      expect(readFileSync(path.join(REPO, "schemas", name), "utf8")).toBe(text);
    },
  );

  it.each(bundled.map((f) => ({ file: path.relative(REPO, f) })))(
    "$file starts with a yaml-language-server line pointing at an existing schema",
    ({ file }) => {
      const first = readFileSync(path.join(REPO, file), "utf8").split("\n")[0]!;
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(m, first).not.toBeNull();
      const target = path.resolve(path.dirname(path.join(REPO, file)), m![1]!);
      expect(existsSync(target) && statSync(target).isFile()).toBe(true);
    },
  );
});

describe("ajv and zod agree on structural errors", () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schemas/manifest.schema.json"), "utf8")));

  const fixtures = [
    ...yamlFiles(path.join(REPO, "manifests")),
    ...yamlFiles(path.join(REPO, "secrets-manifest")),
    ...yamlFiles(path.join(REPO, "test/fixtures/base")),
    ...yamlFiles(path.join(REPO, "test/fixtures/valid")),
    ...yamlFiles(path.join(REPO, "test/fixtures/invalid")),
  ].flatMap((file) => {
    // Only files that are YAML and a mapping at the top reach schema validation.
    try {
      const data = parse(readFileSync(file, "utf8"), { uniqueKeys: true, maxAliasCount: 100 });
      if (data === null || typeof data !== "object" || Array.isArray(data)) return [];
      return [{ file: path.relative(REPO, file), data }];
    } catch {
      return [];
    }
  });

  it("covers valid and invalid fixtures", () => {
    expect(fixtures.filter((f) => f.file.includes("invalid")).length).toBeGreaterThanOrEqual(20);
    expect(fixtures.filter((f) => !f.file.includes("invalid")).length).toBeGreaterThanOrEqual(15);
  });

  // The CLI's structural verdict: zod, plus the loader's forbidden-key guard (zod skips __proto__ keys).
  const hasForbiddenKey = (v: unknown): boolean =>
    v !== null &&
    typeof v === "object" &&
    Object.keys(v).some((k) => ["__proto__", "constructor", "prototype"].includes(k) || hasForbiddenKey((v as any)[k]));

  it.each(fixtures)("$file", ({ data }) => {
    const zod = ManifestFile.safeParse(data);
    const ajvOk = validate(data) as boolean;
    expect(ajvOk, JSON.stringify(validate.errors?.slice(0, 3))).toBe(zod.success && !hasForbiddenKey(data));
    if (!zod.success) {
      // Both point into the same entry: the first zod issue's entry path is among ajv's error paths.
      const entry = zod.error.issues[0]!.path.slice(0, 2).map(String);
      const ajvPaths = (validate.errors ?? []).map((e) => e.instancePath.split("/").slice(1, 3).join("/"));
      expect(ajvPaths.some((p) => entry.join("/").startsWith(p) || p.startsWith(entry.join("/")))).toBe(true);
    }
  });
});
