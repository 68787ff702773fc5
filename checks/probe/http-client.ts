/**
 * A small HTTP(S) GET/POST on node:http with what probes need and fetch does not expose: the
 * negotiated TLS version, bounded redirects, a body size cap, and one deadline for the whole
 * exchange (a slow-drip body cannot outlive it).
 */
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import type { TLSSocket } from "node:tls";

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
      a = isHttps ? new https.Agent({ ...common, minVersion: "TLSv1.2", ...(caFile ? { ca: readFileSync(caFile) } : {}) }) : new http.Agent(common);
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
  constructor(readonly kind: "timeout" | "connect" | "tls" | "redirect" | "body" | "http", message: string) {
    super(message);
  }
}

const TLS_ERRORS = /CERT|SSL|TLS|self.signed|unable to verify|wrong version|unsupported protocol|handshake/i;

function once(req: HttpRequest, url: URL): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const remaining = req.deadline - Date.now();
    if (remaining <= 0) return reject(new HttpError("timeout", "timed out"));
    const isHttps = url.protocol === "https:";
    const options: https.RequestOptions = {
      method: req.method ?? "GET",
      headers: { "user-agent": "tollgate-probe", accept: "*/*", ...(req.headers ?? {}), ...(req.body !== undefined ? { "content-length": Buffer.byteLength(req.body).toString() } : {}) },
      ...(req.agents
        ? { agent: req.agents.get(isHttps, req.caFile) }
        : { agent: false as const, ...(isHttps ? { minVersion: "TLSv1.2" as const, ...(req.caFile ? { ca: readFileSync(req.caFile) } : {}) } : {}) }),
    };
    let settled = false;
    const finish = (fn: () => void) => { if (!settled) { settled = true; clearTimeout(timer); fn(); } };
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
      res.on("end", () => finish(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), ...(tlsVersion ? { tlsVersion } : {}), redirects: 0, url: url.href })));
      res.on("error", (e) => finish(() => reject(new HttpError("http", e.message))));
    });
    const timer = setTimeout(() => {
      r.destroy();
      finish(() => reject(new HttpError("timeout", `no complete answer within ${Math.max(0, Math.round(remaining))} ms`)));
    }, remaining);
    r.on("error", (e: NodeJS.ErrnoException) => {
      const msg = e.code ? `${e.code}: ${e.message}` : e.message;
      finish(() => reject(new HttpError(TLS_ERRORS.test(msg) ? "tls" : "connect", msg)));
    });
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

export async function request(req: HttpRequest): Promise<HttpResponse> {
  let url = new URL(req.url);
  for (let redirects = 0; ; redirects++) {
    const res = await once(req, url);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location && (req.method ?? "GET") === "GET") {
      if (redirects >= req.maxRedirects) throw new HttpError("redirect", `more than ${req.maxRedirects} redirects`);
      url = new URL(location, url);
      continue;
    }
    return { ...res, redirects };
  }
}
