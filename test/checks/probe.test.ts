/**
 * tollgate probe against real servers on 127.0.0.1: HTTP behaviours, TLS, a real MCP server
 * built with the SDK, webhook receivers; retries, dependencies, optional services, state, outputs,
 * and no secret in any output.
 */
import { mkdtempSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { runProbes } from "../../checks/probe/runner.js";
import { schemaHash } from "../../checks/probe/mcp.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import { removeDir, runCli, tempDir, writeProject } from "../helpers/project.js";
import {
  selfSignedCert,
  startBehaviours,
  startHttp,
  startHttps,
  startMcp,
  startWebhookReceiver,
  strictReceiverWebhook,
  type Running,
} from "../helpers/servers.js";

const closers: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all(dirs.map(removeDir));
});
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 20));
}
async function keep<T extends Running>(p: Promise<T>): Promise<T> {
  const r = await p;
  closers.push(r.close);
  return r;
}

const ENVS = { local: { deployed: true }, production: { production: true, deployed: false } };
const http = (url: string, healthCheck: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  kind: "http-api",
  owner: "t",
  tier: "high",
  endpoints: { local: { url } },
  healthCheck: { timeout: "30s", ...healthCheck },
  ...extra,
});

async function probe(
  services: Record<string, unknown>,
  opts: { env?: Record<string, string>; extra?: Record<string, unknown>; timeoutMs?: number } = {},
): Promise<Record<string, ProbeResult>> {
  const model = buildModel({ environments: ENVS, services, ...(opts.extra ?? {}) } as any);
  const { results } = await runProbes(model, {
    env: "local",
    concurrency: 8,
    environment: opts.env ?? {},
    baseDelayMs: 10,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  return Object.fromEntries(results.map((r) => [r.service, r]));
}

describe("HTTP probes", () => {
  let b: Running & { hits: Map<string, number> };
  beforeAll(async () => {
    b = await keep(startBehaviours());
  });

  it("healthy: status, latency, JSON field and body conditions", async () => {
    const r = await probe({
      ok: http(`${b.url}/healthy`, {
        expect: {
          status: 200,
          maxLatencyMs: 30000,
          json: [{ path: "checks.db", equals: "up" }],
          bodyMatches: '"status":"ok"',
        },
      }),
      "wrong-field": http(`${b.url}/healthy`, {
        expect: { json: [{ path: "checks.db", equals: "down" }] },
        retries: 1,
      }),
      "wrong-body": http(`${b.url}/healthy`, { expect: { bodyMatches: "maintenance" }, retries: 1 }),
    });
    expect(r.ok).toMatchObject({ status: "healthy", stage: "ok", attempts: 1 });
    expect(r["wrong-field"]).toMatchObject({
      status: "unhealthy",
      stage: "body",
      detail: 'checks.db is "up", expected "down"',
    });
    expect(r["wrong-body"]).toMatchObject({ status: "unhealthy", stage: "body" });
  });

  it("slow beyond maxLatencyMs fails at the latency stage", async () => {
    const r = await probe({ slow: http(`${b.url}/slow`, { expect: { maxLatencyMs: 100 }, retries: 1 }) });
    expect(r.slow).toMatchObject({ status: "unhealthy", stage: "latency" });
    // The server holds 300 ms; the stage is about the 100 ms limit (timers may fire a little early).
    expect(r.slow!.latencyMs).toBeGreaterThan(100);
  });

  it("flaky (fails twice, then succeeds) is healthy after 3 attempts with backoff", async () => {
    const r = await probe({ flaky: http(`${b.url}/flaky`, { retries: 3 }) });
    expect(r.flaky).toMatchObject({ status: "healthy", attempts: 3 });
    expect(b.hits.get("/flaky")).toBe(3);
  });

  it("500 is retried up to the manifest's attempts and reported with its status", async () => {
    const before = b.hits.get("/error") ?? 0;
    const r = await probe({ err: http(`${b.url}/error`, { retries: 2 }) });
    expect(r.err).toMatchObject({ status: "unhealthy", stage: "status", attempts: 2, detail: "HTTP 500" });
    expect(b.hits.get("/error")! - before).toBe(2);
  });

  it("hanging and slow-drip servers are cut off at the timeout: the probe closes the connection itself", async () => {
    // Behaviour, not speed: the servers never finish on their own, so the run can only end (and
    // their connections only close) because the probe gave up at its timeout and hung up.
    const open = new Set<string>();
    const closed: string[] = [];
    const s = await keep(
      startHttp((req, res) => {
        const p = req.url!;
        open.add(p);
        res.on("close", () => {
          open.delete(p);
          closed.push(p);
        });
        if (p === "/drip") {
          res.write("a");
          const t = setInterval(() => res.write("a"), 100);
          res.on("close", () => clearInterval(t));
        }
      }),
    );
    const r = await probe({
      hang: http(`${s.url}/hang`, { timeout: "300ms", retries: 1 }),
      drip: http(`${s.url}/drip`, { timeout: "300ms", retries: 1 }),
    });
    expect(r.hang).toMatchObject({ status: "unhealthy", stage: "timeout", attempts: 1 });
    expect(r.drip).toMatchObject({ status: "unhealthy", stage: "timeout", attempts: 1 });
    await until(() => open.size === 0);
    expect(closed.sort()).toEqual(["/drip", "/hang"]);
  });

  it("caps the body size, bounds redirects, follows a single redirect", async () => {
    const r = await probe({
      huge: http(`${b.url}/huge`, { maxBodyBytes: 100_000, retries: 1 }),
      loop: http(`${b.url}/loop`, { maxRedirects: 3, retries: 1 }),
      once: http(`${b.url}/redirect-once`),
    });
    expect(r.huge).toMatchObject({ status: "unhealthy", stage: "body", detail: "response body exceeds 100000 bytes" });
    expect(r.loop).toMatchObject({ status: "unhealthy", stage: "redirect", detail: "more than 3 redirects" });
    expect(r.once).toMatchObject({ status: "healthy", detail: "HTTP 200 after 1 redirect" });
  });

  it("429 is reported as rate limited", async () => {
    const r = await probe({ lim: http(`${b.url}/limited`, { retries: 1 }) });
    expect(r.lim).toMatchObject({ status: "unhealthy", stage: "status", rateLimited: true });
  });

  it("header values come from the environment variables named in the manifest and are never printed", async () => {
    const token = `Bearer tg-${"x7Qk".repeat(6)}`;
    const r = await probe(
      {
        h: http(`${b.url}/headers`, {
          headers: { Authorization: { fromEnv: "TG_TEST_AUTH" } },
          expect: { json: [{ path: "auth", equals: "nope" }] },
          retries: 1,
        }),
      },
      { env: { TG_TEST_AUTH: token } },
    );
    // The server echoed the header, the body check failed, and the detail still hides the value.
    expect(r.h!.stage).toBe("body");
    expect(r.h!.detail).not.toContain(token);
    expect(r.h!.detail).toContain("[REDACTED]");
    const missing = await probe({
      h: http(`${b.url}/headers`, { headers: { Authorization: { fromEnv: "TG_TEST_UNSET" } } }),
    });
    expect(missing.h).toMatchObject({
      status: "unhealthy",
      stage: "config",
      detail: "environment variable not set: TG_TEST_UNSET",
    });
  });

  it("connection refused is a connect failure", async () => {
    const dead = await startHttp((_q, s) => s.end());
    await dead.close();
    const r = await probe({ dead: http(`${dead.url}/x`, { retries: 1 }) });
    expect(r.dead).toMatchObject({ status: "unhealthy", stage: "connect" });
    expect(r.dead!.detail).toContain("ECONNREFUSED");
  });
});

describe("TLS", () => {
  const tlsDir = mkdtempSync(path.join(tmpdir(), "tollgate-tls-"));
  dirs.push(tlsDir);
  const tls = selfSignedCert(tlsDir);

  it("a self-signed certificate is not trusted unless its CA is configured; then TLS 1.2+ passes", async () => {
    const s = await keep(startHttps(tls));
    const r = await probe({
      untrusted: http(`${s.url}/`, { retries: 1 }),
      trusted: http(`${s.url}/`, { tls: { caFile: tls.certFile } }),
    });
    expect(r.untrusted).toMatchObject({ status: "unhealthy", stage: "tls" });
    expect(r.untrusted!.detail).toMatch(/self.signed|certificate/i);
    expect(r.trusted).toMatchObject({ status: "healthy" });
    expect(r.trusted!.detail).toMatch(/TLSv1\.[23]/);
  });

  it("a server limited to TLS 1.0/1.1 fails at the TLS stage", async () => {
    const s = await keep(
      startHttps(tls, { minVersion: "TLSv1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" }),
    );
    const r = await probe({ old: http(`${s.url}/`, { tls: { caFile: tls.certFile }, retries: 1 }) });
    expect(r.old).toMatchObject({ status: "unhealthy", stage: "tls" });
  });
});

describe("MCP probes (real SDK server)", () => {
  const mcp = (base: string, mcpCheck: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    kind: "mcp",
    owner: "t",
    tier: "high",
    endpoints: { local: { url: `${base}/mcp`, health: `${base}/health` } },
    healthCheck: {
      timeout: "30s",
      retries: 1,
      mcp: {
        transport: "streamable-http",
        requiredTools: ["query_support", "refresh_index", "insight_report"],
        smoke: { tool: "query_support", arguments: { query: "reset password" } },
        ...mcpCheck,
      },
    },
    ...extra,
  });

  it("healthy server: health, initialize, ping, tools, smoke call", async () => {
    const s = await keep(startMcp());
    const r = await probe({ rag: mcp(s.url) });
    expect(r.rag).toMatchObject({ status: "healthy", stage: "ok" });
    expect(r.rag!.detail).toMatch(/^health \d+ ms; 2025-11-25; 3 tools, query_support ok$/);
  });

  it("health OK but every tool throws: unhealthy at the tool stage (the RAG trap)", async () => {
    const s = await keep(startMcp({ broken: true }));
    const r = await probe({ rag: mcp(s.url) });
    expect(s.healthHits()).toBeGreaterThan(0);
    expect(r.rag).toMatchObject({ status: "unhealthy", stage: "tool-error" });
    expect(r.rag!.detail).toContain("ModuleNotFoundError");
  });

  it("a missing required tool fails at tools-missing", async () => {
    const s = await keep(startMcp({ tools: ["query_support", "refresh_index"] }));
    const r = await probe({ rag: mcp(s.url) });
    expect(r.rag).toMatchObject({ status: "unhealthy", stage: "tools-missing" });
    expect(r.rag!.detail).toMatch(/ → required tools ✗: required tool missing: insight_report$/);
  });

  it("a changed tool schema fails at drift (hash pinned in the manifest)", async () => {
    const good = await keep(startMcp());
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
    const c = new Client({ name: "t", version: "1" });
    await c.connect(new StreamableHTTPClientTransport(new URL(`${good.url}/mcp`)));
    const pinned = schemaHash((await c.listTools()).tools.find((t) => t.name === "query_support")!.inputSchema);
    await c.close();
    const changed = await keep(startMcp({ changedSchema: true }));
    const r = await probe({
      same: mcp(good.url, { toolSchemas: { query_support: pinned } }),
      drifted: mcp(changed.url, { toolSchemas: { query_support: pinned } }),
    });
    expect(r.same).toMatchObject({ status: "healthy" });
    expect(r.drifted).toMatchObject({ status: "unhealthy", stage: "drift" });
  });

  it("a closed port fails at connect; a non-MCP endpoint fails at initialize", async () => {
    const dead = await startHttp((_q, s) => s.end());
    await dead.close();
    const notMcp = await keep(
      startHttp((req, res) => {
        res.statusCode = req.url === "/health" ? 200 : 404;
        res.end("nope");
      }),
    );
    const r = await probe({ dead: mcp(dead.url), wrong: mcp(notMcp.url) });
    expect(r.dead).toMatchObject({ status: "unhealthy", stage: "health" });
    const noHealth = await probe({ dead: { ...mcp(dead.url), endpoints: { local: { url: `${dead.url}/mcp` } } } });
    expect(noHealth.dead).toMatchObject({ status: "unhealthy", stage: "connect" });
    expect(r.wrong).toMatchObject({ status: "unhealthy", stage: "initialize" });
  });

  it("stdio transport: spawns a real SDK server over stdio", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const script = path.join(dir, "server.mjs");
    const sdk = path.resolve("node_modules/@modelcontextprotocol/sdk/dist/esm");
    await writeFile(
      script,
      [
        `import { McpServer } from ${JSON.stringify(`${sdk}/server/mcp.js`)};`,
        `import { StdioServerTransport } from ${JSON.stringify(`${sdk}/server/stdio.js`)};`,
        "const s = new McpServer({ name: 'stdio-stand-in', version: '1' });",
        "s.registerTool('query_support', { description: 'q' }, async () => ({ content: [{ type: 'text', text: 'ok' }] }));",
        "await s.connect(new StdioServerTransport());",
      ].join("\n"),
    );
    const r = await probe({
      local: {
        kind: "mcp",
        owner: "t",
        tier: "low",
        endpoints: { local: { command: [process.execPath, script] } },
        healthCheck: {
          timeout: "30s",
          retries: 1,
          mcp: { transport: "stdio", requiredTools: ["query_support"], smoke: { tool: "query_support" } },
        },
      },
    });
    expect(r.local).toMatchObject({ status: "healthy", stage: "ok" });
  });
});

