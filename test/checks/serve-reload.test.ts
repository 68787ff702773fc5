/**
 * tollgate serve reloads its manifests (SIGHUP, POST /-/reload) without dropping a probe in
 * flight: that probe finishes on the manifests it started with, the next one uses the new ones,
 * and invalid manifests keep the old configuration. SIGTERM lets an in-flight probe finish.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { request, type ServerResponse } from "node:http";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { removeDir, runCli, writeProject } from "../helpers/project.js";
import { sample, scrape, startServe, type Served } from "../helpers/serve.js";
import { startHttp, type Running } from "../helpers/servers.js";
import { waitFor } from "../helpers/wait.js";

const closers: (() => Promise<void> | void)[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  await Promise.all(dirs.map(removeDir));
});

const http = (url: string) => ({
  kind: "http-api",
  owner: "t",
  tier: "high",
  endpoints: { local: { url } },
  healthCheck: { timeout: "60s", retries: 1 },
});
const manifest = (services: Record<string, unknown>) =>
  stringify({ environments: { local: { deployed: true } }, services });

/** Counts hits per path; requests to /hold wait until release(). */
async function server() {
  const hits = new Map<string, number>();
  const held: ServerResponse[] = [];
  const s: Running = await startHttp((req, res) => {
    const p = new URL(req.url!, "http://x").pathname;
    hits.set(p, (hits.get(p) ?? 0) + 1);
    if (p === "/hold") held.push(res);
    else res.end("ok");
  });
  closers.push(s.close);
  return {
    ...s,
    hits: (p: string) => hits.get(p) ?? 0,
    held: () => held.length,
    release: () => {
      for (const r of held.splice(0)) r.end("ok");
    },
  };
}

async function serveProject(
  services: Record<string, unknown>,
  args: string[] = [],
): Promise<Served & { file: string }> {
  const root = await writeProject({ "manifests/org.yaml": manifest(services) });
  dirs.push(root);
  const s = await startServe(root, args);
  closers.push(async () => {
    s.kill("SIGKILL");
    await s.exited;
  });
  return { ...s, file: path.join(root, "manifests", "org.yaml") };
}

for (const via of ["SIGHUP", "POST /-/reload"] as const) {
  describe(`reload via ${via}`, () => {
    it("a probe in flight finishes on the old manifests; the next probe uses the new ones", async () => {
      const old = await server();
      const fresh = await server();
      const srv = await serveProject({ api: http(`${old.url}/hold`) });
      const inFlight = scrape(srv.url, "api", 120);
      await waitFor("the probe reaches the old endpoint", () => old.held() === 1, 60_000, 20);

      await writeFile(srv.file, manifest({ api: http(`${fresh.url}/api`), added: http(`${fresh.url}/added`) }));
      if (via === "SIGHUP") {
        srv.kill("SIGHUP");
        await waitFor("the reload is logged", () => srv.stderr().includes("reloaded: 2 services"), 60_000, 20);
      } else {
        const r = await fetch(`${srv.url}/-/reload`, { method: "POST" });
        expect(r.status, await r.text()).toBe(200);
      }
      const next = await scrape(srv.url, "api", 60);
      expect(sample(next.body, "tollgate_probe_success", { service: "api" }), next.body).toBe(1);
      expect(fresh.hits("/api")).toBe(1);
      expect(sample((await scrape(srv.url, "added", 60)).body, "tollgate_probe_success", { service: "added" })).toBe(1);
      expect(old.hits("/hold")).toBe(1);

      old.release();
      const done = await inFlight;
      expect(done.status).toBe(200);
      expect(sample(done.body, "tollgate_probe_success", { service: "api" }), done.body).toBe(1);
      const m = await (await fetch(`${srv.url}/metrics`)).text();
      expect(sample(m, "tollgate_exporter_reloads_total", { result: "success" })).toBe(1);
      expect(sample(m, "tollgate_exporter_config_last_reload_successful")).toBe(1);
    }, 120_000);
  });
}

