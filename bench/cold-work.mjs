// Issue #13, the cold work of validate and check against the js-yaml floor, by CPU time as well as
// wall time: on a shared machine wall time follows the load, while CPU time (user + system) of the
// same process barely moves. Runs floor / validate / check interleaved, round after round, so a
// change in load hits all three alike. Two rows per size (issue #27): the realistic estate
// bench/generate.mjs writes by default (block scalars, flow across lines, anchors, …) and the plain
// subset; both estates' runs are interleaved too. Part of `npm run bench`; alone:
//   node bench/cold-work.mjs   (COLD_SIZES=10000,50000 COLD_ROUNDS=3 COLD_STYLES=realistic,plain by default)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./generate.mjs";
import { measureProcess, median } from "./measure-process.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/tollgate.js");
const FLOOR = path.join(ROOT, "bench/jsyaml-floor.mjs");
const NOW = "2026-11-24";

const once = async (work, script, args) => {
  const m = await measureProcess(work, script, args, { cwd: ROOT });
  return { wallMs: m.wallMs, cpuMs: m.cpuMs, rssMb: m.maxRssKb / 1024, code: m.code };
};

export async function coldWorkBench({
  sizes = [10_000, 50_000],
  rounds = 3,
  styles = ["realistic", "plain"],
  log = () => {},
} = {}) {
  const work = mkdtempSync(path.join(tmpdir(), "tollgate-cold-"));
  const rows = [];
  try {
    for (const secrets of sizes) {
      const dirs = styles.map((style) =>
        generate(path.join(work, `org-${secrets}-${style}`), {
          services: secrets / 5,
          secrets,
          seed: 42,
          now: NOW,
          style,
        }),
      );
      const runs = styles.map(() => ({ floor: [], validate: [], check: [] }));
      for (let r = 0; r < rounds; r++) {
        for (const [i, dir] of dirs.entries()) {
          runs[i].floor.push(await once(work, FLOOR, [dir]));
          runs[i].validate.push(await once(work, BIN, ["validate", "--root", dir, "--now", NOW, "--format", "json"]));
          runs[i].check.push(
            await once(work, BIN, [
              "check",
              "--root",
              dir,
              "--now",
              NOW,
              "--format",
              `json=${path.join(work, "check.json")}`,
              "--fail-on",
              "never",
            ]),
          );
        }
      }
      for (const [i, style] of styles.entries()) {
        const sum = (k) => ({
          wallMs: Math.round(median(runs[i][k].map((x) => x.wallMs))),
          cpuMs: Math.round(median(runs[i][k].map((x) => x.cpuMs))),
          peakRssMb: Math.round(Math.max(...runs[i][k].map((x) => x.rssMb))),
        });
        const row = { secrets, style, rounds, floor: sum("floor"), validate: sum("validate"), check: sum("check") };
        for (const k of ["validate", "check"])
          row[k].ratio = {
            wall: +(row[k].wallMs / row.floor.wallMs).toFixed(2),
            cpu: +(row[k].cpuMs / row.floor.cpuMs).toFixed(2),
          };
        log(
          `  cold work ${secrets} ${style}: floor ${row.floor.cpuMs} ms CPU; validate ×${row.validate.ratio.cpu} CPU (×${row.validate.ratio.wall} wall); check ×${row.check.ratio.cpu} CPU (×${row.check.ratio.wall} wall), ${row.check.peakRssMb} MB`,
        );
        rows.push(row);
      }
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

export function coldWorkMarkdown(rows) {
  if (!rows?.length) return [];
  const cell = (m) => `${m.cpuMs} ms CPU, ${m.wallMs} ms wall, ${m.peakRssMb} MB`;
  return [
    "## Cold work against the js-yaml floor, by CPU time",
    "",
    "Floor, validate and check run interleaved (both estates too); medians of CPU time (user + system) and wall time, peak RSS of any run. Goal: × js-yaml ≤ 2, check ≤ 400 MB at 50k. `realistic` is the estate bench/generate.mjs writes by default (block scalars, multi-line and escaped scalars, flow across lines, anchors, quoted keys, one large file); `plain` the old subset.",
    "",
    "| secrets | YAML | js-yaml load | validate | × CPU | × wall | check, all policies | × CPU | × wall |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.secrets.toLocaleString("en")} | ${r.style ?? "plain"} | ${cell(r.floor)} | ${cell(r.validate)} | ${r.validate.ratio.cpu} | ${r.validate.ratio.wall} | ${cell(r.check)} | ${r.check.ratio.cpu} | ${r.check.ratio.wall} |`,
    ),
    "",
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = (process.env.COLD_SIZES ?? "10000,50000").split(",").map(Number);
  const styles = (process.env.COLD_STYLES ?? "realistic,plain").split(",");
  const rows = await coldWorkBench({
    sizes,
    rounds: Number(process.env.COLD_ROUNDS ?? 3),
    styles,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  writeFileSync(path.join(ROOT, "bench/cold-work.json"), `${JSON.stringify(rows, null, 2)}\n`);
  process.stdout.write(coldWorkMarkdown(rows).join("\n"));
}
