/**
 * The service dependency graph: nodes from the manifests' services, edges from `dependsOn`, each
 * node coloured by its worst unwaived finding and (given probe results) outlined by live health.
 * Laid out by Graphviz (WebAssembly, loaded only when an HTML report is asked for).
 */
import type { Model } from "../../model/model.js";
import type { Finding } from "../../policies/types.js";

export type Health = "healthy" | "unhealthy" | "skipped" | "not-probed";

export interface GraphNode {
  service: string;
  kind: string;
  tier: string;
  errors: number;
  warnings: number;
  notes: number;
  health?: Health;
}

export interface ServiceGraph {
  nodes: GraphNode[];
  edges: [from: string, to: string][];
  /** Inline SVG markup, or why there is none. */
  svg?: string;
  omitted?: string;
}

/** Services with more nodes than this are listed, not drawn: a 10k-node layout helps nobody. */
export const MAX_GRAPH_NODES = 1500;

/** The service a finding is about, through the entity that names it. */
export function serviceOf(model: Model, subject: string): string | undefined {
  const m = /^(service|secret|api|webhook)\/([^@]+)/.exec(subject);
  if (!m) return undefined;
  const [, kind, name] = m;
  if (kind === "service") return model.services.has(name!) ? name : undefined;
  if (kind === "secret") return model.secrets.get(name!)?.service;
  if (kind === "api") return model.apis.get(name!)?.service;
  return model.webhooks.get(name!)?.service;
}

export function buildGraph(
  model: Model,
  findings: readonly Finding[],
  health?: ReadonlyMap<string, string>,
): ServiceGraph {
  const nodes = new Map<string, GraphNode>();
  for (const [name, s] of model.services) {
    nodes.set(name, {
      service: name,
      kind: s.kind,
      tier: s.tier,
      errors: 0,
      warnings: 0,
      notes: 0,
      ...(health ? { health: toHealth(health.get(name)) } : {}),
    });
  }
  for (const f of findings) {
    if (f.waived) continue;
    const node = nodes.get(serviceOf(model, f.subject) ?? "");
    if (!node) continue;
    if (f.severity === "error") node.errors++;
    else if (f.severity === "warning") node.warnings++;
    else node.notes++;
  }
  const edges: [string, string][] = [];
  for (const [name, s] of model.services) for (const d of s.dependsOn) if (nodes.has(d)) edges.push([name, d]);
  return { nodes: [...nodes.values()], edges };
}

function toHealth(status: string | undefined): Health {
  return status === "healthy" || status === "unhealthy" || status === "skipped" ? status : "not-probed";
}

export const severityOf = (n: GraphNode) => (n.errors ? "error" : n.warnings ? "warning" : "clean");
const FILL = { error: "#fbd5d5", warning: "#fdecc8", clean: "#d3f0dc" } as const;
const PEN: Record<Health, { color: string; style: string }> = {
  healthy: { color: "#1d6b34", style: "solid" },
  unhealthy: { color: "#a4161a", style: "bold" },
  skipped: { color: "#6b4f1d", style: "dashed" },
  "not-probed": { color: "#555555", style: "dotted" },
};

/** A double-quoted DOT string: only backslash and quote are special; newlines become \n. */
const dotText = (s: string) =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/[\r\n]+/g, " ");
const dotString = (s: string) => `"${dotText(s)}"`;

export function toDot(graph: ServiceGraph): string {
  // The node's DOT id is the service name itself, so the SVG's <title> names the service.
  const index = new Map(graph.nodes.map((n, i) => [n.service, i]));
  const id = (service: string) => dotString(service);
  const lines = [
    "digraph services {",
    '  graph [rankdir=LR, pack=true, packmode="array_u", bgcolor="transparent", nodesep=0.25, ranksep=0.6, fontname="Helvetica"];',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, fontcolor="#111111", margin="0.12,0.06"];',
    '  edge [color="#555555", arrowsize=0.6];',
  ];
  for (const n of graph.nodes) {
    const sev = severityOf(n);
    const pen = PEN[n.health ?? "not-probed"];
    const counts =
      n.errors || n.warnings
        ? `${n.errors} error${n.errors === 1 ? "" : "s"}, ${n.warnings} warning${n.warnings === 1 ? "" : "s"}`
        : "no findings";
    const label = [n.service, counts, ...(n.health ? [n.health] : [])].map(dotText).join("\\n");
    const style = ["rounded", "filled", ...(n.health && pen.style !== "solid" ? [pen.style] : [])].join(",");
    const attrs = [
      `id=${dotString(`svc-node-${index.get(n.service)}`)}`,
      `class=${dotString(`svc sev-${sev}${n.health ? ` health-${n.health}` : ""}`)}`,
      `label="${label}"`,
      `tooltip=${dotString(`${n.service} (${n.kind}, ${n.tier}): ${counts}${n.health ? `; ${n.health}` : ""}`)}`,
      `fillcolor="${FILL[sev]}"`,
      `color="${n.health ? pen.color : "#555555"}"`,
      `penwidth=${n.health ? 2.5 : 1}`,
      `style="${style}"`,
    ];
    lines.push(`  ${id(n.service)} [${attrs.join(", ")}];`);
  }
  for (const [from, to] of graph.edges) lines.push(`  ${id(from)} -> ${id(to)};`);
  lines.push("}");
  return lines.join("\n");
}

/** Lays the graph out with Graphviz and returns inline-ready SVG (no XML prolog, no comments). */
export async function renderGraphSvg(graph: ServiceGraph): Promise<ServiceGraph> {
  if (graph.nodes.length === 0) return { ...graph, omitted: "The manifests declare no services." };
  if (graph.nodes.length > MAX_GRAPH_NODES)
    return {
      ...graph,
      omitted: `${graph.nodes.length} services are more than a drawing can show (limit ${MAX_GRAPH_NODES}); see the list below.`,
    };
  const { Graphviz } = await import("@hpcc-js/wasm-graphviz");
  const gv = await Graphviz.load();
  const svg = gv.dot(toDot(graph));
  return { ...graph, svg: inlineSvg(svg) };
}

function inlineSvg(svg: string): string {
  const body = svg
    .replace(/<\?xml[^>]*\?>/, "")
    .replace(/<!DOCTYPE[^>]*>/, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .trim();
  // Label text is escaped by Graphviz; this is a second line of defence for the inline document.
  if (/<script|<foreignObject|\son[a-z]+\s*=|javascript:/i.test(body.replace(/>[^<]*</g, "><")))
    throw new Error("graph SVG contains active content");
  return body.replace(/^<svg /, '<svg role="img" aria-labelledby="graph-title" focusable="false" ');
}