describe("webhook-security probes", () => {
  const secret = `whsec-${"Qa9x".repeat(8)}`;
  const hook = (url: string) => ({
    services: {
      hook: {
        kind: "webhook",
        owner: "t",
        tier: "high",
        secrets: ["HOOK_SECRET"],
        endpoints: { local: { url: `${url}/webhook` }, production: { url: `${url}/webhook` } },
        healthCheck: { timeout: "30s", retries: 1 },
      },
    },
    extra: {
      secrets: { HOOK_SECRET: { service: "hook", requiredInProduction: true } },
      webhooks: {
        hook: strictReceiverWebhook(),
      },
    },
  });

  it("a receiver that verifies HMAC, timestamp and replay passes", async () => {
    const s = await keep(startWebhookReceiver({ secret, strict: true }));
    const { services, extra } = hook(s.url);
    const r = await probe(services, { extra, env: { TG_HOOK_SECRET: secret } });
    expect(r.hook).toMatchObject({ status: "healthy", stage: "ok" });
    // The first delivery, the non-canonical body and the redelivery under a new id; nothing else.
    expect(s.accepted()).toBe(3);
  });

  it("a receiver that accepts anything fails, naming every missing control", async () => {
    const s = await keep(startWebhookReceiver({ secret, strict: false }));
    const { services, extra } = hook(s.url);
    const r = await probe(services, { extra, env: { TG_HOOK_SECRET: secret } });
    expect(r.hook).toMatchObject({ status: "unhealthy", stage: "webhook-security" });
    for (const control of [
      "unsigned request accepted",
      "wrong signature accepted",
      "tampered body accepted",
      "timestamp window",
      "future-timestamp check",
      "delivery id required",
      "replay protection",
    ])
      expect(r.hook!.detail).toContain(control);
    expect(r.hook!.detail).not.toContain(secret);
  });

  it("a wrong signing secret is reported as a refused valid request", async () => {
    const s = await keep(startWebhookReceiver({ secret, strict: true }));
    const { services, extra } = hook(s.url);
    const r = await probe(services, { extra, env: { TG_HOOK_SECRET: "not-the-secret" } });
    expect(r.hook!.detail).toContain("a validly signed fresh generic HMAC-SHA256 delivery was refused (HTTP 401)");
  });

  it("is not sent to production unless --allow-production", async () => {
    const s = await keep(startWebhookReceiver({ secret, strict: false }));
    const { services, extra } = hook(s.url);
    const model = buildModel({
      environments: { local: { deployed: true }, production: { production: true, deployed: true } },
      services,
      ...extra,
    } as any);
    const { results } = await runProbes(model, {
      env: "production",
      concurrency: 1,
      environment: { TG_HOOK_SECRET: secret },
    });
    // Only a plain GET health check reached the receiver; the security probes were held back.
    expect(results[0]).toMatchObject({ status: "healthy", stage: "ok" });
    expect(results[0]!.detail).toContain("security probes skipped in production (--allow-production)");
    expect(s.accepted()).toBe(1);
    const before = s.accepted();
    const allowed = await runProbes(model, {
      env: "production",
      concurrency: 1,
      environment: { TG_HOOK_SECRET: secret },
      allowProduction: true,
    });
    expect(allowed.results[0]).toMatchObject({ status: "unhealthy", stage: "webhook-security" });
    expect(s.accepted()).toBeGreaterThan(before);
  });
});

