/**
 * `tollgate check`: options, the head and (in PR mode) base evaluations, the gate and the outputs.
 *
 * Over ~250 lines (Biome, 120 columns): the command's flow from options to exit code in one place;
 * evaluation (assess/), rendering (report/) and caching (assess/cache/) are elsewhere.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gate, type GateOptions } from "../assess/gate.js";
import { atRef, GitRefError, repositoryRoot } from "../assess/git-ref.js";
import type { Diagnostic } from "../model/diagnostics.js";
import { commandLineDiagnostic, usageDiagnostic } from "../util/usage-error.js";
import { createProgress, getVerbosity, progressEnabled, type Progress } from "../util/progress.js";
import type { Report } from "../policies/engine.js";
import { compare, type Comparison } from "../report/baseline.js";
import type { HtmlInput } from "../report/html/index.js";
import { CHECK_FORMATS, reporterFor, type CheckFormat, type RenderContext } from "../report/registry.js";
import { FINDING_SORTS, sortedFindings, type FindingSort } from "../policies/impact.js";
import { resolveCache } from "../assess/cache/cache-option.js";
import pc from "picocolors";
import { evaluateCached, type RenderSpec } from "../assess/check-results.js";
import { renderEach } from "./render-outputs.js";
import {
  EXIT_GATE,
  EXIT_INPUT,
  EXIT_OK,
  UsageError,
  colorEnabled,
  colorsFor,
  emit,
  parseChoice,
  parseFormats,
  parseIntOption,
  parseNow,
  printDiagnostics,
  version,
  type FormatTarget,
} from "./common.js";

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
  /** file (default), impact or deadline. */
  sort?: string;
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

const commandLine = commandLineDiagnostic;

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
      e instanceof InputError ? e.diagnostics : e instanceof UsageError ? [usageDiagnostic(e, "check")] : undefined;
    if (!diagnostics || e instanceof OutputError) throw e instanceof OutputError ? e.cause : e;
    printDiagnostics(diagnostics);
    // Standard-output text would repeat what was just printed; every other target is written.
    const { inputErrorReport } = await import("../policies/engine.js");
    await writeOutputs(
      o,
      formats.filter((t) => t.file || t.format !== "text"),
      inputErrorReport(diagnostics, { now, ...(o.env ? { env: o.env } : {}), version: version() }),
      undefined,
    );
    return EXIT_INPUT;
  }
}

/** done() may be called early (before output) and again in `finally`: only the first erases. */
const once = (p: Progress): Progress => {
  let ended = false;
  return {
    update: (...a) => !ended && p.update(...a),
    done: () => {
      if (!ended) p.done();
      ended = true;
    },
  };
};

const verbose = (message: string) => {
  // On a terminal a progress line may be showing: the message replaces it, the next update redraws it.
  if (getVerbosity() === "verbose")
    process.stderr.write(`${progressEnabled() ? "\r\x1b[2K" : ""}tollgate: ${message}\n`);
};

