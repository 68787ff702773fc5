/**
 * Three processes share one provider limit. With the Redis budget they never exceed it together,
 * counted at the simulator; without Redis each takes budget ÷ replicas, and a wrong replica count
 * overruns it (the test can fail).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ApiPolicy } from "@tollgate/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peakPerWindow, startSimulator } from "../../../checks/simulate/server.js";
import { type RedisServer, startRedis } from "./helpers/redis.js";

const require = createRequire(import.meta.url);
const CLIENT = pathToFileURL(require.resolve("@tollgate/client")).href;
const IOREDIS = pathToFileURL(require.resolve("ioredis")).href;
const BUDGET = 10;
const WINDOW = 1000;
/** Loopback transit differs between requests on a loaded machine; a window this much shorter absorbs it. */
const TRANSIT_ALLOWANCE = 150;

const policy = (replicas: number): ApiPolicy => ({
  provider: {
    model: "sliding-window",
    requests: { limit: 2 * BUDGET, perMs: WINDOW },
    tokens: null,
    concurrency: null,
  },
  budget: { requests: { limit: BUDGET, perMs: WINDOW }, tokens: null, concurrency: null },
  retry: null,
  circuitBreaker: null,
  replicas,
  timeoutMs: 120_000,
});

const WORKER = `
const [client, ioredis, url, redisUrl, policyJson, n] = process.argv.slice(2);
const { createApiFetch } = await import(client);
const { Redis } = await import(ioredis);
const redis = redisUrl ? new Redis(redisUrl) : undefined;
// Warm up (fetch's first use loads its machinery; Redis connects), so requests leave when granted.
await redis?.ping();
await fetch("data:text/plain,warm");
const f = createApiFetch({ policy: JSON.parse(policyJson), api: "shared", redis });
const statuses = await Promise.all(Array.from({ length: Number(n) }, () => f(url + "/v1/thing").then((r) => r.status, (e) => e.code)));
process.stdout.write(JSON.stringify(statuses));
redis?.disconnect();
`;

let dir: string;
let redis: RedisServer;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "tollgate-replicas-"));
  await writeFile(path.join(dir, "worker.mjs"), WORKER);
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

function worker(url: string, redisUrl: string, p: ApiPolicy, n: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(dir, "worker.mjs"), CLIENT, IOREDIS, url, redisUrl, JSON.stringify(p), String(n)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exited ${code}: ${err}`)),
    );
  });
}

async function run(redisUrl: string, replicas: number) {
  const sim = await startSimulator({ api: "shared", provider: policy(replicas).provider, flavor: "generic" });
  try {
    const results = await Promise.all([0, 1, 2].map(() => worker(sim.url, redisUrl, policy(replicas), 12)));
    return {
      statuses: results.flat(),
      peak: peakPerWindow(sim.stats.arrivals, WINDOW - TRANSIT_ALLOWANCE),
      rateLimited: sim.stats.rateLimited,
    };
  } finally {
    await sim.close();
  }
}

describe("a budget shared by replicas", () => {
  it("three processes on one redis-server stay under the declared budget together", async () => {
    const r = await run(redis.url, 1);
    expect(r.statuses).toEqual(Array(36).fill(200));
    expect(r.rateLimited).toBe(0);
    expect(r.peak).toBeLessThanOrEqual(BUDGET);
    expect(r.peak).toBeGreaterThanOrEqual(BUDGET - 1); // and they use it, not a third of it
  });

  it("without Redis, replicas: 3 gives each process a third; replicas: 1 lets three processes overrun the budget", async () => {
    const shared = await run("", 3);
    expect(shared.statuses).toEqual(Array(36).fill(200));
    expect(shared.peak).toBeLessThanOrEqual(BUDGET);
    const wrong = await run("", 1);
    expect(wrong.peak).toBeGreaterThan(BUDGET);
    expect(wrong.rateLimited).toBeGreaterThan(0);
  });
});
