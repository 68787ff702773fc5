/**
 * A real MCP server (the SDK's McpServer over Streamable HTTP) with a /health endpoint, in the
 * modes servers are deployed in: stateful with SSE responses (the SDK default), stateful with JSON
 * responses, or stateless JSON. Stateful modes count their live sessions, so a test can see what a
 * probe leaves open.
 */
import { randomUUID } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import { startHttp, type Running } from "./listen.js";

export type McpMode = "stateful-sse" | "stateful-json" | "stateless-json";

export interface McpBehaviour {
  tools?: string[];
  /** Tools whose calls throw (the RAG server with a missing dependency). */
  broken?: boolean;
  /** Adds a field to query_support's input schema (tool drift). */
  changedSchema?: boolean;
  /** Tool calls never answer (initialize, ping and tools/list still do). */
  hang?: boolean;
  /** Tool calls answer isError with this text (a server echoing what it was sent). */
  errorText?: string;
  /** Session and response mode; stateful SSE is what the SDK does unless told otherwise. */
  mode?: McpMode;
  /** tools/list answers this many tools a page, with nextCursor (the SDK's McpServer never pages). */
  pageSize?: number;
  /** tools/list declares this outputSchema for query_support (the SDK would check its own output). */
  declareOutput?: Record<string, unknown>;
  /** query_support's structuredContent. */
  structured?: Record<string, unknown>;
}

function buildServer(b: McpBehaviour): McpServer {
  const server = new McpServer({ name: "stand-in", version: "1.0.0" });
  for (const name of b.tools ?? ["query_support", "refresh_index", "insight_report"]) {
    const inputSchema: Record<string, z.ZodType> =
      name === "query_support"
        ? { query: z.string(), ...(b.changedSchema ? { tenant: z.string() } : {}), topK: z.number().optional() }
        : { note: z.string().optional() };
    server.registerTool(name, { description: `${name} stand-in`, inputSchema }, async () => {
      if (b.broken) throw new Error("ModuleNotFoundError: No module named 'llama_index.vector_stores'");
      if (b.hang) await new Promise<never>(() => undefined);
      if (b.errorText !== undefined) return { isError: true, content: [{ type: "text", text: b.errorText }] };
      return {
        content: [{ type: "text", text: `${name}: ok` }],
        ...(name === "query_support" && b.structured ? { structuredContent: b.structured } : {}),
      };
    });
  }
  if (b.pageSize || b.declareOutput) {
    // The SDK's own tools/list answer, cut into pages: a cursor is the index of the page's first tool.
    const handlers = (
      server.server as unknown as {
        _requestHandlers: Map<string, (r: any, x: unknown) => Promise<{ tools: unknown[] }>>;
      }
    )._requestHandlers;
    const all = handlers.get("tools/list")!;
    const size = b.pageSize ?? 1000;
    handlers.set("tools/list", async (request, extra) => {
      const tools = (await all(request, extra)).tools.map((t: any) =>
        t.name === "query_support" && b.declareOutput ? { ...t, outputSchema: b.declareOutput } : t,
      );
      const start = Number(request.params?.cursor ?? 0);
      return {
        tools: tools.slice(start, start + size),
        ...(start + size < tools.length ? { nextCursor: String(start + size) } : {}),
      };
    });
  }
  return server;
}

export interface McpRunning extends Running {
  healthHits: () => number;
  /** Sessions opened and not yet ended (always 0 when stateless). */
  openSessions: () => number;
  /** Sessions ever opened. */
  sessionsOpened: () => number;
}

export async function startMcp(b: McpBehaviour = {}): Promise<McpRunning> {
  const mode = b.mode ?? "stateful-sse";
  let healthHits = 0;
  let opened = 0;
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();
  const running = await startHttp(async (req, res) => {
    const p = new URL(req.url!, "http://x").pathname;
    if (p === "/health") {
      healthHits++;
      setTimeout(() => res.end(JSON.stringify({ status: "ok" })), 5);
      return;
    }
    if (p !== "/mcp") {
      res.statusCode = 404;
      res.end();
      return;
    }
    if (mode === "stateless-json") {
      const server = buildServer(b);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
      return;
    }
    const id = req.headers["mcp-session-id"];
    if (typeof id === "string") {
      const known = sessions.get(id);
      if (!known) {
        res.statusCode = 404;
        res.end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32001, message: "Session not found" }, id: null }));
        return;
      }
      await known.transport.handleRequest(req, res);
      return;
    }
    const server = buildServer(b);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: mode === "stateful-json",
      onsessioninitialized: (sid) => {
        opened++;
        sessions.set(sid, { transport, server });
      },
      onsessionclosed: (sid) => {
        sessions.delete(sid);
        void server.close();
      },
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  return {
    ...running,
    healthHits: () => healthHits,
    openSessions: () => sessions.size,
    sessionsOpened: () => opened,
    close: async () => {
      for (const s of sessions.values()) await s.server.close().catch(() => undefined);
      sessions.clear();
      await running.close();
    },
  };
}
