import { checkEnvironments } from "../model/environment-option.js";
import { loadProject } from "../load/loader.js";
import { FORECAST_FORMATS } from "../report/forecast.js";
import { formatEntry, formatNames } from "../util/format-table.js";
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
  const format = parseChoice("--format", o.format, formatNames(FORECAST_FORMATS));
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
  const target = o.output ? { file: o.output } : {};
  const ctx = {
    project,
    now,
    days,
    env: o.env,
    windowDays: rotationWindowDays(project.config),
    colors: colorsFor(target),
  };
  await emit(target, await formatEntry(FORECAST_FORMATS, format).render(ctx));
  return EXIT_OK;
}
