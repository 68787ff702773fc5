/**
 * The library surface: what custom policies and embedding tools may import from "tollgate".
 * Importing it never loads cdktf or the probe clients: `synthesize` and `runProbes` load their
 * modules on first call (their types are re-exported, which costs nothing at run time).
 */
export { loadProject } from "./load/loader.js";
export type { Model, Project, LoadResult, LoadOptions } from "./load/loader.js";
export type { Diagnostic, DiagnosticCode, Severity } from "./model/diagnostics.js";
export { buildModel } from "./model/build.js";
export type { ManifestInput } from "./model/build.js";
export { definePolicy } from "./policies/types.js";
export type { Policy, PolicyContext, FindingInput, Finding, Anchor, PolicySeverity } from "./policies/types.js";
export { evaluate } from "./policies/engine.js";
export type { Report, Evaluation, EvaluateOptions, RuleMeta } from "./policies/engine.js";
export { runPolicyCase, matchesCase, sortCaseFindings } from "./policies/testing.js";
export type { PolicyCase, CaseFinding, CaseResult } from "./policies/testing.js";
export { REPORTERS, CHECK_FORMATS, reporterFor } from "./report/registry.js";
export type { Reporter, RenderContext, CheckFormat } from "./report/registry.js";
export { renderText } from "./report/text.js";
export { renderJson } from "./report/json.js";
export { renderSarif } from "./report/sarif.js";
export type { SarifOptions } from "./report/sarif.js";
export { renderJunit } from "./report/junit.js";
export { renderMarkdown } from "./report/markdown.js";
export { renderGithub } from "./report/github.js";
export type { Comparison } from "./report/baseline.js";
export type { SynthOptions, SynthResult } from "./infra/synth.js";
export type { RunOptions as ProbeRunOptions } from "./checks/probe/runner.js";
export type { ProbeResult, ProbeStatus, Stage as ProbeStage, HistorySummary } from "./checks/probe/types.js";
export { z } from "zod";

import type { Model } from "./model/model.js";
import type { SynthOptions, SynthResult } from "./infra/synth.js";
import type { RunOptions } from "./checks/probe/runner.js";
import type { ProbeResult } from "./checks/probe/types.js";

/** Synthesizes the cdktf stacks of `opts.envs` into `opts.outDir` (loads cdktf on first call). */
export async function synthesize(model: Model, opts: SynthOptions): Promise<SynthResult> {
  return (await import("./infra/synth.js")).synthesize(model, opts);
}

/** Probes one environment's services live (loads the probe clients on first call). */
export async function runProbes(model: Model, opts: RunOptions): Promise<{ results: ProbeResult[] }> {
  const { results } = await (await import("./checks/probe/runner.js")).runProbes(model, opts);
  return { results };
}
