// @tollgate/client: per-request overhead over bare fetch on loopback (a server answering a small
// JSON body at once; budget, retry, breaker and metrics on, none of them binding), and the
// throughput a burst achieves against the provider simulator as a fraction of the declared budget.
// usage: node bench/client.mjs (after npm run build; prints JSON). Traffic only to 127.0.0.1.
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { createApiFetch } = await import(pathToFileURL(path.join(ROOT, "packages/client/dist/index.js")).href);
const { startSimulator } = await import(pathToFileURL(path.join(ROOT, "dist/checks/simulate/server.js")).href);
const { Registry } = await import("prom-client");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const window = (limit, perMs) => ({ limit, perMs });

async function perRequestUs(f, url, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await (await f(url)).text();
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

export async function clientBench({ requests = 2000, rounds = 5, log = () => {} } = {}) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${server.address().port}/x`;
  const policy = {
    provider: { model: "sliding-window", requests: window(1e9, 1000), tokens: null, concurrency: null },
    budget: { requests: window(1e9, 1000), tokens: null, concurrency: 64 },
    retry: { maxAttempts: 3, backoff: "exponential", jitter: "full", baseDelayMs: 100, maxDelayMs: 1000 },
    circuitBreaker: { failureThreshold: 5, resetMs: 30_000 },
  };
  const client = createApiFetch({ policy, api: "bench", registry: new Registry() });
  await perRequestUs(fetch, url, 200); // warm up both paths
  await perRequestUs(client, url, 200);
  const bare = [];
  const wrapped = [];
  for (let r = 0; r < rounds; r++) {
    bare.push(await perRequestUs(fetch, url, requests));
    wrapped.push(await perRequestUs(client, url, requests));
  }
  await new Promise((r) => server.close(r));
  const bareUs = Math.round(median(bare));
  const clientUs = Math.round(median(wrapped));
  log(`  client overhead: bare ${bareUs} µs, client ${clientUs} µs per request`);

  // A burst of 3 budgets' worth against a provider allowing 20% more; counted at the simulator.
  const budget = 40;
  const perMs = 1000;
  const sim = await startSimulator({
    api: "bench",
    flavor: "generic",
    provider: { model: "sliding-window", requests: window(budget * 1.2, perMs), tokens: null, concurrency: null },
  });
  const burst = createApiFetch({
    policy: { ...policy, budget: { requests: window(budget, perMs), tokens: null, concurrency: null } },
    api: "burst",
  });
  await Promise.all(Array.from({ length: budget * 3 }, () => burst(`${sim.url}/x`).then((r) => r.text())));
  const times = sim.stats.admitted;
  const first = Math.min(...times);
  const windows = Math.max(1, Math.floor((Math.max(...times) - first) / perMs));
  const fraction = times.filter((t) => t < first + windows * perMs).length / windows / budget;
  const rateLimited = sim.stats.rateLimited;
  await sim.close();
  log(`  client throughput: ${(fraction * 100).toFixed(1)}% of the budget, ${rateLimited} provider 429s`);
  return {
    requests,
    rounds,
    bareUs,
    clientUs,
    overheadUs: clientUs - bareUs,
    budgetPerSecond: budget,
    burst: budget * 3,
    throughputFraction: Math.round(fraction * 1000) / 1000,
    rateLimited,
  };
}

export function clientMarkdown(c) {
  if (!c) return [];
  return [
    "## Declared client (`@tollgate/client`)",
    "",
    `Per-request time over ${c.requests.toLocaleString("en")} sequential loopback requests (median of ${c.rounds} rounds; budget, retry, breaker and metrics on, none binding), and a burst of ${c.burst} requests against the simulator with a budget of ${c.budgetPerSecond}/s (counted at the simulator over full windows).`,
    "",
    "| bare fetch | through the client | overhead per request | throughput ÷ budget | provider 429s |",
    "|---:|---:|---:|---:|---:|",
    `| ${c.bareUs} µs | ${c.clientUs} µs | ${c.overheadUs} µs | ${c.throughputFraction} | ${c.rateLimited} |`,
    "",
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.stdout.write(
    `${JSON.stringify(await clientBench({ requests: Number(process.env.CLIENT_REQUESTS ?? 2000), log: (m) => process.stderr.write(`${m}\n`) }), null, 1)}\n`,
  );
}
