/**
 * What `validate` refuses because a generated file could not carry it. Values are encoded for each
 * file's grammar where an encoding exists (infra/generate/encode.ts: shell and cron quoting, Go
 * template literals; YAML and JSON by their libraries). A control character in a value that lands
 * on one line has none: cron ends a command at a newline whatever the shell quoting, and
 * Alertmanager, Prometheus and Kubernetes refuse it in URLs, paths and addresses.
 */
import { z } from "zod";

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** `\n`, `\t` or `U+001B`: how the message names the character (the value itself is never echoed). */
function describeChar(c: string): string {
  const named: Record<string, string> = {
    "\n": "a newline (\\n)",
    "\r": "a carriage return (\\r)",
    "\t": "a tab (\\t)",
  };
  return named[c] ?? `the control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

export function controlCharacterProblem(v: string): string | undefined {
  const m = CONTROL.exec(v);
  return m
    ? `contains ${describeChar(m[0])} at character ${m.index + 1}; it is written into one line of generated config (a crontab line, a URL or path)`
    : undefined;
}

/** A zod refinement: the located diagnostic `control-character`. */
export function refuseControlCharacters(v: string, ctx: z.RefinementCtx<string>): void {
  const problem = controlCharacterProblem(v);
  if (problem) {
    ctx.addIssue({
      code: "custom",
      message: problem,
      params: {
        diagnostic: "control-character",
        hint: "Write the value on one line without control characters; a newline in a crontab value would start a new cron job.",
      },
      input: v,
    });
  }
}

/**
 * runtime.workdir, textfileDir and stateDir: Kubernetes mounts and working directories are absolute,
 * and in the crontab a relative path would depend on the cron user's home (and `-` on `cd`'s history).
 */
export function requireAbsolutePath(v: string, ctx: z.RefinementCtx<string>): void {
  if (!v.startsWith("/"))
    ctx.addIssue({
      code: "custom",
      message: "must be an absolute path (starting with /)",
      params: {
        hint: "Kubernetes mounts and working directories are absolute, and cron would resolve a relative path from the cron user's home.",
      },
      input: v,
    });
}

/**
 * URLs go to Alertmanager and Prometheus, which parse them with Go's net/url: a `%` that does not
 * start a `%XX` escape makes the whole config fail to load (`invalid URL escape`).
 */
export function refuseBadPercentEscapes(v: string, ctx: z.RefinementCtx<string>): void {
  const bad = /%(?![0-9A-Fa-f]{2})/.exec(v);
  if (bad)
    ctx.addIssue({
      code: "custom",
      message: `has a % at character ${bad.index + 1} that does not start a %XX escape`,
      params: {
        diagnostic: "invalid-url",
        hint: "Write a literal % as %25: Alertmanager and Prometheus refuse a URL with a bare %.",
      },
      input: v,
    });
}

/** The same rules as JSON Schema patterns, so editors and ajv agree with `validate` (tools/json-schema.ts). */
export const GRAMMAR_PATTERNS = z.registry<{ pattern: string }>();
const C = "\\u0000-\\u001f\\u007f-\\u009f";

/** A value written on one line of generated config. */
export function oneLine(s: z.ZodString): z.ZodString {
  const out = s.superRefine(refuseControlCharacters);
  GRAMMAR_PATTERNS.add(out, { pattern: `^[^${C}]*$` });
  return out;
}

/** A URL for Alertmanager, Prometheus and the probes: one line, every % an escape. */
export function urlText(s: z.ZodString): z.ZodString {
  const out = s.superRefine(refuseControlCharacters).superRefine(refuseBadPercentEscapes);
  GRAMMAR_PATTERNS.add(out, { pattern: `^(?:[^${C}%]|%[0-9A-Fa-f]{2})*$` });
  return out;
}

/** A runtime path: absolute, on one line. */
export function absolutePath(s: z.ZodString): z.ZodString {
  const out = s.superRefine(refuseControlCharacters).superRefine(requireAbsolutePath);
  GRAMMAR_PATTERNS.add(out, { pattern: `^/[^${C}]*$` });
  return out;
}
