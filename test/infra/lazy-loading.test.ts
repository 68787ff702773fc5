/**
 * Start-up: `check` and `validate` must not load what only other commands need (cdktf and its
 * providers, the MCP SDK, prom-client, Graphviz, ajv, the Grafana SDK, cronstrue). Each CLI run here records
 * every module Node resolves, through a module hook, in a child process; `synth` must load cdktf,
 * which shows the recorder sees what it should. The CLI runs the bundle (scripts/bundle.mjs): a
 * bundle file the run loads counts as loading every module esbuild put in it, so a heavy package
 * copied into an eagerly loaded chunk fails here just as an eager import does.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freshBundle } from "../helpers/bundle.js";
import { BIN, NOW, REPO, removeDir, tempDir } from "../helpers/project.js";

const HEAVY = ["cdktf", "@cdktf/", "constructs", "@modelcontextprotocol/sdk", "prom-client", "@hpcc-js/wasm-graphviz", "ajv", "@grafana/grafana-foundation-sdk", "cronstrue"];

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

/** Every file a CLI run resolved (URLs and paths), ESM and CommonJS alike. */
async function filesLoadedBy(args: string[]): Promise<string[]> {
  const dir = await tempDir("tollgate-lazy-");
  dirs.push(dir);
  const log = path.join(dir, "resolved.txt");
  writeFileSync(path.join(dir, "hooks.mjs"), `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(${JSON.stringify(log)}, r.url + "\\n"); return r; }
`);
  // CommonJS requires made from CommonJS modules bypass the ESM hooks: read require.cache at exit too.
  writeFileSync(path.join(dir, "record.mjs"), `import { register, createRequire } from "node:module";
import { appendFileSync, writeFileSync } from "node:fs";
writeFileSync(${JSON.stringify(log)}, "");
register(${JSON.stringify(pathToFileURL(path.join(dir, "hooks.mjs")).href)});
const require = createRequire(import.meta.url);
process.on("exit", () => appendFileSync(${JSON.stringify(log)}, Object.keys(require.cache).join("\\n") + "\\n"));
`);
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(path.join(dir, "record.mjs")).href, BIN, ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  expect(r.status, r.stderr).not.toBeNull();
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

const BUNDLE_FILE = /\/dist\/bundle\/([^/]+\.js)$/;

/** Every module a CLI run loaded: the files it resolved, each bundle file expanded to the modules esbuild put in it. */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const { inputs } = await freshBundle();
  const modules: string[] = [];
  for (const line of await filesLoadedBy(args)) {
    const name = line.match(BUNDLE_FILE)?.[1];
    if (!name) {
      modules.push(line);
      continue;
    }
    const held = inputs.get(name);
    expect(held, `${name} is not in a fresh build of the bundle: dist/bundle is stale (npm run build)`).toBeDefined();
    modules.push(name, ...held!);
  }
  return modules;
}

/** Packages (under node_modules) a CLI run resolved. */
async function packagesLoadedBy(args: string[]): Promise<Set<string>> {
  const packages = new Set<string>();
  for (const line of await modulesLoadedBy(args)) {
    const m = line.match(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) packages.add(m[1]!);
  }
  return packages;
}

const heavyIn = (packages: Set<string>) => [...packages].filter((p) => HEAVY.some((h) => (h.endsWith("/") ? p.startsWith(h) : p === h)));

describe("lazy loading keeps check and validate lean", () => {
  it("the CLI runs the bundle, not tsc's module tree", async () => {
    const files = await filesLoadedBy(["check", "--now", NOW]);
    expect(files.some((f) => f.endsWith("/dist/bundle/main.js"))).toBe(true);
    expect(files.filter((f) => /\/dist\/(cli|model|policies|checks|util|infra)\//.test(f))).toEqual([]);
    // A handful of bundle files, not hundreds of modules.
    expect(new Set(files.filter((f) => BUNDLE_FILE.test(f))).size).toBeLessThan(40);
  }, 120_000);

  it("check and validate load none of cdktf, the MCP SDK, prom-client, Graphviz, ajv, the Grafana SDK or cronstrue", async () => {
    for (const args of [["check", "--now", NOW], ["check", "--now", NOW, "--format", "json"], ["validate", "--now", NOW]]) {
      const loaded = await packagesLoadedBy(args);
      expect(loaded.has("yaml"), `${args.join(" ")} loads its parser`).toBe(true);
      expect(heavyIn(loaded), args.join(" ")).toEqual([]);
    }
  }, 120_000);

  it("the recorder sees heavy packages where they belong: synth loads cdktf", async () => {
    const out = path.join(await tempDir("tollgate-lazy-out-"), "out");
    dirs.push(path.dirname(out));
    const loaded = await packagesLoadedBy(["synth", "--env", "staging", "--now", NOW, "--out", out]);
    expect(heavyIn(loaded)).toEqual(expect.arrayContaining(["cdktf", "constructs", "@grafana/grafana-foundation-sdk", "cronstrue"]));
  }, 120_000);

  it("check loads only the reporter of the format asked for", async () => {
    const reporters = (lines: string[]) => new Set(lines.map((l) => l.match(/(?:^|\/)dist\/policies\/reporters\/(.+?)\.js$/)?.[1]).filter((m): m is string => !!m && m !== "registry" && m !== "format"));
    const text = reporters(await modulesLoadedBy(["check", "--now", NOW]));
    expect(text.has("text")).toBe(true);
    for (const other of ["sarif", "junit", "markdown", "gitlab", "github", "badge", "html/index", "prometheus"]) expect(text.has(other), other).toBe(false);
    const sarif = reporters(await modulesLoadedBy(["check", "--now", NOW, "--format", "sarif"]));
    expect(sarif.has("sarif")).toBe(true);
    expect(sarif.has("html/index")).toBe(false);
  });
});
