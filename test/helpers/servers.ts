/**
 * Real servers on 127.0.0.1 (free ports) for probe tests: HTTP behaviours, TLS, MCP servers
 * built with the SDK (mcp-servers.ts), and webhook receivers. Every server is closed by the test that starts it.
 */
import { execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";

import { listen, startHttp, type Running } from "./listen.js";

export { listen, startHttp, type Running };

/** Behaviours named in the probe issue, each on its own path of one server. */
export async function startBehaviours(): Promise<Running & { hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const running = await startHttp((req, res) => {
    const p = new URL(req.url!, "http://x").pathname;
    hits.set(p, (hits.get(p) ?? 0) + 1);
    const n = hits.get(p)!;
    switch (p) {
      case "/healthy":
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ status: "ok", checks: { db: "up" } }));
        return;
      case "/slow":
        setTimeout(() => res.end("ok"), 300);
        return;
      case "/flaky":
        if (n <= 2) {
          res.statusCode = 503;
          res.end("warming up");
        } else res.end("ok");
        return;
      case "/error":
        res.statusCode = 500;
        res.end("boom");
        return;
      case "/limited":
        res.statusCode = 429;
        res.end("slow down");
        return;
      case "/hang":
        return; // never answers
      case "/drip":
        res.write("a");
        {
          const t = setInterval(() => {
            if (!res.destroyed) res.write("a");
            else clearInterval(t);
          }, 100);
          res.on("close", () => clearInterval(t));
        }
        return;
      case "/huge":
        res.end(Buffer.alloc(2_000_000, 97));
        return;
      case "/loop":
        res.statusCode = 302;
        res.setHeader("location", "/loop");
        res.end();
        return;
      case "/redirect-once":
        res.statusCode = 302;
        res.setHeader("location", "/healthy");
        res.end();
        return;
      case "/headers":
        res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
        return;
      default:
        res.statusCode = 404;
        res.end();
    }
  });
  return { ...running, hits };
}

/**
 * A self-signed certificate for 127.0.0.1, generated now with openssl (no key is committed), in a
 * folder of the caller's, which removes it with its other temporary folders.
 */
export function selfSignedCert(dir: string): { key: string; cert: string; certFile: string } {
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      `${dir}/key.pem`,
      "-out",
      `${dir}/cert.pem`,
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return {
    key: readFileSync(`${dir}/key.pem`, "utf8"),
    cert: readFileSync(`${dir}/cert.pem`, "utf8"),
    certFile: `${dir}/cert.pem`,
  };
}

export function startHttps(tls: { key: string; cert: string }, options: https.ServerOptions = {}): Promise<Running> {
  return listen(
    https.createServer({ ...tls, ...options }, (_req, res) => res.end("ok")),
    "https",
  );
}

export { startMcp, type McpBehaviour, type McpMode } from "./mcp-servers.js";

export interface HookOptions {
  secret: string;
  strict: boolean;
  toleranceSec?: number;
  /** Milliseconds to wait before answering with this status (a slow endpoint). */
  delayFor?: (status: number) => number;
}

/** The manifest's `webhooks.hook` entry that startWebhookReceiver's strict mode verifies: HMAC-SHA256 over "timestamp.body", hex, `sha256=`. */
export const strictReceiverWebhook = (extra: Record<string, unknown> = {}) => ({
  service: "hook",
  signature: {
    scheme: "hmac-sha256",
    header: "X-Signature",
    secret: "HOOK_SECRET",
    encoding: "hex",
    prefix: "sha256=",
    timestampHeader: "X-Timestamp",
    signedPayload: "timestamp.body",
    probeSecretEnv: "TG_HOOK_SECRET",
  },
  timestampTolerance: "5m",
  idempotency: { store: "hook", keyHeader: "X-Delivery", ttl: "24h" },
  ...extra,
});

/** A webhook receiver. Strict: HMAC over "timestamp.body", timestamp window, delivery id required, replay store keyed on the signature. Lax: accepts anything. */
export async function startWebhookReceiver(
  o: HookOptions,
): Promise<Running & { accepted: () => number; paths: string[] }> {
  const seen = new Set<string>();
  const paths: string[] = [];
  let accepted = 0;
  const running = await startHttp((req, res) => {
    let body = "";
    paths.push(`${req.method} ${req.url}`);
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const answer = (code: number) => {
        if (code < 300) accepted++;
        setTimeout(() => {
          res.statusCode = code;
          res.end();
        }, o.delayFor?.(code) ?? 0);
      };
      if (!o.strict) return answer(200);
      const ts = String(req.headers["x-timestamp"] ?? "");
      const sig = String(req.headers["x-signature"] ?? "");
      const expected = `sha256=${createHmac("sha256", o.secret).update(`${ts}.${body}`).digest("hex")}`;
      if (!sig || sig !== expected) return answer(401);
      if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > (o.toleranceSec ?? 300)) return answer(403);
      // The delivery id is unsigned: duplicates are recognised by the signature (over timestamp and body).
      if (!req.headers["x-delivery"]) return answer(400);
      if (seen.has(sig)) return answer(409);
      seen.add(sig);
      answer(202);
    });
  });
  return { ...running, accepted: () => accepted, paths };
}
