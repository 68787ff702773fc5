/**
 * What changes with time: rotations entering their due window or going overdue, and waivers
 * expiring, in the next N days. Also the gauges the synthesized alert rules read.
 */
import { addDays, daysBetween } from "../model/dates.js";
import type { Project } from "../model/loader.js";
import { projectedMonthlyCost } from "./rules/api-cost-over-budget.js";
import { dueDate } from "./helpers.js";

export interface ForecastItem {
  date: string;
  kind: "rotation-due" | "rotation-overdue" | "waiver-expires";
  subject: string;
  message: string;
}

export function forecast(project: Project, days: number, windowDays: number, env?: string): { items: ForecastItem[]; overdueNow: number } {
  const { model, now } = project;
  const end = addDays(now, days);
  const items: ForecastItem[] = [];
  let overdueNow = 0;
  for (const [name, s] of model.secrets) {
    if (!s.rotationDays) continue;
    for (const [e, p] of Object.entries(s.environments)) {
      if ((env && e !== env) || !p.lastRotated) continue;
      const due = dueDate(p.lastRotated, s.rotationDays);
      const subject = `secret/${name}@${e}`;
      const enters = addDays(due, -windowDays);
      const overdue = addDays(due, 1);
      if (due < now) overdueNow++;
      if (enters > now && enters <= end) items.push({ date: enters, kind: "rotation-due", subject, message: `enters its ${windowDays}-day rotation window (due ${due})` });
      if (overdue > now && overdue <= end) items.push({ date: overdue, kind: "rotation-overdue", subject, message: `becomes overdue (was due ${due}, every ${s.rotationDays} days)` });
    }
  }
  project.waivers.forEach((w, i) => {
    if (w.expires >= now && w.expires <= end)
      items.push({ date: w.expires, kind: "waiver-expires", subject: `waiver/${i + 1}:${w.rule}:${w.subject}`, message: `waiver expires (owner ${w.owner}${w.ticket ? `, ${w.ticket}` : ""})` });
  });
  items.sort((a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind) || a.subject.localeCompare(b.subject));
  return { items, overdueNow };
}

const label = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Prometheus text exposition (node_exporter textfile collector) of rotation and cost gauges. */
export function forecastMetrics(project: Project, env: string | undefined): string {
  const { model, now } = project;
  const lines = [
    "# HELP tollgate_secret_rotation_due_days Days until the secret's rotation is due (negative when overdue).",
    "# TYPE tollgate_secret_rotation_due_days gauge",
  ];
  for (const [name, s] of model.secrets) {
    if (!s.rotationDays) continue;
    for (const [e, p] of Object.entries(s.environments)) {
      if ((env && e !== env) || !p.lastRotated) continue;
      lines.push(`tollgate_secret_rotation_due_days{env="${label(e)}",secret="${label(name)}",service="${label(s.service)}"} ${daysBetween(now, dueDate(p.lastRotated, s.rotationDays))}`);
    }
  }
  const envs = env ? [env] : [...model.environments.keys()];
  lines.push("# HELP tollgate_api_projected_monthly_cost_usd Projected monthly spend from declared volume and unit price.", "# TYPE tollgate_api_projected_monthly_cost_usd gauge");
  for (const e of envs) for (const [name, a] of model.apis) if (a.cost) lines.push(`tollgate_api_projected_monthly_cost_usd{env="${label(e)}",service="${label(name)}"} ${projectedMonthlyCost(a.cost)}`);
  lines.push("# HELP tollgate_api_monthly_budget_usd Declared monthly budget.", "# TYPE tollgate_api_monthly_budget_usd gauge");
  for (const e of envs) for (const [name, a] of model.apis) if (a.cost?.monthlyBudgetUsd !== undefined) lines.push(`tollgate_api_monthly_budget_usd{env="${label(e)}",service="${label(name)}"} ${a.cost.monthlyBudgetUsd}`);
  return `${lines.join("\n")}\n`;
}
