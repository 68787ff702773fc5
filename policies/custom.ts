/**
 * Custom policies: .js/.mjs/.ts modules in the folder named by `customPolicies:` in tollgate.yaml,
 * each exporting (default, or `policies`) one policy or a list, with the built-in API. Loading
 * (import and shape check) happens here; checks run contained, see policies/custom-run.ts.
 */
import { readdir, realpath } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Diagnostic } from "../model/diagnostics.js";
import { REDACTED } from "../redact/redact.js";
import { scanText } from "../redact/secret-scan.js";
import { DEFAULT_CUSTOM_POLICY_TIMEOUT_MS, isTypeScript, transpile, TranspileError } from "./custom-import.js";
import { loadInWorker, type LoadedExport } from "./custom-load.js";
import type { Policy } from "./types.js";

/**
 * Where each loaded custom policy came from: its checks run in a worker thread that imports the
 * module again (policies/custom-run.ts), so a hang or a crash stays contained and attributed.
 */
export const CUSTOM_SOURCES = new WeakMap<Policy, { file: string; display: string; code?: string }>();

/** A custom check runs only in its worker (custom-run.ts replaces this policy before the engine runs it). */
const notHere: Policy["check"] = () => {
  throw new Error("a custom policy's check ran outside its worker");
};

/**
 * The options the worker parsed, as a schema engine.ts's configure() can use: the same issues at the
 * same paths, or the parsed value.
 */
function replayOptions(result: NonNullable<LoadedExport["options"]>): Policy["options"] {
  return z
    .unknown()
    .superRefine((_v, ctx) => {
      if (!result.ok) for (const i of result.issues) ctx.addIssue({ code: "custom", message: i.message, path: i.path });
    })
    .transform(() => (result.ok ? result.data : undefined)) as unknown as Policy["options"];
}

export interface LoadSettings {
  /** tollgate.yaml's `policies:` (each custom policy's options are parsed in its worker). */
  policies?: Record<string, unknown> | undefined;
  /** limits.customPolicyTimeoutMs: the import gets its own, longer bound (custom-import.ts). */
  timeoutMs?: number | undefined;
}

export async function loadCustomPolicies(
  root: string,
  folder: string | undefined,
  builtinIds: Set<string>,
  displayBase = process.cwd(),
  settings: LoadSettings = {},
): Promise<{ policies: Policy[]; diagnostics: Diagnostic[] }> {
  const policies: Policy[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!folder) return { policies, diagnostics };
  const dir = path.resolve(root, folder);
  const rel = (f: string) => path.relative(displayBase, f).split(path.sep).join("/");
  const bad = (file: string, message: string, hint: string) =>
    diagnostics.push({
      code: "custom-policy-invalid",
      severity: "error",
      message,
      hint,
      file: rel(file),
      line: 1,
      col: 1,
    });
  let names: string[];
  try {
    names = (await readdir(dir))
      .filter(
        (n) => /\.(m?js|ts)$/.test(n) && !n.endsWith(".d.ts") && !n.startsWith(".") && !/\.test\.(m?js|ts)$/.test(n),
      )
      .sort();
  } catch {
    bad(
      dir,
      `custom policy folder ${folder} does not exist`,
      "Create it, or remove customPolicies from tollgate.yaml.",
    );
    return { policies, diagnostics };
  }
  const seen = new Set(builtinIds);
  const rootReal = await realpath(root);
  for (const name of names) {
    const file = path.join(dir, name);
    // The folder lies inside the root, but an entry may be a link out of it: never import that.
    const real = await realpath(file).catch(() => undefined);
    if (!real || (real !== rootReal && !real.startsWith(`${rootReal}${path.sep}`))) {
      diagnostics.push({
        code: "path-outside-root",
        severity: "error",
        message: `custom policy module ${name} ${real ? "resolves outside the project root" : "cannot be resolved"}; it is not loaded`,
        hint: "Keep custom policy modules as regular files inside the project.",
        file: rel(file),
        line: 1,
        col: 1,
      });
      continue;
    }
    let code: string | undefined;
    if (isTypeScript(file)) {
      try {
        code = await transpile(file);
      } catch (e) {
        if (!(e instanceof TranspileError)) throw e;
        // esbuild could not compile or resolve it: at the place it names.
        const message = `could not load custom policy module ${rel(file)}: ${await withoutSecrets(e.message.split("\n")[0]!)}`;
        diagnostics.push({
          code: "custom-policy-invalid",
          severity: "error",
          message,
          hint: loadHint(rel(file)),
          file: rel(e.file),
          line: e.line,
          col: e.col,
        });
        continue;
      }
    }
    const outcome = await loadInWorker(
      file,
      settings.policies ?? {},
      settings.timeoutMs ?? DEFAULT_CUSTOM_POLICY_TIMEOUT_MS,
      code,
    );
    if (outcome.kind === "import-error") {
      bad(
        file,
        `could not load custom policy module: ${await withoutSecrets(outcome.message.split("\n")[0]!)}`,
        loadHint(rel(file)),
      );
      continue;
    }
    if (outcome.kind === "failed") {
      diagnostics.push({
        code: "custom-policy-failed",
        severity: "error",
        file: rel(file),
        line: 1,
        col: 1,
        message: `custom policy module ${rel(file)} failed while loading: ${(await withoutSecrets(outcome.reason)).slice(0, 500)}`,
        hint: `A policy module must finish importing on its own (no top-level await that never settles, no process.exit)${file.endsWith(".ts") ? "" : "; run it with node"}.`,
      });
      continue;
    }
    for (const e of outcome.exports) {
      if (!e.ok || !e.meta || !e.options) {
        bad(
          file,
          e.message ?? "export is not a valid policy",
          "Export definePolicy({ id, title, category, severity, rationale, remediation, check }).",
        );
        continue;
      }
      const { meta, options } = e;
      if (seen.has(meta.id)) {
        bad(file, `policy id ${meta.id} is already taken`, "Give the custom policy its own id.");
        continue;
      }
      seen.add(meta.id);
      const loaded = { ...meta, options: replayOptions(options), check: notHere } as Policy;
      CUSTOM_SOURCES.set(loaded, { file, display: rel(file), ...(code !== undefined ? { code } : {}) });
      policies.push(loaded);
    }
  }
  return { policies, diagnostics };
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

/** How to see the whole error: Node 20 cannot run a .ts file itself, so "run it with node" is no help there. */
function loadHint(name: string): string {
  return name.endsWith(".ts")
    ? `Fix it there; npx tsc --noEmit ${name} type-checks the module.`
    : "Run it with node to see the full error.";
}
