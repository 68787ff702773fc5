/**
 * Imports a custom policy module: .js/.mjs directly; TypeScript transpiled next to the source (so
 * its imports resolve) under a unique name, then removed. Shared by the loader and the worker that
 * runs custom checks, which may import the same module at the same time.
 */
import { randomUUID } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const DEFAULT_CUSTOM_POLICY_TIMEOUT_MS = 5_000;

/** Starting a worker and importing the module is not the check's time; it has its own bound. */
export const loadTimeoutMs = (checkTimeoutMs: number): number => Math.max(15_000, 3 * checkTimeoutMs);

/** The custom-policy worker script (under the test runner this file is TypeScript: use the compiled copy). */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts") ? path.resolve(path.dirname(here), "../dist/policies/custom-worker.js") : path.join(path.dirname(here), "custom-worker.js");
}

export async function importModule(file: string): Promise<Record<string, unknown>> {
  if (!file.endsWith(".ts")) return import(pathToFileURL(file).href);
  const ts = await import("typescript").catch(() => undefined);
  if (!ts) throw new Error("TypeScript policies need the typescript package installed");
  const out = ts.default.transpileModule(await readFile(file, "utf8"), {
    compilerOptions: { module: ts.default.ModuleKind.ESNext, target: ts.default.ScriptTarget.ES2022 },
    fileName: file,
  }).outputText;
  const tmp = path.join(path.dirname(file), `.${path.basename(file, ".ts")}.${process.pid}.${randomUUID().slice(0, 8)}.tollgate.mjs`);
  await writeFile(tmp, out);
  try {
    return await import(pathToFileURL(tmp).href);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** The policies a module exports: default, `policies` or `policy`, one or a list. */
export function exportedPolicies(mod: Record<string, unknown>): unknown[] {
  const exported = mod.default ?? mod.policies ?? mod.policy;
  return Array.isArray(exported) ? exported : [exported];
}