describe("dependencies, optional services, concurrency", () => {
  it("a child of a down parent is skipped: parent down, not failed", async () => {
    const b = await keep(startBehaviours());
    const r = await probe({
      db: http(`${b.url}/error`, { retries: 1 }),
      api: http(`${b.url}/healthy`, {}, { dependsOn: ["db"] }),
      worker: http(`${b.url}/healthy`, {}, { dependsOn: ["api"] }),
    });
    expect(r.db!.status).toBe("unhealthy");
    expect(r.api).toMatchObject({ status: "skipped", stage: "dependency", detail: "parent down: db" });
    expect(r.worker).toMatchObject({ status: "skipped", detail: "parent down: api" });
    expect(b.hits.get("/healthy") ?? 0).toBe(0);
  });

  it("runs at most --concurrency probes at once, and that many in parallel (a server counts requests in flight)", async () => {
    // Each request is held until a 5th would be in flight (proof the limit of 4 was exceeded) or
    // until nothing new has arrived for a while; then the held batch is answered together.
    let inFlight = 0;
    let most = 0;
    let held: (() => void)[] = [];
    let quiet: NodeJS.Timeout | undefined;
    const release = () => {
      const batch = held;
      held = [];
      for (const go of batch) go();
    };
    const s = await keep(
      startHttp((_req, res) => {
        inFlight++;
        most = Math.max(most, inFlight);
        held.push(() => {
          inFlight--;
          res.end("ok");
        });
        clearTimeout(quiet);
        if (inFlight > 4) release();
        else quiet = setTimeout(release, 2000);
      }),
    );
    const services = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`svc-${i}`, http(`${s.url}/${i}`, { timeout: "60s", retries: 1 })]),
    );
    const model = buildModel({ environments: ENVS, services } as any);
    const { results } = await runProbes(model, { env: "local", concurrency: 4, environment: {} });
    expect(results.map((x) => x.status)).toEqual(Array(8).fill("healthy"));
    expect(most).toBe(4);
  });
});

