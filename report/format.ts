/** Small display helpers every reporter shares, defined once. */
import type { Report } from "../policies/engine.js";

/** A score as shown: "n/a" when nothing was applicable (never 0% or 100%). */
export const formatPercent = (percent: number | null): string => (percent === null ? "n/a" : `${percent}%`);

/**
 * Control characters other than line endings (ESC above all: CI logs render ANSI codes) shown as
 * `\uXXXX`. Line endings are left to each format's own encoding (table cells, workflow commands).
 */
export const escapeControls = (s: string): string =>
  s.replace(
    /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

/** How to fix one rule: its remediation and, when known, where it is documented. */
export interface Fix {
  ruleId: string;
  remediation: string;
  docs?: string;
}

/** The fix for each rule that has findings, once per rule, in the order the findings come. */
export function fixesFor(report: Pick<Report, "rules">, findings: readonly { ruleId: string }[]): Fix[] {
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  const out = new Map<string, Fix>();
  for (const f of findings) {
    const r = rules.get(f.ruleId);
    if (!r || out.has(f.ruleId)) continue;
    out.set(f.ruleId, { ruleId: f.ruleId, remediation: r.remediation, ...(r.docs ? { docs: r.docs } : {}) });
  }
  return [...out.values()];
}
