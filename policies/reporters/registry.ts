/**
 * Every `check --format`, defined once: its name, what it is for, and how it renders. The CLI, its
 * help text and the docs read this table instead of keeping parallel switches.
 */
import picocolors from "picocolors";
import type { Report } from "../engine.js";
import type { Comparison } from "./baseline.js";
import { renderBadge } from "./badge.js";
import { renderGithub } from "./github.js";
import { renderGitlab } from "./gitlab.js";
import { renderHtml, type HtmlInput } from "./html/index.js";
import { renderJson } from "./json.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";

export interface RenderContext {
  report: Report;
  /** PR mode (--base / --baseline). */
  comparison?: Comparison;
  explain?: boolean;
  /** --quiet: text shows error findings only. */
  quiet?: boolean;
  colors?: ReturnType<typeof picocolors.createColors>;
  /** The folder SARIF URIs and GitLab paths are relative to (the repository root). */
  srcRoot?: string;
  /** The HTML report's extra inputs (graph, forecast, waivers); empty when the input was invalid. */
  html?: HtmlInput;
}

export interface Reporter {
  format: string;
  description: string;
  /** Extra input the caller prepares before rendering, only when this format is requested. */
  needs?: "srcRoot" | "html";
  render(ctx: RenderContext): string | Promise<string>;
}

const EMPTY_HTML: HtmlInput = { waivers: [], forecast: { days: 0, windowDays: 0, overdueNow: 0, items: [] }, graph: { nodes: [], edges: [] } };

export const REPORTERS = [
  { format: "text", description: "findings by file, then the scorecards (--explain: what decided each category)", render: (c) => renderText(c.report, { ...(c.colors ? { colors: c.colors } : {}), ...(c.explain ? { explain: true } : {}), ...(c.quiet ? { quiet: true } : {}), ...(c.comparison ? { comparison: c.comparison } : {}) }) },
  { format: "json", description: "the documented JSON contract (with the comparison in PR mode)", render: (c) => renderJson(c.report, c.comparison) },
  { format: "sarif", description: "SARIF 2.1.0 for code scanning, URIs relative to the repository root", needs: "srcRoot", render: (c) => renderSarif(c.report, c.srcRoot ? { srcRoot: c.srcRoot } : {}) },
  { format: "junit", description: "JUnit XML, one test case per policy and subject", render: (c) => renderJunit(c.report) },
  { format: "markdown", description: "a PR comment: scores with deltas, new and fixed findings", render: (c) => renderMarkdown(c.report, c.comparison) },
  { format: "github", description: "GitHub Actions annotations (default under GitHub Actions)", render: (c) => renderGithub(c.report) },
  { format: "gitlab", description: "GitLab Code Quality report JSON, paths relative to the repository root", needs: "srcRoot", render: (c) => renderGitlab(c.report, c.srcRoot ? { srcRoot: c.srcRoot } : {}) },
  // prom-client is loaded only when the gauges are asked for.
  { format: "prometheus", description: "score, scorecard and category gauges and finding counts, for the textfile collector", render: async (c) => (await import("./prometheus.js")).renderPrometheus(c.report) },
  { format: "html", description: "a self-contained report with the dependency graph and the rotation forecast", needs: "html", render: (c) => renderHtml(c.report, c.html ?? EMPTY_HTML, c.comparison) },
  { format: "badge", description: "an SVG readiness badge for READMEs", render: (c) => renderBadge(c.report) },
] as const satisfies readonly Reporter[];

export type CheckFormat = (typeof REPORTERS)[number]["format"];

export const CHECK_FORMATS = REPORTERS.map((r) => r.format) as readonly CheckFormat[];

export function reporterFor(format: CheckFormat): Reporter {
  return REPORTERS.find((r) => r.format === format)!;
}
