import { checkEnvironments } from "../model/environment-option.js";
import { loadProject } from "../load/loader.js";
import { forecast, forecastMetrics } from "../policies/forecast.js";
import { escapeTerminal } from "../util/terminal-escape.js";
import {
  EXIT_INPUT,
  EXIT_OK,
  UsageError,
  colorsFor,
  emit,
  parseChoice,
  parseIntOption,
  parseNow,
  printDiagnostics,
} from "./common.js";
import { rotationWindowDays } from "../model/rotation-window.js";

export interface ForecastOptions {
  root: string;
  now?: string;
  days?: string;
  env?: string;
  format: string;
  output?: string;
}

export async function forecastCommand(o: ForecastOptions): Promise<number> {
  const now = parseNow(o.now);
  const days = parseIntOption("--days", o.days ?? "30", 1, 3650)!;
  const format = parseChoice("--format", o.format, ["text", "json", "prometheus"] as const);
  const { project, diagnostics, ok } = await loadProject(o.root, { now });
  if (!ok) {
    printDiagnostics(diagnostics);
    return EXIT_INPUT;
  }
  const unknown = checkEnvironments([o.env], project.model.environments);
  if (unknown.length) {
    printDiagnostics(unknown);
    return EXIT_INPUT;
  }
  const windowDays = rotationWindowDays(project.config);
  const target = o.output ? { file: o.output } : {};
  if (format === "prometheus") {
    await emit(target, await forecastMetrics(project, o.env));
    return EXIT_OK;
  }
  const { items, overdueNow } = forecast(project, days, windowDays, o.env);
  if (format === "json") {
    await emit(target, `${JSON.stringify({ now, days, env: o.env ?? null, overdueNow, items }, null, 2)}\n`);
    return EXIT_OK;
  }
  const pc = colorsFor(target);
  const lines = [pc.bold(`Forecast for the ${days} days after ${now}${o.env ? ` (${o.env})` : ""}`)];
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
  await emit(target, `${lines.join("\n")}\n`);
  return EXIT_OK;
}
