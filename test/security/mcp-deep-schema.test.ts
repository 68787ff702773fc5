/**
 * A hostile MCP server (the SDK's own Server on 127.0.0.1) lists a tool whose input schema nests
 * 3,000 levels. Hashing it for `toolSchemas` pinning recursed once per level and overflowed the
 * stack; now the walk is bounded (MAX_SCHEMA_DEPTH) and the probe fails at its schema stage with
 * `mcp-schema-too-deep`, and `tollgate mcp-tools` reports it for that service, both without a stack trace.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_SCHEMA_DEPTH } from "../../checks/probe/mcp.js";
import { removeDir, runCli, writeProject } from "../helpers/project.js";
import { startHttp, type Running } from "../helpers/servers.js";

const closers: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of closers) await c();
  await Promise.all(dirs.map(removeDir));
});

function deepSchema(levels: number): Record<string, unknown> {
  let s: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < levels; i++) s = { type: "array", items: s };
  return { type: "object", properties: { deep: s } };
}

async function hostileMcp(levels: number): Promise<Running> {
  const running = await startHttp(async (req, res) => {
    const server = new Server({ name: "deep", version: "1.0.0" }, { capabilities: { tools: {} } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: [{ name: "deep_tool", description: "nested", inputSchema: deepSchema(levels) as { type: "object" } }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  closers.push(running.close);
  return running;
}

async function project(url: string): Promise<string> {
  const rag = {
    kind: "mcp",
    owner: "t",
    tier: "high",
    endpoints: { local: { url: `${url}/mcp` } },
    healthCheck: {
      timeout: "30s",
      retries: 1,
      mcp: { transport: "streamable-http", requiredTools: ["deep_tool"], toolSchemas: { deep_tool: "0".repeat(64) } },
    },
  };
  const root = await writeProject({
    "manifests/org.yaml": stringify({ environments: { local: { deployed: true } }, services: { rag } }),
  });
  dirs.push(root);
  return root;
}

describe("an MCP tool schema nested 3,000 levels", () => {
  it("fails the probe at its schema stage with mcp-schema-too-deep, not a stack overflow", {
    timeout: 180_000,
  }, async () => {
    const root = await project((await hostileMcp(3_000)).url);
    const r = await runCli(["probe", "--root", root, "--env", "local", "--format", "json"], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout).results[0];
    expect(result).toMatchObject({ service: "rag", status: "unhealthy", stage: "drift" });
    expect(result.detail).toContain("mcp-schema-too-deep");
    expect(result.detail).toContain(`deeper than ${MAX_SCHEMA_DEPTH} levels`);
    expect(r.stdout + r.stderr).not.toMatch(/Maximum call stack|\n\s+at .*:\d+:\d+/);
  });

  it("tollgate mcp-tools names the problem for that service", { timeout: 180_000 }, async () => {
    const root = await project((await hostileMcp(3_000)).url);
    const r = await runCli(["mcp-tools", "--root", root, "--env", "local"], { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/# rag \(local\): could not list tools: mcp-schema-too-deep/);
    expect(r.stdout + r.stderr).not.toMatch(/Maximum call stack|\n\s+at .*:\d+:\d+/);
  });

  it("a schema just inside the bound is still hashed and compared (a plain drift)", { timeout: 180_000 }, async () => {
    const root = await project((await hostileMcp(MAX_SCHEMA_DEPTH - 10)).url);
    const r = await runCli(["probe", "--root", root, "--env", "local", "--format", "json"], { timeoutMs: 120_000 });
    const result = JSON.parse(r.stdout).results[0];
    expect(result.stage).toBe("drift");
    expect(result.detail).toContain("input schema of deep_tool changed");
  });
});
