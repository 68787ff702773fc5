/**
 * bin/tollgate.js runs dist/bundle/ (scripts/bundle.mjs, built by `npm run build` after tsc). A
 * bundle older than dist/ would run yesterday's code while every in-process test passes, so this
 * rebuilds it in memory and compares bytes. The worker threads start scripts found next to the
 * chunks; both are run through the bin here.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freshBundle, OUT_DIR } from "../helpers/bundle.js";
import { NOW, REPO, runCli } from "../helpers/project.js";

const pkg = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  files: string[];
};

describe("the CLI bundle", () => {
  it("is built by npm run build, after tsc, and shipped in dist/", () => {
    // The workspace packages the CLI imports (packages/*) compile first.
    expect(pkg.scripts.build).toMatch(
      /^(tsc -p packages\/[a-z-]+\/tsconfig\.json && )*tsc -p tsconfig\.build\.json && node scripts\/bundle\.mjs$/,
    );
    expect(pkg.files).toContain("dist");
    expect(readFileSync(path.join(REPO, "bin", "tollgate.js"), "utf8")).toContain('"../dist/bundle/main.js"');
  });

  it("is up to date with dist/ (npm run build rebuilds both)", async () => {
    const { files } = await freshBundle();
    const onDisk = readdirSync(OUT_DIR).sort();
    expect(onDisk, "dist/bundle is stale: run npm run build").toEqual([...files.keys()].sort());
    for (const [name, bytes] of files) {
      expect(
        Buffer.compare(readFileSync(path.join(OUT_DIR, name)), bytes),
        `dist/bundle/${name} is stale: run npm run build`,
      ).toBe(0);
    }
    for (const entry of ["main.js", "parse-worker.js", "custom-worker.js"]) expect(files.has(entry), entry).toBe(true);
  }, 120_000);

  it("keeps only the zod it uses: no locale but English", async () => {
    // scripts/bundle.mjs imports zod's classic API as a namespace so esbuild can tree-shake it; an
    // import form it does not rewrite brings back all of zod (correct, but ~4x the parse time).
    const modules = [...(await freshBundle()).inputs.values()].flat().filter((m) => m.includes("node_modules/zod/"));
    expect(modules.some((m) => m.endsWith("zod/v4/core/schemas.js"))).toBe(true);
    expect(modules.filter((m) => /zod\/v4\/locales\/(?!en\.js)/.test(m))).toEqual([]);
  }, 120_000);

  it("replaces secretlint's profiler (marks kept forever) with one that does nothing", async () => {
    const modules = [...(await freshBundle()).inputs.values()].flat();
    expect(modules.some((m) => m.includes("node_modules/@secretlint/core/"))).toBe(true);
    expect(modules.filter((m) => m.includes("@secretlint/profiler"))).toEqual([]);
  }, 120_000);

  it("parses in worker threads from the bundle exactly as on the main thread", async () => {
    // check locates its findings through the workers' documents; the reference organization fails its gate (exit 1).
    const args = ["check", "--now", NOW, "--format", "json"];
    const inline = await runCli(args, { env: { TOLLGATE_PARSE_WORKERS: "0" } });
    const workers = await runCli(args, { env: { TOLLGATE_PARSE_WORKERS: "2" } });
    expect(inline.code, inline.stderr).toBe(1);
    expect(workers.code, workers.stderr).toBe(1);
    expect(workers.stdout).toBe(inline.stdout);
    expect(JSON.parse(workers.stdout)).toBeTypeOf("object");
  }, 120_000);
});
