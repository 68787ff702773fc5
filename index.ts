/** The library surface: what custom policies and embedding tools may import from "tollgate". */
export { loadProject } from "./model/loader.js";
export type { Model, Project, LoadResult, LoadOptions } from "./model/loader.js";
export type { Diagnostic, DiagnosticCode } from "./model/diagnostics.js";
export { buildModel } from "./model/build.js";
export type { ManifestInput } from "./model/build.js";
export { definePolicy } from "./policies/types.js";
export type { Policy, PolicyContext, FindingInput, Finding, Anchor, PolicySeverity } from "./policies/types.js";
export { evaluate } from "./policies/engine.js";
export type { Report } from "./policies/engine.js";
export { runPolicyCase, matchesCase, sortCaseFindings } from "./policies/testing.js";
export type { PolicyCase, CaseFinding, CaseResult } from "./policies/testing.js";
export { z } from "zod";
