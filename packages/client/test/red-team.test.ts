/**
 * Independent review (issue 24): the cases most likely to break a resilient fetch. Each runs the
 * client against a real HTTP server on 127.0.0.1, on an injected clock where time matters.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "@octokit/request";
import { ApiError, type ApiPolicy, createApiFetch } from "@tollgate/client";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingClock } from "./helpers/scripted.js";
import { VirtualClock } from "./helpers/virtual-clock.js";

const policy = (over: Partial<ApiPolicy> = {}): ApiPolicy => ({
  provider: { model: "sliding-window", requests: null, tokens: null, concurrency: null },
  budget: { requests: null, tokens: null, concurrency: null },
  retry: { maxAttempts: 3, backoff: "exponential", jitter: "full", baseDelayMs: 100, maxDelayMs: 1000 },
  circuitBreaker: null,
  ...over,
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
/** A server on 127.0.0.1 whose handler decides per request; `seen` lists the paths it received. */
async function serve(handler: Handler): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? "");
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  servers.push({ close });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}
const json = (res: ServerResponse, status: number, body: unknown = {}, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};
/** Waits for an event, giving up (and failing) after many looks rather than hanging the run. */
const until = async (ok: () => boolean) => {
  for (let i = 0; !ok(); i++) {
    if (i > 4000) throw new Error("the awaited event never came");
    await new Promise((r) => setTimeout(r, 5));
  }
};
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe("Retry-After edges", () => {
  it("an HTTP-date in the past means no wait beyond the backoff; one far in the future (or a huge number) fails at once, unslept", async () => {
    const now = Date.parse("2026-11-24T00:00:00Z");
    for (const [value, expectWait] of [
      ["Mon, 23 Nov 2026 23:59:00 GMT", 0],
      ["Fri, 01 Jan 2100 00:00:00 GMT", Date.parse("2100-01-01T00:00:00Z") - now],
      ["99999999999", 99999999999000],
    ] as const) {
      let n = 0;
      const s = await serve((_q, res) => (n++ === 0 ? json(res, 429, {}, { "retry-after": value }) : json(res, 200)));
      const clock = new RecordingClock(now);
      const f = createApiFetch({ policy: policy(), api: "x", clock, random: () => 0 });
      if (expectWait === 0) {
        expect((await f(`${s.url}/a`)).status).toBe(200);
        expect(clock.delays).toEqual([0]);
      } else {
        expect(await outcome(f(`${s.url}/a`))).toMatchObject({
          code: "rate-limited",
          attempts: 1,
          retryAfter: expectWait,
        });
        expect(clock.delays).toEqual([]);
        expect(s.seen.length).toBe(1);
      }
    }
  });

  it("a deadline longer than Node's timer range (~24.8 days) is honoured, not fired at once", async () => {
    const s = await serve((_q, res) => setTimeout(() => json(res, 200, { ok: true }), 50));
    const f = createApiFetch({ policy: policy(), api: "x", timeoutMs: 2 ** 31 + 60_000 });
    const res = await f(`${s.url}/a`);
    expect(await res.json()).toEqual({ ok: true });
  });
});

