/**
 * The plain-data shape of a Tollgate dashboard (panels, their PromQL, thresholds, links) and the
 * helpers that read thresholds and runbooks from the manifests. No Grafana import here.
 */
import { thresholdOf } from "./alert-conditions.js";
import { createHash } from "node:crypto";
import { alertCovers, effectiveAlert } from "../../model/alerts.js";
import type { AlertT } from "../../model/schema.js";
import type { EnvContext } from "./context.js";

export interface QuerySpec {
  expr: string;
  legend: string;
  /** Instant query (stat, table, bar gauge); otherwise a range query (time series). */
  instant: boolean;
}

export interface PanelSpec {
  kind: "stat" | "timeseries" | "table" | "bargauge";
  title: string;
  description: string;
  queries: QuerySpec[];
  unit: string;
  width: number;
  height: number;
  min?: number;
  max?: number;
  /** Threshold steps, lowest first; the first step's value is null (the base colour). */
  steps: { value: number | null; color: string }[];
  /** Draw the thresholds as a dashed line on a time series (the alert threshold). */
  drawThresholds?: boolean;
  mappings?: { value: string; text: string; color: string }[];
  links?: { title: string; url: string }[];
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  datasourceUid: string;
  /** `tier` variable options: tier name → regex of the services of that tier. */
  tiers: { text: string; value: string }[];
  /** Selector for the `service` variable's values (label_values over the probe metric). */
  serviceVariableQuery: string;
  rows: RowSpec[];
}

/** The `service` variable and the `tier` variable as they appear inside PromQL. */
export const SERVICE_VAR = "$service";
export const TIER_VAR = "${tier:raw}";
/** The value both variables take when "All" is selected; tests substitute it. */
export const ALL_VALUE = ".*";

const hash = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex");

/** Stable uids from organization and environment, so re-provisioning updates in place. */
export function grafanaUids(ctx: EnvContext): { dashboard: string; datasource: string; folder: string } {
  const h = hash("tollgate", ctx.model.organization ?? "", ctx.env);
  return {
    dashboard: `tollgate-${h.slice(0, 16)}`,
    datasource: `tollgate-prom-${h.slice(16, 28)}`,
    folder: `tollgate-folder-${hash("tollgate", ctx.model.organization ?? "").slice(0, 12)}`,
  };
}

export const sel = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([k, v]) => (v.startsWith("~") ? `${k}=~"${v.slice(1)}"` : `${k}="${v}"`))
    .join(",")}}`;

export const range = (expr: string, legend: string): QuerySpec => ({ expr, legend, instant: false });
export const instant = (expr: string, legend: string): QuerySpec => ({ expr, legend, instant: true });

const effectiveCache = new WeakMap<EnvContext, [string, AlertT][]>();

/** The environment's effective alerts in manifest order, computed once per context (asked per service). */
function effectiveAlerts(ctx: EnvContext): [string, AlertT][] {
  let list = effectiveCache.get(ctx);
  if (!list) {
    list = [];
    for (const name of ctx.model.alerts.keys()) {
      const a = effectiveAlert(ctx.model, name, ctx.env);
      if (a) list.push([name, a]);
    }
    effectiveCache.set(ctx, list);
  }
  return list;
}

/** Whether an alert covers a service, without listing every covered service (that made dashboards quadratic). */
function covers(ctx: EnvContext, a: AlertT, service: string): boolean {
  const s = ctx.model.services.get(service);
  return !!s && alertCovers(a, service, s);
}

/** The effective alerts of one condition in this environment that cover a service. */
function alertsOn(ctx: EnvContext, condition: AlertT["condition"], service?: string): AlertT[] {
  const out: AlertT[] = [];
  for (const [, a] of effectiveAlerts(ctx)) {
    if (a.condition !== condition) continue;
    if (service && !covers(ctx, a, service)) continue;
    out.push(a);
  }
  return out;
}

/** The strictest threshold among the alerts of a condition covering a service (the default when unset). */
export function thresholdFor(
  ctx: EnvContext,
  condition: AlertT["condition"],
  service?: string,
  pick: "min" | "max" = "min",
): number | undefined {
  const ts = alertsOn(ctx, condition, service).map((a) => thresholdOf(a));
  if (ts.length === 0) return undefined;
  return pick === "min" ? Math.min(...ts) : Math.max(...ts);
}

/** Runbook links: the service's own, then those of the alert rules of these conditions that cover it. */
export function runbooksFor(
  ctx: EnvContext,
  service: string | undefined,
  conditions: AlertT["condition"][],
): { title: string; url: string }[] {
  const links = new Map<string, string>();
  const s = service ? ctx.model.services.get(service) : undefined;
  if (s?.runbook) links.set(s.runbook, `Runbook: ${service}`);
  for (const [name, a] of effectiveAlerts(ctx)) {
    if (!a.runbook || !conditions.includes(a.condition) || links.has(a.runbook)) continue;
    if (service && !covers(ctx, a, service)) continue;
    links.set(a.runbook, `Runbook: ${name}`);
  }
  return [...links].map(([url, title]) => ({ title, url }));
}

export const RED = "red";
export const GREEN = "green";
export const ORANGE = "orange";
