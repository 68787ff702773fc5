/**
 * Encodings for the generated files whose grammar is not YAML or JSON (those are written by their
 * libraries): a shell word on a crontab line, and literal text in a Go template (Prometheus
 * annotations, Alertmanager's templated fields). Control characters never get here: `validate`
 * refuses them in every value that lands on one line (model/output-grammar.ts).
 */

const PLAIN = /^[A-Za-z0-9_./=:@,-]+$/;
/** Words the shell reads as syntax in command position. */
const RESERVED = new Set([
  "!",
  "{",
  "}",
  "case",
  "do",
  "done",
  "elif",
  "else",
  "esac",
  "fi",
  "for",
  "if",
  "in",
  "then",
  "until",
  "while",
]);

/**
 * One word for `sh -c` as cron runs it. Cron reads the line before the shell: an unescaped `%`
 * ends the command (the rest becomes its standard input) and `\%` is a literal `%`, whatever
 * the shell quoting. So each `%` stands outside single quotes as `\%` (never right after a
 * backslash, which cron would take as the escape), and the rest is single-quoted.
 */
export function cronShellWord(s: string, commandPosition = false): string {
  if (PLAIN.test(s) && !(commandPosition && (s.includes("=") || RESERVED.has(s)))) return s;
  if (s === "") return "''";
  return s
    .split("%")
    .map((part) => (part === "" ? "" : `'${part.replace(/'/g, "'\\''")}'`))
    .join("\\%");
}

/**
 * Text that a Go template (text/template) renders as itself: every `{{` becomes the action
 * `{{ "{{" }}`. `}}` outside an action is plain text. Splitting at the leftmost `{{` means the
 * text before an inserted action never ends in `{`, so no new delimiter forms across the seam.
 */
export function goTemplateLiteral(s: string): string {
  return s.split("{{").join('{{ "{{" }}');
}

/** What Go renders from goTemplateLiteral's output (for promtool's expected annotations). */
export function goTemplateRendered(s: string): string {
  return s.split('{{ "{{" }}').join("{{");
}

/**
 * A string that Terraform reads as itself. Terraform's JSON syntax treats string values as
 * templates (`${…}` interpolation, `%{…}` directives, which can call functions such as `file()`),
 * and cdktf passes them through raw; `$${` and `%%{` are its escapes for the literal sequences.
 */
export function terraformLiteral(s: string): string {
  return s.replace(/\$\{/g, () => "$${").replace(/%\{/g, "%%{");
}
