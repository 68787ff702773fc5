/** Human output: findings grouped by file (like Spectral), then the score table; --explain adds why. */
import picocolors from "picocolors";
import type { Report } from "../engine.js";
import type { Comparison } from "./baseline.js";

type Colors = ReturnType<typeof picocolors.createColors>;

/** One finding, one line: line breaks and other control characters are shown escaped. */
const oneLine = (s: string) =>
  s.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));

export function renderText(report: Report, opts: { explain?: boolean; comparison?: Comparison; colors?: Colors } = {}): string {
  const pc = opts.colors ?? picocolors;
  const sev = (s: string) => (s.startsWith("error") ? pc.red(s) : s.startsWith("warning") ? pc.yellow(s) : pc.blue(s));
  const lines: string[] = [];
  let file = "";
  for (const f of report.findings) {
    if (f.location.file !== file) {
      file = f.location.file;
      if (lines.length) lines.push("");
      lines.push(pc.underline(file));
    }
    const state = f.waived ? pc.dim(` (waived until ${f.waiver!.expires}: ${f.waiver!.reason})`) : f.baselineState === "new" ? pc.magenta(" (new)") : "";
    const text = `  ${`${f.location.line}:${f.location.col}`.padEnd(8)}${sev(f.severity.padEnd(7))} ${pc.dim(f.ruleId)}  ${oneLine(`${f.subject}: ${f.message}`)}${state}`;
    lines.push(f.waived ? pc.dim(text) : text);
  }
  if (lines.length) lines.push("");
  lines.push(pc.bold(`Readiness ${report.score.percent}%${report.env ? ` (${report.env})` : ""} as of ${report.now}`));
  for (const s of report.scorecards) {
    const bar = s.passed === s.total ? pc.green : s.passed === 0 ? pc.red : pc.yellow;
    lines.push(`  ${s.title.padEnd(40)} ${bar(`${s.passed} of ${s.total}`.padStart(7))}  ${bar(`${s.percent}%`.padStart(4))}`);
    if (opts.explain) {
      for (const c of s.categories) {
        const deciding = c.findings.filter((f) => !f.waived && f.severity === "error");
        const advisory = c.findings.filter((f) => f.waived || f.severity !== "error");
        lines.push(`    ${c.passed ? pc.green("✔") : pc.red("✖")} ${c.title}${c.passed ? "" : pc.dim(` — failed by ${deciding.length} finding${deciding.length === 1 ? "" : "s"}`)}`);
        for (const f of deciding) lines.push(`        ${pc.red("•")} ${f.ruleId} ${oneLine(`${f.subject}: ${f.message}`)}`);
        for (const f of advisory) lines.push(pc.dim(`        ◦ ${f.ruleId} ${oneLine(`${f.subject}: ${f.message}`)}${f.waived ? " (waived)" : ` (${f.severity}, not scored)`}`));
      }
    }
  }
  const c = opts.comparison;
  if (c) {
    const d = c.delta > 0 ? pc.green(`+${c.delta}`) : c.delta < 0 ? pc.red(String(c.delta)) : "±0";
    lines.push(`  compared with base: ${c.base.percent}% → ${report.score.percent}% (${d}); ${c.newFindings.length} new, ${c.fixed.length} fixed, ${c.unchanged.length} unchanged`);
  }
  const { errors, warnings, notes, waived } = report.summary;
  lines.push(`${errors ? pc.red("✖") : pc.green("✔")} ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}, ${notes} note${notes === 1 ? "" : "s"}, ${waived} waived`);
  if (!opts.explain) lines.push(pc.dim("  (run with --explain to see which findings decided each category)"));
  return `${lines.join("\n")}\n`;
}
