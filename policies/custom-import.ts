/**
 * Imports a custom policy module: .js/.mjs directly; TypeScript transpiled in memory with esbuild
 * (loaded only when a .ts policy exists, so the user needs no compiler and nothing is written into
 * their folders) and imported from a data: URL. Shared by the loader and the worker that runs
 * custom checks; the loader hands the worker the code it loaded, so each module is transpiled once.
 */
import { isBuiltin } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";

export const DEFAULT_CUSTOM_POLICY_TIMEOUT_MS = 5_000;

/** Starting a worker and importing the module is not the check's time; it has its own bound. */
export const loadTimeoutMs = (checkTimeoutMs: number): number => Math.max(15_000, 3 * checkTimeoutMs);

/** The custom-policy worker script (under the test runner this file is TypeScript: use the compiled copy). */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith(".ts")
    ? path.resolve(path.dirname(here), "../dist/policies/custom-worker.js")
    : path.join(path.dirname(here), "custom-worker.js");
}

export interface ImportedModule {
  exports: Record<string, unknown>;
  /** The JavaScript a TypeScript module was transpiled to (a worker imports exactly this). */
  code?: string;
}

/** A TypeScript module that esbuild cannot transpile or bundle, at the place it names (absolute file). */
export class TranspileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

export const isTypeScript = (file: string) => /\.[mc]?tsx?$/.test(file);

export async function importModule(file: string, code?: string): Promise<ImportedModule> {
  if (!isTypeScript(file)) return { exports: await import(pathToFileURL(file).href) };
  const js = code ?? (await transpile(file));
  return { exports: await import(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`), code: js };
}

/** Marks the plugin's own resolve calls, so they take esbuild's default resolution. */
const SELF = Symbol("tollgate-resolve");

/**
 * A data: URL module cannot resolve relative or bare imports, so every import is resolved here,
 * from the importing file as Node would: TypeScript files of the project are bundled in (Node 20
 * cannot load them), everything else (.js/.mjs helpers, packages such as `tollgate`) stays a
 * native import by absolute file URL, so it is the same module instance the rest of the run sees.
 */
const nativeImports: Plugin = {
  name: "tollgate-native-imports",
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind === "entry-point" || args.pluginData === SELF) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const r = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: SELF,
      });
      if (r.errors.length > 0) return { errors: r.errors };
      if (r.external) return { path: r.path, external: true };
      if (isTypeScript(r.path) && !r.path.split(path.sep).includes("node_modules")) return { path: r.path };
      return { path: pathToFileURL(r.path).href, external: true };
    });
  },
};

/** Loaded on the first .ts module only; a run that has none never starts esbuild. */
let esbuildModule: Promise<typeof import("esbuild")> | undefined;

/**
 * Transpiles (and bundles the project's own .ts helpers of) a TypeScript module. The loader calls it
 * on the CLI's thread — esbuild runs no user code — and hands the result to the workers, so esbuild
 * starts once per run however many TypeScript policies there are.
 */
export async function transpile(file: string): Promise<string> {
  const esbuild = await (esbuildModule ??= import("esbuild"));
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: path.dirname(file),
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      // Node's own resolution: no bundler "module" condition or field.
      conditions: ["node"],
      mainFields: ["main"],
      logLevel: "silent",
      plugins: [nativeImports],
    });
  } catch (e) {
    const first = (
      e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }
    ).errors?.[0];
    if (!first) throw e;
    const at = first.location;
    throw new TranspileError(
      first.text,
      at ? path.resolve(path.dirname(file), at.file) : file,
      at?.line ?? 1,
      (at?.column ?? 0) + 1,
    );
  }
  return result.outputFiles[0]!.text;
}

/** The policies a module exports: default, `policies` or `policy`, one or a list. */
export function exportedPolicies(mod: Record<string, unknown>): unknown[] {
  const exported = mod.default ?? mod.policies ?? mod.policy;
  return Array.isArray(exported) ? exported : [exported];
}
