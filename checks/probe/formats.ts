/** `tollgate probe`'s formats, one table (util/format-table.ts) like every command's. */
import type picocolors from "picocolors";
import type { FormatEntry } from "../../util/format-table.js";
import type { ClientMetricsEvidence } from "./client-metrics.js";
import { renderClientMetricsText, renderJson, renderPrometheus, renderText } from "./output.js";
import type { Redactor } from "./redact.js";
import type { ProbeResult } from "./types.js";

export interface ProbeContext {
  now: string;
  env: string;
  results: ProbeResult[];
  redactor: Redactor;
  clientMetrics: ClientMetricsEvidence[];
  colors: ReturnType<typeof picocolors.createColors>;
  /** When the run finished (ms): the staleness alert reads it from the Prometheus output. */
  finishedAt: number;
}

export const PROBE_FORMATS = [
  {
    format: "text",
    description: "a table of services with status, stage, latency and detail",
    render: (c: ProbeContext) =>
      renderText(c.env, c.results, c.colors, c.redactor) + renderClientMetricsText(c.env, c.clientMetrics, c.redactor),
  },
  {
    format: "json",
    description: "every result with its detail and history",
    render: (c: ProbeContext) => renderJson(c.now, c.env, c.results, c.redactor, c.clientMetrics),
  },
  {
    format: "prometheus",
    description: "tollgate_probe_* series for node_exporter's textfile collector",
    render: (c: ProbeContext) => renderPrometheus(c.env, c.results, c.redactor, c.finishedAt, c.clientMetrics),
  },
] as const satisfies readonly FormatEntry<ProbeContext>[];
