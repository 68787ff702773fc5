import path from "node:path";
import pc from "picocolors";
import { productionGate } from "../assess/gate.js";
import { assess } from "../assess/readiness.js";
import { synthesize } from "../infra/synth.js";
import { checkEnvironments } from "../model/environment-option.js";
import { createProgress, type Progress } from "../util/progress.js";
import type { GateOverride } from "../infra/stack.js";
import { EXIT_GATE, EXIT_INPUT, EXIT_OK, UsageError, parseNow, printDiagnostics, version } from "./common.js";

export interface SynthCliOptions {
  root: string;
  env?: string[];
  all?: boolean;
  out: string;
  now?: string;
  hcl?: boolean;
  force?: boolean;
  reason?: string;
  shards?: string;
}

export async function synthCommand(o: SynthCliOptions): Promise<number> {
  if (o.env?.length && o.all) throw new UsageError("use --env or --all, not both");
  if (o.force && !o.reason?.trim()) throw new UsageError('--force needs --reason "..." so the override is recorded');
  if (o.reason && !o.force) throw new UsageError("--reason only makes sense with --force");
  const shards = o.shards === undefined ? undefined : Number(o.shards);
  if (shards !== undefined && !(Number.isInteger(shards) && shards >= 1 && shards <= 256))
    throw new UsageError(`--shards must be a whole number from 1 to 256, not ${JSON.stringify(o.shards)}`);
  const now = parseNow(o.now);
  // Drawn only on a TTY, after a second, never in CI or with --quiet (util/progress.ts).
  const progress = createProgress("tollgate synth");
  try {
    progress.update(0, undefined, "loading manifests");
    return await synthWithProgress(o, now, shards, progress);
  } finally {
    progress.done();
  }
}

async function synthWithProgress(
  o: SynthCliOptions,
  now: string,
  shards: number | undefined,
  progress: Progress,
): Promise<number> {
  const assessed = await assess(o.root, { now, version: version() });
  progress.done(); // a clean line for the gate's messages; synthesis draws again
  const { project } = assessed;
  if (!assessed.report) {
    printDiagnostics(assessed.diagnostics);
    return EXIT_INPUT;
  }
  // The production gate: the same verdict for every production environment of the run.
  const g = productionGate(assessed.report, project.config.gate?.production?.scorecards ?? ["secrets"]);
  // The report (every finding of every policy) is not needed past the gate: let it go before
  // synthesis allocates, so its memory is reused instead of adding to the peak.
  assessed.report = undefined;
  const model = project.model;
  const all = [...model.environments.keys()];
  const wanted = o.env?.length ? o.env : all;
  const unknown = checkEnvironments(wanted, model.environments);
  if (unknown.length) {
    printDiagnostics(unknown);
    return EXIT_INPUT;
  }

  const overrides: Record<string, GateOverride> = {};
  const refused: string[] = [];
  for (const e of wanted.filter((x) => model.environments.get(x)!.production)) {
    if (g.passed) continue;
    const failing = g.failing.map((f) => `${f.scorecard}/${f.category}`);
    if (o.force) {
      overrides[e] = { reason: o.reason!.trim(), failing, ...(o.now ? { now } : {}) };
      process.stderr.write(
        pc.yellow(
          `tollgate: ${e}: readiness gate fails (${failing.join(", ")}); synthesizing anyway because --force: ${o.reason!.trim()}\n`,
        ),
      );
      continue;
    }
    refused.push(e);
    process.stderr.write(`tollgate: refusing to synthesize ${pc.bold(e)}: the production readiness gate fails.\n`);
    for (const f of g.failing)
      process.stderr.write(`  ✖ ${f.scorecard}: ${f.title} (${f.findings} finding${f.findings === 1 ? "" : "s"})\n`);
    process.stderr.write(`  Fix them (tollgate check --explain), or override with --force --reason "why".\n`);
  }
  const envs = wanted.filter((e) => !refused.includes(e));
  if (envs.length) {
    const protect = {
      root: project.root,
      manifests: project.config.manifests.map((m) => path.resolve(project.root, m)),
    };
    const result = await synthesize(model, {
      envs,
      outDir: o.out,
      hcl: !!o.hcl,
      version: version(),
      overrides,
      protect,
      progress,
      ...(shards === undefined ? {} : { shards }),
    });
    progress.done();
    const rel = path.relative(process.cwd(), result.outDir) || ".";
    // Warnings, not failures: the files are written, but something in them would go unnoticed.
    printDiagnostics(
      result.warnings.map((w) => ({
        code: w.code,
        severity: "warning" as const,
        message: w.message,
        hint: w.hint,
        ...(project.sources.locate("environments", w.env) ?? { file: "tollgate.yaml", line: 1, col: 1 }),
      })),
    );
    for (const e of envs) {
      process.stdout.write(
        `${pc.green("✔")} ${e}: Terraform stack ${rel}/stacks/${e}/${o.hcl ? "cdk.tf" : "cdk.tf.json"}; deploy these files from ${rel}/config/${e}/ (stacks/${e}/assets/ holds Terraform's copies of them, not for deploying):\n`,
      );
      const files = result.files[e] ?? [];
      const width = Math.max(...files.map((f) => f.path.length));
      for (const f of files) process.stdout.write(`    ${f.path.padEnd(width)}  → ${f.where}\n`);
    }
  }
  return refused.length ? EXIT_GATE : EXIT_OK;
}
