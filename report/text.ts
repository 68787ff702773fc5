/**
 * Human output: findings grouped by file (like Spectral), or one list by score impact or deadline
 * (--sort), then the score table; --explain adds why.
 */
import picocolors from "picocolors";
import { formatDiagnostic } from "../model/diagnostics.js";
import type { Report } from "../policies/engine.js";
import type { Comparison } from "./baseline.js";
import { fixesFor, formatPercent as pct } from "./format.js";
import { escapeTerminal as esc } from "../util/terminal-escape.js";
import { findingImpacts, formatPoints, type FindingSort } from "../policies/impact.js";

type Colors = ReturnType<typeof picocolors.createColors>;

export interface TextOptions {
  explain?: boolean;
  comparison?: Comparison;
  colors?: Colors;
  /** --quiet: error findings only, without the --explain tip. */
  quiet?: boolean;
  /** --sort impact|deadline: one list in that order (the findings come sorted), each with its points and place. */
  sort?: FindingSort;
}

export function renderText(report: Report, opts: TextOptions = {}): string {
  const pc = opts.colors ?? picocolors;
  const sev = (s: string) => (s.startsWith("error") ? pc.red(s) : s.startsWith("warning") ? pc.yellow(s) : pc.blue(s));
  const lines: string[] = [];
  if (report.diagnostics?.length) return `${report.diagnostics.map(formatDiagnostic).join("\n")}\n`;
  const shown = opts.quiet ? report.findings.filter((f) => !f.waived && f.severity === "error") : report.findings;
  const remedy = new Map(report.rules.map((r) => [r.id, r.remediation]));
  let file = "";
  const impact = opts.sort && opts.sort !== "file" ? findingImpacts(report) : undefined;
  if (impact && shown.length)
    lines.push(pc.underline(`Findings by ${opts.sort === "impact" ? "what fixing them gives the score" : "deadline"}`));
  for (const f of shown) {
    if (impact) {
      const points = impact.get(f) ?? 0;
      const text = `  ${(points ? formatPoints(points) : "").padStart(5)}  ${sev(f.severity.padEnd(7))} ${pc.dim(esc(f.ruleId))}  ${esc(f.subject)}: ${esc(f.message)}${f.date && !f.message.includes(f.date) ? pc.dim(` (due ${esc(f.date)})`) : ""}  ${pc.dim(`${esc(f.location.file)}:${f.location.line}:${f.location.col}`)}`;
      lines.push(f.waived ? pc.dim(text) : text);
      continue;
    }
    if (f.location.file !== file) {
      file = f.location.file;
      if (lines.length) lines.push("");
      lines.push(pc.underline(esc(file)));
    }
    const state = f.waived
      ? pc.dim(` (waived until ${esc(f.waiver!.expires)}: ${esc(f.waiver!.reason)})`)
      : f.baselineState === "new"
        ? pc.magenta(" (new)")
        : "";
    const text = `  ${`${f.location.line}:${f.location.col}`.padEnd(8)}${sev(f.severity.padEnd(7))} ${pc.dim(esc(f.ruleId))}  ${esc(f.subject)}: ${esc(f.message)}${state}`;
    lines.push(f.waived ? pc.dim(text) : text);
  }
  const fixes = fixesFor(
    report,
    shown.filter((f) => !f.waived),
  );
  if (fixes.length) {
    lines.push("", pc.bold("How to fix"));
    for (const x of fixes)
      lines.push(`  ${pc.dim(esc(x.ruleId))}  ${esc(x.remediation)}${x.docs ? `\n    ${pc.dim(esc(x.docs))}` : ""}`);
  }
  if (lines.length) lines.push("");
  lines.push(
    pc.bold(`Readiness ${pct(report.score.percent)}${report.env ? ` (${report.env})` : ""} as of ${report.now}`),
  );
  for (const s of report.scorecards) {
    const na = s.notApplicable ? pc.dim(`  (${s.notApplicable} n/a)`) : "";
    if (s.percent === null)
      lines.push(
        `  ${esc(s.title).padEnd(40)} ${pc.dim("n/a".padStart(7))}  ${pc.dim("n/a".padStart(4))}${pc.dim("  (nothing to judge)")}`,
      );
    else {
      const bar = s.passed === s.total ? pc.green : s.passed === 0 ? pc.red : pc.yellow;
      lines.push(
        `  ${esc(s.title).padEnd(40)} ${bar(`${s.passed} of ${s.total}`.padStart(7))}  ${bar(`${s.percent}%`.padStart(4))}${na}`,
      );
    }
    if (opts.explain) {
      for (const c of s.categories) {
        if (c.status === "n/a") {
          lines.push(pc.dim(`    – ${c.title} — n/a, nothing to judge`));
          continue;
        }
        const deciding = c.findings.filter((f) => !f.waived && f.severity === "error");
        const advisory = c.findings.filter((f) => f.waived || f.severity !== "error");
        lines.push(
          `    ${c.passed ? pc.green("✔") : pc.red("✖")} ${esc(c.title)}${c.passed ? "" : pc.dim(` — failed by ${deciding.length} finding${deciding.length === 1 ? "" : "s"}`)}`,
        );
        for (const f of deciding) {
          lines.push(`        ${pc.red("•")} ${esc(f.ruleId)} ${esc(f.subject)}: ${esc(f.message)}`);
          if (remedy.has(f.ruleId)) lines.push(pc.dim(`          fix: ${esc(remedy.get(f.ruleId)!)}`));
        }
        for (const f of advisory)
          lines.push(
            pc.dim(
              `        ◦ ${esc(f.ruleId)} ${esc(f.subject)}: ${esc(f.message)}${f.waived ? " (waived)" : ` (${f.severity}, not scored)`}`,
            ),
          );
      }
    }
  }
  const c = opts.comparison;
  if (c) {
    const d = c.delta > 0 ? pc.green(`+${c.delta}`) : c.delta < 0 ? pc.red(String(c.delta)) : "±0";
    lines.push(
      `  compared with base: ${pct(c.base.percent)} → ${pct(report.score.percent)} (${d}); ${c.newFindings.length} new, ${c.fixed.length} fixed, ${c.unchanged.length} unchanged`,
    );
  }
  const { errors, warnings, notes, waived } = report.summary;
  lines.push(
    `${errors ? pc.red("✖") : pc.green("✔")} ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}, ${notes} note${notes === 1 ? "" : "s"}, ${waived} waived`,
  );
  if (!opts.explain && !opts.quiet)
    lines.push(pc.dim("  (run with --explain to see which findings decided each category)"));
  return `${lines.join("\n")}\n`;
}
