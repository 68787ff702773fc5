/**
 * MCP failure details and stage classification against a real SDK server on 127.0.0.1: a failure
 * lists the stages that passed, a hanging tool call is a tool-stage failure (so McpToolFailing
 * fires, not only ServiceDown), and a probe without a smoke call says its tools were not exercised.
 */
import { afterAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { TOOL_STAGES } from "../../model/metrics.js";
import { renderJson, renderPrometheus, renderText } from "../../checks/probe/output.js";
import { runProbes } from "../../checks/probe/runner.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import { startMcp, type Running } from "../helpers/servers.js";

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});
async function keep<T extends Running>(p: Promise<T>): Promise<T> {
  const r = await p;
  closers.push(r.close);
  return r;
}

const TOOLS = ["query_support", "refresh_index", "insight_report"];
const mcp = (base: string, timeout: string, mcpCheck: Record<string, unknown> = {}) => ({
  kind: "mcp",
  owner: "t",
  tier: "high",
  endpoints: { local: { url: `${base}/mcp`, health: `${base}/health` } },
  healthCheck: {
    timeout,
    retries: 1,
    mcp: {
      transport: "streamable-http",
      requiredTools: TOOLS,
      smoke: { tool: "query_support", arguments: { query: "reset password" } },
      ...mcpCheck,
    },
  },
});

async function probe(
  services: Record<string, unknown>,
  environment: Record<string, string> = {},
): Promise<ProbeResult[]> {
  const model = buildModel({ environments: { local: { deployed: true } }, services } as any);
  return (await runProbes(model, { env: "local", concurrency: 4, environment, baseDelayMs: 10 })).results;
}

const PASSED = /^health \d+ ms ✓, initialize ✓ \(2025-11-25\), ping ✓, tools\/list ✓ → /;

describe("MCP failure detail lists the stages that passed", () => {
  it("every tool throws: health, initialize, ping and tools/list passed, the tool call failed", async () => {
    const s = await keep(startMcp({ broken: true }));
    const [r] = await probe({ rag: mcp(s.url, "10s") });
    expect(r).toMatchObject({ status: "unhealthy", stage: "tool-error" });
    expect(r!.detail).toMatch(PASSED);
    expect(r!.detail).toMatch(/→ tool call ✗: query_support (failed|returned an error).*ModuleNotFoundError/);
    // The same words reach the text table and the JSON contract.
    expect(renderText("local", [r!])).toContain(r!.detail);
    expect(JSON.parse(renderJson("2026-11-24", "local", [r!])).results[0].detail).toBe(r!.detail);
  });

  it("a missing required tool names what passed before it", async () => {
    const s = await keep(startMcp({ tools: ["query_support", "refresh_index"] }));
    const [r] = await probe({ rag: mcp(s.url, "10s") });
    expect(r).toMatchObject({ status: "unhealthy", stage: "tools-missing" });
    expect(r!.detail).toMatch(PASSED);
    expect(r!.detail).toMatch(/→ required tools ✗: required tool missing: insight_report$/);
  });
});

describe("a tool call that hangs", () => {
  it("is a tool-stage failure, so the tool alert's stage matcher fires", async () => {
    const s = await keep(startMcp({ hang: true }));
    const [r] = await probe({ rag: mcp(s.url, "5s") });
    expect(r).toMatchObject({ status: "unhealthy", stage: "tool-error" });
    expect(r!.detail).toMatch(PASSED);
    expect(r!.detail).toContain("→ tool call ✗: query_support did not answer within 5000 ms (timeout)");
    const prom = await renderPrometheus("local", [r!]);
    expect(prom).toContain('tollgate_probe_failed_stage{env="local",service="rag",kind="mcp",stage="tool-error"} 1');
    expect(TOOL_STAGES as readonly string[]).toContain(r!.stage);
  }, 30_000);
});

describe("without a smoke call", () => {
  it("a server whose tools all fail still passes the probe, and the detail says the tools were not exercised", async () => {
    const s = await keep(startMcp({ broken: true }));
    const [r] = await probe({ rag: mcp(s.url, "10s", { smoke: undefined }) });
    // The probe cannot know: that is what the mcp-no-smoke-call policy reports before deployment.
    expect(r).toMatchObject({ status: "healthy", stage: "ok" });
    expect(r!.detail).toMatch(/^health \d+ ms; 2025-11-25; 3 tools; no smoke call: tools not exercised$/);
  });
});

describe("a tool error that echoes a credential", () => {
  it("is redacted before it is shortened, so no part of the value is shown", async () => {
    // Built at run time. The server's error text puts it across the point where details used to be cut.
    const token = ["tg", "Q7x", "Lp2", "Vw9", "Zr4", "Kd8"].join("");
    const s = await keep(startMcp({ errorText: `${"x".repeat(190)}${token} and more` }));
    const service = mcp(s.url, "10s");
    (service.healthCheck as any).headers = { authorization: { fromEnv: "RAG_TOKEN" } };
    const [r] = await probe({ rag: service }, { RAG_TOKEN: token });
    expect(r).toMatchObject({ status: "unhealthy", stage: "tool-error" });
    expect(r!.detail).toContain("[REDACTED]");
    expect(r!.detail).not.toContain(token.slice(0, 6));
  });
});
