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

export async function probeWebhook(url: string, w: WebhookT, secret: string, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
  const sig = w.signature!;
  const reject = w.probe?.rejectStatus ?? [401, 403, 409];
  const accept = w.probe?.acceptStatus ?? [200, 202, 204];
  const started = Date.now();
  const deadline = started + timeoutMs;
  const nowSec = Math.floor(Date.now() / 1000);
  const tolerance = w.timestampTolerance ? durationSeconds(w.timestampTolerance) : 300;

  const send = async (headers: Record<string, string>, body: string) => {
    try {
      return (await request({ url, method: "POST", headers: { "content-type": "application/json", ...headers }, body, deadline, maxRedirects: 0, maxBodyBytes: 65_536, ...(signal ? { signal } : {}) })).status;
    } catch (e) {
      return failFromHttpError(e, started);
    }
  };
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
  if (!accept.includes(first)) {
    throw new ProbeFailure({ stage: "webhook-security", latencyMs: Date.now() - started, detail: `a validly signed fresh request was refused (HTTP ${first}); check the signing secret and payload format${missing.length ? `; also missing: ${missing.join("; ")}` : ""}` });
  }
  const replay = await send(valid.headers, valid.body);
  if (!reject.includes(replay)) missing.push(`replay protection (replayed request accepted): HTTP ${replay}`);
  if (missing.length) throw new ProbeFailure({ stage: "webhook-security", latencyMs: Date.now() - started, detail: `missing controls: ${missing.join("; ")}` });
  return { stage: "ok", latencyMs: Date.now() - started, detail: `refused unsigned, wrong signature${sig.timestampHeader ? ", stale" : ""} and replayed requests; accepted a valid one` };
}
