/**
 * The per-policy reference at the end of docs/policies.md, generated from the registry so every
 * policy id has a heading (the anchor each finding's documentation link points at) with its
 * rationale and remediation. `npm run build && npm run docs` rewrites it; a test fails on drift.
 */
import { BUILTIN_POLICIES, WAIVER_RULES } from "./registry.js";

export const BEGIN = "<!-- BEGIN GENERATED POLICY REFERENCE: npm run build && npm run docs -->";
export const END = "<!-- END GENERATED POLICY REFERENCE -->";

const entry = (id: string, title: string, category: string, severity: string, rationale: string, remediation: string) =>
  [
    `### \`${id}\``,
    "",
    `**${title}** — category \`${category}\`, default severity \`${severity}\`.`,
    "",
    rationale,
    "",
    `**How to fix:** ${remediation}`,
    "",
  ].join("\n");

export function renderPolicyReference(): string {
  const parts = [
    BEGIN,
    "",
    "## Policy reference",
    "",
    "One section per policy id; findings link here (`docs/policies.md#<id>`).",
    "",
  ];
  for (const p of BUILTIN_POLICIES)
    parts.push(entry(p.id, p.title, p.category, p.severity, p.rationale, p.remediation));
  for (const [id, r] of Object.entries(WAIVER_RULES))
    parts.push(entry(id, r.title, "waivers", r.severity, r.rationale, r.remediation));
  parts.push(END);
  return parts.join("\n");
}

/** docs/policies.md with the generated reference replaced (or appended when missing). */
export function splicePolicyReference(doc: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return `${doc.replace(/\n*$/, "\n\n")}${renderPolicyReference()}\n`;
  return `${doc.slice(0, start)}${renderPolicyReference()}${doc.slice(end + END.length)}`;
}
