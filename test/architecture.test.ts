/**
 * Data flows one way: load → model → policies → report; model → synth (infra); model → probe
 * (checks). Every import of the source — static, dynamic `import()`, type-only, `export … from` —
 * is read and checked against one table of allowed stage → stage directions, with the exceptions
 * named. Also: no import cycles between files, cdktf only in infra/, and the runtime packages
 * (packages/*) import nothing of the CLI side.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./helpers/project.js";

/** stage → the stages it may import from (itself always allowed). */
const ALLOWED: Record<string, readonly string[]> = {
  util: [],
  model: ["util"],
  redact: ["model", "util"],
  load: ["model", "redact", "util"],
  policies: ["load", "model", "redact", "util"],
  report: ["policies", "load", "model", "util"],
  assess: ["load", "policies", "report", "model", "redact", "util"],
  infra: ["model", "util"],
  checks: ["load", "model", "redact", "util"],
  tools: ["policies", "model", "util"],
  cli: ["assess", "checks", "infra", "load", "model", "policies", "redact", "report", "tools", "util"],
  ".": ["checks", "infra", "load", "model", "policies", "report", "util"],
  packages: [],
};

/** Edges outside the table, each with its reason. `from` is a file, `to` a stage. */
const EXCEPTIONS: { from: string; to: string; why: string }[] = [
  { from: "infra/app.ts", to: "assess", why: "synth refuses production while the readiness gate fails" },
  { from: "util/usage-error.ts", to: "model", why: "a usage error carries a diagnostic code (a type-only import)" },
];

const STAGES = Object.keys(ALLOWED).filter((s) => s !== ".");
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(REPO, dir))) {
      const rel = dir === "." ? name : `${dir}/${name}`;
      if (["node_modules", "dist", "test", "bench"].includes(name)) continue;
      if (statSync(path.join(REPO, rel)).isDirectory()) walk(rel);
      else if (/\.(ts|mts)$/.test(name) && !/\.(test|d)\.ts$/.test(name)) out.push(rel);
    }
  };
  for (const s of [...STAGES]) walk(s);
  out.push("index.ts");
  return out.sort();
}

const stageOf = (file: string) => (file.includes("/") ? file.split("/")[0]! : ".");

interface Import {
  from: string;
  spec: string;
  target?: string;
}
function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(REPO, file), "utf8");
  return [...text.matchAll(SPECIFIER)].map((m) => {
    const spec = m[1]!;
    if (!spec.startsWith(".")) return { from: file, spec };
    const resolved = path.posix
      .normalize(path.posix.join(path.posix.dirname(file), spec))
      .replace(/\.js$/, ".ts")
      .replace(/\.mjs$/, ".mts");
    return { from: file, spec, target: resolved };
  });
}

const files = sourceFiles();
const all = files.flatMap(importsOf);

describe("architecture: one-way data flow", () => {
  it("reads a realistic number of files and imports (the walk found the source)", () => {
    expect(files.length).toBeGreaterThan(150);
    expect(all.filter((i) => i.target).length).toBeGreaterThan(400);
    for (const stage of STAGES.filter((s) => s !== "packages"))
      expect(
        files.some((f) => stageOf(f) === stage),
        stage,
      ).toBe(true);
  });

  it("every cross-stage import follows the table or a named exception", () => {
    const bad = all
      .filter((i) => i.target)
      .filter((i) => {
        const [a, b] = [stageOf(i.from), stageOf(i.target!)];
        if (a === b || ALLOWED[a]?.includes(b)) return false;
        return !EXCEPTIONS.some((e) => e.from === i.from && e.to === b);
      })
      .map((i) => `${i.from} → ${i.target}`);
    expect(bad).toEqual([]);
  });

  it("every exception is still needed", () => {
    for (const e of EXCEPTIONS)
      expect(
        all.some((i) => i.from === e.from && i.target && stageOf(i.target) === e.to),
        `${e.from} → ${e.to}`,
      ).toBe(true);
  });

  it("every relative import names a file that exists", () => {
    const known = new Set(files);
    const missing = all
      .filter((i) => i.target && !known.has(i.target) && !i.target.endsWith(".json"))
      .map((i) => `${i.from}: ${i.spec}`);
    expect(missing).toEqual([]);
  });

  it("no import cycles between files (type-only imports included)", () => {
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const i of all) if (i.target && graph.has(i.target)) graph.get(i.from)!.push(i.target);
    const cycles: string[] = [];
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 1);
      stack.push(f);
      for (const t of graph.get(f)!) {
        if (state.get(t) === 1) cycles.push([...stack.slice(stack.indexOf(t)), t].join(" → "));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it("cdktf and its constructs are imported only in infra/", () => {
    const outside = all
      .filter((i) => /^(cdktf|constructs|@cdktf\/)/.test(i.spec) && stageOf(i.from) !== "infra")
      .map((i) => `${i.from}: ${i.spec}`);
    expect(outside).toEqual([]);
  });

  it("the runtime packages import no CLI-side library and nothing outside their own package", () => {
    const cliSide = /^(cdktf|constructs|@cdktf\/|yaml$|@modelcontextprotocol\/|commander$|tollgate$)/;
    const bad = all
      .filter((i) => stageOf(i.from) === "packages")
      .filter(
        (i) =>
          cliSide.test(i.spec) ||
          (i.target && i.target.split("/").slice(0, 2).join("/") !== i.from.split("/").slice(0, 2).join("/")),
      )
      .map((i) => `${i.from}: ${i.spec}`);
    expect(bad).toEqual([]);
    for (const pkg of readdirSync(path.join(REPO, "packages"))) {
      const manifest = JSON.parse(readFileSync(path.join(REPO, "packages", pkg, "package.json"), "utf8"));
      const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
      expect(
        deps.filter((d) => cliSide.test(d)),
        pkg,
      ).toEqual([]);
    }
  });
});
