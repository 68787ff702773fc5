/**
 * DashboardSpec → Grafana dashboard JSON with the typed builders of @grafana/grafana-foundation-sdk:
 * the `tier` and `service` variables, one row per concern, stable uid and panel ids.
 */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { EnvContext } from "./context.js";
import { panel } from "./grafana-panels.js";
import { PanelRenderer } from "./grafana-template.js";
import { ALL_VALUE, type DashboardSpec, type RowSpec } from "./grafana-queries.js";
import { streamedDashboardSpec, type StreamedDashboardSpec } from "./grafana-spec.js";

const ALL = { text: "All", value: "$__all" };

/** The dashboard without its rows: variables, annotations and settings. */
function dashboardHeader(spec: Omit<DashboardSpec, "rows">): dashboard.DashboardBuilder {
  const ds: dashboard.DataSourceRef = { type: "prometheus", uid: spec.datasourceUid };
  const tier = new dashboard.CustomVariableBuilder("tier")
    .label("Tier")
    .description("Service tier from the manifests")
    .values(spec.tiers.map((t) => `${t.text} : ${t.value}`).join(","))
    .options([
      { ...ALL, selected: true },
      ...spec.tiers.map((t) => ({ text: t.text, value: t.value, selected: false })),
    ])
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
  return (
    new dashboard.DashboardBuilder(spec.title)
      .uid(spec.uid)
      .description(spec.description)
      .tags(spec.tags)
      .timezone("utc")
      .time({ from: "now-6h", to: "now" })
      .refresh("1m")
      .tooltip(dashboard.DashboardCursorSync.Crosshair)
      // Grafana's own annotations (alert state changes): every dashboard carries this built-in query.
      .annotation(
        new dashboard.AnnotationQueryBuilder()
          .name("Annotations & Alerts")
          .builtIn(1)
          .type("dashboard")
          .datasource({ type: "grafana", uid: "-- Grafana --" })
          .enable(true)
          .hide(true)
          .iconColor("rgba(0, 211, 255, 1)"),
      )
      .withVariable(tier)
      .withVariable(service)
  );
}

/** Adds one row and its panels; ids continue from `id`, the builder places them on the grid. */
function addRow(b: dashboard.DashboardBuilder, row: RowSpec, id: number, ds: dashboard.DataSourceRef): number {
  b.withRow(new dashboard.RowBuilder(row.title).id(++id));
  for (const p of row.panels) b.withPanel(panel(p, ++id, ds));
  return id;
}

export function buildDashboard(spec: DashboardSpec): dashboard.Dashboard {
  const b = dashboardHeader(spec);
  const ds: dashboard.DataSourceRef = { type: "prometheus", uid: spec.datasourceUid };
  let id = 0;
  for (const row of spec.rows) id = addRow(b, row, id, ds);
  return b.build();
}

const PANELS_KEY = '\n  "panels": [';
const WRAPPER_START = `{${PANELS_KEY}\n`.length;
const WRAPPER_END = "\n  ]\n}".length;

/**
 * The dashboard file as chunks, byte-identical to `JSON.stringify(buildDashboard(spec), null, 2)`
 * plus a newline, without ever holding every panel. The first row goes through the SDK's builder
 * and makes the skeleton (the header with `panels` in its place among the keys); every later row
 * is rendered from templates (grafana-template.ts) and placed on the grid by the same builder.
 */
export function* dashboardChunks(spec: StreamedDashboardSpec): Generator<string> {
  const b = dashboardHeader(spec);
  const ds: dashboard.DataSourceRef = { type: "prometheus", uid: spec.datasourceUid };
  const rest = spec.rows[Symbol.iterator]();
  const { value: first, done } = rest.next();
  if (done) {
    yield `${JSON.stringify(b.build(), null, 2)}\n`;
    return;
  }
  let id = addRow(b, first, 0, ds);
  const dash = b.build();
  const panels = dash.panels!;
  dash.panels = [];
  const skeleton = JSON.stringify(dash, null, 2);
  const at = skeleton.indexOf(`${PANELS_KEY}]`);
  if (at < 0) throw new Error("bug: dashboard skeleton has no top-level panels");
  dash.panels = panels;
  const firstText = JSON.stringify({ panels }, null, 2);
  panels.length = 0;
  yield `${skeleton.slice(0, at)}${PANELS_KEY}\n`;
  yield firstText.slice(WRAPPER_START, firstText.length - WRAPPER_END);
  const renderer = new PanelRenderer(ds, b, panels);
  const out: string[] = [];
  for (let r = rest.next(); !r.done; r = rest.next()) {
    const row = r.value;
    id = renderer.row(row, id, out);
    yield* out;
    out.length = 0;
  }
  yield `\n  ]${skeleton.slice(at + PANELS_KEY.length + 1)}\n`;
}

/** The dashboard file's content: stable key order and a trailing newline, byte-identical per input. */
export function dashboardJson(ctx: EnvContext): string {
  return [...dashboardChunks(streamedDashboardSpec(ctx))].join("");
}
