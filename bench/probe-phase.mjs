// Times the probe work alone (runProbes over N loopback endpoints), without process start-up or
// manifest loading, for comparison with the ideal bound. usage: node bench/probe-phase.mjs <port> <n> <concurrency>
import { buildModel } from "../dist/model/build.js";
import { runProbes } from "../dist/checks/probe/runner.js";

const [port, n, concurrency] = process.argv.slice(2).map(Number);
const services = Object.fromEntries(
  Array.from({ length: n }, (_, i) => [
    `ep-${i}`,
    {
      kind: "http-api",
      owner: "bench",
      tier: "low",
      endpoints: { local: { url: `http://127.0.0.1:${port}/ep/${i}` } },
      healthCheck: { timeout: "5s" },
    },
  ]),
);
const model = buildModel({ environments: { local: { deployed: true } }, services });
const times = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const { results } = await runProbes(model, { env: "local", concurrency, environment: {} });
  if (results.some((r) => r.status !== "healthy")) {
    process.exitCode = 1;
    break;
  }
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ medianMs: Math.round(times[1] ?? times[0]) }));
