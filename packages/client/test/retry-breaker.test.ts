/** Retries, backoff with jitter, Retry-After units, idempotency, the breaker and the deadline, on an injected clock and random source. */
import { ApiError, type ApiPolicy, createApiFetch } from "@tollgate/client";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { RecordingClock, type Scripted, type Step, scripted } from "./helpers/scripted.js";

const policy = (over: Partial<ApiPolicy> = {}): ApiPolicy => ({
  provider: { model: "sliding-window", requests: null, tokens: null, concurrency: null },
  budget: { requests: null, tokens: null, concurrency: null },
  retry: { maxAttempts: 3, backoff: "exponential", jitter: "full", baseDelayMs: 100, maxDelayMs: 1000 },
  circuitBreaker: null,
  ...over,
});

const servers: Scripted[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function provider(steps: Step[]): Promise<Scripted> {
  const s = await scripted(steps);
  servers.push(s);
  return s;
}
async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe("retries", () => {
  it("exponential backoff with full jitter: delay = random x base x 2^(n-1), capped", async () => {
    const s = await provider([{ status: 503 }, { status: 503 }, { status: 200, body: { ok: true } }]);
    const clock = new RecordingClock();
    const f = createApiFetch({ policy: policy(), api: "x", clock, random: () => 0.5 });
    const res = await f(`${s.url}/a`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(s.requests.length).toBe(3);
    expect(clock.delays).toEqual([50, 100]);
  });

  it("delays stay within [0, min(cap, base x 2^(n-1))] for random at both ends", async () => {
    for (const r of [0, 0.999999]) {
      const s = await provider([{ status: 500 }]);
      const clock = new RecordingClock();
      const f = createApiFetch({
        policy: policy({
          retry: { maxAttempts: 6, backoff: "exponential", jitter: "full", baseDelayMs: 400, maxDelayMs: 1000 },
        }),
        api: "x",
        clock,
        random: () => r,
      });
      const e = await failure(f(`${s.url}/a`));
      expect(e).toMatchObject({ code: "provider-error", status: 500, attempts: 6 });
      const caps = [400, 800, 1000, 1000, 1000];
      clock.delays.forEach((d, i) => {
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(caps[i] as number);
      });
      expect(clock.delays.at(-1)).toBe(r === 0 ? 0 : 1000 * r);
    }
  });

  it.each([
    ["Retry-After in seconds", { "retry-after": "3" }, 3000],
    ["Retry-After as a fractional second (Shopify)", { "retry-after": "2.0" }, 2000],
    ["Retry-After as an HTTP-date", { "retry-after": "Tue, 24 Nov 2026 00:00:07 GMT" }, 7000],
    ["retry-after-ms", { "retry-after-ms": "250" }, 250],
    [
      "x-ratelimit-reset-requests of the exhausted limit",
      {
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": "1.5s",
        "x-ratelimit-remaining-tokens": "10",
        "x-ratelimit-reset-tokens": "6m0s",
      },
      1500,
    ],
    [
      "x-ratelimit-reset-tokens in minutes",
      { "x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "1m30s" },
      90_000,
    ],
  ])("429 honours %s", async (_name, headers, expected) => {
    const s = await provider([{ status: 429, headers }, { status: 200 }]);
    const clock = new RecordingClock(Date.parse("2026-11-24T00:00:00Z"));
    const f = createApiFetch({ policy: policy(), api: "x", clock, random: () => 0, timeoutMs: 600_000 });
    expect((await f(`${s.url}/a`)).status).toBe(200);
    expect(clock.delays).toEqual([expected]);
  });

  it("never retries a 400 (or any 4xx but 408/429): the response goes to the app", async () => {
    for (const status of [400, 401, 404, 422]) {
      const s = await provider([{ status, body: { error: "bad" } }]);
      const f = createApiFetch({ policy: policy(), api: "x", clock: new RecordingClock(), random: () => 0 });
      const res = await f(`${s.url}/a`, { method: "POST", body: "{}" });
      expect(res.status).toBe(status);
      expect(s.requests.length).toBe(1);
    }
  });

  it("retries 408 for a GET", async () => {
    const s = await provider([{ status: 408 }, { status: 200 }]);
    const f = createApiFetch({ policy: policy(), api: "x", clock: new RecordingClock(), random: () => 0 });
    expect((await f(`${s.url}/a`)).status).toBe(200);
    expect(s.requests.length).toBe(2);
  });

  it("a POST is retried after a 5xx only when the API is declared idempotent or the request carries an idempotency key", async () => {
    const plain = await provider([{ status: 503 }, { status: 200 }]);
    const e = await failure(
      createApiFetch({ policy: policy(), api: "x", clock: new RecordingClock(), random: () => 0 })(`${plain.url}/a`, {
        method: "POST",
        body: "{}",
      }),
    );
    expect(e).toMatchObject({ code: "provider-error", status: 503, attempts: 1 });
    const keyed = await provider([{ status: 503 }, { status: 200 }]);
    const f = createApiFetch({ policy: policy(), api: "x", clock: new RecordingClock(), random: () => 0 });
    expect(
      (await f(`${keyed.url}/a`, { method: "POST", body: "{}", headers: { "Idempotency-Key": "k1" } })).status,
    ).toBe(200);
    expect(keyed.requests.map((r) => r.headers["idempotency-key"])).toEqual(["k1", "k1"]);
    const declared = await provider([{ status: 503 }, { status: 200 }]);
    const g = createApiFetch({
      policy: policy({ idempotent: true }),
      api: "x",
      clock: new RecordingClock(),
      random: () => 0,
    });
    expect((await g(`${declared.url}/a`, { method: "POST", body: "{}" })).status).toBe(200);
  });

  it("a 429 is retried for a POST too (the provider did no work), and exhausting attempts gives ApiError rate-limited with the provider's request id", async () => {
    const s = await provider([{ status: 429, headers: { "retry-after": "1", "x-request-id": "req_42" } }]);
    const e = await failure(
      createApiFetch({ policy: policy(), api: "openai", clock: new RecordingClock(), random: () => 0 })(`${s.url}/a`, {
        method: "POST",
        body: "{}",
      }),
    );
    expect(e).toMatchObject({
      api: "openai",
      code: "rate-limited",
      status: 429,
      attempts: 3,
      retryAfter: 1000,
      requestId: "req_42",
    });
    expect(s.requests.length).toBe(3);
  });

  it("network failures become ApiError network (never a bare TypeError) and are retried for a GET", async () => {
    const s = await provider(["reset"]);
    const e = await failure(
      createApiFetch({ policy: policy(), api: "x", clock: new RecordingClock(), random: () => 0 })(`${s.url}/a`),
    );
    expect(e).toMatchObject({ code: "network", attempts: 3, status: null });
    expect(e.cause).toBeInstanceOf(TypeError);
    expect(s.requests.length).toBe(3);
    const refused = await failure(
      createApiFetch({ policy: policy({ retry: null }), api: "x", clock: new RecordingClock() })(
        "http://127.0.0.1:9/a",
      ),
    );
    expect(refused).toMatchObject({ code: "network", attempts: 1 });
  });

  it("takes a Request object too, and sends its body again on each attempt", async () => {
    const s = await provider([{ status: 502 }, { status: 200, body: { ok: 1 } }]);
    const f = createApiFetch({ policy: policy(), api: "x", clock: new RecordingClock(), random: () => 0 });
    const res = await f(
      new Request(`${s.url}/a`, {
        method: "POST",
        body: JSON.stringify({ n: 1 }),
        headers: { "content-type": "application/json", "Idempotency-Key": "k2" },
      }),
    );
    expect(await res.json()).toEqual({ ok: 1 });
    expect(s.requests.map((r) => [r.method, r.headers["content-length"], r.headers["idempotency-key"]])).toEqual([
      ["POST", "7", "k2"],
      ["POST", "7", "k2"],
    ]);
  });

  it("the app's own abort rejects with the app's reason, not an ApiError", async () => {
    const s = await provider(["hang"]);
    const f = createApiFetch({ policy: policy(), api: "x", clock: new RecordingClock() });
    const ac = new AbortController();
    const pending = f(`${s.url}/a`, { signal: ac.signal }).then(
      () => null,
      (e: unknown) => e,
    );
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const reason = new Error("user navigated away");
    ac.abort(reason);
    expect(await pending).toBe(reason);
  });

  it("the deadline covers the call: a hanging provider ends in ApiError timeout when the clock passes it", async () => {
    const s = await provider(["hang"]);
    const clock = new RecordingClock();
    const registry = new Registry();
    const f = createApiFetch({ policy: policy(), api: "x", clock, timeoutMs: 5000, registry });
    const pending = failure(f(`${s.url}/a`));
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    clock.pass(4999);
    expect(s.requests.length).toBe(1);
    clock.pass(1);
    expect(await pending).toMatchObject({ code: "timeout", attempts: 1 });
    expect(await registry.metrics()).toContain('tollgate_client_requests_total{api="x",status_class="timeout"} 1');
  });
});

describe("circuit breaker", () => {
  it("opens after N consecutive failures, fails fast, half-opens after reset, closes on success, reopens on a failed trial", async () => {
    const s = await provider([
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 200 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
      { status: 500 },
    ]);
    const clock = new RecordingClock();
    const registry = new Registry();
    const f = createApiFetch({
      policy: policy({ retry: null, circuitBreaker: { failureThreshold: 3, resetMs: 10_000 } }),
      api: "x",
      clock,
      registry,
    });
    const state = async () =>
      Number(/tollgate_client_circuit_state\{api="x"\} (\d)/.exec(await registry.metrics())?.[1]);
    for (let i = 0; i < 3; i++) await failure(f(`${s.url}/a`));
    expect(f.circuitState()).toBe(2);
    expect(await state()).toBe(2);
    const fast = await failure(f(`${s.url}/a`));
    expect(fast).toMatchObject({ code: "circuit-open", attempts: 1, retryAfter: 10_000 });
    expect(s.requests.length).toBe(3);
    clock.pass(10_000);
    await failure(f(`${s.url}/a`)); // the half-open trial fails: open again at once
    expect(f.circuitState()).toBe(2);
    expect(s.requests.length).toBe(4);
    clock.pass(10_000);
    expect((await f(`${s.url}/a`)).status).toBe(200);
    expect(f.circuitState()).toBe(0);
    expect(await state()).toBe(0);
    // Closed again: it takes N new consecutive failures to open.
    await failure(f(`${s.url}/a`));
    await failure(f(`${s.url}/a`));
    expect(f.circuitState()).toBe(0);
    await failure(f(`${s.url}/a`));
    expect(f.circuitState()).toBe(2);
    expect(await registry.metrics()).toContain('tollgate_client_requests_total{api="x",status_class="circuit_open"} 1');
  });

  it("a 4xx answer is not a provider failure and does not open the breaker", async () => {
    const s = await provider([{ status: 404 }]);
    const f = createApiFetch({
      policy: policy({ retry: null, circuitBreaker: { failureThreshold: 2, resetMs: 1000 } }),
      api: "x",
      clock: new RecordingClock(),
    });
    for (let i = 0; i < 4; i++) expect((await f(`${s.url}/a`)).status).toBe(404);
    expect(f.circuitState()).toBe(0);
  });
});
