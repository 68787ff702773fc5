import { loadProject } from "../model/loader.js";
import { createProgress, getVerbosity } from "../util/progress.js";
import { escapeTerminal } from "../util/terminal-escape.js";
import { reportCacheStats, resolveCache } from "./cache-option.js";
import { EXIT_INPUT, EXIT_OK, colorsFor, emit, parseFormats, parseNow } from "./common.js";

export interface ValidateOptions {
  root: string;
  /** `text` or `json`, each optionally `=FILE`; repeatable like check's. */
  format?: string[] | string;
  now?: string;
  cache?: boolean;
  cacheLocation?: string;
}

export async function validateCommand(opts: ValidateOptions): Promise<number> {
  const formats = parseFormats(typeof opts.format === "string" ? [opts.format] : opts.format, ["text", "json"] as const, "text");
  const now = parseNow(opts.now);
  const cache = await resolveCache(opts);
  const progress = createProgress("tollgate validate: loading manifests");
  const started = Date.now();
  let result;
  try {
    result = await loadProject(opts.root, { now, cache });
  } finally {
    progress.done();
  }
  const { project, diagnostics, ok, cacheStats } = result;
  reportCacheStats(cacheStats);
  if (getVerbosity() === "verbose") process.stderr.write(`tollgate: loaded ${project.files.length} files in ${Date.now() - started} ms\n`);
  for (const target of formats) {
    if (target.format === "json") {
      await emit(target, `${JSON.stringify({ ok, diagnostics }, null, 2)}\n`);
      continue;
    }
    const pc = colorsFor(target);
    const quiet = getVerbosity() === "quiet";
    const lines: string[] = [];
    for (const d of diagnostics) {
      if (quiet && d.severity !== "error") continue;
      const color = d.severity === "error" ? pc.red : d.severity === "warning" ? pc.yellow : pc.blue;
      lines.push(`${pc.bold(`${escapeTerminal(d.file)}:${d.line}:${d.col}`)} ${color(d.code)} ${escapeTerminal(d.message)}`);
      lines.push(`  ${pc.dim("hint:")} ${escapeTerminal(d.hint)}`);
    }
    const m = project.model;
    if (ok) {
      const counts = `${m.environments.size} environments, ${m.services.size} services, ${m.secrets.size} secrets, ${m.apis.size} APIs, ${m.webhooks.size} webhooks, ${m.alerts.size} alerts, ${m.channels.size} channels`;
      if (!quiet || target.file) lines.push(`${pc.green("✔")} ${project.files.length} file${project.files.length === 1 ? "" : "s"} valid: ${counts}`);
    } else {
      const errors = diagnostics.filter((d) => d.severity === "error").length;
      const warnings = diagnostics.length - errors;
      lines.push(`${pc.red("✖")} ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
    }
    await emit(target, lines.length ? `${lines.join("\n")}\n` : "");
  }
  return ok ? EXIT_OK : EXIT_INPUT;
}
