/**
 * Dashboard panels rendered from text templates. A dashboard of 10,000 services has ~25,000
 * panels of a handful of shapes; building each with the Grafana SDK and serializing it was most of
 * synth's time and garbage. Each shape is built once with the SDK, with sentinels in place of the
 * values that vary (strings, threshold values, id, grid position), serialized exactly as the whole
 * dashboard serializes it, and cut at the sentinels; every panel of that shape is then the
 * template's text with its own values, JSON-escaped, put back. The output is byte-identical to the
 * SDK's (test/infra/grafana-template.test.ts compares them on many random dashboards).
 */
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { panel } from "./grafana-panels.js";
import type { PanelSpec, RowSpec } from "./grafana-queries.js";

type Leaf = string | number;

interface Template {
  /** Text between the values: parts.length === slots.length + 1. */
  parts: string[];
  /** Which value (index into the leaves) goes after parts[i]. */
  slots: number[];
}

/**
 * Sentinels: strings `\u0001<k>\u0001` (escaped as such in JSON), numbers 12 digits from a base.
 * Every template is made with two encodings and kept only if both cut the same way, so text that
 * merely looks like a sentinel (in a datasource uid, a mapping, a constant) is never mistaken for
 * one: such a shape is built by the SDK for every panel instead.
 */
interface Encoding {
  str: (k: number) => string;
  num: (k: number) => number;
  re: RegExp;
}
const ENCODINGS: [Encoding, Encoding] = [
  { str: (k) => `\u0001${k}\u0001`, num: (k) => 987_650_000_000 + k, re: /\\u0001(\d+)\\u0001|9876500(\d{5})/g },
  { str: (k) => `\u0002${k}\u0002`, num: (k) => 876_540_000_000 + k, re: /\\u0002(\d+)\\u0002|8765400(\d{5})/g },
];
/** One panel as it appears inside `{ "panels": [ … ] }` at two-space indentation. */
const WRAPPER_START = '{\n  "panels": [\n'.length;
const WRAPPER_END = "\n  ]\n}".length;

/**
 * The shape of a value and its varying leaves, in one walk. What the SDK might branch on stays in
 * the shape, literally: `kind`, value mappings (their values become object keys), booleans, null,
 * empty strings, and every number except threshold step values (widths and heights are checked and
 * placed on the grid). With `sentinels`, also returns a copy whose leaves are the sentinels.
 */
