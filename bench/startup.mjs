// Start-up alone (issue #13): `tollgate check` on the bundled organization and `tollgate --version`,
// whole processes measured like startupBench in bench/synth.mjs (spawn to exit, through
// bench/measure.mjs), plus the CPU time of each run. Other Tollgate checkouts can be measured in
// the same run, interleaved run by run, so a loaded machine shifts them alike.
// usage: node bench/startup.mjs [runs=9] [other checkout root ...]
//   e.g. node bench/startup.mjs 9 /path/to/baseline-clone   (each root must be built)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measureProcess, median } from "./measure-process.mjs";

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NOW = "2026-11-24";
const once = (work, root, args, script = path.join(root, "bin/tollgate.js")) =>
  measureProcess(work, script, args, { cwd: root });

export async function startupCompare(roots, { runs = 9 } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), "tollgate-bench-startup-"));
  const commands = [
    { label: "tollgate --version", args: () => ["--version"], ok: 0 },
    {
      label: "tollgate check (bundled organization)",
      args: (root) => ["check", "--root", root, "--now", NOW, "--format", `json=${path.join(work, "startup.json")}`],
      ok: 1,
    },
  ];
  const samples = new Map();
  // The floor: Node itself running an empty module through the same harness.
  const empty = path.join(work, "empty.mjs");
  writeFileSync(empty, "");
  try {
    for (let i = 0; i < runs; i++) {
      const floor = await once(work, HERE, [], empty);
      samples.set("node, empty module\t(floor)", [...(samples.get("node, empty module\t(floor)") ?? []), floor]);
      for (const c of commands) {
        for (const root of roots) {
          const r = await once(work, root, c.args(root));
          if (r.code !== c.ok) throw new Error(`${root}: ${c.label} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
          const key = `${c.label}\t${root}`;
          samples.set(key, [...(samples.get(key) ?? []), r]);
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return [...samples].map(([key, s]) => {
    const [label, root] = key.split("\t");
    return {
      label,
      root,
      runs,
      medianMs: Math.round(median(s.map((x) => x.wallMs))),
      medianCpuMs: Math.round(median(s.map((x) => x.cpuMs ?? NaN))),
      peakRssMb: Math.round(Math.max(...s.map((x) => x.maxRssKb)) / 1024),
    };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 9);
  const roots = [HERE, ...process.argv.slice(3).map((r) => path.resolve(r))];
  const rows = await startupCompare(roots, { runs });
  process.stdout.write(
    [
      `Median of ${runs} interleaved runs (wall from spawn to exit; CPU = user + system of the process).`,
      "",
      "| command | checkout | median wall | median CPU | peak RSS |",
      "|---|---|---:|---:|---:|",
      ...rows.map((r) => `| ${r.label} | ${r.root} | ${r.medianMs} ms | ${r.medianCpuMs} ms | ${r.peakRssMb} MB |`),
      "",
    ].join("\n"),
  );
}
