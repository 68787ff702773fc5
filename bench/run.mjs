// npm run bench: Tollgate next to the floor (bare yaml parsing) and the tools people would use
// instead (Spectral with an equivalent ruleset, ajv-cli with the exported schema), all measured in
// one run on the same generated files, each as a whole process (wall time and peak RSS).
// Writes bench/results.json and bench/results.md. Traffic only to 127.0.0.1.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./generate.mjs";
import { measureProcess, median } from "./measure-process.mjs";
import { exporterBench } from "./exporter.mjs";
import { startupBench, startupMarkdown, synthBench, synthMarkdown } from "./synth.mjs";
import { bigFileBench, parseMarkdown, parseRatios, parseRows } from "./parse-bench.mjs";
import { resultCacheBench, resultCacheMarkdown } from "./result-cache.mjs";
import { coldWorkBench, coldWorkMarkdown } from "./cold-work.mjs";
import { clientBench, clientMarkdown } from "./client.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/tollgate.js");
const SPECTRAL = path.join(ROOT, "node_modules/@stoplight/spectral-cli/dist/index.js");
const AJV = path.join(ROOT, "node_modules/ajv-cli/dist/index.js");
const NOW = "2026-11-24";
const QUICK = process.env.BENCH_QUICK === "1";
const SIZES = process.env.BENCH_SIZES
  ? process.env.BENCH_SIZES.split(",").map(Number)
  : QUICK
    ? [1_000]
    : [1_000, 10_000, 50_000];
const SYNTH_SIZES = QUICK ? [100] : [100, 1_000, 10_000];
const FIVE = [
  "secret-no-owner",
  "secret-rotation-period",
  "secret-rotation-overdue",
  "secret-missing-in-production",
  "webhook-timestamp-tolerance",
];
const work = mkdtempSync(path.join(tmpdir(), "tollgate-bench-"));
const log = (m) => process.stderr.write(`${m}\n`);

const measureOnce = (script, args, env = {}) => measureProcess(work, script, args, { cwd: ROOT, env });

async function measure(label, script, args, { runs = 3, env, okCodes = [0, 1] } = {}) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = await measureOnce(script, args, env);
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

async function policiesOff(except) {
  const { BUILTIN_POLICIES } = await import(path.join(ROOT, "dist/policies/registry.js"));
  return BUILTIN_POLICIES.map((p) => p.id).filter((id) => !except.includes(id));
}

function writeConfig(dir, off) {
  writeFileSync(
    path.join(dir, "tollgate.yaml"),
    `organization: Generated\nmanifests: [manifests, secrets-manifest]\n${off.length ? `policies:\n${off.map((id) => `  ${id}: off`).join("\n")}\n` : ""}`,
  );
}

/** The five checks' findings from each tool, normalized to `rule|subject`, must be the same set. */
function tollgateSet(file) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  return new Set(r.findings.filter((f) => FIVE.includes(f.ruleId)).map((f) => `${f.ruleId}|${f.subject}`));
}
function spectralSet(file) {
  const r = JSON.parse(readFileSync(file, "utf8"));
  return new Set(
    r
      .filter((x) => FIVE.includes(x.code))
      .map((x) => {
        const [section, name, , env] = x.path;
        if (section === "webhooks") return `${x.code}|webhook/${name}`;
        if (x.code === "secret-rotation-overdue") return `${x.code}|secret/${name}@${env}`;
        if (x.code === "secret-missing-in-production") return `${x.code}|secret/${name}@production`;
        return `${x.code}|secret/${name}`;
      }),
  );
}

