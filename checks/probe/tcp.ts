/** TCP reachability for non-HTTP infrastructure; redis:// endpoints must also answer PING. */
import net from "node:net";
import { ProbeFailure, type Outcome } from "./types.js";

export function probeTcp(url: string, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
  const u = new URL(url);
  const isRedis = u.protocol === "redis:";
  const port = Number(u.port || (isRedis ? 6379 : 0));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: u.hostname, port });
    let buffer = "";
    const done = (fn: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      fn();
    };
    const onAbort = () => fail("deadline", "run deadline reached");
    signal?.addEventListener("abort", onAbort, { once: true });
    const fail = (stage: "connect" | "timeout" | "http" | "deadline", detail: string) =>
      done(() => reject(new ProbeFailure({ stage, latencyMs: Date.now() - started, detail })));
    const timer = setTimeout(() => fail("timeout", `no answer within ${timeoutMs} ms`), timeoutMs);
    socket.on("error", (e: NodeJS.ErrnoException) => fail("connect", `${e.code ?? "error"}: ${e.message}`));
    socket.on("connect", () => {
      if (!isRedis) return done(() => resolve({ stage: "ok", latencyMs: Date.now() - started, detail: "TCP connect" }));
      socket.write("*1\r\n$4\r\nPING\r\n");
    });
    socket.on("data", (d) => {
      buffer += d.toString("utf8");
      if (!buffer.includes("\r\n")) return;
      if (buffer.startsWith("+PONG"))
        done(() => resolve({ stage: "ok", latencyMs: Date.now() - started, detail: "redis PONG" }));
      else fail("http", `redis answered ${JSON.stringify(buffer.split("\r\n")[0]!.slice(0, 80))}`);
    });
  });
}
