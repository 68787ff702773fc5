/**
 * Dashboards rendered from panel templates (infra/generate/grafana-template.ts) must be exactly
 * what the Grafana SDK builds: the streamed dashboard is compared with
 * `JSON.stringify(buildDashboard(spec), null, 2)` on random dashboards (awkward strings, every
 * panel kind, optional fields present or not, sizes that wrap the grid), on generated
 * organizations with many random services, and on the bundled organization.
 */
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain JS module shared with the benchmarks
import { generate } from "../../bench/generate.mjs";
import { envContext } from "../../infra/generate/context.js";
import { buildDashboard, dashboardChunks, dashboardJson } from "../../infra/generate/grafana-dashboard.js";
import type { DashboardSpec, PanelSpec, RowSpec } from "../../infra/generate/grafana-spec.js";
import { dashboardSpec } from "../../infra/generate/grafana-spec.js";
import { loadProject } from "../../load/loader.js";
import { NOW, REPO, removeDir, tempDir } from "../helpers/project.js";

const sdk = (spec: DashboardSpec) => `${JSON.stringify(buildDashboard(spec), null, 2)}\n`;
const streamed = (spec: DashboardSpec) => [...dashboardChunks(spec)].join("");

const awkward = fc.constantFrom(
  "",
  "…",
  "—",
  "é",
  "😀",
  "\ud800",
  "\u0000",
  "\u0001",
  "\u00010\u0001",
  "\\u0001",
  "9876500000001",
  '"q"',
  "a\\b",
  "a\nb",
  "\t",
  "</script>",
  "$service",
  "{{service}}",
  "1",
  "0",
  "null",
  "__proto__",
);
const text = fc.oneof(
  awkward,
  fc.string({ maxLength: 10 }),
  fc.string({ unit: "grapheme", maxLength: 5 }),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
);
const num = fc.oneof(
  fc.constant(0),
  fc.constant(1),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -5, max: 2000 }),
);
const color = fc.constantFrom("red", "green", "orange", "#00ff00");
const panelSpec: fc.Arbitrary<PanelSpec> = fc.record(
  {
    kind: fc.constantFrom("stat", "timeseries", "table", "bargauge"),
    title: text,
    description: text,
    queries: fc.array(fc.record({ expr: text, legend: text, instant: fc.boolean() }), { minLength: 1, maxLength: 4 }),
    unit: fc.oneof(fc.constantFrom("s", "percentunit", "none", "currencyUSD"), text),
    width: fc.integer({ min: 1, max: 24 }),
    height: fc.integer({ min: 1, max: 12 }),
    min: num,
    max: num,
    steps: fc
      .tuple(color, fc.array(fc.record({ value: num, color }), { maxLength: 3 }))
      .map(([c, rest]) => [{ value: null, color: c }, ...rest]),
    drawThresholds: fc.boolean(),
    mappings: fc.constantFrom(
      [
        { value: "1", text: "UP", color: "green" },
        { value: "0", text: "DOWN", color: "red" },
      ],
      [{ value: "x", text: "é", color: "red" }],
    ),
    links: fc.array(fc.record({ title: text, url: text }), { maxLength: 3 }),
  },
  { requiredKeys: ["kind", "title", "description", "queries", "unit", "width", "height", "steps"] },
) as fc.Arbitrary<PanelSpec>;
const rowSpec: fc.Arbitrary<RowSpec> = fc.record({ title: text, panels: fc.array(panelSpec, { maxLength: 5 }) });
const dashboard: fc.Arbitrary<DashboardSpec> = fc.record({
  uid: text,
  title: text,
  description: text,
  tags: fc.array(text, { maxLength: 3 }),
  datasourceUid: text,
  tiers: fc.array(fc.record({ text, value: text }), { maxLength: 3 }),
  serviceVariableQuery: text,
  rows: fc.array(rowSpec, { maxLength: 8 }),
});

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

describe("dashboards rendered from panel templates", () => {
  it("equal the SDK's dashboard on random specs", () => {
    fc.assert(
      fc.property(dashboard, (spec) => {
        expect(streamed(spec)).toBe(sdk(spec));
      }),
      { numRuns: 1500 },
    );
  });

  it("equal the SDK's dashboard when many panels share a template but not their values", () => {
    // The same shapes over and over with different strings and thresholds: every panel after the
    // first of its shape comes from the template.
    fc.assert(
      fc.property(fc.array(rowSpec, { minLength: 20, maxLength: 60 }), (rows) => {
        const spec: DashboardSpec = {
          uid: "u",
          title: "t",
          description: "d",
          tags: [],
          datasourceUid: "ds",
          tiers: [],
          serviceVariableQuery: "q",
          rows,
        };
        expect(streamed(spec)).toBe(sdk(spec));
      }),
      { numRuns: 150 },
    );
  });

  it("equal the SDK's dashboard when constant text looks like a template's sentinels (that shape falls back to the SDK)", () => {
    const p = (title: string): PanelSpec => ({
      kind: "stat",
      title,
      description: "d",
      unit: "none",
      width: 6,
      height: 4,
      queries: [{ expr: "up", legend: "\u00010\u0001", instant: true }],
      steps: [
        { value: null, color: "red" },
        { value: 1, color: "green" },
      ],
    });
    for (const datasourceUid of ["9876500000001", "8765400000002", "\u00011\u0001", "\u00022\u0002", "ds"]) {
      const rows = [
        { title: "first", panels: [p("a")] },
        ...["b", "c", "\u00013\u0001", "9876500000004"].map((t) => ({ title: t, panels: [p(t), p(`${t}2`)] })),
      ];
      const spec: DashboardSpec = {
        uid: "u",
        title: "t",
        description: "d",
        tags: [],
        datasourceUid,
        tiers: [],
        serviceVariableQuery: "q",
        rows,
      };
      expect(streamed(spec)).toBe(sdk(spec));
    }
  });

  it("equal the SDK's dashboard on generated organizations (every service kind, alerts, runbooks, APIs with costs)", async () => {
    for (const [services, seed] of [
      [400, 11],
      [250, 29],
    ] as const) {
      const root = path.join(await tempDir("tollgate-grafana-template-"), "org");
      dirs.push(path.dirname(root));
      generate(root, { services, secrets: services, seed, now: NOW, style: "plain" });
      const { project } = await loadProject(root, { now: NOW });
      for (const env of ["staging", "production"]) {
        const spec = dashboardSpec(envContext(project!.model, env, "test"));
        expect(spec.rows.length).toBeGreaterThan(services / 2);
        expect(streamed(spec)).toBe(sdk(spec));
      }
    }
  }, 180_000);

  it("equal the SDK's dashboard on the bundled organization", async () => {
    const { project } = await loadProject(REPO, { now: NOW });
    for (const env of project!.model.environments.keys()) {
      const ctx = envContext(project!.model, env, "test");
      expect(dashboardJson(ctx)).toBe(sdk(dashboardSpec(ctx)));
    }
  }, 60_000);
});
