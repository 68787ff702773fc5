/**
 * Test-table runner for policies, built-in and custom alike: feed a manifest, get the findings
 * (subject and message) the policy reports. No files, no positions: pure model in, findings out.
 */
import { buildModel, type ManifestInput } from "../model/build.js";
import type { Policy } from "./types.js";

export interface PolicyCase {
  name: string;
  manifest: ManifestInput;
  now?: string;
  env?: string;
  options?: Record<string, unknown>;
  /** Expected findings as `subject: message` fragments; [] for a passing case. */
  expect: string[];
}

export interface CaseResult {
  findings: string[];
}

export function runPolicyCase(policy: Policy, c: Omit<PolicyCase, "expect" | "name">): CaseResult {
  const model = buildModel(c.manifest);
  const options = policy.options.parse(c.options ?? {});
  const environments = c.env ? [c.env] : [...model.environments.keys()];
  const production = [...model.environments].find(([, e]) => e.production)?.[0];
  const findings: string[] = [];
  policy.check({ model, options, now: c.now ?? "2026-11-24", environments, production }, (f) => findings.push(`${f.subject}: ${f.message}`));
  return { findings };
}

/** True when every expected fragment matches a finding and the counts agree. */
export function matchesCase(result: CaseResult, expected: string[]): boolean {
  if (result.findings.length !== expected.length) return false;
  const remaining = [...result.findings];
  for (const e of expected) {
    const i = remaining.findIndex((f) => f.includes(e));
    if (i < 0) return false;
    remaining.splice(i, 1);
  }
  return true;
}
