import pc from "picocolors";
import { loadProject } from "../model/loader.js";
import { escapeTerminal } from "../util/terminal-escape.js";
import { reportCacheStats, resolveCache } from "./cache-option.js";
import { EXIT_INPUT, EXIT_OK, parseChoice, parseNow } from "./common.js";

export interface ValidateOptions {
  root: string;
  format: string;
  now?: string;
  cache?: boolean;
  cacheLocation?: string;
}

export async function validateCommand(opts: ValidateOptions): Promise<number> {
  const format = parseChoice("--format", opts.format, ["text", "json"] as const);
  const now = parseNow(opts.now);
  const cache = await resolveCache(opts);
  const { project, diagnostics, ok, cacheStats } = await loadProject(opts.root, { now, cache });
  reportCacheStats(cacheStats);
  if (format === "json") {
    process.stdout.write(`${JSON.stringify({ ok, diagnostics }, null, 2)}\n`);
    return ok ? EXIT_OK : EXIT_INPUT;
  }
  for (const d of diagnostics) {
    const color = d.severity === "error" ? pc.red : d.severity === "warning" ? pc.yellow : pc.blue;
    process.stdout.write(`${pc.bold(`${escapeTerminal(d.file)}:${d.line}:${d.col}`)} ${color(d.code)} ${escapeTerminal(d.message)}\n`);
    process.stdout.write(`  ${pc.dim("hint:")} ${escapeTerminal(d.hint)}\n`);
  }
  const m = project.model;
  if (ok) {
    const counts = `${m.environments.size} environments, ${m.services.size} services, ${m.secrets.size} secrets, ${m.apis.size} APIs, ${m.webhooks.size} webhooks, ${m.alerts.size} alerts, ${m.channels.size} channels`;
    process.stdout.write(`${pc.green("✔")} ${project.files.length} file${project.files.length === 1 ? "" : "s"} valid: ${counts}\n`);
    return EXIT_OK;
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  process.stdout.write(`${pc.red("✖")} ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`);
  return EXIT_INPUT;
}
