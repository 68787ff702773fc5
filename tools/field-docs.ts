/**
 * The field tables of docs/manifests.md, generated from the zod schema (through its JSON Schema):
 * field, type, required, default, description for every section, tollgate.yaml and waivers.yaml.
 * `npm run docs` rewrites the block between the markers; a test fails when it is stale.
 */
import { DURATION_PATTERN } from "../model/duration.js";
import { jsonSchemaFor } from "./json-schema.js";

export const BEGIN = "<!-- BEGIN GENERATED FIELD TABLES: npm run build && npm run docs -->";
export const END = "<!-- END GENERATED FIELD TABLES -->";

type Json = Record<string, any>;
interface Row {
  field: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const isRecord = (s: Json) => s.type === "object" && !s.properties && typeof s.additionalProperties === "object";
const isObject = (s: Json) => s.type === "object" && !!s.properties;

function typeOf(s: Json): string {
  if (s.anyOf) return (s.anyOf as Json[]).map(typeOf).join(" or ");
  if (s.enum) return (s.enum as unknown[]).map((v) => `\`${String(v)}\``).join(", ");
  if (s.const !== undefined) return `\`${String(s.const)}\``;
  if (Array.isArray(s.type)) return s.type.join(" or ");
  if (s.type === "string" && s.pattern === DURATION_PATTERN) return "duration";
  if (s.type === "string" && s.format === "date") return "date";
  if (s.type === "array") return `list of ${s.items ? typeOf(s.items) : "any"}`;
  if (isRecord(s)) return `map of ${typeOf(s.additionalProperties)}`;
  if (isObject(s)) return "object";
  return s.type ?? "any";
}

function constraints(s: Json): string {
  const out: string[] = [];
  if (s.maximum === Number.MAX_SAFE_INTEGER) s = { ...s, maximum: undefined };
  if (s.minimum !== undefined && s.maximum !== undefined) out.push(`${s.minimum}–${s.maximum}`);
  else if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  else if (s.maximum !== undefined) out.push(`≤ ${s.maximum}`);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.minItems) out.push(`at least ${s.minItems}`);
  return out.join(", ");
}

function describeField(s: Json): string {
  const text = s.type === "string" && s.pattern === DURATION_PATTERN ? "" : (s.description ?? "");
  const c = constraints(s);
  return [text, c && `(${c})`].filter(Boolean).join(" ");
}

/** One row per field, nested objects flattened with dots and maps written as `<name>`. */
function rows(s: Json, prefix: string, out: Row[]): Row[] {
  const required = new Set<string>(s.required ?? []);
  for (const [key, child] of Object.entries<Json>(s.properties ?? {})) {
    const field = `${prefix}${key}`;
    out.push({
      field,
      type: typeOf(child),
      required: required.has(key),
      ...(child.default !== undefined ? { default: child.default } : {}),
      description: describeField(child),
    });
    if (isObject(child)) rows(child, `${field}.`, out);
    else if (isRecord(child) && isObject(child.additionalProperties))
      rows(child.additionalProperties, `${field}.<name>.`, out);
    else if (child.type === "array" && child.items && isObject(child.items)) rows(child.items, `${field}[].`, out);
  }
  return out;
}

function table(rs: Row[]): string {
  const lines = ["| field | type | required | default | description |", "|---|---|---|---|---|"];
  for (const r of rs)
    lines.push(
      `| \`${cell(r.field)}\` | ${cell(r.type)} | ${r.required ? "yes" : "no"} | ${r.default === undefined ? "" : `\`${cell(JSON.stringify(r.default))}\``} | ${cell(r.description)} |`,
    );
  return lines.join("\n");
}

export function renderFieldTables(): string {
  const parts: string[] = [
    BEGIN,
    "",
    "Generated from the zod schema (`model/schema.ts`). *required* is relative to the enclosing object; `<name>` stands for a map key. Durations are described above.",
    "",
  ];
  const manifest = jsonSchemaFor("manifest.schema.json") as Json;
  for (const [section, s] of Object.entries<Json>(manifest.properties)) {
    parts.push(`### \`${section}.<name>\``, "", table(rows(s.additionalProperties, "", [])), "");
  }
  parts.push("### `tollgate.yaml`", "", table(rows(jsonSchemaFor("config.schema.json") as Json, "", [])), "");
  parts.push("### `waivers.yaml`", "", table(rows(jsonSchemaFor("waivers.schema.json") as Json, "", [])), "", END);
  return parts.join("\n");
}

/** The document with the generated block replaced (appended when the markers are missing). */
export function spliceFieldTables(doc: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) return `${doc.replace(/\n*$/, "\n\n")}## Fields\n\n${renderFieldTables()}\n`;
  return `${doc.slice(0, start)}${renderFieldTables()}${doc.slice(end + END.length)}`;
}
