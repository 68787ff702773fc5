/**
 * Reports at scale: every `check --format` renders 100k findings, and its work grows linearly
 * with the findings (no clock: work is counted). Two counters, both from the real reporters over a
 * real engine report: reads of the findings (every property read through a Proxy, so a reporter
 * that re-scans the findings per finding is caught), and array iteration steps (the patched
 * Array iterator counts every element a spread, for-of or destructuring visits, so copying a growing
 * list once per finding, as JUnit and HTML did, is caught). Each counter and the output size at 100k
 * must be at most 12x their value at 10k (quadratic work would be ~100x).
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { evaluate, type Report } from "../../policies/engine.js";
import { REPORTERS } from "../../report/registry.js";
import type { Policy } from "../../policies/types.js";
import { NOW, removeDir, tempDir } from "../helpers/project.js";

const policy =
  (id: string, severity: "error" | "warning", share: (n: number) => number): ((n: number) => Policy) =>
  (n) => ({
    id,
    title: `Many ${id}`,
    category: "monitoring",
    severity,
    rationale: "Scale.",
    remediation: "None.",
    options: z.strictObject({}),
    scorecard: { id: "monitoring", category: id },
    check: (_ctx, report) => {
      for (let i = 0; i < share(n); i++)
        report({
          subject: `service/api-${i}`,
          key: String(i),
          message: `finding ${i} [x](https://evil.example)`,
          at: { section: "services", name: "api", path: ["tier"] },
        });
    },
  });
const POLICIES = [policy("many-errors", "error", (n) => n / 2), policy("many-warnings", "warning", (n) => n / 2)];

let dir: string;
const reports = new Map<number, Report>();
beforeAll(async () => {
  dir = await tempDir();
  await mkdir(path.join(dir, "manifests"));
  await writeFile(
    path.join(dir, "manifests/s.yaml"),
    "environments:\n  staging: { deployed: true }\nservices:\n  api:\n    kind: infra\n    owner: team\n    tier: low\n",
  );
  const { project, ok, diagnostics } = await loadProject(dir, { now: NOW, displayBase: dir });
  expect(ok, JSON.stringify(diagnostics)).toBe(true);
  for (const n of [10_000, 100_000, 300_000]) {
    const { report } = await evaluate(project, { customPolicies: POLICIES.map((p) => p(n)) });
    expect(report.findings.filter((f) => f.ruleId.startsWith("many-"))).toHaveLength(n);
    reports.set(n, report);
  }
}, 600_000);
afterAll(async () => removeDir(dir));

/** A linear reporter does a few dozen units of work per finding; far past that, stop at once (quadratic work would run for minutes). */
const BUDGET_PER_FINDING = 200;

/** Renders with both counters on; the findings are proxied only for this call. */
async function measure(format: string, report: Report): Promise<{ size: number; reads: number; steps: number }> {
  let reads = 0;
  let steps = 0;
  const budget = BUDGET_PER_FINDING * report.findings.length + 100_000;
  const over = () => {
    if (reads > budget || steps > budget)
      throw new Error(
        `work budget exceeded: ${reads} reads, ${steps} iteration steps for ${report.findings.length} findings`,
      );
  };
  const counted = <T extends object>(o: T): T =>
    new Proxy(o, { get: (t, k, r) => ((reads += 1), over(), Reflect.get(t, k, r)) });
  const findings = counted(report.findings.map(counted));
  const original = Array.prototype[Symbol.iterator];
  Array.prototype[Symbol.iterator] = function (this: unknown[]) {
    const it = original.call(this);
    return {
      next: () => ((steps += 1), over(), it.next()),
      [Symbol.iterator]() {
        return this;
      },
    } as ArrayIterator<unknown>;
  };
  let out: string;
  try {
    out = await REPORTERS.find((r) => r.format === format)!.render({ report: { ...report, findings }, srcRoot: dir });
  } finally {
    Array.prototype[Symbol.iterator] = original;
  }
  process.stderr.write(
    `${format} ${report.findings.length}: ${Buffer.byteLength(out)} bytes, ${reads} reads, ${steps} steps\n`,
  );
  return { size: Buffer.byteLength(out), reads, steps };
}

describe("every reporter is linear in the findings", () => {
  for (const { format } of REPORTERS) {
    it(`${format}: 100k findings render, with work and size at most 12x those of 10k`, {
      timeout: 600_000,
    }, async () => {
      const small = await measure(format, reports.get(10_000)!);
      const large = await measure(format, reports.get(100_000)!);
      expect(large.size).toBeGreaterThan(0);
      // Each finding is read (a format that lists none, such as the badge, reads few or none).
      for (const k of ["size", "reads", "steps"] as const) {
        expect(large[k], `${k}: ${small[k]} at 10k, ${large[k]} at 100k`).toBeLessThanOrEqual(
          Math.max(12 * small[k], 1_000),
        );
      }
      if (!["badge", "prometheus"].includes(format)) expect(large.reads).toBeGreaterThanOrEqual(100_000);
    });
  }
});

it("markdown renders 300k findings (its rows were spread into one push: past ~40-200k findings, depending on the stack, that overflowed it)", {
  timeout: 600_000,
}, async () => {
  const md = await REPORTERS.find((r) => r.format === "markdown")!.render({ report: reports.get(300_000)! });
  expect(md.split("\n").filter((l) => l.startsWith("| error |") && l.includes("many-errors")).length).toBe(150_000);
});
