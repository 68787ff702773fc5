/**
 * `check`'s evaluation with the result cache (assess/cache/result-cache.ts) in front: a hit gives the stored
 * report without loading the manifests (the loader, zod and the policies are not even imported); a
 * miss evaluates as before and stores the result when it may. The head and the `--base` side use
 * the same entries: an entry made by a main-branch `check` answers a PR check's base, and back.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { AssessOptions, Assessment } from "./readiness.js";
import type { Diagnostic } from "../model/diagnostics.js";
import type { Project } from "../load/loader.js";
import type { ProjectConfigT } from "../model/schema.js";
import type { Report } from "../policies/engine.js";
import type { ProbeEvidence } from "../policies/types.js";
import type { HtmlInput } from "../report/html/index.js";
import type { StepReporter } from "../util/progress.js";
import { reportCacheStats } from "./cache/cache-option.js";
import { ResultCache, storable, type Lookup } from "./cache/result-cache.js";
import type { Plan } from "./cache/result-inputs.js";

/** What a stored check result holds: what the reporters and the gate read, nothing of the model. */
export interface CheckEntry {
  report: Report;
  gate: ProjectConfigT["gate"] | null;
  files: number;
  html?: HtmlInput;
  /** Warnings and notes from loading (date-ahead-of-now, ...): check says them on every run, cached or not. */
  notes?: Diagnostic[];
}

/** How one --format target was rendered: everything that changes its bytes besides the result. */
export interface RenderSpec {
  format: string;
  color: boolean;
  explain: boolean;
  quiet: boolean;
  srcRoot: string;
  /** --sort. */
  sort: string;
  /** The gate's command-line settings, for the badge (it shows the verdict); empty for other formats. */
  gate: string;
}

/** A stored set of rendered outputs: the bytes of each target, and what the gate and --verbose read. */
export interface OutputsMeta {
  summary: Report["summary"];
  score: Report["score"];
  gate: CheckEntry["gate"];
  files: number;
  findings: number;
  notes?: Diagnostic[];
}

export interface Evaluated {
  /** Undefined when the input did not evaluate (then `diagnostics` says why), or when `outputs` answered. */
  entry: CheckEntry | undefined;
  /** Every requested output, byte for byte as an earlier run with the same inputs and options wrote it. */
  outputs?: { meta: OutputsMeta; texts: Buffer[] } | undefined;
  diagnostics: Diagnostic[];
  /** Only after a fresh evaluation (the HTML input needs it). */
  project?: Project | undefined;
  cached: boolean;
  /** Stores a fresh result (with the HTML input and the rendered outputs when given); a no-op without the cache. */
  store(html?: HtmlInput, rendered?: string[]): Promise<void>;
}

export interface EvaluateContext {
  now: string;
  env?: string | undefined;
  version: string;
  cache: { dir: string } | undefined;
  /** --format html: the --probe-results file colours the graph, so it is part of the key. */
  html?: { probeResults: string | undefined } | undefined;
  /** `--probe-results`: what the probe proved, and its bytes' hash (part of the key: policies read it). */
  evidence?: { value: ProbeEvidence; hash: string } | undefined;
  /** The targets to render, when their bytes depend only on the result (not in PR mode). */
  renders?: RenderSpec[] | undefined;
  /** Sub-steps of a fresh evaluation, for the progress line. */
  progress?: StepReporter | undefined;
}

const planOf = (config: ProjectConfigT): Plan => ({
  manifests: config.manifests,
  waivers: config.waivers,
  customPolicies: config.customPolicies,
});
const stats = (line: string) =>
  process.env.TOLLGATE_CACHE_STATS === "1" && process.stderr.write(`tollgate: cache: ${line}\n`);

