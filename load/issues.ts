/**
 * A zod issue as a diagnostic at its file:line:col: the code, a message that names the field and
 * never quotes much input, and a hint (allowed keys, the closest value, the accepted format).
 */
import type { z } from "zod";
import { DURATION_PATTERN } from "../model/duration.js";
import type { DiagnosticCode } from "../model/diagnostics.js";
import { SECTION, type Section } from "../model/sections.js";
import { closest, didYouMean } from "../util/suggest.js";
import type { Collector } from "./collector.js";
import { locateIn, type SourceFile } from "./source-map.js";
import { knownKeys } from "./zod-paths.js";

export function hasPath(value: unknown, path: readonly (string | number)[]): boolean {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== "object" || !Object.prototype.hasOwnProperty.call(v, seg)) return false;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return true;
}

export function issueToDiagnostic(
  out: Collector,
  src: SourceFile,
  schema: z.ZodType,
  base: (string | number)[],
  issue: z.core.$ZodIssue,
  input: unknown,
): void {
  const rel = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)) as (string | number)[];
  const full = [...base, ...rel];
  const field = rel.length > 0 ? String(rel[rel.length - 1]) : base[base.length - 1];
  if (issue.code !== "unrecognized_keys" && rel.length > 0 && !hasPath(input, rel)) {
    const expected =
      issue.code === "invalid_type"
        ? ` (${issue.expected})`
        : issue.code === "invalid_value"
          ? ` (one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")})`
          : "";
    out.add("missing-field", locateIn(src, full), `\`${field}\` is required`, `Add \`${field}\`${expected}.`);
    return;
  }
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(schema, rel);
      for (const key of issue.keys) {
        const hint = didYouMean(key, known) ?? (known.length ? `allowed keys: ${known.join(", ")}` : undefined);
        out.add("unknown-key", locateIn(src, [...full, key]), `unknown key \`${clip(key)}\``, hint);
      }
      return;
    }
    case "invalid_type": {
      const loc = locateIn(src, full);
      const got = describeType((issue as any).input);
      out.add(
        "invalid-type",
        loc,
        `\`${field}\` must be ${article(issue.expected)}, got ${got}`,
        hintForType(issue.expected),
      );
      return;
    }
    case "invalid_format": {
      const loc = locateIn(src, full);
      if (issue.format === "date")
        out.add(
          "invalid-date",
          loc,
          `\`${field}\` is not a real calendar date`,
          "Use YYYY-MM-DD with a day that exists (e.g. 2025-02-28).",
        );
      else if (issue.format === "regex")
        out.add(
          "invalid-value",
          loc,
          `\`${field}\` does not match the expected format`,
          patternHint((issue as any).pattern),
        );
      else out.add("invalid-value", loc, `\`${field}\` is not a valid ${issue.format}`);
      return;
    }
    case "invalid_key": {
      out.add("invalid-name", locateIn(src, full), `name \`${field}\` is not allowed here`, nameHint(base, rel));
      return;
    }
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v)).join(", ");
      const suggestion =
        typeof (issue as any).input === "string" ? closest((issue as any).input, issue.values.map(String)) : undefined;
      out.add(
        "invalid-value",
        locateIn(src, full),
        `\`${field}\` must be one of ${values}`,
        suggestion ? `did you mean \`${suggestion}\`?` : undefined,
      );
      return;
    }
    case "too_small":
    case "too_big": {
      // An exclusive bound (positive(): > 0) is "more than", not "at least" the bound.
      const exclusive = issue.inclusive === false;
      const word =
        issue.code === "too_small" ? (exclusive ? "more than" : "at least") : exclusive ? "less than" : "at most";
      const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      out.add(
        "invalid-value",
        locateIn(src, full),
        `\`${field}\` must be ${word} ${String(issue.code === "too_small" ? issue.minimum : issue.maximum)}${unit}`,
      );
      return;
    }
    case "invalid_union":
      out.add(
        "invalid-type",
        locateIn(src, full),
        `\`${field}\` does not match any allowed form`,
        "See the schema for the accepted shapes.",
      );
      return;
    case "custom": {
      // Refinements in model/schema.ts name their own diagnostic code (duration-too-long, invalid-regex).
      const params = issue.params as { diagnostic?: DiagnosticCode; hint?: string } | undefined;
      out.add(
        params?.diagnostic ?? "invalid-value",
        locateIn(src, full),
        `\`${field}\`: ${issue.message}`,
        params?.hint,
      );
      return;
    }
    default:
      out.add("invalid-value", locateIn(src, full), `\`${field}\`: ${issue.message}`);
  }
}

/** Keys are quoted in messages; a long one (a pasted line) is cut so messages never carry much input. */
export function clip(key: string): string {
  return key.length > 64 ? `${key.slice(0, 64)}…` : key;
}

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return `a ${typeof v}`;
}
function article(t: string): string {
  if (t === "object") return "a mapping";
  if (t === "array") return "a list";
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}
function hintForType(expected: string): string | undefined {
  if (expected === "string") return "Quote the value if YAML reads it as a number, boolean or date.";
  if (expected === "number") return "Write a plain number without quotes or units.";
  if (expected === "boolean") return "Use true or false.";
  return undefined;
}
function patternHint(pattern: RegExp | string | undefined): string | undefined {
  const src = typeof pattern === "string" ? pattern : (pattern?.source ?? "");
  if (src.includes(DURATION_PATTERN))
    return "Write a duration such as 30s, 5m, 24h, 90d or 1m30s (units largest first).";
  if (src.startsWith("^[A-Z][A-Z0-9_]")) return "Secret names are UPPER_SNAKE_CASE.";
  if (src.startsWith("^[a-z0-9]")) return "Names are lower-case kebab-case (a-z, 0-9, -).";
  if (src.startsWith("^[A-Z_]")) return "Environment variable names are UPPER_SNAKE_CASE.";
  return undefined;
}
export function nameHint(base: (string | number)[], rel: (string | number)[]): string {
  const where = String(rel[0] ?? base[0]);
  return Object.hasOwn(SECTION, where) ? SECTION[where as Section].nameHint : SECTION.services.nameHint;
}
