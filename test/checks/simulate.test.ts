/** `tollgate simulate` as users run it: the compiled CLI on 127.0.0.1, port 0, stopped by SIGTERM. */
import { spawn } from "node:child_process";
import { ApiError, type ApiPolicy, createApiFetch } from "@tollgate/client";
import { describe, expect, it } from "vitest";
import { BIN, REPO, runCli } from "../helpers/project.js";

function startCli(
  args: string[],
): Promise<{ url: string; stop: () => Promise<{ code: number | null; stderr: string }> }> {
  const child = spawn(process.execPath, [BIN, "simulate", ...args], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      stdout += d;
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line)
        resolve({
          url: line,
          stop: async () => {
            child.kill("SIGTERM");
            return { code: await exited, stderr };
          },
        });
    });
    void exited.then((code) => reject(new Error(`simulate exited ${code}: ${stderr}`)));
  });
}

describe("tollgate simulate", () => {
  it("--help documents the options", async () => {
    const r = await runCli(["simulate", "--help"]);
    expect(r.code).toBe(0);
    for (const o of ["--api <name>", "--listen <host:port>", "--failure-rate <x>", "--flavor <name>"])
      expect(r.stdout).toContain(o);
  });

  it.each([
    [["--api", "openai", "--listen", "0.0.0.0:0"], /loopback only/],
    [["--api", "opnai"], /no such API.*\n.*Did you mean openai/],
    [["--api", "openai", "--failure-rate", "2"], /--failure-rate must be a number from 0 to 1/],
  ])("bad input %j exits 2 with one message", async (args, message) => {
    const r = await runCli(["simulate", ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("answers as OpenAI: the request over the provider's 400 a minute gets 429 with x-ratelimit headers", async () => {
    const sim = await startCli(["--api", "openai"]);
    const statuses = await Promise.all(
      Array.from({ length: 401 }, () =>
        fetch(`${sim.url}/v1/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], max_tokens: 1 }),
        }).then(async (r) => ({
          status: r.status,
          remaining: r.headers.get("x-ratelimit-remaining-requests"),
          reset: r.headers.get("x-ratelimit-reset-requests"),
          body: (await r.json()) as { error?: { code?: string } },
        })),
      ),
    );
    const limited = statuses.filter((s) => s.status === 429);
    expect(limited.length).toBe(1);
    expect(limited[0]).toMatchObject({ remaining: "0", body: { error: { code: "rate_limit_exceeded" } } });
    expect(limited[0]?.reset).toMatch(/^\d+(\.\d+)?(ms|s)$|^\d+m[\d.]+s$/);
    const { code, stderr } = await sim.stop();
    expect(code).toBe(0);
    expect(stderr).toContain("401 requests, 1 rate-limited");
  });

  it("--failure-rate 1 fails every request, and the client's breaker opens after the declared failures and fails fast", async () => {
    const sim = await startCli(["--api", "chatwoot", "--failure-rate", "1"]);
    const policy: ApiPolicy = {
      provider: { model: "sliding-window", requests: null, tokens: null, concurrency: null },
      budget: { requests: null, tokens: null, concurrency: null },
      retry: null,
      circuitBreaker: { failureThreshold: 3, resetMs: 600_000 },
    };
    const f = createApiFetch({ policy, api: "chatwoot" });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        await f(`${sim.url}/api/v1/conversations`).then(
          () => "ok",
          (e: ApiError) => (e instanceof ApiError ? e.code : "other"),
        ),
      );
    expect(codes).toEqual(["provider-error", "provider-error", "provider-error", "circuit-open", "circuit-open"]);
    const { code, stderr } = await sim.stop();
    expect(code).toBe(0);
    expect(stderr).toContain("3 requests, 0 rate-limited, 0 throttled, 3 failed");
  });
});
