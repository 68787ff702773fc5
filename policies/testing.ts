/**
 * Test-table runner for policies, built-in and custom alike (as Spectral's testRule): feed a
 * manifest, get every finding as `{ruleId, subject, message, path}` and compare the whole list
 * exactly. `path` is the model path the finding points at (section, entity name, key path). Given
 * the manifest as YAML text, each finding also carries the `line` it is located at.
 */
import { LineCounter, parseDocument } from "yaml";
import { buildModel, type ManifestInput } from "../model/build.js";
import { DocumentSource } from "../load/source-map.js";
import type { Policy } from "./types.js";

export interface CaseFinding {
  ruleId: string;
  subject: string;
  message: string;
  path: (string | number)[];
  /** Only when the case's manifest is YAML text. */
  line?: number;
}

export interface PolicyCase {
  name?: string;
  /** The manifest as plain objects, or as YAML text (then findings carry their line). */
  manifest: ManifestInput | string;
  now?: string;
  env?: string;
  options?: Record<string, unknown>;
  /** What a probe run proved (`check --probe-results`), client metrics per API as a plain object. */
  evidence?: { env: string; now: string; clientMetrics: Record<string, { present: boolean; detail: string }> };
  /** Every finding the case must produce, exactly; [] for a passing case. Order does not matter. */
  expect: CaseFinding[];
}

export interface CaseResult {
  /** In a stable order (see sortCaseFindings). */
  findings: CaseFinding[];
}

export function runPolicyCase(policy: Policy, c: Omit<PolicyCase, "expect" | "name">): CaseResult {
  let input = c.manifest;
  let src: DocumentSource | undefined;
  if (typeof input === "string") {
    const lineCounter = new LineCounter();
    const doc = parseDocument(input, { lineCounter });
    if (doc.errors.length > 0) throw new Error(`case manifest is not valid YAML: ${doc.errors[0]!.message}`);
    src = new DocumentSource("case.yaml", doc, lineCounter);
    input = doc.toJS() as ManifestInput;
  }
  const model = buildModel(input);
  const options = policy.options.parse(c.options ?? {});
  const environments = c.env ? [c.env] : [...model.environments.keys()];
  const production = [...model.environments].find(([, e]) => e.production)?.[0];
  const findings: CaseFinding[] = [];
  const evidence = c.evidence && {
    env: c.evidence.env,
    now: c.evidence.now,
    clientMetrics: new Map(Object.entries(c.evidence.clientMetrics)),
  };
  policy.check(
    { model, options, now: c.now ?? "2026-11-24", environments, production, ...(evidence ? { evidence } : {}) },
    (f) => {
      const path = [f.at.section, f.at.name, ...(f.at.path ?? [])];
      findings.push({
        ruleId: policy.id,
        subject: f.subject,
        message: f.message,
        path,
        ...(src ? { line: src.locate(path).line } : {}),
      });
    },
  );
  return { findings: sortCaseFindings(findings) };
}

/** A stable order for comparing lists of findings: by path, then subject, then message. */
export function sortCaseFindings(findings: readonly CaseFinding[]): CaseFinding[] {
  const key = (f: CaseFinding) => JSON.stringify([f.path.join("\u0000"), f.subject, f.message, f.ruleId, f.line ?? 0]);
  return [...findings].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** True when the findings are exactly the expected ones: same fields, same values, same count. */
export function matchesCase(result: CaseResult, expected: readonly CaseFinding[]): boolean {
  const canon = (list: readonly CaseFinding[]) =>
    JSON.stringify(
      sortCaseFindings(list).map((f) => ({
        ruleId: f.ruleId,
        subject: f.subject,
        message: f.message,
        path: f.path,
        line: f.line,
      })),
    );
  return canon(result.findings) === canon(expected);
}
