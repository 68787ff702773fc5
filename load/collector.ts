/**
 * The loader's diagnostics collector: one report per code and position, positions from worker
 * threads filled in at the end, and every remembered secret value redacted from every message.
 */
import {
  DIAGNOSTIC_CODES,
  sortDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  type Severity,
} from "../model/diagnostics.js";
import { SecretSet } from "../redact/redact.js";
import { docsUrl } from "../util/project-url.js";
import type { FileOutput, ReaderConfig } from "./parse/parse-file.js";
import type { Location } from "./source-map.js";

/** Collects diagnostics and remembers secret values found, so no message can ever echo one. */
export class Collector implements FileOutput {
  readonly diagnostics: Diagnostic[] = [];
  private readonly secretValues = new Set<string>();

  private readonly seen = new Set<string>();

  /** Locations from worker-parsed files are filled in later; finish() copies them in. */
  private readonly locations = new Map<Diagnostic, Location>();

  add(code: DiagnosticCode, loc: Location, message: string, hint?: string, severity: Severity = "error"): void {
    // One report per code and position: two detectors may flag the same pasted value.
    const key = `${code}\u0000${loc.file}\u0000${loc.line}\u0000${loc.col}`;
    if (code === "secret-value" && loc.line > 0 && this.seen.has(key)) return;
    this.seen.add(key);
    const d: Diagnostic = {
      code,
      severity,
      message,
      hint: hint ?? `${DIAGNOSTIC_CODES[code]} See ${docsUrl("diagnostics.md", code)}`,
      file: loc.file,
      line: loc.line,
      col: loc.col,
    };
    if (loc.line === 0) this.locations.set(d, loc);
    this.diagnostics.push(d);
  }

  rememberSecret(value: string): void {
    if (value.length >= 4) this.secretValues.add(value);
  }

  /** A diagnostic already positioned elsewhere (a worker thread). */
  addRaw(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  /** Work that needs resolved positions (messages that quote another location). */
  readonly afterResolve: (() => void)[] = [];

  finish(): Diagnostic[] {
    for (const [d, loc] of this.locations) {
      d.line = loc.line;
      d.col = loc.col;
    }
    for (const fn of this.afterResolve) fn();
    if (this.secretValues.size > 0) {
      // By value as written, as decoded and in every escaped form (redact/redact.ts).
      const set = new SecretSet();
      for (const v of this.secretValues) set.add(v);
      for (const d of this.diagnostics) {
        d.message = set.redact(d.message);
        d.hint = set.redact(d.hint);
      }
    }
    return sortDiagnostics(this.diagnostics);
  }
}

export interface FileReader extends ReaderConfig {
  root: string;
  out: Collector;
  /** The configured waivers file once it passed the root check (undefined: not configured or refused). */
  waiversPath?: string | undefined;
}
