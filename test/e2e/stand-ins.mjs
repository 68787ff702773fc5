// Stand-in services for the local fixture organization, on 127.0.0.1 only: the endpoints the
// probe checks, a textfile exporter (what node_exporter's textfile collector would serve), and the
// PagerDuty and Slack sinks Alertmanager delivers to. Used by the e2e test and, run directly, by
// the README's "See it work" section:  node test/e2e/stand-ins.mjs
import { createHmac, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export const FIXED_PORTS = {
  api: 18081,
  payments: 18082,
  rag: 18083,
  hook: 18084,
  exporter: 19100,
  pagerduty: 19095,
  slack: 19096,
};

function serve(port, handler) {
  const server = http.createServer(handler);
  const sockets = new Set();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () =>
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}

const readBody = (req) =>
  new Promise((r) => {
    let b = "";
    req.on("data", (c) => (b += c));
    req.on("end", () => r(b));
  });

/**
 * ports: which port each stand-in listens on (0 = any free port).
 * textfileDir: folder whose *.prom files the exporter serves at /metrics.
 * hookSecret: the webhook receiver's HMAC key.
 */
export async function startStandIns({ ports = FIXED_PORTS, textfileDir, hookSecret, log = () => {} }) {
  // ragReworded and ragTenant change the RAG tool against the fixture's mcp-tools.lock.yaml:
  // a reworded description (a drift warning) and a new required argument (breaking drift).
  const state = { apiFailing: false, ragBroken: false, ragReworded: false, ragTenant: false, hookDelayMs: 0 };
  const sinks = { pagerduty: [], slack: [] };
  const seen = new Set();
  const running = {};

  running.api = await serve(ports.api, (req, res) => {
    res.statusCode = state.apiFailing ? 500 : 200;
    res.end(state.apiFailing ? "down" : "ok");
  });
  running.payments = await serve(ports.payments, (_req, res) => res.end("ok"));
  // The RAG stand-in is stateful with SSE responses (what the SDK does by default), so a probe
  // that does not end its session leaves it here: ragSessions counts what is still open.
  const ragSessions = new Map();
  const ragServer = () => {
    const server = new McpServer({ name: "rag-stand-in", version: "1.0.0" });
    const description = state.ragReworded
      ? "Answers questions from the support knowledge base"
      : "answers support questions";
    const inputSchema = { query: z.string(), ...(state.ragTenant ? { tenant: z.string() } : {}) };
    server.registerTool(
      "query_support",
      { description, inputSchema, annotations: { readOnlyHint: true } },
      async () => {
        if (state.ragBroken) throw new Error("ModuleNotFoundError: No module named 'llama_index'");
        return { content: [{ type: "text", text: "Use the reset link on the login page." }] };
      },
    );
    return server;
  };
  running.rag = await serve(ports.rag, async (req, res) => {
    if (req.url === "/health") return res.end(JSON.stringify({ status: "ok" }));
    const sid = req.headers["mcp-session-id"];
    if (typeof sid === "string") {
      const known = ragSessions.get(sid);
      if (!known) {
        res.statusCode = 404;
        return res.end();
      }
      return known.transport.handleRequest(req, res);
    }
    const server = ragServer();
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => ragSessions.set(id, { transport, server }),
      onsessionclosed: (id) => {
        ragSessions.delete(id);
        server.close();
      },
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  });
  running.hook = await serve(ports.hook, async (req, res) => {
    const body = await readBody(req);
    // hookDelayMs slows accepted deliveries (the work a real receiver does); refusals stay fast.
    const answer = (code) =>
      setTimeout(
        () => {
          res.statusCode = code;
          res.end();
        },
        code < 300 ? state.hookDelayMs : 0,
      );
    if (req.method !== "POST") return answer(200);
    const ts = String(req.headers["x-timestamp"] ?? "");
    const expected = `sha256=${createHmac("sha256", hookSecret).update(`${ts}.${body}`).digest("hex")}`;
    if (req.headers["x-signature"] !== expected) return answer(401);
    if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return answer(403);
    // X-Delivery is not signed: it must be present, but duplicates are recognised by the signature.
    if (!req.headers["x-delivery"]) return answer(400);
    if (seen.has(expected)) return answer(409);
    seen.add(expected);
    answer(202);
  });
  running.exporter = await serve(ports.exporter, async (req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/control" && req.method === "POST") {
      for (const k of Object.keys(state))
        if (url.searchParams.has(k))
          state[k] = typeof state[k] === "boolean" ? url.searchParams.get(k) === "1" : Number(url.searchParams.get(k));
      log(`state: ${JSON.stringify(state)}`);
      return res.end(`${JSON.stringify(state)}\n`);
    }
    let text = "";
    try {
      for (const f of readdirSync(textfileDir)
        .filter((n) => n.endsWith(".prom"))
        .sort())
        text += readFileSync(path.join(textfileDir, f), "utf8");
    } catch {
      /* no probe output yet */
    }
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(text);
  });
  for (const sink of ["pagerduty", "slack"]) {
    running[sink] = await serve(ports[sink], async (req, res) => {
      const body = await readBody(req);
      let parsed;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = body;
      }
      sinks[sink].push(parsed);
      log(
        `${sink} received: ${sink === "pagerduty" ? `${parsed.event_action} ${parsed.payload?.summary ?? ""}` : (parsed.attachments?.[0]?.title ?? parsed.text ?? "")}`,
      );
      res.statusCode = 202;
      res.end("{}");
    });
  }
  return {
    state,
    sinks,
    ragSessions: () => ragSessions.size,
    ports: Object.fromEntries(Object.entries(running).map(([k, v]) => [k, v.port])),
    close: () => {
      for (const { server } of ragSessions.values()) server.close();
      ragSessions.clear();
      return Promise.all(Object.values(running).map((r) => r.close()));
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const textfileDir = process.env.TEXTFILE_DIR ?? "/tmp/tollgate-local/textfile";
  const hookSecret = process.env.TOLLGATE_TEST_HOOK_SECRET ?? "local-demo-secret";
  const s = await startStandIns({ textfileDir, hookSecret, log: (m) => console.log(m) });
  console.log(`stand-ins on 127.0.0.1: ${JSON.stringify(s.ports)}`);
  console.log(`break the API:   curl -X POST '127.0.0.1:${s.ports.exporter}/control?apiFailing=1'`);
  console.log(`break RAG tools: curl -X POST '127.0.0.1:${s.ports.exporter}/control?ragBroken=1'`);
  console.log(
    `RAG tool drift:  curl -X POST '127.0.0.1:${s.ports.exporter}/control?ragReworded=1' (warning), ?ragTenant=1 (breaking)`,
  );
  console.log(`slow webhooks:   curl -X POST '127.0.0.1:${s.ports.exporter}/control?hookDelayMs=6000'`);
}
