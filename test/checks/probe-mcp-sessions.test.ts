/**
 * A monitor must not be what takes a server down: every MCP probe ends the session it opened (the
 * HTTP DELETE of Streamable HTTP). A real SDK server in stateful mode counts its live sessions;
 * after hundreds of consecutive probes none is left, whichever response mode it uses, and whether
 * the probe passed or failed at a later stage.
 */
import { afterAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { runProbes } from "../../checks/probe/runner.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import { startMcp, type McpMode } from "../helpers/mcp-servers.js";

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});

const TOOLS = ["query_support", "refresh_index", "insight_report"];
const service = (base: string, tools = TOOLS) => ({
  kind: "mcp",
  owner: "t",
  tier: "high",
  endpoints: { local: { url: `${base}/mcp` } },
  healthCheck: {
    timeout: "30s",
    retries: 1,
    mcp: {
      transport: "streamable-http",
      requiredTools: tools,
      smoke: { tool: "query_support", arguments: { query: "q" } },
    },
  },
});

async function probeOnce(services: Record<string, unknown>): Promise<ProbeResult[]> {
  const model = buildModel({ environments: { local: { deployed: true } }, services } as any);
  return (await runProbes(model, { env: "local", concurrency: 4, environment: {}, baseDelayMs: 10 })).results;
}

describe("MCP probes leave no session open", () => {
  it("600 consecutive probes of a stateful SSE server (the SDK default) leave 0 open sessions", async () => {
    const s = await startMcp({ mode: "stateful-sse" });
    closers.push(s.close);
    for (let i = 0; i < 600; i++) {
      const [r] = await probeOnce({ rag: service(s.url) });
      expect(r).toMatchObject({ status: "healthy", stage: "ok" });
    }
    // Each probe opened its own session, and each was ended.
    expect(s.sessionsOpened()).toBe(600);
    expect(s.openSessions()).toBe(0);
  }, 600_000);

  it.each<McpMode>(["stateful-json", "stateful-sse"])(
    "%s: a probe that fails after initialize still ends its session",
    async (mode) => {
      const s = await startMcp({ mode, broken: true });
      closers.push(s.close);
      for (let i = 0; i < 20; i++) {
        const results = await probeOnce({ missing: service(s.url, [...TOOLS, "not_there"]), failing: service(s.url) });
        const missing = results.find((r) => r.service === "missing");
        const failing = results.find((r) => r.service === "failing");
        expect(missing).toMatchObject({ status: "unhealthy", stage: "tools-missing" });
        expect(failing).toMatchObject({ status: "unhealthy", stage: "tool-error" });
      }
      expect(s.sessionsOpened()).toBe(40);
      expect(s.openSessions()).toBe(0);
    },
    300_000,
  );

  it("a stateless server (no session id) probes healthy and is sent no DELETE it cannot answer", async () => {
    const s = await startMcp({ mode: "stateless-json" });
    closers.push(s.close);
    const [r] = await probeOnce({ rag: service(s.url) });
    expect(r).toMatchObject({ status: "healthy", stage: "ok" });
    expect(s.sessionsOpened()).toBe(0);
  });
});
