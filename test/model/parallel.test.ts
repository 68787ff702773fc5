/**
 * Large projects are parsed in worker threads. Whatever the mode, users must get exactly the same
 * diagnostics, findings and positions.
 */
import { readdirSync } from "node:fs";
import { cp, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assess } from "../../assess/readiness.js";
import { loadProject } from "../../load/loader.js";
import { renderJson } from "../../report/json.js";
import { NOW, REPO, removeDir, tempDir } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

describe("worker-thread parsing", () => {
  it("the hostile corpus gives identical diagnostics in both modes", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await cp(path.join(REPO, "test/fixtures/base"), dir, { recursive: true });
    await mkdir(path.join(dir, "manifests/corpus"), { recursive: true });
    for (const f of readdirSync(path.join(REPO, "test/fixtures/invalid")))
      await cp(path.join(REPO, "test/fixtures/invalid", f), path.join(dir, "manifests/corpus", f));
    const inThread = await loadProject(dir, { now: NOW, displayBase: dir, workers: 0 });
    const inWorkers = await loadProject(dir, { now: NOW, displayBase: dir, workers: 3 });
    expect(inThread.diagnostics.length).toBeGreaterThan(30);
    const show = (ds: typeof inThread.diagnostics) =>
      ds.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.message} / ${d.hint}`);
    expect(show(inWorkers.diagnostics)).toEqual(show(inThread.diagnostics));
    expect(inWorkers.diagnostics.every((d) => d.line >= 1 && d.col >= 1)).toBe(true);
  });

  it("the reference organization's report is byte-identical in both modes", async () => {
    const render = async (workers: string) => {
      process.env.TOLLGATE_PARSE_WORKERS = workers;
      try {
        return renderJson((await assess(REPO, { now: NOW, version: "test" })).report!);
      } finally {
        delete process.env.TOLLGATE_PARSE_WORKERS;
      }
    };
    const a = await render("0");
    const b = await render("2");
    expect(b).toBe(a);
    expect(JSON.parse(a).findings.length).toBeGreaterThan(20);
  });
});
