/**
 * `--format gitlab`: GitLab's Code Quality report. The real CLI on a copy of the reference
 * organization nested in a git repository: every issue has the documented shape, paths resolve
 * from the repository root, fingerprints are unique and stable across runs, waived findings are
 * left out, and hostile text stays one JSON string with control characters escaped.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { afterAll, describe, expect, it } from "vitest";
import { evaluate } from "../../policies/engine.js";
import { loadProject } from "../../load/loader.js";
import { renderGitlab } from "../../report/gitlab.js";
import type { Policy } from "../../policies/types.js";
import { NOW, copyReferenceOrg, removeDir, runCli, tempDir, writeProject } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
const track = (d: string) => (dirs.push(d), d);

const Issue = z.strictObject({
  description: z.string().min(1),
  check_name: z.string().min(1),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  severity: z.enum(["info", "minor", "major", "critical", "blocker"]),
  location: z.strictObject({ path: z.string().min(1), lines: z.strictObject({ begin: z.number().int().min(1) }) }),
});

describe("gitlab code quality", () => {
  it("paths from the repository root, unique stable fingerprints, no waived findings", async () => {
    const repo = track(await tempDir());
    await mkdir(path.join(repo, "northwind"));
    await rename(await copyReferenceOrg(), path.join(repo, "northwind", "catalog"));
    execFileSync("git", ["-C", repo, "init", "-q", "-b", "main"]);
    const out = path.join(repo, "gl.json");
    const run = async () => {
      const r = await runCli(
        ["check", "--root", "catalog", "--now", NOW, "--format", `gitlab=${out}`, "--fail-on", "never"],
        { cwd: path.join(repo, "northwind") },
      );
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(await readFile(out, "utf8")) as unknown[];
    };
    const first = await run();
    const issues = z.array(Issue).parse(first);
    expect(issues.length).toBeGreaterThan(0);
    for (const i of issues) {
      expect(i.location.path).toMatch(/^northwind\/catalog\//);
      expect(existsSync(path.join(repo, i.location.path)), i.location.path).toBe(true);
    }
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    expect(await run()).toEqual(first);
    // The reference org waives findings; none of them is in the report.
    const json = JSON.parse(
      (
        await runCli(["check", "--root", "catalog", "--now", NOW, "--format", "json", "--fail-on", "never"], {
          cwd: path.join(repo, "northwind"),
        })
      ).stdout,
    );
    expect(json.summary.waived).toBeGreaterThan(0);
    expect(issues).toHaveLength(json.findings.filter((f: any) => !f.waived).length);
    expect(new Set(issues.map((i) => i.severity))).toEqual(
      new Set(
        json.findings
          .filter((f: any) => !f.waived)
          .map((f: any) => ({ error: "major", warning: "minor", note: "info" })[f.severity as "error"]),
      ),
    );
  }, 120_000);

  it("input errors are blocker issues on the file, so the merge request says why nothing was evaluated", async () => {
    const root = track(
      await writeProject({
        "tollgate.yaml": "manifests: [manifests]\n",
        "manifests/a.yaml": "services:\n  api: { kind: infra }\n",
      }),
    );
    const r = await runCli(["check", "--root", ".", "--now", NOW, "--format", "gitlab"], { cwd: root });
    expect(r.code).toBe(2);
    const issues = z.array(Issue).parse(JSON.parse(r.stdout));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.severity === "blocker")).toBe(true);
    expect(issues.map((i) => i.location.path)).toContain("manifests/a.yaml");
  }, 60_000);

  it("hostile subject and message: one JSON string each, control characters escaped, fingerprint independent of the message", async () => {
    const dir = track(await tempDir());
    await mkdir(path.join(dir, "manifests"));
    await writeFile(
      path.join(dir, "manifests/m.yaml"),
      "environments:\n  staging: { deployed: true }\nservices:\n  api:\n    kind: infra\n    owner: team\n    tier: low\n",
    );
    const message = { text: 'line one\nline "two" \u001b[31mred\u001b[0m </script> & more' };
    const hostile: Policy = {
      id: "hostile-text",
      title: "t",
      category: "monitoring",
      severity: "warning",
      rationale: "r",
      remediation: "m",
      options: z.strictObject({}),
      check: (_ctx, report) =>
        report({
          subject: "service/api",
          message: message.text,
          at: { section: "services", name: "api", path: ["tier"] },
        }),
    };
    const { project, ok } = await loadProject(dir, { now: NOW, displayBase: dir });
    expect(ok).toBe(true);
    const render = async () => {
      const report = (await evaluate(project, { customPolicies: [hostile] })).report;
      report.findings = report.findings.filter((f) => f.ruleId === "hostile-text");
      return renderGitlab(report, { srcRoot: dir, cwd: dir });
    };
    const text = await render();
    expect(text).not.toContain("\u001b");
    const [issue] = z.array(Issue).parse(JSON.parse(text));
    expect(issue).toMatchObject({
      check_name: "hostile-text",
      severity: "minor",
      location: { path: "manifests/m.yaml", lines: { begin: 7 } },
    });
    expect(issue!.description).toBe('service/api: line one\nline "two" \\u001b[31mred\\u001b[0m </script> & more');
    message.text = "reworded";
    const [again] = JSON.parse(await render());
    expect(again.fingerprint).toBe(issue!.fingerprint);
  });
});