function walk(v: unknown, path: string, key: string[], leaves: Leaf[], sentinels?: Encoding): unknown {
  if (typeof v === "string") {
    if (v === "" || path === "kind") {
      key.push(JSON.stringify(v));
      return v;
    }
    key.push("s");
    leaves.push(v);
    return sentinels ? sentinels.str(leaves.length - 1) : undefined;
  }
  if (typeof v === "number") {
    if (path !== "steps.value") {
      key.push(String(v));
      return v;
    }
    key.push("n");
    leaves.push(v);
    return sentinels ? sentinels.num(leaves.length - 1) : undefined;
  }
  if (v === null || typeof v !== "object" || path === "mappings") {
    key.push(v === undefined ? "u" : JSON.stringify(v));
    return v;
  }
  if (Array.isArray(v)) {
    key.push("[");
    const out = v.map((x) => walk(x, path, key, leaves, sentinels));
    key.push("]");
    return sentinels ? out : undefined;
  }
  key.push("{");
  const out: Record<string, unknown> = {};
  for (const k in v) {
    key.push(k, ":");
    const x = walk((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, key, leaves, sentinels);
    if (sentinels) out[k] = x;
  }
  key.push("}");
  return sentinels ? out : undefined;
}

function cut(text: string, e: Encoding): Template {
  const parts: string[] = [];
  const slots: number[] = [];
  let last = 0;
  for (const m of text.matchAll(e.re)) {
    parts.push(text.slice(last, m.index));
    slots.push(Number(m[1] ?? m[2]));
    last = m.index! + m[0].length;
  }
  parts.push(text.slice(last));
  return { parts, slots };
}

/** The serialized text of one built panel at its depth in the dashboard. */
function panelText(built: unknown): string {
  const text = JSON.stringify({ panels: [built] }, null, 2);
  return text.slice(WRAPPER_START, text.length - WRAPPER_END);
}

/** The template if both encodings agree on it, else null (the shape is left to the SDK). */
function agreed(make: (e: Encoding) => Template): Template | null {
  const [a, b] = ENCODINGS.map(make) as [Template, Template];
  const same =
    a.slots.length === b.slots.length &&
    a.slots.every((x, i) => x === b.slots[i]) &&
    a.parts.every((x, i) => x === b.parts[i]);
  return same ? a : null;
}

function fill(t: Template, leaves: Leaf[]): string {
  const { parts, slots } = t;
  let out = parts[0]!;
  for (let i = 0; i < slots.length; i++) {
    const v = leaves[slots[i]!]!;
    out += (typeof v === "string" ? JSON.stringify(v).slice(1, -1) : JSON.stringify(v)) + parts[i + 1]!;
  }
  return out;
}

/**
 * Renders rows and panels after the first row of a dashboard. `grid` is the dashboard's own
 * builder: rows and panels are placed by its code (`withRow` / `withPanel`) with stand-ins that
 * carry only their size, so positions are the SDK's; `placed` is its panel list, emptied per row.
 */
export class PanelRenderer {
  private readonly templates = new Map<string, Template | null>();
  private rowTemplate: Template | null | undefined;

  constructor(
    private readonly ds: dashboard.DataSourceRef,
    private readonly grid: dashboard.DashboardBuilder,
    private readonly placed: unknown[],
  ) {}

  /**
   * The row and then each of its panels as one string, each preceded by `,\n` (they follow the
   * first row's panels). Kept apart on purpose: one non-Latin-1 character (an MCP panel's "…")
   * makes a whole joined string two-byte, and encoding a long two-byte concatenation to UTF-8
   * cost ~40× more per character than a one-byte one.
   */
  row(row: RowSpec, id: number, out: string[]): number {
    if (this.rowTemplate === undefined) this.rowTemplate = agreed((e) => this.buildRowTemplate(e));
    if (this.rowTemplate) {
      const stand = { panels: [] as unknown[] } as unknown as dashboard.RowPanel;
      this.grid.withRow({ build: () => stand });
      out.push(`,\n${fill(this.rowTemplate, [row.title, ++id, stand.gridPos!.y])}`);
    } else {
      const built = new dashboard.RowBuilder(row.title).id(++id);
      this.grid.withRow(built);
      out.push(`,\n${panelText(built.build())}`);
    }
    for (const p of row.panels) out.push(`,\n${this.panel(p, ++id)}`);
    this.placed.length = 0;
    return id;
  }

  private panel(spec: PanelSpec, id: number): string {
    const key: string[] = [];
    const leaves: Leaf[] = [];
    walk(spec, "", key, leaves);
    const shape = key.join(" ");
    let t = this.templates.get(shape);
    if (t === undefined) this.templates.set(shape, (t = agreed((e) => this.buildPanelTemplate(spec, e))));
    if (t === null) {
      const built = panel(spec, id, this.ds);
      this.grid.withPanel(built);
      return panelText(built.build());
    }
    const gridPos = { h: spec.height, w: spec.width, x: 0, y: 0 };
    this.grid.withPanel({ build: () => ({ gridPos }) as dashboard.Panel });
    leaves.push(id, gridPos.x, gridPos.y);
    return fill(t, leaves);
  }

  private buildPanelTemplate(spec: PanelSpec, e: Encoding): Template {
    const leaves: Leaf[] = [];
    const probe = walk(spec, "", [], leaves, e) as PanelSpec;
    const n = leaves.length;
    const scratch = new dashboard.DashboardBuilder("template").withPanel(panel(probe, e.num(n), this.ds));
    const built = scratch.build().panels![0] as dashboard.Panel;
    built.gridPos!.x = e.num(n + 1);
    built.gridPos!.y = e.num(n + 2);
    return cut(panelText(built), e);
  }

  private buildRowTemplate(e: Encoding): Template {
    const scratch = new dashboard.DashboardBuilder("template").withRow(new dashboard.RowBuilder(e.str(0)).id(e.num(1)));
    const built = scratch.build().panels![0] as dashboard.RowPanel;
    built.gridPos!.y = e.num(2);
    return cut(panelText(built), e);
  }
}
