/**
 * Metric names are a contract between the probe (checks/) that writes them and the rules that
 * `tollgate synth` (infra/) generates. Both import them from here.
 */
export const METRICS = {
  success: "tollgate_probe_success",
  duration: "tollgate_probe_duration_seconds",
  attempts: "tollgate_probe_attempts",
  failedStage: "tollgate_probe_failed_stage",
  skipped: "tollgate_probe_skipped",
  rateLimited: "tollgate_probe_rate_limited",
  mcpProtocol: "tollgate_mcp_protocol_info",
  mcpDrift: "tollgate_mcp_drift_changes",
  /** Unix time the cron probe run finished (its textfile only: the staleness alert reads it). */
  lastRun: "tollgate_probe_last_run_timestamp_seconds",
  rotationDueDays: "tollgate_secret_rotation_due_days",
  projectedCost: "tollgate_api_projected_monthly_cost_usd",
  budget: "tollgate_api_monthly_budget_usd",
  readinessScore: "tollgate_readiness_score_percent",
  scorecardScore: "tollgate_readiness_scorecard_percent",
  categoryPassed: "tollgate_readiness_category_passed",
  findings: "tollgate_readiness_findings",
  /** 1 when the app's declared metrics endpoint has the client's series for this API, else 0. */
  clientMetricsPresent: "tollgate_client_metrics_present",
} as const;

/**
 * What @tollgate/client exports (prom-client, on the app's registry), all labelled `api`. Synth's
 * dashboard and cost alert query them; the probe looks for `requests` to prove an API is measured.
 * packages/client must keep these names (it cannot import this file: it depends on nothing of Tollgate).
 */
export const CLIENT_METRICS = {
  /** Counter, labels api, status_class. */
  requests: "tollgate_client_requests_total",
  /** Histogram (seconds), label api: `_bucket`, `_sum`, `_count`. */
  duration: "tollgate_client_request_duration_seconds",
  retries: "tollgate_client_retries_total",
  throttleWaits: "tollgate_client_throttle_waits_total",
  throttleWaitSeconds: "tollgate_client_throttle_wait_seconds_total",
  /** Gauge, label api: 0 closed, 1 half-open, 2 open. */
  circuitState: "tollgate_client_circuit_state",
  /** Counter, labels api, kind (prompt | completion). */
  tokens: "tollgate_client_tokens_total",
  spendUsd: "tollgate_client_spend_usd_total",
} as const;

/** Values of `status_class` on CLIENT_METRICS.requests. */
export const CLIENT_STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx", "network", "timeout", "circuit_open"] as const;
/** Values of CLIENT_METRICS.circuitState. */
export const CIRCUIT_STATE = { closed: 0, halfOpen: 1, open: 2 } as const;

export const RECORDED = {
  successRatio: (w: string) => `tollgate:probe_success:ratio_${w}`,
  latency: (q: "p50" | "p95" | "p99") => `tollgate:probe_duration_seconds:${q}_1h`,
  rateLimitedRatio: "tollgate:probe_rate_limited:ratio_1h",
} as const;

/** MCP stages that mean "the server answers but its tools do not work". */
export const TOOL_STAGES = ["tools-missing", "tool-error", "drift"] as const;
