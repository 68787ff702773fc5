/**
 * infra/generate/encode.ts against the real readers: a crontab word goes through cron's `%` rule
 * (vixie cron/cronie) and a real /bin/sh, which must hand back exactly the string, for a table of
 * awkward strings and random ones; a Go template literal goes through real promtool, whose
 * rendered annotation must be the text as written.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { cronShellWord, goTemplateLiteral, terraformLiteral } from "../../infra/generate/encode.js";
import { cronCommand, terraformString } from "../security/grammar-outputs.js";
import { removeDir, tempDir } from "../helpers/project.js";
import { requireTool, run } from "../helpers/tools.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

const AWKWARD = [
  "",
  "%",
  "%%",
  "a%b",
  "\\%",
  "a\\%b",
  "\\",
  "'",
  "''",
  "it's",
  '"',
  "$(id)",
  "`id`",
  "${HOME}",
  "a b",
  "~",
  "*",
  "?",
  "[a]",
  "#x",
  "a;b",
  "a&&b",
  "a|b",
  "!",
  "{",
  "if",
  "X=1",
  "-",
  "--x",
  "\\'%'\\",
  "50%off%",
  "{{ }}",
  "é😀",
];

/** What /bin/sh makes of `printf '%s\0' WORDS` after cron has read the line. */
function throughCronAndShell(words: string[]): string[] {
  // The test's own % is escaped for cron like any other.
  const line = `printf '\\%s\\0' ${words.map((w) => cronShellWord(w)).join(" ")}`;
  const { shell, stdin } = cronCommand(line);
  expect(stdin, line).toBeUndefined();
  const r = spawnSync("/bin/sh", ["-c", shell], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split("\0").slice(0, -1);
}

describe("crontab words", () => {
  it("every awkward string survives cron's % rule and the shell as one word", () => {
    expect(throughCronAndShell(AWKWARD)).toEqual(AWKWARD);
  });

  it("random strings without control characters do too", () => {
    const word = fc.string({ unit: fc.constantFrom(..."ab%\\'\"$`{} ;&|*?#~=!-\u00e9"), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), (words) => {
        expect(throughCronAndShell(words)).toEqual(words);
      }),
      { numRuns: 150 },
    );
  });

  it("no % is left bare for cron, and none follows a backslash that cron would take as the escape", () => {
    for (const w of AWKWARD) expect(cronShellWord(w).replace(/\\%/g, "")).not.toMatch(/%/);
  });

  it("a word in command position that the shell would read as an assignment or a keyword is quoted", () => {
    for (const w of ["X=1", "if", "!", "while"]) expect(cronShellWord(w, true)).toBe(`'${w}'`);
    expect(cronShellWord("tollgate", true)).toBe("tollgate");
    expect(cronShellWord("--format=json")).toBe("--format=json");
  });
});

describe("Go template literals", () => {
  it("promtool renders each annotation as the text was written", async () => {
    const dir = await tempDir("tollgate-encode-");
    dirs.push(dir);
    const texts = [
      "{{ }}",
      "{{ $labels.service }}",
      "a {{{ b }}} c",
      "{{{{",
      "}} {{- x -}} {{/* c */}}",
      "{",
      "{{",
      "ends with {",
      "$value {{ .Value }}",
      "plain",
    ];
    const rules = {
      groups: [
        {
          name: "g",
          rules: [
            {
              alert: "A",
              expr: "up == 0",
              annotations: Object.fromEntries(texts.map((t, i) => [`a${i}`, goTemplateLiteral(t)])),
            },
          ],
        },
      ],
    };
    const tests = {
      rule_files: ["rules.yml"],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: [{ series: 'up{job="x"}', values: "0x5" }],
          alert_rule_test: [
            {
              eval_time: "2m",
              alertname: "A",
              exp_alerts: [
                { exp_labels: { job: "x" }, exp_annotations: Object.fromEntries(texts.map((t, i) => [`a${i}`, t])) },
              ],
            },
          ],
        },
      ],
    };
    writeFileSync(path.join(dir, "rules.yml"), JSON.stringify(rules));
    writeFileSync(path.join(dir, "rules.test.yml"), JSON.stringify(tests));
    const promtool = requireTool("promtool");
    let r = run(promtool, ["check", "rules", "rules.yml"], dir);
    expect(r.code, r.out).toBe(0);
    r = run(promtool, ["test", "rules", "rules.test.yml"], dir);
    expect(r.code, r.out).toBe(0);
    // And unescaped, the same texts break the group: the encoding is what makes it pass.
    writeFileSync(
      path.join(dir, "raw.yml"),
      JSON.stringify({
        groups: [{ name: "g", rules: [{ alert: "A", expr: "up == 0", annotations: { a: "{{ }}" } }] }],
      }),
    );
    expect(run(promtool, ["check", "rules", "raw.yml"], dir).code).not.toBe(0);
  });
});

describe("Terraform literals", () => {
  it("Terraform reads each string back as written, with no expression left in it", () => {
    for (const t of [
      '${file("/etc/passwd")}',
      "%{ if true }x%{ endif }",
      "$${",
      "%%{",
      "$$${x}",
      "$",
      "%",
      "${",
      "a$b%c{d}",
      "plain",
    ]) {
      expect(terraformString(t).expression || terraformString(t).text !== t, t).toBe(
        t.includes("${") || t.includes("%{"),
      );
      expect(terraformString(terraformLiteral(t)), t).toEqual({ text: t, expression: false });
    }
  });
});
