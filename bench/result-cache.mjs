// The whole-result cache of issue #13 (assess/cache/result-cache.ts): `check --cache` on an unchanged
// estate, cold (empty cache) vs warm, interleaved so machine load hits both alike, as whole
// processes with wall and CPU time (user+sys). Warm rows: the stored outputs replayed ("outputs
// hit"), and another format rendered from the stored result ("result hit").
// Alone: node bench/result-cache.mjs [sizes, default 10000,50000] (RESULT_CACHE_RUNS=3).
// bench/run.mjs calls resultCacheBench() for its sizes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate } from "./generate.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/tollgate.js");
const NOW = "2026-11-24";

/** One whole process: wall ms, CPU ms (user+sys) and peak RSS, recorded by a hook at exit. */
function timed(args, work) {
  const out = path.join(work, "usage.json");
  const hook = path.join(work, "hook.mjs");
  writeFileSync(
    hook,
    `import { writeFileSync } from "node:fs";\nconst t = performance.now();\nprocess.on("exit", () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(out)}, JSON.stringify({ wallMs: performance.now() - t, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, rssMb: u.maxRSS / 1024 })); });\n`,
  );
  const r = spawnSync(process.execPath, ["--import", pathToFileURL(hook).href, BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, TOLLGATE_CACHE_STATS: "1", NO_COLOR: "1" },
  });
  if (r.status !== 0) throw new Error(`tollgate ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return {
    ...JSON.parse(readFileSync(out, "utf8")),
    said: r.stderr
      .split("\n")
      .filter((l) => l.startsWith("tollgate: cache: result") || l.startsWith("tollgate: cache: outputs"))
      .map((l) => l.slice(17)),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function resultCacheBench(sizes, { runs = 3, log = console.error } = {}) {
  const rows = [];
  for (const secrets of sizes) {
    const work = mkdtempSync(path.join(tmpdir(), "tollgate-rc-bench-"));
    try {
      const dir = path.join(work, "org");
      generate(dir, { services: secrets / 5, secrets, seed: 42, now: NOW });
      const cacheDir = path.join(dir, "node_modules/.cache/tollgate");
      const check = (format) => [
        "check",
        "--root",
        dir,
        "--now",
        NOW,
        "--format",
        format,
        "--fail-on",
        "never",
        "--cache",
      ];
      const json = check(`json=${path.join(work, "report.json")}`);
      const sarif = check(`sarif=${path.join(work, "report.sarif")}`);
      const m = { cold: [], warm: [], rendered: [] };
      for (let i = 0; i < runs; i++) {
        rmSync(cacheDir, { recursive: true, force: true });
        m.cold.push(timed(json, work));
        m.warm.push(timed(json, work));
        m.rendered.push(timed(sarif, work));
        log(
          `  ${secrets} secrets, run ${i + 1}: cold ${Math.round(m.cold[i].wallMs)} ms (${Math.round(m.cold[i].cpuMs)} CPU), warm ${Math.round(m.warm[i].wallMs)} ms (${Math.round(m.warm[i].cpuMs)} CPU) [${m.warm[i].said}], other format ${Math.round(m.rendered[i].wallMs)} ms [${m.rendered[i].said}]`,
        );
      }
      const sum = (k) => ({
        wallMs: Math.round(median(m[k].map((x) => x.wallMs))),
        cpuMs: Math.round(median(m[k].map((x) => x.cpuMs))),
        rssMb: Math.round(Math.max(...m[k].map((x) => x.rssMb))),
        said: m[k][0].said.join(", "),
      });
      const row = { secrets, runs, cold: sum("cold"), warm: sum("warm"), rendered: sum("rendered") };
      row.warmVsCold = {
        wall: +(row.warm.wallMs / row.cold.wallMs).toFixed(2),
        cpu: +(row.warm.cpuMs / row.cold.cpuMs).toFixed(2),
      };
      row.renderedVsCold = {
        wall: +(row.rendered.wallMs / row.cold.wallMs).toFixed(2),
        cpu: +(row.rendered.cpuMs / row.cold.cpuMs).toFixed(2),
      };
      rows.push(row);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return rows;
}

export function resultCacheMarkdown(rows) {
  if (!rows?.length) return [];
  return [
    "## Result cache: `check --cache` on an unchanged estate",
    "",
    'Cold (empty cache) and warm runs interleaved; medians, wall and CPU (user+sys) time. Warm replays the stored outputs; "other format" renders SARIF from the stored result. Goal: warm ≤ 0.3× cold.',
    "",
    "| secrets | cold | warm (outputs replayed) | warm ÷ cold (wall, CPU) | other format (result reused) | ÷ cold (wall, CPU) |",
    "|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.secrets.toLocaleString("en")} | ${r.cold.wallMs} ms, ${r.cold.cpuMs} ms CPU, ${r.cold.rssMb} MB | ${r.warm.wallMs} ms, ${r.warm.cpuMs} ms CPU, ${r.warm.rssMb} MB | ${r.warmVsCold.wall}, ${r.warmVsCold.cpu} | ${r.rendered.wallMs} ms, ${r.rendered.cpuMs} ms CPU, ${r.rendered.rssMb} MB | ${r.renderedVsCold.wall}, ${r.renderedVsCold.cpu} |`,
    ),
    "",
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = (process.argv[2] ?? "10000,50000").split(",").map(Number);
  const rows = await resultCacheBench(sizes, { runs: Number(process.env.RESULT_CACHE_RUNS ?? 3) });
  process.stdout.write(`${JSON.stringify(rows, null, 1)}\n${resultCacheMarkdown(rows).join("\n")}\n`);
}
