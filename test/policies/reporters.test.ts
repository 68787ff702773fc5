/**
 * Each reporter on its own, fed by the real engine with a finding whose subject, message and file
 * name carry every character a format has to escape: `<>&"%:,|`, quotes and line breaks. Each
 * output is parsed back the way its consumer reads it (XML parser, workflow-command rules,
 * Markdown table rows, JSON) and must give the original text back, or keep it on its own line.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import picocolors from "picocolors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, type Report } from "../../policies/engine.js";
import { loadProject } from "../../load/loader.js";
import { renderGithub } from "../../report/github.js";
import { renderJson } from "../../report/json.js";
import { renderJunit } from "../../report/junit.js";
import { renderMarkdown } from "../../report/markdown.js";
import { renderSarif } from "../../report/sarif.js";
import { renderText } from "../../report/text.js";
import type { Policy } from "../../policies/types.js";
import { NOW, removeDir, tempDir } from "../helpers/project.js";

const SUBJECT = 'service/<b>&"50%":a,b|c\nsecond line\r\nthird';
const MESSAGE = 'costs 100% <more> & "then" x:y,z | w\nnext line';
const FILE = "manifests/odd,name:here.yaml";

const hostile: Policy = {
  id: "hostile-text",
  title: 'Hostile <title> & "quotes" | pipe',
  category: "monitoring",
  severity: "error",
  rationale: "Exercises escaping in every output format.",
  remediation: "None <needed> & none | given.",
  options: z.strictObject({}),
  check: (_ctx, report) =>
    report({ subject: SUBJECT, message: MESSAGE, at: { section: "services", name: "api", path: ["tier"] } }),
};

let dir: string;
let report: Report;
beforeAll(async () => {
  dir = await tempDir();
  await mkdir(path.join(dir, "manifests"));
  await writeFile(
    path.join(dir, FILE),
    "environments:\n  staging: { deployed: true }\nservices:\n  api:\n    kind: infra\n    owner: team\n    tier: low\n",
  );
  const { project, ok, diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
  expect(ok, JSON.stringify(diagnostics)).toBe(true);
  report = (await evaluate(project, { customPolicies: [hostile] })).report;
  report.findings = report.findings.filter((f) => f.ruleId === "hostile-text");
  expect(report.findings).toHaveLength(1);
  expect(report.findings[0]!.location).toEqual({ file: FILE, line: 7, col: 5 });
});
afterAll(async () => removeDir(dir));

describe("reporters escape what their format needs", () => {
  it("text: one finding stays on one line, line breaks and control characters shown escaped", () => {
    // Explicitly colourless: under CI=true picocolors would otherwise add escape codes.
    const lines = renderText(report, { colors: picocolors.createColors(false) }).split("\n");
    const start = lines.indexOf(FILE);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(lines[start + 1]).toBe(
      `  7:5     error   hostile-text  service/<b>&"50%":a,b|c\\nsecond line\\r\\nthird: costs 100% <more> & "then" x:y,z | w\\nnext line`,
    );
    expect(lines[start + 2]).toBe("");
  });

  it("json: parses back to the exact subject, message and file", () => {
    const f = JSON.parse(renderJson(report)).findings[0];
    expect(f).toMatchObject({
      ruleId: "hostile-text",
      subject: SUBJECT,
      message: MESSAGE,
      location: { file: FILE, line: 7, col: 5 },
    });
  });

  it("sarif: parses back with the exact subject and message in the result text and the file as its URI", () => {
    const r = JSON.parse(renderSarif(report)).runs[0].results.find((x: any) => x.ruleId === "hostile-text");
    expect(r.message.text).toContain(SUBJECT);
    expect(r.message.text).toContain(MESSAGE);
    // A relative URI reference: characters such as ':' are percent-encoded and decode back exactly.
    expect(decodeURIComponent(r.locations[0].physicalLocation.artifactLocation.uri)).toBe(FILE);
  });

  it("junit: well-formed XML, no raw line break inside an attribute, and every value parses back exactly", () => {
    const xml = renderJunit(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    // XML normalizes a raw line break inside an attribute value to a space: they must be character references.
    for (const attr of xml.match(/\s[a-z]+="[^"]*"/g) ?? []) expect(attr).not.toMatch(/[\r\n\t]/);
    const parsed = new XMLParser({ ignoreAttributes: false, htmlEntities: true, trimValues: false }).parse(xml);
    const suites = [parsed.testsuites.testsuite].flat();
    const suite = suites.find((s: any) => s["@_name"] === "hostile-text");
    const testcase = [suite.testcase].flat()[0];
    expect(testcase["@_name"]).toBe(SUBJECT);
    expect(testcase["@_file"]).toBe(FILE);
    expect(testcase.failure["@_message"]).toBe(MESSAGE);
    expect(testcase.failure["#text"]).toBe(`${FILE}:7:5 ${SUBJECT}: ${MESSAGE}\nNone <needed> & none | given.`);
    expect(Number(parsed.testsuites["@_failures"])).toBe(1);
  });

  it("junit: well-formed XML 1.0 for any text (control characters, lone surrogates), shown as \\uXXXX", () => {
    // XML 1.0's Char production, and character references only to such characters.
    const CHAR = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
    const isChar = (n: number) =>
      n === 9 ||
      n === 10 ||
      n === 13 ||
      (n >= 0x20 && n <= 0xd7ff) ||
      (n >= 0xe000 && n <= 0xfffd) ||
      (n >= 0x10000 && n <= 0x10ffff);
    const wellFormed = (xml: string) =>
      CHAR.test(xml) &&
      [...xml.matchAll(/&#(x?)([0-9a-f]+);/gi)].every((m) => isChar(parseInt(m[2]!, m[1] ? 16 : 10))) &&
      XMLValidator.validate(xml) === true;
    const base = report.findings[0]!;
    const waived = (reason: string, subject: string, message: string): Report => ({
      ...report,
      findings: [
        { ...base, subject, message },
        {
          ...base,
          subject: `${subject}2`,
          message,
          waived: true,
          waiver: { owner: "team", reason, expires: "2026-12-31" },
        },
      ],
    });
    const bell = waived("approved by ops\u0007\u001b[31m\u0000", "s\u0001", "m\ud800");
    const xml = renderJunit(bell);
    expect(wellFormed(xml)).toBe(true);
    expect(xml).toContain('message="waived: approved by ops\\u0007\\u001b[31m\\u0000"');
    expect(xml).toContain('name="s\\u0001"');
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        fc.string({ unit: "binary" }),
        fc.string({ unit: "binary" }),
        (reason, subject, message) => wellFormed(renderJunit(waived(reason, subject, message))),
      ),
      { numRuns: 300 },
    );
  });

  it("github: properties escape % CR LF : , and data escapes % CR LF, as the workflow-command spec requires", () => {
    const line = renderGithub(report).split("\n")[0]!;
    expect(line).toBe(
      "::error file=manifests/odd%2Cname%3Ahere.yaml,line=7,col=5,title=hostile-text::" +
        'service/<b>&"50%25":a,b|c%0Asecond line%0D%0Athird: costs 100%25 <more> & "then" x:y,z | w%0Anext line',
    );
    // Decoding as the runner does gives the original text back.
    const unescape = (s: string) =>
      s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
    const [, props, data] = /^::error (.*?)::(.*)$/.exec(line)!;
    expect(unescape(data!)).toBe(`${SUBJECT}: ${MESSAGE}`);
    expect(Object.fromEntries(props!.split(",").map((p) => p.split("=").map(unescape)))).toEqual({
      file: FILE,
      line: "7",
      col: "5",
      title: "hostile-text",
    });
  });

  it("markdown: the finding is one table row of exactly five cells, pipes escaped, no raw HTML or line break", () => {
    const md = renderMarkdown(report);
    const rows = md.split("\n").filter((l) => l.startsWith("| error |") && l.includes("hostile-text"));
    expect(rows).toHaveLength(1);
    // The "Fix first" row names the same subject, escaped the same way: still one row of four cells.
    const first = md.split("\n").filter((l) => l.startsWith("| +") && l.includes("hostile-text"));
    expect(first).toHaveLength(1);
    expect(first[0]!.split(/(?<!\\)\|/).slice(1, -1)).toHaveLength(4);
    expect(first[0]).toContain('service/&lt;b&gt;&amp;"50%":a,b\\|c second line third');
    const row = rows[0]!;
    // Split on pipes that are not escaped, as GitHub's table parser does.
    const cells = row
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    expect(cells).toEqual([
      "error",
      "`hostile-text`",
      'service/&lt;b&gt;&amp;"50%":a,b\\|c second line third',
      'costs 100% &lt;more&gt; &amp; "then" x:y,z \\| w next line',
      "manifests/odd,name:here.yaml:7",
    ]);
    // How to fix: the remediation escaped like a cell; no link, since the policy names no docsUrl.
    expect(md.split("\n")).toContain("- `hostile-text`: None &lt;needed&gt; &amp; none \\| given.");
  });
});

describe("the reporter registry", () => {
  it("check --help names every format the registry renders", async () => {
    const { CHECK_FORMATS } = await import("../../report/registry.js");
    const { runCli } = await import("../helpers/project.js");
    const help = (await runCli(["check", "--help"])).stdout.replace(/\s+/g, " ");
    for (const format of CHECK_FORMATS)
      expect(help, format).toMatch(new RegExp(`[(,] ${format}[,)]|formats: ${format}[,)]`));
  });
});
