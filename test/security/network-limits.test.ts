/**
 * Network: bounded work. Byte caps on MCP responses (a real SDK server with a huge tools list; a
 * stdio server that floods standard output), an overall --deadline for 40 hanging services, and
 * validation of what would only fail at probe time (timer-overflowing timeouts, bad regexes).
 */
import { writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { runProbes } from "../../checks/probe/runner.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import { defaultDeadlineMs } from "../../cli/probe.js";
import { removeDir, runCli, tempDir, writeProject } from "../helpers/project.js";
import { startBehaviours, startMcp, type Running } from "../helpers/servers.js";

const ENVS = { local: { deployed: true }, production: { production: true, deployed: false } };
const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all(dirs.map(removeDir));
});

async function probe(services: Record<string, unknown>): Promise<Record<string, ProbeResult>> {
  const model = buildModel({ environments: ENVS, services } as any);
  const { results } = await runProbes(model, { env: "local", concurrency: 4, environment: {}, baseDelayMs: 10 });
  return Object.fromEntries(results.map((r) => [r.service, r]));
}

const mcpService = (endpoint: Record<string, unknown>, healthCheck: Record<string, unknown>) => ({
  kind: "mcp",
  owner: "t",
  tier: "high",
  endpoints: { local: endpoint },
  healthCheck: { timeout: "20s", retries: 1, ...healthCheck },
});