async function scaleBench(secrets, runs) {
  const services = secrets / 5;
  const dir = path.join(work, `org-${secrets}`);
  log(`organization: ${services} services, ${secrets} secrets`);
  generate(dir, { services, secrets, seed: 42, now: NOW });
  const globs = [`${dir}/manifests/**/*.yaml`, `${dir}/secrets-manifest/*.yaml`];
  const row = { secrets, services };

  row.floor = await measure("floor: bare yaml parse", path.join(ROOT, "bench/floor.mjs"), [dir], { runs });
  writeConfig(dir, []);
  row.validate = await measure(
    "tollgate validate",
    BIN,
    ["validate", "--root", dir, "--now", NOW, "--format", "json"],
    { runs, okCodes: [0] },
  );
  row.checkAll = await measure(
    "tollgate check (all policies, json)",
    BIN,
    ["check", "--root", dir, "--now", NOW, "--format", `json=${path.join(work, "all.json")}`, "--fail-on", "never"],
    { runs, okCodes: [0] },
  );
  row.parse = await parseRows(measure, dir, { now: NOW, runs, work });

  writeConfig(dir, await policiesOff(FIVE));
  row.checkFive = await measure(
    "tollgate check (the five checks)",
    BIN,
    ["check", "--root", dir, "--now", NOW, "--format", `json=${path.join(work, "five.json")}`, "--fail-on", "never"],
    { runs, okCodes: [0] },
  );
  row.spectral = await measure(
    "spectral lint (the five checks)",
    SPECTRAL,
    [
      "lint",
      ...globs,
      "--ruleset",
      path.join(ROOT, "bench/spectral-ruleset.mjs"),
      "-f",
      "json",
      "-o",
      path.join(work, "spectral.json"),
      "-q",
    ],
    { runs, env: { BENCH_NOW: NOW } },
  );
  row.ajv = await measure(
    "ajv-cli (schema only)",
    AJV,
    [
      "validate",
      "-s",
      path.join(ROOT, "schemas/manifest.schema.json"),
      ...globs.flatMap((g) => ["-d", g]),
      "-c",
      "ajv-formats",
      "--spec=draft7",
      "--strict=false",
      "--errors=no",
    ],
    { runs },
  );

  const t = tollgateSet(path.join(work, "five.json"));
  const s = spectralSet(path.join(work, "spectral.json"));
  const onlyT = [...t].filter((x) => !s.has(x));
  const onlyS = [...s].filter((x) => !t.has(x));
  row.sameFindings = {
    tollgate: t.size,
    spectral: s.size,
    equal: onlyT.length === 0 && onlyS.length === 0,
    onlyTollgate: onlyT.slice(0, 5),
    onlySpectral: onlyS.slice(0, 5),
  };
  log(`  same findings: ${row.sameFindings.equal} (tollgate ${t.size}, spectral ${s.size})`);
  if (!row.sameFindings.equal) throw new Error(`Spectral and Tollgate disagree: ${JSON.stringify(row.sameFindings)}`);
  row.ratios = {
    validateVsFloor: +(row.validate.medianMs / row.floor.medianMs).toFixed(2),
    checkVsFloor: +(row.checkAll.medianMs / row.floor.medianMs).toFixed(2),
    spectralVsTollgate: +(row.spectral.medianMs / row.checkFive.medianMs).toFixed(2),
    ajvVsValidate: +(row.ajv.medianMs / row.validate.medianMs).toFixed(2),
  };
  row.parseRatios = parseRatios(row);
  rmSync(dir, { recursive: true, force: true });
  return row;
}

