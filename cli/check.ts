import { readFile } from "node:fs/promises";
import { gate, type GateOptions } from "../checks/gate.js";
import { assess, assessAtRef, GitRefError, repositoryRoot } from "../checks/readiness.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { createProgress, getVerbosity, progressEnabled, type Progress } from "../util/progress.js";
import { inputErrorReport, type Report } from "../policies/engine.js";
import { compare, type Comparison } from "../policies/reporters/baseline.js";
import type { HtmlInput } from "../policies/reporters/html/index.js";
import { CHECK_FORMATS, reporterFor, type CheckFormat } from "../policies/reporters/registry.js";
import { reportCacheStats, resolveCache } from "./cache-option.js";
import { EXIT_GATE, EXIT_INPUT, EXIT_OK, UsageError, colorsFor, emit, parseChoice, parseFormats, parseIntOption, parseNow, printDiagnostics, version, type FormatTarget } from "./common.js";

const FORMATS = CHECK_FORMATS;
type Target = FormatTarget<CheckFormat>;

export interface CheckOptions {
  root: string;
  env?: string;
  now?: string;
  format?: string[];
  minScore?: string;
  failOn?: string;
  failOnNew?: boolean;
  maxDrop?: string;
  base?: string;
  baseline?: string;
  explain?: boolean;
  probeResults?: string;
  cache?: boolean;
  cacheLocation?: string;
}

/** Bad input still writes every requested output, with the diagnostics as results (exit 2). */
class InputError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super("invalid input");
  }
}

/** An output that cannot be written is reported once, as itself: retrying every output would fail again. */
class OutputError extends Error {
  constructor(override readonly cause: UsageError) {
    super(cause.message);
  }
}

const commandLine = (code: Diagnostic["code"], message: string, hint: string): Diagnostic => ({ code, severity: "error", message, hint, file: "<command line>", line: 1, col: 1 });

export async function checkCommand(o: CheckOptions): Promise<number> {
  const fallback = process.env.GITHUB_ACTIONS === "true" ? "github" : "text";
  const formats = parseFormats(o.format, FORMATS, fallback);
  let now = o.now ?? "";
  try {
    now = parseNow(o.now);
    const progress = once(createProgress("tollgate check"));
    try {
      return await evaluateAndGate(o, formats, now, progress);
    } finally {
      progress.done();
    }
  } catch (e) {
    const diagnostics =
      e instanceof InputError ? e.diagnostics
      : e instanceof UsageError ? [commandLine("invalid-option", e.message, e.hint ?? "Run tollgate check --help for the options.")]
      : undefined;
    if (!diagnostics || e instanceof OutputError) throw e instanceof OutputError ? e.cause : e;
    printDiagnostics(diagnostics);
    // Standard-output text would repeat what was just printed; every other target is written.
    await writeOutputs(o, formats.filter((t) => t.file || t.format !== "text"), inputErrorReport(diagnostics, { now, ...(o.env ? { env: o.env } : {}), version: version() }), undefined);
    return EXIT_INPUT;
  }
}

/** done() may be called early (before output) and again in `finally`: only the first erases. */
const once = (p: Progress): Progress => {
  let ended = false;
  return { update: (...a) => !ended && p.update(...a), done: () => { if (!ended) p.done(); ended = true; } };
};

const verbose = (message: string) => {
  // On a terminal a progress line may be showing: the message replaces it, the next update redraws it.
  if (getVerbosity() === "verbose") process.stderr.write(`${progressEnabled() ? "\r\x1b[2K" : ""}tollgate: ${message}\n`);
};

