/**
 * Webhook-security probe: the endpoint must refuse an unsigned request, a wrongly signed one, a
 * stale one and a replay, and accept a validly signed fresh one. A refusal that is missing names
 * the control that is missing.
 */
import { createHmac, randomBytes } from "node:crypto";
import { durationSeconds } from "../../model/duration.js";
import type { WebhookT } from "../../model/schema.js";
import { request } from "./http-client.js";
import { failFromHttpError } from "./http.js";
import { ProbeFailure, type Outcome } from "./types.js";

export function sign(secret: string, w: WebhookT, body: string, timestamp: string): string {
  const sig = w.signature!;
  const payload = sig.signedPayload === "timestamp.body" ? `${timestamp}.${body}` : body;
  return `${sig.prefix}${createHmac("sha256", secret).update(payload).digest(sig.encoding === "base64" ? "base64" : "hex")}`;
}

/**
 * Where the security probes are posted: the endpoint URL, or `probe.path` resolved against its
 * origin. A path that would leave the endpoint's origin is refused: the signed requests carry a
 * valid signature and must only reach the service the secret belongs to.
 */
export function probeTarget(url: string, w: WebhookT): string {
  const path = w.probe?.path;
  if (path === undefined) return url;
  const base = new URL(url);
  let target: URL | undefined;
  try {
    target = path.startsWith("/") && !path.startsWith("//") ? new URL(path, base.origin) : undefined;
  } catch {
    target = undefined;
  }
  if (!target || target.origin !== base.origin) {
    throw new ProbeFailure({ stage: "config", latencyMs: 0, detail: `probe.path ${JSON.stringify(path)} must be an absolute path on ${base.origin} (start with a single /)` });
  }
  return target.href;
}

export async function probeWebhook(url: string, w: WebhookT, secret: string, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
  const sig = w.signature!;
  const reject = w.probe?.rejectStatus ?? [401, 403, 409];
  const accept = w.probe?.acceptStatus ?? [200, 202, 204];
  const target = probeTarget(url, w);
  const started = Date.now();
  const deadline = started + timeoutMs;
  const nowSec = Math.floor(Date.now() / 1000);
  const tolerance = w.timestampTolerance ? durationSeconds(w.timestampTolerance) : 300;
  // Per-request latencies: the probe sends up to five requests one after another, and the sum is
  // the probe's duration, not the endpoint's latency. The recorded latency is the validly signed
  // request's (what a real delivery experiences), or the last request's when it was never sent.
  let lastMs = 0;
  let validMs: number | undefined;

  const send = async (headers: Record<string, string>, body: string) => {
    const sent = Date.now();
    try {
      const status = (await request({ url: target, method: "POST", headers: { "content-type": "application/json", ...headers }, body, deadline, maxRedirects: 0, maxBodyBytes: 65_536, ...(signal ? { signal } : {}) })).status;
      lastMs = Date.now() - sent;
      return status;
    } catch (e) {
      return failFromHttpError(e, sent);
    }
  };
  const latency = () => validMs ?? lastMs;
  const make = (ts: number, opts: { sign?: "valid" | "wrong" | "none" } = {}) => {
    const id = randomBytes(8).toString("hex");
    const body = JSON.stringify({ tollgate_probe: true, id });
    const timestamp = String(ts);
    const headers: Record<string, string> = {};
    if (sig.timestampHeader) headers[sig.timestampHeader] = timestamp;
    if (w.idempotency) headers[w.idempotency.keyHeader] = id;
    if (opts.sign === "valid") headers[sig.header] = sign(secret, w, body, timestamp);
    if (opts.sign === "wrong") headers[sig.header] = sign(`${secret}-wrong`, w, body, timestamp);
    return { headers, body };
  };

  const missing: string[] = [];
  const checks: [string, { headers: Record<string, string>; body: string }, string][] = [
    ["unsigned", make(nowSec, { sign: "none" }), "signature verification (unsigned request accepted)"],
    ["wrong signature", make(nowSec, { sign: "wrong" }), "signature verification (wrong signature accepted)"],
  ];
  if (sig.timestampHeader) checks.push(["stale timestamp", make(nowSec - tolerance - 120, { sign: "valid" }), `timestamp tolerance (request ${tolerance + 120}s old accepted)`]);
  for (const [, req, control] of checks) {
    const status = await send(req.headers, req.body);
    if (!reject.includes(status)) missing.push(`${control}: HTTP ${status}`);
  }
  const valid = make(nowSec, { sign: "valid" });
  const first = await send(valid.headers, valid.body);
  validMs = lastMs;
  if (!accept.includes(first)) {
    throw new ProbeFailure({ stage: "webhook-security", latencyMs: latency(), detail: `a validly signed fresh request was refused (HTTP ${first}); check the signing secret and payload format${missing.length ? `; also missing: ${missing.join("; ")}` : ""}` });
  }
  const replay = await send(valid.headers, valid.body);
  if (!reject.includes(replay)) missing.push(`replay protection (replayed request accepted): HTTP ${replay}`);
  if (missing.length) throw new ProbeFailure({ stage: "webhook-security", latencyMs: latency(), detail: `missing controls: ${missing.join("; ")}` });
  return { stage: "ok", latencyMs: latency(), detail: `refused unsigned, wrong signature${sig.timestampHeader ? ", stale" : ""} and replayed requests; accepted a valid one in ${latency()} ms` };
}
