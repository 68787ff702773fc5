/** GitHub Actions workflow commands: one annotation per unwaived finding. */
import type { Report } from "../policies/engine.js";
import { escapeControls, formatPercent } from "./format.js";

const escData = (s: string) => escapeControls(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escProp = (s: string) => escData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
const CMD = { error: "error", warning: "warning", note: "notice" } as const;

export function renderGithub(report: Report): string {
  const lines = report.findings
    .filter((f) => !f.waived)
    .map(
      (f) =>
        `::${CMD[f.severity]} file=${escProp(f.location.file)},line=${f.location.line},col=${f.location.col},title=${escProp(`${f.ruleId}`)}::${escData(`${f.subject}: ${f.message}`)}`,
    );
  for (const d of report.diagnostics ?? [])
    lines.push(
      `::${CMD[d.severity]} ${d.file.startsWith("<") ? "" : `file=${escProp(d.file)},line=${d.line},col=${d.col},`}title=${escProp(d.code)}::${escData(`${d.message} (hint: ${d.hint})`)}`,
    );
  if (report.diagnostics?.length) return `${lines.join("\n")}\n`;
  lines.push(
    `::notice title=tollgate readiness::${escData(`${formatPercent(report.score.percent)} (${report.scorecards.map((s) => `${s.id} ${s.percent === null ? "n/a" : `${s.passed}/${s.total}`}`).join(", ")})`)}`,
  );
  return `${lines.join("\n")}\n`;
}
