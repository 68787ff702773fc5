/**
 * PanelSpec → Grafana panel builders of @grafana/grafana-foundation-sdk (one of the two modules
 * that import the SDK; synth loads them only when it runs).
 */
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import type { PanelSpec, QuerySpec } from "./grafana-queries.js";

type AnyPanel = bargauge.PanelBuilder | stat.PanelBuilder | table.PanelBuilder | timeseries.PanelBuilder;

function target(q: QuerySpec, i: number, ds: dashboard.DataSourceRef, asTable: boolean): prometheus.DataqueryBuilder {
  const b = new prometheus.DataqueryBuilder()
    .refId(String.fromCharCode(65 + i))
    .datasource(ds)
    .expr(q.expr)
    .legendFormat(q.legend);
  if (asTable) b.format(prometheus.PromQueryFormat.Table);
  return q.instant ? b.instant() : b.range();
}

function valueMappings(spec: PanelSpec): dashboard.ValueMapping[] {
  if (!spec.mappings) return [];
  const options: Record<string, dashboard.ValueMappingResult> = {};
  spec.mappings.forEach((m, index) => (options[m.value] = { text: m.text, color: m.color, index }));
  return [{ type: dashboard.MappingType.ValueToText, options }];
}

function base<T extends AnyPanel>(b: T, spec: PanelSpec, id: number, ds: dashboard.DataSourceRef): T {
  b.id(id)
    .title(spec.title)
    .description(spec.description)
    .datasource(ds)
    .span(spec.width)
    .height(spec.height)
    .unit(spec.unit);
  if (spec.min !== undefined) b.min(spec.min);
  if (spec.max !== undefined) b.max(spec.max);
  b.thresholds(
    new dashboard.ThresholdsConfigBuilder()
      .mode(dashboard.ThresholdsMode.Absolute)
      .steps(spec.steps.map((s) => ({ value: s.value, color: s.color }))),
  );
  const mappings = valueMappings(spec);
  if (mappings.length) b.mappings(mappings);
  if (spec.links?.length)
    b.links(
      spec.links.map((l) =>
        new dashboard.DashboardLinkBuilder(l.title).type(dashboard.DashboardLinkType.Link).url(l.url).targetBlank(true),
      ),
    );
  spec.queries.forEach((q, i) => b.withTarget(target(q, i, ds, spec.kind === "table")));
  return b;
}

const lastValue = () => new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false);

/** One panel, built with the SDK's typed builder for its visualization. */
export function panel(spec: PanelSpec, id: number, ds: dashboard.DataSourceRef): AnyPanel {
  switch (spec.kind) {
    case "stat":
      return base(new stat.PanelBuilder(), spec, id, ds)
        .reduceOptions(lastValue())
        .colorMode(common.BigValueColorMode.Background)
        .graphMode(common.BigValueGraphMode.None)
        .textMode(common.BigValueTextMode.Value);
    case "table":
      return base(new table.PanelBuilder(), spec, id, ds)
        .withTransformation({ id: "merge", options: {} })
        .withTransformation({
          id: "organize",
          options: { excludeByName: { Time: true, __name__: true, job: true, instance: true, tollgate_env: true } },
        })
        .cellHeight(common.TableCellHeight.Sm);
    case "bargauge":
      return base(new bargauge.PanelBuilder(), spec, id, ds)
        .reduceOptions(lastValue())
        .orientation(common.VizOrientation.Horizontal)
        .displayMode(common.BarGaugeDisplayMode.Basic)
        .showUnfilled(true);
    case "timeseries": {
      const b = base(new timeseries.PanelBuilder(), spec, id, ds)
        .lineWidth(1)
        .fillOpacity(10)
        .spanNulls(false)
        .legend(
          new common.VizLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(common.LegendDisplayMode.List)
            .placement(common.LegendPlacement.Bottom)
            .calcs([]),
        );
      if (spec.drawThresholds)
        b.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed));
      return b;
    }
  }
}
