/**
 * The exporter's HTTP endpoints: GET /probe?service=NAME, GET /metrics, GET /-/healthy,
 * GET /-/ready and POST /-/reload. Nothing here reads a URL or host from the request: the only
 * input to a probe is a service name, looked up in the loaded manifests.
 */
import http from "node:http";
import type { Socket } from "node:net";
import type { Exporter } from "./exporter.js";

/** Prometheus' default scrape_timeout, used when a request carries no X-Prometheus-Scrape-Timeout-Seconds. */
export const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000;
/** Subtracted from the scrape timeout so the answer is back before Prometheus gives up (as blackbox's timeout_offset). */
export const TIMEOUT_OFFSET_MS = 500;
/** Longest scrape timeout honoured: a client cannot hold a probe slot (or a queue place) for an hour. */
export const MAX_SCRAPE_TIMEOUT_MS = 120_000;

/** The probe's budget for a scrape timeout: 0.5 s less, but never less than half of it. */
export function probeBudgetMs(header: string | undefined): number | undefined {
  if (header === undefined) return DEFAULT_SCRAPE_TIMEOUT_MS - TIMEOUT_OFFSET_MS;
  const seconds = Number(header.trim());
  if (header.trim() === "" || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  const ms = Math.min(seconds * 1000, MAX_SCRAPE_TIMEOUT_MS);
  return Math.max(1, Math.floor(Math.max(ms - TIMEOUT_OFFSET_MS, ms / 2)));
}

export interface ServerHooks {
  /** Runs on POST /-/reload; resolves to an error text when the reload failed. */
  reload: () => Promise<string | undefined>;
  /** Aborted when shutdown starts: queued probes give up, /-/ready answers 503. */
  shutdown: AbortSignal;
  /** `--allow-debug`: /probe answers `debug=true` (a failure's detail may quote a server's answer). */
  allowDebug?: boolean;
}

const TEXT = "text/plain; charset=utf-8";

export function createExporterServer(
  exporter: Exporter,
  hooks: ServerHooks,
): { server: http.Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const send = (code: number, body: string, contentType = TEXT, headers: Record<string, string> = {}) => {
      res.writeHead(code, {
        "content-type": contentType,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        ...headers,
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    handle(exporter, hooks, req, res, send).catch((e: unknown) => {
      // Never a stack trace and never a secret: the message goes through the run's redactor.
      const message = (e as Error)?.message ?? String(e);
      if (!res.headersSent)
        send(500, `internal error: ${exporter.config?.redactor.redact(message) ?? "unavailable"}\n`);
      else res.destroy();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  return { server, sockets };
}

type Send = (code: number, body: string, contentType?: string, headers?: Record<string, string>) => void;

async function handle(
  exporter: Exporter,
  hooks: ServerHooks,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  send: Send,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://exporter.invalid");
  } catch {
    return send(400, "bad request target\n"); // the client's error, not an internal one
  }
  const read = req.method === "GET" || req.method === "HEAD";
  const only = (allowed: string) => send(405, `method not allowed: use ${allowed}\n`, TEXT, { allow: allowed });
  switch (url.pathname) {
    case "/probe": {
      // Not HEAD: a request that cannot carry the answer does not start a probe.
      if (req.method !== "GET") return only("GET");
      const answer = send;
      send = (code, ...rest) => {
        exporter.metrics.requests.inc({ code: String(code) });
        answer(code, ...rest);
      };
      const names = url.searchParams.getAll("service");
      if (names.length > 1) return send(400, "give one service per request: /probe?service=NAME\n");
      const budget = probeBudgetMs(req.headers["x-prometheus-scrape-timeout-seconds"] as string | undefined);
      if (budget === undefined)
        return send(400, "X-Prometheus-Scrape-Timeout-Seconds must be a positive number of seconds\n");
      // The client leaving (its socket closed before the answer) cancels the probe or its place in the queue.
      const gone = new AbortController();
      res.on("close", () => {
        if (!res.writableFinished) gone.abort();
      });
      const debugs = url.searchParams.getAll("debug");
      if (debugs.length > 1 || (debugs.length === 1 && debugs[0] !== "true" && debugs[0] !== "false"))
        return send(400, "debug takes one value, true or false: /probe?service=NAME&debug=true\n");
      const debug = debugs[0] === "true";
      if (debug && !hooks.allowDebug)
        return send(403, "debug answers are off: start tollgate serve with --allow-debug\n");
      const a = await exporter.probe(
        names[0],
        budget,
        AbortSignal.any([hooks.shutdown, gone.signal]),
        gone.signal,
        debug,
      );
      if (gone.signal.aborted) return; // nobody to answer (and no 503 counted for it)
      return send(a.code, a.body, a.contentType);
    }
    case "/metrics":
      if (!read) return only("GET");
      return send(200, await exporter.metrics.registry.metrics(), exporter.metrics.registry.contentType);
    case "/-/healthy":
      if (!read) return only("GET");
      return send(200, "Tollgate exporter is Healthy.\n");
    case "/-/ready":
      if (!read) return only("GET");
      return hooks.shutdown.aborted || !exporter.config
        ? send(503, "Tollgate exporter is not ready.\n")
        : send(200, "Tollgate exporter is Ready.\n");
    case "/-/reload": {
      if (req.method !== "POST" && req.method !== "PUT") return only("POST");
      const error = await hooks.reload();
      return error === undefined
        ? send(200, "reloaded\n")
        : send(500, `reload failed; the previous manifests are still served:\n${error}\n`);
    }
    case "/":
      if (!read) return only("GET");
      return send(
        200,
        `Tollgate exporter (env ${exporter.config?.env ?? "?"})\n\nGET /probe?service=NAME${hooks.allowDebug ? "[&debug=true]" : ""}\nGET /metrics\nGET /-/healthy\nGET /-/ready\nPOST /-/reload\n`,
      );
    default:
      return send(404, "not found\n");
  }
}
