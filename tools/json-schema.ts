/** JSON Schema for editors and ajv, generated from the zod source of truth (input side). */
import { z } from "zod";
import { PROJECT_URL } from "../util/project-url.js";
import { GRAMMAR_PATTERNS } from "../model/output-grammar.js";
import { ProjectConfig, WaiversFile } from "../model/schema.js";
import { ManifestFile } from "../model/sections.js";

export const SCHEMA_FILES = {
  "manifest.schema.json": { schema: ManifestFile, title: "Tollgate manifest" },
  "config.schema.json": { schema: ProjectConfig, title: "Tollgate project configuration (tollgate.yaml)" },
  "waivers.schema.json": { schema: WaiversFile, title: "Tollgate waivers" },
} as const;

export function jsonSchemaFor(name: keyof typeof SCHEMA_FILES): Record<string, unknown> {
  const { schema, title } = SCHEMA_FILES[name];
  const json = z.toJSONSchema(schema, {
    io: "input",
    target: "draft-7",
    unrepresentable: "any",
    // The output-grammar refinements, as patterns (zod cannot export a refinement).
    override: (ctx) => {
      const grammar = GRAMMAR_PATTERNS.get(ctx.zodSchema as unknown as z.ZodType);
      if (grammar) (ctx.jsonSchema as Record<string, unknown>).pattern = grammar.pattern;
    },
  }) as Record<string, unknown>;
  return { $id: schemaId(name), title, ...json };
}

/**
 * Each schema's $id: its file on the default branch, so the id is a URL that serves the schema.
 * Editors in an adopter's repository resolve the relative $schema path (node_modules/tollgate/schemas/).
 */
export function schemaId(name: keyof typeof SCHEMA_FILES): string {
  return `${PROJECT_URL.replace("https://github.com/", "https://raw.githubusercontent.com/")}/main/schemas/${name}`;
}

export function renderSchemas(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of Object.keys(SCHEMA_FILES) as (keyof typeof SCHEMA_FILES)[]) {
    out.set(name, `${JSON.stringify(jsonSchemaFor(name), null, 2)}\n`);
  }
  return out;
}
