/**
 * Webhook-security probe: sends the cases webhook-cases.ts builds from the signing profile and
 * names every control a receiver is missing. The first validly signed delivery must be accepted;
 * without it nothing else can be judged.
 */
import { profileFor, REPLAYED_HEADER, secretProblem } from "@tollgate/webhooks";
import { durationSeconds } from "../../model/duration.js";
import type { WebhookT } from "../../model/schema.js";
import { request } from "./http-client.js";
import { failFromHttpError } from "./http.js";
import { ProbeFailure, type Outcome } from "./types.js";
import { buildCases, type ProbeCase, type ProbeRequest } from "./webhook-cases.js";
import { formatAge, keepDelivery, replayCandidate, type KeptDelivery } from "./webhook-replays.js";

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
    throw new ProbeFailure({
      stage: "config",
      latencyMs: 0,
      detail: `probe.path ${JSON.stringify(path)} must be an absolute path on ${base.origin} (start with a single /)`,
    });
  }
  return target.href;
}

/** Deliveries kept from earlier runs (--state) and where to put the list for the next one. */
export interface ReplayMemory {
  kept: KeptDelivery[];
  save(next: KeptDelivery[]): void;
}

export async function probeWebhook(
  url: string,
  w: WebhookT,
  secret: string,
  timeoutMs: number,
  signal?: AbortSignal,
  memory?: ReplayMemory,
): Promise<Outcome> {
  const profile = profileFor(w)!;
  // A secret that decodes to no key signs what anyone can sign: nothing the receiver does then proves anything.
  const problem = secretProblem(profile, secret);
  if (problem)
    throw new ProbeFailure({
      stage: "config",
      latencyMs: 0,
      detail: `the probe's signing secret (${w.signature!.probeSecretEnv ?? "probeSecretEnv"}) ${problem}`,
    });
  const reject = w.probe?.rejectStatus ?? [400, 401, 403, 409];
  const accept = w.probe?.acceptStatus ?? [200, 202, 204];
  const acknowledge = w.probe?.duplicates === "acknowledge";
  const target = probeTarget(url, w);
  const deadline = Date.now() + timeoutMs;
  const tolerance = w.timestampTolerance ? durationSeconds(w.timestampTolerance) : (profile.toleranceSeconds ?? 300);
  const { before, first, after } = buildCases({
    profile,
    secret,
    nowSec: Math.floor(Date.now() / 1000),
    toleranceSec: tolerance,
    extraHeaders: w.probe?.headers ?? {},
  });
  // Per-request latencies: the recorded latency is the first valid delivery's (what a real
  // delivery experiences), or the last request's when it was never sent.
  let lastMs = 0;
  let validMs: number | undefined;

  const send = async (r: ProbeRequest) => {
    const sent = Date.now();
    try {
      const res = await request({
        url: target,
        method: "POST",
        headers: r.headers,
        body: r.body,
        deadline,
        maxRedirects: 0,
        maxBodyBytes: 65_536,
        ...(signal ? { signal } : {}),
      });
      lastMs = Date.now() - sent;
      return {
        status: res.status,
        replayed: String(res.headers[REPLAYED_HEADER.toLowerCase()] ?? "").toLowerCase() === "true",
      };
    } catch (e) {
      return { status: failFromHttpError(e, sent), replayed: false };
    }
  };
  const latency = () => validMs ?? lastMs;
  const missing: string[] = [];
  let lateReplayed: string | undefined;
  const judge = async (c: ProbeCase) => {
    const { status, replayed } = await send(c.req);
    const ok =
      c.expect === "reject"
        ? reject.includes(status)
        : c.expect === "accept"
          ? accept.includes(status)
          : reject.includes(status) || (acknowledge && accept.includes(status) && replayed);
    if (!ok)
      missing.push(
        `${c.control}: HTTP ${status}${c.expect === "duplicate" && acknowledge && accept.includes(status) ? ` without ${REPLAYED_HEADER}: true` : ""}`,
      );
  };

  for (const c of before) await judge(c);
  const firstStatus = (await send(first)).status;
  validMs = lastMs;
  if (!accept.includes(firstStatus)) {
    throw new ProbeFailure({
      stage: "webhook-security",
      latencyMs: latency(),
      detail: `a validly signed fresh ${profile.provider} delivery was refused (HTTP ${firstStatus}); check the signing secret, the scheme and probe.headers${missing.length ? `; also missing: ${missing.join("; ")}` : ""}`,
    });
  }
  for (const c of after) await judge(c);
  // Across runs: a delivery kept from an earlier run, still inside the declared TTL, must stay a duplicate.
  const ttlMs = w.idempotency ? durationSeconds(w.idempotency.ttl) * 1000 : undefined;
  if (memory && ttlMs && !profile.timestamp) {
    const nowMs = Date.now();
    const late = replayCandidate(memory.kept, nowMs, ttlMs);
    if (late) {
      const before = missing.length;
      await judge({
        name: "late replay",
        expect: "duplicate",
        control: `idempotency TTL (a delivery the probe first sent ${formatAge(nowMs - late.at)} ago, inside the declared ttl ${w.idempotency!.ttl}, was processed again)`,
        req: { headers: late.headers, body: late.body },
      });
      if (missing.length === before) lateReplayed = formatAge(nowMs - late.at);
    }
    memory.save(keepDelivery(memory.kept, { at: nowMs, headers: first.headers, body: first.body }, nowMs, ttlMs));
  }
  if (missing.length)
    throw new ProbeFailure({
      stage: "webhook-security",
      latencyMs: latency(),
      detail: `missing controls: ${missing.join("; ")}`,
    });
  const refused = before.map((c) => c.name).concat(after.filter((c) => c.expect === "duplicate").map((c) => c.name));
  const accepted = after.filter((c) => c.expect === "accept").map((c) => c.name);
  return {
    stage: "ok",
    latencyMs: latency(),
    detail: `${profile.provider}: refused ${refused.join(", ")}${acknowledge ? " (or acknowledged duplicates)" : ""}${lateReplayed ? `, a ${lateReplayed} old delivery` : ""}; accepted ${accepted.join(", ")}; accepted a valid one in ${latency()} ms`,
  };
}
