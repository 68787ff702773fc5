/** `tollgate forecast`'s formats: the coming rotations and waiver expiries as text or JSON, or the gauges the alert rules read. */
import type picocolors from "picocolors";
import type { Project } from "../load/loader.js";
import { forecast, forecastMetrics } from "../policies/forecast.js";
import type { FormatEntry } from "../util/format-table.js";
import { escapeTerminal } from "../util/terminal-escape.js";

export interface ForecastContext {
  project: Project;
  now: string;
  days: number;
  env: string | undefined;
  /** The rotation window (model/rotation-window.ts). */
  windowDays: number;
  colors: ReturnType<typeof picocolors.createColors>;
}

function renderText(c: ForecastContext): string {
  const pc = c.colors;
  const { items, overdueNow } = forecast(c.project, c.days, c.windowDays, c.env);
  const lines = [pc.bold(`Forecast for the ${c.days} days after ${c.now}${c.env ? ` (${c.env})` : ""}`)];
  if (items.length === 0) lines.push("  nothing becomes due, overdue or expires");
  for (const i of items) {
    const k =
      i.kind === "rotation-overdue"
        ? pc.red("overdue")
        : i.kind === "rotation-due"
          ? pc.yellow("due    ")
          : pc.blue("waiver ");
    lines.push(`  ${i.date}  ${k}  ${escapeTerminal(i.subject)}: ${escapeTerminal(i.message)}`);
  }
  if (overdueNow > 0)
    lines.push(
      pc.red(`  ${overdueNow} rotation${overdueNow === 1 ? " is" : "s are"} already overdue (see tollgate check)`),
    );
  return `${lines.join("\n")}\n`;
}

function renderJson(c: ForecastContext): string {
  const { items, overdueNow } = forecast(c.project, c.days, c.windowDays, c.env);
  return `${JSON.stringify({ now: c.now, days: c.days, env: c.env ?? null, overdueNow, items }, null, 2)}\n`;
}

export const FORECAST_FORMATS = [
  { format: "text", description: "what becomes due, overdue or expires, in date order", render: renderText },
  { format: "json", description: "the same items for tools", render: renderJson },
  {
    format: "prometheus",
    description: "the rotation and cost gauges the alert rules read (textfile collector)",
    render: (c: ForecastContext) => forecastMetrics(c.project, c.env),
  },
] as const satisfies readonly FormatEntry<ForecastContext>[];
