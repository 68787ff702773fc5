/**
 * Hostile corpus for what Tollgate prints: control characters and ESC sequences from manifests,
 * waivers and servers are shown escaped in every human output, and `mcp-tools` writes tool names
 * as YAML keys that cannot add lines. (NO_COLOR is set by runCli, so any raw ESC came from input.)
 */
import { cp, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { toolSchemasYaml } from "../../cli/mcp-tools.js";
import { formatDiagnostic } from "../../model/diagnostics.js";
import { escapeTerminal } from "../../util/terminal-escape.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

async function base(): Promise<string> {
  const dir = await tempDir("tollgate-terminal-");
  dirs.push(dir);
  await cp(path.join(REPO, "test/fixtures/base"), dir, { recursive: true });
  return dir;
}

describe("escapeTerminal", () => {
  it("shows ESC, CR, LF, BEL, C1 CSI and bidi overrides as visible escapes and leaves the rest alone", () => {
    expect(escapeTerminal("a\u001b[2Jb")).toBe("a\\e[2Jb");
    expect(escapeTerminal("line\nforged: ok\r")).toBe("line\\nforged: ok\\r");
    expect(escapeTerminal("\u0007\u009b\u202eabc")).toBe("\\u0007\\u009b\\u202eabc");
    expect(escapeTerminal("plain ✔ ünïcode")).toBe("plain ✔ ünïcode");
  });

  it("formatDiagnostic escapes file, message and hint", () => {
    const text = formatDiagnostic({
      code: "unknown-key",
      severity: "error",
      message: "unknown key `\u001b[31mx`",
      hint: "h\u001b]0;t\u0007",
      file: "m\u001b.yaml",
      line: 1,
      col: 1,
    });
    expect(text).not.toMatch(RAW);
    expect(text.split("\n")).toHaveLength(2);
  });
});

describe("CLI output carries no raw control characters from input", () => {
  it("validate: an unknown key holding ESC sequences and a newline is printed escaped", async () => {
    const dir = await base();
    await writeFile(
      path.join(dir, "manifests/evil.yaml"),
      'services:\n  api2:\n    kind: http-api\n    "\\e]0;pwned\\a\\e[2J\\nforged: line": 1\n',
    );
    const r = await runCli(["validate", "--root", dir, "--now", NOW]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("\\e]0;pwned\\u0007\\e[2J\\nforged: line");
    expect(r.stdout + r.stderr).not.toMatch(RAW);
  }, 60_000);

  it("check (text) and forecast (text): a waiver's reason and owner are printed escaped", async () => {
    const dir = await base();
    await writeFile(
      path.join(dir, "waivers.yaml"),
      [
        "waivers:",
        "  - rule: service-no-health-check",
        "    subject: service/api",
        '    owner: "team\\e[2J"',
        '    reason: "accepted \\e[8mhidden\\e[0m and \\u202Ereversed"',
        "    expires: 2026-12-10",
        "",
      ].join("\n"),
    );
    const check = await runCli(["check", "--root", dir, "--now", NOW]);
    expect(check.stdout).toContain("accepted \\e[8mhidden\\e[0m and \\u202ereversed");
    expect(check.stdout + check.stderr).not.toMatch(RAW);
    const forecast = await runCli(["forecast", "--root", dir, "--now", NOW]);
    expect(forecast.code, forecast.stderr).toBe(0);
    expect(forecast.stdout).toContain("team\\e[2J");
    expect(forecast.stdout + forecast.stderr).not.toMatch(RAW);
  }, 120_000);
});

describe("mcp-tools YAML", () => {
  it("a tool name cannot add lines or keys; names round-trip exactly", () => {
    const tools = [
      { name: "search", sha256: "a".repeat(64) },
      { name: "evil\nadmin: true", sha256: "b".repeat(64) },
      { name: "\u001b[2J\u202eswap", sha256: "c".repeat(64) },
      { name: "#comment", sha256: "d".repeat(64) },
      { name: "__proto__", sha256: "e".repeat(64) },
    ];
    const text = toolSchemasYaml(tools);
    expect(text.split("\n")).toHaveLength(1 + tools.length);
    expect(text).not.toMatch(RAW);
    const back = parse(text) as Record<string, Record<string, string>>;
    expect(Object.keys(back)).toEqual(["toolSchemas"]);
    expect(Object.entries(back.toolSchemas!)).toEqual(tools.map((t) => [t.name, t.sha256]));
  });
});
