/**
 * Tool drift, classified (pure: no I/O). A tool's recorded snapshot (the lock file written by
 * `tollgate mcp-tools --write`) is compared with what the server lists now; each difference is
 * breaking (a caller that worked before may fail now), warning (meaning may have changed) or info
 * (only additions a caller can ignore). Input schemas break when they accept less; output schemas
 * break when they may produce more. The rules are the table below; docs/probes.md lists the codes.
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: one classifier of schema changes, a table of cases in one place, with its bounded walk.
 */
import type { DriftChange, DriftClass } from "./types.js";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface ToolSnapshot {
  description?: string;
  annotations?: Record<string, Json>;
  inputSchema: Json;
  outputSchema?: Json;
}

/** Tool name → snapshot: one service's section of the lock file. */
export type LockedTools = Record<string, ToolSnapshot>;

/** Deeper schemas are refused (cleanly, as drift) rather than walked. */
export const MAX_SCHEMA_DEPTH = 64;

export class SchemaTooDeep extends Error {}

/** Sorted keys, no `$schema` (an SDK upgrade adds it without changing what is accepted); depth-bounded. */
export function normalise(value: unknown, depth = 0): Json {
  if (depth > MAX_SCHEMA_DEPTH) throw new SchemaTooDeep(`schema nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((v) => normalise(v, depth + 1));
  if (value && typeof value === "object") {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(value).sort())
      if (k !== "$schema" && (value as Record<string, unknown>)[k] !== undefined)
        out[k] = normalise((value as Record<string, unknown>)[k], depth + 1);
    return out;
  }
  return value === undefined ? null : (value as Json);
}

export function snapshotTools(
  tools: { name: string; description?: string; annotations?: unknown; inputSchema?: unknown; outputSchema?: unknown }[],
): LockedTools {
  const out: LockedTools = {};
  for (const t of [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    out[t.name] = {
      ...(t.description !== undefined ? { description: t.description } : {}),
      ...(t.annotations && Object.keys(t.annotations).length
        ? { annotations: normalise(t.annotations) as Record<string, Json> }
        : {}),
      inputSchema: normalise(t.inputSchema ?? {}),
      ...(t.outputSchema !== undefined ? { outputSchema: normalise(t.outputSchema) } : {}),
    };
  }
  return out;
}

type Obj = { [k: string]: Json };
const obj = (v: Json | undefined): Obj => (v && typeof v === "object" && !Array.isArray(v) ? v : {});
const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const types = (s: Obj): string[] | undefined =>
  s.type === undefined ? undefined : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
const accepts = (set: string[], t: string) => set.includes(t) || (t === "integer" && set.includes("number"));
const where = (path: string) => (path ? `argument ${path}` : "schema");

/** Lower bounds (a higher value accepts less) and upper bounds (a lower value accepts less). */
const LOWER = ["minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"];
const UPPER = ["maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"];
const HANDLED = new Set([
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "items",
  "additionalProperties",
  "pattern",
  "format",
  "description",
  "title",
  "default",
  "examples",
  ...LOWER,
  ...UPPER,
]);

/** Direction: "input" breaks when the live schema accepts less; "output" when it may produce more. */
type Dir = "input" | "output";

function compareSchema(
  before: Obj,
  after: Obj,
  path: string,
  dir: Dir,
  out: (cls: DriftClass, code: string, detail: string) => void,
  depth: number,
): void {
  if (depth > MAX_SCHEMA_DEPTH) throw new SchemaTooDeep(`schema nested deeper than ${MAX_SCHEMA_DEPTH} levels`);
  // Fewer accepted values in an input, or more possible values in an output: breaking.
  const narrower = (fewer: boolean) => ((dir === "input") === fewer ? "breaking" : "info");
  const label = where(path);
  const tb = types(before),
    ta = types(after);
  if (!same(tb, ta)) {
    const lost = tb ? (ta ? tb.filter((t) => !accepts(ta, t)) : []) : ["any"];
    const gained = ta ? (tb ? ta.filter((t) => !accepts(tb, t)) : []) : ["any"];
    if (lost.length)
      out(
        narrower(true),
        dir === "input" ? "type-narrowed" : "output-type-changed",
        `${label} type ${JSON.stringify(tb ?? "any")} → ${JSON.stringify(ta ?? "any")}`,
      );
    else if (gained.length)
      out(
        narrower(false),
        dir === "input" ? "type-widened" : "output-type-changed",
        `${label} type ${JSON.stringify(tb ?? "any")} → ${JSON.stringify(ta ?? "any")}`,
      );
  }
  for (const key of ["enum", "const"] as const) {
    const eb = before[key] === undefined ? undefined : key === "const" ? [before[key]] : (before[key] as Json[]);
    const ea = after[key] === undefined ? undefined : key === "const" ? [after[key]] : (after[key] as Json[]);
    if (same(eb, ea)) continue;
    const removed = eb && ea ? eb.filter((v) => !ea.some((w) => same(v, w))) : ea ? ["(unrestricted)"] : [];
    const added = eb && ea ? ea.filter((v) => !eb.some((w) => same(v, w))) : eb ? ["(unrestricted)"] : [];
    if (removed.length)
      out(
        narrower(true),
        dir === "input" ? "enum-value-removed" : "output-enum-changed",
        `${label} no longer allows ${removed.map((v) => JSON.stringify(v)).join(", ")}`,
      );
    if (added.length)
      out(
        narrower(false),
        dir === "input" ? "enum-value-added" : "output-enum-changed",
        `${label} now allows ${added.map((v) => JSON.stringify(v)).join(", ")}`,
      );
  }
  for (const k of [...LOWER, ...UPPER]) {
    const b = before[k],
      a = after[k];
    if (same(b, a)) continue;
    const tighter =
      a !== undefined &&
      (b === undefined || (LOWER.includes(k) ? (a as number) > (b as number) : (a as number) < (b as number)));
    out(
      narrower(tighter),
      tighter ? "constraint-tightened" : "constraint-loosened",
      `${label} ${k} ${b ?? "none"} → ${a ?? "none"}`,
    );
  }
  for (const k of ["pattern", "format"]) {
    if (same(before[k], after[k])) continue;
    const tighter = after[k] !== undefined;
    out(
      narrower(tighter),
      tighter ? "constraint-tightened" : "constraint-loosened",
      `${label} ${k} ${JSON.stringify(before[k] ?? null)} → ${JSON.stringify(after[k] ?? null)}`,
    );
  }
  if (!same(before.additionalProperties, after.additionalProperties) && after.additionalProperties === false)
    out(narrower(true), "closed-to-extra-properties", `${label} no longer accepts extra properties`);
  else if (!same(before.additionalProperties, after.additionalProperties) && before.additionalProperties === false)
    out(narrower(false), "open-to-extra-properties", `${label} now accepts extra properties`);
  for (const k of ["description", "title", "default", "examples"])
    if (path && !same(before[k], after[k])) out("warning", `argument-${k}-changed`, `${label} ${k} changed`);

  const pb = obj(before.properties),
    pa = obj(after.properties);
  const rb = new Set((before.required as string[] | undefined) ?? []),
    ra = new Set((after.required as string[] | undefined) ?? []);
  const child = (k: string) => (path ? `${path}.${k}` : k);
  for (const k of Object.keys(pb)) {
    if (!(k in pa))
      out(
        dir === "input" || rb.has(k) ? "breaking" : "warning",
        dir === "input" ? "argument-removed" : "output-field-removed",
        `${where(child(k))} removed`,
      );
    else compareSchema(obj(pb[k]), obj(pa[k]), child(k), dir, out, depth + 1);
  }
  for (const k of Object.keys(pa))
    if (!(k in pb) && !(dir === "input" && ra.has(k)))
      out("info", dir === "input" ? "optional-argument-added" : "output-field-added", `${where(child(k))} added`);
  for (const k of ra)
    if (!rb.has(k) && dir === "input")
      out(
        "breaking",
        "required-added",
        `${k in pb ? `${where(child(k))} is now required` : `new required ${where(child(k))}`}`,
      );
  for (const k of rb)
    if (!ra.has(k) && k in pa)
      out(
        dir === "input" ? "info" : "breaking",
        dir === "input" ? "required-removed" : "output-field-optional",
        `${where(child(k))} is no longer required`,
      );
  if (before.items !== undefined || after.items !== undefined)
    compareSchema(obj(before.items), obj(after.items), `${path || "(root)"}[]`, dir, out, depth + 1);

  const other = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => !HANDLED.has(k) && !same(before[k], after[k]),
  );
  if (other.length)
    out("warning", "schema-changed", `${label} ${other.join(", ")} changed (not classified: review it)`);
}

/** Annotations whose turning on restricts what a careful caller may do. */
const ANNOTATION_BREAKS: Record<string, (before: Json | undefined, after: Json | undefined) => boolean> = {
  destructiveHint: (b, a) => a === true && b !== true,
};

export function classifyTool(name: string, before: ToolSnapshot, after: ToolSnapshot): DriftChange[] {
  const changes: DriftChange[] = [];
  const out = (cls: DriftClass, code: string, detail: string) => changes.push({ tool: name, class: cls, code, detail });
  if (!same(before.description ?? null, after.description ?? null))
    out("warning", "description-changed", "description changed");
  const ab = before.annotations ?? {},
    aa = after.annotations ?? {};
  for (const k of [...new Set([...Object.keys(ab), ...Object.keys(aa)])].sort()) {
    if (same(ab[k], aa[k])) continue;
    if (ANNOTATION_BREAKS[k]?.(ab[k], aa[k])) out("breaking", "destructive-hint-on", `${k} turned on`);
    else
      out("warning", "annotation-changed", `${k} ${JSON.stringify(ab[k] ?? null)} → ${JSON.stringify(aa[k] ?? null)}`);
  }
  compareSchema(obj(before.inputSchema), obj(after.inputSchema), "", "input", out, 0);
  if (before.outputSchema !== undefined && after.outputSchema === undefined)
    out("breaking", "output-schema-removed", "output schema removed");
  else if (before.outputSchema === undefined && after.outputSchema !== undefined)
    out("info", "output-schema-added", "output schema added");
  else if (before.outputSchema !== undefined) {
    compareSchema(
      obj(before.outputSchema),
      obj(after.outputSchema),
      "",
      "output",
      (cls, code, detail) => out(cls, code, `output ${detail.replace(/^argument /, "field ")}`),
      0,
    );
  }
  return changes;
}

/** Every difference between the recorded tools and the live ones, in a stable order. */
export function classifyDrift(locked: LockedTools, live: LockedTools): DriftChange[] {
  const changes: DriftChange[] = [];
  for (const name of Object.keys(locked).sort()) {
    if (!(name in live)) changes.push({ tool: name, class: "breaking", code: "tool-removed", detail: "tool removed" });
    else changes.push(...classifyTool(name, normaliseSnapshot(locked[name]!), live[name]!));
  }
  for (const name of Object.keys(live).sort())
    if (!(name in locked)) changes.push({ tool: name, class: "info", code: "tool-added", detail: "new tool" });
  return changes;
}

/** A lock file written by hand or by an older version is normalised the same way as live tools. */
function normaliseSnapshot(s: ToolSnapshot): ToolSnapshot {
  return normalise(s) as unknown as ToolSnapshot;
}

export function driftCounts(changes: DriftChange[]): { breaking: number; warning: number; info: number } {
  return {
    breaking: changes.filter((c) => c.class === "breaking").length,
    warning: changes.filter((c) => c.class === "warning").length,
    info: changes.filter((c) => c.class === "info").length,
  };
}
