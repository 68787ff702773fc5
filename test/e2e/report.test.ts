/// <reference lib="dom" />
/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core (no browser
 * download), opening reports of the reference organization and of a generated 200-service org
 * from file://. No console errors, no request leaves the page, the key elements are there, the
 * inline script runs under the page's CSP, injected manifest strings never execute, and axe-core
 * finds no serious or critical accessibility violation.
 */
import { readFileSync, statSync } from "node:fs";
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli, tempDir } from "../helpers/project.js";
import { requireTool } from "../helpers/tools.js";
import { editYaml } from "../helpers/yaml-edit.js";
// @ts-expect-error plain JS module shared with the benchmarks
import { generate } from "../../bench/generate.mjs";

// Like promtool and amtool: a missing browser fails the suite, it never skips it.
const CHROMIUM = requireTool("chromium");
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface Opened {
  page: Page;
  consoleErrors: string[];
  blocked: string[];
}

describe("the HTML report in Chromium", () => {
  let dir: string;
  let context: BrowserContext;
  const reports: Record<string, { file: string; json: any; services: string[] }> = {};

  /** `tollgate check` writes the HTML report and, alongside, the JSON report to compare against. */
  async function report(name: string, root: string, extra: string[] = []) {
    const file = path.join(dir, `${name}.html`);
    const r = await runCli(
      [
        "check",
        "--root",
        root,
        "--now",
        NOW,
        "--fail-on",
        "never",
        "--format",
        `html=${file}`,
        "--format",
        "json",
        ...extra,
      ],
      { timeoutMs: 240_000 },
    );
    if (r.code !== 0) throw new Error(`check failed (${r.code}): ${r.stderr}`);
    const json = JSON.parse(r.stdout);
    return { file, json };
  }

  beforeAll(async () => {
    dir = await tempDir("tollgate-report-e2e-");
    const ref = await report("reference", REPO);
    reports.reference = { ...ref, services: ["chatwoot", "redis", "shopify-admin"] };

    const large = path.join(dir, "large-org");
    generate(large, { services: 200, secrets: 400, seed: 3, now: NOW, style: "plain" });
    reports.large = {
      ...(await report("large", large)),
      services: Array.from({ length: 200 }, (_, i) => `svc-${String(i).padStart(6, "0")}`),
    };

    // Hostile strings in the waivers file, and live health from a probe run, on a copy of the reference org.
    const hostile = await copyReferenceOrg();
    await editYaml(path.join(hostile, "waivers.yaml"), (doc) => {
      doc.setIn(
        ["waivers", 0, "reason"],
        `<script>window.__pwned = "reason"</script><img src=x onerror="window.__pwned='img'">`,
      );
      doc.setIn(["waivers", 0, "owner"], `"><svg onload="window.__pwned='owner'">`);
    });
    const probe = path.join(dir, "probe.json");
    await writeFile(
      probe,
      JSON.stringify({
        now: NOW,
        env: "staging",
        results: [
          { service: "redis", status: "healthy" },
          { service: "chatwoot", status: "unhealthy" },
          { service: "chatwoot-webhooks", status: "skipped" },
        ],
      }),
    );
    reports.hostile = { ...(await report("hostile", hostile, ["--probe-results", probe])), services: [] };
    await removeDir(hostile);

    context = await chromium.launchPersistentContext(path.join(dir, "user-data"), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 900 },
      timeout: 120_000,
    });
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    if (dir) await removeDir(dir);
  }, 120_000);

  async function open(file: string): Promise<Opened> {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const blocked: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 120_000 });
    return { page, consoleErrors, blocked };
  }

  async function axeViolations(page: Page): Promise<{ id: string; impact: string; nodes: number; help: string }[]> {
    // Evaluated through the DevTools protocol: the page's CSP (script hashes only) still holds for the page itself.
    await page.evaluate(AXE);
    const result: any = await page.evaluate(() => (window as any).axe.run(document, { resultTypes: ["violations"] }));
    return result.violations
      .filter((v: any) => v.impact === "serious" || v.impact === "critical")
      .map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  }

  async function assertKeyElements(page: Page, json: any) {
    expect(await page.locator('[data-testid="overall-score"]').textContent()).toBe(`${json.score.percent}%`);
    expect(await page.locator('[data-testid="scorecard"] h3').allTextContents()).toEqual(
      json.scorecards.map((s: any) => s.title),
    );
    const statuses = await page
      .locator('[data-testid="category"]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute("data-status"), e.querySelector(".status")!.textContent]));
    const expected = (c: any) => c.status ?? (c.passed ? "pass" : "fail");
    expect(statuses).toEqual(
      json.scorecards.flatMap((s: any) => s.categories.map((c: any) => [expected(c), expected(c)])),
    );
    expect(await page.locator('[data-testid="finding"]').count()).toBe(json.findings.length);
    expect(await page.locator('[data-testid="forecast-timeline"] g.tl-item').count()).toBeGreaterThan(0);
  }

  it("reference organization: no console errors, no request leaves the page, every key element, the filter works, no serious a11y violation", async () => {
    const { file, json } = reports.reference!;
    const { page, consoleErrors, blocked } = await open(file);
    await assertKeyElements(page, json);
    const nodes = await page.locator('figure[data-testid="graph"] svg g.node title').allTextContents();
    expect(nodes).toHaveLength(16);
    for (const s of reports.reference!.services) expect(nodes).toContain(s);
    expect(await page.locator('figure[data-testid="graph"] svg g.edge').count()).toBe(7);
    // The one inline script runs under the CSP: filtering hides non-matching findings.
    const before = await page.locator("tr.finding:visible").count();
    await page.fill("#filter", "OPENAI_API_KEY");
    await expect.poll(() => page.locator("tr.finding:visible").count()).toBeLessThan(before);
    expect(await page.locator("#filter-count").textContent()).toMatch(/^\d+ matching findings$/);
    await page.fill("#filter", "");
    expect(await axeViolations(page)).toEqual([]);
    const shot = path.join(dir, "report.png");
    await page.screenshot({ path: shot, fullPage: false });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    if (process.env.TOLLGATE_UPDATE_SCREENSHOT === "1") {
      await mkdir(path.join(REPO, "docs"), { recursive: true });
      await copyFile(shot, path.join(REPO, "docs/report.png"));
    }
    expect(consoleErrors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  }, 400_000);

  it("generated 200-service organization: a graph node per service, no errors, no requests, no serious a11y violation", async () => {
    const { file, json, services } = reports.large!;
    const { page, consoleErrors, blocked } = await open(file);
    await assertKeyElements(page, json);
    const nodes = await page.locator('figure[data-testid="graph"] svg g.node title').allTextContents();
    expect([...nodes].sort()).toEqual(services);
    expect(await axeViolations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  }, 400_000);

  it("hostile manifest strings stay text: nothing they carry executes; probe health outlines the graph", async () => {
    const { file } = reports.hostile!;
    const { page, consoleErrors, blocked } = await open(file);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => document.scripts.length)).toBe(1);
    expect(await page.locator("main img, main script").count()).toBe(0);
    const waiver = await page.locator('[data-testid="waiver"]').first().textContent();
    expect(waiver).toContain(`<script>window.__pwned = "reason"</script>`);
    expect(waiver).toContain(`"><svg onload="window.__pwned='owner'">`);
    expect(await page.locator("g.node.health-unhealthy title").allTextContents()).toEqual(["chatwoot"]);
    expect(await page.locator("g.node.health-healthy title").allTextContents()).toEqual(["redis"]);
    expect(await page.locator("g.node.health-skipped title").allTextContents()).toEqual(["chatwoot-webhooks"]);
    expect(consoleErrors).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  }, 400_000);
});
