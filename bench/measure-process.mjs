// One whole process measured through bench/measure.mjs, the same way for every bench: wall time
// from spawn to exit (Node's own start included), the process's CPU time and peak RSS, its exit code.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MEASURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "measure.mjs");

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** → { code, wallMs, innerMs (inside the process), cpuMs, maxRssKb, stderr } */
export function measureProcess(work, script, args, { cwd, env = {} } = {}) {
  const out = path.join(work, `m-${process.hrtime.bigint()}.json`);
  return new Promise((resolve, reject) => {
    const spawned = performance.now();
    const child = spawn(process.execPath, [MEASURE, out, script, ...args], {
      cwd,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NO_COLOR: "1", ...env },
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", () => {
      try {
        const inner = JSON.parse(readFileSync(out, "utf8"));
        resolve({
          code: inner.code,
          wallMs: performance.now() - spawned,
          innerMs: inner.wallMs,
          cpuMs: inner.cpuMs,
          maxRssKb: inner.maxRssKb,
          stderr: err,
        });
      } catch {
        reject(new Error(`${path.basename(script)} ${args.join(" ")} produced no measurement: ${err.slice(0, 500)}`));
      }
    });
  });
}
