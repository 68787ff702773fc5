/** A real redis-server on a free 127.0.0.1 port, in its own temp folder, nothing persisted. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { requireTool } from "./tools.js";
import { freePort, waitFor } from "./wait.js";

export interface RedisServer {
  url: string;
  port: number;
  /** A new client; closed by stop(). */
  client(): Redis;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const bin = requireTool("redis-server");
  const dir = mkdtempSync(path.join(tmpdir(), "tollgate-redis-"));
  const port = await freePort();
  const proc = spawn(
    bin,
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
      "--protected-mode",
      "yes",
    ],
    { stdio: "ignore" },
  );
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis({ host: "127.0.0.1", port, lazyConnect: false, maxRetriesPerRequest: 2 });
    clients.push(c);
    return c;
  };
  const probe = new Redis({
    host: "127.0.0.1",
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on("error", () => {}); // refused until the server listens: waitFor retries
  await waitFor(
    "redis-server to answer PING",
    async () => {
      try {
        if (probe.status !== "ready") await probe.connect();
        return (await probe.ping()) === "PONG";
      } catch {
        probe.disconnect();
        return false;
      }
    },
    60_000,
  );
  probe.disconnect();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client,
    async stop() {
      for (const c of clients) c.disconnect();
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