async function evaluateAndGate(o: CheckOptions, formats: Target[], now: string, progress: Progress): Promise<number> {
  if (o.base && o.baseline) throw new UsageError("use either --base or --baseline, not both");
  const minScore = parseIntOption("--min-score", o.minScore, 0, 100);
  const maxDrop = parseIntOption("--max-drop", o.maxDrop, 0, 100);
  if (o.failOn !== undefined) parseChoice("--fail-on", o.failOn, ["error", "warning", "never"] as const);
  const sort = parseChoice("--sort", o.sort ?? "file", FINDING_SORTS);

  // The line shows real sub-steps (files loaded, policies run), and which side in PR mode.
  let side = "";
  const step = (note: string, done: number, total: number) =>
    progress.update(done, total || undefined, `${side}${note}`);
  let started = Date.now();
  step("reading the cache and tollgate.yaml", 0, 0);
  const cache = await resolveCache(o);
  const needsHtml = formats.some((t) => reporterFor(t.format).needs === "html");
  // Live evidence describes the running estate, not a commit: the --base side reads it too, so a PR is not credited with it.
  const evidence =
    o.probeResults === undefined ? undefined : await (await import("./html-input.js")).readProbeResults(o.probeResults);
  const context = {
    now,
    ...(o.env ? { env: o.env } : {}),
    version: version(),
    cache,
    progress: step,
    ...(evidence ? { evidence } : {}),
  };
  // Outside PR mode each output depends only on the result and these settings: stored outputs are replayed.
  const renders = cache && !o.base && !o.baseline ? await renderSpecs(o, formats, sort) : undefined;
  const head = await evaluateCached(o.root, process.cwd(), {
    ...context,
    ...(needsHtml ? { html: { probeResults: o.probeResults } } : {}),
    renders,
  });
  if (head.outputs) {
    const { meta, texts } = head.outputs;
    verbose(
      `replayed ${texts.length} outputs for ${meta.files} files, ${meta.findings} findings from the cache in ${Date.now() - started} ms`,
    );
    progress.done();
    sayNotes(meta.notes);
    for (const [i, target] of formats.entries()) await emitOutput(target, texts[i]!);
    return gateExit(gate(meta, gateOptions(o, meta.gate ?? undefined, minScore, maxDrop, false)));
  }
  if (!head.entry) throw new InputError(head.diagnostics);
  const { report } = head.entry;
  verbose(
    head.cached
      ? `reused the result for ${head.entry.files} files, ${report.findings.length} findings from the cache in ${Date.now() - started} ms`
      : `evaluated ${head.entry.files} files, ${report.findings.length} findings in ${Date.now() - started} ms`,
  );

  let comparison: Comparison | undefined;
  if (o.base) {
    let base;
    side = `base ${o.base}: `;
    step("reading", 0, 0);
    started = Date.now();
    try {
      // The base uses the same cache: an entry from a check of the base branch answers it outright,
      // and otherwise its unchanged files have the same bytes, so they are parse-cache hits.
      base = await atRef(o.root, o.base, async (tmp) => {
        // Before Tollgate was adopted there is nothing to compare with: every finding is new.
        if (!existsSync(path.join(tmp, "tollgate.yaml"))) return undefined;
        const evaluated = await evaluateCached(tmp, tmp, context);
        await evaluated.store();
        return evaluated;
      });
    } catch (e) {
      if (e instanceof GitRefError)
        throw new InputError([
          commandLine(
            "git-error",
            `--base ${o.base}: ${e.message}`,
            e.hint ?? "Fetch the base branch first (e.g. git fetch origin main) and pass a ref that exists.",
          ),
        ]);
      throw e;
    }
    if (!base) {
      if (getVerbosity() !== "quiet") {
        progress.done();
        process.stderr.write(`tollgate: ${o.base} has no tollgate.yaml; comparing against an empty base\n`);
      }
    } else if (!base.entry) {
      // An empty base would make every finding new: a base that does not load is not a decision.
      throw new InputError([
        commandLine(
          "base-invalid",
          `--base ${o.base}: the project at ${o.base} does not load (${base.diagnostics.length} problem${base.diagnostics.length === 1 ? "" : "s"} below, files as at that ref)`,
          "Fix the base branch, or compare with a saved report: --baseline FILE.",
        ),
        ...base.diagnostics.map((d) => ({ ...d, file: `${o.base}:${d.file}` })),
      ]);
    }
    comparison = compare(report, base?.entry?.report ?? { findings: [], score: { percent: 0 }, scorecards: [] });
    verbose(`evaluated the base ${o.base} in ${Date.now() - started} ms`);
  } else if (o.baseline) {
    comparison = compare(report, await readBaseline(o.baseline));
  }

  // The line is erased before anything else reaches the terminal.
  progress.done();
  sayNotes(head.entry.notes);
  // Lazy: the graph layout (Graphviz wasm) and the forecast load only for --format html.
  const html = !needsHtml
    ? undefined
    : (head.entry.html ??
      (head.project && (await (await import("./html-input.js")).htmlInput(head.project, report, o.probeResults))));
  // Decided before rendering: the badge shows the verdict.
  const verdict = gate(
    report,
    gateOptions(o, head.entry.gate ?? undefined, minScore, maxDrop, comparison !== undefined),
    comparison,
  );
  const shown = sort === "file" ? report : { ...report, findings: sortedFindings(report, sort) };
  const rendered = await writeOutputs(o, formats, shown, comparison, html, renders, {
    sort,
    gate: { passed: verdict.passed },
  });
  // An output that could not be rendered: the gate's answer is incomplete, and nothing is cached.
  if (!rendered) return EXIT_INPUT;
  await head.store(html, rendered);
  return gateExit(verdict);
}

/** Warnings and notes from loading (a lastRotated one day ahead, ...), as validate prints them; not with --quiet. */
function sayNotes(notes: readonly Diagnostic[] | undefined): void {
  if (notes?.length && getVerbosity() !== "quiet") printDiagnostics(notes);
}

