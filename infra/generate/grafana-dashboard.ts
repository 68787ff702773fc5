/**
 * DashboardSpec → Grafana dashboard JSON with the typed builders of @grafana/grafana-foundation-sdk:
 * the `tier` and `service` variables, one row per concern, stable uid and panel ids.
 */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { EnvContext } from "./context.js";
import { panel } from "./grafana-panels.js";
import { ALL_VALUE, type DashboardSpec } from "./grafana-queries.js";
import { dashboardSpec } from "./grafana-spec.js";

const ALL = { text: "All", value: "$__all" };

export function buildDashboard(spec: DashboardSpec): dashboard.Dashboard {
  const ds: dashboard.DataSourceRef = { type: "prometheus", uid: spec.datasourceUid };
  const tier = new dashboard.CustomVariableBuilder("tier")
    .label("Tier")
    .description("Service tier from the manifests")
    .values(spec.tiers.map((t) => `${t.text} : ${t.value}`).join(","))
    .options([{ ...ALL, selected: true }, ...spec.tiers.map((t) => ({ text: t.text, value: t.value, selected: false }))])
    .current({ ...ALL, selected: true })
    .includeAll(true)
    .allValue(ALL_VALUE)
    .multi(false);
  const service = new dashboard.QueryVariableBuilder("service")
    .label("Service")
    .description("Probed services of the selected tier")
    .datasource(ds)
    .query(spec.serviceVariableQuery)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .current({ ...ALL, selected: true })
    // No custom "All" value: Grafana then expands All to the services the tier left in the list,
    // so choosing a tier filters every panel (a ".*" here would ignore the tier).
    .includeAll(true)
    .multi(true);
  const b = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(spec.tags)
    .timezone("utc")
    .time({ from: "now-6h", to: "now" })
    .refresh("1m")
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    // Grafana's own annotations (alert state changes): every dashboard carries this built-in query.
    .annotation(new dashboard.AnnotationQueryBuilder().name("Annotations & Alerts").builtIn(1).type("dashboard").datasource({ type: "grafana", uid: "-- Grafana --" }).enable(true).hide(true).iconColor("rgba(0, 211, 255, 1)"))
    .withVariable(tier)
    .withVariable(service);
  let id = 0;
  for (const row of spec.rows) {
    b.withRow(new dashboard.RowBuilder(row.title).id(++id));
    for (const p of row.panels) b.withPanel(panel(p, ++id, ds));
  }
  return b.build();
}

/** The dashboard file's content: stable key order and a trailing newline, byte-identical per input. */
export function dashboardJson(ctx: EnvContext): string {
  return `${JSON.stringify(buildDashboard(dashboardSpec(ctx)), null, 2)}\n`;
}
