/**
 * Everything the HTML report needs beyond the Report: waivers, the forecast, and the dependency
 * graph laid out to SVG (async: Graphviz is WebAssembly, imported only here and only when asked).
 */
import type { Project } from "../../load/loader.js";
import type { Report } from "../../policies/engine.js";
import type { ProbeEvidence } from "../../policies/types.js";
import { forecast } from "../../policies/forecast.js";
import { buildGraph, renderGraphSvg } from "./graph.js";
import type { HtmlInput } from "./index.js";
import { rotationWindowDays } from "../../model/rotation-window.js";

/** The forecast horizon the report shows. */
export const REPORT_FORECAST_DAYS = 90;

export interface ProbeHealth extends ProbeEvidence {
  status: Map<string, string>;
}

/** Reads `tollgate probe --format json` output; a message instead when it is not that. */
export function parseProbeResults(text: string): ProbeHealth | { error: string } {
  let data: any;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: "not valid JSON" };
  }
  if (!data || typeof data !== "object" || typeof data.env !== "string" || !Array.isArray(data.results))
    return { error: "not the output of tollgate probe --format json (needs env and results)" };
  const status = new Map<string, string>();
  for (const r of data.results) {
    if (!r || typeof r.service !== "string" || typeof r.status !== "string")
      return { error: "a result lacks service or status" };
    status.set(r.service, r.status);
  }
  const clientMetrics = new Map<string, { present: boolean; detail: string }>();
  for (const e of Array.isArray(data.clientMetrics) ? data.clientMetrics : []) {
    if (!e || typeof e.api !== "string" || typeof e.present !== "boolean")
      return { error: "a clientMetrics entry lacks api or present" };
    clientMetrics.set(e.api, { present: e.present, detail: typeof e.detail === "string" ? e.detail : "" });
  }
  return { env: data.env, now: typeof data.now === "string" ? data.now : "", status, clientMetrics };
}

export async function prepareHtml(project: Project, report: Report, probe?: ProbeHealth): Promise<HtmlInput> {
  const windowDays = rotationWindowDays(project.config);
  const { items, overdueNow } = forecast(project, REPORT_FORECAST_DAYS, windowDays, report.env ?? undefined);
  // One pass over the findings, not one per waiver (linear in both).
  const key = (rule: string, owner: string, reason: string, expires: string) =>
    JSON.stringify([rule, owner, reason, expires]);
  const suppressed = new Map<string, number>();
  for (const f of report.findings) {
    if (!f.waived || !f.waiver) continue;
    const k = key(f.ruleId, f.waiver.owner, f.waiver.reason, f.waiver.expires);
    suppressed.set(k, (suppressed.get(k) ?? 0) + 1);
  }
  const waivers = project.waivers.map((w) => ({
    rule: w.rule,
    subject: w.subject,
    owner: w.owner,
    reason: w.reason,
    expires: w.expires,
    ...(w.ticket ? { ticket: w.ticket } : {}),
    suppresses: suppressed.get(key(w.rule, w.owner, w.reason, w.expires)) ?? 0,
  }));
  const graph = await renderGraphSvg(buildGraph(project.model, report.findings, probe?.status));
  return {
    ...(project.model.organization ? { organization: project.model.organization } : {}),
    waivers,
    forecast: { days: REPORT_FORECAST_DAYS, windowDays, overdueNow, items },
    graph,
    ...(probe ? { probe: { env: probe.env, now: probe.now } } : {}),
  };
}
