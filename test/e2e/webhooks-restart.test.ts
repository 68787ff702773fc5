/**
 * A receiver on @tollgate/webhooks with Redis, restarted between a delivery and its replay: the
 * replay is refused by the new process (the keys live in Redis). The same receiver on the memory
 * store accepts it, which is why the memory store is for tests and single processes only.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PROFILES, signedHeaders } from "@tollgate/webhooks";
import { startRedis, type RedisServer } from "../helpers/redis-server.js";
import { probeReceiver, secretFor } from "../helpers/webhook-receivers.js";
import { waitFor } from "../helpers/wait.js";

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "webhook-receiver.mjs");
const secret = secretFor("standard-webhooks");
let redis: RedisServer;
const running = new Set<ChildProcess>();
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const p of running) p.kill("SIGKILL");
  await redis?.stop();
});

async function start(store: "redis" | "memory") {
  const proc = spawn(process.execPath, [SCRIPT], {
    env: { ...process.env, STORE: store, REDIS_URL: redis.url, WEBHOOK_SECRET: secret },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(proc);
  let out = "";
  proc.stdout!.on("data", (c) => (out += c));
  proc.stderr!.resume();
  const port = await waitFor("the receiver to listen", () => /listening (\d+)/.exec(out)?.[1], 120_000, 100);
  return {
    url: `http://127.0.0.1:${port}/`,
    processed: () => out.split("\n").filter((l) => l.startsWith("processed ")).length,
    processedIds: () =>
      out
        .split("\n")
        .filter((l) => l.startsWith("processed "))
        .map((l) => l.slice("processed ".length)),
    async stop() {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
      running.delete(proc);
    },
  };
}

const body = JSON.stringify({ type: "order.created", order: 1042 });
const delivery = () =>
  signedHeaders(PROFILES["standard-webhooks"], [secret], {
    body,
    timestamp: Math.floor(Date.now() / 1000),
    id: `msg_${Date.now()}`,
  });
const post = (url: string, headers: Record<string, string>) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });

it("with Redis: a replay after a restart is refused, and the restarted receiver passes the probe", async () => {
  const headers = delivery();
  const first = await start("redis");
  expect((await post(first.url, headers)).status).toBe(200);
  // The receiver prints "processed" on its standard output, which may arrive after its answer.
  await waitFor("the delivery processed", () => first.processed() === 1, 60_000, 20);
  await first.stop();

  const second = await start("redis");
  expect((await post(second.url, headers)).status).toBe(409);
  expect(second.processed()).toBe(0);
  const result = await probeReceiver(second.url, "standard-webhooks", secret);
  expect(result).toMatchObject({ status: "healthy", stage: "ok" });
  // Checked again after the probe's own deliveries were processed and printed: a late line for the
  // replay would show by now.
  await waitFor("the probe's deliveries processed", () => second.processed() > 0, 60_000, 20);
  expect(headers["webhook-id"]).toMatch(/^msg_/);
  expect(second.processedIds()).not.toContain(headers["webhook-id"]);
  await second.stop();
});

it("with the memory store the same replay is processed again after a restart", async () => {
  const headers = delivery();
  const first = await start("memory");
  expect((await post(first.url, headers)).status).toBe(200);
  await first.stop();
  const second = await start("memory");
  expect((await post(second.url, headers)).status).toBe(200);
  await waitFor("the replay processed again", () => second.processed() === 1, 60_000, 20);
  await second.stop();
});
