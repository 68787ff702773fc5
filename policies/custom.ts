/**
 * Custom policies: .js/.mjs/.ts modules in the folder named by `customPolicies:` in tollgate.yaml,
 * each exporting (default, or `policies`) one policy or a list, with the built-in API. Loading
 * (import and shape check) happens here; checks run contained, see policies/custom-run.ts.
 */
import { readdir, realpath } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Diagnostic } from "../model/diagnostics.js";
import { REDACTED } from "../model/redact.js";
import { scanText } from "../model/secret-scan.js";
import { exportedPolicies, importModule, TranspileError } from "./custom-import.js";
import type { Policy } from "./types.js";

/**
 * Where each loaded custom policy came from: its checks run in a worker thread that imports the
 * module again (policies/custom-run.ts), so a hang or a crash stays contained and attributed.
 */
export const CUSTOM_SOURCES = new WeakMap<Policy, { file: string; display: string; code?: string }>();

const Shape = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string().min(1),
  category: z.string().min(1),
  severity: z.enum(["error", "warning", "note"]),
  rationale: z.string().min(1),
  remediation: z.string().min(1),
  docsUrl: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  check: z.custom<Policy["check"]>((v) => typeof v === "function", "check must be a function"),
});

export async function loadCustomPolicies(root: string, folder: string | undefined, builtinIds: Set<string>, displayBase = process.cwd()): Promise<{ policies: Policy[]; diagnostics: Diagnostic[] }> {
  const policies: Policy[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!folder) return { policies, diagnostics };
  const dir = path.resolve(root, folder);
  const rel = (f: string) => path.relative(displayBase, f).split(path.sep).join("/");
  const bad = (file: string, message: string, hint: string) => diagnostics.push({ code: "custom-policy-invalid", severity: "error", message, hint, file: rel(file), line: 1, col: 1 });
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.(m?js|ts)$/.test(n) && !n.endsWith(".d.ts") && !n.startsWith(".") && !/\.test\.(m?js|ts)$/.test(n)).sort();
  } catch {
    bad(dir, `custom policy folder ${folder} does not exist`, "Create it, or remove customPolicies from tollgate.yaml.");
    return { policies, diagnostics };
  }
  const seen = new Set(builtinIds);
  const rootReal = await realpath(root);
  for (const name of names) {
    const file = path.join(dir, name);
    // The folder lies inside the root, but an entry may be a link out of it: never import that.
    const real = await realpath(file).catch(() => undefined);
    if (!real || (real !== rootReal && !real.startsWith(`${rootReal}${path.sep}`))) {
      diagnostics.push({ code: "path-outside-root", severity: "error", message: `custom policy module ${name} ${real ? "resolves outside the project root" : "cannot be resolved"}; it is not loaded`, hint: "Keep custom policy modules as regular files inside the project.", file: rel(file), line: 1, col: 1 });
      continue;
    }
    let mod: Record<string, unknown>;
    let code: string | undefined;
    try {
      ({ exports: mod, code } = await importModule(file));
    } catch (e) {
      if (e instanceof TranspileError) {
        const message = `could not load custom policy module ${rel(file)}: ${await withoutSecrets(e.message.split("\n")[0]!)}`;
        diagnostics.push({ code: "custom-policy-invalid", severity: "error", message, hint: loadHint(rel(file)), file: rel(e.file), line: e.line, col: e.col });
        continue;
      }
      bad(file, `could not load custom policy module: ${await withoutSecrets(String((e as Error)?.message ?? e).split("\n")[0]!)}`, loadHint(rel(file)));
      continue;
    }
    for (const p of exportedPolicies(mod)) {
      const parsed = Shape.safeParse(p);
      if (!parsed.success) {
        bad(file, `export is not a valid policy: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`, "Export definePolicy({ id, title, category, severity, rationale, remediation, check }).");
        continue;
      }
      const policy = p as Policy;
      if (seen.has(policy.id)) {
        bad(file, `policy id ${policy.id} is already taken`, "Give the custom policy its own id.");
        continue;
      }
      seen.add(policy.id);
      const loaded: Policy = { ...policy, options: policy.options ?? z.strictObject({}) };
      CUSTOM_SOURCES.set(loaded, { file, display: rel(file), ...(code !== undefined ? { code } : {}) });
      policies.push(loaded);
    }
  }
  return { policies, diagnostics };
}

/** How to see the whole error: Node 20 cannot run a .ts file itself, so "run it with node" is no help there. */
function loadHint(name: string): string {
  return name.endsWith(".ts")
    ? `Fix it there; npx tsc --noEmit ${name} type-checks the module.`
    : "Run it with node to see the full error.";
}

/** A module's load error may quote its source (a token pasted in it): scanned like a manifest. */
async function withoutSecrets(message: string): Promise<string> {
  const hits = (await scanText(message, "error")).sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const h of hits) {
    if (h.end <= at) continue; // inside a range already redacted
    if (h.start >= at) out += message.slice(at, h.start) + REDACTED; // else it overlaps the previous range
    at = h.end;
  }
  return out + message.slice(at);
}
