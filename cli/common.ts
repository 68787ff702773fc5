/** Shared CLI plumbing: option parsing that turns bad input into exit code 2, and output helpers. */
import pc from "picocolors";
import { isRealDate, todayUtc } from "../model/dates.js";
import { formatDiagnostic, type Diagnostic } from "../model/diagnostics.js";
import { DURATION_PATTERN, durationMs, formatDuration } from "../model/duration.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { getVerbosity } from "../util/progress.js";
import { escapeTerminal } from "../util/terminal-escape.js";

export const EXIT_OK = 0;
export const EXIT_GATE = 1;
export const EXIT_INPUT = 2;

/** Thrown for usage errors; main() prints the message and exits 2 without a stack trace. */
export { UsageError } from "../util/usage-error.js";
import { UsageError } from "../util/usage-error.js";

export { version } from "../util/version.js";

export function parseNow(value: string | undefined): string {
  if (value === undefined) return todayUtc();
  if (!isRealDate(value))
    throw new UsageError(
      `--now must be a real date as YYYY-MM-DD (got ${JSON.stringify(value)})`,
      "Example: --now 2026-11-24",
    );
  return value;
}

export function parseIntOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

const DURATION_RE = new RegExp(DURATION_PATTERN);

/**
 * A time on the command line: a duration with units (500ms, 5s, 1m30s), like the manifests'. With
 * `plainMs` a bare number is milliseconds too (--timeout took milliseconds before it took units).
 */
export function parseDurationOption(
  name: string,
  value: string | undefined,
  maxMs: number,
  opts: { plainMs?: boolean } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const ms = opts.plainMs && /^[0-9]+$/.test(value) ? Number(value) : DURATION_RE.test(value) ? durationMs(value) : NaN;
  if (!(ms >= 1 && ms <= maxMs)) {
    throw new UsageError(
      `${name} must be a duration from 1ms to ${formatDuration(maxMs)} such as 500ms, 5s or 2m${opts.plainMs ? " (a plain number is milliseconds)" : ""} (got ${JSON.stringify(value)})`,
      `Example: ${name} 5s`,
    );
  }
  return ms;
}

export function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`${name} must be one of ${choices.join(", ")} (got ${JSON.stringify(value)})`);
  return value as T;
}

export function printDiagnostics(diags: readonly Diagnostic[], stream: NodeJS.WritableStream = process.stderr): void {
  for (const d of diags) stream.write(`${formatDiagnostic(d)}\n`);
}

/** `FMT` or `FMT=FILE`, as used by --format on check and probe. */
export interface FormatTarget<F extends string> {
  format: F;
  file?: string;
}

export function parseFormats<F extends string>(
  values: string[] | undefined,
  choices: readonly F[],
  fallback: F,
): FormatTarget<F>[] {
  const list = values && values.length > 0 ? values : [fallback];
  const out: FormatTarget<F>[] = [];
  let stdoutTaken = false;
  for (const v of list) {
    const eq = v.indexOf("=");
    const format = parseChoice("--format", eq < 0 ? v : v.slice(0, eq), choices);
    const file = eq < 0 ? undefined : v.slice(eq + 1);
    if (file === "") throw new UsageError(`--format ${format}= needs a file name after '='`);
    if (!file) {
      if (stdoutTaken)
        throw new UsageError("only one --format may print to standard output; give the others a file (FMT=FILE)");
      stdoutTaken = true;
    }
    out.push(file ? { format, file } : { format });
  }
  return out;
}

/**
 * Standard output, or FILE through writeFileAtomic (`-` is standard output too). Every file written
 * is said on standard error (`tollgate: wrote FILE`), except with --quiet.
 */
export async function emit(target: { file?: string }, text: string | Uint8Array): Promise<void> {
  if (!target.file) {
    process.stdout.write(text);
    return;
  }
  await writeFileAtomic(target.file, text);
  if (target.file !== "-" && getVerbosity() !== "quiet")
    process.stderr.write(`tollgate: wrote ${escapeTerminal(target.file)}\n`);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export type Colors = ReturnType<typeof pc.createColors>;

let colorOverride: boolean | undefined;

/** --no-color: set once by the CLI before a command runs. */
export function setColorOverride(on: boolean | undefined): void {
  colorOverride = on;
}

/**
 * Whether a terminal stream gets colour: --no-color and NO_COLOR (any non-empty value) turn it
 * off, FORCE_COLOR turns it on (FORCE_COLOR=0 or false off), else on a terminal that is not dumb, and in CI logs (they render colour).
 */
export function colorEnabled(
  stream: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (colorOverride !== undefined) return colorOverride;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return !["0", "false"].includes(env.FORCE_COLOR.toLowerCase());
  return (stream.isTTY === true && env.TERM !== "dumb") || !!env.CI;
}

/** Colour for standard output when the terminal supports it; never in files. */
export function colorsFor(target: { file?: string }, stream: { isTTY?: boolean } = process.stdout): Colors {
  return pc.createColors(!target.file && colorEnabled(stream));
}
