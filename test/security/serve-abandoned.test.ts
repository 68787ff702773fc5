/**
 * `tollgate serve` against abandoned scrapes (issue 21): clients that connect, send a probe request
 * and leave. With --max-concurrent 1 they used to keep the only slot and the queue busy (a probe
 * ran for each, with a scrape timeout of an hour if they asked), so a real scrape got 503 and the
 * upstream was hit once per abandoned client. Now a request whose client is gone leaves the queue,
 * its running probe is aborted, the queue is capped and the accepted scrape timeout too.
 * No timing assertions: every wait observes an event (the exporter's gauges, the upstream's requests).
 */
import type { ServerResponse } from "node:http";
import net from "node:net";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_SCRAPE_TIMEOUT_MS, probeBudgetMs } from "../../checks/serve/http-server.js";
import { removeDir, writeProject } from "../helpers/project.js";
import { sample, scrape, startServe, type Served } from "../helpers/serve.js";
import { startHttp, type Running } from "../helpers/servers.js";
import { waitFor } from "../helpers/wait.js";

const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

/** The upstream: counts every request; while `hold` is on it answers none, and notes each one closed unanswered. */
async function countingUpstream() {
  const held: ServerResponse[] = [];
  let requests = 0;
  let cancelled = 0;
  let hold = true;
  const s = await startHttp((_req, res) => {
    requests++;
    if (!hold) return void res.end("ok");
    res.on("close", () => {
      if (!res.writableFinished) cancelled++;
    });
    held.push(res);
  });
  closers.push(s.close);
  return {
    ...s,
    requests: () => requests,
    cancelled: () => cancelled,
    open: (): void => {
      hold = false;
      for (const r of held.splice(0)) if (!r.destroyed) r.end("ok");
    },
  };
}

async function serveOne(url: string): Promise<Served> {
  const services = {
    api: {
      kind: "http-api",
      owner: "t",
      tier: "high",
      endpoints: { local: { url } },
      healthCheck: { timeout: "60s", retries: 1 },
    },
  };
  const root = await writeProject({
    "manifests/org.yaml": stringify({ environments: { local: { deployed: true } }, services }),
  });
  const s = await startServe(root, ["--max-concurrent", "1"]);
  closers.push(async () => {
    s.kill("SIGKILL");
    await s.exited;
    await removeDir(root);
  });
  return s;
}

/** A client that sends a probe request (asking for an hour) and keeps its socket until told to leave. */
function client(base: string): Promise<net.Socket> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const c = net.connect(Number(port), "127.0.0.1", () => {
      c.write("GET /probe?service=api HTTP/1.1\r\nHost: x\r\nX-Prometheus-Scrape-Timeout-Seconds: 3600\r\n\r\n");
      resolve(c);
    });
    c.on("error", reject);
  });
}

const metrics = async (s: Served) => (await fetch(`${s.url}/metrics`)).text();

describe("serve with abandoned clients (--max-concurrent 1)", () => {
  it("drops the queued requests and aborts the running probe of clients that left; a real scrape then succeeds and is the only probe after them", async () => {
    const up = await countingUpstream();
    const srv = await serveOne(`${up.url}/healthy`);
    // The first client's probe runs (the upstream holds it), the other eleven queue behind it.
    const running = await client(srv.url);
    await waitFor("one probe running, held by the upstream", () => up.requests() === 1, 120_000, 50);
    const queued = await Promise.all(Array.from({ length: 11 }, () => client(srv.url)));
    await waitFor(
      "one probe running and eleven queued",
      async () => {
        const m = await metrics(srv);
        return (
          sample(m, "tollgate_exporter_probes_in_flight") === 1 && sample(m, "tollgate_exporter_probes_queued") === 11
        );
      },
      120_000,
      50,
    );
    // The queued clients leave first (so none can be handed the slot), then the running one.
    for (const s of queued) s.destroy();
    await waitFor(
      "the queue emptied by the clients leaving",
      async () => {
        const m = await metrics(srv);
        return (
          sample(m, "tollgate_exporter_probes_queued") === 0 &&
          sample(m, "tollgate_exporter_probes_rejected_total", { reason: "client-gone" }) === 11
        );
      },
      120_000,
      50,
    );
    expect(sample(await metrics(srv), "tollgate_exporter_probes_in_flight")).toBe(1);
    running.destroy();
    await waitFor(
      "the running probe aborted: its upstream request closed unanswered, its slot free",
      async () => {
        const m = await metrics(srv);
        return up.cancelled() === 1 && sample(m, "tollgate_exporter_probes_in_flight") === 0;
      },
      120_000,
      50,
    );
    // The upstream answers from now on; a real scrape gets the slot at once.
    up.open();
    const r = await scrape(srv.url, "api", 30);
    expect(r.status, r.body).toBe(200);
    expect(sample(r.body, "tollgate_probe_success")).toBe(1);
    // One request from the probe that was running when its client left (aborted), one from the live scrape; none for the eleven queued.
    expect(up.requests()).toBe(2);
    const m = await metrics(srv);
    expect(sample(m, "tollgate_exporter_probes_rejected_total", { reason: "queue-timeout" }) ?? 0).toBe(0);
    expect(sample(m, "tollgate_exporter_probe_requests_total", { code: "503" }) ?? 0).toBe(0);
  }, 300_000);

  it("caps the queue: past 16 waiting live requests the next is 503 at once, and the capped ones drain when their clients leave", async () => {
    const up = await countingUpstream();
    const srv = await serveOne(`${up.url}/healthy`);
    const running = await client(srv.url);
    await waitFor("one probe running, held by the upstream", () => up.requests() === 1, 120_000, 50);
    const queued = await Promise.all(Array.from({ length: 16 }, () => client(srv.url)));
    await waitFor(
      "one running and sixteen queued",
      async () => {
        const m = await metrics(srv);
        return (
          sample(m, "tollgate_exporter_probes_in_flight") === 1 && sample(m, "tollgate_exporter_probes_queued") === 16
        );
      },
      120_000,
      50,
    );
    const refused = await scrape(srv.url, "api", 3600);
    expect(refused.status).toBe(503);
    expect(refused.body).toContain("16 requests are waiting");
    expect(sample(await metrics(srv), "tollgate_exporter_probes_rejected_total", { reason: "queue-full" })).toBe(1);
    for (const s of queued) s.destroy();
    await waitFor(
      "the queue drained",
      async () => sample(await metrics(srv), "tollgate_exporter_probes_queued") === 0,
      120_000,
      50,
    );
    running.destroy();
    await waitFor(
      "the running probe aborted",
      async () => up.cancelled() === 1 && sample(await metrics(srv), "tollgate_exporter_probes_in_flight") === 0,
      120_000,
      50,
    );
    up.open();
    expect((await scrape(srv.url, "api", 30)).status).toBe(200);
    expect(up.requests()).toBe(2);
  }, 300_000);

  it("caps the accepted scrape timeout (an hour asked, two minutes granted)", () => {
    expect(MAX_SCRAPE_TIMEOUT_MS).toBe(120_000);
    expect(probeBudgetMs("3600")).toBe(MAX_SCRAPE_TIMEOUT_MS - 500);
    expect(probeBudgetMs("1e9")).toBe(MAX_SCRAPE_TIMEOUT_MS - 500);
    expect(probeBudgetMs("10")).toBe(9_500);
  });
});
