// Exporter throughput: one `tollgate serve` process (--max-concurrent 100) scraped by 100
// concurrent clients, each GET /probe?service=NAME probing a loopback endpoint that answers after
// 50 ms. Ideal bound: concurrency / latency = 2,000 probes/s. Also reports the exporter's CPU time
// per probe (from its own /metrics), which decides how many probes a core sustains.
// usage: node bench/exporter.mjs  (EXPORTER_SECONDS=10 by default, EXPORTER_KIND=mcp for deep MCP
// probes, each request to the stand-in answered after 50 ms; prints JSON). Traffic only to 127.0.0.1.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/tollgate.js");

function get(agent, port, p, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: p, agent, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", reject);
  });
}

const cpuSeconds = async (agent, port) =>
  Number(/^process_cpu_seconds_total (\S+)$/m.exec((await get(agent, port, "/metrics")).body)?.[1]);

/** A stateless MCP server (the SDK's, over Streamable HTTP) answering every request after `delayMs`. */
async function mcpHandler(delayMs) {
  const { McpServer } = await import("@modelcontextprotocol/sdk/server/mcp.js");
  const { StreamableHTTPServerTransport } = await import("@modelcontextprotocol/sdk/server/streamableHttp.js");
  const { z } = await import("zod");
  return (req, res) =>
    setTimeout(async () => {
      if (!req.url.endsWith("/mcp")) return res.end("ok");
      const server = new McpServer({ name: "bench", version: "1.0.0" });
      server.registerTool("query_support", { description: "bench", inputSchema: { query: z.string() } }, async () => ({
        content: [{ type: "text", text: "ok" }],
      }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
    }, delayMs);
}

const MCP_CHECK =
  "{ timeout: 5s, retries: 1, mcp: { transport: streamable-http, requiredTools: [query_support], smoke: { tool: query_support, arguments: { query: hi } } } }";

/** kind "http" (default) or "mcp": every probe then runs health, initialize, ping, tools/list and a tool call. */
export async function exporterBench({
  services = 1000,
  concurrency = 100,
  delayMs = 50,
  seconds = Number(process.env.EXPORTER_SECONDS ?? 10),
  kind = process.env.EXPORTER_KIND ?? "http",
  log = () => {},
} = {}) {
  const backend = http.createServer(
    kind === "mcp" ? await mcpHandler(delayMs) : (_req, res) => setTimeout(() => res.end("ok"), delayMs),
  );
  backend.maxConnections = 10_000;
  await new Promise((r) => backend.listen(0, "127.0.0.1", r));
  const port = backend.address().port;
  const dir = mkdtempSync(path.join(tmpdir(), "tollgate-bench-exporter-"));
  const names = Array.from({ length: services }, (_, i) => `ep-${String(i).padStart(5, "0")}`);
  const yaml = names
    .map((n, i) =>
      kind === "mcp"
        ? `  ${n}:\n    kind: mcp\n    owner: bench\n    tier: low\n    endpoints: { local: { url: "http://127.0.0.1:${port}/ep/${i}/mcp", health: "http://127.0.0.1:${port}/ep/${i}/health" } }\n    healthCheck: ${MCP_CHECK}`
        : `  ${n}:\n    kind: http-api\n    owner: bench\n    tier: low\n    endpoints: { local: { url: "http://127.0.0.1:${port}/ep/${i}" } }\n    healthCheck: { timeout: 5s, retries: 1 }`,
    )
    .join("\n");
  mkdirSync(path.join(dir, "manifests"), { recursive: true });
  writeFileSync(
    path.join(dir, "manifests/org.yaml"),
    `environments:\n  local: { deployed: true }\nservices:\n${yaml}\n`,
  );
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--root", dir, "--env", "local", "--listen", "127.0.0.1:0", "--max-concurrent", String(concurrency)],
    { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
  );
  let err = "";
  const exporterPort = await new Promise((resolve, reject) => {
    child.stderr.on("data", (d) => {
      err += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolve(Number(m[1]));
    });
    child.on("close", (code) => reject(new Error(`tollgate serve exited ${code}: ${err.slice(0, 500)}`)));
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency + 4 });
  let next = 0;
  let ok = 0;
  let failed = 0;
  let counting = false;
  let firstFailure;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const r = await get(agent, exporterPort, `/probe?service=${names[next++ % names.length]}`, {
        "X-Prometheus-Scrape-Timeout-Seconds": "10",
      });
      const good = r.status === 200 && /^tollgate_probe_success\{[^}]*\} 1$/m.test(r.body);
      if (!good && !firstFailure)
        firstFailure = `${r.status} ${/^tollgate_probe_failed_stage\{.*$/m.exec(r.body)?.[0] ?? r.body.slice(0, 200)}`;
      if (counting) good ? ok++ : failed++;
    }
  };
  log(
    `exporter (${kind}): ${services} services answering after ${delayMs} ms, ${concurrency} concurrent scrapes, ${seconds} s`,
  );
  const workers = Array.from({ length: concurrency }, worker);
  await new Promise((r) => setTimeout(r, 1500)); // warm-up: connections, JIT, the MCP-free probe path
  const cpu0 = await cpuSeconds(agent, exporterPort);
  counting = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu1 = await cpuSeconds(agent, exporterPort);
  stop = true;
  await Promise.all(workers);
  child.kill("SIGTERM");
  await new Promise((r) => child.on("close", r));
  agent.destroy();
  backend.close();
  rmSync(dir, { recursive: true, force: true });
  const probesPerSecond = Math.round(ok / elapsed);
  const ideal = Math.round(concurrency / (delayMs / 1000));
  const cpuMsPerProbe = +(((cpu1 - cpu0) * 1000) / Math.max(1, ok)).toFixed(2);
  const result = {
    kind,
    services,
    concurrency,
    delayMs,
    seconds: +elapsed.toFixed(1),
    probes: ok,
    failed,
    probesPerSecond,
    idealPerSecond: ideal,
    vsIdeal: +(probesPerSecond / ideal).toFixed(2),
    probesPerMinute: probesPerSecond * 60,
    exporterCpuCores: +((cpu1 - cpu0) / elapsed).toFixed(2),
    cpuMsPerProbe,
  };
  if (firstFailure) log(`  first failed answer: ${firstFailure}`);
  log(
    `  ${probesPerSecond} probes/s (${result.vsIdeal} of the ideal ${ideal}/s), ${failed} failed, exporter CPU ${result.exporterCpuCores} cores, ${cpuMsPerProbe} ms CPU per probe`,
  );
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await exporterBench({ log: (m) => process.stderr.write(`${m}\n`) });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  if (r.failed) process.exitCode = 1;
}