async function evaluateAndGate(o: CheckOptions, formats: Target[], now: string, progress: Progress): Promise<number> {
  if (o.base && o.baseline) throw new UsageError("use either --base or --baseline, not both");
  if (o.probeResults !== undefined && !formats.some((t) => t.format === "html")) throw new UsageError("--probe-results only colours the HTML report's dependency graph", "Add --format html=report.html.");
  const minScore = parseIntOption("--min-score", o.minScore, 0, 100);
  const maxDrop = parseIntOption("--max-drop", o.maxDrop, 0, 100);
  if (o.failOn !== undefined) parseChoice("--fail-on", o.failOn, ["error", "warning", "never"] as const);

  const steps = 2 + (o.base ? 1 : 0);
  let started = Date.now();
  progress.update(0, steps, "loading and evaluating the manifests");
  const cache = await resolveCache(o);
  const { project, report, diagnostics, cacheStats } = await assess(o.root, { now, ...(o.env ? { env: o.env } : {}), version: version(), cache });
  reportCacheStats(cacheStats);
  if (!report) throw new InputError(diagnostics);
  verbose(`evaluated ${project.files.length} files, ${report.findings.length} findings in ${Date.now() - started} ms`);

  let comparison: Comparison | undefined;
  if (o.base) {
    let base;
    progress.update(1, steps, `evaluating the base ${o.base}`);
    started = Date.now();
    try {
      // The base's unchanged files have the same bytes, so they are cache hits too.
      base = await assessAtRef(o.root, o.base, { now, ...(o.env ? { env: o.env } : {}), version: version(), cache });
      reportCacheStats(base.cacheStats);
    } catch (e) {
      if (e instanceof GitRefError) throw new InputError([commandLine("git-error", `--base ${o.base}: ${e.message}`, "Fetch the base branch first (e.g. git fetch origin main) and pass a ref that exists.")]);
      throw e;
    }
    if (!base.report && getVerbosity() !== "quiet") {
      progress.done();
      process.stderr.write(`tollgate: the manifests at ${o.base} do not load; comparing against an empty base\n`);
      printDiagnostics(base.diagnostics);
    }
    comparison = compare(report, base.report ?? { findings: [], score: { percent: 0 }, scorecards: [] });
    verbose(`evaluated the base ${o.base} in ${Date.now() - started} ms`);
  } else if (o.baseline) {
    comparison = compare(report, await readBaseline(o.baseline));
  }

  // The line is erased before anything else reaches the terminal.
  progress.done();
  // Lazy: the graph layout (Graphviz wasm) and the forecast load only for --format html.
  const html = formats.some((t) => reporterFor(t.format).needs === "html") ? await (await import("./html-input.js")).htmlInput(project, report, o.probeResults) : undefined;
  await writeOutputs(o, formats, report, comparison, html);
  const result = gate(report, gateOptions(o, project.config.gate, minScore, maxDrop, comparison !== undefined), comparison);
  if (!result.passed) {
    process.stderr.write(`tollgate: gate failed: ${result.reasons.join("; ")}\n`);
    return EXIT_GATE;
  }
  return EXIT_OK;
}

/**
 * PR mode with --fail-on-new judges the change, not the estate: only new findings and --max-drop
 * gate, so an estate with existing errors passes an unchanged PR. --fail-on and --min-score still
 * apply when given on the command line (never from tollgate.yaml in that mode).
 */
export function gateOptions(o: Pick<CheckOptions, "failOn" | "failOnNew">, config: { failOn?: string; minScore?: number } | undefined, minScore: number | undefined, maxDrop: number | undefined, prMode: boolean): GateOptions {
  const changeOnly = prMode && !!o.failOnNew;
  const failOn = parseChoice("--fail-on", o.failOn ?? (changeOnly ? "never" : config?.failOn ?? "error"), ["error", "warning", "never"] as const);
  const score = minScore ?? (changeOnly ? undefined : config?.minScore);
  return { failOn, ...(score !== undefined ? { minScore: score } : {}), ...(o.failOnNew ? { failOnNew: true } : {}), ...(maxDrop !== undefined ? { maxDrop } : {}) };
}

async function writeOutputs(o: CheckOptions, targets: Target[], report: Report, comparison: Comparison | undefined, html?: HtmlInput): Promise<void> {
  const srcRoot = targets.some((t) => reporterFor(t.format).needs === "srcRoot") ? await repositoryRoot(o.root) : undefined;
  for (const target of targets) {
    const text = await reporterFor(target.format).render({ report, colors: colorsFor(target), ...(comparison ? { comparison } : {}), ...(o.explain ? { explain: true } : {}), ...(getVerbosity() === "quiet" ? { quiet: true } : {}), ...(srcRoot ? { srcRoot } : {}), ...(html ? { html } : {}) });
    await emit(target, text).catch((e: unknown) => {
      throw e instanceof UsageError ? new OutputError(e) : e;
    });
  }
}

async function readBaseline(file: string) {
  let data: any;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch {
    throw new UsageError(`--baseline ${file}: not a readable JSON report`, "Save one with: tollgate check --format json=baseline.json");
  }
  const percentOk = typeof data?.score?.percent === "number" || data?.score?.percent === null;
  if (!data || !Array.isArray(data.findings) || !percentOk || !Array.isArray(data.scorecards) || data.findings.some((f: any) => typeof f?.fingerprint !== "string")) {
    throw new UsageError(`--baseline ${file}: not a tollgate JSON report`, "Save one with: tollgate check --format json=baseline.json");
  }
  return data;
}
