/** JUnit XML: one test case per policy × subject, one suite per scorecard category of rules. */
import type { Report } from "../policies/engine.js";

// Characters XML 1.0 forbids even as references (C0 controls but tab and line ends, lone
// surrogates, U+FFFE/U+FFFF), and DEL/C1 which it discourages: shown as the text `\uXXXX`.
const INVALID_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Line breaks and tabs as character references: a parser turns raw ones inside attributes into spaces.
const esc = (s: string) =>
  s
    .replace(INVALID_XML, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");

export function renderJunit(report: Report): string {
  const byRule = new Map<string, typeof report.findings>();
  for (const f of report.findings) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  const suites: string[] = [];
  let tests = 0,
    failures = 0,
    skipped = 0;
  for (const rule of report.rules.filter((r) => r.enabled)) {
    const fs = byRule.get(rule.id) ?? [];
    const cases: string[] = [];
    if (fs.length === 0) cases.push(`    <testcase classname="${esc(rule.id)}" name="${esc(rule.title)}"/>`);
    for (const f of fs) {
      const loc = `${f.location.file}:${f.location.line}:${f.location.col}`;
      const head = `    <testcase classname="${esc(rule.id)}" name="${esc(f.subject)}" file="${esc(f.location.file)}" line="${f.location.line}">`;
      if (f.waived) {
        skipped++;
        cases.push(`${head}\n      <skipped message="${esc(`waived: ${f.waiver!.reason}`)}"/>\n    </testcase>`);
      } else if (f.severity === "error") {
        failures++;
        cases.push(
          `${head}\n      <failure message="${esc(f.message)}" type="${esc(rule.id)}">${esc(`${loc} ${f.subject}: ${f.message}\n${rule.remediation}`)}</failure>\n    </testcase>`,
        );
      } else
        cases.push(
          `${head}\n      <system-out>${esc(`${f.severity}: ${loc} ${f.message}`)}</system-out>\n    </testcase>`,
        );
    }
    tests += cases.length;
    const fails = fs.filter((f) => !f.waived && f.severity === "error").length;
    const skips = fs.filter((f) => f.waived).length;
    suites.push(
      `  <testsuite name="${esc(rule.id)}" tests="${cases.length}" failures="${fails}" errors="0" skipped="${skips}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  // Input diagnostics (exit 2): one failing test case each, so CI shows why nothing was evaluated.
  const diags = report.diagnostics ?? [];
  if (diags.length) {
    const cases = diags.map(
      (d) =>
        `    <testcase classname="input" name="${esc(d.code)}" file="${esc(d.file)}" line="${d.line}">\n      <failure message="${esc(d.message)}" type="${esc(d.code)}">${esc(`${d.file}:${d.line}:${d.col} ${d.code} ${d.message}\nhint: ${d.hint}`)}</failure>\n    </testcase>`,
    );
    const fails = diags.filter((d) => d.severity === "error").length;
    tests += cases.length;
    failures += fails;
    suites.unshift(
      `  <testsuite name="input" tests="${cases.length}" failures="${fails}" errors="0" skipped="0">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="tollgate" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n${suites.join("\n")}\n</testsuites>\n`;
}
