/**
 * What changes with time: rotations entering their due window or going overdue, and waivers
 * expiring, in the next N days. Also the gauges the synthesized alert rules read.
 */
import { Gauge, Registry } from "prom-client";
import { addDays, daysBetween } from "../model/dates.js";
import { METRICS } from "../model/metrics.js";
import type { Project } from "../load/loader.js";
import { projectedMonthlyCost } from "./rules/api-cost-over-budget.js";
import { dueDate } from "./helpers.js";
import { waiverSubjects } from "./waivers.js";
import { subjectOf } from "../model/sections.js";

export interface ForecastItem {
  date: string;
  kind: "rotation-due" | "rotation-overdue" | "waiver-expires";
  subject: string;
  message: string;
}

export function forecast(
  project: Project,
  days: number,
  windowDays: number,
  env?: string,
): { items: ForecastItem[]; overdueNow: number } {
  const { model, now } = project;
  const end = addDays(now, days);
  const items: ForecastItem[] = [];
  let overdueNow = 0;
  for (const [name, s] of model.secrets) {
    if (!s.rotationDays) continue;
    for (const [e, p] of Object.entries(s.environments)) {
      if ((env && e !== env) || !p.lastRotated) continue;
      const due = dueDate(p.lastRotated, s.rotationDays);
      const subject = subjectOf("secrets", name, e);
      const enters = addDays(due, -windowDays);
      const overdue = addDays(due, 1);
      if (due < now) overdueNow++;
      if (enters > now && enters <= end)
        items.push({
          date: enters,
          kind: "rotation-due",
          subject,
          message: `enters its ${windowDays}-day rotation window (due ${due})`,
        });
      if (overdue > now && overdue <= end)
        items.push({
          date: overdue,
          kind: "rotation-overdue",
          subject,
          message: `becomes overdue (was due ${due}, every ${s.rotationDays} days)`,
        });
    }
  }
  const ids = waiverSubjects(project.waivers);
  project.waivers.forEach((w, i) => {
    if (w.expires >= now && w.expires <= end)
      items.push({
        date: w.expires,
        kind: "waiver-expires",
        subject: ids[i]!.subject,
        message: `waiver expires (owner ${w.owner}${w.ticket ? `, ${w.ticket}` : ""})`,
      });
  });
  items.sort(
    (a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind) || a.subject.localeCompare(b.subject),
  );
  return { items, overdueNow };
}

/** Prometheus text exposition (node_exporter textfile collector) of rotation and cost gauges. */
export async function forecastMetrics(project: Project, env: string | undefined): Promise<string> {
  const { model, now } = project;
  const registry = new Registry();
  const due = new Gauge({
    name: METRICS.rotationDueDays,
    help: "Days until the secret's rotation is due (negative when overdue).",
    labelNames: ["env", "secret", "service"],
    registers: [registry],
  });
  const cost = new Gauge({
    name: METRICS.projectedCost,
    help: "Projected monthly spend from declared volume and unit price.",
    labelNames: ["env", "service"],
    registers: [registry],
  });
  const budget = new Gauge({
    name: METRICS.budget,
    help: "Declared monthly budget.",
    labelNames: ["env", "service"],
    registers: [registry],
  });
  for (const [name, s] of model.secrets) {
    if (!s.rotationDays) continue;
    for (const [e, p] of Object.entries(s.environments)) {
      if ((env && e !== env) || !p.lastRotated) continue;
      due.set({ env: e, secret: name, service: s.service }, daysBetween(now, dueDate(p.lastRotated, s.rotationDays)));
    }
  }
  for (const e of env ? [env] : [...model.environments.keys()]) {
    for (const [name, a] of model.apis) {
      if (!a.cost) continue;
      cost.set({ env: e, service: name }, projectedMonthlyCost(a.cost));
      if (a.cost.monthlyBudgetUsd !== undefined) budget.set({ env: e, service: name }, a.cost.monthlyBudgetUsd);
    }
  }
  return registry.metrics();
}
