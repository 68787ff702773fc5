/**
 * One error format on the command line: commander's own errors and Tollgate's usage errors come out
 * as `<command line>:1:1 code message` with a hint, exit 2. Every command's --help shows the global
 * options, examples and exit codes; times take durations; every file written is said.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDurationOption } from "../../cli/common.js";
import { COMMAND_HELP } from "../../cli/help-text.js";
import { NOW, removeDir, runCli, tempDir, writeProject } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

describe("one error format", () => {
  it.each([
    [
      ["check", "--bogus"],
      "<command line>:1:1 invalid-option unknown option '--bogus'",
      "Run tollgate check --help for the options.",
    ],
    [
      ["check", "--formt", "json"],
      "<command line>:1:1 invalid-option unknown option '--formt'",
      "did you mean `--format`? Run tollgate check --help for the options.",
    ],
    [
      ["chek"],
      "<command line>:1:1 unknown-command unknown command 'chek'",
      "did you mean `check`? Run tollgate --help for the commands.",
    ],
    [
      ["probe", "--timeout"],
      "<command line>:1:1 invalid-option option '--timeout <duration>' argument missing",
      "Run tollgate probe --help for the options.",
    ],
    [
      ["validate", "--format", "xml"],
      '<command line>:1:1 invalid-option --format must be one of text, json (got "xml")',
      "Run tollgate validate --help for the options.",
    ],
    [
      ["forecast", "--format", "xml"],
      '<command line>:1:1 invalid-option --format must be one of text, json, prometheus (got "xml")',
      "Run tollgate forecast --help for the options.",
    ],
    [
      ["check", "--format", "xml"],
      '<command line>:1:1 invalid-option --format must be one of text, json, sarif, junit, markdown, github, gitlab, prometheus, html, badge (got "xml")',
      "Run tollgate check --help for the options.",
    ],
  ])(
    "%j",
    async (args, first, hint) => {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`${first}\n  hint: ${hint}\n`);
    },
    60_000,
  );
});

describe("no command", () => {
  it("prints the help, then one diagnostic, exit 2", async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage: tollgate \[options\] \[command\]\n/);
    expect(
      r.stderr.endsWith(
        "\n<command line>:1:1 unknown-command no command given\n  hint: Name one of the commands listed above, such as tollgate check.\n",
      ),
    ).toBe(true);
  }, 60_000);
});

describe("--help", () => {
  it("every command shows the global options, examples and exit codes", async () => {
    const program = await runCli(["--help"]);
    const listed = program.stdout.slice(program.stdout.indexOf("Commands:"));
    const commands = [...listed.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== "help");
    expect(commands.sort()).toEqual(Object.keys(COMMAND_HELP).sort());
    for (const command of commands) {
      const r = await runCli([command, "--help"]);
      expect(r.code, command).toBe(0);
      for (const option of ["--quiet", "--verbose", "--no-color", "Examples:", "Exit codes:", "  2  "])
        expect(r.stdout, `${command} ${option}`).toContain(option);
      if (command !== "init") expect(r.stdout, command).toContain("--root <dir>");
      // serve and simulate run on the wall clock and policies lists what exists: nothing of theirs is dated.
      if (!["serve", "simulate", "policies"].includes(command)) expect(r.stdout, command).toContain("--now <date>");
      for (const example of COMMAND_HELP[command]!.examples) expect(r.stdout).toContain(`  ${example}\n`);
    }
  }, 120_000);
});

describe("durations", () => {
  it.each([
    ["5s", 5000],
    ["500ms", 500],
    ["1m30s", 90_000],
    ["10m", 600_000],
    // A plain number is milliseconds, as --timeout took before.
    ["30000", 30_000],
    ["1", 1],
  ])("--timeout %s is %i ms", (value, ms) => {
    expect(parseDurationOption("--timeout", value, 600_000, { plainMs: true })).toBe(ms);
  });

  it.each(["0", "0s", "10m1ms", "600001", "5 s", "soon", "-5s", "1.5s", ""])("--timeout %j is refused", (value) => {
    expect(() => parseDurationOption("--timeout", value, 600_000, { plainMs: true })).toThrow(
      /^--timeout must be a duration from 1ms to 10m/,
    );
  });

  it("--deadline takes units only (a bare 45 would be 45 ms, a trap)", () => {
    expect(parseDurationOption("--deadline", "45s", 86_400_000)).toBe(45_000);
    expect(() => parseDurationOption("--deadline", "45", 86_400_000)).toThrow(/^--deadline must be a duration/);
  });
});

describe("outputs", () => {
  it("says every file written, HTML included, and nothing with --quiet; counts in the right number", async () => {
    const out = await tempDir();
    dirs.push(out);
    const root = await writeProject({
      "manifests/a.yaml":
        "environments:\n  staging: { deployed: true }\nservices:\n  api: { kind: infra, owner: a, tier: low }\n",
    });
    dirs.push(root);
    const files = ["r.html", "r.json", "r.svg"].map((f) => path.join(out, f));
    const r = await runCli([
      "check",
      "--root",
      root,
      "--now",
      NOW,
      "--fail-on",
      "never",
      "--format",
      `html=${files[0]}`,
      "--format",
      `json=${files[1]}`,
      "--format",
      `badge=${files[2]}`,
      "--format",
      "text",
    ]);
    expect(r.code, r.stderr).toBe(0);
    // After the loader's warning (no production environment), one line per file written.
    expect(r.stderr.split("\n").filter((l) => l.startsWith("tollgate: "))).toEqual(
      files.map((f) => `tollgate: wrote ${f}`),
    );
    for (const f of files) expect((await readFile(f)).length).toBeGreaterThan(0);
    const quiet = await runCli([
      "check",
      "--root",
      root,
      "--now",
      NOW,
      "--fail-on",
      "never",
      "--quiet",
      "--format",
      `json=${files[1]}`,
    ]);
    expect([quiet.code, quiet.stderr]).toEqual([0, ""]);
    const v = await runCli(["validate", "--root", root, "--now", NOW]);
    expect(v.stdout.split("\n").at(-2)).toBe(
      "✔ 1 file valid: 1 environment, 1 service, 0 secrets, 0 APIs, 0 webhooks, 0 alerts, 0 channels",
    );
    const f = await runCli(["forecast", "--root", root, "--now", NOW, "--output", path.join(out, "f.txt")]);
    expect([f.code, f.stderr]).toEqual([0, `tollgate: wrote ${path.join(out, "f.txt")}\n`]);
  }, 120_000);
});
