/**
 * Start-up: `check` and `validate` must not load what only other commands need (cdktf and its
 * providers, the MCP SDK, prom-client, Graphviz, ajv, the Grafana SDK, cronstrue). Each CLI run here records
 * every module Node resolves, through a module hook, in a child process; `synth` must load cdktf,
 * which shows the recorder sees what it should. The CLI runs the bundle (scripts/bundle.mjs): a
 * bundle file the run loads counts as loading every module esbuild put in it, so a heavy package
 * copied into an eagerly loaded chunk fails here just as an eager import does.
 */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as loaded from "../helpers/loaded-modules.js";
import { BUNDLE_FILE } from "../helpers/loaded-modules.js";
import { NOW, removeDir, tempDir } from "../helpers/project.js";

const HEAVY = [
  "esbuild",
  "cdktf",
  "@cdktf/",
  "constructs",
  "@modelcontextprotocol/sdk",
  "prom-client",
  "@hpcc-js/wasm-graphviz",
  "ajv",
  "@grafana/grafana-foundation-sdk",
  "cronstrue",
];

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

const filesLoadedBy = async (args: string[]) => (await loaded.filesLoadedBy(args, { dirs })).files;
const modulesLoadedBy = async (args: string[]) => (await loaded.modulesLoadedBy(args, { dirs })).modules;

/** Packages (under node_modules) a CLI run resolved. */
async function packagesLoadedBy(args: string[]): Promise<Set<string>> {
  const packages = new Set<string>();
  for (const line of await modulesLoadedBy(args)) {
    const m = line.match(/(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) packages.add(m[1]!);
  }
  return packages;
}

const heavyIn = (packages: Set<string>) =>
  [...packages].filter((p) => HEAVY.some((h) => (h.endsWith("/") ? p.startsWith(h) : p === h)));

describe("lazy loading keeps check and validate lean", () => {
  it("the CLI runs the bundle, not tsc's module tree", async () => {
    const files = await filesLoadedBy(["check", "--now", NOW]);
    expect(files.some((f) => f.endsWith("/dist/bundle/main.js"))).toBe(true);
    expect(files.filter((f) => /\/dist\/(cli|model|policies|checks|util|infra)\//.test(f))).toEqual([]);
    // Tens of bundle files, not the ~300 modules tsc writes (esbuild cuts a chunk wherever two lazy
    // imports share code, so moving code between files moves this count a little: 40 today).
    expect(new Set(files.filter((f) => BUNDLE_FILE.test(f))).size).toBeLessThan(50);
  }, 120_000);

  it("check and validate load none of cdktf, the MCP SDK, prom-client, Graphviz, ajv, the Grafana SDK or cronstrue", async () => {
    for (const args of [
      ["check", "--now", NOW],
      ["check", "--now", NOW, "--format", "json"],
      ["validate", "--now", NOW],
    ]) {
      const loaded = await packagesLoadedBy(args);
      expect(loaded.has("yaml"), `${args.join(" ")} loads its parser`).toBe(true);
      expect(heavyIn(loaded), args.join(" ")).toEqual([]);
    }
  }, 120_000);

  it("the recorder sees heavy packages where they belong: synth loads cdktf", async () => {
    const out = path.join(await tempDir("tollgate-lazy-out-"), "out");
    dirs.push(path.dirname(out));
    const loaded = await packagesLoadedBy(["synth", "--env", "staging", "--now", NOW, "--out", out]);
    expect(heavyIn(loaded)).toEqual(
      expect.arrayContaining(["cdktf", "constructs", "@grafana/grafana-foundation-sdk", "cronstrue"]),
    );
  }, 120_000);

  it("check loads only the reporter of the format asked for", async () => {
    const reporters = (lines: string[]) =>
      new Set(
        lines
          .map((l) => l.match(/(?:^|\/)dist\/report\/(.+?)\.js$/)?.[1])
          .filter((m): m is string => !!m && m !== "registry" && m !== "format"),
      );
    const text = reporters(await modulesLoadedBy(["check", "--now", NOW]));
    expect(text.has("text")).toBe(true);
    for (const other of ["sarif", "junit", "markdown", "gitlab", "github", "badge", "html/index", "prometheus"])
      expect(text.has(other), other).toBe(false);
    const sarif = reporters(await modulesLoadedBy(["check", "--now", NOW, "--format", "sarif"]));
    expect(sarif.has("sarif")).toBe(true);
    expect(sarif.has("html/index")).toBe(false);
  });
});
