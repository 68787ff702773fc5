import { readFile } from "node:fs/promises";
import { gate } from "../checks/gate.js";
import { assess, assessAtRef, GitRefError } from "../checks/readiness.js";
import { compare, type Comparison } from "../policies/reporters/baseline.js";
import { renderGithub } from "../policies/reporters/github.js";
import { renderJson } from "../policies/reporters/json.js";
import { renderJunit } from "../policies/reporters/junit.js";
import { renderMarkdown } from "../policies/reporters/markdown.js";
import { renderSarif } from "../policies/reporters/sarif.js";
import { renderText } from "../policies/reporters/text.js";
import { renderBadge } from "../policies/reporters/badge.js";
import { renderHtml } from "../policies/reporters/html/index.js";
import { EXIT_GATE, EXIT_INPUT, EXIT_OK, UsageError, colorsFor, emit, parseChoice, parseFormats, parseIntOption, parseNow, printDiagnostics, version } from "./common.js";

const FORMATS = ["text", "json", "sarif", "junit", "markdown", "github", "html", "badge"] as const;

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
}

export async function checkCommand(o: CheckOptions): Promise<number> {
  const now = parseNow(o.now);
  const fallback = process.env.GITHUB_ACTIONS === "true" ? "github" : "text";
  const formats = parseFormats(o.format, FORMATS, fallback);
  if (o.base && o.baseline) throw new UsageError("use either --base or --baseline, not both");
  if (o.probeResults !== undefined && !formats.some((t) => t.format === "html")) throw new UsageError("--probe-results only colours the HTML report's dependency graph", "Add --format html=report.html.");
  const minScore = parseIntOption("--min-score", o.minScore, 0, 100);
  const maxDrop = parseIntOption("--max-drop", o.maxDrop, 0, 100);

  const { project, report, diagnostics } = await assess(o.root, { now, ...(o.env ? { env: o.env } : {}), version: version() });
  if (!report) {
    printDiagnostics(diagnostics);
    return EXIT_INPUT;
  }
  const failOn = parseChoice("--fail-on", o.failOn ?? project.config.gate?.failOn ?? "error", ["error", "warning", "never"] as const);

  let comparison: Comparison | undefined;
  if (o.base) {
    let base;
    try {
      base = await assessAtRef(o.root, o.base, { now, ...(o.env ? { env: o.env } : {}), version: version() });
    } catch (e) {
      if (e instanceof GitRefError) throw new UsageError(e.message, "Fetch the base branch first (e.g. git fetch origin main) and pass a ref that exists.");
      throw e;
    }
    if (!base.report) {
      process.stderr.write(`tollgate: the manifests at ${o.base} do not load; comparing against an empty base\n`);
      printDiagnostics(base.diagnostics);
    }
    comparison = compare(report, base.report ?? { findings: [], score: { percent: 0 }, scorecards: [] });
  } else if (o.baseline) {
    comparison = compare(report, await readBaseline(o.baseline));
  }

  // Lazy: the graph layout (Graphviz wasm) and the forecast (prom-client) load only for --format html.
  const html = formats.some((t) => t.format === "html") ? await (await import("./html-input.js")).htmlInput(project, report, o.probeResults) : undefined;
  for (const target of formats) {
    const text =
      target.format === "json" ? renderJson(report, comparison)
      : target.format === "sarif" ? renderSarif(report)
      : target.format === "junit" ? renderJunit(report)
      : target.format === "markdown" ? renderMarkdown(report, comparison)
      : target.format === "github" ? renderGithub(report)
      : target.format === "html" ? renderHtml(report, html!, comparison)
      : target.format === "badge" ? renderBadge(report)
      : renderText(report, { colors: colorsFor(target), ...(o.explain ? { explain: true } : {}), ...(comparison ? { comparison } : {}) });
    await emit(target, text);
  }
  const result = gate(report, { failOn, ...(minScore !== undefined ? { minScore } : project.config.gate?.minScore !== undefined ? { minScore: project.config.gate.minScore } : {}), ...(o.failOnNew ? { failOnNew: true } : {}), ...(maxDrop !== undefined ? { maxDrop } : {}) }, comparison);
  if (!result.passed) {
    process.stderr.write(`tollgate: gate failed: ${result.reasons.join("; ")}\n`);
    return EXIT_GATE;
  }
  return EXIT_OK;
}

async function readBaseline(file: string) {
  let data: any;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch {
    throw new UsageError(`--baseline ${file}: not a readable JSON report`, "Save one with: tollgate check --format json=baseline.json");
  }
  if (!data || !Array.isArray(data.findings) || typeof data.score?.percent !== "number" || !Array.isArray(data.scorecards) || data.findings.some((f: any) => typeof f?.fingerprint !== "string")) {
    throw new UsageError(`--baseline ${file}: not a tollgate JSON report`, "Save one with: tollgate check --format json=baseline.json");
  }
  return data;
}
