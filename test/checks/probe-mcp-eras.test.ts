/**
 * Both protocol eras against real SDK servers on 127.0.0.1: a stateless-only 2026-07-28 server
 * (SDK v2, no initialize, no session) and a stateful 2025-era one (SDK v1) both probe healthy and
 * report their revision; minProtocol fails an older server at the protocol stage; a paginated
 * tools/list is read in full; drift against a lock file is classified; a smoke call whose
 * structuredContent breaks the tool's outputSchema fails at the tool stage.
 */
import { afterAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { renderPrometheus } from "../../checks/probe/output.js";
import { runProbes, type RunOptions } from "../../checks/probe/runner.js";
import type { ProbeResult } from "../../checks/probe/types.js";
import { listTools } from "../../checks/probe/mcp.js";
import { snapshotTools } from "../../checks/probe/mcp-drift.js";
import { startMcp } from "../helpers/mcp-servers.js";
import { startModernMcp } from "../helpers/mcp-modern.js";

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
});
async function keep<T extends { close: () => Promise<void> }>(p: Promise<T>): Promise<T> {
  const r = await p;
  closers.push(r.close);
  return r;
}

const service = (url: string, mcp: Record<string, unknown> = {}) => ({
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
      smoke: { tool: "query_support", arguments: { query: "reset password" } },
      ...mcp,
    },
  },
});

async function probe(
  services: Record<string, unknown>,
  extra: Partial<RunOptions> = {},
): Promise<Record<string, ProbeResult>> {
  const model = buildModel({ environments: { local: { deployed: true } }, services } as any);
  const { results } = await runProbes(model, {
    env: "local",
    concurrency: 4,
    environment: {},
    baseDelayMs: 10,
    ...extra,
  });
  return Object.fromEntries(results.map((r) => [r.service, r]));
}

describe("protocol eras", () => {
  it("a stateless-only 2026-07-28 server and a stateful 2025 server both probe healthy and report their revision", async () => {
    const modern = await keep(startModernMcp({ legacy: "reject" }));
    const legacy = await keep(startMcp({ mode: "stateful-sse" }));
    const r = await probe({ modern: service(modern.url), legacy: service(legacy.url) });
    expect(r.modern).toMatchObject({ status: "healthy", stage: "ok", mcp: { revision: "2026-07-28" } });
    expect(r.legacy).toMatchObject({ status: "healthy", stage: "ok", mcp: { revision: "2025-11-25" } });
    // The modern server saw discovery, never the 2025 handshake or ping.
    expect(modern.methods.get("server/discover")).toBeGreaterThan(0);
    expect(modern.methods.has("initialize")).toBe(false);
    expect(modern.methods.has("ping")).toBe(false);
    const prom = await renderPrometheus("local", Object.values(r));
    expect(prom).toContain(
      'tollgate_mcp_protocol_info{env="local",service="modern",kind="mcp",revision="2026-07-28"} 1',
    );
    expect(prom).toContain(
      'tollgate_mcp_protocol_info{env="local",service="legacy",kind="mcp",revision="2025-11-25"} 1',
    );
  }, 60_000);

  it("a server that speaks both eras negotiates the newest", async () => {
    const both = await keep(startModernMcp({ legacy: "stateless" }));
    const r = await probe({ both: service(both.url) });
    expect(r.both).toMatchObject({ status: "healthy", mcp: { revision: "2026-07-28" } });
  });

  it("minProtocol: a 2025 server fails at the protocol stage when 2026-07-28 is the minimum; a modern one passes", async () => {
    const modern = await keep(startModernMcp());
    const legacy = await keep(startMcp({ mode: "stateful-json" }));
    const r = await probe({
      modern: service(modern.url, { minProtocol: "2026-07-28" }),
      legacy: service(legacy.url, { minProtocol: "2026-07-28" }),
    });
    expect(r.modern).toMatchObject({ status: "healthy" });
    expect(r.legacy).toMatchObject({ status: "unhealthy", stage: "protocol", mcp: { revision: "2025-11-25" } });
    expect(r.legacy!.detail).toContain("server speaks 2025-11-25, below the declared minimum 2026-07-28");
    expect(legacy.openSessions()).toBe(0);
  });
});

