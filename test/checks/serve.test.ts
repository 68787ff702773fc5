/**
 * tollgate serve against real servers on 127.0.0.1: the /probe answer for an HTTP service, a real
 * MCP server and a webhook is the textfile's series for that service; bad requests get 400 and
 * probe nothing; --max-concurrent queues (then 503s) instead of exceeding the limit; the scrape
 * timeout header bounds a probe of a hanging server.
 */
import type { ServerResponse } from "node:http";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, removeDir, runCli, writeProject } from "../helpers/project.js";
import { sample, scrape, startServe, type Served } from "../helpers/serve.js";
import { startHttp, startMcp, startWebhookReceiver, strictReceiverWebhook, type Running } from "../helpers/servers.js";
import { waitFor } from "../helpers/wait.js";
import { requireTool } from "../helpers/tools.js";
import { spawnSync } from "node:child_process";

/** `promtool check metrics` (the real one) on exposition text: exit code and what it complained about. */
function promtoolCheckMetrics(text: string): { code: number; out: string } {
  const r = spawnSync(requireTool("promtool"), ["check", "metrics"], {
    input: text,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}`.trim() };
}

const closers: (() => Promise<void> | void)[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  await Promise.all(dirs.map(removeDir));
});
async function keep<T extends Running>(p: Promise<T>): Promise<T> {
  const r = await p;
  closers.push(r.close);
  return r;
}
async function serve(
  services: Record<string, unknown>,
  args: string[] = [],
  env: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Promise<Served & { root: string }> {
  const root = await writeProject({
    "manifests/org.yaml": stringify({
      environments: { local: { deployed: true }, staging: { deployed: false } },
      services,
      ...extra,
    }),
  });
  dirs.push(root);
  const s = await startServe(root, args, env);
  closers.push(async () => {
    s.kill("SIGKILL");
    await s.exited;
  });
  return { ...s, root };
}

const secret = `whsec-${"Qz7k".repeat(8)}`;
const http = (url: string, healthCheck: Record<string, unknown> = {}) => ({
  kind: "http-api",
  owner: "t",
  tier: "high",
  endpoints: { local: { url } },
  healthCheck: { timeout: "30s", retries: 1, ...healthCheck },
});

/** A server that holds every request until release(), counting how many it holds at most. */
async function holdingServer() {
  const held: ServerResponse[] = [];
  let open = 0;
  let max = 0;
  let total = 0;
  const s = await keep(
    startHttp((_req, res) => {
      open++;
      total++;
      max = Math.max(max, open);
      res.on("close", () => open--);
      held.push(res);
    }),
  );
  return {
    ...s,
    held: () => held.length,
    max: () => max,
    total: () => total,
    release: () => {
      for (const r of held.splice(0)) r.end("ok");
    },
  };
}

describe("GET /probe?service=NAME", () => {
  let srv: Served & { root: string };
  let counter: Running & { hits: () => number };
  let hook: Running & { accepted: () => number };
  beforeAll(async () => {
    let hits = 0;
    counter = {
      ...(await keep(
        startHttp((_q, r) => {
          hits++;
          r.end("ok");
        }),
      )),
      hits: () => hits,
    };
    const mcp = await keep(startMcp());
    hook = await keep(startWebhookReceiver({ secret, strict: true }));
    srv = await serve(
      {
        api: http(`${counter.url}/healthy`),
        rag: {
          kind: "mcp",
          owner: "t",
          tier: "high",
          endpoints: { local: { url: `${mcp.url}/mcp`, health: `${mcp.url}/health` } },
          healthCheck: {
            timeout: "30s",
            retries: 1,
            mcp: {
              transport: "streamable-http",
              requiredTools: ["query_support"],
              smoke: { tool: "query_support", arguments: { query: "hi" } },
            },
          },
        },
        hook: {
          kind: "webhook",
          owner: "t",
          tier: "high",
          secrets: ["HOOK_SECRET"],
          endpoints: { local: { url: hook.url } },
          healthCheck: { timeout: "30s", retries: 1 },
        },
        elsewhere: { ...http(`${counter.url}/other`), endpoints: { staging: { url: `${counter.url}/other` } } },
      },
      [],
      { TG_HOOK_SECRET: secret },
      {
        secrets: { HOOK_SECRET: { service: "hook", requiredInProduction: false } },
        webhooks: {
          hook: strictReceiverWebhook(),
        },
      },
    );
  }, 120_000);

  it("answers the textfile's series for one service: HTTP, a real MCP server and a webhook with its security probes", async () => {
    for (const [service, kind] of [
      ["api", "http-api"],
      ["rag", "mcp"],
      ["hook", "webhook"],
    ] as const) {
      const r = await scrape(srv.url, service, 30);
      expect(r.status, r.body).toBe(200);
      expect(sample(r.body, "tollgate_probe_success", { env: "local", service, kind }), r.body).toBe(1);
      // Prometheus' own linter accepts every answer.
      expect(promtoolCheckMetrics(r.body), r.body).toEqual({ code: 0, out: "" });
      // The same series names and labels as `tollgate probe --format prometheus` for that service,
      // but the run's finish time: only the cron path's textfile needs it (the staleness alert).
      const file = await runCli(
        ["probe", "--root", srv.root, "--env", "local", "--service", service, "--format", "prometheus"],
        { env: { TG_HOOK_SECRET: secret } },
      );
      expect(file.code, file.stderr).toBe(0);
      expect(promtoolCheckMetrics(file.stdout), file.stdout).toEqual({ code: 0, out: "" });
      expect(sample(file.stdout, "tollgate_probe_last_run_timestamp_seconds", { env: "local" })).toBeGreaterThan(0);
      const series = (t: string) =>
        t
          .split("\n")
          .filter((l) => l && !l.startsWith("#") && !l.startsWith("tollgate_probe_last_run_"))
          .map((l) => l.replace(/ \S+$/, ""))
          .sort();
      expect(series(r.body)).toEqual(series(file.stdout));
    }
    expect(hook.accepted()).toBeGreaterThan(0);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    expect(
      sample(metrics, "tollgate_exporter_probe_duration_seconds_count", { status: "healthy" }),
    ).toBeGreaterThanOrEqual(3);
    expect(sample(metrics, "process_resident_memory_bytes")).toBeGreaterThan(0);
    // Clean for promtool: prom-client's gauges named like counters (nodejs_active_*_total) are dropped.
    expect(promtoolCheckMetrics(metrics), metrics).toEqual({ code: 0, out: "" });
    expect(metrics).toMatch(/^nodejs_active_handles\{/m);
    // No series carries a server's text, so a secret check here could not fail: serve-debug.test.ts
    // has a server echo the token into the detail that /probe?debug=true prints.
  }, 120_000);

  it("answers 400 and probes nothing for a missing, unknown or URL-shaped service, or one without an endpoint in the environment", async () => {
    const before = counter.hits();
    for (const [service, query] of [
      ["", "x=1"],
      ["nope", undefined],
      [`${counter.url}/healthy`, undefined],
      ["elsewhere", undefined],
      ["", "service=api&service=rag"],
      ["", "service="],
    ] as const) {
      const r = await scrape(srv.url, service, 5, query);
      expect(r.status, `${service} ${query}: ${r.body}`).toBe(400);
    }
    const bad = await fetch(`${srv.url}/probe?service=api`, {
      headers: { "X-Prometheus-Scrape-Timeout-Seconds": "soon" },
    });
    expect(bad.status).toBe(400);
    expect(counter.hits()).toBe(before);
    expect((await fetch(`${srv.url}/probe?service=api`, { method: "POST" })).status).toBe(405);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    expect(sample(metrics, "tollgate_exporter_probe_requests_total", { code: "400" })).toBe(7);
  }, 60_000);

  it("/-/healthy and /-/ready answer 200", async () => {
    expect((await fetch(`${srv.url}/-/healthy`)).status).toBe(200);
    expect((await fetch(`${srv.url}/-/ready`)).status).toBe(200);
    expect((await fetch(`${srv.url}/nothing-here`)).status).toBe(404);
  });
});

describe("--max-concurrent", () => {
  it("never has more probes in flight than the limit: the rest wait for a slot and are answered", async () => {
    const h = await holdingServer();
    const srv = await serve(
      {
        a: http(`${h.url}/a`),
        b: http(`${h.url}/b`),
        c: http(`${h.url}/c`),
        d: http(`${h.url}/d`),
        e: http(`${h.url}/e`),
      },
      ["--max-concurrent", "2"],
    );
    const answers = Promise.all(["a", "b", "c", "d", "e"].map((s) => scrape(srv.url, s, 120)));
    await waitFor(
      "two probes held and three queued",
      async () => {
        const m = await (await fetch(`${srv.url}/metrics`)).text();
        return (
          h.held() === 2 &&
          sample(m, "tollgate_exporter_probes_queued") === 3 &&
          sample(m, "tollgate_exporter_probes_in_flight") === 2
        );
      },
      60_000,
      50,
    );
    // Release in rounds: each freed slot lets exactly one queued probe reach the server.
    while (h.total() < 5 || h.held() > 0) {
      h.release();
      await waitFor("the next probes reach the server or finish", () => h.held() > 0 || h.total() === 5, 60_000, 20);
    }
    const rs = await answers;
    for (const r of rs) expect(sample(r.body, "tollgate_probe_success"), r.body).toBe(1);
    expect(h.max()).toBe(2);
    expect(h.total()).toBe(5);
  }, 120_000);

  it("a request that finds no free slot within its scrape budget gets 503 (a failed scrape, not a late one)", async () => {
    const h = await holdingServer();
    const srv = await serve({ a: http(`${h.url}/a`), b: http(`${h.url}/b`) }, ["--max-concurrent", "1"]);
    const first = scrape(srv.url, "a", 120);
    await waitFor("the first probe held", () => h.held() === 1, 60_000, 20);
    const second = await scrape(srv.url, "b", 1);
    expect(second.status).toBe(503);
    expect(h.total()).toBe(1);
    h.release();
    expect(sample((await first).body, "tollgate_probe_success")).toBe(1);
    const m = await (await fetch(`${srv.url}/metrics`)).text();
    expect(sample(m, "tollgate_exporter_probes_rejected_total", { reason: "queue-timeout" })).toBe(1);
  }, 120_000);
});

describe("X-Prometheus-Scrape-Timeout-Seconds", () => {
  it("bounds the probe: a hanging server is reported as past the deadline within the scrape budget", async () => {
    const h = await holdingServer();
    // The service's own timeout (10 min) would wait far longer than the scrape allows.
    const srv = await serve({ stuck: http(`${h.url}/stuck`, { timeout: "10m" }) });
    const r = await scrape(srv.url, "stuck", 2);
    expect(r.status).toBe(200);
    expect(sample(r.body, "tollgate_probe_success", { service: "stuck" })).toBe(0);
    expect(sample(r.body, "tollgate_probe_failed_stage", { service: "stuck", stage: "deadline" })).toBe(1);
    expect(h.total()).toBe(1);
    // The exporter's own errors-by-stage counter (issue 15's /metrics) counts the failure at its stage.
    const m = await (await fetch(`${srv.url}/metrics`)).text();
    expect(sample(m, "tollgate_exporter_probe_errors_total", { stage: "deadline" })).toBe(1);
  }, 120_000);
});

describe("the reference organization", () => {
  it("its reserved .example endpoints are not probeable: never contacted, no series (no alert), a child is probed, not skipped", async () => {
    const srv = await startServe(REPO, ["--env", "staging"]);
    closers.push(async () => {
      srv.kill("SIGKILL");
      await srv.exited;
    });
    for (const service of ["chatwoot", "llamaindex-rag-mcp"]) {
      const r = await scrape(srv.url, service, 10);
      expect(r.status).toBe(200);
      expect(sample(r.body, "tollgate_probe_success", { env: "staging", service }), r.body).toBeUndefined();
      expect(sample(r.body, "tollgate_probe_skipped", { service }), r.body).toBeUndefined();
      expect(promtoolCheckMetrics(r.body), r.body).toEqual({ code: 0, out: "" });
    }
  }, 120_000);
});
