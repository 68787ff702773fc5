/**
 * Hostile text in reports, and reporters that fail:
 * - JUnit stays well-formed XML 1.0 for any input: every C0 control character, DEL/C1, lone
 *   surrogates and U+FFFF in a finding's subject and message and in a waiver's reason (read from
 *   waivers.yaml) parse with fast-xml-parser and read back as visible `\uXXXX` text.
 * - Markdown (the PR comment) makes no live link, image or autolink from manifest text.
 * - One reporter that throws costs only its own output: the others are still written.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderEach } from "../../cli/render-outputs.js";
import { loadProject } from "../../load/loader.js";
import { evaluate, type Report } from "../../policies/engine.js";
import { REPORTERS } from "../../report/registry.js";
import type { Policy } from "../../policies/types.js";
import { NOW, removeDir, tempDir, writeProject } from "../helpers/project.js";

const C0 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join("");
const HOSTILE = `a${C0}\u007f\u0085\ud800x\udfff\ufffe\uffff z`;
const LINK =
  "key [x](https://evil.example/a) ![img](https://evil.example/i.png) <https://evil.example> www.evil.example `code` \\[y](https://evil.example/b)";

const policy = (subject: string, message: string): Policy => ({
  id: "hostile-text",
  title: "Hostile",
  category: "monitoring",
  severity: "error",
  rationale: "R",
  remediation: "M",
  options: z.strictObject({}),
  check: (_ctx, report) => {
    report({ subject, message, at: { section: "services", name: "api", path: ["tier"] } });
    report({ subject: "service/waived", message, at: { section: "services", name: "api" } });
  },
});

let root: string;
const reports: Record<string, Report> = {};
beforeAll(async () => {
  // The waiver's reason arrives from YAML escapes: every C0 control character and more.
  const yamlEscaped = [...HOSTILE]
    .map((c) =>
      c.charCodeAt(0) < 0x20 || c.charCodeAt(0) >= 0x7f ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : c,
    )
    .join("");
  root = await writeProject({
    "tollgate.yaml": "manifests: [manifests]\nwaivers: waivers.yaml\n",
    "manifests/s.yaml":
      "environments:\n  staging: { deployed: true }\nservices:\n  api:\n    kind: infra\n    owner: team\n    tier: low\n",
    "waivers.yaml": `waivers:\n  - rule: hostile-text\n    subject: service/waived\n    owner: team\n    reason: "${yamlEscaped}"\n    expires: 2027-01-31\n`,
  });
  const { project, ok, diagnostics } = await loadProject(root, { now: NOW, displayBase: root });
  expect(ok, JSON.stringify(diagnostics)).toBe(true);
  reports.xml = (await evaluate(project, { customPolicies: [policy(`service/${HOSTILE}`, HOSTILE)] })).report;
  reports.md = (await evaluate(project, { customPolicies: [policy(`service/${LINK}`, LINK)] })).report;
});
afterAll(async () => removeDir(root));

describe("JUnit is well-formed for any input", () => {
  it("every C0 control character (and C1, lone surrogates, U+FFFF) from a finding and a waiver reason", async () => {
    const waived = reports.xml!.findings.find((f) => f.subject === "service/waived")!;
    expect(waived.waived, "the waiver with the hostile reason applies").toBe(true);
    expect(waived.waiver!.reason).toContain("\u0001");
    const xml = await REPORTERS.find((r) => r.format === "junit")!.render({ report: reports.xml! });
    expect(XMLValidator.validate(xml)).toBe(true);
    // Strict XML 1.0 character rule, as a validating consumer applies it.
    expect(xml).not.toMatch(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    );
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    const cases = doc.testsuites.testsuite.find((s: { name: string }) => s.name === "hostile-text").testcase;
    const hostile = cases.find((c: { name: string }) => c.name.startsWith("service/a"));
    expect(hostile.name).toContain("\\u0001");
    expect(hostile.name).toContain("\\u001f");
    expect(hostile.name).toContain("\\ud800");
    expect(hostile.name).toContain("\\udfff");
    const skipped = cases.find((c: { name: string }) => c.name === "service/waived").skipped;
    expect(skipped.message).toContain("\\u0000");
    expect(skipped.message).toContain("\\uffff");
  });
});

describe("Markdown escapes link syntax", () => {
  it("a key holding a link, an image, an autolink and a bare URL becomes no link", async () => {
    const md = await REPORTERS.find((r) => r.format === "markdown")!.render({ report: reports.md! });
    const rows = md.split("\n").filter((l) => l.startsWith("| ") && l.includes("hostile-text"));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const cells = row.replace(/^\| \w+ \| \[`hostile-text`\]\([^)]*\) /, "");
      // No unescaped `[` (a link or image needs one), no raw `<`, and no bare scheme:// or www. for GitHub's autolinker.
      expect(cells).not.toMatch(/(^|[^\\])(\\\\)*\[/);
      expect(cells).not.toContain("<");
      expect(cells).not.toMatch(/https:\/\/|www\./);
      expect(cells).toContain("\\[x\\](https:&#8203;//evil.example/a)");
      // A backslash in the text cannot undo the escape of the bracket after it.
      expect(cells).toContain("\\\\\\[y\\]");
    }
  });
});

describe("a reporter that throws takes no other output down", () => {
  it("the others are written, the failure is a report-failed diagnostic naming the format", async () => {
    const dir = await tempDir();
    try {
      const targets = ["json", "markdown", "junit", "sarif"].map((format) => ({
        format,
        file: path.join(dir, `out.${format}`),
      }));
      const written: string[] = [];
      const { texts, failures } = await renderEach(
        targets,
        (t) =>
          t.format === "markdown"
            ? Promise.reject(new RangeError("Maximum call stack size exceeded"))
            : REPORTERS.find((r) => r.format === t.format)!.render({ report: reports.md! }),
        async (t, text) => {
          await writeFile(t.file, text);
          written.push(t.format);
        },
      );
      expect(written).toEqual(["json", "junit", "sarif"]);
      expect(texts.map((t) => t === undefined)).toEqual([false, true, false, false]);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ code: "report-failed", severity: "error" });
      expect(failures[0]!.message).toContain(`--format markdown=${targets[1]!.file}`);
      expect(failures[0]!.message).toContain("Maximum call stack size exceeded");
    } finally {
      await removeDir(dir);
    }
  });
});
