/**
 * What makes synth fast must not change what it writes: the streamed dashboard equals the whole
 * one across several batches, the file sink writes and hashes exactly what it is given (and names
 * assets as cdktf would), and synthesis reports progress per environment and file on a TTY only.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { hashPath } from "cdktf/lib/private/fs.js";
import { afterAll, describe, expect, it, vi } from "vitest";
// @ts-expect-error plain JS module shared with the benchmarks
import { generate } from "../../bench/generate.mjs";
import { writeContent } from "../../infra/constructs/file-sink.js";
import { envContext } from "../../infra/generate/context.js";
import { buildDashboard, dashboardChunks, dashboardJson } from "../../infra/generate/grafana-dashboard.js";
import { dashboardSpec } from "../../infra/generate/grafana-spec.js";
import { synthesize } from "../../infra/synth.js";
import { loadProject } from "../../load/loader.js";
import { createProgress } from "../../util/progress.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
async function tmp(): Promise<string> {
  const d = await tempDir("tollgate-synth-stream-");
  dirs.push(d);
  return d;
}

describe("streamed synthesis output", () => {
  it("the dashboard written row by row is the whole dashboard, byte for byte (300 services)", async () => {
    const root = path.join(await tmp(), "org");
    generate(root, { services: 300, secrets: 300, seed: 3, now: NOW, style: "plain" });
    const { project } = await loadProject(root, { now: NOW });
    const ctx = envContext(project!.model, "production", "test");
    const spec = dashboardSpec(ctx);
    const whole = `${JSON.stringify(buildDashboard(spec), null, 2)}\n`;
    const chunks = [...dashboardChunks(spec)];
    // Streamed: a string per row and per panel, never the whole document in one.
    expect(chunks.length).toBeGreaterThan(spec.rows.length);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(whole.length / 10);
    expect(chunks.join("")).toBe(whole);
    expect(dashboardJson(ctx)).toBe(whole);
  }, 120_000);

  it("the file sink writes strings and byte chunks in order, hashing exactly the bytes cdktf would read back", async () => {
    const dir = await tmp();
    const parts = ["{\n", Buffer.from('  "a": "é…",\n'), "  ", '"b": ', Buffer.from("1\n"), "}\n"];
    const expected = Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
    const chunked = writeContent(path.join(dir, "x/chunked.json"), parts, 0o644);
    const whole = writeContent(path.join(dir, "y/whole.json"), expected.toString("utf8"), 0o644);
    for (const [w, f] of [
      [chunked, "x/chunked.json"],
      [whole, "y/whole.json"],
    ] as const) {
      expect(readFileSync(path.join(dir, f)).equals(expected)).toBe(true);
      expect(w.sha256).toBe(createHash("sha256").update(expected).digest("hex"));
      expect(w.assetHash).toBe(hashPath(path.join(dir, f)));
      expect(w.bytes).toBe(expected.length);
    }
  });
});

describe("synth progress", () => {
  it("reports each environment and file as it is written, and draws it on a TTY", async () => {
    const updates: [number, number | undefined, string | undefined][] = [];
    const recorder = { update: (d: number, t?: number, n?: string) => void updates.push([d, t, n]), done() {} };
    const { project } = await loadProject(REPO, { now: NOW });
    await synthesize(project!.model, {
      envs: ["staging", "production"],
      outDir: path.join(await tmp(), "out"),
      version: "test",
      progress: recorder,
    });
    expect(updates).toContainEqual([0, 2, "staging: grafana/dashboards/tollgate-staging.json"]);
    expect(updates).toContainEqual([1, 2, "production: prometheus/rules.yml"]);
    expect(updates.at(-1)).toEqual([2, 2, "writing Terraform configuration"]);

    // The same reports through the shared progress line, on a (fake) terminal. The line is redrawn
    // at most every 100 ms; here the clock moves 200 ms per reading so every report can be seen.
    const writes: string[] = [];
    let clock = Date.now();
    const now = vi.spyOn(Date, "now").mockImplementation(() => (clock += 200));
    try {
      const stream = {
        isTTY: true,
        columns: 200,
        write: (s: string) => (writes.push(s), true),
      } as unknown as NodeJS.WriteStream;
      const progress = createProgress("tollgate synth", { stream, afterMs: 0, env: {} });
      await synthesize(project!.model, {
        envs: ["staging"],
        outDir: path.join(await tmp(), "out"),
        version: "test",
        progress,
      });
      progress.done();
    } finally {
      now.mockRestore();
    }
    expect(writes).toContain("\r\x1b[2Ktollgate synth 0% (0/1) staging: grafana/dashboards/tollgate-staging.json");
    expect(writes).toContain("\r\x1b[2Ktollgate synth 100% (1/1) writing Terraform configuration");
    expect(writes.at(-1)).toBe("\r\x1b[2K");
  }, 120_000);

  it("writes no progress line when stderr is not a terminal", async () => {
    const out = path.join(await tmp(), "out");
    const r = await runCli(["synth", "--env", "staging", "--now", NOW, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("\x1b[2K");
    expect(r.stderr).not.toContain("tollgate synth");
  }, 120_000);
});
