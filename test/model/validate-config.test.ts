/**
 * `validate` sees what `check` sees in tollgate.yaml's policies (unknown ids with a did-you-mean,
 * options against each policy's schema), and a duplicate key is one diagnostic at the duplicate:
 * the first entry is kept, the rest of the file loads, nothing cascades elsewhere.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { parseText } from "../../load/parse/parse-file.js";
import type { FileOutput } from "../../load/parse/parse-types.js";
import { NOW, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";

const cleanup: string[] = [];
afterAll(async () => Promise.all(cleanup.map(removeDir)));

async function org(edit: (file: string, text: string) => string, file: string): Promise<string> {
  const dir = await copyReferenceOrg();
  cleanup.push(dir);
  const abs = path.join(dir, file);
  await writeFile(abs, edit(file, await readFile(abs, "utf8")));
  return dir;
}

describe("validate checks tollgate.yaml's policies like check does", () => {
  it("reports a misspelled policy id with did-you-mean and bad options at their lines, exit 2", async () => {
    const dir = await org(
      (_f, t) =>
        t.replace(
          "  secret-rotation-due-soon:\n    options: { windowDays: 14 }",
          "  secret-rotation-due-son: warning\n  secret-rotation-due-soon:\n    options: { windowDays: -3 }",
        ),
      "tollgate.yaml",
    );
    const r = await runCli(["validate", "--root", dir, "--now", NOW], { cwd: dir });
    expect(r.code).toBe(2);
    const lines = r.stdout.split("\n").filter((l) => /^\S+:\d+:\d+ /.test(l));
    expect(lines).toEqual([
      "tollgate.yaml:7:3 unknown-policy no policy named `secret-rotation-due-son`",
      expect.stringMatching(/^tollgate\.yaml:9:16 invalid-policy-options secret-rotation-due-soon: windowDays: /),
    ]);
    expect(r.stdout).toContain("hint: did you mean `secret-rotation-due-soon`?");
    // check reports the very same diagnostics: one implementation.
    const c = await runCli(["check", "--root", dir, "--now", NOW], { cwd: dir });
    expect(c.code).toBe(2);
    expect(c.stderr.split("\n").filter((l) => /^\S+:\d+:\d+ /.test(l))).toEqual(lines);
  }, 120_000);

  it("stays valid for the reference organization's own settings", async () => {
    const dir = await org((_f, t) => t, "tollgate.yaml");
    const r = await runCli(["validate", "--root", dir, "--now", NOW], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  }, 120_000);
});

describe("a duplicate key", () => {
  it("is reported once, at the duplicate, and the rest of the file still loads (no cascade)", async () => {
    const dir = await org(
      (_f, t) => t.replace("    owner: team-commerce\n", "    owner: team-commerce\n    owner: team-other\n"),
      "manifests/services/apis.yaml",
    );
    const { diagnostics, project } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(
      diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`),
    ).toEqual(["manifests/services/apis.yaml:7:5 yaml-duplicate-key"]);
    const d = diagnostics.find((x) => x.code === "yaml-duplicate-key")!;
    expect(d.message).toBe("key `owner` repeats the one at line 6; the first is kept, this one ignored");
    // The first entry wins, and every other service of the file is declared.
    expect(project.model.services.get("shopify-admin")?.owner).toBe("team-commerce");
    expect(project.model.services.has("chatwoot")).toBe(true);
  }, 120_000);

  it("gives the same data and diagnostics on the fast path as on the full parser", async () => {
    const text =
      "services:\n  a:\n    kind: mcp\n    owner: x\n    owner: y\n    tier: low\n  b: { kind: mcp, owner: z, tier: low, tier: high }\n";
    const run = async (mode: "auto" | "full") => {
      const diags: string[] = [];
      const out = {
        add: (code: string, loc: { line: number; col: number }, message: string) =>
          void diags.push(`${loc.line}:${loc.col} ${code} ${message}`),
        rememberSecret: () => undefined,
      } as unknown as FileOutput;
      const parsed = await parseText({ maxDepth: 64, maxBytes: 1 << 20 } as never, "m.yaml", text, out, mode);
      return { data: parsed?.data, diags, at: parsed?.src.locate(["services", "a", "tier"]) };
    };
    const [auto, full] = [await run("auto"), await run("full")];
    expect(full.diags.sort()).toEqual([
      "5:5 yaml-duplicate-key key `owner` repeats the one at line 4; the first is kept, this one ignored",
      "7:40 yaml-duplicate-key key `tier` repeats the one at line 7; the first is kept, this one ignored",
    ]);
    expect(full.data).toEqual({
      services: { a: { kind: "mcp", owner: "x", tier: "low" }, b: { kind: "mcp", owner: "z", tier: "low" } },
    });
    expect(full.at).toMatchObject({ line: 6, col: 5 });
    auto.diags.sort();
    expect(auto).toEqual(full);
  });
});