describe("the app's abort", () => {
  it("is honoured while waiting for the budget and during backoff, and frees the concurrency slot", async () => {
    const s = await serve((req, res) => (req.url === "/fail" ? json(res, 503) : json(res, 200)));
    const clock = new VirtualClock();
    const f = createApiFetch({
      policy: policy({ budget: { requests: { limit: 1, perMs: 60_000 }, tokens: null, concurrency: 1 } }),
      api: "x",
      clock,
      random: () => 0.5,
      timeoutMs: 600_000,
    });
    expect((await f(`${s.url}/ok`)).status).toBe(200);
    const waiting = new AbortController();
    const inWait = outcome(f(`${s.url}/ok`, { signal: waiting.signal }));
    await until(() => clock.sleeping === 1);
    waiting.abort(new Error("left during the budget wait"));
    expect(await inWait).toMatchObject({ message: "left during the budget wait" });
    clock.t += 60_000; // the window passes; the slot must be free again
    const backing = new AbortController();
    const inBackoff = outcome(f(`${s.url}/fail`, { signal: backing.signal }));
    await until(() => clock.sleeping === 1);
    backing.abort(new Error("left during backoff"));
    expect(await inBackoff).toMatchObject({ message: "left during backoff" });
    expect(s.seen).toEqual(["/ok", "/fail"]);
  });

  it("after the headers came, still cancels a streamed body, as fetch does", { timeout: 30_000 }, async () => {
    let closed = false;
    const s = await serve((_q, res) => {
      res.on("close", () => (closed = true));
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: 1\n\n"); // then holds the stream open
    });
    const ac = new AbortController();
    const res = await createApiFetch({ policy: policy(), api: "x" })(`${s.url}/stream`, { signal: ac.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: 1\n\n");
    ac.abort(new Error("user stopped the stream"));
    await until(() => closed);
    expect(await outcome(reader.read())).toBeTruthy();
  });

  it("is honoured while a GraphQL query waits behind the first probe of its cost", async () => {
    const s = await serve(() => {}); // the first query's answer never comes
    const p = policy({
      provider: {
        model: "token-bucket",
        requests: null,
        tokens: null,
        concurrency: null,
        costPoints: { bucket: 1000, restorePerSecond: 50 },
      },
    });
    const f = createApiFetch({ policy: p, api: "shopify", clock: new RecordingClock() });
    const query = {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ shop { name } }" }),
    };
    void outcome(f(`${s.url}/graphql.json`, query));
    await until(() => s.seen.length === 1);
    const ac = new AbortController();
    const second = outcome(f(`${s.url}/graphql.json`, { ...query, signal: ac.signal }));
    await new Promise((r) => setTimeout(r, 20)); // let it reach the probe wait
    ac.abort(new Error("left while the cost was unknown"));
    let settled: unknown;
    void second.then((x) => (settled = x));
    await until(() => settled !== undefined);
    expect(settled).toMatchObject({ message: "left while the cost was unknown" });
    expect(s.seen.length).toBe(1);
  });
});

describe("circuit breaker", () => {
  it("half-open admits exactly one trial, even when an older call ends neither way meanwhile", async () => {
    let releaseSlow: () => void = () => {};
    const s = await serve((req, res) => {
      if (req.url === "/slow") releaseSlow = () => json(res, 429, {}, { "retry-after": "1" });
      else if (req.url === "/fail") json(res, 500);
      else if (req.url === "/trial")
        return; // hangs: the trial stays in flight
      else json(res, 200);
    });
    const clock = new RecordingClock();
    const f = createApiFetch({
      policy: policy({ retry: null, circuitBreaker: { failureThreshold: 1, resetMs: 1000 } }),
      api: "x",
      clock,
    });
    const slow = outcome(f(`${s.url}/slow`)); // admitted while closed
    await until(() => s.seen.length === 1);
    expect(await outcome(f(`${s.url}/fail`))).toMatchObject({ code: "provider-error" });
    clock.pass(1000);
    const trial = outcome(f(`${s.url}/trial`));
    await until(() => s.seen.length === 3);
    releaseSlow();
    expect(await slow).toMatchObject({ code: "rate-limited" });
    expect(await outcome(f(`${s.url}/second-trial`))).toMatchObject({ code: "circuit-open" });
    expect(s.seen).toEqual(["/slow", "/fail", "/trial"]);
    void trial;
  });
});

describe("circuit breaker, timeouts", () => {
  it("a call that times out on a hanging provider counts as a failure, as docs/client.md says", async () => {
    const s = await serve(() => {}); // never answers
    const clock = new RecordingClock();
    const f = createApiFetch({
      policy: policy({ retry: null, circuitBreaker: { failureThreshold: 1, resetMs: 10_000 } }),
      api: "x",
      clock,
      timeoutMs: 1000,
    });
    const pending = outcome(f(`${s.url}/a`));
    await until(() => s.seen.length === 1);
    clock.pass(1000);
    expect(await pending).toMatchObject({ code: "timeout" });
    expect(f.circuitState()).toBe(2);
    expect(await outcome(f(`${s.url}/a`))).toMatchObject({ code: "circuit-open" });
  });
});

describe("responses", () => {
  it("a buffered response (concurrency or usage read) keeps its url and stays readable by the SDK once", async () => {
    const s = await serve((_q, res) => json(res, 200, { usage: { prompt_tokens: 3, completion_tokens: 4 }, ok: 1 }));
    const p = policy({ budget: { requests: null, tokens: { limit: 10_000, perMs: 60_000 }, concurrency: 2 } });
    const res = await createApiFetch({ policy: p, api: "x", clock: new RecordingClock() })(`${s.url}/v1/chat`, {
      method: "POST",
      body: JSON.stringify({ max_tokens: 5 }),
    });
    expect(res.url).toBe(`${s.url}/v1/chat`);
    expect(res.bodyUsed).toBe(false);
    expect(await res.clone().json()).toMatchObject({ ok: 1 });
    expect(await res.json()).toMatchObject({ ok: 1 });
  });

  it("Octokit's request.fetch (the documented pattern) reports the response url through a buffered response", async () => {
    const s = await serve((_q, res) => json(res, 200, { login: "octocat" }));
    const fetch = createApiFetch({
      policy: policy({ budget: { requests: null, tokens: null, concurrency: 2 } }),
      api: "github",
      clock: new RecordingClock(),
    });
    const r = await request("GET /users/{username}", { username: "octocat", baseUrl: s.url, request: { fetch } });
    expect(r.data).toEqual({ login: "octocat" });
    expect(r.url).toBe(`${s.url}/users/octocat`);
  });

  it("a 429 to a streamed request body is not sent again with the spent stream: rate-limited after one attempt", async () => {
    const s = await serve((req, res) => {
      req.resume();
      json(res, 429, {}, { "retry-after": "1" });
    });
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode("{}"));
        c.close();
      },
    });
    const f = createApiFetch({ policy: policy(), api: "x", clock: new RecordingClock() });
    const e = await outcome(f(`${s.url}/upload`, { method: "POST", body, duplex: "half" } as RequestInit));
    expect(e).toMatchObject({ code: "rate-limited", status: 429, attempts: 1 });
    expect(s.seen.length).toBe(1);
  });
});