describe("tools/list is read in full", () => {
  it("a paginated server (2 tools a page) lists all 25 tools; a tool on the last page counts as present", async () => {
    const tools = ["query_support", ...Array.from({ length: 24 }, (_, i) => `tool_${String(i).padStart(2, "0")}`)];
    const s = await keep(startMcp({ tools, pageSize: 2 }));
    const listed = await listTools({ url: `${s.url}/mcp` }, "streamable-http", {}, 30_000);
    expect(listed.tools.map((t) => t.name)).toEqual(tools);
    const r = await probe({ paged: service(s.url, { requiredTools: ["query_support", "tool_23"] }) });
    expect(r.paged).toMatchObject({ status: "healthy" });
    expect(r.paged!.detail).toContain("25 tools");
  });
});

describe("drift against the lock file", () => {
  it("benign changes pass with warnings and info reported; breaking ones fail at drift", async () => {
    const original = await keep(startModernMcp({ extraTools: 1 }));
    const lock = {
      rag: snapshotTools((await listTools({ url: `${original.url}/mcp` }, "streamable-http", {}, 30_000)).tools),
    };
    const reworded = await keep(startModernMcp({ reworded: true, extraTools: 2 }));
    const tenant = await keep(startModernMcp({ requireTenant: true, extraTools: 1 }));
    const destructive = await keep(startModernMcp({ destructive: true, extraTools: 1 }));
    const same = await probe({ rag: service(original.url) }, { mcpLock: lock });
    expect(same.rag).toMatchObject({ status: "healthy", mcp: { drift: { breaking: 0, warning: 0, info: 0 } } });
    expect(same.rag!.detail).toMatch(/matches the lock file$/);

    const benign = await probe({ rag: service(reworded.url) }, { mcpLock: lock });
    expect(benign.rag).toMatchObject({ status: "healthy", mcp: { drift: { breaking: 0, warning: 1, info: 1 } } });
    expect(benign.rag!.detail).toContain("query_support: description changed; extra_001: new tool");
    const prom = await renderPrometheus("local", [benign.rag!]);
    expect(prom).toContain('tollgate_mcp_drift_changes{env="local",service="rag",kind="mcp",class="warning"} 1');
    expect(prom).toContain('tollgate_mcp_drift_changes{env="local",service="rag",kind="mcp",class="breaking"} 0');

    const broken = await probe(
      { tenant: service(tenant.url), destructive: service(destructive.url) },
      { mcpLock: { tenant: lock.rag, destructive: lock.rag } },
    );
    expect(broken.tenant).toMatchObject({ status: "unhealthy", stage: "drift" });
    expect(broken.tenant!.detail).toContain(
      "→ drift ✗: breaking change against the lock file: query_support: new required argument tenant",
    );
    expect(broken.destructive).toMatchObject({ status: "unhealthy", stage: "drift" });
    expect(broken.destructive!.detail).toContain("query_support: destructiveHint turned on");
  }, 60_000);
});

describe("the smoke call's structuredContent", () => {
  const OUTPUT = {
    type: "object",
    properties: { answer: { type: "string" }, sources: { type: "integer" } },
    required: ["answer", "sources"],
  };
  it("passes when it matches the tool's outputSchema and fails at the tool stage when it does not", async () => {
    const good = await keep(startMcp({ declareOutput: OUTPUT, structured: { answer: "reset link", sources: 2 } }));
    const wrongType = await keep(
      startMcp({ declareOutput: OUTPUT, structured: { answer: "reset link", sources: "two" } }),
    );
    const missing = await keep(startMcp({ declareOutput: OUTPUT }));
    const r = await probe({ good: service(good.url), wrong: service(wrongType.url), missing: service(missing.url) });
    expect(r.good).toMatchObject({ status: "healthy" });
    expect(r.wrong).toMatchObject({ status: "unhealthy", stage: "tool-error" });
    expect(r.wrong!.detail).toMatch(/→ tool output ✗: query_support: .*sources/);
    expect(r.missing).toMatchObject({ status: "unhealthy", stage: "tool-error" });
    expect(r.missing!.detail).toMatch(/→ tool output ✗: query_support: .*structured content/i);
  });
});
