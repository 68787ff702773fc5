/**
 * SARIF 2.1.0 for GitHub code scanning: rules with help, regions, fingerprints, suppressions.
 * Artifact URIs are relative to SRCROOT, the repository root (git top level, else --root), so
 * code scanning resolves them whatever folder tollgate ran from. Input diagnostics (exit 2) are
 * results too, each with its own rule, so a PR shows why nothing was evaluated.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DIAGNOSTIC_CODES, type Diagnostic } from "../model/diagnostics.js";
import { PROJECT_URL, docsUrl } from "../util/project-url.js";
import type { Report } from "../policies/engine.js";

const LEVEL = { error: "error", warning: "warning", note: "note" } as const;

export interface SarifOptions {
  /** Absolute path of the repository root; defaults to the working directory. */
  srcRoot?: string;
  /** Absolute folder the report's file paths are relative to (the working directory). */
  cwd?: string;
}

const isPseudo = (file: string) => file.startsWith("<");

export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  const srcRoot = path.resolve(opts.srcRoot ?? cwd);
  const rootUri = pathToFileURL(srcRoot).href.replace(/\/?$/, "/");
  const uri = (file: string) =>
    path.relative(srcRoot, path.resolve(cwd, file)).split(path.sep).map(encodeURIComponent).join("/");
  const physical = (file: string, line: number, col: number) =>
    isPseudo(file)
      ? {}
      : {
          physicalLocation: {
            artifactLocation: { uri: uri(file), uriBaseId: "SRCROOT" },
            region: { startLine: Math.max(1, line), startColumn: Math.max(1, col) },
          },
        };

  const diagnostics: Diagnostic[] = report.diagnostics ?? [];
  const rules = [
    ...report.rules
      .filter((r) => r.enabled)
      .map((r) => ({
        id: r.id,
        name: pascal(r.id),
        shortDescription: { text: r.title },
        fullDescription: { text: r.rationale },
        help: {
          text: `${r.rationale}\n\nRemediation: ${r.remediation}`,
          markdown: `${r.rationale}\n\n**Remediation:** ${r.remediation}`,
        },
        ...(r.docs ? { helpUri: r.docs } : {}),
        defaultConfiguration: { level: LEVEL[r.severity] },
        properties: { category: r.category, tags: [r.category] },
      })),
    ...[...new Set(diagnostics.map((d) => d.code))].sort().map((code) => ({
      id: code,
      name: pascal(code),
      shortDescription: { text: DIAGNOSTIC_CODES[code] },
      helpUri: docsUrl("diagnostics.md", code),
      defaultConfiguration: { level: "error" as const },
      properties: { category: "input", tags: ["input"] },
    })),
  ];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const ruleRef = (id: string) => (index.has(id) ? { ruleId: id, ruleIndex: index.get(id)! } : { ruleId: id });

  const results = [
    ...diagnostics.map((d) => ({
      ...ruleRef(d.code),
      level: LEVEL[d.severity],
      message: { text: `${d.message} (hint: ${d.hint})` },
      locations: [
        {
          ...physical(d.file, d.line, d.col),
          ...(isPseudo(d.file) ? { logicalLocations: [{ name: d.file, kind: "module" }] } : {}),
        },
      ],
    })),
    ...report.findings.map((f) => ({
      ...ruleRef(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: `${f.subject}: ${f.message}` },
      locations: [
        {
          ...physical(f.location.file, f.location.line, f.location.col),
          logicalLocations: [{ name: f.subject, kind: "resource" }],
        },
      ],
      partialFingerprints: { "tollgate/v1": f.fingerprint },
      ...(f.waived
        ? {
            suppressions: [
              {
                kind: "external",
                status: "accepted",
                justification: `${f.waiver!.reason} (owner ${f.waiver!.owner}, expires ${f.waiver!.expires}${f.waiver!.ticket ? `, ${f.waiver!.ticket}` : ""})`,
              },
            ],
          }
        : {}),
      ...(f.baselineState ? { baselineState: f.baselineState } : {}),
      properties: { subject: f.subject },
    })),
  ];
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "tollgate", version: report.tool.version, informationUri: PROJECT_URL, rules } },
        originalUriBaseIds: { SRCROOT: { uri: rootUri } },
        results,
        ...(diagnostics.length ? { invocations: [{ executionSuccessful: false, exitCode: 2 }] } : {}),
        properties: { score: report.score.percent, now: report.now },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}
