/**
 * The probe's three outputs: a text table, the JSON contract, and Prometheus text exposition. Each
 * takes the run's redactor (checks/probe/redact.ts) and redacts every string it prints.
 */
import picocolors from "picocolors";
import { Gauge, Registry } from "prom-client";
import { METRICS } from "../../model/metrics.js";
import type { ClientMetricsEvidence } from "./client-metrics.js";
import type { Redactor } from "./redact.js";
import type { ProbeResult } from "./types.js";
import { escapeTerminal } from "../../util/terminal-escape.js";

function clean(results: ProbeResult[], redactor: Redactor | undefined): ProbeResult[] {
  return redactor ? redactor.redactDeep(results) : results;
}

export function summary(results: ProbeResult[]) {
  return {
    healthy: results.filter((r) => r.status === "healthy").length,
    unhealthy: results.filter((r) => r.status === "unhealthy").length,
    skipped: results.filter((r) => r.status === "skipped").length,
    deadline: results.filter((r) => r.status === "deadline").length,
    notProbeable: results.filter((r) => r.status === "not-probeable").length,
    total: results.length,
  };
}

export function renderJson(
  now: string,
  env: string,
  all: ProbeResult[],
  redactor?: Redactor,
  clientMetrics: ClientMetricsEvidence[] = [],
): string {
  const results = clean(all, redactor);
  const evidence = redactor ? redactor.redactDeep(clientMetrics) : clientMetrics;
  return `${JSON.stringify(
    {
      now,
      env,
      summary: summary(results),
      // Only when an API declares its metrics endpoint here: `check --probe-results` decides client-no-metrics by it.
      ...(evidence.length ? { clientMetrics: evidence } : {}),
      results: results.map((r) => ({
        service: r.service,
        kind: r.kind,
        status: r.status,
        stage: r.stage,
        latencyMs: r.latencyMs,
        attempts: r.attempts,
        detail: r.detail,
        optional: r.optional,
        ...(r.history ? { history: r.history } : {}),
        ...(r.mcp ? { mcp: r.mcp } : {}),
      })),
    },
    null,
    2,
  )}\n`;
}

export function renderText(
  env: string,
  all: ProbeResult[],
  pc: ReturnType<typeof picocolors.createColors> = picocolors,
  redactor?: Redactor,
): string {
  const results = clean(all, redactor);
  const rows = results.map((r) => [
    escapeTerminal(r.service) + (r.optional ? " (optional)" : ""),
    r.kind,
    r.status,
    r.stage,
    r.status === "skipped" || r.status === "not-probeable" ? "-" : `${r.latencyMs} ms`,
    escapeTerminal(r.detail) +
      (r.history
        ? ` [${r.history.failures}/${r.history.runs} failed recently${r.history.flapping ? ", flapping" : ""}${r.history.p95 !== null ? `, p95 ${r.history.p95} ms` : ""}]`
        : ""),
  ]);
  const head = ["SERVICE", "KIND", "STATUS", "STAGE", "LATENCY", "DETAIL"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const color = (s: string) => (s === "healthy" ? pc.green(s) : s === "unhealthy" ? pc.red(s) : pc.yellow(s));
  const line = (cells: string[], isHead = false) =>
    cells
      .map((c, i) => {
        const padded = i === cells.length - 1 ? c : c.padEnd(widths[i]!);
        return isHead ? pc.bold(padded) : i === 2 ? color(c) + " ".repeat(widths[i]! - c.length) : padded;
      })
      .join("  ");
  const s = summary(results);
  return `${[line(head, true), ...rows.map((r) => line(r))].join("\n")}\n${env}: ${s.healthy} healthy, ${s.unhealthy} unhealthy, ${s.skipped} skipped${s.deadline ? `, ${s.deadline} past the deadline` : ""}${s.notProbeable ? `, ${s.notProbeable} not probeable (reserved address)` : ""} of ${s.total}\n`;
}

/** The text table's tail: one line per API with a declared metrics endpoint. */
export function renderClientMetricsText(env: string, evidence: ClientMetricsEvidence[], redactor?: Redactor): string {
  const list = redactor ? redactor.redactDeep(evidence) : evidence;
  return list
    .map(
      (e) =>
        `${env}: ${escapeTerminal(e.api)} client metrics ${e.present ? "present" : "missing"}: ${escapeTerminal(e.detail)}\n`,
    )
    .join("");
}

/**
 * `finishedAt` (ms since the epoch) adds the run's completion time, for the cron path's textfile:
 * node_exporter serves an old file forever, so only this tells a dead job from a healthy one. The
 * exporter's per-service answers leave it out (Prometheus' own `up` says when scrapes stop).
 */
export async function renderPrometheus(
  env: string,
  all: ProbeResult[],
  redactor?: Redactor,
  finishedAt?: number,
  clientMetrics: ClientMetricsEvidence[] = [],
): Promise<string> {
  const results = clean(all, redactor);
  const registry = new Registry();
  if (clientMetrics.length) {
    const present = new Gauge({
      name: METRICS.clientMetricsPresent,
      help: "1 when the app's declared metrics endpoint has @tollgate/client's series for the API.",
      labelNames: ["env", "api"],
      registers: [registry],
    });
    for (const e of clientMetrics) present.set({ env, api: e.api }, e.present ? 1 : 0);
  }
  const labelNames = ["env", "service", "kind"] as const;
  const g = (name: string, help: string, extra: string[] = []) =>
    new Gauge({ name, help, labelNames: [...labelNames, ...extra], registers: [registry] });
  const success = g(METRICS.success, "1 when the service passed every probe stage in the last run.");
  const duration = g(METRICS.duration, "Duration of the last probe of the service, in seconds.");
  const attempts = g(METRICS.attempts, "Attempts the last probe took (retries included).");
  const failed = g(METRICS.failedStage, "1 for the stage at which the last probe failed.", ["stage"]);
  const skipped = g(METRICS.skipped, "1 when the probe was skipped because a parent service is down.");
  const limited = g(METRICS.rateLimited, "1 when the service answered 429 Too Many Requests.");
  const protocol = g(METRICS.mcpProtocol, "1 for the MCP protocol revision the server negotiated in the last probe.", [
    "revision",
  ]);
  const drift = g(
    METRICS.mcpDrift,
    "Tool changes against the lock file in the last probe, by class (breaking, warning, info).",
    ["class"],
  );
  if (finishedAt !== undefined) {
    new Gauge({
      name: METRICS.lastRun,
      help: "Unix time at which the last probe run of the environment finished.",
      labelNames: ["env"],
      registers: [registry],
    }).set({ env }, Math.floor(finishedAt / 1000));
  }
  for (const r of results) {
    // Nothing was measured: no series, so no alert fires for a placeholder address.
    if (r.status === "not-probeable") continue;
    const l = { env, service: r.service, kind: r.kind };
    if (r.mcp?.revision) protocol.set({ ...l, revision: r.mcp.revision }, 1);
    if (r.mcp?.drift) for (const [cls, n] of Object.entries(r.mcp.drift)) drift.set({ ...l, class: cls }, n);
    // A skipped child reports 0 so its alert fires and Alertmanager's inhibit rules silence it.
    success.set(l, r.status === "healthy" ? 1 : 0);
    duration.set(l, r.latencyMs / 1000);
    attempts.set(l, r.attempts);
    skipped.set(l, r.status === "skipped" ? 1 : 0);
    limited.set(l, r.rateLimited ? 1 : 0);
    if (r.status === "unhealthy" || r.status === "deadline") failed.set({ ...l, stage: r.stage }, 1);
  }
  return registry.metrics();
}
