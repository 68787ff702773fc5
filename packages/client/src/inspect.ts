/** What the client reads from a request body and a JSON response: token counts, GraphQL cost, THROTTLED. */

/**
 * Tokens a call may use, as OpenAI counts it against the limit before answering: the prompt's
 * characters / 4 plus `max_tokens` (or its newer names). The simulator counts the same way.
 */
export function estimateTokens(body: unknown): number {
  if (!body || typeof body !== "object") return 0;
  const b = body as Record<string, unknown>;
  const prompt = b.messages ?? b.input ?? b.prompt;
  const promptTokens = prompt === undefined ? 0 : Math.ceil(JSON.stringify(prompt).length / 4);
  const max = [b.max_tokens, b.max_completion_tokens, b.max_output_tokens].find(
    (v) => typeof v === "number" && v >= 0,
  ) as number | undefined;
  return promptTokens + (max ?? 0);
}

export interface Usage {
  prompt: number;
  completion: number;
}

/** `usage` of the Chat Completions, Completions, Embeddings or Responses APIs. */
export function readUsage(json: unknown): Usage | null {
  const u = (json as { usage?: Record<string, unknown> } | null)?.usage;
  if (!u || typeof u !== "object") return null;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);
  const prompt = n(u.prompt_tokens ?? u.input_tokens);
  const completion = n(u.completion_tokens ?? u.output_tokens);
  return prompt + completion > 0 || "total_tokens" in u ? { prompt, completion } : null;
}

export interface GraphqlCost {
  requested: number | null;
  actual: number | null;
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Shopify's `extensions.cost`, present on answers and on THROTTLED errors alike. */
export function readCost(json: unknown): GraphqlCost | null {
  const c = (json as { extensions?: { cost?: Record<string, unknown> } } | null)?.extensions?.cost;
  const t = c?.throttleStatus as Record<string, unknown> | undefined;
  if (
    !c ||
    !t ||
    typeof t.currentlyAvailable !== "number" ||
    typeof t.restoreRate !== "number" ||
    typeof t.maximumAvailable !== "number"
  )
    return null;
  const num = (v: unknown) => (typeof v === "number" ? v : null);
  return {
    requested: num(c.requestedQueryCost),
    actual: num(c.actualQueryCost),
    maximumAvailable: t.maximumAvailable,
    currentlyAvailable: t.currentlyAvailable,
    restoreRate: t.restoreRate,
  };
}

/** Shopify answers a throttled GraphQL query with HTTP 200 and an error coded THROTTLED. */
export function isThrottled(json: unknown): boolean {
  const errors = (json as { errors?: unknown } | null)?.errors;
  return (
    Array.isArray(errors) &&
    errors.some((e) => (e as { extensions?: { code?: unknown } } | null)?.extensions?.code === "THROTTLED")
  );
}

const REQUEST_ID_HEADERS = [
  "x-request-id",
  "request-id",
  "x-shopify-request-id",
  "x-goog-request-id",
  "x-github-request-id",
  "cf-ray",
];

export function requestIdOf(headers: Headers): string | null {
  for (const h of REQUEST_ID_HEADERS) {
    const v = headers.get(h);
    if (v) return v.slice(0, 200);
  }
  return null;
}
