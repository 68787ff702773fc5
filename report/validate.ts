/** `tollgate validate`'s formats: every diagnostic as `file:line:col code message` plus its hint, or JSON. */
import type picocolors from "picocolors";
import type { Diagnostic } from "../model/diagnostics.js";
import type { FormatEntry } from "../util/format-table.js";
import { escapeTerminal } from "../util/terminal-escape.js";

export interface ValidateContext {
  ok: boolean;
  diagnostics: Diagnostic[];
  files: number;
  /** "2 environments, 1 service, …" */
  counts: string;
  colors: ReturnType<typeof picocolors.createColors>;
  /** --quiet: errors only, and no success line on the terminal. */
  quiet: boolean;
  /** Written to a file (the success line is kept there even with --quiet). */
  toFile: boolean;
}

function renderText(c: ValidateContext): string {
  const pc = c.colors;
  const lines: string[] = [];
  for (const d of c.diagnostics) {
    if (c.quiet && d.severity !== "error") continue;
    const color = d.severity === "error" ? pc.red : d.severity === "warning" ? pc.yellow : pc.blue;
    lines.push(
      `${pc.bold(`${escapeTerminal(d.file)}:${d.line}:${d.col}`)} ${color(d.code)} ${escapeTerminal(d.message)}`,
    );
    lines.push(`  ${pc.dim("hint:")} ${escapeTerminal(d.hint)}`);
  }
  if (c.ok) {
    if (!c.quiet || c.toFile)
      lines.push(`${pc.green("✔")} ${c.files} file${c.files === 1 ? "" : "s"} valid: ${c.counts}`);
  } else {
    const errors = c.diagnostics.filter((d) => d.severity === "error").length;
    const warnings = c.diagnostics.length - errors;
    lines.push(
      `${pc.red("✖")} ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`,
    );
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

export const VALIDATE_FORMATS = [
  { format: "text", description: "each problem as file:line:col code message, with a hint", render: renderText },
  {
    format: "json",
    description: "{ ok, diagnostics } for tools",
    render: (c: ValidateContext) => `${JSON.stringify({ ok: c.ok, diagnostics: c.diagnostics }, null, 2)}\n`,
  },
] as const satisfies readonly FormatEntry<ValidateContext>[];
