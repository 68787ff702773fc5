/**
 * Problems the user caused are data, not exceptions. Every one carries a stable code
 * (documented in docs/diagnostics.md) and a location.
 */
import { escapeTerminal } from "../util/terminal-escape.js";

export type Severity = "error" | "warning" | "note";

export const DIAGNOSTIC_CODES = {
  "yaml-syntax": "The file is not valid YAML.",
  "yaml-duplicate-key": "A mapping repeats a key.",
  "yaml-tab-indent": "Tabs are used for indentation.",
  "yaml-alias-limit": "Too many aliases are expanded (a possible alias bomb).",
  "yaml-multiple-documents": "A manifest file holds more than one YAML document.",
  "file-empty": "The file is empty or holds only comments.",
  "file-too-large": "The file is over the size limit.",
  "file-encoding": "The file is not valid UTF-8.",
  "file-outside-root": "A symlink points outside the project root.",
  "file-unreadable": "The file could not be read.",
  "path-outside-root": "A path configured in tollgate.yaml resolves outside the project root.",
  "path-not-found": "A path configured in tollgate.yaml does not exist or is not a folder.",
  "symlink-broken": "A symlink is dangling or loops.",
  "yaml-unsupported-tag": "A YAML tag other than the core schema's (such as !!omap, !!set or a custom tag).",
  "yaml-undefined-alias": "An alias names an anchor that is not defined before it.",
  "nesting-too-deep": "The document nests deeper than allowed.",
  "forbidden-key": "A key such as __proto__ or constructor is not allowed.",
  "unknown-key": "A key is not part of the schema.",
  "missing-field": "A required field is absent.",
  "invalid-type": "A value has the wrong type.",
  "invalid-value": "A value is outside what the schema allows.",
  "invalid-name": "A name does not follow the naming rule for its kind.",
  "invalid-date": "A date does not exist on the calendar or is not YYYY-MM-DD.",
  "duration-too-long": "A timeout or delay is longer than its limit (a timer over 24.8 days would fire at once).",
  "invalid-regex": "A pattern such as expect.bodyMatches is not a valid regular expression.",
  "signature-fixed-by-profile":
    "A webhook sets a signature field its provider profile fixes (header, encoding, prefix, timestampHeader, signedPayload, idempotency.keyHeader).",
  "invalid-url":
    "A URL has a % that does not start a %XX escape (Alertmanager and Prometheus would refuse the generated config).",
  "control-character":
    "A value written into one line of generated config (crontab, URL, path, address) holds a newline or another control character.",
  "date-in-future": "A last-rotated date lies more than one day after --now.",
  "date-ahead-of-now":
    "A last-rotated date lies one day after --now: accepted (a local date east of UTC), reported as a note.",
  "duplicate-name": "Two files declare the same name.",
  "unresolved-reference": "A reference names something that is not declared.",
  "dependency-cycle": "dependsOn forms a cycle.",
  "secret-value": "A secret value appears in a manifest.",
  "no-manifests": "No manifest files were found under the root.",
  "unknown-policy": "tollgate.yaml configures a policy id that does not exist.",
  "invalid-policy-options": "A policy's options in tollgate.yaml do not match its options schema.",
  "custom-policy-invalid": "A custom policy module could not be loaded or does not export a valid policy.",
  "custom-policy-failed":
    "A custom policy module did not finish loading (top-level await that never settles, process.exit, a crash, a time limit), or its check threw, rejected, exited, reported a malformed finding or ran past its time limit.",
  "report-failed": "A reporter could not render its --format output (a bug); every other output was still written.",
  "invalid-option": "A command-line option is unknown, lacks its value or has an invalid one.",
  "unknown-command": "The command line names a command tollgate does not have.",
  "output-unwritable":
    "An output file or folder cannot be written (not a file, no permission, not Tollgate's, in use).",
  "no-project": "No tollgate.yaml (or manifests/ folder) in the working directory or any folder above it.",
  "unknown-environment": "--env names an environment the manifests do not declare.",
  "git-error": "A git ref could not be read.",
  "base-invalid": "The project at the --base ref has a tollgate.yaml but does not load.",
  "init-file-exists":
    "tollgate init would write a file that already exists (nothing is written; every such file is listed).",
  "init-not-a-folder": "tollgate init needs a folder where a file (or a dangling symlink) is.",
  "mcp-lock-invalid":
    "mcp-tools.lock.yaml is not a lock file `tollgate mcp-tools --write` wrote (not a regular file, not YAML, or not its shape).",
  "init-path-outside": "A folder tollgate init would write into is a symlink that leads outside the target folder.",
  "alerts-unrouted":
    "synth (warning): alerts of a severity reach no receiver in an environment; Alertmanager sends them to the null receiver.",
  "shard-empty": "synth (warning): a Prometheus shard of the exporter path gets no service to probe.",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  hint: string;
  file: string;
  line: number;
  col: number;
}

export function sortDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return diags.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.col - b.col ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** `file:line:col code message` with the hint on the next line, as the guide asks; input text escaped. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${escapeTerminal(d.file)}:${d.line}:${d.col} ${d.code} ${escapeTerminal(d.message)}\n  hint: ${escapeTerminal(d.hint)}`;
}
