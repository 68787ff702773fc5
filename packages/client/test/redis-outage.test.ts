/**
 * Redis going away mid-run (issue 24 red-team): the shared budget has no local fallback, so a call
 * fails with one clear ApiError whose cause is the Redis error, and never outlives its deadline
 * while ioredis queues commands waiting to reconnect.
 */
import { ApiError, type ApiPolicy, createApiFetch } from "@tollgate/client";
import { Redis, type RedisOptions } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { type Scripted, scripted, RecordingClock } from "./helpers/scripted.js";
import { type RedisServer, startRedis } from "./helpers/redis.js";

const policy: ApiPolicy = {
  provider: { model: "sliding-window", requests: { limit: 100, perMs: 1000 }, tokens: null, concurrency: 4 },
  budget: { requests: { limit: 50, perMs: 1000 }, tokens: null, concurrency: 2 },
  retry: null,
  circuitBreaker: null,
};

const open: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});
async function setUp(options: RedisOptions = {}): Promise<{ redis: Redis; server: RedisServer; provider: Scripted }> {
  const started = await startRedis();
  let stopped: Promise<void> | null = null;
  const server = { ...started, stop: () => (stopped ??= started.stop()) };
  open.push({ close: () => server.stop() });
  const redis = new Redis({ host: "127.0.0.1", port: server.port, ...options });
  redis.on("error", () => {}); // the outage is the point of the test
  open.push({ close: async () => redis.disconnect() });
  while (redis.status !== "ready") await new Promise((r) => setTimeout(r, 5));
  const provider = await scripted([{ status: 200, body: { ok: true } }]);
  open.push(provider);
  return { redis, server, provider };
}

describe("the Redis budget when Redis goes away", () => {
  it("fails fast with ApiError (cause: the Redis error) when ioredis is told not to queue", async () => {
    const { redis, server, provider } = await setUp({
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    const f = createApiFetch({ policy, api: "x", redis, clock: new RecordingClock() });
    expect((await f(`${provider.url}/a`)).status).toBe(200);
    await server.stop();
    while (redis.status === "ready") await new Promise((r) => setTimeout(r, 5));
    const e = await f(`${provider.url}/a`).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ code: "network", status: null, attempts: 1 });
    expect(String((e as ApiError).cause)).toMatch(/writeable|closed|connect/i);
    expect(provider.requests.length).toBe(1);
  });

  it("when ioredis queues commands until it reconnects (maxRetriesPerRequest: null, as BullMQ needs), the call still ends at its deadline", async () => {
    const { redis, server, provider } = await setUp({ maxRetriesPerRequest: null });
    const clock = new RecordingClock();
    const f = createApiFetch({ policy, api: "x", redis, clock, timeoutMs: 5000 });
    expect((await f(`${provider.url}/a`)).status).toBe(200);
    await server.stop();
    while (redis.status === "ready") await new Promise((r) => setTimeout(r, 5));
    const pending = f(`${provider.url}/a`).then(
      () => null,
      (x: unknown) => x,
    );
    while (clock.timers.length === 0) await new Promise((r) => setTimeout(r, 5));
    clock.pass(5000);
    let settled: unknown;
    void pending.then((x) => (settled = x));
    // Redis stays down, so only the deadline can end the call; give up looking rather than hang.
    for (let i = 0; settled === undefined && i < 4000; i++) await new Promise((r) => setTimeout(r, 5));
    expect(settled).toMatchObject({ code: "timeout", attempts: 1 });
    expect(provider.requests.length).toBe(1);
  });
});
