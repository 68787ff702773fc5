/**
 * What `validate` checks of tollgate.yaml's `policies:` beyond its schema: the same diagnostics
 * `check` reports before running anything (unknown ids, invalid options, custom modules that do not
 * load), without running a policy.
 */
import type { Diagnostic } from "../model/diagnostics.js";
import type { Project } from "../load/loader.js";
import { configure } from "./configure.js";
import { loadCustomPolicies } from "./custom.js";
import { BUILTIN_POLICIES } from "./registry.js";

export async function policyConfigDiagnostics(
  project: Pick<Project, "root" | "config" | "configLocation">,
  loadDiagnostics: readonly Diagnostic[],
  displayBase?: string,
): Promise<Diagnostic[]> {
  // A tollgate.yaml that failed its schema was replaced by the defaults: nothing of it to check here.
  const configFile = project.configLocation?.file;
  if (!configFile || loadDiagnostics.some((d) => d.file === configFile && d.severity === "error")) return [];
  const custom = await loadCustomPolicies(
    project.root,
    project.config.customPolicies,
    new Set(BUILTIN_POLICIES.map((p) => p.id)),
    displayBase,
  );
  // A module that did not load would make its configured id look unknown: report only the module.
  if (custom.diagnostics.length) return custom.diagnostics;
  const diagnostics: Diagnostic[] = [];
  configure(project, [...BUILTIN_POLICIES, ...custom.policies], diagnostics);
  return diagnostics;
}