async function probeBench() {
  const N = 1000,
    CONCURRENCY = 100,
    DELAY = 50;
  const server = http.createServer((_req, res) => setTimeout(() => res.end("ok"), DELAY));
  server.maxConnections = 10_000;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const port = server.address().port;
  const dir = path.join(work, "probe-org");
  const services = Array.from(
    { length: N },
    (_, i) =>
      `  ep-${String(i).padStart(4, "0")}:\n    kind: http-api\n    owner: bench\n    tier: low\n    endpoints: { local: { url: "http://127.0.0.1:${port}/ep/${i}" } }\n    healthCheck: { timeout: 5s }`,
  ).join("\n");
  rmSync(dir, { recursive: true, force: true });
  generate(dir, { services: 4, secrets: 4, seed: 1, now: NOW });
  rmSync(path.join(dir, "manifests"), { recursive: true, force: true });
  rmSync(path.join(dir, "secrets-manifest"), { recursive: true, force: true });
  const { mkdirSync } = await import("node:fs");
  mkdirSync(path.join(dir, "manifests"), { recursive: true });
  mkdirSync(path.join(dir, "secrets-manifest"), { recursive: true }); // tollgate.yaml names it: a missing folder is path-not-found
  writeFileSync(
    path.join(dir, "manifests/org.yaml"),
    `environments:\n  local: { deployed: true }\n  production: { production: true, deployed: false }\nservices:\n${services}\n`,
  );
  log(`probe: ${N} endpoints answering after ${DELAY} ms, concurrency ${CONCURRENCY}`);
  const r = await measure(
    "tollgate probe",
    BIN,
    [
      "probe",
      "--root",
      dir,
      "--env",
      "local",
      "--concurrency",
      String(CONCURRENCY),
      "--format",
      "json",
      "--output",
      path.join(work, "probe.json"),
    ],
    { runs: 3, okCodes: [0] },
  );
  // The same org without probing: process start plus loading the 1,000-service manifest.
  const start = await measure(
    "tollgate validate (same org: start-up + load)",
    BIN,
    ["validate", "--root", dir, "--format", "json"],
    { runs: 3, okCodes: [0] },
  );
  const phase = await new Promise((resolve, reject) => {
    const c = spawn(
      process.execPath,
      [path.join(ROOT, "bench/probe-phase.mjs"), String(port), String(N), String(CONCURRENCY)],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    let o = "";
    c.stdout.on("data", (d) => (o += d));
    c.on("close", (code) => (code === 0 ? resolve(JSON.parse(o)) : reject(new Error("probe-phase failed"))));
  });
  log(`  probe work alone (in-process, median of 3): ${phase.medianMs} ms`);
  server.close();
  const ideal = Math.ceil(N / CONCURRENCY) * DELAY;
  return {
    endpoints: N,
    concurrency: CONCURRENCY,
    delayMs: DELAY,
    idealMs: ideal,
    ...r,
    startAndLoadMs: start.medianMs,
    probeWorkMs: phase.medianMs,
    probeWorkVsIdeal: +(phase.medianMs / ideal).toFixed(2),
    wholeVsIdealPlusStart: +(r.medianMs / (ideal + start.medianMs)).toFixed(2),
  };
}

const started = Date.now();
const results = {
  date: NOW,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  quick: QUICK,
  scale: [],
  synth: [],
  probe: null,
  startup: null,
};
try {
  for (const size of SIZES) results.scale.push(await scaleBench(size, 3));
  results.resultCache = await resultCacheBench(SIZES, { runs: 3, log });
  if (!QUICK) results.bigFile = await bigFileBench(measure, work, { now: NOW, runs: 3 });
  // Both estates (realistic, plain) against the js-yaml floor and RSS, issue #27; quick: one round at 1k.
  results.coldWork = await coldWorkBench({
    sizes: QUICK ? [1_000] : SIZES.filter((n) => n >= 10_000),
    rounds: QUICK ? 1 : 3,
    log,
  });
  if (!process.env.BENCH_SIZES) results.synth = await synthBench(SYNTH_SIZES);
  if (!process.env.BENCH_SIZES) {
    results.probe = await probeBench();
    results.exporter = await exporterBench({ log, kind: "http" });
    // Deep MCP probes (health, handshake, tools/list, session ended) per minute one exporter sustains, issue #26.
    results.exporterMcp = await exporterBench({ log, kind: "mcp" });
    results.client = await clientBench({ log });
    results.startup = await startupBench({ runs: QUICK ? 3 : 9 });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
results.totalSeconds = Math.round((Date.now() - started) / 1000);

const md = [
  `# Benchmark results`,
  "",
  `Measured by \`npm run bench\` on ${results.platform}, Node ${results.node}; each figure is the median wall time of whole processes (3 runs; 9 for start-up), with the peak RSS of any run. Total run: ${results.totalSeconds} s.`,
  "",
  "## Manifests: Tollgate vs the floor and the peers",
  "",
  "| secrets (services) | floor: bare yaml | tollgate validate | × floor | tollgate check, all policies | × floor | tollgate check, five checks | Spectral, five checks | Spectral ÷ Tollgate | ajv-cli, schema only | same findings |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ...results.scale.map(
    (r) =>
      `| ${r.secrets.toLocaleString("en")} (${r.services.toLocaleString("en")}) | ${r.floor.medianMs} ms, ${r.floor.peakRssMb} MB | ${r.validate.medianMs} ms, ${r.validate.peakRssMb} MB | ${r.ratios.validateVsFloor} | ${r.checkAll.medianMs} ms, ${r.checkAll.peakRssMb} MB | ${r.ratios.checkVsFloor} | ${r.checkFive.medianMs} ms, ${r.checkFive.peakRssMb} MB | ${r.spectral.medianMs} ms, ${r.spectral.peakRssMb} MB | ${r.ratios.spectralVsTollgate} | ${r.ajv.medianMs} ms, ${r.ajv.peakRssMb} MB | ${r.sameFindings.equal ? `yes (${r.sameFindings.tollgate})` : "NO"} |`,
  ),
  "",
  parseMarkdown(results),
  ...resultCacheMarkdown(results.resultCache),
  ...coldWorkMarkdown(results.coldWork),
  ...synthMarkdown(results.synth),
  "## Probe throughput",
  "",
  `${results.probe.endpoints} HTTP endpoints on 127.0.0.1 answering after ${results.probe.delayMs} ms, concurrency ${results.probe.concurrency}: ideal bound ceil(${results.probe.endpoints}/${results.probe.concurrency}) × ${results.probe.delayMs} ms = ${results.probe.idealMs} ms.`,
  "",
  "| `tollgate probe`, whole process | start-up + loading the manifest (`validate`) | ÷ (ideal + start-up) | probe work alone | ÷ ideal | peak RSS |",
  "|---:|---:|---:|---:|---:|---:|",
  `| ${results.probe.medianMs} ms | ${results.probe.startAndLoadMs} ms | ${results.probe.wholeVsIdealPlusStart} | ${results.probe.probeWorkMs} ms | ${results.probe.probeWorkVsIdeal} | ${results.probe.peakRssMb} MB |`,
  "",
  ...(results.exporter
    ? [
        "## Exporter throughput (`tollgate serve`)",
        "",
        `One exporter (--max-concurrent ${results.exporter.concurrency}), ${results.exporter.concurrency} concurrent scrapes of /probe over ${results.exporter.services} services whose endpoints answer after ${results.exporter.delayMs} ms, for ${results.exporter.seconds} s: ideal bound ${results.exporter.concurrency} / ${results.exporter.delayMs} ms = ${results.exporter.idealPerSecond} probes/s.`,
        "",
        "| probes/s | ÷ ideal | probes/min | failed | exporter CPU (cores) | CPU per probe |",
        "|---:|---:|---:|---:|---:|---:|",
        `| ${results.exporter.probesPerSecond} | ${results.exporter.vsIdeal} | ${results.exporter.probesPerMinute.toLocaleString("en")} | ${results.exporter.failed} | ${results.exporter.exporterCpuCores} | ${results.exporter.cpuMsPerProbe} ms |`,
        "",
      ]
    : []),
  ...(results.exporterMcp
    ? [
        "## Deep MCP probes through the exporter (issue #26)",
        "",
        `The same exporter and load, each service an MCP server (SDK v2 client: health, handshake, tools/list, the session ended with DELETE) whose every request answers after ${results.exporterMcp.delayMs} ms; ${results.exporterMcp.services} services, ${results.exporterMcp.concurrency} concurrent scrapes, for ${results.exporterMcp.seconds} s: ideal bound ${results.exporterMcp.concurrency} / ${results.exporterMcp.delayMs} ms = ${results.exporterMcp.idealPerSecond} probes/s.`,
        "",
        "| probes/s | ÷ ideal | probes/min | failed | exporter CPU (cores) | CPU per probe |",
        "|---:|---:|---:|---:|---:|---:|",
        `| ${results.exporterMcp.probesPerSecond} | ${results.exporterMcp.vsIdeal} | ${results.exporterMcp.probesPerMinute.toLocaleString("en")} | ${results.exporterMcp.failed} | ${results.exporterMcp.exporterCpuCores} | ${results.exporterMcp.cpuMsPerProbe} ms |`,
        "",
      ]
    : []),
  ...clientMarkdown(results.client),
  ...startupMarkdown(results.startup),
].join("\n");

if (process.env.BENCH_SIZES) {
  process.stdout.write(
    `${JSON.stringify(
      results.scale.map((r) => ({
        secrets: r.secrets,
        floor: r.floor.medianMs,
        validate: r.validate.medianMs,
        checkAll: r.checkAll.medianMs,
        checkFive: r.checkFive.medianMs,
        spectral: r.spectral.medianMs,
        ajv: r.ajv.medianMs,
        jsyaml: r.parse.jsyaml.medianMs,
        ...r.parseRatios,
        rss: { validate: r.validate.peakRssMb, checkAll: r.checkAll.peakRssMb },
      })),
      null,
      1,
    )}\n`,
  );
  if (results.bigFile) process.stdout.write(`${JSON.stringify({ bigFile: results.bigFile }, null, 1)}\n`);
  process.stdout.write(parseMarkdown(results));
  writeFileSync(
    path.join(ROOT, "bench/parse-results.json"),
    `${JSON.stringify({ scale: results.scale, bigFile: results.bigFile }, null, 2)}\n`,
  );
  process.exit(0);
}
if (!QUICK) {
  writeFileSync(path.join(ROOT, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(ROOT, "bench/results.md"), md);
}
process.stdout.write(md);
