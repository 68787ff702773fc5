/** Probe results: what the text table, JSON and Prometheus outputs render. */
export type ProbeStatus =
  | "healthy"
  | "unhealthy"
  | "skipped"
  | "deadline" // not finished (or not started) when the run's --deadline passed
  | "not-probeable"; // its endpoint is a reserved name (.example, ...): nothing to contact, nothing measured

/** Where a probe stopped. "ok" when it got through every stage. */
export type Stage =
  | "ok"
  | "config"
  | "connect"
  | "tls"
  | "timeout"
  | "http"
  | "status"
  | "latency"
  | "body"
  | "redirect"
  | "health"
  | "auth"
  | "initialize"
  | "protocol"
  | "ping"
  | "tools-missing"
  | "drift"
  | "tool-error"
  | "webhook-security"
  | "dependency"
  | "breaker"
  | "response-too-large"
  | "deadline";

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
  mcp?: McpInfo;
}

/** What an MCP probe learned beyond pass/fail: the revision it negotiated and drift found. */
export interface McpInfo {
  revision?: string;
  drift?: { breaking: number; warning: number; info: number };
  changes?: DriftChange[];
}

export type DriftClass = "breaking" | "warning" | "info";

/** One difference between the lock file and the live server, classified (checks/probe/mcp-drift.ts). */
export interface DriftChange {
  tool: string;
  class: DriftClass;
  /** Stable code, e.g. "tool-removed", "required-added" (docs/probes.md lists them). */
  code: string;
  detail: string;
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
  mcp?: McpInfo;
}

export class ProbeFailure extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome.detail);
  }
}
