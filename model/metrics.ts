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
} as const;

export const RECORDED = {
  successRatio: (w: string) => `tollgate:probe_success:ratio_${w}`,
  latency: (q: "p50" | "p95" | "p99") => `tollgate:probe_duration_seconds:${q}_1h`,
  rateLimitedRatio: "tollgate:probe_rate_limited:ratio_1h",
} as const;

/** MCP stages that mean "the server answers but its tools do not work". */
export const TOOL_STAGES = ["tools-missing", "tool-error", "drift"] as const;
