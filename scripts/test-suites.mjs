// Runs the unit suite and the e2e suite side by side (the last step of `npm test`). The e2e files
// spend most of their time waiting on Prometheus and Alertmanager evaluating and routing (a quarter
// of a core for two minutes), and they stay green with two busy CPUs beside them, so they overlap
// the CPU-bound unit suite instead of following it. The e2e report is printed after the unit one,
// whole, so the two never interleave; the exit code is non-zero when either suite failed.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// vitest's own command (its package.json `bin`), run with this Node.
const manifest = createRequire(import.meta.url).resolve("vitest/package.json");
const vitest = path.join(path.dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin.vitest);

function run(args, capture) {
  const child = spawn(process.execPath, [vitest, "run", ...args], {
    stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
    env: { ...process.env, ...(capture ? { FORCE_COLOR: process.stdout.isTTY ? "1" : "0" } : {}) },
  });
  const chunks = [];
  if (capture) {
    child.stdout.on("data", (d) => chunks.push(d));
    child.stderr.on("data", (d) => chunks.push(d));
  }
  const done = new Promise((resolve) => {
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on("error", () => resolve(1));
  });
  return { child, done, output: () => Buffer.concat(chunks) };
}

const unit = run([], false);
const e2e = run(["--config", "vitest.e2e.config.ts"], true);
for (const signal of ["SIGINT", "SIGTERM"])
  process.on(signal, () => {
    unit.child.kill(signal);
    e2e.child.kill(signal);
  });

const unitCode = await unit.done;
const e2eCode = await e2e.done;
process.stdout.write("\n--- e2e suite (ran beside the unit suite) ---\n");
process.stdout.write(e2e.output());
process.exitCode = unitCode !== 0 ? unitCode : e2eCode;
