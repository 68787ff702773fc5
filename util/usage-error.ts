/**
 * A problem the user caused on the command line or with a path: main() prints it as the one
 * diagnostic format (`<command line>:1:1 code message` + hint) and exits 2, no stack trace.
 */
import type { Diagnostic, DiagnosticCode } from "../model/diagnostics.js";

export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly code: DiagnosticCode = "invalid-option",
  ) {
    super(message);
  }
}

/** Where command-line problems are reported: the command line itself, as one line. */
export const COMMAND_LINE = "<command line>";

export function commandLineDiagnostic(code: DiagnosticCode, message: string, hint: string): Diagnostic {
  return { code, severity: "error", message, hint, file: COMMAND_LINE, line: 1, col: 1 };
}

/** A UsageError as a diagnostic; `command` names the subcommand for the default hint. */
export function usageDiagnostic(e: UsageError, command?: string): Diagnostic {
  return commandLineDiagnostic(
    e.code,
    e.message,
    e.hint ?? `Run tollgate ${command ? `${command} ` : ""}--help for the options.`,
  );
}
