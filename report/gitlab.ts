/**
 * GitLab Code Quality report (the `codequality` artifact) so merge requests show findings inline:
 * an array of {description, check_name, fingerprint, severity, location: {path, lines: {begin}}}.
 * Paths are relative to the repository root (git top level, else --root), like SARIF. Waived
 * findings are left out (the format has no suppressions); input diagnostics (exit 2) are issues
 * too, as blockers, so a merge request shows why nothing was evaluated.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { Report } from "../policies/engine.js";
import { escapeControls } from "./format.js";

const SEVERITY = { error: "major", warning: "minor", note: "info" } as const;

export type GitlabSeverity = "info" | "minor" | "major" | "critical" | "blocker";

export interface GitlabIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitlabSeverity;
  location: { path: string; lines: { begin: number } };
}

export interface GitlabOptions {
  /** Absolute path of the repository root; defaults to the working directory. */
  srcRoot?: string;
  /** Absolute folder the report's file paths are relative to (the working directory). */
  cwd?: string;
}

// Pseudo files such as `<command line>` have no path in the repository: GitLab still needs one.
const relativePath = (file: string, srcRoot: string, cwd: string) =>
  file.startsWith("<") ? file : path.relative(srcRoot, path.resolve(cwd, file)).split(path.sep).join("/");

const hash = (...parts: (string | number)[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex");

export function renderGitlab(report: Report, opts: GitlabOptions = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  const srcRoot = path.resolve(opts.srcRoot ?? cwd);
  const issues: GitlabIssue[] = [
    ...(report.diagnostics ?? []).map((d) => ({
      description: escapeControls(`${d.message} (hint: ${d.hint})`),
      check_name: d.code,
      // Stable across runs: what and where, never the time.
      fingerprint: hash("diagnostic", d.code, d.file, d.line, d.col, d.message),
      severity: (d.severity === "error" ? "blocker" : d.severity === "warning" ? "minor" : "info") as GitlabSeverity,
      location: { path: relativePath(d.file, srcRoot, cwd), lines: { begin: Math.max(1, d.line) } },
    })),
    ...report.findings
      .filter((f) => !f.waived)
      .map((f) => ({
        description: escapeControls(`${f.subject}: ${f.message}`),
        check_name: f.ruleId,
        // The finding's own fingerprint (rule, subject, key) survives edits elsewhere in the file.
        fingerprint: hash("finding", f.fingerprint),
        severity: SEVERITY[f.severity] as GitlabSeverity,
        location: { path: relativePath(f.location.file, srcRoot, cwd), lines: { begin: Math.max(1, f.location.line) } },
      })),
  ];
  return `${JSON.stringify(issues, null, 2)}\n`;
}
