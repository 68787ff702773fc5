// Synthesis and start-up benchmarks (issue #13 goals): `tollgate synth --all` at 100/1k/10k
// services, next to `tollgate validate` of the same organization (loading alone, so the difference
// is synthesis), and the cold start-up of `tollgate check` on the bundled organization.
// Used by bench/run.mjs; standalone: node bench/synth.mjs [sizes, e.g. 100,1000] [startup runs]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./generate.mjs";
import { measureProcess, median } from "./measure-process.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/tollgate.js");
const NOW = "2026-11-24";
export const GOALS = { synthMs: 3000, synthRssMb: 300, startupMs: 250 };
const log = (m) => process.stderr.write(`${m}\n`);

/** One whole process through bench/measure.mjs: wall from spawn to exit, peak RSS. */
const once = (work, args) => measureProcess(work, BIN, args, { cwd: ROOT });

async function measure(work, label, args, { runs, okCodes }) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = await once(work, args);
    if (!okCodes.includes(r.code)) throw new Error(`${label} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
    samples.push(r);
  }
  const result = {
    label,
    runs,
    medianMs: Math.round(median(samples.map((s) => s.wallMs))),
    peakRssMb: Math.round(Math.max(...samples.map((s) => s.maxRssKb)) / 1024),
  };
  log(`  ${label}: ${result.medianMs} ms, ${result.peakRssMb} MB`);
  return result;
}

/** synth --all and validate of the same generated organization, per size. */
export async function synthBench(sizes, { runs = 3 } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), "tollgate-bench-synth-"));
  const rows = [];
  try {
    for (const services of sizes) {
      const dir = path.join(work, `org-${services}`);
      generate(dir, { services, secrets: services, seed: 7, now: NOW });
      log(`synth: ${services} services`);
      const synth = await measure(
        work,
        `tollgate synth --all (${services} services)`,
        [
          "synth",
          "--root",
          dir,
          "--all",
          "--now",
          NOW,
          "--out",
          path.join(dir, "out"),
          "--force",
          "--reason",
          "benchmark",
        ],
        { runs, okCodes: [0] },
      );
      const load = await measure(
        work,
        `tollgate validate (same org)`,
        ["validate", "--root", dir, "--now", NOW, "--format", "json"],
        { runs, okCodes: [0] },
      );
      rows.push({
        services,
        ...synth,
        loadMs: load.medianMs,
        loadRssMb: load.peakRssMb,
        synthesisMs: synth.medianMs - load.medianMs,
      });
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

/** Cold start-up: whole processes on the bundled organization, median of `runs`. */
export async function startupBench({ runs = 9 } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), "tollgate-bench-startup-"));
  try {
    log(`startup (bundled organization, median of ${runs})`);
    return {
      runs,
      version: await measure(work, "tollgate --version", ["--version"], { runs, okCodes: [0] }),
      check: await measure(
        work,
        "tollgate check (bundled organization)",
        ["check", "--root", ROOT, "--now", NOW, "--format", `json=${path.join(work, "startup.json")}`],
        { runs, okCodes: [1] },
      ),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const meets = (ok) => (ok ? "yes" : "**no**");

export function synthMarkdown(rows) {
  return [
    "## Synthesis (all environments)",
    "",
    `Goal at 10,000 services: ≤ ${GOALS.synthMs} ms and ≤ ${GOALS.synthRssMb} MB peak RSS. \`validate\` of the same organization is the loading part (parse, schema, secret scan); the difference is synthesis.`,
    "",
    "| services | tollgate synth --all | peak RSS | validate (loading alone) | synthesis (difference) | goal met |",
    "|---:|---:|---:|---:|---:|---|",
    ...rows.map(
      (r) =>
        `| ${r.services.toLocaleString("en")} | ${r.medianMs} ms | ${r.peakRssMb} MB | ${r.loadMs} ms, ${r.loadRssMb} MB | ${r.synthesisMs} ms | ${r.services >= 10_000 ? `${meets(r.medianMs <= GOALS.synthMs)} (time), ${meets(r.peakRssMb <= GOALS.synthRssMb)} (RSS)` : "—"} |`,
    ),
    "",
  ];
}

export function startupMarkdown(s) {
  return [
    "## Start-up (cold, whole process)",
    "",
    `Median of ${s.runs} runs. Goal: \`check\` on the bundled organization ≤ ${GOALS.startupMs} ms.`,
    "",
    "| command | median | peak RSS | goal met |",
    "|---|---:|---:|---|",
    `| tollgate --version | ${s.version.medianMs} ms | ${s.version.peakRssMb} MB | — |`,
    `| tollgate check (bundled HotDash organization) | ${s.check.medianMs} ms | ${s.check.peakRssMb} MB | ${meets(s.check.medianMs <= GOALS.startupMs)} |`,
    "",
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = (process.argv[2] ?? "100,1000,10000").split(",").map(Number);
  const rows = await synthBench(sizes);
  const startup = await startupBench({ runs: Number(process.argv[3] ?? 9) });
  process.stdout.write([...synthMarkdown(rows), ...startupMarkdown(startup)].join("\n"));
}
