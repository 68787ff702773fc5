/**
 * createApiFetch: a WHATWG fetch that enforces one API's declared client policy, so official SDKs
 * (openai, @shopify/admin-api-client, Octokit) use it unchanged.
 *
 * Per attempt, in this order: breaker admission, a concurrency slot, GraphQL cost points, the
 * request/token budget (last, so the request leaves the moment its budget is granted), the call.
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: the one call path (budget, breaker, attempt, retry, metrics) reads top to bottom; the limiters, breaker, cost points and errors are their own modules.
 */
import { backoffMs } from "./backoff.js";
import { Breaker, type BreakerState, CLOSED } from "./breaker.js";
import { LocalBudget } from "./budget-local.js";
import { RedisBudget, type RedisLike } from "./budget-redis.js";
import type { BudgetStore, Limits } from "./budget-store.js";
import { type Clock, realClock, untilAborted } from "./clock.js";
import { CostPoints } from "./cost-points.js";
import { ApiError, type ApiErrorFields } from "./errors.js";
import { isThrottled, readCost, readUsage, requestIdOf, estimateTokens } from "./inspect.js";
import { type ClientMetrics, type RegistryLike, type StatusClass, createMetrics } from "./metrics.js";
import { type ApiPolicy, type ClientPolicyFile, pickPolicy, share } from "./policy.js";
import { type Prepared, prepare, repeatable } from "./request.js";
import { retryAfterMs } from "./retry-after.js";

export interface ApiFetchOptions {
  /** client-policies.json as `tollgate synth` writes it, or one API's policy object. */
  policy: ClientPolicyFile | ApiPolicy;
  api: string;
  /** The fetch that reaches the provider (default: globalThis.fetch). */
  fetch?: typeof globalThis.fetch;
  /** A prom-client Registry: the client's series are registered there. */
  registry?: RegistryLike;
  /** An ioredis client: the budget is shared by every process using the same Redis. */
  redis?: RedisLike;
  redisPrefix?: string;
  clock?: Clock;
  /** Returns [0, 1); drives the jitter. */
  random?: () => number;
  /** Processes sharing the provider limit without Redis (default: the policy's replicas, else 1). */
  replicas?: number;
  /** Deadline per call, waits and retries included (default: the policy's timeoutMs, else 60 s). */
  timeoutMs?: number;
  /** A header that carries an idempotency key besides Idempotency-Key / X-Idempotency-Key. */
  idempotencyHeader?: string;
}

export type ApiFetch = ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) & {
  /** Resolves once the metrics are registered (at once without a registry). */
  ready: Promise<void>;
  circuitState(): BreakerState;
};

const DEADLINE = Symbol("tollgate-client-deadline");
const NULL_BODY = new Set([101, 204, 205, 304]);
type Outcome =
  | { response: Response; streaming: boolean }
  | { fail: Omit<ApiErrorFields, "api" | "attempts"> & { retryable: boolean } };

/** A ReadableStream request body is spent by its first send, so even a 429 cannot send it again. */
const isStream = (b: unknown): boolean => typeof (b as ReadableStream | null)?.getReader === "function";

const classOf = (status: number): StatusClass =>
  status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : "2xx";

