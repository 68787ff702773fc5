#!/usr/bin/env node
// `npm run demo`: the README's "See it work" stack in one command, on 127.0.0.1 only, in a FRESH
// temporary folder every time (no stale alerts, no notification log from an earlier run):
// the local fixture organization synthesized, its stand-in services and PagerDuty/Slack sinks,
// the generated crontab's probe line run every few seconds, Prometheus, Alertmanager and the
// blackbox exporter the generated prometheus.yml points at. Ctrl-C (or SIGTERM) stops every
// process it started and removes the folder.
//
//   node scripts/demo.mjs                fixed ports, as in the README (UI on :19090 and :19093)
//   node scripts/demo.mjs --free-ports   any free ports (the test uses this)
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { FIXED_PORTS, startStandIns } from "../test/e2e/stand-ins.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(REPO, "bin", "tollgate.js");
const HOOK_SECRET = process.env.TOLLGATE_TEST_HOOK_SECRET ?? "local-demo-secret";
const FREE = process.argv.includes("--free-ports");
const CADENCE_MS = 2_000;

const say = (m) => process.stdout.write(`${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
function tool(name) {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (!found)
    throw new Error(
      `${name} is not installed: apt-get install prometheus prometheus-alertmanager prometheus-blackbox-exporter`,
    );
  return found;
}
function editYaml(file, edit) {
  const doc = parseDocument(readFileSync(file, "utf8"));
  edit(doc);
  writeFileSync(file, doc.toString());
}

const dir = mkdtempSync(path.join(tmpdir(), "tollgate-demo-"));
const children = [];
let standIns;
let probing = true;
let probeLoop = Promise.resolve();
let stopping;

function stop(code = 0) {
  stopping ??= (async () => {
    probing = false;
    await probeLoop.catch(() => undefined);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    await Promise.all(
      children.map(
        (c) =>
          new Promise((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r();
            const t = setTimeout(() => c.kill("SIGKILL"), 10_000);
            c.once("exit", () => {
              clearTimeout(t);
              r();
            });
          }),
      ),
    );
    await standIns?.close();
    rmSync(dir, { recursive: true, force: true });
    say(`tollgate demo stopped; removed ${dir}`);
    process.exit(code);
  })();
  return stopping;
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

function start(name, cmd, args, cwd) {
  const log = createWriteStream(path.join(dir, "logs", `${name}.log`));
  const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.once("exit", (code, signal) => {
    if (probing) {
      say(`${name} exited early (${code ?? signal}); see ${dir}/logs/${name}.log`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function waitReady(name, url) {
  for (let i = 0; i < 600; i++) {
    if ((await fetch(url).catch(() => undefined))?.ok) return;
    await sleep(250);
  }
  throw new Error(`${name} did not become ready at ${url}`);
}

try {
  for (const sub of ["logs", "textfile", "state", "prom-data", "am-data"]) mkdirSync(path.join(dir, sub));
  const org = path.join(dir, "org");
  spawnSync("cp", ["-R", path.join(REPO, "test/fixtures/orgs/local"), org]);
  writeFileSync(path.join(dir, "pagerduty-key"), "demo-routing-key\n");

  const ports = FREE ? Object.fromEntries(Object.keys(FIXED_PORTS).map((k) => [k, 0])) : FIXED_PORTS;
  standIns = await startStandIns({
    ports,
    textfileDir: path.join(dir, "textfile"),
    hookSecret: HOOK_SECRET,
    log: (m) => say(`  [stand-ins] ${m}`),
  });
  const p = standIns.ports;
  const prom = FREE ? await freePort() : 19090;
  const am = FREE ? await freePort() : 19093;
  const blackbox = FREE ? await freePort() : 19115;

  // Per-environment overrides only: this run's folder, ports and this checkout's CLI.
  editYaml(path.join(org, "manifests/services.yaml"), (doc) => {
    doc.setIn(["services", "api", "endpoints", "local", "url"], `http://127.0.0.1:${p.api}/health`);
    doc.setIn(["services", "payments", "endpoints", "local", "url"], `http://127.0.0.1:${p.payments}/health`);
    doc.setIn(
      ["services", "rag-mcp", "endpoints", "local"],
      doc.createNode({ url: `http://127.0.0.1:${p.rag}/mcp`, health: `http://127.0.0.1:${p.rag}/health` }),
    );
    doc.setIn(["services", "hook", "endpoints", "local", "url"], `http://127.0.0.1:${p.hook}/webhook`);
  });
  editYaml(path.join(org, "manifests/environments.yaml"), (doc) => {
    doc.setIn(["environments", "local", "monitoring", "alertmanager"], `127.0.0.1:${am}`);
    doc.setIn(["environments", "local", "monitoring", "nodeExporter"], `127.0.0.1:${p.exporter}`);
    doc.setIn(["environments", "local", "monitoring", "blackboxExporter"], `127.0.0.1:${blackbox}`);
    doc.setIn(
      ["environments", "local", "runtime"],
      doc.createNode({
        workdir: org,
        textfileDir: path.join(dir, "textfile"),
        stateDir: path.join(dir, "state"),
        command: [process.execPath, BIN],
      }),
    );
    doc.setIn(
      ["environments", "local", "channels", "pagerduty-oncall"],
      doc.createNode({
        url: `http://127.0.0.1:${p.pagerduty}/pagerduty`,
        credentialsFile: path.join(dir, "pagerduty-key"),
      }),
    );
    doc.setIn(
      ["environments", "local", "channels", "slack-platform"],
      doc.createNode({ url: `http://127.0.0.1:${p.slack}/slack` }),
    );
  });

  const out = path.join(dir, "out");
  const synth = spawnSync(process.execPath, [BIN, "synth", "--root", org, "--env", "local", "--out", out], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (synth.status !== 0) throw new Error(`synth failed:\n${synth.stdout}${synth.stderr}`);
  const config = path.join(out, "config/local");

  start(
    "prometheus",
    tool("prometheus"),
    ["--config.file=prometheus.yml", `--storage.tsdb.path=${dir}/prom-data`, `--web.listen-address=127.0.0.1:${prom}`],
    path.join(config, "prometheus"),
  );
  start(
    "alertmanager",
    tool("prometheus-alertmanager"),
    [
      "--config.file=alertmanager.yml",
      `--storage.path=${dir}/am-data`,
      `--web.listen-address=127.0.0.1:${am}`,
      "--cluster.listen-address=",
    ],
    path.join(config, "alertmanager"),
  );
  if (readFileSync(path.join(config, "prometheus/prometheus.yml"), "utf8").includes("tollgate-blackbox")) {
    start(
      "blackbox",
      tool("prometheus-blackbox-exporter"),
      ["--config.file=blackbox.yml", `--web.listen-address=127.0.0.1:${blackbox}`],
      path.join(config, "blackbox"),
    );
    await waitReady("blackbox exporter", `http://127.0.0.1:${blackbox}/metrics`);
  }
  await waitReady("prometheus", `http://127.0.0.1:${prom}/-/ready`);
  await waitReady("alertmanager", `http://127.0.0.1:${am}/-/ready`);

  // The generated crontab's probe line, run as written (`sh -c`, as cron does), every few seconds.
  const crontab = readFileSync(path.join(config, "cron/crontab"), "utf8").split("\n");
  const command = crontab[crontab.findIndex((l) => l.startsWith("# probe:")) + 2].replace(/^(\S+ ){5}/, "");
  probeLoop = (async () => {
    while (probing) {
      const child = spawn("/bin/sh", ["-c", command], {
        cwd: "/",
        env: { PATH: process.env.PATH, TOLLGATE_TEST_HOOK_SECRET: HOOK_SECRET },
        stdio: "ignore",
      });
      await new Promise((r) => child.once("close", r));
      for (let waited = 0; probing && waited < CADENCE_MS; waited += 100) await sleep(100);
    }
  })();

  const control = `http://127.0.0.1:${p.exporter}/control`;
  say(`Prometheus:   http://127.0.0.1:${prom}/alerts`);
  say(`Alertmanager: http://127.0.0.1:${am}`);
  say(`probe (from the generated crontab, every ${CADENCE_MS / 1000} s): ${command}`);
  say(`break things: curl -X POST '${control}?apiFailing=1'    (ServiceDown api → PagerDuty sink; payments inhibited)`);
  say(`              curl -X POST '${control}?ragBroken=1'     (McpToolFailing rag-mcp → PagerDuty sink)`);
  say(`              curl -X POST '${control}?hookDelayMs=6000' (LatencyHigh hook → Slack sink)`);
  say(`              curl -X POST '${control}?apiFailing=0'    (resolved notification)`);
  say(`pids: ${[process.pid, ...children.map((c) => c.pid)].join(" ")}`);
  say(`tollgate demo ready in ${dir} (Ctrl-C stops everything and removes it)`);
} catch (e) {
  say(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
  await stop(1);
}
