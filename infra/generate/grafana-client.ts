/**
 * Per-API rows from @tollgate/client's own series, for the APIs whose app declares a metrics
 * endpoint in this environment (synth scrapes it with the `env` label): latency quantiles from the
 * histogram, success and 4xx ratios, retries and throttle waits, breaker state, spend vs budget.
 */
import { CIRCUIT_STATE, CLIENT_METRICS } from "../../model/metrics.js";
import { meteredApis } from "./client-apis.js";
import type { EnvContext } from "./context.js";
import {
  GREEN,
  ORANGE,
  RED,
  instant,
  range,
  runbooksFor,
  sel,
  type PanelSpec,
  type RowSpec,
} from "./grafana-queries.js";

/** The rate window of the client panels: several scrapes at the default 30 s interval. */
const W = "5m";
const MONTH_SECONDS = 30 * 24 * 3600;

export function clientRows(ctx: EnvContext): RowSpec[] {
  return meteredApis(ctx.model, ctx.env).map((name) => clientRow(ctx, name));
}

function clientRow(ctx: EnvContext, name: string): RowSpec {
  const api = ctx.model.apis.get(name)!;
  const one = (extra: Record<string, string> = {}) => sel({ env: ctx.env, api: name, ...extra });
  const perSecond = (metric: string, extra?: Record<string, string>) => `sum(rate(${metric}${one(extra)}[${W}]))`;
  const all = perSecond(CLIENT_METRICS.requests);
  const share = (cls: string) => `(${perSecond(CLIENT_METRICS.requests, { status_class: cls })} or vector(0)) / ${all}`;
  const panels: PanelSpec[] = [
    {
      kind: "timeseries",
      title: `${name}: client latency P50 / P95 / P99`,
      unit: "s",
      width: 12,
      height: 8,
      min: 0,
      description: `Time from sending an attempt to its response headers, from the client's histogram over ${W}.`,
      queries: ([0.5, 0.95, 0.99] as const).map((q) =>
        range(
          `histogram_quantile(${q}, sum by (le) (rate(${CLIENT_METRICS.duration}_bucket${one()}[${W}])))`,
          `P${q * 100}`,
        ),
      ),
      steps: [{ value: null, color: GREEN }],
    },
    {
      kind: "timeseries",
      title: `${name}: client success and 4xx ratios`,
      unit: "percentunit",
      width: 12,
      height: 8,
      min: 0,
      max: 1,
      description:
        "Share of the client's attempts answered 2xx, and 4xx (429s count as 4xx: the client retries them, so a rising 4xx share with retries is rate limiting).",
      queries: [
        range(share("2xx"), "2xx (success)"),
        range(share("4xx"), "4xx (incl. 429)"),
        range(`1 - (${share("2xx")}) - (${share("4xx")})`, "5xx, network, timeout, circuit open"),
      ],
      steps: [{ value: null, color: GREEN }],
    },
    {
      kind: "timeseries",
      title: `${name}: client retries and throttle waits`,
      unit: "ops",
      width: 12,
      height: 8,
      min: 0,
      description: `Per second over ${W}: attempts repeated after a retryable failure, and calls that waited for the declared budget (and the seconds spent waiting, per second).`,
      queries: [
        range(perSecond(CLIENT_METRICS.retries), "retries/s"),
        range(perSecond(CLIENT_METRICS.throttleWaits), "throttle waits/s"),
        range(perSecond(CLIENT_METRICS.throttleWaitSeconds), "seconds waiting/s"),
      ],
      steps: [{ value: null, color: GREEN }],
    },
    {
      kind: "stat",
      title: `${name}: circuit breaker`,
      unit: "none",
      width: 6,
      height: 8,
      description: "The client's breaker, worst replica: closed, half-open (trying again) or open (failing fast).",
      queries: [instant(`max(${CLIENT_METRICS.circuitState}${one()})`, "breaker")],
      steps: [
        { value: null, color: GREEN },
        { value: CIRCUIT_STATE.halfOpen, color: ORANGE },
        { value: CIRCUIT_STATE.open, color: RED },
      ],
      mappings: [
        { value: String(CIRCUIT_STATE.closed), text: "closed", color: GREEN },
        { value: String(CIRCUIT_STATE.halfOpen), text: "half-open", color: ORANGE },
        { value: String(CIRCUIT_STATE.open), text: "open", color: RED },
      ],
    },
  ];
  if (api.cost) {
    const budget = api.cost.monthlyBudgetUsd;
    const spend = `${CLIENT_METRICS.spendUsd}${one()}`;
    panels.push({
      kind: "timeseries",
      title: `${name}: metered spend against the monthly budget`,
      unit: "currencyUSD",
      width: 6,
      height: 8,
      min: 0,
      description: `What the client metered (tokens or requests × the declared unit price): spent in the last 30 days, and the last day's rate projected over a month.${budget !== undefined ? ` The line is the declared budget (${budget} USD).` : ""}`,
      queries: [
        range(`sum(increase(${spend}[30d]))`, "spent (30 days)"),
        range(`sum(rate(${spend}[1d])) * ${MONTH_SECONDS}`, "projected month"),
      ],
      steps: [{ value: null, color: GREEN }, ...(budget !== undefined ? [{ value: budget, color: RED }] : [])],
      drawThresholds: budget !== undefined,
      links: runbooksFor(ctx, api.service, ["cost-over-budget"]),
    });
  }
  return { title: `${name} client (@tollgate/client)`, panels };
}
