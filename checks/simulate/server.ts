/** The provider stand-in's HTTP server: loopback only, counts everything it sees. */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { type Answer, type Flavor, concurrencyAnswer, guessFlavor, makeFlavor } from "./flavors.js";
import type { ProviderSpec } from "./provider-limits.js";

export interface SimulatorOptions {
  api: string;
  provider: ProviderSpec;
  flavor?: Flavor;
  /** Share of admitted requests answered 503 (0-1), for breaker tests. */
  failureRate?: number;
  random?: () => number;
  now?: () => number;
  /** How long an admitted request takes (real milliseconds), so requests overlap. */
  latencyMs?: number;
  host?: string;
  port?: number;
}

export interface SimulatorStats {
  received: number;
  /** Arrival times (simulator clock) of every request, limited or not. */
  arrivals: number[];
  /** Arrival times (simulator clock) of the requests it admitted. */
  admitted: number[];
  rateLimited: number;
  throttled: number;
  failed: number;
  inFlight: number;
  maxInFlight: number;
}

export interface Simulator {
  url: string;
  port: number;
  flavor: Flavor;
  stats: SimulatorStats;
  close(): Promise<void>;
}

export const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 1_000_000) throw new Error("body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function startSimulator(o: SimulatorOptions): Promise<Simulator> {
  const host = o.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) throw new Error(`the simulator listens on loopback only, not ${host}`);
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const flavor = o.flavor ?? guessFlavor(o.api);
  const answer = makeFlavor(flavor, o.provider, now());
  const stats: SimulatorStats = {
    received: 0,
    arrivals: [],
    admitted: [],
    rateLimited: 0,
    throttled: 0,
    failed: 0,
    inFlight: 0,
    maxInFlight: 0,
  };
  let id = 0;
  const server = createServer(async (req, res) => {
    stats.received++;
    stats.arrivals.push(now());
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.on("close", () => stats.inFlight--);
    let a: Answer;
    try {
      const text = await readBody(req);
      let json: Record<string, unknown> | null = null;
      try {
        json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
      } catch {
        json = null;
      }
      const limit = o.provider.concurrency;
      if (limit !== null && stats.inFlight > limit) a = concurrencyAnswer(flavor, limit);
      else {
        const at = now();
        a = answer({
          method: req.method ?? "GET",
          path: new URL(req.url ?? "/", "http://x").pathname,
          json,
          now: at,
          id: ++id,
        });
        if (!a.limited && random() < (o.failureRate ?? 0))
          a = { status: 503, headers: {}, body: { error: "simulated provider failure" } };
        if (a.status === 200 && !a.limited) stats.admitted.push(at);
      }
    } catch {
      a = { status: 400, headers: {}, body: { error: "unreadable request" } };
    }
    if (a.limited === "rate") stats.rateLimited++;
    if (a.limited === "throttled") stats.throttled++;
    if (a.status >= 500) stats.failed++;
    if (a.status === 200 && !a.limited && o.latencyMs) await new Promise((r) => setTimeout(r, o.latencyMs));
    res.writeHead(a.status, { "content-type": "application/json", ...a.headers });
    res.end(JSON.stringify(a.body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    flavor,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The most requests admitted within any window of `perMs` (half-open, as providers count). */
export function peakPerWindow(times: number[], perMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while ((t[i] as number) - (t[j] as number) >= perMs) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}
