/**
 * A real MCP server built with the SDK's v2 server package (`createMcpHandler`): stateless, no
 * session, the 2026-07-28 revision (`server/discover`, per-request `_meta`). `legacy: "reject"`
 * makes it modern-only; "stateless" also answers 2025-era clients. Counts requests by JSON-RPC
 * method so a test can see which lifecycle a client used.
 */
import { McpServer, createMcpHandler } from "@modelcontextprotocol/server";
import { z } from "zod";
import { startHttp, type Running } from "./listen.js";

export interface ModernBehaviour {
  legacy?: "reject" | "stateless";
  /** Adds a required `tenant` argument to query_support (a breaking change). */
  requireTenant?: boolean;
  /** Rewords query_support's description (a warning). */
  reworded?: boolean;
  /** Turns on destructiveHint for query_support (breaking). */
  destructive?: boolean;
  /** How many extra tools to register. */
  extraTools?: number;
  /** Every request must carry `Authorization: Bearer <bearer>` (401 otherwise). */
  bearer?: string;
}

function factory(b: ModernBehaviour) {
  return () => {
    const server = new McpServer({ name: "modern-stand-in", version: "2.0.0" });
    server.registerTool(
      "query_support",
      {
        description: b.reworded ? "Answers questions about support articles" : "answers support questions",
        inputSchema: z.object({
          query: z.string(),
          ...(b.requireTenant ? { tenant: z.string() } : {}),
          topK: z.number().optional(),
        }),
        outputSchema: z.object({ answer: z.string(), sources: z.number() }),
        annotations: { readOnlyHint: !b.destructive, ...(b.destructive ? { destructiveHint: true } : {}) },
      },
      async ({ query }) => ({
        content: [{ type: "text", text: `answer to ${query}` }],
        structuredContent: { answer: `answer to ${query}`, sources: 2 },
      }),
    );
    for (let i = 0; i < (b.extraTools ?? 0); i++) {
      server.registerTool(
        `extra_${String(i).padStart(3, "0")}`,
        { description: "extra", inputSchema: z.object({}) },
        async () => ({ content: [{ type: "text", text: "ok" }] }),
      );
    }
    return server;
  };
}

export async function startModernMcp(b: ModernBehaviour = {}): Promise<Running & { methods: Map<string, number> }> {
  const handler = createMcpHandler(factory(b), { legacy: b.legacy ?? "reject" });
  const methods = new Map<string, number>();
  const running = await startHttp(async (req, res) => {
    if (b.bearer && req.headers.authorization !== `Bearer ${b.bearer}`) {
      res.statusCode = 401;
      res.setHeader("www-authenticate", "Bearer");
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    try {
      const m = JSON.parse(body.toString("utf8")).method;
      if (typeof m === "string") methods.set(m, (methods.get(m) ?? 0) + 1);
    } catch {
      /* not JSON: the handler answers it */
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await handler.fetch(
      new Request(`http://127.0.0.1${req.url}`, {
        method: req.method,
        headers,
        ...(req.method === "GET" || req.method === "HEAD" ? {} : { body }),
      }),
    );
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    if (answer.body) for await (const c of answer.body as unknown as AsyncIterable<Uint8Array>) res.write(c);
    res.end();
  });
  return { ...running, methods };
}
