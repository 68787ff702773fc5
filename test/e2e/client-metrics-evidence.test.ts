/**
 * Live proof of the client's metrics, with real parts: a prom-client registry carrying the
 * @tollgate/client series (exact names, incremented here as traffic) served over HTTP on
 * 127.0.0.1; `tollgate synth` scrapes that declared endpoint and Debian's prometheus runs the
 * generated config, and every query of the new client panels returns data; `tollgate probe` reads
 * the endpoint and `check --probe-results` decides client-no-metrics by what it found.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLIENT_METRICS } from "../../model/metrics.js";
import { NOW, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";
import { sample, scrape, startServe } from "../helpers/serve.js";
import { requireTool } from "../helpers/tools.js";
import { freePort, waitFor } from "../helpers/wait.js";
import { editYaml } from "../helpers/yaml-edit.js";

describe("client metrics: scraped by Prometheus, proven by the probe, judged by check", () => {
  let dir: string;
  let app: Server;
  let prom: ChildProcess | undefined;
  let promUrl: string;
  let traffic: NodeJS.Timeout;
  let startedAt: number;
  let config: string;

  beforeAll(async () => {
    const prometheus = requireTool("prometheus");
    // The app: its own registry with the client's series, as @tollgate/client registers them.
    const registry = new Registry();
    const requests = new Counter({
      name: CLIENT_METRICS.requests,
      help: "h",
      labelNames: ["api", "status_class"],
      registers: [registry],
    });
    const duration = new Histogram({
      name: CLIENT_METRICS.duration,
      help: "h",
      labelNames: ["api"],
      buckets: [0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });
    const retries = new Counter({
      name: CLIENT_METRICS.retries,
      help: "h",
      labelNames: ["api"],
      registers: [registry],
    });
    const waits = new Counter({
      name: CLIENT_METRICS.throttleWaits,
      help: "h",
      labelNames: ["api"],
      registers: [registry],
    });
    const waitSeconds = new Counter({
      name: CLIENT_METRICS.throttleWaitSeconds,
      help: "h",
      labelNames: ["api"],
      registers: [registry],
    });
    const circuit = new Gauge({
      name: CLIENT_METRICS.circuitState,
      help: "h",
      labelNames: ["api"],
      registers: [registry],
    });
    const spend = new Counter({ name: CLIENT_METRICS.spendUsd, help: "h", labelNames: ["api"], registers: [registry] });
    circuit.set({ api: "openai" }, 0);
    let n = 0;
    traffic = setInterval(() => {
      n++;
      requests.inc({ api: "openai", status_class: n % 10 === 0 ? "4xx" : "2xx" });
      duration.observe({ api: "openai" }, 0.04 + (n % 7) * 0.05);
      if (n % 10 === 0) retries.inc({ api: "openai" });
      if (n % 5 === 0) {
        waits.inc({ api: "openai" });
        waitSeconds.inc({ api: "openai" }, 0.2);
      }
      spend.inc({ api: "openai" }, 0.01);
    }, 100);
    app = createServer(async (req, res) => {
      if (req.url !== "/metrics") return res.writeHead(404).end();
      res.writeHead(200, { "content-type": registry.contentType }).end(await registry.metrics());
    });
    await new Promise<void>((r) => app.listen(0, "127.0.0.1", r));
    const endpoint = `http://127.0.0.1:${(app.address() as { port: number }).port}/metrics`;

    dir = await copyReferenceOrg();
    await editYaml(path.join(dir, "manifests/apis.yaml"), (doc) => {
      doc.setIn(["apis", "openai", "client", "metricsEndpoint"], doc.createNode({ staging: endpoint }));
      // Same app, but it has no client for chatwoot: the probe finds no series for it.
      doc.setIn(["apis", "chatwoot", "client", "metricsEndpoint"], doc.createNode({ staging: endpoint }));
      // A placeholder on a reserved name: never contacted, no evidence.
      doc.setIn(
        ["apis", "google-analytics", "client", "metricsEndpoint"],
        doc.createNode({ staging: "https://app.hotdash.example/metrics" }),
      );
    });
    await editYaml(path.join(dir, "manifests/environments.yaml"), (doc) => {
      doc.setIn(["environments", "staging", "monitoring", "scrapeInterval"], "1s");
      doc.setIn(["environments", "staging", "monitoring", "evaluationInterval"], "1s");
    });
    const out = path.join(dir, "cdktf.out");
    const r = await runCli(["synth", "--env", "staging", "--now", NOW, "--out", out], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    config = path.join(out, "config/staging");
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    prom = spawn(
      prometheus,
      [
        "--config.file=prometheus.yml",
        `--storage.tsdb.path=${dir}/prom-data`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { cwd: path.join(config, "prometheus"), stdio: "ignore" },
    );
    startedAt = Date.now() / 1000;
  }, 180_000);

  afterAll(async () => {
    clearInterval(traffic);
    prom?.kill();
    await new Promise((r) => app?.close(r));
    if (dir) await removeDir(dir);
  });

  const api = async (p: string) => {
    const res = await fetch(`${promUrl}${p}`).catch(() => undefined);
    // 503 while Prometheus starts; 400 (bad_data) carries the parse error.
    return res && (res.ok || res.status === 400) ? ((await res.json()) as any) : undefined;
  };

  it("every query of the new client panels returns data for the app's traffic", async () => {
    const dash = JSON.parse(readFileSync(path.join(config, "grafana/dashboards/tollgate-staging.json"), "utf8"));
    // The panels under the openai client row, up to the next row.
    const start = dash.panels.findIndex((p: any) => p.type === "row" && p.title === "openai client (@tollgate/client)");
    expect(start).toBeGreaterThanOrEqual(0);
    const next = dash.panels.findIndex((p: any, i: number) => i > start && p.type === "row");
    const panels = dash.panels.slice(start + 1, next < 0 ? undefined : next);
    expect(panels.map((p: any) => p.title)).toEqual([
      "openai: client latency P50 / P95 / P99",
      "openai: client success and 4xx ratios",
      "openai: client retries and throttle waits",
      "openai: circuit breaker",
      "openai: metered spend against the monthly budget",
    ]);
    const queries = panels.flatMap((p: any) =>
      p.targets.map((t: any) => ({ panel: p.title, expr: t.expr as string, instant: !!t.instant })),
    );
    expect(queries.length).toBe(12);
    for (const q of queries) {
      const data = await waitFor(
        `${q.panel}: ${q.expr}`,
        async () => {
          const end = Date.now() / 1000;
          const body = q.instant
            ? await api(`/api/v1/query?query=${encodeURIComponent(q.expr)}`)
            : await api(`/api/v1/query_range?query=${encodeURIComponent(q.expr)}&start=${startedAt}&end=${end}&step=1`);
          if (body?.status === "error") throw new Error(`${q.expr}: ${body.error}`);
          return body?.data?.result?.length > 0 ? body.data.result : undefined;
        },
        120_000,
        1000,
      );
      expect(data.length, q.expr).toBeGreaterThan(0);
    }
  }, 300_000);

  it("probe finds the openai series, none for chatwoot, and leaves the reserved name alone", async () => {
    const file = path.join(dir, "probe.json");
    await runCli(["probe", "--env", "staging", "--now", NOW, "--format", "json", "--output", file], { cwd: dir });
    const run = JSON.parse(readFileSync(file, "utf8"));
    const byApi = Object.fromEntries(run.clientMetrics.map((e: any) => [e.api, e]));
    expect(byApi.openai.present).toBe(true);
    expect(byApi.chatwoot.present).toBe(false);
    expect(byApi.chatwoot.detail).toContain('api="chatwoot"');
    // A reserved placeholder name is not contacted and gives no evidence (the boolean decides below).
    expect(byApi["google-analytics"]).toBeUndefined();
    const p = await runCli(["probe", "--env", "staging", "--now", NOW, "--format", "prometheus"], { cwd: dir });
    expect(p.stdout).toContain('tollgate_client_metrics_present{env="staging",api="openai"} 1');
    expect(p.stdout).toContain('tollgate_client_metrics_present{env="staging",api="chatwoot"} 0');

    // Without evidence the boolean decides (every reference client says metrics: false) ...
    const claimed = await runCli(["check", "--env", "staging", "--now", NOW, "--format", "json", "--no-cache"], {
      cwd: dir,
    });
    const noMetrics = (out: string) => JSON.parse(out).findings.filter((f: any) => f.ruleId === "client-no-metrics");
    expect(
      noMetrics(claimed.stdout)
        .map((f: any) => f.subject)
        .sort(),
    ).toEqual(["api/chatwoot", "api/google-analytics", "api/openai", "api/shopify-admin"]);
    // ... with it, what the probe saw: openai is measured, chatwoot is not; google-analytics (no evidence) keeps its boolean.
    const proven = await runCli(
      ["check", "--env", "staging", "--now", NOW, "--format", "json", "--no-cache", "--probe-results", file],
      { cwd: dir },
    );
    const found = noMetrics(proven.stdout);
    expect(found.map((f: any) => f.subject).sort()).toEqual([
      "api/chatwoot",
      "api/google-analytics",
      "api/shopify-admin",
    ]);
    expect(found.find((f: any) => f.subject === "api/chatwoot").message).toContain(
      "no client metrics at the declared endpoint in staging",
    );
    expect(found.find((f: any) => f.subject === "api/google-analytics").message).toBe(
      "no request/latency/error metrics",
    );
    // The evidence is part of the result cache's key: a cached evidence-less result is not replayed for it.
    const cache = ["--cache", "--cache-location", path.join(dir, "cache")];
    const first = await runCli(["check", "--env", "staging", "--now", NOW, "--format", "json", ...cache], { cwd: dir });
    expect(noMetrics(first.stdout).map((f: any) => f.subject)).toContain("api/openai");
    const second = await runCli(
      ["check", "--env", "staging", "--now", NOW, "--format", "json", ...cache, "--probe-results", file],
      { cwd: dir },
    );
    expect(noMetrics(second.stdout).map((f: any) => f.subject)).not.toContain("api/openai");
  }, 180_000);

  it("serve answers the same evidence on the API's service scrape", async () => {
    const served = await startServe(dir, ["--env", "staging"]);
    try {
      const openai = await scrape(served.url, "openai", 20);
      expect(openai.status).toBe(200);
      expect(sample(openai.body, "tollgate_client_metrics_present", { env: "staging", api: "openai" })).toBe(1);
      // Only the scraped service's APIs are judged in its answer.
      expect(
        sample(openai.body, "tollgate_client_metrics_present", { env: "staging", api: "chatwoot" }),
      ).toBeUndefined();
      const chatwoot = await scrape(served.url, "chatwoot", 20);
      expect(sample(chatwoot.body, "tollgate_client_metrics_present", { env: "staging", api: "chatwoot" })).toBe(0);
    } finally {
      served.kill();
      await served.exited;
    }
  }, 120_000);
});
