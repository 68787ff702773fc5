/** load → validate → policies → score in one call, for check, synth's production gate and forecast. */
import type { Diagnostic } from "../model/diagnostics.js";
import { checkEnvironments } from "../model/environment-option.js";
import { loadProject, type Project } from "../load/loader.js";
import type { CacheStats } from "../load/parse/parse-cache.js";
import { loadCustomPolicies } from "../policies/custom.js";
import { evaluate, type Report } from "../policies/engine.js";
import type { ProbeEvidence } from "../policies/types.js";
import { BUILTIN_POLICIES } from "../policies/registry.js";
import type { StepReporter } from "../util/progress.js";

export { GitRefError, repositoryRoot } from "./git-ref.js";

export interface Assessment {
  project: Project;
  report: Report | undefined;
  diagnostics: Diagnostic[];
  cacheStats?: CacheStats | undefined;
}

export interface AssessOptions {
  now: string;
  env?: string;
  version?: string;
  displayBase?: string;
  /** `check --probe-results`: what the probe proved (client-no-metrics decides by it). */
  evidence?: ProbeEvidence | undefined;
  /** `--cache` folder (resolved against the real project root, also for --base). */
  cache?: { dir: string } | undefined;
  /** Sub-steps as they happen: files loaded, policies run (check's progress line). */
  progress?: StepReporter | undefined;
}

export async function assess(root: string, opts: AssessOptions): Promise<Assessment> {
  const loaded = await loadProject(root, {
    now: opts.now,
    keepWorkers: true,
    ...(opts.displayBase ? { displayBase: opts.displayBase } : {}),
    cache: opts.cache,
    progress: opts.progress,
  });
  const { project } = loaded;
  try {
    return { ...(await assessLoaded(loaded, opts)), cacheStats: loaded.cacheStats };
  } finally {
    await project.sources.dispose();
  }
}

async function assessLoaded(loaded: Awaited<ReturnType<typeof loadProject>>, opts: AssessOptions): Promise<Assessment> {
  const { project } = loaded;
  const diagnostics = [...loaded.diagnostics];
  if (loaded.ok) diagnostics.push(...checkEnvironments([opts.env], project.model.environments));
  if (diagnostics.some((d) => d.severity === "error")) return { project, report: undefined, diagnostics };
  if (project.config.customPolicies) opts.progress?.("loading custom policies", 0, 0);
  const custom = await loadCustomPolicies(
    project.root,
    project.config.customPolicies,
    new Set(BUILTIN_POLICIES.map((p) => p.id)),
    opts.displayBase,
    { policies: project.config.policies, timeoutMs: project.config.limits?.customPolicyTimeoutMs },
  );
  diagnostics.push(...custom.diagnostics);
  if (custom.diagnostics.length) return { project, report: undefined, diagnostics };
  const { report, diagnostics: configDiags } = await evaluate(project, {
    ...(opts.env ? { env: opts.env } : {}),
    customPolicies: custom.policies,
    ...(opts.version ? { version: opts.version } : {}),
    progress: opts.progress,
    ...(opts.evidence ? { evidence: opts.evidence } : {}),
  });
  diagnostics.push(...configDiags);
  return { project, report: configDiags.length ? undefined : report, diagnostics };
}