describe("a reload with invalid manifests", () => {
  it("keeps serving the old configuration, answers 500 with the diagnostics and says so in a metric", async () => {
    const s = await server();
    const srv = await serveProject({ api: http(`${s.url}/api`) });
    await writeFile(srv.file, manifest({ api: { ...http(`${s.url}/api`), tier: "cosmic" } }));
    const r = await fetch(`${srv.url}/-/reload`, { method: "POST" });
    const text = await r.text();
    expect(r.status).toBe(500);
    expect(text).toMatch(/org\.yaml:\d+:\d+ /);
    srv.kill("SIGHUP");
    await waitFor(
      "the failed SIGHUP reload is logged",
      () => srv.stderr().split("reload failed").length === 3,
      60_000,
      20,
    );
    const m = await (await fetch(`${srv.url}/metrics`)).text();
    expect(sample(m, "tollgate_exporter_config_last_reload_successful")).toBe(0);
    expect(sample(m, "tollgate_exporter_reloads_total", { result: "failure" })).toBe(2);
    expect(sample((await scrape(srv.url, "api", 60)).body, "tollgate_probe_success")).toBe(1);
    expect(s.hits("/api")).toBe(1);
  }, 120_000);
});

describe("a reload with a secret value pasted into a manifest", () => {
  it("is refused with secret-value, and the value reaches neither the answer, the log nor /metrics", async () => {
    const s = await server();
    const srv = await serveProject({ api: http(`${s.url}/api`) });
    const token = `sk-proj-${"Xq4vB7nR2mT9".repeat(4)}`;
    await writeFile(srv.file, manifest({ api: { ...http(`${s.url}/api`), description: `rotated; old key ${token}` } }));
    const r = await fetch(`${srv.url}/-/reload`, { method: "POST" });
    const text = await r.text();
    expect(r.status).toBe(500);
    expect(text).toMatch(/org\.yaml:\d+:\d+ secret-value /);
    const m = await (await fetch(`${srv.url}/metrics`)).text();
    expect(sample(m, "tollgate_exporter_config_last_reload_successful")).toBe(0);
    for (const out of [text, srv.stderr(), m]) expect(out).not.toContain(token.slice(8, 30));
  }, 120_000);
});

describe("SIGTERM", () => {
  it("stops taking requests, answers queued scrapes 503, lets the probe in flight finish and exits 0", async () => {
    const s = await server();
    const srv = await serveProject({ api: http(`${s.url}/hold`), other: http(`${s.url}/other`) }, [
      "--max-concurrent",
      "1",
    ]);
    const inFlight = scrape(srv.url, "api", 120);
    await waitFor("the probe is in flight", () => s.held() === 1, 60_000, 20);
    const queued = scrape(srv.url, "other", 120);
    await waitFor(
      "a scrape queued",
      async () => sample(await (await fetch(`${srv.url}/metrics`)).text(), "tollgate_exporter_probes_queued") === 1,
      60_000,
      20,
    );
    srv.kill("SIGTERM");
    await waitFor("shutdown started", () => srv.stderr().includes("SIGTERM: finishing 1 in-flight"), 60_000, 20);
    expect((await queued).status).toBe(503);
    expect(s.hits("/other")).toBe(0);
    // A new connection (not fetch's kept-alive one) finds nothing listening.
    const fresh = await new Promise<string>((resolve) => {
      const r = request(`${srv.url}/-/healthy`, { agent: false }, () => resolve("answered"));
      r.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
      r.end();
    });
    expect(fresh).toBe("ECONNREFUSED");
    s.release();
    const done = await inFlight;
    expect(sample(done.body, "tollgate_probe_success"), done.body).toBe(1);
    expect(await srv.exited).toBe(0);
  }, 120_000);
});

describe("command line", () => {
  it("binds to loopback by default and rejects a malformed --listen with exit 2", async () => {
    const help = await runCli(["serve", "--help"]);
    expect(help.stdout).toContain('(default: "127.0.0.1:9469")');
    for (const endpoint of [
      "/probe?service=NAME",
      "/metrics",
      "/-/healthy",
      "/-/ready",
      "POST /-/reload",
      "SIGHUP",
      "Exit codes:",
      "2  invalid input",
    ])
      expect(help.stdout).toContain(endpoint);
    for (const bad of ["9469", "127.0.0.1", "[localhost]:9469", "127.0.0.1:99999"]) {
      const r = await runCli(["serve", "--listen", bad, "--root", "/nonexistent"]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain("--listen must be HOST:PORT");
    }
    const missing = await runCli(["serve", "--listen", "127.0.0.1:0", "--root", "/nonexistent"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no-manifests");
  }, 60_000);
});
