/**
 * The exporter's own metrics on /metrics (prom-client's default process and Node.js metrics
 * included). Probe results are never here: they are served per scrape on /probe.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Limiter } from "./limiter.js";

export const EXPORTER_METRICS = {
  inFlight: "tollgate_exporter_probes_in_flight",
  queued: "tollgate_exporter_probes_queued",
  maxConcurrent: "tollgate_exporter_max_concurrent_probes",
  duration: "tollgate_exporter_probe_duration_seconds",
  errors: "tollgate_exporter_probe_errors_total",
  requests: "tollgate_exporter_probe_requests_total",
  rejected: "tollgate_exporter_probes_rejected_total",
  reloads: "tollgate_exporter_reloads_total",
  reloadOk: "tollgate_exporter_config_last_reload_successful",
  reloadTime: "tollgate_exporter_config_last_reload_success_timestamp_seconds",
  services: "tollgate_exporter_services",
} as const;

/** prom-client's default metrics that are gauges with a counter's `_total` name. */
export const REDUNDANT_TOTALS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
] as const;

export type ExporterMetrics = ReturnType<typeof createExporterMetrics>;

export function createExporterMetrics(limiter: Limiter) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters fail `promtool check metrics`; each is the sum over the `type`
  // label of the gauge without the suffix (nodejs_active_handles etc.), which stays.
  for (const name of REDUNDANT_TOTALS) registry.removeSingleMetric(name);
  const registers = [registry];
  const m = EXPORTER_METRICS;
  const metrics = {
    registry,
    inFlight: new Gauge({
      name: m.inFlight,
      help: "Probes running now.",
      registers,
      collect() {
        this.set(limiter.inFlight);
      },
    }),
    queued: new Gauge({
      name: m.queued,
      help: "Probe requests waiting for a free slot (--max-concurrent).",
      registers,
      collect() {
        this.set(limiter.queued);
      },
    }),
    maxConcurrent: new Gauge({ name: m.maxConcurrent, help: "The --max-concurrent limit.", registers }),
    duration: new Histogram({
      name: m.duration,
      help: "Time to run one service's probe, queueing excluded, by result.",
      labelNames: ["status"],
      registers,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    }),
    errors: new Counter({
      name: m.errors,
      help: "Probes that did not pass, by the stage at which they stopped.",
      labelNames: ["stage"],
      registers,
    }),
    requests: new Counter({
      name: m.requests,
      help: "Requests to /probe by HTTP status code.",
      labelNames: ["code"],
      registers,
    }),
    rejected: new Counter({
      name: m.rejected,
      help: "Probe requests answered 503 without probing, or dropped from the queue because their client left (client-gone), by reason.",
      labelNames: ["reason"],
      registers,
    }),
    reloads: new Counter({
      name: m.reloads,
      help: "Manifest reloads (SIGHUP or POST /-/reload) by result.",
      labelNames: ["result"],
      registers,
    }),
    reloadOk: new Gauge({
      name: m.reloadOk,
      help: "1 when the last reload succeeded (0: the previous manifests are still served).",
      registers,
    }),
    reloadTime: new Gauge({ name: m.reloadTime, help: "Unix time of the last successful manifest load.", registers }),
    services: new Gauge({
      name: m.services,
      help: "Services the loaded manifests let /probe probe in the environment.",
      registers,
    }),
  };
  metrics.maxConcurrent.set(limiter.limit);
  for (const result of ["success", "failure"]) metrics.reloads.inc({ result }, 0);
  return metrics;
}
