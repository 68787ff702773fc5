/**
 * MCP servers nobody here wrote, from npm, on 127.0.0.1: server-everything over stdio, Streamable
 * HTTP and the legacy HTTP+SSE transport, and server-memory over stdio with a manifest `env` value
 * reaching it; their broken variants fail at the right stage, and a stdio server that dies at start
 * shows its (redacted) standard error.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { runProbes } from "../../checks/probe/runner.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import { removeDir, tempDir } from "../helpers/project.js";
import { freePort, waitFor } from "../helpers/wait.js";

const require = createRequire(import.meta.url);
const EVERYTHING = path.join(
  path.dirname(require.resolve("@modelcontextprotocol/server-everything/package.json")),
  "dist/index.js",
);
const MEMORY = path.join(
  path.dirname(require.resolve("@modelcontextprotocol/server-memory/package.json")),
  "dist/index.js",
);
const BIND_LOCALHOST = path.join(path.dirname(fileURLToPath(import.meta.url)), "../helpers/bind-localhost.mjs");

const procs: ChildProcess[] = [];
let dir: string;
beforeAll(async () => {
  dir = await tempDir("tollgate-mcp-npm-");
});
afterAll(async () => {
  for (const p of procs) p.kill();
  await removeDir(dir);
});

/** server-everything over an HTTP transport on a free 127.0.0.1 port; resolves once it listens. */
async function everythingHttp(transport: "streamableHttp" | "sse"): Promise<string> {
  const port = await freePort();
  const p = spawn(process.execPath, ["--import", BIND_LOCALHOST, EVERYTHING, transport], {
    env: { PATH: process.env.PATH ?? "", PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  procs.push(p);
  let err = "";
  p.stderr!.on("data", (c) => (err += c));
  await waitFor(
    `server-everything ${transport} listening`,
    () => /(listening|running) on port/i.test(err),
    60_000,
    100,
  );
  return `http://127.0.0.1:${port}`;
}

const SMOKE = { tool: "get-structured-content", arguments: { location: "Chicago" } };
const svc = (endpoint: Record<string, unknown>, mcp: Record<string, unknown>) => ({
  kind: "mcp",
  owner: "t",
  tier: "high",
  endpoints: { local: endpoint },
  healthCheck: { timeout: "60s", retries: 1, mcp },
});

async function probe(
  services: Record<string, unknown>,
  environment: Record<string, string> = {},
): Promise<Record<string, ProbeResult>> {
  const model = buildModel({ environments: { local: { deployed: true } }, services } as any);
  const { results } = await runProbes(model, { env: "local", concurrency: 3, environment, baseDelayMs: 10 });
  return Object.fromEntries(results.map((r) => [r.service, r]));
}

describe("server-everything", () => {
  it("over stdio, Streamable HTTP and legacy SSE probes healthy (smoke output checked against its outputSchema)", async () => {
    const http = await everythingHttp("streamableHttp");
    const sse = await everythingHttp("sse");
    const r = await probe({
      stdio: svc(
        { command: [process.execPath, EVERYTHING, "stdio"] },
        { transport: "stdio", requiredTools: ["echo", "get-sum"], smoke: SMOKE },
      ),
      http: svc({ url: `${http}/mcp` }, { transport: "streamable-http", requiredTools: ["echo"], smoke: SMOKE }),
      sse: svc({ url: `${sse}/sse` }, { transport: "sse", requiredTools: ["echo"], smoke: SMOKE }),
    });
    for (const name of ["stdio", "http", "sse"]) {
      expect(r[name], name).toMatchObject({ status: "healthy", stage: "ok" });
      expect(r[name]!.mcp?.revision, name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(r.http!.detail).toContain("get-structured-content ok");
  }, 180_000);

  it("broken variants fail at the right stage: a missing tool, a failing call, a revision below the minimum", async () => {
    const http = await everythingHttp("streamableHttp");
    const r = await probe({
      missing: svc(
        { url: `${http}/mcp` },
        { transport: "streamable-http", requiredTools: ["echo", "not-a-tool"], smoke: SMOKE },
      ),
      failing: svc(
        { url: `${http}/mcp` },
        {
          transport: "streamable-http",
          requiredTools: ["echo"],
          smoke: { tool: "get-structured-content", arguments: { location: "Atlantis" } },
        },
      ),
      old: svc(
        { url: `${http}/mcp` },
        { transport: "streamable-http", requiredTools: ["echo"], minProtocol: "2026-07-28" },
      ),
    });
    expect(r.missing).toMatchObject({ status: "unhealthy", stage: "tools-missing" });
    expect(r.failing).toMatchObject({ status: "unhealthy", stage: "tool-error" });
    expect(r.old).toMatchObject({ status: "unhealthy", stage: "protocol" });
  }, 180_000);
});

describe("server-memory over stdio", () => {
  it("gets MEMORY_FILE_PATH from the manifest's env (by name from the probing environment), and a corrupt memory file fails the tool stage", async () => {
    const good = path.join(dir, "memory.jsonl");
    const corrupt = path.join(dir, "corrupt.jsonl");
    writeFileSync(corrupt, "{not json\n");
    const memory = (fromEnv: string, smoke: Record<string, unknown>) =>
      svc(
        { command: [process.execPath, MEMORY] },
        {
          transport: "stdio",
          requiredTools: ["read_graph", "create_entities"],
          env: { MEMORY_FILE_PATH: { fromEnv } },
          smoke,
        },
      );
    const create = {
      tool: "create_entities",
      arguments: {
        entities: [{ name: "tollgate-probe", entityType: "probe", observations: ["written by the probe"] }],
      },
    };
    const r = await probe(
      {
        writes: memory("TG_MEMORY_GOOD", create),
        corrupt: memory("TG_MEMORY_CORRUPT", { tool: "read_graph", arguments: {} }),
      },
      { TG_MEMORY_GOOD: good, TG_MEMORY_CORRUPT: corrupt },
    );
    expect(r.writes).toMatchObject({ status: "healthy", stage: "ok" });
    // The server wrote where the variable told it to: the value reached the process.
    expect(existsSync(good)).toBe(true);
    expect(readFileSync(good, "utf8")).toContain("tollgate-probe");
    expect(r.corrupt).toMatchObject({ status: "unhealthy", stage: "tool-error" });
    // An unset variable is a configuration error before anything is spawned.
    const unset = await probe({ unset: memory("TG_MEMORY_UNSET", create) });
    expect(unset.unset).toMatchObject({
      status: "unhealthy",
      stage: "config",
      detail: "environment variable not set: TG_MEMORY_UNSET",
    });
  }, 180_000);
});

describe("a stdio server that dies at start", () => {
  it("shows the end of its standard error, bounded, with the secret it echoed redacted", async () => {
    const token = ["tg", "Sx4", "Kq8", "Lm2", "Zp7"].join("");
    const script = `process.stderr.write("x".repeat(20000) + "\\nfatal: cannot reach the index with key " + process.env.API_KEY + "\\n"); process.exit(3)`;
    const r = await probe(
      {
        dead: svc(
          { command: [process.execPath, "-e", script] },
          { transport: "stdio", requiredTools: [], env: { API_KEY: { fromEnv: "TG_DEAD_KEY" } } },
        ),
      },
      { TG_DEAD_KEY: token },
    );
    expect(r.dead!.status).toBe("unhealthy");
    expect(r.dead!.detail).toContain("server stderr:");
    expect(r.dead!.detail).toContain("fatal: cannot reach the index with key [REDACTED]");
    expect(r.dead!.detail).not.toContain(token.slice(0, 6));
    expect(r.dead!.detail.length).toBeLessThan(1_500);
  }, 60_000);
});
