/** Per-service rows (latency, success, 429s, MCP stage, webhook security) and the API cost row. */
import { METRICS, RECORDED } from "../../model/metrics.js";
import type { EnvContext } from "./context.js";
import {
  GREEN,
  ORANGE,
  RED,
  SERVICE_VAR,
  instant,
  range,
  runbooksFor,
  sel,
  thresholdFor,
  type PanelSpec,
  type RowSpec,
} from "./grafana-queries.js";

const apiServicesCache = new WeakMap<object, Set<string>>();

/** Services that front an API, collected once per model (asked for every service). */
function apiServices(ctx: EnvContext): Set<string> {
  let set = apiServicesCache.get(ctx.model.apis);
  if (!set) apiServicesCache.set(ctx.model.apis, (set = new Set([...ctx.model.apis.values()].map((a) => a.service))));
  return set;
}

export function serviceRow(ctx: EnvContext, name: string): RowSpec {
  const s = ctx.model.services.get(name)!;
  const one = sel({ env: ctx.env, service: name }).slice(0, -1) + `,service=~"${SERVICE_VAR}"}`;
  const links = (...conditions: Parameters<typeof runbooksFor>[2]) => runbooksFor(ctx, name, conditions);
  const panels: PanelSpec[] = [];
  const latency = thresholdFor(ctx, "latency-p95-above", name);
  panels.push({
    kind: "timeseries",
    title: `${name}: probe latency P50 / P95 / P99`,
    unit: "s",
    width: 12,
    height: 8,
    min: 0,
    description: `Recorded over the last hour from the probe's durations.${latency !== undefined ? ` The line is the P95 alert threshold (${latency} ms).` : ""}`,
    queries: (["p50", "p95", "p99"] as const).map((q) => range(`${RECORDED.latency(q)}${one}`, q.toUpperCase())),
    steps: [{ value: null, color: GREEN }, ...(latency !== undefined ? [{ value: latency / 1000, color: RED }] : [])],
    drawThresholds: true,
    links: links("latency-p95-above"),
  });
  const objective = thresholdFor(ctx, "success-rate-below", name, "max");
  panels.push({
    kind: "timeseries",
    title: `${name}: success ratio`,
    unit: "percentunit",
    width: 12,
    height: 8,
    min: 0,
    max: 1,
    description: `Share of probes that passed.${objective !== undefined ? ` The line is the objective (${objective * 100}%).` : ""}`,
    queries: (["1h", "24h"] as const).map((w) => range(`${RECORDED.successRatio(w)}${one}`, `over ${w}`)),
    steps: [{ value: null, color: RED }, ...(objective !== undefined ? [{ value: objective, color: GREEN }] : [])],
    drawThresholds: true,
    links: links("probe-failing", "success-rate-below"),
  });
  if (apiServices(ctx).has(name)) {
    const limit = thresholdFor(ctx, "rate-limited-ratio-above", name);
    panels.push({
      kind: "timeseries",
      title: `${name}: rate-limited (429) ratio`,
      unit: "percentunit",
      width: 12,
      height: 8,
      min: 0,
      max: 1,
      description: `Share of probes answered 429 over the last hour.${limit !== undefined ? ` The line is the alert threshold (${limit * 100}%).` : ""}`,
      queries: [range(`${RECORDED.rateLimitedRatio}${one}`, "429 ratio")],
      steps: [{ value: null, color: GREEN }, ...(limit !== undefined ? [{ value: limit, color: RED }] : [])],
      drawThresholds: true,
      links: links("rate-limited-ratio-above"),
    });
  }
  if (s.kind === "mcp") {
    panels.push({
      kind: "timeseries",
      title: `${name}: failing MCP stage`,
      unit: "none",
      width: 12,
      height: 8,
      min: 0,
      max: 1,
      description:
        "1 while the probe fails at this stage (connect, initialize, tools-missing, tool-error, drift …); empty while healthy.",
      queries: [range(`${METRICS.failedStage}${one}`, "{{stage}}")],
      steps: [
        { value: null, color: GREEN },
        { value: 1, color: RED },
      ],
      links: links("mcp-tool-failing"),
    });
  }
  if (s.kind === "webhook") {
    panels.push({
      kind: "stat",
      title: `${name}: webhook security probe`,
      unit: "none",
      width: 12,
      height: 8,
      description:
        "The probe sends unsigned, wrongly signed, stale and replayed requests (which must be refused) and one valid request (which must be accepted).",
      queries: [instant(`${METRICS.success}${one}`, "{{service}}")],
      steps: [
        { value: null, color: RED },
        { value: 1, color: GREEN },
      ],
      mappings: [
        { value: "1", text: "secure", color: GREEN },
        { value: "0", text: "failing", color: RED },
      ],
      links: links("probe-failing"),
    });
  }
  return { title: `${name} (${s.kind}, tier ${s.tier}, owner ${s.owner})`, panels };
}

export function costRow(ctx: EnvContext): RowSpec | undefined {
  const apis = [...ctx.model.apis].filter(([, a]) => a.cost);
  if (apis.length === 0) return undefined;
  const env = sel({ env: ctx.env });
  const panels: PanelSpec[] = [
    {
      kind: "table",
      title: "API projected monthly cost and budget (USD)",
      unit: "currencyUSD",
      width: 12,
      height: 8,
      steps: [{ value: null, color: GREEN }],
      description: "From declared volume and unit price (tollgate forecast), next to the declared budget.",
      queries: [
        instant(`${METRICS.projectedCost}${env}`, "projected {{service}}"),
        instant(`${METRICS.budget}${env}`, "budget {{service}}"),
      ],
      links: runbooksFor(ctx, undefined, ["cost-over-budget"]),
    },
  ];
  if (apis.some(([, a]) => a.cost!.monthlyBudgetUsd !== undefined)) {
    panels.push({
      kind: "bargauge",
      title: "API projected cost as a share of budget",
      unit: "percentunit",
      width: 12,
      height: 8,
      min: 0,
      max: 1.5,
      description: "Over 100% means the projected spend exceeds the budget (the cost-over-budget alert).",
      queries: [instant(`${METRICS.projectedCost}${env} / on(env, service) ${METRICS.budget}${env}`, "{{service}}")],
      steps: [
        { value: null, color: GREEN },
        { value: 0.8, color: ORANGE },
        { value: 1, color: RED },
      ],
    });
  }
  return { title: "API cost", panels };
}
