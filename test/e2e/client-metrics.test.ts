/**
 * The client's metrics as Prometheus sees them: real traffic through @tollgate/client against the
 * simulators, the registry's exposition passes `promtool check metrics`, and a real Prometheus
 * scrapes every series under the names the dashboards use.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApiError, type ApiPolicy, createApiFetch } from "@tollgate/client";
import OpenAI from "openai";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClientPolicy } from "../../infra/generate/client-policies.js";
import { loadProject } from "../../load/loader.js";
import { type Simulator, startSimulator } from "../../checks/simulate/server.js";
import { REPO } from "../helpers/project.js";
import { requireTool } from "../helpers/tools.js";
import { freePort, waitFor } from "../helpers/wait.js";

const NAMES = [
  "tollgate_client_requests_total",
  "tollgate_client_request_duration_seconds_bucket",
  "tollgate_client_retries_total",
  "tollgate_client_throttle_waits_total",
  "tollgate_client_throttle_wait_seconds_total",
  "tollgate_client_circuit_state",
  "tollgate_client_tokens_total",
  "tollgate_client_spend_usd_total",
];

let dir: string;
let prom: ChildProcess | undefined;
let app: ReturnType<typeof createServer>;
const sims: Simulator[] = [];
const registry = new Registry();
let promUrl = "";

beforeAll(async () => {
  const prometheus = requireTool("prometheus");
  dir = await mkdtemp(path.join(tmpdir(), "tollgate-client-metrics-"));
  const { project } = await loadProject(REPO, { now: "2026-11-24" });
  const openaiPolicy = apiClientPolicy(project.model.apis.get("openai") as never) as unknown as ApiPolicy;

  // Traffic: OpenAI through the SDK (2xx, tokens, spend, throttle waits), a failing provider (5xx, retries, breaker).
  const openaiSim = await startSimulator({ api: "openai", provider: openaiPolicy.provider });
  const failing = await startSimulator({
    api: "chatwoot",
    provider: { model: "sliding-window", requests: null, tokens: null, concurrency: null },
    flavor: "generic",
    failureRate: 1,
  });
  sims.push(openaiSim, failing);
  const tight: ApiPolicy = {
    ...openaiPolicy,
    budget: { requests: { limit: 5, perMs: 1000 }, tokens: null, concurrency: null },
  };
  const client = new OpenAI({
    apiKey: "sk-simulated",
    baseURL: `${openaiSim.url}/v1`,
    maxRetries: 0,
    fetch: createApiFetch({ policy: tight, api: "openai", registry }),
  });
  await Promise.all(
    Array.from({ length: 8 }, () =>
      client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], max_tokens: 5 }),
    ),
  );
  const chatwoot: ApiPolicy = {
    provider: { model: "sliding-window", requests: null, tokens: null, concurrency: null },
    budget: { requests: null, tokens: null, concurrency: null },
    retry: { maxAttempts: 2, backoff: "constant", jitter: "none", baseDelayMs: 10, maxDelayMs: 10 },
    circuitBreaker: { failureThreshold: 2, resetMs: 600_000 },
  };
  const cw = createApiFetch({ policy: chatwoot, api: "chatwoot", registry });
  for (let i = 0; i < 2; i++) await cw(`${failing.url}/api`).catch((e) => expect(e).toBeInstanceOf(ApiError));

  app = createServer(async (_req, res) => {
    res.writeHead(200, { "content-type": registry.contentType });
    res.end(await registry.metrics());
  });
  const appPort = await freePort();
  await new Promise<void>((r) => app.listen(appPort, "127.0.0.1", () => r()));
  const promPort = await freePort();
  await writeFile(
    path.join(dir, "prometheus.yml"),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ["127.0.0.1:${appPort}"]\n`,
  );
  prom = spawn(
    prometheus,
    ["--config.file=prometheus.yml", `--storage.tsdb.path=${dir}/data`, `--web.listen-address=127.0.0.1:${promPort}`],
    { cwd: dir, stdio: "ignore" },
  );
  promUrl = `http://127.0.0.1:${promPort}`;
});

afterAll(async () => {
  if (prom) {
    const exited = new Promise((r) => prom?.once("exit", r));
    prom.kill("SIGTERM");
    await exited;
  }
  await new Promise((r) => (app ? app.close(r) : r(undefined)));
  for (const s of sims) await s.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function query(q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => null);
  if (!r?.ok) return [];
  return ((await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } })
    .data.result;
}

describe("client metrics", () => {
  it("the exposition passes promtool check metrics", async () => {
    const promtool = requireTool("promtool");
    const r = spawnSync(promtool, ["check", "metrics"], { input: await registry.metrics(), encoding: "utf8" });
    expect(`${r.stdout}${r.stderr}`.trim()).toBe("");
    expect(r.status).toBe(0);
  });

  it("real Prometheus scrapes every series with the dashboard's names and the traffic's values", async () => {
    const ok = await waitFor(
      "Prometheus scraped the app",
      async () => (await query('tollgate_client_requests_total{api="openai",status_class="2xx"}')).length > 0,
    );
    expect(ok).toBe(true);
    for (const name of NAMES) expect((await query(name)).length, name).toBeGreaterThan(0);
    const value = async (q: string) => Number((await query(q))[0]?.value[1]);
    expect(await value('tollgate_client_requests_total{api="openai",status_class="2xx"}')).toBe(8);
    expect(await value('tollgate_client_requests_total{api="chatwoot",status_class="5xx"}')).toBe(2);
    expect(await value('tollgate_client_requests_total{api="chatwoot",status_class="circuit_open"}')).toBe(1);
    expect(await value('tollgate_client_retries_total{api="chatwoot"}')).toBe(1);
    expect(await value('tollgate_client_circuit_state{api="chatwoot"}')).toBe(2);
    expect(await value('tollgate_client_throttle_waits_total{api="openai"}')).toBeGreaterThan(0);
    expect(await value('tollgate_client_tokens_total{api="openai",kind="completion"}')).toBe(40);
    expect(await value('tollgate_client_spend_usd_total{api="openai"}')).toBeGreaterThan(0);
    const p95 = await waitFor(
      "two scrapes for a rate",
      async () =>
        (
          await query(
            "histogram_quantile(0.95, sum by (le, api) (rate(tollgate_client_request_duration_seconds_bucket[1m])))",
          )
        ).length > 0 || undefined,
      60_000,
    );
    expect(p95).toBe(true);
  });
});
