/** How each provider answers: status, headers and body, in its own words. */
import {
  CostBucket,
  type ProviderSpec,
  RequestWindow,
  TokenWindow,
  type Verdict,
  estimateTokens,
} from "./provider-limits.js";

export type Flavor = "openai" | "shopify" | "google-analytics" | "generic";
export const FLAVORS: readonly Flavor[] = ["openai", "shopify", "google-analytics", "generic"];

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** A 429 or THROTTLED answer (counted apart in the stats). */
  limited?: "rate" | "throttled";
}

export interface Call {
  method: string;
  path: string;
  json: Record<string, unknown> | null;
  now: number;
  id: number;
}

/** OpenAI's reset durations: 20ms, 1s, 1m30s. */
export function resetText(ms: number): string {
  if (ms < 1000) return `${Math.max(1, Math.ceil(ms))}ms`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 10) / 100;
  return m > 0 ? `${m}m${s}s` : `${s}s`;
}

export function makeFlavor(flavor: Flavor, spec: ProviderSpec, now: number): (c: Call) => Answer {
  const requests = spec.requests ? new RequestWindow(spec.requests, spec.model, now) : null;
  const admit = (t: number): Verdict => requests?.admit(t) ?? { ok: true, limit: 0, remaining: 0, resetMs: 0 };
  if (flavor === "openai") {
    const tokens = spec.tokens ? new TokenWindow(spec.tokens) : null;
    return (c) => {
      const r = admit(c.now);
      const estimate = estimateTokens(c.json);
      const t = r.ok && tokens ? tokens.admit(c.now, estimate, c.id) : null;
      const headers: Record<string, string> = { "x-request-id": `req_sim${c.id}` };
      if (spec.requests)
        Object.assign(headers, {
          "x-ratelimit-limit-requests": String(r.limit),
          "x-ratelimit-remaining-requests": String(r.remaining),
          "x-ratelimit-reset-requests": resetText(r.resetMs),
        });
      if (t)
        Object.assign(headers, {
          "x-ratelimit-limit-tokens": String(t.limit),
          "x-ratelimit-remaining-tokens": String(t.ok ? t.remaining : 0),
          "x-ratelimit-reset-tokens": resetText(t.resetMs),
        });
      const over = !r.ok ? "requests" : t && !t.ok ? "tokens" : null;
      if (over) {
        if (over === "tokens") headers["x-ratelimit-remaining-tokens"] = "0";
        const limit = over === "requests" ? r.limit : (t as Verdict).limit;
        return {
          status: 429,
          headers,
          limited: "rate",
          body: {
            error: {
              message: `Rate limit reached for ${over} per window: Limit ${limit}. Please try again later.`,
              type: over,
              param: null,
              code: "rate_limit_exceeded",
            },
          },
        };
      }
      const maxTokens = [c.json?.max_tokens, c.json?.max_completion_tokens].find((v) => typeof v === "number") as
        | number
        | undefined;
      const completion = Math.min(maxTokens ?? 20, 20);
      const prompt = estimate - (maxTokens ?? 0);
      tokens?.correct(c.id, prompt + completion);
      if (c.method === "GET")
        return {
          status: 200,
          headers,
          body: { object: "list", data: [{ id: "gpt-sim", object: "model", created: 0, owned_by: "tollgate" }] },
        };
      return {
        status: 200,
        headers,
        body: {
          id: `chatcmpl-sim${c.id}`,
          object: "chat.completion",
          created: 0,
          model: typeof c.json?.model === "string" ? c.json.model : "gpt-sim",
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: "ok", refusal: null },
              logprobs: null,
              finish_reason: "stop",
            },
          ],
          usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
        },
      };
    };
  }
  if (flavor === "shopify") {
    const cost = spec.costPoints ? new CostBucket(spec.costPoints.bucket, spec.costPoints.restorePerSecond, now) : null;
    return (c) => {
      const headers: Record<string, string> = { "x-request-id": `sim-${c.id}` };
      if (c.path.endsWith("/graphql.json") && cost) {
        const query = typeof c.json?.query === "string" ? c.json.query : "";
        // Shopify's static cost: a connection costs its page size plus one per level; simplified to 1 + each `first: N`.
        const requested =
          1 + [...query.matchAll(/\b(?:first|last)\s*:\s*(\d+)/g)].reduce((s, m) => s + Number(m[1]), 0);
        const actual = Math.max(1, Math.ceil(requested / 2));
        const ok = cost.charge(c.now, requested, actual);
        const throttleStatus = {
          maximumAvailable: cost.max,
          currentlyAvailable: Math.floor(cost.level(c.now)),
          restoreRate: cost.restorePerSecond,
        };
        if (!ok) {
          return {
            status: 200,
            headers,
            limited: "throttled",
            body: {
              errors: [
                {
                  message: "Throttled",
                  extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
                },
              ],
              extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus } },
            },
          };
        }
        return {
          status: 200,
          headers,
          body: {
            data: { shop: { name: "Simulated shop" } },
            extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus } },
          },
        };
      }
      const r = admit(c.now);
      if (spec.requests)
        headers["x-shopify-shop-api-call-limit"] = `${Math.max(0, Math.ceil(r.limit - r.remaining))}/${r.limit}`;
      if (!r.ok) {
        headers["retry-after"] = (Math.ceil(r.resetMs / 100) / 10).toFixed(1);
        return {
          status: 429,
          headers,
          limited: "rate",
          body: {
            errors: "Exceeded the call limit for api client. Reduce request rates to resume uninterrupted service.",
          },
        };
      }
      return { status: 200, headers, body: { shop: { id: 1, name: "Simulated shop" } } };
    };
  }
  if (flavor === "google-analytics") {
    return (c) => {
      const r = admit(c.now);
      if (!r.ok)
        return {
          status: 429,
          headers: {},
          limited: "rate",
          body: { error: { code: 429, message: "Exhausted property tokens per hour.", status: "RESOURCE_EXHAUSTED" } },
        };
      return { status: 200, headers: {}, body: { kind: "analyticsData#runReport", rowCount: 0, rows: [] } };
    };
  }
  return (c): Answer => {
    const r = admit(c.now);
    if (!r.ok)
      return {
        status: 429,
        headers: { "retry-after": String(Math.ceil(r.resetMs / 1000)) },
        limited: "rate",
        body: { error: "rate limited" },
      };
    return { status: 200, headers: {}, body: { ok: true } };
  };
}

/** The answer when more requests are in flight than the provider allows. */
export function concurrencyAnswer(flavor: Flavor, limit: number): Answer {
  if (flavor === "google-analytics")
    return {
      status: 429,
      headers: {},
      limited: "rate",
      body: {
        error: { code: 429, message: `Too many concurrent requests (limit ${limit}).`, status: "RESOURCE_EXHAUSTED" },
      },
    };
  return {
    status: 429,
    headers: { "retry-after": "1" },
    limited: "rate",
    body: { error: `too many concurrent requests (limit ${limit})` },
  };
}

export function guessFlavor(api: string): Flavor {
  if (/openai/i.test(api)) return "openai";
  if (/shopify/i.test(api)) return "shopify";
  if (/google|analytics/i.test(api)) return "google-analytics";
  return "generic";
}
