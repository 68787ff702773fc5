/**
 * A small HTTP(S) GET/POST on node:http with what probes need and fetch does not expose: the
 * negotiated TLS version, bounded redirects, a body size cap, and one deadline for the whole
 * exchange (a slow-drip body cannot outlive it).
 *
 * Redirects follow the Fetch standard's credential rules: the configured headers (they carry
 * credentials) and Authorization/Cookie are dropped for good on any change of scheme, host or
 * port, and every target must pass the rules a declared endpoint passes (http/https only, no
 * userinfo, no reserved name: refused before any DNS lookup).
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import type { LookupFunction } from "node:net";
import type { TLSSocket } from "node:tls";
import { reservedHost, reservedHostname, reservedMessage } from "./reserved-host.js";

/**
 * Keep-alive agents shared by one probe run: services behind one host reuse connections instead
 * of paying a TCP (and TLS) handshake each. destroy() at the end of the run so the process exits.
 */
export class AgentPool {
  private readonly agents = new Map<string, http.Agent>();
  constructor(private readonly maxSockets: number) {}
  get(isHttps: boolean, caFile?: string): http.Agent {
    const key = `${isHttps ? "https" : "http"}|${caFile ?? ""}`;
    let a = this.agents.get(key);
    if (!a) {
      const common = { keepAlive: true, maxSockets: this.maxSockets, scheduling: "lifo" as const };
      a = isHttps
        ? new https.Agent({ ...common, minVersion: "TLSv1.2", ...(caFile ? { ca: readFileSync(caFile) } : {}) })
        : new http.Agent(common);
      this.agents.set(key, a);
    }
    return a;
  }
  destroy(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}

export interface HttpRequest {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  deadline: number;
  maxRedirects: number;
  maxBodyBytes: number;
  caFile?: string;
  agents?: AgentPool;
  /** Aborts the exchange (the run's overall deadline). */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  tlsVersion?: string;
  redirects: number;
  url: string;
}

export class HttpError extends Error {
  constructor(
    readonly kind: "timeout" | "connect" | "tls" | "redirect" | "body" | "http" | "reserved" | "aborted",
    message: string,
  ) {
    super(message);
  }
}

/** A DNS lookup that refuses reserved names: a second guard under the checks made before connecting. */
const guardedLookup = ((hostname: string, options: dns.LookupOptions, callback: (...args: any[]) => void) => {
  const reserved = reservedHostname(hostname);
  if (reserved)
    return process.nextTick(() => callback(Object.assign(new Error(reservedMessage(reserved)), { code: "ERESERVED" })));
  return dns.lookup(hostname, options, callback as any);
}) as unknown as LookupFunction;

const TLS_ERRORS = /CERT|SSL|TLS|self.signed|unable to verify|wrong version|unsupported protocol|handshake/i;

function once(req: HttpRequest, url: URL, headers: Record<string, string>): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const remaining = req.deadline - Date.now();
    if (remaining <= 0) return reject(new HttpError("timeout", "timed out"));
    if (req.signal?.aborted) return reject(new HttpError("aborted", "run deadline reached"));
    const isHttps = url.protocol === "https:";
    const options: https.RequestOptions = {
      method: req.method ?? "GET",
      lookup: guardedLookup,
      headers: {
        "user-agent": "tollgate-probe",
        accept: "*/*",
        ...headers,
        ...(req.body !== undefined ? { "content-length": Buffer.byteLength(req.body).toString() } : {}),
      },
      ...(req.agents
        ? { agent: req.agents.get(isHttps, req.caFile) }
        : {
            agent: false as const,
            ...(isHttps
              ? { minVersion: "TLSv1.2" as const, ...(req.caFile ? { ca: readFileSync(req.caFile) } : {}) }
              : {}),
          }),
    };
    let settled = false;
    const finish = (fn: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        req.signal?.removeEventListener("abort", onAbort);
        fn();
      }
    };
    const onAbort = () => {
      r.destroy();
      finish(() => reject(new HttpError("aborted", "run deadline reached")));
    };
    const r = (isHttps ? https : http).request(url, options, (res) => {
      const tlsVersion = isHttps ? ((res.socket as TLSSocket).getProtocol?.() ?? undefined) : undefined;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > req.maxBodyBytes) {
          res.destroy();
          finish(() => reject(new HttpError("body", `response body exceeds ${req.maxBodyBytes} bytes`)));
          return;
        }
        chunks.push(c);
      });
      res.on("end", () =>
        finish(() =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            ...(tlsVersion ? { tlsVersion } : {}),
            redirects: 0,
            url: url.href,
          }),
        ),
      );
      res.on("error", (e) => finish(() => reject(new HttpError("http", e.message))));
    });
    const timer = setTimeout(() => {
      r.destroy();
      finish(() =>
        reject(new HttpError("timeout", `no complete answer within ${Math.max(0, Math.round(remaining))} ms`)),
      );
    }, remaining);
    req.signal?.addEventListener("abort", onAbort, { once: true });
    r.on("error", (e: NodeJS.ErrnoException) => {
      const msg = e.code ? `${e.code}: ${e.message}` : e.message;
      finish(() => reject(new HttpError(TLS_ERRORS.test(msg) ? "tls" : "connect", msg)));
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

/** Same scheme, host and port (URL normalises default ports and case). */
function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.hostname === b.hostname && a.port === b.port;
}

/** Why a redirect target may not be followed, or undefined when it may. */
function refuseTarget(target: URL): string | undefined {
  if (target.protocol !== "http:" && target.protocol !== "https:")
    return `redirect to a ${target.protocol.replace(/:$/, "")}: URL refused (http and https only)`;
  if (target.username || target.password) return "redirect to a URL with credentials refused";
  const reserved = reservedHost(target);
  if (reserved) return `redirect refused: ${reservedMessage(reserved)}`;
  return undefined;
}

export async function request(req: HttpRequest): Promise<HttpResponse> {
  const first = new URL(req.url);
  const reserved = reservedHost(first);
  if (reserved) throw new HttpError("reserved", reservedMessage(reserved));
  let url = first;
  // Only configured headers are sent (user-agent and accept are added per request); once dropped,
  // they stay dropped, even if a later hop returns to the first origin.
  let headers: Record<string, string> = { ...(req.headers ?? {}) };
  for (let redirects = 0; ; redirects++) {
    const res = await once(req, url, headers);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location && (req.method ?? "GET") === "GET") {
      if (redirects >= req.maxRedirects) throw new HttpError("redirect", `more than ${req.maxRedirects} redirects`);
      let target: URL;
      try {
        target = new URL(location, url);
      } catch {
        throw new HttpError("redirect", "redirect to an invalid URL");
      }
      const refused = refuseTarget(target);
      if (refused) throw new HttpError("redirect", refused);
      // Every configured header comes from the environment (a credential), so all of them go.
      if (!sameOrigin(url, target)) headers = {};
      url = target;
      continue;
    }
    return { ...res, redirects };
  }
}