describe("replicas without Redis", () => {
  it("refuses a share below one request or slot per process (each would still send one, together over the budget)", () => {
    const tight = policy({
      budget: { requests: { limit: 2, perMs: 60_000 }, tokens: null, concurrency: null },
      replicas: 3,
    });
    expect(() => createApiFetch({ policy: tight, api: "x" })).toThrow(/requests per window 2 ÷ 3 replicas .*redis/);
    const slots = policy({ budget: { requests: null, tokens: null, concurrency: 2 }, replicas: 3 });
    expect(() => createApiFetch({ policy: slots, api: "x" })).toThrow(/concurrency 2 ÷ 3 replicas/);
    expect(() => createApiFetch({ policy: { ...tight, replicas: 2 }, api: "x" })).not.toThrow();
  });
});

describe("secrets", () => {
  it("neither the error nor the metrics carry the API key from the URL or the Authorization header", async () => {
    const registry = new Registry();
    const f = createApiFetch({ policy: policy({ retry: null }), api: "x", registry, clock: new RecordingClock() });
    const e = await outcome(
      f("http://127.0.0.1:9/v1?key=AIzaSECRET", { headers: { authorization: "Bearer sk-SECRET" } }),
    );
    expect(e).toBeInstanceOf(ApiError);
    const err = e as ApiError;
    const shown = [
      String(err),
      err.stack,
      JSON.stringify(err),
      String(err.cause),
      String((err.cause as Error).cause),
      await registry.metrics(),
    ].join("\n");
    expect(shown).not.toMatch(/SECRET/);
  });
});