describe("MCP responses are capped", () => {
  let huge: Running;
  beforeAll(async () => {
    // 1500 tools: a tools/list answer of about 300 kB from the SDK's own server.
    huge = await startMcp({
      tools: Array.from({ length: 1500 }, (_, i) => `tool_${String(i).padStart(4, "0")}_${"x".repeat(60)}`),
    });
    closers.push(huge.close);
  });

  it("a tools list over the cap fails at response-too-large (Streamable HTTP)", async () => {
    const r = await probe({
      capped: mcpService(
        { url: `${huge.url}/mcp` },
        { maxBodyBytes: 50_000, mcp: { transport: "streamable-http", requiredTools: ["tool_0000_" + "x".repeat(60)] } },
      ),
      roomy: mcpService(
        { url: `${huge.url}/mcp` },
        {
          maxBodyBytes: 5_000_000,
          mcp: { transport: "streamable-http", requiredTools: ["tool_0000_" + "x".repeat(60)] },
        },
      ),
    });
    expect(r.capped).toMatchObject({
      status: "unhealthy",
      stage: "response-too-large",
      detail: expect.stringContaining("exceeds 50000 bytes"),
    });
    expect(r.roomy).toMatchObject({
      status: "healthy",
      detail: "2025-11-25; 1500 tools; no smoke call: tools not exercised",
    });
  });

  it("mcp-tools applies the same cap (exit 1, the reason named, no hashes printed)", async () => {
    const tool = `tool_0000_${"x".repeat(60)}`;
    const root = await writeProject({
      "manifests/org.yaml": stringify({
        environments: ENVS,
        services: {
          rag: mcpService(
            { url: `${huge.url}/mcp` },
            { maxBodyBytes: 50_000, mcp: { transport: "streamable-http", requiredTools: [tool] } },
          ),
        },
      }),
    });
    dirs.push(root);
    const r = await runCli(["mcp-tools", "--root", root, "--env", "local"], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("could not list tools: response-too-large: MCP response from");
    expect(r.stdout).not.toContain(tool);
  });

  it("a stdio server writing an endless message is cut off at the cap", async () => {
    const dir = await tempDir("tollgate-net-");
    dirs.push(dir);
    const script = path.join(dir, "flood.mjs");
    // Answers nothing and writes one never-ending line: the SDK would buffer it all waiting for "\n".
    await writeFile(
      script,
      `const chunk = "x".repeat(65536);\nconst t = setInterval(() => { if (!process.stdout.write(chunk)) {} }, 1);\nprocess.stdin.on("end", () => { clearInterval(t); process.exit(0); });\nprocess.stdin.resume();\n`,
    );
    const r = await probe({
      flood: mcpService(
        { command: [process.execPath, script] },
        { maxBodyBytes: 200_000, mcp: { transport: "stdio", requiredTools: [] } },
      ),
    });
    expect(r.flood).toMatchObject({
      status: "unhealthy",
      stage: "response-too-large",
      detail: expect.stringContaining("over 200000 bytes"),
    });
  });
});

describe("--deadline bounds the whole run", () => {
  let b: Running;
  let root: string;
  beforeAll(async () => {
    b = await startBehaviours();
    closers.push(b.close);
    const services: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++)
      services[`hang-${String(i).padStart(2, "0")}`] = {
        kind: "http-api",
        owner: "t",
        tier: "high",
        endpoints: { local: { url: `${b.url}/hang` } },
        healthCheck: { timeout: "10m", retries: 3 },
      };
    services.spare = {
      kind: "http-api",
      owner: "t",
      tier: "low",
      optional: true,
      endpoints: { local: { url: `${b.url}/hang` } },
      healthCheck: { timeout: "10m", retries: 1 },
    };
    root = await writeProject({ "manifests/org.yaml": stringify({ environments: ENVS, services }) });
    dirs.push(root);
  });

  it("40 hanging services: every probe ends as `deadline`, exit 1", async () => {
    const r = await runCli(["probe", "--root", root, "--env", "local", "--format", "json", "--deadline", "1s"], {
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ healthy: 0, deadline: 41, total: 41 });
    for (const res of out.results)
      expect(res).toMatchObject({
        status: "deadline",
        stage: "deadline",
        detail: "not finished when the run deadline (1000 ms) passed",
      });
    expect(r.stderr).toContain("40 required services not healthy");
  });

  it("only optional services past the deadline: exit 0; text output names them", async () => {
    const r = await runCli(["probe", "--root", root, "--env", "local", "--service", "spare", "--deadline", "500ms"], {
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^spare \(optional\)\s+http-api\s+deadline\s+deadline\s/m);
    expect(r.stdout).toContain("local: 0 healthy, 0 unhealthy, 0 skipped, 1 past the deadline of 1");
  });

  it("a bad --deadline is a usage error (exit 2)", async () => {
    for (const bad of ["0s", "25d", "soon", "-1s"]) {
      const r = await runCli(["probe", "--root", root, "--env", "local", "--deadline", bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toMatch(/^<command line>:1:1 invalid-option --deadline must be a duration from 1ms to 1d /);
    }
  });

  it("in-flight probes are aborted at the deadline: their connections close (HTTP, TCP/redis)", async () => {
    const open = new Set<net.Socket>();
    let closed = 0;
    let allClosed!: () => void;
    const bothClosed = new Promise<void>((r) => (allClosed = r));
    const server = net.createServer((s) => {
      // accepts, reads, never answers
      open.add(s);
      s.resume();
      s.on("close", () => {
        open.delete(s);
        if (++closed === 2) allClosed();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    closers.push(
      () =>
        new Promise((r) => {
          for (const s of open) s.destroy();
          server.close(() => r());
        }),
    );
    const port = (server.address() as net.AddressInfo).port;
    const model = buildModel({
      environments: ENVS,
      services: {
        web: {
          kind: "http-api",
          owner: "t",
          tier: "high",
          endpoints: { local: { url: `http://127.0.0.1:${port}/` } },
          healthCheck: { timeout: "10m", retries: 1 },
        },
        cache: {
          kind: "infra",
          owner: "t",
          tier: "high",
          endpoints: { local: { url: `redis://127.0.0.1:${port}` } },
          healthCheck: { timeout: "10m", retries: 1 },
        },
      },
    } as any);
    const { results } = await runProbes(model, { env: "local", concurrency: 4, environment: {}, deadlineMs: 500 });
    expect(results.map((r) => `${r.service}:${r.status}`).sort()).toEqual(["cache:deadline", "web:deadline"]);
    await bothClosed; // without the abort, both sockets would stay open for the 10m timeout
  });

  it("the default is 80% of the shortest interval of the environment's probe schedule", () => {
    expect(defaultDeadlineMs()).toBe(48_000);
    expect(defaultDeadlineMs("*/5 * * * *")).toBe(240_000);
    expect(defaultDeadlineMs("0,10 * * * *")).toBe(480_000);
    expect(defaultDeadlineMs("0 6 * * *")).toBe(86_400_000 * 0.8);
  });
});

describe("validate refuses what would fail at probe time", () => {
  const manifest = [
    "environments:",
    "  local: { deployed: true, probe: { timeout: 25d } }",
    "  production: { production: true, deployed: false }",
    "services:",
    "  api:",
    "    kind: http-api",
    "    owner: t",
    "    tier: high",
    '    endpoints: { local: { url: "http://127.0.0.1:9/" } }',
    "    healthCheck:",
    "      timeout: 25d",
    "      expect:",
    '        bodyMatches: "("',
    "  ok:",
    "    kind: http-api",
    "    owner: t",
    "    tier: high",
    '    healthCheck: { timeout: 10m, expect: { bodyMatches: "\\\\(ok\\\\)" } }',
    "apis:",
    "  ok-api:",
    "    service: ok",
    "    provider: { model: token-bucket }",
    "    client: { retry: { maxAttempts: 3, backoff: exponential, jitter: full, maxDelay: 25d } }",
    "",
  ].join("\n");

  it("25d timeouts and an invalid regex are located errors, exit 2", async () => {
    const root = await writeProject({ "manifests/org.yaml": manifest });
    dirs.push(root);
    const r = await runCli(["validate", "--root", root, "--format", "json"]);
    expect(r.code).toBe(2);
    const diags = JSON.parse(r.stdout).diagnostics.map((d: any) => `${d.code}@${d.line}`);
    expect(diags).toEqual(
      expect.arrayContaining([
        "duration-too-long@2",
        "duration-too-long@11",
        "invalid-regex@13",
        "duration-too-long@23",
      ]),
    );
    expect(diags.filter((d: string) => d.endsWith("@18"))).toEqual([]); // 10m and an escaped ( are fine
    const text = await runCli(["validate", "--root", root]);
    expect(text.stdout).toContain(
      "manifests/org.yaml:13:9 invalid-regex `bodyMatches`: not a valid regular expression (Unterminated group)",
    );
    expect(text.stdout).toContain(
      "manifests/org.yaml:11:7 duration-too-long `timeout`: 25d is longer than a probe timeout may be (10m)",
    );
  });
});