describe("tollgate probe CLI", () => {
  let b: Running & { hits: Map<string, number> };
  let root: string;
  beforeAll(async () => {
    b = await keep(startBehaviours());
    root = await writeProject({
      "manifests/org.yaml": stringify({
        environments: ENVS,
        services: {
          api: http(`${b.url}/healthy`),
          broken: http(`${b.url}/error`, { retries: 1 }),
          extra: { ...http(`${b.url}/error`, { retries: 1 }), optional: true },
          authed: http(`${b.url}/healthy`, { headers: { Authorization: { fromEnv: "TG_CLI_TOKEN" } } }),
        },
      }),
    });
    dirs.push(root);
  });
  const token = `tok-${"Zq81".repeat(8)}`;

  it("exit 1 when a required service is unhealthy; optional ones never fail the run", async () => {
    const all = await runCli(["probe", "--root", root, "--env", "local", "--format", "json"], {
      env: { TG_CLI_TOKEN: token },
    });
    expect(all.code).toBe(1);
    const out = JSON.parse(all.stdout);
    expect(out).toMatchObject({ env: "local", summary: { healthy: 2, unhealthy: 2, skipped: 0, total: 4 } });
    expect(Object.keys(out.results[0])).toEqual(
      expect.arrayContaining(["service", "kind", "status", "stage", "latencyMs", "attempts", "detail"]),
    );
    const optionalOnly = await runCli([
      "probe",
      "--root",
      root,
      "--env",
      "local",
      "--service",
      "api",
      "--service",
      "extra",
      "--format",
      "json",
    ]);
    expect(optionalOnly.code).toBe(0);
  });

  it("text table and Prometheus exposition (names the synthesized rules use)", async () => {
    const text = await runCli(["probe", "--root", root, "--env", "local", "--service", "api", "--service", "broken"]);
    expect(text.stdout.split("\n")[0]).toMatch(/^SERVICE\s+KIND\s+STATUS\s+STAGE\s+LATENCY\s+DETAIL$/);
    expect(text.stdout).toMatch(/^broken\s+http-api\s+unhealthy\s+status\s+\d+ ms\s+HTTP 500$/m);
    const prom = await runCli([
      "probe",
      "--root",
      root,
      "--env",
      "local",
      "--service",
      "api",
      "--service",
      "broken",
      "--format",
      "prometheus",
    ]);
    expect(prom.stdout).toContain('tollgate_probe_success{env="local",service="api",kind="http-api"} 1');
    expect(prom.stdout).toContain('tollgate_probe_success{env="local",service="broken",kind="http-api"} 0');
    expect(prom.stdout).toContain(
      'tollgate_probe_failed_stage{env="local",service="broken",kind="http-api",stage="status"} 1',
    );
    expect(prom.stdout).toMatch(/# TYPE tollgate_probe_duration_seconds gauge/);
  });

  it("state: flapping, success rate and percentiles over the window; corrupt state is a warning", async () => {
    const state = path.join(root, "state.json");
    for (let i = 0; i < 3; i++)
      await runCli([
        "probe",
        "--root",
        root,
        "--env",
        "local",
        "--service",
        "api",
        "--state",
        state,
        "--format",
        "json",
      ]);
    const out = JSON.parse(
      (
        await runCli([
          "probe",
          "--root",
          root,
          "--env",
          "local",
          "--service",
          "api",
          "--state",
          state,
          "--format",
          "json",
        ])
      ).stdout,
    );
    expect(out.results[0].history).toMatchObject({ runs: 4, failures: 0, successRate: 1, flapping: false });
    expect(out.results[0].history.p95).toEqual(expect.any(Number));
    const saved = JSON.parse(await readFile(state, "utf8"));
    saved.services.api.splice(1, 0, { at: "x", ok: false, latencyMs: 1, stage: "status" });
    await writeFile(state, JSON.stringify(saved));
    const flap = JSON.parse(
      (
        await runCli([
          "probe",
          "--root",
          root,
          "--env",
          "local",
          "--service",
          "api",
          "--state",
          state,
          "--format",
          "json",
        ])
      ).stdout,
    );
    expect(flap.results[0].history).toMatchObject({ runs: 6, failures: 1, flapping: true });
    await writeFile(state, "{not json");
    const r = await runCli([
      "probe",
      "--root",
      root,
      "--env",
      "local",
      "--service",
      "api",
      "--state",
      state,
      "--format",
      "json",
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("is not valid JSON; starting fresh");
    await writeFile(state, JSON.stringify({ tool: "something-else", services: [] }));
    expect(
      (await runCli(["probe", "--root", root, "--env", "local", "--service", "api", "--state", state])).stderr,
    ).toContain("starting fresh");
  });

  it("never prints secrets: every format, with a header value that the server echoes", async () => {
    // /headers echoes the Authorization header and a JSON condition on it fails: the token is in
    // the failure detail unless the probe redacts it.
    const echoRoot = await writeProject({
      "manifests/org.yaml": stringify({
        environments: ENVS,
        services: {
          echo: http(`${b.url}/headers`, {
            headers: { Authorization: { fromEnv: "TG_CLI_TOKEN" } },
            expect: { json: [{ path: "auth", equals: "something else" }] },
          }),
        },
      }),
    });
    dirs.push(echoRoot);
    const json = await runCli(["probe", "--root", echoRoot, "--env", "local", "--format", "json"], {
      env: { TG_CLI_TOKEN: token },
    });
    expect(JSON.parse(json.stdout).results[0]).toMatchObject({ status: "unhealthy", stage: "body" });
    expect(JSON.parse(json.stdout).results[0].detail).toBe(`auth is "[REDACTED]", expected "something else"`);
    for (const format of ["text", "json", "prometheus"]) {
      const r = await runCli(["probe", "--root", echoRoot, "--env", "local", "--format", format], {
        env: { TG_CLI_TOKEN: token },
      });
      expect(r.stdout + r.stderr).not.toContain(token);
      if (format !== "prometheus") expect(r.stdout + r.stderr).toContain("something else");
    }
  });

  it("usage errors exit 2", async () => {
    expect((await runCli(["probe", "--root", root, "--env", "nope"])).code).toBe(2);
    expect((await runCli(["probe", "--root", root, "--env", "local", "--service", "nope"])).code).toBe(2);
    expect((await runCli(["probe", "--root", root, "--env", "local", "--concurrency", "0"])).code).toBe(2);
    expect((await runCli(["probe", "--root", root, "--env", "local", "--format", "xml"])).code).toBe(2);
  });
});

describe("reserved hostnames", () => {
  it("the reference organization's .example endpoints are refused without any lookup, reported as not probeable (exit 0)", async () => {
    const r = await runCli(
      ["probe", "--env", "staging", "--format", "json", "--service", "openai", "--service", "redis"],
      { env: { OPENAI_AUTH_HEADER: "x" } },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.results.map((x: any) => [x.service, x.status, x.stage, x.attempts])).toEqual([
      ["openai", "not-probeable", "config", 0],
      ["redis", "not-probeable", "config", 0],
    ]);
    expect(out.summary).toMatchObject({ healthy: 0, unhealthy: 0, notProbeable: 2, total: 2 });
    expect(out.results[0].detail).toBe(
      "api.openai.example is a reserved documentation hostname (RFC 2606); not probed",
    );
  });
});

describe("tollgate mcp-tools", () => {
  it("prints hashes that, pinned in the manifest, make the probe pass, and catch drift when the schema changes", async () => {
    const good = await keep(startMcp());
    const base = (url: string, toolSchemas?: Record<string, string>) => ({
      kind: "mcp",
      owner: "t",
      tier: "high",
      endpoints: { local: { url: `${url}/mcp` } },
      healthCheck: {
        timeout: "30s",
        retries: 1,
        mcp: {
          transport: "streamable-http",
          requiredTools: ["query_support"],
          ...(toolSchemas ? { toolSchemas } : {}),
        },
      },
    });
    const root = await writeProject({
      "manifests/org.yaml": stringify({ environments: ENVS, services: { rag: base(good.url) } }),
    });
    dirs.push(root);
    const r = await runCli(["mcp-tools", "--root", root, "--env", "local"]);
    expect(r.code, r.stderr).toBe(0);
    const m = /^ {2}query_support: ([a-f0-9]{64})$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    const pinned = { query_support: m![1]! };
    const changed = await keep(startMcp({ changedSchema: true }));
    const results = await probe({ same: base(good.url, pinned), drifted: base(changed.url, pinned) });
    expect(results.same!.status).toBe("healthy");
    expect(results.drifted!.stage).toBe("drift");
  });
});