function gateExit(result: { passed: boolean; reasons: string[] }): number {
  if (!result.passed) {
    process.stderr.write(`tollgate: gate failed: ${result.reasons.join("; ")}\n`);
    return EXIT_GATE;
  }
  return EXIT_OK;
}

/**
 * What each target's bytes depend on besides the result (the colour decided as colorsFor decides it;
 * the gate's command-line settings, since the badge shows the verdict).
 */
async function renderSpecs(o: CheckOptions, targets: Target[], sort: FindingSort): Promise<RenderSpec[]> {
  const srcRoot = targets.some((t) => reporterFor(t.format).needs === "srcRoot") ? await repositoryRoot(o.root) : "";
  const gateSettings = JSON.stringify([o.failOn ?? null, o.minScore ?? null, o.maxDrop ?? null, !!o.failOnNew]);
  return targets.map((t) => ({
    format: t.format,
    color: !t.file && colorEnabled(),
    explain: !!o.explain,
    quiet: getVerbosity() === "quiet",
    srcRoot,
    sort,
    gate: reporterFor(t.format).format === "badge" ? gateSettings : "",
  }));
}

/**
 * PR mode with --fail-on-new judges the change, not the estate: only new findings and --max-drop
 * gate, so an estate with existing errors passes an unchanged PR. --fail-on and --min-score still
 * apply when given on the command line (never from tollgate.yaml in that mode).
 */
export function gateOptions(
  o: Pick<CheckOptions, "failOn" | "failOnNew">,
  config: { failOn?: string; minScore?: number } | undefined,
  minScore: number | undefined,
  maxDrop: number | undefined,
  prMode: boolean,
): GateOptions {
  const changeOnly = prMode && !!o.failOnNew;
  const failOn = parseChoice("--fail-on", o.failOn ?? (changeOnly ? "never" : (config?.failOn ?? "error")), [
    "error",
    "warning",
    "never",
  ] as const);
  const score = minScore ?? (changeOnly ? undefined : config?.minScore);
  return {
    failOn,
    ...(score !== undefined ? { minScore: score } : {}),
    ...(o.failOnNew ? { failOnNew: true } : {}),
    ...(maxDrop !== undefined ? { maxDrop } : {}),
  };
}

/**
 * Renders and writes every target, each on its own (cli/render-outputs.ts); returns what was written
 * (the result cache may keep it), or undefined when a reporter failed (then its diagnostic is printed).
 */
async function writeOutputs(
  o: CheckOptions,
  targets: Target[],
  report: Report,
  comparison: Comparison | undefined,
  html?: HtmlInput,
  specs?: RenderSpec[],
  extra: Pick<RenderContext, "sort" | "gate"> = {},
): Promise<string[] | undefined> {
  const srcRoot = specs
    ? specs[0]?.srcRoot || undefined
    : targets.some((t) => reporterFor(t.format).needs === "srcRoot")
      ? await repositoryRoot(o.root)
      : undefined;
  const { texts, failures } = await renderEach(
    targets,
    (target, i) => {
      const colors = specs ? pc.createColors(specs[i]!.color) : colorsFor(target);
      return reporterFor(target.format).render({
        report,
        colors,
        ...(comparison ? { comparison } : {}),
        ...(o.explain ? { explain: true } : {}),
        ...(getVerbosity() === "quiet" ? { quiet: true } : {}),
        ...(srcRoot ? { srcRoot } : {}),
        ...(html ? { html } : {}),
        ...extra,
      });
    },
    emitOutput,
  );
  if (failures.length === 0) return texts as string[];
  printDiagnostics(failures);
  return undefined;
}

async function emitOutput(target: Target, text: string | Uint8Array): Promise<void> {
  await emit(target, text).catch((e: unknown) => {
    throw e instanceof UsageError ? new OutputError(e) : e;
  });
}

async function readBaseline(file: string) {
  let data: any;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch {
    throw new UsageError(
      `--baseline ${file}: not a readable JSON report`,
      "Save one with: tollgate check --format json=baseline.json",
    );
  }
  const percentOk = typeof data?.score?.percent === "number" || data?.score?.percent === null;
  if (
    !data ||
    !Array.isArray(data.findings) ||
    !percentOk ||
    !Array.isArray(data.scorecards) ||
    data.findings.some((f: any) => typeof f?.fingerprint !== "string")
  ) {
    throw new UsageError(
      `--baseline ${file}: not a tollgate JSON report`,
      "Save one with: tollgate check --format json=baseline.json",
    );
  }
  return data;
}
