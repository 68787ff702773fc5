/**
 * The HTML report and the badge: content from the real reference organization, escaping of
 * hostile manifest strings, PR mode ordering, probe health on the graph, and the CLI wiring.
 * The browser half (console, network, accessibility) is test/e2e/report.test.ts.
 */
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { assess } from "../../assess/readiness.js";
import type { Report } from "../../policies/engine.js";
import { compare } from "../../report/baseline.js";
import { badgeColor, renderBadge } from "../../report/badge.js";
import { buildGraph, renderGraphSvg } from "../../report/html/graph.js";
import { renderHtml } from "../../report/html/index.js";
import { parseProbeResults, prepareHtml } from "../../report/html/prepare.js";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";
import { editYaml } from "../helpers/yaml-edit.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
const count = (s: string, needle: string | RegExp) =>
  typeof needle === "string" ? s.split(needle).length - 1 : (s.match(needle) ?? []).length;
/** Script elements in the page: exactly one is ours (the findings filter). */
const scriptTags = (page: string) => count(page.toLowerCase(), /<script[\s>]/g);

async function reference(now = NOW) {
  const { project, report } = await assess(REPO, { now });
  return { project, report: report!, input: await prepareHtml(project, report!) };
}

describe("html report of the reference organization", () => {
  it("shows the score, every scorecard and category with its status, every finding with location, rationale and remediation", async () => {
    const { report, input } = await reference();
    const page = renderHtml(report, input);
    expect(page.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(page).toContain(`data-testid="overall-score">${report.score.percent}%<`);
    for (const s of report.scorecards) {
      expect(page).toContain(`data-scorecard="${s.id}"`);
      for (const c of s.categories) {
        const status = (c as { status?: string }).status ?? (c.passed ? "pass" : "fail");
        expect(page).toMatch(
          new RegExp(
            `data-status="${status}"><span class="status">${status}</span> <a href="#findings-${s.id}">${c.title.replace(/[()]/g, "\\$&")}</a>`,
          ),
        );
      }
    }
    expect(count(page, 'data-testid="category"')).toBe(report.scorecards.reduce((n, s) => n + s.categories.length, 0));
    expect(count(page, 'data-testid="finding"')).toBe(report.findings.length);
    for (const f of report.findings)
      expect(page).toContain(`<code>${f.location.file}:${f.location.line}:${f.location.col}</code>`);
    const rule = report.rules.find((r) => r.id === "secret-missing-in-production")!;
    expect(page).toContain(`<dd>${rule.rationale}</dd><dt>Fix</dt><dd>${rule.remediation}</dd>`);
  });

  it("lists waivers with owner and expiry, the forecast as a timeline, and a graph node per service", async () => {
    const { project, report, input } = await reference();
    const page = renderHtml(report, input);
    expect(page).toMatch(/<td>team-data<\/td><td>2027-01-31<\/td><td>PLAT-412<\/td><td>1<\/td>/);
    expect(input.forecast.items.length).toBeGreaterThan(5);
    expect(count(page, /<g class="tl-item kind-/g)).toBe(input.forecast.items.length);
    for (const i of input.forecast.items) expect(page).toContain(`<code>${i.subject}</code>`);
    expect(count(page, /<g id="svc&#45;node&#45;\d+" class="node svc /g)).toBe(project.model.services.size);
    for (const name of project.model.services.keys())
      expect(page).toContain(`<title>${name.replace(/-/g, "&#45;")}</title>`);
    // chatwoot has unwaived errors (its API), redis has none.
    expect(input.graph.nodes.find((n) => n.service === "chatwoot")!.errors).toBeGreaterThan(0);
    expect(input.graph.nodes.find((n) => n.service === "redis")).toMatchObject({ errors: 0, warnings: 0 });
    expect(input.graph.edges.length).toBe(
      [...project.model.services.values()].reduce((n, s) => n + s.dependsOn.length, 0),
    );
  });

  it("is self-contained: one inline script allowed by hash, no external URL in src/href, a CSP that forbids requests", async () => {
    const { report, input } = await reference();
    const page = renderHtml(report, input);
    expect(scriptTags(page)).toBe(1);
    expect(page).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; script-src &#39;sha256-[A-Za-z0-9+/=]+&#39;/,
    );
    expect(page).not.toMatch(/\s(src|href)="(?!#)/);
    expect(page).not.toMatch(/<link|<iframe|<img/i);
  });

  it("is deterministic", async () => {
    const a = await reference();
    const b = await reference();
    expect(renderHtml(a.report, a.input)).toBe(renderHtml(b.report, b.input));
  });
});

describe("escaping", () => {
  it("a <script> in a waiver's reason, owner and ticket renders as text, never as markup", async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    await editYaml(path.join(root, "waivers.yaml"), (doc) => {
      doc.setIn(["waivers", 0, "reason"], `<script>alert("reason")</script> & "quotes"`);
      doc.setIn(["waivers", 0, "owner"], `"><img src=x onerror=alert(1)>`);
      doc.setIn(["waivers", 0, "ticket"], "</td></tr></table><script>alert(2)</script>");
    });
    const { project, report } = await assess(root, { now: NOW });
    const page = renderHtml(report!, await prepareHtml(project, report!));
    expect(scriptTags(page)).toBe(1);
    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;script&gt;alert(&quot;reason&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;");
    expect(page).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  });

  it("a <script> in a service name (the schema forbids one, so the reporter is fed it directly) stays text in the page and the graph", async () => {
    const { project, report, input } = await reference();
    const evil = `<script>alert("svc")</script>`;
    const model = {
      ...project.model,
      services: new Map([
        ...project.model.services,
        [evil, { ...project.model.services.get("redis")!, dependsOn: ["redis"] }],
      ]),
    };
    const hostile: Report = {
      ...report,
      findings: [
        ...report.findings,
        { ...report.findings[0]!, subject: `service/${evil}`, message: `</code>${evil}`, waived: false },
      ],
    };
    const graph = await renderGraphSvg(
      buildGraph(model as typeof project.model, hostile.findings, new Map([[evil, "unhealthy"]])),
    );
    expect(graph.svg).toBeDefined();
    const page = renderHtml(hostile, { ...input, graph, probe: { env: `<b>${evil}</b>`, now: NOW } });
    expect(scriptTags(page)).toBe(1);
    expect(page).toContain("&lt;script&gt;alert(&quot;svc&quot;)&lt;/script&gt;");
    expect(graph.nodes.find((n) => n.service === evil)).toMatchObject({ errors: 1, health: "unhealthy" });
  });

  it("renders whatever status a category carries, with a distinct style for n/a", async () => {
    const { report, input } = await reference();
    const card = report.scorecards[0]!;
    const na = {
      ...report,
      scorecards: [
        { ...card, categories: [{ ...card.categories[0]!, status: "n/a" } as never, ...card.categories.slice(1)] },
        ...report.scorecards.slice(1),
      ],
    };
    const page = renderHtml(na, input);
    expect(page).toContain(
      `class="category status-na" data-testid="category" data-status="n/a"><span class="status">n/a</span>`,
    );
    expect(page).toMatch(/\.status-na \.status\{[^}]*dashed/);
  });
});

describe("PR mode and probe health", () => {
  it("puts new and fixed findings first", async () => {
    const { report, input } = await reference();
    const base = {
      ...report,
      findings: report.findings
        .slice(1)
        .concat([
          { ...report.findings[0]!, fingerprint: "gone", ruleId: "webhook-no-hmac", subject: "webhook/fixed-one" },
        ]),
    };
    const comparison = compare(report, base);
    const page = renderHtml(report, input, comparison);
    const changes = page.indexOf('data-testid="changes"');
    expect(changes).toBeGreaterThan(0);
    expect(changes).toBeLessThan(page.indexOf('id="scorecards-title"'));
    expect(page).toContain("This change: 1 new, 1 fixed");
    expect(page.slice(changes, page.indexOf('id="scorecards-title"'))).toContain("webhook/fixed-one");
  });

  it("outlines graph nodes by live health from probe JSON and rejects files that are not probe output", async () => {
    const probe = parseProbeResults(
      JSON.stringify({
        now: NOW,
        env: "staging",
        results: [
          { service: "redis", status: "healthy" },
          { service: "chatwoot", status: "unhealthy" },
        ],
      }),
    );
    if ("error" in probe) throw new Error(probe.error);
    const { project, report } = await assess(REPO, { now: NOW });
    const input = await prepareHtml(project, report!, probe);
    expect(input.graph.nodes.find((n) => n.service === "redis")!.health).toBe("healthy");
    expect(input.graph.nodes.find((n) => n.service === "chatwoot")!.health).toBe("unhealthy");
    expect(input.graph.nodes.find((n) => n.service === "fly")!.health).toBe("not-probed");
    expect(input.graph.svg).toMatch(/class="node svc sev&#45;error health&#45;unhealthy"/);
    expect(parseProbeResults("{")).toEqual({ error: "not valid JSON" });
    expect(parseProbeResults('{"findings":[]}')).toHaveProperty("error");
  });
});

describe("badge", () => {
  it("is valid, deterministic SVG with the score and a colour by threshold", () => {
    const svg = renderBadge({ score: { percent: 78 } });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toBe(renderBadge({ score: { percent: 78 } }));
    expect(svg).toContain('aria-label="readiness: 78%"');
    expect(svg).toContain(`fill="${badgeColor(78)}"`);
    expect(new Set([95, 80, 65, 10].map((p) => badgeColor(p))).size).toBe(4);
    expect(renderBadge({ score: { percent: 100 } })).not.toBe(svg);
  });

  it("follows the gate: red when it failed, whatever the percentage; by threshold when it passed", () => {
    for (const percent of [100, 95, 78, null]) {
      expect(badgeColor(percent, { passed: false }), String(percent)).toBe(badgeColor(10));
      expect(badgeColor(percent, { passed: true }), String(percent)).toBe(badgeColor(percent));
    }
    expect(renderBadge({ score: { percent: 95 } }, "readiness", { passed: false })).toContain(
      `fill="${badgeColor(10)}"`,
    );
  });
});

describe("tollgate check --format html / badge", () => {
  it("writes both files, keeps the gate's exit code, and refuses bad --probe-results with exit 2", async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    const r = await runCli([
      "check",
      "--root",
      root,
      "--now",
      NOW,
      "--format",
      `html=${root}/r.html`,
      "--format",
      `badge=${root}/b.svg`,
      "--format",
      "json",
    ]);
    expect(r.code).toBe(1);
    const score = JSON.parse(r.stdout).score.percent;
    expect(readFileSync(`${root}/r.html`, "utf8")).toContain(`data-testid="overall-score">${score}%<`);
    // The gate failed (exit 1): the badge says so in red, whatever the percentage.
    expect(await readFile(`${root}/b.svg`, "utf8")).toBe(
      renderBadge({ score: { percent: score } }, "readiness", { passed: false }),
    );
    const passing = await runCli([
      "check",
      "--root",
      root,
      "--now",
      NOW,
      "--format",
      `badge=${root}/b2.svg`,
      "--fail-on",
      "never",
    ]);
    expect(passing.code).toBe(0);
    expect(await readFile(`${root}/b2.svg`, "utf8")).toBe(
      renderBadge({ score: { percent: score } }, "readiness", { passed: true }),
    );

    await writeFile(
      `${root}/probe.json`,
      JSON.stringify({ now: NOW, env: "staging", results: [{ service: "redis", status: "unhealthy" }] }),
    );
    const ok = await runCli([
      "check",
      "--root",
      root,
      "--now",
      NOW,
      "--format",
      `html=${root}/p.html`,
      "--probe-results",
      `${root}/probe.json`,
      "--fail-on",
      "never",
    ]);
    expect(ok.code).toBe(0);
    expect(readFileSync(`${root}/p.html`, "utf8")).toContain("Live health from the probe of <code>staging</code>");

    await writeFile(`${root}/bad.json`, "[]");
    const bad = await runCli([
      "check",
      "--root",
      root,
      "--now",
      NOW,
      "--format",
      `html=${root}/x.html`,
      "--probe-results",
      `${root}/bad.json`,
    ]);
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("--probe-results")]);
    // Without HTML the file is still evidence (client-no-metrics reads it): accepted, not a usage error.
    expect(
      (await runCli(["check", "--root", root, "--now", NOW, "--probe-results", `${root}/probe.json`])).code,
    ).not.toBe(2);
    expect(
      (
        await runCli([
          "check",
          "--root",
          root,
          "--now",
          NOW,
          "--format",
          `html=${root}/y.html`,
          "--probe-results",
          `${root}/missing.json`,
        ])
      ).code,
    ).toBe(2);
  });

  it("loads Graphviz only when the HTML report is asked for: no static import anywhere in the compiled CLI", () => {
    const files = [
      "cli/main.js",
      "cli/check.js",
      "cli/html-input.js",
      "report/html/prepare.js",
      "report/html/graph.js",
      "report/html/index.js",
    ];
    const texts = files.map((f) => readFileSync(path.join(REPO, "dist", f), "utf8"));
    expect(texts.join("\n")).toContain('await import("@hpcc-js/wasm-graphviz")');
    for (const t of texts) expect(t).not.toMatch(/^\s*import\b[^(]*["']@hpcc-js/m);
  });
});
