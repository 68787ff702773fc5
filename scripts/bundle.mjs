// Bundles the compiled CLI (dist/cli/main.js, from `tsc`) into dist/bundle/: one ESM entry plus
// split chunks, so `tollgate check` resolves and reads a handful of files instead of ~300 modules
// (issue #13, start-up). Run by `npm run build` after tsc; bin/tollgate.js runs dist/bundle/main.js.
//
// - Every `await import()` in the sources stays a lazy chunk (commands, reporters, the probe code).
// - Only the packages in INLINE (and what they import) are copied into the bundle: the ones every
//   check/validate run loads. Every other package stays an ordinary import from node_modules, so
//   cdktf/jsii, the MCP SDK, prom-client, Graphviz (wasm), ajv, the Grafana SDK and esbuild (TypeScript policies) load
//   exactly as before, and only in the commands that need them. A new dependency is external unless
//   it is added here.
// - The worker threads' scripts are entries of their own next to the chunks: parse-pool.ts and
//   custom-run.ts start `parse-worker.js`/`custom-worker.js` from their own module's folder.
// - The library export (dist/index.js, what custom policies import) is tsc's output, not this.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const OUT_DIR = path.join(ROOT, "dist", "bundle");

const ENTRIES = {
  main: "dist/cli/main.js",
  "parse-worker": "dist/load/parse/parse-worker.js",
  "custom-worker": "dist/policies/custom-worker.js",
};

/** Packages copied into the bundle (with their own dependencies): the hot path of check/validate. */
/** @tollgate/webhooks (the workspace package): the schema reads its profile table on every run, so it is copied in too. */
export const INLINE = new Set([
  "commander",
  "picocolors",
  "zod",
  "yaml",
  "@secretlint/core",
  "@secretlint/secretlint-rule-preset-recommend",
  "croner",
  "@tollgate/webhooks",
]);

const packageOf = (specifier) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/** Bare imports from Tollgate's own code stay external unless INLINE names them; inside an inlined package, everything is inlined. */
const externals = {
  name: "tollgate-externals",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:") || args.kind === "entry-point") return undefined;
      const fromOwnCode = !args.importer.includes(`${path.sep}node_modules${path.sep}`);
      if (fromOwnCode && !INLINE.has(packageOf(args.path))) return { path: args.path, external: true };
      return undefined;
    });
  },
};

/**
 * secretlint's profiler marks the start and end of every rule on every scan (two scans per file and
 * more), keeps every mark, and measures each pair in a PerformanceObserver callback: a share of every
 * run and memory that only grows. Tollgate never reads it, so the bundle gets a profiler that does nothing.
 */
const quietSecretlintProfiler = {
  name: "tollgate-quiet-secretlint-profiler",
  setup(b) {
    b.onResolve({ filter: /^@secretlint\/profiler$/ }, () => ({ path: "secretlint-profiler", namespace: "tollgate" }));
    b.onLoad({ filter: /.*/, namespace: "tollgate" }, () => ({
      loader: "js",
      contents:
        "export const secretLintProfiler = { mark() {}, async getEntries() { return []; }, async getMeasures() { return []; } };",
    }));
  },
};

/**
 * `import { z } from "zod"` takes zod's `z`, a namespace object re-exported from
 * zod/v4/classic/external.js, which esbuild cannot tree-shake: every locale and the JSON Schema
 * converters came along (455 kB minified, most of the parse time of a check). Importing that module
 * as a namespace directly is the same object, and esbuild keeps only what is used (~95 kB).
 * Any other form of zod import is left alone (correct, only bigger); test/package/bundle.test.ts
 * checks the locales stay out.
 */
const ZOD_CLASSIC = path.join(
  path.dirname(createRequire(import.meta.url).resolve("zod/package.json")),
  "v4",
  "classic",
  "external.js",
);
const shakeableZod = {
  name: "tollgate-shakeable-zod",
  setup(b) {
    const ownDist = new RegExp(
      `^${(path.join(ROOT, "dist") + path.sep).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*\\.js$`,
    );
    b.onLoad({ filter: ownDist }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes('import { z } from "zod";')) return undefined;
      return {
        contents: source.replaceAll('import { z } from "zod";', `import * as z from ${JSON.stringify(ZOD_CLASSIC)};`),
        loader: "js",
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

/** esbuild options; `write: false` gives the same bytes in memory (the freshness test compares them). */
export function bundleOptions({ write = true } = {}) {
  return {
    absWorkingDir: ROOT,
    entryPoints: Object.entries(ENTRIES).map(([out, input]) => ({ out, in: input })),
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    chunkNames: "[name]-[hash]",
    minify: true,
    legalComments: "none",
    metafile: true,
    write,
    logLevel: "warning",
    plugins: [shakeableZod, quietSecretlintProfiler, externals],
    // Inlined CommonJS packages call require() for Node's built-ins; ESM has no require of its own.
    banner: {
      js: 'import{createRequire as __tollgateRequire}from"node:module";const require=__tollgateRequire(import.meta.url);',
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  rmSync(OUT_DIR, { recursive: true, force: true });
  await build(bundleOptions());
}
