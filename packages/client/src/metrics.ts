/**
 * The client's Prometheus series, on the registry the app passes in. prom-client is an optional
 * peer dependency, imported only when a registry is given. The names are a contract (dashboards
 * and `tollgate probe` read them): change them only together with docs/client.md.
 */
import type { BreakerState } from "./breaker.js";

export type StatusClass = "2xx" | "3xx" | "4xx" | "5xx" | "network" | "timeout" | "circuit_open";

export interface ClientMetrics {
  /** Resolves once the series exist (prom-client loaded); rejects when it cannot be loaded. */
  ready: Promise<void>;
  request(cls: StatusClass, seconds: number): void;
  retry(): void;
  throttleWait(seconds: number): void;
  circuit(state: BreakerState): void;
  tokens(prompt: number, completion: number): void;
  spend(usd: number): void;
}

/** The structural part of a prom-client Registry this uses. */
export interface RegistryLike {
  getSingleMetric(name: string): unknown;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

const noop: ClientMetrics = {
  ready: Promise.resolve(),
  request() {},
  retry() {},
  throttleWait() {},
  circuit() {},
  tokens() {},
  spend() {},
};

type Series = {
  requests: { inc(l: object, v?: number): void };
  duration: { observe(l: object, v: number): void };
  retries: { inc(l: object, v?: number): void };
  waits: { inc(l: object, v?: number): void };
  waitSeconds: { inc(l: object, v?: number): void };
  circuit: { set(l: object, v: number): void };
  tokens: { inc(l: object, v?: number): void };
  spend: { inc(l: object, v?: number): void };
};

export function createMetrics(registry: RegistryLike | undefined, api: string): ClientMetrics {
  if (!registry) return noop;
  let series: Series | null = null;
  const ready = import("prom-client").then((prom) => {
    const reg = registry as unknown as import("prom-client").Registry;
    // Several APIs share one registry: the first client registers a series, the others reuse it.
    const get = <T>(name: string, make: () => T): T => (reg.getSingleMetric(name) as T | undefined) ?? make();
    const counter = (name: string, help: string, labelNames: string[]) =>
      get(name, () => new prom.Counter({ name, help, labelNames, registers: [reg] }));
    series = {
      requests: counter(
        "tollgate_client_requests_total",
        "API calls made by the client (each attempt), by status class.",
        ["api", "status_class"],
      ),
      duration: get(
        "tollgate_client_request_duration_seconds",
        () =>
          new prom.Histogram({
            name: "tollgate_client_request_duration_seconds",
            help: "Time from sending an attempt to its response headers.",
            labelNames: ["api"],
            buckets: BUCKETS,
            registers: [reg],
          }),
      ),
      retries: counter("tollgate_client_retries_total", "Attempts repeated after a retryable failure.", ["api"]),
      waits: counter("tollgate_client_throttle_waits_total", "Times a call waited for the declared budget.", ["api"]),
      waitSeconds: counter(
        "tollgate_client_throttle_wait_seconds_total",
        "Seconds calls spent waiting for the declared budget.",
        ["api"],
      ),
      circuit: get(
        "tollgate_client_circuit_state",
        () =>
          new prom.Gauge({
            name: "tollgate_client_circuit_state",
            help: "Circuit breaker state: 0 closed, 1 half-open, 2 open.",
            labelNames: ["api"],
            registers: [reg],
          }),
      ),
      tokens: counter("tollgate_client_tokens_total", "Tokens the provider reported in usage, by kind.", [
        "api",
        "kind",
      ]),
      spend: counter("tollgate_client_spend_usd_total", "Spend in USD from the declared unit price.", ["api"]),
    };
    // Every API's series exist from the start, so a scrape proves the client is wired before traffic.
    for (const s of [series.retries, series.waits, series.waitSeconds, series.spend]) s.inc({ api }, 0);
    for (const kind of ["prompt", "completion"]) series.tokens.inc({ api, kind }, 0);
    series.circuit.set({ api }, 0);
  });
  ready.catch(() => {});
  const when = (f: (s: Series) => void) => {
    if (series) f(series);
    else
      void ready.then(
        () => series && f(series),
        () => {},
      );
  };
  return {
    ready,
    request: (cls, seconds) =>
      when((s) => {
        s.requests.inc({ api, status_class: cls });
        if (cls !== "circuit_open") s.duration.observe({ api }, seconds);
      }),
    retry: () => when((s) => s.retries.inc({ api })),
    throttleWait: (seconds) =>
      when((s) => {
        s.waits.inc({ api });
        s.waitSeconds.inc({ api }, seconds);
      }),
    circuit: (state) => when((s) => s.circuit.set({ api }, state)),
    tokens: (prompt, completion) =>
      when((s) => {
        s.tokens.inc({ api, kind: "prompt" }, prompt);
        s.tokens.inc({ api, kind: "completion" }, completion);
      }),
    spend: (usd) => when((s) => s.spend.inc({ api }, usd)),
  };
}
