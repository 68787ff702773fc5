/**
 * Every `check --format`, defined once: its name, what it is for, and how it renders. The CLI, its
 * help text and the docs read this table instead of keeping parallel switches.
 */
import picocolors from "picocolors";
import type { Report } from "../policies/engine.js";
import type { Comparison } from "./baseline.js";
import type { HtmlInput } from "./html/index.js";
import type { FindingSort } from "../policies/impact.js";
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
  /** --sort: the order the findings come in (text lists them flat with their points when not `file`). */
  sort?: FindingSort;
  /** The gate's verdict, when decided: the badge is red when it failed, whatever the score. */
  gate?: { passed: boolean };
}

export interface Reporter {
  format: string;
  description: string;
  /** Extra input the caller prepares before rendering, only when this format is requested. */
  needs?: "srcRoot" | "html";
  render(ctx: RenderContext): string | Promise<string>;
}

const EMPTY_HTML: HtmlInput = {
  waivers: [],
  forecast: { days: 0, windowDays: 0, overdueNow: 0, items: [] },
  graph: { nodes: [], edges: [] },
};

// Only the text reporter (the default) loads with the CLI; every other one, and what it pulls in
// (prom-client, the HTML page and its Graphviz input), is imported when its format is asked for.
export const REPORTERS = [
  {
    format: "text",
    description: "findings by file, then the scorecards (--explain: what decided each category)",
    render: (c) =>
      renderText(c.report, {
        ...(c.colors ? { colors: c.colors } : {}),
        ...(c.explain ? { explain: true } : {}),
        ...(c.quiet ? { quiet: true } : {}),
        ...(c.comparison ? { comparison: c.comparison } : {}),
        ...(c.sort ? { sort: c.sort } : {}),
      }),
  },
  {
    format: "json",
    description: "the documented JSON contract (with the comparison in PR mode)",
    render: async (c) => (await import("./json.js")).renderJson(c.report, c.comparison),
  },
  {
    format: "sarif",
    description: "SARIF 2.1.0 for code scanning, URIs relative to the repository root",
    needs: "srcRoot",
    render: async (c) => (await import("./sarif.js")).renderSarif(c.report, c.srcRoot ? { srcRoot: c.srcRoot } : {}),
  },
  {
    format: "junit",
    description: "JUnit XML, one test case per policy and subject",
    render: async (c) => (await import("./junit.js")).renderJunit(c.report),
  },
  {
    format: "markdown",
    description: "a PR comment: scores with deltas, new and fixed findings",
    render: async (c) => (await import("./markdown.js")).renderMarkdown(c.report, c.comparison),
  },
  {
    format: "github",
    description: "GitHub Actions annotations (default under GitHub Actions)",
    render: async (c) => (await import("./github.js")).renderGithub(c.report),
  },
  {
    format: "gitlab",
    description: "GitLab Code Quality report JSON, paths relative to the repository root",
    needs: "srcRoot",
    render: async (c) => (await import("./gitlab.js")).renderGitlab(c.report, c.srcRoot ? { srcRoot: c.srcRoot } : {}),
  },
  {
    format: "prometheus",
    description: "score, scorecard and category gauges and finding counts, for the textfile collector",
    render: async (c) => (await import("./prometheus.js")).renderPrometheus(c.report),
  },
  {
    format: "html",
    description: "a self-contained report with the dependency graph and the rotation forecast",
    needs: "html",
    render: async (c) => (await import("./html/index.js")).renderHtml(c.report, c.html ?? EMPTY_HTML, c.comparison),
  },
  {
    format: "badge",
    description: "an SVG readiness badge for READMEs",
    render: async (c) => (await import("./badge.js")).renderBadge(c.report, undefined, c.gate),
  },
] as const satisfies readonly Reporter[];

export type CheckFormat = (typeof REPORTERS)[number]["format"];

export const CHECK_FORMATS = REPORTERS.map((r) => r.format) as readonly CheckFormat[];

export function reporterFor(format: CheckFormat): Reporter {
  return REPORTERS.find((r) => r.format === format)!;
}
