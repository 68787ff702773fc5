/** A PR comment: score table with deltas, then new and fixed findings. */
import type { Report } from "../policies/engine.js";
import type { Comparison } from "./baseline.js";
import { escapeControls, fixesFor, formatPercent as pct } from "./format.js";
import { plural } from "../util/plural.js";
import { FIX_FIRST, describeFindings, fixItems, formatPoints } from "../policies/impact.js";

// A table cell: no raw HTML (entities), escaped pipes, every line ending (CR too) as a space, and
// no @-mention (the report is the bot's PR comment): a zero-width space after an @ that
// starts a name (not inside secret/X@production or an e-mail address, which mention nobody).
// No link either: `[`, `]` and backticks backslash-escaped (a backslash first, so text cannot undo
// an escape; without a `[` no link or image can form, so `(`, `)` and `!` stay as written), and a
// bare URL broken by a zero-width space so GitHub does not autolink it.
const cell = (s: string) =>
  escapeControls(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\[\]`|]/g, "\\$&")
    .replace(/\r\n|\r|\n/g, " ")
    .replace(/(^|[^\w])@(?=[A-Za-z0-9])/g, "$1@&#8203;")
    .replace(/([a-z][a-z0-9+.-]*):\/\//gi, "$1:&#8203;//")
    .replace(/\b(www)\./gi, "$1&#8203;.");

/** Appends many lines without spreading them into one call (a spread of 100k rows overflows the stack). */
const append = (out: string[], lines: Iterable<string>) => {
  for (const l of lines) out.push(l);
};

// A link target: characters that would end the link or the table cell percent-encoded.
const href = (u: string) =>
  escapeControls(u).replace(
    /[\s()<>|"'`\\[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
const ruleLink = (id: string, docs?: string) => (docs ? `[\`${id}\`](${href(docs)})` : `\`${id}\``);

export function renderMarkdown(report: Report, comparison?: Comparison): string {
  const out: string[] = [];
  if (report.diagnostics?.length) {
    out.push(
      "## Tollgate readiness: not evaluated",
      "",
      `The manifests or options are invalid (${report.diagnostics.length} problem${report.diagnostics.length === 1 ? "" : "s"}); fix them and run again.`,
      "",
    );
    out.push("| code | location | message | hint |", "|---|---|---|---|");
    for (const d of report.diagnostics)
      out.push(`| \`${d.code}\` | ${cell(`${d.file}:${d.line}:${d.col}`)} | ${cell(d.message)} | ${cell(d.hint)} |`);
    return `${out.join("\n")}\n`;
  }
  const delta = (n: number) => (n > 0 ? ` (+${n})` : n < 0 ? ` (${n})` : comparison ? " (±0)" : "");
  out.push(`## Tollgate readiness: ${pct(report.score.percent)}${comparison ? delta(comparison.delta) : ""}`, "");
  out.push(
    `Evaluated ${report.now}${report.env ? ` for \`${report.env}\`` : ""}: ${plural(report.summary.errors, "error")}, ${plural(report.summary.warnings, "warning")}, ${report.summary.waived} waived.`,
    "",
  );
  out.push("| scorecard | passed | score |", "|---|---:|---:|");
  for (const s of report.scorecards) {
    const base = comparison?.base.scorecards[s.id];
    const d = typeof base === "number" && s.percent !== null ? delta(s.percent - base) : "";
    const passed =
      s.percent === null ? "n/a" : `${s.passed} of ${s.total}${s.notApplicable ? ` (${s.notApplicable} n/a)` : ""}`;
    out.push(`| ${cell(s.title)} | ${passed} | ${pct(s.percent)}${d} |`);
  }
  out.push("");
  const failing = report.scorecards.flatMap((s) =>
    s.categories.filter((c) => c.status === "fail").map((c) => `${s.title}: ${c.title}`),
  );
  if (failing.length) {
    out.push("<details><summary>Failing categories</summary>", "");
    append(
      out,
      failing.map((f) => `- ${cell(f)}`),
    );
    out.push("", "</details>", "");
  }
  const first = fixItems(report).slice(0, FIX_FIRST);
  if (first.length) {
    out.push(
      "### Fix first",
      "",
      "What each failing category gives back to the score once all its error findings are fixed.",
      "",
      "| points | category | findings | deadline |",
      "|---:|---|---|---|",
    );
    for (const item of first) {
      const { rules, subjects, more } = describeFindings(item.findings);
      const what = `${item.findings.length} × ${rules.map((r) => `\`${r}\``).join(", ")}: ${cell(subjects.join(", "))}${more ? ` and ${more} more` : ""}`;
      out.push(
        `| ${formatPoints(item.points)} | ${cell(`${item.scorecardTitle}: ${item.title}`)} | ${what} | ${item.deadline ?? ""} |`,
      );
    }
    out.push("");
  }
  const na = report.scorecards.flatMap((s) =>
    s.categories.filter((c) => c.status === "n/a").map((c) => `${s.title}: ${c.title}`),
  );
  if (na.length) {
    out.push("<details><summary>Not applicable (nothing to judge, left out of the score)</summary>", "");
    append(
      out,
      na.map((f) => `- ${cell(f)}`),
    );
    out.push("", "</details>", "");
  }
  const docs = new Map(report.rules.map((r) => [r.id, r.docs]));
  const row = (f: {
    ruleId: string;
    subject: string;
    message: string;
    severity: string;
    location?: { file: string; line: number };
  }) =>
    `| ${f.severity} | ${ruleLink(f.ruleId, docs.get(f.ruleId))} | ${cell(f.subject)} | ${cell(f.message)} | ${f.location ? `${cell(f.location.file)}:${f.location.line}` : ""} |`;
  const table = (title: string, rows: string[]) => {
    if (rows.length === 0) return;
    out.push(`### ${title}`, "", "| severity | rule | subject | message | location |", "|---|---|---|---|---|");
    append(out, rows);
    out.push("");
  };
  const fixes = (findings: readonly { ruleId: string }[]) => {
    const list = fixesFor(report, findings);
    if (list.length) {
      out.push("### How to fix", "");
      append(
        out,
        list.map((x) => `- ${ruleLink(x.ruleId, x.docs)}: ${cell(x.remediation)}`),
      );
      out.push("");
    }
  };
  if (comparison) {
    table(`New findings (${comparison.newFindings.length})`, comparison.newFindings.map(row));
    table(`Fixed findings (${comparison.fixed.length})`, comparison.fixed.map(row));
    if (comparison.newFindings.length === 0 && comparison.fixed.length === 0) out.push("No new or fixed findings.", "");
    fixes(comparison.newFindings);
  } else {
    const live = report.findings.filter((f) => !f.waived);
    table(`Findings (${live.length})`, live.map(row));
    fixes(live);
  }
  return `${out.join("\n")}`;
}