/** The HTML variant of the key: which --probe-results bytes coloured it; undefined when unreadable (then the run reports that). */
async function htmlVariant(html: EvaluateContext["html"]): Promise<string | undefined> {
  if (!html) return "";
  if (html.probeResults === undefined) return "html";
  const bytes = await readFile(html.probeResults).catch(() => undefined);
  return bytes && `html ${createHash("sha256").update(bytes).digest("hex")}`;
}

const metaOf = (entry: CheckEntry): OutputsMeta => ({
  summary: entry.report.summary,
  score: entry.report.score,
  gate: entry.gate,
  files: entry.files,
  findings: entry.report.findings.length,
  ...(entry.notes?.length ? { notes: entry.notes } : {}),
});

/**
 * Evaluates the project at `root` (paths shown relative to `displayBase`), from the cache when the
 * inputs and options are unchanged: first the rendered outputs, then the result they render from.
 */
export async function evaluateCached(root: string, displayBase: string, ctx: EvaluateContext): Promise<Evaluated> {
  const results = ctx.cache ? new ResultCache(ctx.cache.dir, ctx.version) : undefined;
  const variant = await htmlVariant(ctx.html);
  const parts = {
    command: "check",
    now: ctx.now,
    env: ctx.env ?? "",
    html: variant ?? "",
    ...(ctx.evidence ? { evidence: ctx.evidence.hash } : {}),
  };
  const outputParts = ctx.renders && { ...parts, outputs: JSON.stringify(ctx.renders) };
  const state = results && variant !== undefined ? await results.prepare(root, displayBase) : undefined;
  if (results && state) {
    const outputs = outputParts && (await results.get<OutputsMeta>(state, outputParts));
    if (outputs && outputs.blobs.length === ctx.renders!.length && outputs.value?.summary) {
      stats("outputs hit");
      return {
        entry: undefined,
        outputs: { meta: outputs.value, texts: outputs.blobs },
        diagnostics: [],
        cached: true,
        store: async () => undefined,
      };
    }
    const found = await results.get<CheckEntry>(state, parts);
    const entry = found?.value;
    if (entry && typeof entry === "object" && entry.report && (!ctx.html || entry.html)) {
      stats("result hit");
      return {
        entry,
        diagnostics: [],
        cached: true,
        store: async (_html, rendered) => {
          if (outputParts && rendered)
            stats(
              (await results.add(state, outputParts, metaOf(entry), rendered))
                ? "outputs stored"
                : "outputs not stored",
            );
        },
      };
    }
  }
  const { assess } = await import("./readiness.js");
  const opts: AssessOptions = {
    now: ctx.now,
    ...(ctx.env ? { env: ctx.env } : {}),
    version: ctx.version,
    cache: ctx.cache,
    ...(ctx.evidence ? { evidence: ctx.evidence.value } : {}),
    ...(displayBase !== process.cwd() ? { displayBase } : {}),
    progress: ctx.progress,
  };
  const fresh: Assessment = await assess(root, opts);
  reportCacheStats(fresh.cacheStats);
  const { project, report, diagnostics } = fresh;
  const notes = diagnostics.filter((d) => d.severity !== "error");
  const entry: CheckEntry | undefined = report && {
    report,
    gate: project.config.gate ?? null,
    files: project.files.length,
    ...(notes.length ? { notes } : {}),
  };
  return {
    entry,
    diagnostics,
    project,
    cached: false,
    store: async (html, rendered) => {
      if (!results || !state || !entry || !storable(diagnostics)) {
        if (results) stats("result not stored");
        return;
      }
      const variants: { parts: Record<string, string>; value: unknown; blobs?: (string | Buffer)[] }[] = [
        { parts: { ...parts, html: "" }, value: entry },
      ];
      if (variant && html) variants.push({ parts, value: { ...entry, html } });
      if (outputParts && rendered) variants.push({ parts: outputParts, value: metaOf(entry), blobs: rendered });
      stats(
        (await results.store(root, displayBase, state, planOf(project.config), variants))
          ? "result stored"
          : "result not stored",
      );
    },
  };
}