export function createApiFetch(o: ApiFetchOptions): ApiFetch {
  const api = o.api;
  const policy = pickPolicy(o.policy, api);
  const clock = o.clock ?? realClock;
  const random = o.random ?? Math.random;
  const inner = o.fetch ?? globalThis.fetch;
  const metrics: ClientMetrics = createMetrics(o.registry, api);
  const budget = o.redis ? policy.budget : share(policy.budget, o.replicas ?? policy.replicas ?? 1);
  const limits: Limits = { model: policy.provider.model === "token-bucket" ? "bucket" : "log", ...budget };
  const timeoutMs = o.timeoutMs ?? policy.timeoutMs ?? 60_000;
  const store: BudgetStore = o.redis
    ? new RedisBudget(o.redis, limits, clock, o.redisPrefix ?? "tollgate:client:", api, timeoutMs + 1000)
    : new LocalBudget(limits, clock);
  const cb = policy.circuitBreaker;
  const breaker = cb ? new Breaker(cb.failureThreshold, cb.resetMs, clock, (s) => metrics.circuit(s)) : null;
  const cp = policy.provider.costPoints
    ? new CostPoints(policy.provider.costPoints.bucket, policy.provider.costPoints.restorePerSecond, clock.now())
    : null;
  const maxAttempts = policy.retry?.maxAttempts ?? 1;
  const readJson = Boolean(budget.tokens || policy.cost?.unit === "1k-tokens" || cp);
  const idBase = globalThis.crypto.randomUUID();
  let seq = 0;

  async function call(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    await metrics.ready;
    const req = await prepare(input, init);
    const deadline = clock.now() + timeoutMs;
    const ac = new AbortController();
    const appSignal = req.signal;
    if (appSignal?.aborted) throw appSignal.reason;
    const onAppAbort = () => ac.abort(appSignal?.reason);
    appSignal?.addEventListener("abort", onAppAbort, { once: true });
    const cancelDeadline = clock.timer(timeoutMs, () => ac.abort(DEADLINE));
    const canRepeat = repeatable(req, policy.idempotent === true, o.idempotencyHeader);
    const tokens = budget.tokens ? estimateTokens(req.json) : 0;
    const query =
      cp && typeof (req.json as { query?: unknown } | null)?.query === "string"
        ? (req.json as { query: string }).query
        : null;
    const ctx = { req, ac, deadline, canRepeat, tokens, query, attempts: 0, status: null as number | null };
    let previous = 0;
    let streaming = false;
    try {
      for (;;) {
        ctx.attempts++;
        const out = await attempt(ctx);
        if ("response" in out) {
          streaming = out.streaming;
          return out.response;
        }
        const { retryable, ...f } = out.fail;
        if (!retryable || ctx.attempts >= maxAttempts) throw new ApiError({ api, attempts: ctx.attempts, ...f });
        const delay = Math.max(
          policy.retry ? backoffMs(policy.retry, ctx.attempts, previous, random) : 0,
          f.retryAfter ?? 0,
        );
        previous = delay;
        if (clock.now() + delay >= deadline) throw new ApiError({ api, attempts: ctx.attempts, ...f });
        metrics.retry();
        await clock.sleep(delay, ac.signal);
      }
    } catch (e) {
      if (e instanceof ApiError) throw e;
      if (ac.signal.reason === DEADLINE)
        throw new ApiError({ api, code: "timeout", status: ctx.status, attempts: ctx.attempts });
      if (appSignal?.aborted) throw appSignal.reason;
      throw new ApiError({ api, code: "network", attempts: ctx.attempts, cause: e });
    } finally {
      cancelDeadline();
      // A body still streaming stays under the app's signal, as with fetch: an abort cancels it.
      if (!streaming) appSignal?.removeEventListener("abort", onAppAbort);
    }
  }

  type Ctx = {
    req: Prepared;
    ac: AbortController;
    deadline: number;
    canRepeat: boolean;
    tokens: number;
    query: string | null;
    attempts: number;
    status: number | null;
  };

  /** Waiters for budget; woken early when an answer gives budget back (usage below the estimate, unused cost points). */
  type Reason = "tokens" | "cost" | "requests";
  const waiters = new Map<AbortController, Reason>();
  const wake = (reason: Reason) => {
    for (const [w, r] of waiters) if (r === reason) w.abort();
  };

  /** Wait for the budget, or fail now when the wait would pass the deadline. */
  async function waitBudget(ctx: Ctx, ms: number, reason: Reason): Promise<void> {
    if (clock.now() + ms >= ctx.deadline)
      throw new ApiError({ api, code: "rate-limited", status: ctx.status, attempts: ctx.attempts, retryAfter: ms });
    const woken = new AbortController();
    waiters.set(woken, reason);
    const from = clock.now();
    try {
      await clock.sleep(ms, AbortSignal.any([ctx.ac.signal, woken.signal]));
    } catch (e) {
      if (ctx.ac.signal.aborted || !woken.signal.aborted) throw e;
    } finally {
      waiters.delete(woken);
      metrics.throttleWait((clock.now() - from) / 1000);
    }
  }

  async function attempt(ctx: Ctx): Promise<Outcome> {
    const id = `${idBase}:${++seq}`;
    const gate = breaker?.admit() ?? null;
    const trial = gate === "trial";
    if (typeof gate === "number") {
      metrics.request("circuit_open", 0);
      return { fail: { code: "circuit-open", status: ctx.status, retryAfter: gate, retryable: false } };
    }
    let decided = false;
    let entered = false;
    let releaseProbe: (() => void) | null = null;
    try {
      await untilAborted(store.enter(id, ctx.ac.signal), ctx.ac.signal);
      entered = true;
      let reserved = 0;
      if (cp && ctx.query !== null) {
        releaseProbe = await cp.probe(ctx.query, ctx.ac.signal);
        reserved = cp.cost(ctx.query) ?? 1;
        for (let w = cp.waitFor(reserved, clock.now()); w > 0; w = cp.waitFor(reserved, clock.now()))
          await waitBudget(ctx, w, "cost");
        cp.reserve(reserved, clock.now());
      }
      // A GraphQL query is charged in cost points, not requests (Shopify), so it skips the request budget.
      if (ctx.query === null)
        for (
          let t = await untilAborted(store.take(id, ctx.tokens), ctx.ac.signal);
          t.waitMs > 0;
          t = await untilAborted(store.take(id, ctx.tokens), ctx.ac.signal)
        )
          await waitBudget(ctx, t.waitMs, t.byTokens ? "tokens" : "requests");
      const sent = clock.now();
      let res: Response;
      try {
        const body = (ctx.req.body ?? ctx.req.stream ?? undefined) as RequestInit["body"];
        res = await inner(ctx.req.url, {
          ...ctx.req.init,
          method: ctx.req.method,
          headers: ctx.req.headers,
          body,
          signal: ctx.ac.signal,
        });
      } catch (e) {
        if (ctx.query === null) await untilAborted(store.answered(id), ctx.ac.signal).catch(() => {});
        const timedOut = ctx.ac.signal.reason === DEADLINE;
        metrics.request(timedOut ? "timeout" : "network", (clock.now() - sent) / 1000);
        // The app's own abort decides nothing; a deadline passed waiting for the provider is its failure.
        if (timedOut) {
          breaker?.failure();
          decided = true;
        }
        if (ctx.ac.signal.aborted) throw e;
        breaker?.failure();
        decided = true;
        return { fail: { code: "network", status: null, retryable: ctx.canRepeat, cause: e } };
      }
      ctx.status = res.status;
      metrics.request(classOf(res.status), (clock.now() - sent) / 1000);
      // The provider has answered: a budget store failing now must not cost the app that answer.
      if (ctx.query === null) await untilAborted(store.answered(id), ctx.ac.signal).catch(() => {});
      const { response, json, buffered } = await settle(res);
      account(json, id, res.status, ctx, reserved);
      const requestId = requestIdOf(res.headers);
      if (res.status === 429 || (res.status === 200 && json !== null && isThrottled(json))) {
        // Rejected before any work was done, so any method may be sent again (a spent stream cannot be).
        const c = readCost(json);
        const retryAfter =
          res.status === 429
            ? retryAfterMs(res.headers, clock.now())
            : c
              ? Math.ceil((Math.max(0, (c.requested ?? 1) - c.currentlyAvailable) / c.restoreRate) * 1000)
              : null;
        return {
          fail: {
            code: "rate-limited",
            status: res.status,
            retryAfter,
            requestId,
            retryable: !isStream(ctx.req.stream),
          },
        };
      }
      decided = true;
      if (res.status === 408 || res.status >= 500) {
        breaker?.failure();
        return {
          fail: {
            code: "provider-error",
            status: res.status,
            retryAfter: retryAfterMs(res.headers, clock.now()),
            requestId,
            retryable: ctx.canRepeat,
          },
        };
      }
      breaker?.success();
      return { response, streaming: !buffered && response.body !== null };
    } finally {
      // Not awaited: a stalled Redis must not hold the call; its lease frees the slot anyway.
      if (entered) store.leave(id).catch(() => {});
      releaseProbe?.();
      if (!decided) breaker?.neutral(trial);
    }
  }

  /** Reads a JSON body the policy needs (usage, GraphQL cost) and hands the app an equal Response. */
  async function settle(res: Response): Promise<{ response: Response; json: unknown; buffered: boolean }> {
    const type = res.headers.get("content-type") ?? "";
    const needJson = readJson && /json/i.test(type);
    const buffer = needJson || (budget.concurrency !== null && !/event-stream/i.test(type));
    if (!buffer || NULL_BODY.has(res.status) || !res.body) return { response: res, json: null, buffered: false };
    const bytes = new Uint8Array(await res.arrayBuffer());
    let json: unknown = null;
    if (needJson) {
      try {
        json = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        json = null;
      }
    }
    const headers = new Headers(res.headers);
    headers.delete("content-encoding"); // fetch has already decoded the body
    headers.delete("content-length");
    const response = new Response(bytes, { status: res.status, statusText: res.statusText, headers });
    // A constructed Response has no url; SDKs read it (Octokit reports it, redirects resolve against it).
    Object.defineProperties(response, { url: { value: res.url }, redirected: { value: res.redirected } });
    return { response, json, buffered: true };
  }

  function account(json: unknown, id: string, status: number, ctx: Ctx, reserved: number): void {
    const usage = readUsage(json);
    if (usage) {
      if (budget.tokens)
        void store.correct(id, usage.prompt + usage.completion).then(
          () => usage.prompt + usage.completion < ctx.tokens && wake("tokens"),
          () => {},
        );
      metrics.tokens(usage.prompt, usage.completion);
      if (policy.cost?.unit === "1k-tokens")
        metrics.spend(((usage.prompt + usage.completion) / 1000) * policy.cost.unitPriceUsd);
    }
    if (policy.cost?.unit === "request" && status >= 200 && status < 300) metrics.spend(policy.cost.unitPriceUsd);
    const c = cp && ctx.query !== null ? readCost(json) : null;
    if (cp && c && ctx.query !== null) {
      cp.observe(ctx.query, reserved, c, clock.now());
      wake("cost");
    }
  }

  return Object.assign(call, { ready: metrics.ready, circuitState: () => breaker?.current() ?? CLOSED }) as ApiFetch;
}
