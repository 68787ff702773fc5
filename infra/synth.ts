/**
 * model → synth. Builds the cdktf app for the chosen environments into a temporary sibling of the
 * output folder and swaps it into place, so a failed or interrupted synth leaves the previous
 * output intact. util/output-dir.ts decides whether --out may be replaced, locks it and recovers
 * what a killed run left.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { App } from "cdktf";
import type { Model } from "../model/model.js";
import { envContext } from "./generate/context.js";
import { EnvironmentStack, type GateOverride } from "./stack.js";
import { beginOutDir, type Protected } from "../util/output-dir.js";
import type { Progress } from "../util/progress.js";
import { onFileWritten } from "./constructs/synth-progress.js";
import { destinationOf } from "./generate/destinations.js";
import { synthWarnings, type SynthWarning } from "./generate/synth-warnings.js";

/** Files below dir, relative, sorted (the summary's order). */
function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? listFiles(path.join(dir, e.name), base)
        : [path.relative(base, path.join(dir, e.name)).split(path.sep).join("/")],
    )
    .sort();
}

/**
 * manifest.json names stacks/<env>/metadata.json, which cdktf writes only with --hcl: the JSON
 * stack's "//" block (backend, stack name, outputs), as the HCL mode writes it.
 */
function writeStackMetadata(stackDir: string): void {
  const tf = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(path.join(stackDir, "metadata.json"), `${JSON.stringify({ "//": tf["//"] }, null, 2)}\n`);
}

export interface SynthOptions {
  envs: string[];
  outDir: string;
  hcl?: boolean;
  version: string;
  overrides?: Record<string, GateOverride>;
  /** Prometheus shards for the exporter path of every synthesized environment (`--shards`). */
  shards?: number;
  /** Folders the output must never replace or contain (the project root and manifest folders). */
  protect?: Protected;
  /** Told per environment and file as they are written (util/progress.ts draws it on a TTY). */
  progress?: Progress;
}

export interface SynthResult {
  outDir: string;
  stacks: string[];
  /** Per environment: each file below config/<env>/ and where it belongs (destinations.ts). */
  files: Record<string, { path: string; where: string }[]>;
  warnings: SynthWarning[];
}

/** Adds one stack per environment to an app (also used by infra/app.ts under the cdktf CLI). */
export function addStacks(
  app: App,
  model: Model,
  opts: { envs: string[]; version: string; overrides?: Record<string, GateOverride>; shards?: number },
): void {
  for (const env of opts.envs) {
    const ctx = envContext(model, env, opts.version, opts.shards === undefined ? {} : { shards: opts.shards });
    const stagingDir = path.resolve(app.outdir, "config", env);
    const override = opts.overrides?.[env];
    new EnvironmentStack(app, env, { ctx, stagingDir, ...(override ? { override } : {}) });
  }
}

export async function synthesize(model: Model, opts: SynthOptions): Promise<SynthResult> {
  const outDir = path.resolve(opts.outDir);
  const tx = await beginOutDir(opts.outDir, opts.protect);
  const tmp = tx.tmp;
  const files: SynthResult["files"] = {};
  const warnings: SynthWarning[] = [];
  // cdktf 0.21 stacks read HCL mode from this variable only, not from the App option.
  const previousHcl = process.env.SYNTH_HCL_OUTPUT;
  try {
    if (opts.hcl) process.env.SYNTH_HCL_OUTPUT = "true";
    else delete process.env.SYNTH_HCL_OUTPUT;
    const app = new App({ outdir: tmp, hclOutput: !!opts.hcl, skipValidation: false });
    const { progress, envs } = opts;
    let at = 0;
    if (progress) onFileWritten(app, (file) => progress.update(at, envs.length, `${envs[at]}: ${file}`));
    for (; at < envs.length; at++) addStacks(app, model, { ...opts, envs: [envs[at]!] });
    progress?.update(envs.length, envs.length, "writing Terraform configuration");
    app.synth();
    for (const env of envs) {
      const ctx = envContext(model, env, opts.version, opts.shards === undefined ? {} : { shards: opts.shards });
      warnings.push(...synthWarnings(ctx));
      files[env] = listFiles(path.join(tmp, "config", env)).map((p) => {
        const where = destinationOf(ctx, p);
        if (!where) throw new Error(`bug: no destination for generated file ${p}`);
        return { path: p, where };
      });
      if (!opts.hcl) writeStackMetadata(path.join(tmp, "stacks", env));
    }
    await tx.commit();
  } finally {
    if (previousHcl === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previousHcl;
    tx.close();
  }
  return { outDir, stacks: opts.envs, files, warnings };
}
