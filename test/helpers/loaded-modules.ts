/**
 * What a CLI run loads: every file Node resolves (through a module hook in a child process, plus
 * require.cache at exit for CommonJS), and each bundle file (scripts/bundle.mjs) expanded to the
 * source modules esbuild put in it, so "does this run load X" means the same with or without the
 * bundle. Used by the lazy-loading and result-cache tests.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import { freshBundle } from "./bundle.js";
import { BIN, REPO, tempDir } from "./project.js";

export const BUNDLE_FILE = /\/dist\/bundle\/([^/]+\.js)$/;

export interface LoadRun {
  cwd?: string;
  env?: Record<string, string>;
  /** Temp folders created here, for the caller to remove. */
  dirs: string[];
}

export interface Loaded {
  status: number | null;
  stderr: string;
  files: string[];
}

/** Every file a CLI run resolved (URLs and paths), ESM and CommonJS alike. */
export async function filesLoadedBy(args: string[], o: LoadRun): Promise<Loaded> {
  const dir = await tempDir("tollgate-lazy-");
  o.dirs.push(dir);
  const log = path.join(dir, "resolved.txt");
  writeFileSync(
    path.join(dir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(${JSON.stringify(log)}, r.url + "\\n"); return r; }
`,
  );
  // CommonJS requires made from CommonJS modules bypass the ESM hooks: read require.cache at exit too.
  // Worker threads inherit --import and run this again, so it only appends (the log starts empty here).
  writeFileSync(log, "");
  writeFileSync(
    path.join(dir, "record.mjs"),
    `import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register(${JSON.stringify(pathToFileURL(path.join(dir, "hooks.mjs")).href)});
const require = createRequire(import.meta.url);
process.on("exit", () => appendFileSync(${JSON.stringify(log)}, Object.keys(require.cache).join("\\n") + "\\n"));
`,
  );
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(path.join(dir, "record.mjs")).href, BIN, ...args], {
    cwd: o.cwd ?? REPO,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...o.env },
  });
  expect(r.status, r.stderr).not.toBeNull();
  return { status: r.status, stderr: r.stderr, files: readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

/** Every module a CLI run loaded: the files it resolved, each bundle file expanded to the modules in it. */
export async function modulesLoadedBy(args: string[], o: LoadRun): Promise<Loaded & { modules: string[] }> {
  const { inputs } = await freshBundle();
  const run = await filesLoadedBy(args, o);
  const modules: string[] = [];
  for (const line of run.files) {
    const name = line.match(BUNDLE_FILE)?.[1];
    if (!name) {
      modules.push(line);
      continue;
    }
    const held = inputs.get(name);
    expect(held, `${name} is not in a fresh build of the bundle: dist/bundle is stale (npm run build)`).toBeDefined();
    modules.push(name, ...held!);
  }
  return { ...run, modules };
}
