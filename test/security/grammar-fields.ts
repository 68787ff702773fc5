/**
 * Every string field of tollgate.yaml, the waivers file and a manifest, found by walking the
 * committed JSON Schemas (generated from the zod schema, so a new field shows up here by itself),
 * and the place of each in a fixture organization that uses them all.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isSeq, parseDocument, stringify, type Node } from "yaml";
import { REPO } from "../helpers/project.js";

/** "*": any key of a mapping; "[]": any item of a list. */
export type Seg = string;
export interface Field {
  file: string;
  schema: string;
  /** Schema path; `key: true` means the mapping key at the last "*" is the string. */
  path: Seg[];
  key: boolean;
}

const FILES = [
  { file: "tollgate.yaml", schema: "config.schema.json" },
  { file: "waivers.yaml", schema: "waivers.schema.json" },
  { file: "manifests/all.yaml", schema: "manifest.schema.json" },
];

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
};

function walk(node: JsonSchema, at: Seg[], out: { path: Seg[]; key: boolean }[]): void {
  for (const o of node.anyOf ?? []) walk(o, at, out);
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  if (types.includes("string") || node.enum?.some((v) => typeof v === "string")) out.push({ path: at, key: false });
  for (const [k, v] of Object.entries(node.properties ?? {})) walk(v, [...at, k], out);
  if (node.additionalProperties && typeof node.additionalProperties === "object") {
    out.push({ path: [...at, "*"], key: true });
    walk(node.additionalProperties, [...at, "*"], out);
  }
  if (node.items) walk(node.items, [...at, "[]"], out);
}

export function stringFields(): Field[] {
  const seen = new Set<string>();
  const fields: Field[] = [];
  for (const { file, schema } of FILES) {
    const found: { path: Seg[]; key: boolean }[] = [];
    walk(JSON.parse(readFileSync(path.join(REPO, "schemas", schema), "utf8")) as JsonSchema, [], found);
    for (const f of found) {
      const id = `${file}:${f.path.join(".")}:${f.key}`;
      if (seen.has(id)) continue;
      seen.add(id);
      fields.push({ file, schema, ...f });
    }
  }
  return fields;
}

export const fieldName = (f: Field) => `${f.file} ${f.path.join(".")}${f.key ? " (key)" : ""}`;

/** The first concrete path in `doc` that the schema path matches and that holds a string there. */
export function instanceOf(doc: unknown, f: Field): (string | number)[] | undefined {
  const find = (v: unknown, rest: Seg[], at: (string | number)[]): (string | number)[] | undefined => {
    if (rest.length === 0) return typeof v === "string" ? at : undefined;
    const [seg, ...tail] = rest as [Seg, ...Seg[]];
    if (seg === "[]") {
      if (!Array.isArray(v)) return undefined;
      for (let i = 0; i < v.length; i++) {
        const r = find(v[i], tail, [...at, i]);
        if (r) return r;
      }
      return undefined;
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    const o = v as Record<string, unknown>;
    if (seg === "*") {
      for (const k of Object.keys(o)) {
        const r = f.key && tail.length === 0 ? [...at, k] : find(o[k], tail, [...at, k]);
        if (r) return r;
      }
      return undefined;
    }
    return seg in o ? find(o[seg], tail, [...at, seg]) : undefined;
  };
  return find(doc, f.path, []);
}

/** A copy of `doc` with the string at `at` (or the key at `at`) replaced. */
export function withValue(doc: unknown, at: (string | number)[], f: Field, value: string): unknown {
  const copy = structuredClone(doc) as any;
  let parent = copy;
  for (const seg of at.slice(0, -1)) parent = parent[seg];
  const last = at[at.length - 1]!;
  if (f.key) {
    // Rebuilt in order, so the renamed key stays where it was.
    const entries = Object.entries(parent).map(([k, v]) => (k === last ? [value, v] : [k, v]));
    for (const k of Object.keys(parent)) delete parent[k];
    for (const [k, v] of entries) parent[k as string] = v;
  } else parent[last] = value;
  return copy;
}

export const toYaml = (doc: unknown) => stringify(doc, { lineWidth: 0 });

/** 1-based lines of the key and of the value at `at` in `text` (a key rename: pass the new key). */
export function linesOf(text: string, at: (string | number)[]): number[] {
  const doc = parseDocument(text);
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length;
  let node: unknown = doc.contents;
  let lines: number[] = [];
  for (const seg of at) {
    if (isSeq(node)) {
      const item = node.items[seg as number] as Node;
      lines = [lineAt(item.range![0])];
      node = item;
    } else if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as any)?.value === seg)!;
      lines = [
        lineAt((pair.key as Node).range![0]),
        ...((pair.value as Node | null)?.range ? [lineAt((pair.value as Node).range![0])] : []),
      ];
      node = pair.value;
    } else throw new Error(`no node at ${at.join(".")}`);
  }
  return lines;
}
