// Runs a Node.js CLI script in this process and records its wall time, CPU time and peak RSS on exit, so
// every tool (tollgate, Spectral, ajv-cli, bare yaml) is measured the same way, as a whole process.
// usage: node bench/measure.mjs <result.json> <script> [args...]
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [out, script, ...args] = process.argv.slice(2);
const started = performance.now();
process.on("exit", (code) => {
  const usage = process.resourceUsage();
  writeFileSync(
    out,
    JSON.stringify({
      code: process.exitCode ?? code,
      wallMs: performance.now() - started,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
      maxRssKb: usage.maxRSS,
    }),
  );
});
process.argv = [process.argv[0], path.resolve(script), ...args];
await import(pathToFileURL(path.resolve(script)).href);
