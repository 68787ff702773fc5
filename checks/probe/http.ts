/** HTTP health probe: status, latency, JSON field and body conditions, TLS 1.2+, bounded redirects. */
import type { ServiceT } from "../../model/schema.js";
import { HttpError, request, type AgentPool } from "./http-client.js";
import { ProbeFailure, type Outcome, type Stage } from "./types.js";

export interface ProbeEnv {
  timeoutMs: number;
  headers: Record<string, string>;
  agents?: AgentPool;
  /** Aborted when the run's overall deadline passes. */
  signal?: AbortSignal;
}

export function jsonPath(value: unknown, path: string): unknown {
  let v = value;
  for (const seg of path.split(".")) {
    if (v === null || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

export function failFromHttpError(e: unknown, started: number): never {
  if (e instanceof HttpError) {
    const stage: Stage =
      e.kind === "timeout"
        ? "timeout"
        : e.kind === "tls"
          ? "tls"
          : e.kind === "redirect"
            ? "redirect"
            : e.kind === "body"
              ? "body"
              : e.kind === "reserved"
                ? "config"
                : e.kind === "aborted"
                  ? "deadline"
                  : "connect";
    throw new ProbeFailure({ stage, latencyMs: Date.now() - started, detail: e.message });
  }
  throw e;
}

export async function probeHttp(url: string, service: ServiceT, env: ProbeEnv): Promise<Outcome> {
  const hc = service.healthCheck ?? {};
  const started = Date.now();
  let res;
  try {
    res = await request({
      url,
      headers: env.headers,
      deadline: started + env.timeoutMs,
      maxRedirects: hc.maxRedirects ?? 5,
      maxBodyBytes: hc.maxBodyBytes ?? 1_048_576,
      ...(hc.tls?.caFile ? { caFile: hc.tls.caFile } : {}),
      ...(env.agents ? { agents: env.agents } : {}),
      ...(env.signal ? { signal: env.signal } : {}),
    });
  } catch (e) {
    failFromHttpError(e, started);
  }
  const latencyMs = Date.now() - started;
  const fail = (stage: Stage, detail: string, extra: Partial<Outcome> = {}): never => {
    throw new ProbeFailure({ stage, latencyMs, detail, ...extra });
  };
  const expect = hc.expect ?? {};
  const allowed = expect.status === undefined ? null : Array.isArray(expect.status) ? expect.status : [expect.status];
  const statusOk = allowed ? allowed.includes(res.status) : res.status >= 200 && res.status < 300;
  if (!statusOk)
    fail(
      "status",
      `HTTP ${res.status}${allowed ? ` (expected ${allowed.join(" or ")})` : ""}`,
      res.status === 429 ? { rateLimited: true } : {},
    );
  if (res.tlsVersion && !["TLSv1.2", "TLSv1.3"].includes(res.tlsVersion))
    fail("tls", `negotiated ${res.tlsVersion}, below TLS 1.2`);
  if (expect.bodyMatches && !new RegExp(expect.bodyMatches).test(res.body))
    fail("body", `body does not match /${expect.bodyMatches}/`);
  if (expect.json?.length) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      fail("body", "body is not JSON");
    }
    for (const cond of expect.json) {
      const got = jsonPath(parsed, cond.path);
      if (got !== cond.equals)
        fail("body", `${cond.path} is ${JSON.stringify(got)}, expected ${JSON.stringify(cond.equals)}`);
    }
  }
  if (expect.maxLatencyMs !== undefined && latencyMs > expect.maxLatencyMs)
    fail("latency", `${latencyMs} ms, over ${expect.maxLatencyMs} ms`);
  return {
    stage: "ok",
    latencyMs,
    detail: `HTTP ${res.status}${res.tlsVersion ? ` ${res.tlsVersion}` : ""}${res.redirects ? ` after ${res.redirects} redirect${res.redirects === 1 ? "" : "s"}` : ""}`,
  };
}
