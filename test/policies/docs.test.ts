/**
 * Docs that must agree with the code: the generated field tables of docs/manifests.md, compound
 * durations, and each policy's documented title and severity.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv from "ajv";
import { afterAll, describe, expect, it } from "vitest";
import { durationMs } from "../../model/duration.js";
import { renderFieldTables, spliceFieldTables } from "../../tools/field-docs.js";
import { loadProject } from "../../load/loader.js";
import { BUILTIN_POLICIES, WAIVER_RULES } from "../../policies/registry.js";
import { NOW, REPO, removeDir, writeProject } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

describe("docs/manifests.md field tables", () => {
  const doc = readFileSync(path.join(REPO, "docs/manifests.md"), "utf8");
  it("are current with the zod schema (run `npm run build && npm run docs` when this fails)", () => {
    expect(spliceFieldTables(doc)).toBe(doc);
  });
  it("list every section with field, type, required and default", () => {
    const tables = renderFieldTables();
    for (const section of ["environments", "services", "secrets", "apis", "webhooks", "channels", "alerts"])
      expect(tables).toContain(`### \`${section}.<name>\``);
    expect(tables).toContain("| `kind` | `mcp`, `http-api`, `webhook`, `infra` | yes |  |  |");
    expect(tables).toContain("| `optional` | boolean | no | `false` |");
    expect(tables).toContain("| `provider.requests.per` | duration | yes |");
    expect(tables).toContain("| `waivers[].expires` | date | yes |");
  });
});

describe("compound durations", () => {
  it.each([
    ["1m30s", 90_000],
    ["1h30m", 5_400_000],
    ["2d12h", 216_000_000],
    ["1s500ms", 1_500],
    ["5ms", 5],
    ["90s", 90_000],
    ["2w", 1_209_600_000],
  ])("%s = %d ms", (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it("are accepted by validation and by the committed JSON Schema; wrong order and bare numbers are not", async () => {
    const manifest = (interval: string) =>
      [
        "environments:",
        "  staging: { deployed: true }",
        "services:",
        "  api:",
        "    kind: http-api",
        "    owner: a",
        "    tier: low",
        `    healthCheck: { interval: ${interval}, timeout: 1s500ms }`,
        "",
      ].join("\n");
    for (const [interval, ok] of [
      ["1m30s", true],
      ["30s1m", false],
      ["90", false],
      ["1m 30s", false],
    ] as const) {
      const dir = await writeProject({ "tollgate.yaml": "organization: D\n", "manifests/m.yaml": manifest(interval) });
      dirs.push(dir);
      const { ok: loaded, diagnostics } = await loadProject(dir, { now: NOW });
      expect(loaded, `${interval}: ${JSON.stringify(diagnostics)}`).toBe(ok);
      const errors = diagnostics.filter((d) => d.severity === "error");
      if (!ok) expect(errors[0]).toMatchObject({ code: expect.stringMatching(/^invalid-(value|type)$/), line: 8 });
      if (!ok && interval !== "90") expect(errors[0]!.hint).toContain("1m30s");
    }
    const ajv = new ((Ajv as any).default ?? Ajv)({ strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, "schemas/manifest.schema.json"), "utf8")));
    const doc = (interval: string) => ({
      services: { api: { kind: "http-api", owner: "a", tier: "low", healthCheck: { interval } } },
    });
    expect(validate(doc("1m30s"))).toBe(true);
    expect(validate(doc("30s1m"))).toBe(false);
  });
});

describe("docs/policies.md", () => {
  const doc = readFileSync(path.join(REPO, "docs/policies.md"), "utf8");
  it("gives every built-in policy its title and default severity", () => {
    for (const p of BUILTIN_POLICIES) {
      const row = doc.split("\n").find((l) => l.startsWith(`| \`${p.id}\` |`));
      expect(row, p.id).toBeDefined();
      expect(row!.split("|").map((c) => c.trim())).toEqual(expect.arrayContaining([p.category, p.severity]));
      expect(row!.split("|")[4]!.trim(), p.id).toContain(p.title);
    }
    for (const [id, r] of Object.entries(WAIVER_RULES))
      expect(doc).toContain(`| \`${id}\` | ${r.severity} | ${r.title}`);
  });
  it("says which alerts satisfy service-no-alert-rule and which limits client budgets are checked against", () => {
    expect(doc).toMatch(/service-no-alert-rule`\*\*[^]*`probe-failing` or `success-rate-below`/);
    expect(doc).toMatch(/rate-limit-budget-exceeds-provider`\*\*[^]*`requests`[^]*`tokens`[^]*`concurrency`/);
  });
});
