/** SARIF 2.1.0 for GitHub code scanning: rules with help, regions, fingerprints, suppressions. */
import type { Report } from "../engine.js";

const LEVEL = { error: "error", warning: "warning", note: "note" } as const;

export function renderSarif(report: Report): string {
  const rules = report.rules.filter((r) => r.enabled);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "tollgate",
            version: report.tool.version,
            informationUri: "https://github.com/tollgate/tollgate",
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.rationale },
              help: { text: `${r.rationale}\n\nRemediation: ${r.remediation}`, markdown: `${r.rationale}\n\n**Remediation:** ${r.remediation}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { category: r.category, tags: [r.category] },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: "file:///" } },
        results: report.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId) ?? 0,
          level: LEVEL[f.severity],
          message: { text: `${f.subject}: ${f.message}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.location.file, uriBaseId: "%SRCROOT%" },
                region: { startLine: f.location.line, startColumn: f.location.col },
              },
              logicalLocations: [{ name: f.subject, kind: "resource" }],
            },
          ],
          partialFingerprints: { "tollgate/v1": f.fingerprint },
          ...(f.waived
            ? { suppressions: [{ kind: "external", status: "accepted", justification: `${f.waiver!.reason} (owner ${f.waiver!.owner}, expires ${f.waiver!.expires}${f.waiver!.ticket ? `, ${f.waiver!.ticket}` : ""})` }] }
            : {}),
          ...(f.baselineState ? { baselineState: f.baselineState } : {}),
          properties: { subject: f.subject },
        })),
        properties: { score: report.score.percent, now: report.now },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
