/** Probe results: what the text table, JSON and Prometheus outputs render. */
export type ProbeStatus = "healthy" | "unhealthy" | "skipped"
  | "deadline" // not finished (or not started) when the run's --deadline passed
  | "not-probeable"; // its endpoint is a reserved name (.example, ...): nothing to contact, nothing measured

/** Where a probe stopped. "ok" when it got through every stage. */
export type Stage =
  | "ok" | "config" | "connect" | "tls" | "timeout" | "http" | "status" | "latency" | "body" | "redirect"
  | "health" | "initialize" | "ping" | "tools-missing" | "drift" | "tool-error" | "webhook-security" | "dependency" | "breaker"
  | "response-too-large" | "deadline";

export interface ProbeResult {
  service: string;
  kind: string;
  optional: boolean;
  status: ProbeStatus;
  stage: Stage;
  latencyMs: number;
  attempts: number;
  detail: string;
  rateLimited?: boolean;
  history?: HistorySummary;
}

export interface HistorySummary {
  runs: number;
  failures: number;
  successRate: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  flapping: boolean;
}

/** An attempt's outcome; a failed one is thrown as ProbeFailure so the retry policy sees it. */
export interface Outcome {
  stage: Stage;
  latencyMs: number;
  detail: string;
  rateLimited?: boolean;
}

export class ProbeFailure extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.detail);
  }
}
