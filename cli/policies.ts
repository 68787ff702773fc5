/**
 * `tollgate policies`: the built-in policies and, with a project (--root, or found from the working
 * directory), its custom ones, with the severity tollgate.yaml gives each (or `off`).
 */
import { loadConfig } from "../load/config.js";
import { loadCustomPolicies } from "../policies/custom.js";
import { policyDocsUrl } from "../policies/docs-url.js";
import { BUILTIN_POLICIES } from "../policies/registry.js";
import type { Policy } from "../policies/types.js";
import { escapeTerminal as esc } from "../util/terminal-escape.js";
import { EXIT_INPUT, colorsFor, emit, parseChoice, printDiagnostics } from "./common.js";

interface Row {
  id: string;
  title: string;
  category: string;
  severity: string;
  source: "built-in" | "custom";
  rationale: string;
  remediation: string;
  docs?: string | undefined;
}

export async function policiesCommand(o: { format: string; root?: string }): Promise<number> {
  const format = parseChoice("--format", o.format, ["text", "json"] as const);
  let custom: Policy[] = [];
  let settings: Record<string, unknown> = {};
  if (o.root !== undefined) {
    // Only tollgate.yaml and the paths it names decide what is listed; a root that does not exist
    // is a problem too (listing only the built-ins would hide the typo).
    const { root, config, diagnostics } = await loadConfig(o.root);
    const configProblems = diagnostics.filter((d) => d.severity === "error");
    const loaded = configProblems.length
      ? { policies: [], diagnostics: configProblems }
      : await loadCustomPolicies(root, config.customPolicies, new Set(BUILTIN_POLICIES.map((p) => p.id)), undefined, {
          timeoutMs: config.limits?.customPolicyTimeoutMs,
        });
    if (loaded.diagnostics.length) {
      printDiagnostics(loaded.diagnostics);
      return EXIT_INPUT;
    }
    custom = loaded.policies;
    settings = config.policies ?? {};
  }
  const severity = (p: Policy): string => {
    const s = settings[p.id] as string | { enabled?: boolean; severity?: string } | undefined;
    if (s === "off" || (typeof s === "object" && s.enabled === false)) return "off";
    return (typeof s === "string" ? s : s?.severity) ?? p.severity;
  };
  const rows: Row[] = [
    ...BUILTIN_POLICIES.map((p) => [p, "built-in"] as const),
    ...custom.map((p) => [p, "custom"] as const),
  ].map(([p, source]) => ({
    id: p.id,
    title: p.title,
    category: p.category,
    severity: severity(p),
    source,
    rationale: p.rationale,
    remediation: p.remediation,
    docs: policyDocsUrl(p),
  }));
  if (format === "json") {
    await emit({}, `${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const pc = colorsFor({});
  let cat = "";
  const lines: string[] = [];
  for (const r of [...rows].sort(
    (a, b) => a.category.localeCompare(b.category) || (a.source === b.source ? 0 : a.source === "built-in" ? -1 : 1),
  )) {
    if (r.category !== cat) lines.push(pc.bold((cat = r.category)));
    lines.push(
      `  ${esc(r.id).padEnd(38)} ${r.severity.padEnd(8)} ${esc(r.title)}${r.source === "custom" ? pc.dim(" (custom)") : ""}`,
    );
  }
  await emit({}, `${lines.join("\n")}\n`);
  return 0;
}
