/** GitHub Actions workflow commands: one annotation per unwaived finding. */
import type { Report } from "../engine.js";

// Line endings are the workflow-command encoding's job; other control characters (ESC: the log renders
// ANSI codes) are shown as escapes.
const controls = (s: string) => s.replace(/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const escData = (s: string) => controls(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escProp = (s: string) => escData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
const CMD = { error: "error", warning: "warning", note: "notice" } as const;

export function renderGithub(report: Report): string {
  const lines = report.findings
    .filter((f) => !f.waived)
    .map((f) => `::${CMD[f.severity]} file=${escProp(f.location.file)},line=${f.location.line},col=${f.location.col},title=${escProp(`${f.ruleId}`)}::${escData(`${f.subject}: ${f.message}`)}`);
  for (const d of report.diagnostics ?? [])
    lines.push(`::${CMD[d.severity]} ${d.file.startsWith("<") ? "" : `file=${escProp(d.file)},line=${d.line},col=${d.col},`}title=${escProp(d.code)}::${escData(`${d.message} (hint: ${d.hint})`)}`);
  if (report.diagnostics?.length) return `${lines.join("\n")}\n`;
  lines.push(`::notice title=tollgate readiness::${escData(`${report.score.percent === null ? "n/a" : `${report.score.percent}%`} (${report.scorecards.map((s) => `${s.id} ${s.percent === null ? "n/a" : `${s.passed}/${s.total}`}`).join(", ")})`)}`);
  return `${lines.join("\n")}\n`;
}
