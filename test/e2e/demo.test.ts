/**
 * `npm run demo` (scripts/demo.mjs): starts the whole stack in a fresh folder, and on SIGTERM stops
 * every process it started and removes the folder.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/project.js";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("npm run demo", () => {
  it("serves probes through Prometheus and the blackbox exporter with no alert, then SIGTERM stops every child and removes its folder", async () => {
    const demo = spawn(process.execPath, [path.join(REPO, "scripts/demo.mjs"), "--free-ports"], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    demo.stdout!.on("data", (d) => (out += d));
    demo.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => demo.once("exit", (code) => r(code)));
    try {
      while (!/^tollgate demo ready in (\S+)/m.test(out)) {
        if (demo.exitCode !== null || /^demo failed/m.test(out)) throw new Error(`demo did not start:\n${out}`);
        await sleep(250);
      }
      const dir = /^tollgate demo ready in (\S+)/m.exec(out)![1]!;
      const pids = /^pids: (.+)$/m.exec(out)![1]!.split(" ").map(Number);
      const prom = /^Prometheus: +(http:\/\/127\.0\.0\.1:\d+)\/alerts$/m.exec(out)![1]!;
      expect(pids[0]).toBe(demo.pid);
      expect(pids.length).toBe(4); // the demo, prometheus, alertmanager, blackbox exporter
      expect(existsSync(path.join(dir, "out/config/local/prometheus/prometheus.yml"))).toBe(true);

      const query = async (q: string) =>
        ((await (await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as any).data
          .result as any[];
      while ((await query("tollgate_probe_success == 1")).length < 4) await sleep(500);
      while ((await query('probe_success{job="tollgate-blackbox"} == 1')).length < 4) await sleep(500);
      // A fresh start: nothing carried over from an earlier run.
      const alerts = ((await (await fetch(`${prom}/api/v1/alerts`)).json()) as any).data.alerts;
      expect(alerts.filter((a: any) => a.state === "firing")).toEqual([]);

      demo.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(out).toContain(`tollgate demo stopped; removed ${dir}`);
      for (const pid of pids) expect(alive(pid), `pid ${pid} still running`).toBe(false);
      expect(existsSync(dir)).toBe(false);
    } finally {
      if (demo.exitCode === null) demo.kill("SIGKILL");
    }
  });
});
