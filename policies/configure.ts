/**
 * tollgate.yaml's `policies:` applied to the known policies (built-in and custom): unknown ids
 * (with a did-you-mean) and options that fail a policy's schema become diagnostics at their line.
 * `check` runs the configured policies; `validate` reports the same diagnostics without running them.
 */
import type { Diagnostic } from "../model/diagnostics.js";
import type { Project } from "../load/loader.js";
import { locateIn, type Location } from "../load/source-map.js";
import { didYouMean } from "../util/suggest.js";
import { docsUrl } from "../util/project-url.js";
import { policyDocsUrl } from "./docs-url.js";
import type { Policy, PolicySeverity } from "./types.js";

export interface Configured {
  policy: Policy;
  severity: PolicySeverity;
  options: unknown;
}

export function configure(
  project: Pick<Project, "config" | "configLocation">,
  policies: readonly Policy[],
  diagnostics: Diagnostic[],
): Configured[] {
  const settings = project.config.policies;
  const where = (path: (string | number)[]): Location =>
    project.configLocation ? locateIn(project.configLocation, path) : { file: "tollgate.yaml", line: 1, col: 1 };
  const ids = new Set(policies.map((p) => p.id));
  for (const id of Object.keys(settings)) {
    if (!ids.has(id)) {
      const loc = where(["policies", id]);
      diagnostics.push({
        code: "unknown-policy",
        severity: "error",
        message: `no policy named \`${id}\``,
        hint: didYouMean(id, ids) ?? "Run `tollgate policies` to list policy ids.",
        ...loc,
      });
    }
  }
  const out: Configured[] = [];
  for (const policy of policies) {
    const s = settings[policy.id];
    let severity = policy.severity;
    let raw: unknown = {};
    if (s === "off") continue;
    if (typeof s === "string") severity = s;
    else if (s) {
      if (s.enabled === false) continue;
      if (s.severity) severity = s.severity;
      raw = s.options ?? {};
    }
    const parsed = policy.options.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        // An unknown option is located at its own key, not at the mapping that holds it.
        const key = issue.code === "unrecognized_keys" && issue.keys[0] !== undefined ? [issue.keys[0]] : [];
        const loc = where(["policies", policy.id, "options", ...(issue.path as (string | number)[]), ...key]);
        diagnostics.push({
          code: "invalid-policy-options",
          severity: "error",
          message: `${policy.id}: ${issue.path.join(".") || "options"}: ${issue.message}`,
          hint: `Check the policy's options: ${policyDocsUrl(policy) ?? docsUrl("custom-policies.md")}`,
          ...loc,
        });
      }
      continue;
    }
    out.push({ policy, severity, options: parsed.data });
  }
  return out;
}
