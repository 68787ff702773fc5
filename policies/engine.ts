/**
 * model → policies → score. Applies tollgate.yaml (enable/disable, severities, options), runs every
 * policy's pure check, locates findings through the source map, applies waivers and scores.
 */
import { hash } from "node:crypto";
import type { Diagnostic } from "../model/diagnostics.js";
import type { Project } from "../load/loader.js";
import type { Model } from "../model/model.js";
import type { Location } from "../load/source-map.js";
import { configure, type Configured } from "./configure.js";
import { runCustomChecks } from "./custom-run.js";
import type { StepReporter } from "../util/progress.js";
import { policyDocsUrl } from "./docs-url.js";
import { BUILTIN_POLICIES, WAIVER_RULES } from "./registry.js";
import { score, scorecardDefs, type ScorecardResult } from "./scoring.js";
import type { Anchor, Finding, FindingInput, Policy, PolicySeverity, ProbeEvidence } from "./types.js";
import { applyWaivers, DEFAULT_MAX_WAIVER_DAYS } from "./waivers.js";

export interface RuleMeta {
  id: string;
  title: string;
  category: string;
  severity: PolicySeverity;
  rationale: string;
  remediation: string;
  /** Where the policy is documented, when known (policies/docs-url.ts). */
  docs?: string;
  enabled: boolean;
}

export interface Report {
  tool: { name: string; version: string };
  now: string;
  env: string | null;
  score: { percent: number | null };
  scorecards: ScorecardResult[];
  findings: Finding[];
  summary: { errors: number; warnings: number; notes: number; waived: number };
  rules: RuleMeta[];
  /** Input problems that stopped evaluation (exit 2); reporters show them as results/failures. */
  diagnostics?: Diagnostic[];
}

/** The report for input that could not be evaluated: no score, only the diagnostics. */
export function inputErrorReport(
  diagnostics: readonly Diagnostic[],
  opts: { now: string; env?: string; version?: string },
): Report {
  return {
    tool: { name: "tollgate", version: opts.version ?? "0.0.0" },
    now: opts.now,
    env: opts.env ?? null,
    score: { percent: null },
    scorecards: [],
    findings: [],
    rules: [],
    summary: {
      errors: diagnostics.filter((d) => d.severity === "error").length,
      warnings: diagnostics.filter((d) => d.severity === "warning").length,
      notes: 0,
      waived: 0,
    },
    diagnostics: [...diagnostics],
  };
}

export interface EvaluateOptions {
  env?: string;
  /** Called as policies run (the progress line). */
  progress?: StepReporter | undefined;
  customPolicies?: Policy[];
  version?: string;
  evidence?: ProbeEvidence | undefined;
}

export interface Evaluation {
  report: Report;
  diagnostics: Diagnostic[];
}

export function fingerprint(ruleId: string, subject: string, key: string): string {
  // One-shot hash: a Hash object per finding cost ~10 µs each (tens of thousands of findings).
  return hash("sha256", `${ruleId}\u0000${subject}\u0000${key}`, "hex").slice(0, 24);
}

const docsOf = (p: { id: string; docsUrl?: string }) => {
  const docs = policyDocsUrl(p);
  return docs ? { docs } : {};
};

function locate(project: Project, at: Anchor): Location {
  return project.sources.locate(at.section, at.name, at.path ?? []) ?? { file: "<model>", line: 1, col: 1 };
}

/** Runs the configured policies over a model. Pure apart from the source-map lookup. */
export function runPolicies(
  model: Model,
  configured: readonly Configured[],
  now: string,
  env: string | undefined,
  locateAt: (a: Anchor) => Location,
  evidence?: ProbeEvidence,
): Finding[] {
  const environments = env ? [env] : [...model.environments.keys()];
  const production = [...model.environments].find(([, e]) => e.production)?.[0];
  const findings: Finding[] = [];
  for (const { policy, severity, options } of configured) {
    policy.check(
      { model, options, now, environments, production, ...(evidence ? { evidence } : {}) },
      (f: FindingInput) => {
        // Built in one shape, `date` last when present (a spread made a temporary object per finding).
        const finding: Finding = {
          ruleId: policy.id,
          severity,
          message: f.message,
          subject: f.subject,
          location: locateAt(f.at),
          fingerprint: fingerprint(policy.id, f.subject, f.key ?? ""),
          waived: false,
        };
        if (f.date) finding.date = f.date;
        findings.push(finding);
      },
    );
  }
  return findings;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.col - b.location.col ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.subject.localeCompare(b.subject) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
}

export async function evaluate(project: Project, options: EvaluateOptions = {}): Promise<Evaluation> {
  const diagnostics: Diagnostic[] = [];
  const policies = [...BUILTIN_POLICIES, ...(options.customPolicies ?? [])];
  // Custom checks run contained (worker thread, time limit); failures become diagnostics.
  const toRun = configure(project, policies, diagnostics);
  // Built-in checks are fast; the custom ones (each in a worker) are what a user waits for.
  let ran = 0;
  options.progress?.("running policies", 0, toRun.length);
  const contained = await runCustomChecks(
    project.model,
    toRun,
    project.now,
    options.env,
    project.config.limits?.customPolicyTimeoutMs,
    () => options.progress?.("running policies", ++ran, toRun.length),
  );
  diagnostics.push(...contained.diagnostics);
  const configured = contained.configured;
  const findings = runPolicies(
    project.model,
    configured,
    project.now,
    options.env,
    (a) => locate(project, a),
    options.evidence,
  );
  options.progress?.("running policies", toRun.length, toRun.length);
  const maxDays = project.config.limits?.maxWaiverDays ?? DEFAULT_MAX_WAIVER_DAYS;
  findings.push(...applyWaivers(findings, project.waivers, project.now, maxDays, fingerprint));
  // Files parsed in worker threads report positions in one batch, before anything is sorted.
  await project.sources.resolvePending();
  sortFindings(findings);

  const enabled = new Set(configured.map((c) => c.policy.id));
  const { percent, scorecards } = score(
    scorecardDefs(policies),
    findings,
    enabled,
    project.config.scoring?.weights ?? {},
    project.model,
  );
  const live = findings.filter((f) => !f.waived);
  const rules: RuleMeta[] = [
    ...policies.map((p) => ({
      id: p.id,
      title: p.title,
      category: p.category,
      rationale: p.rationale,
      remediation: p.remediation,
      ...docsOf(p),
      severity: configured.find((c) => c.policy.id === p.id)?.severity ?? p.severity,
      enabled: enabled.has(p.id),
    })),
    ...Object.entries(WAIVER_RULES).map(([id, r]) => ({
      id,
      title: r.title,
      category: "waivers",
      severity: r.severity as PolicySeverity,
      rationale: r.rationale,
      remediation: r.remediation,
      ...docsOf({ id }),
      enabled: true,
    })),
  ];
  return {
    diagnostics,
    report: {
      tool: { name: "tollgate", version: options.version ?? "0.0.0" },
      now: project.now,
      env: options.env ?? null,
      score: { percent },
      scorecards,
      findings,
      summary: {
        errors: live.filter((f) => f.severity === "error").length,
        warnings: live.filter((f) => f.severity === "warning").length,
        notes: live.filter((f) => f.severity === "note").length,
        waived: findings.length - live.length,
      },
      rules,
    },
  };
}
