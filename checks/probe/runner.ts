/**
 * model → probe. Probes every service of one environment: parents before children (a child of a
 * down required parent is skipped; an optional parent never skips a child), at most N at once, each attempt bounded by its timeout, retried with
 * exponential backoff and full jitter (cockatiel), behind a per-service circuit breaker.
 *
 * Over ~250 lines (Biome, 120 columns) on purpose: the run's scheduler (order, concurrency, deadline, retries) and the per-service settings it resolves share one state; the kinds of probe live in their own files.
 */
import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  fullJitterGenerator,
  handleWhen,
  retry,
  wrap,
  BrokenCircuitError,
} from "cockatiel";
import { durationMs } from "../../model/duration.js";
import { missingVariables, probeSettings } from "../../model/probe-settings.js";
import type { Model } from "../../model/model.js";
import type { ServiceT } from "../../model/schema.js";
import { AgentPool } from "./http-client.js";
import { probeHttp } from "./http.js";
import { reservedHost } from "./reserved-host.js";
import { probeRedactor, Redactor } from "./redact.js";
import { probeTcp } from "./tcp.js";
import type { LockedTools } from "./mcp-drift.js";
import type { ClientCredentials } from "./mcp-oauth.js";
import { ProbeFailure, type Outcome, type ProbeResult } from "./types.js";
import { probeWebhook } from "./webhook.js";
import type { WebhookMemory } from "./webhook-replays.js";

export interface RunOptions {
  env: string;
  services?: string[];
  concurrency: number;
  timeoutMs?: number;
  allowProduction?: boolean;
  environment: NodeJS.ProcessEnv;
  /** Consecutive failures per service from earlier runs (the state file); opens the breaker. */
  previousFailures?: Record<string, number>;
  baseDelayMs?: number;
  /** Overall limit for the run: probes not finished by then are reported with status `deadline`. */
  deadlineMs?: number;
  /** Built once per run (checks/probe/redact.ts); values found while probing are added to it. */
  redactor?: Redactor;
  /** Webhook deliveries kept between runs (the --state file), replayed to test idempotency TTLs; updated in place. */
  webhookMemory?: WebhookMemory;
  /** Cancels the run (the exporter's client went away): like the deadline, every unfinished probe is aborted. */
  signal?: AbortSignal;
  /** Keep-alive agents shared beyond this run (the exporter's, across scrapes); its owner destroys them. */
  agents?: AgentPool;
  /** Each MCP service's recorded tools (the lock file): the probe classifies drift against them. */
  mcpLock?: Record<string, LockedTools>;
}

export { Redactor };

const NO_RETRY = new Set([
  "config",
  "auth",
  "protocol",
  "drift",
  "tools-missing",
  "webhook-security",
  "response-too-large",
  "deadline",
]);

export { reservedHost };
const BREAKER_THRESHOLD = 5;

class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

/** The environment probed when none is named: the first deployed one that is not production. */
export function defaultProbeEnv(model: Model): string | undefined {
  return [...model.environments].find(([, e]) => e.deployed && !e.production)?.[0];
}

export function selectServices(model: Model, env: string, only?: string[]): string[] {
  // One named service (every exporter scrape): a lookup, not a pass over the whole estate.
  const candidates: [string, ServiceT | undefined][] =
    only?.length === 1 ? [[only[0]!, model.services.get(only[0]!)]] : [...model.services];
  return candidates
    .filter(
      ([n, s]) =>
        !!s &&
        (!only?.length || only.includes(n)) &&
        !!s.endpoints[env] &&
        !!(s.endpoints[env]!.url || s.endpoints[env]!.health || s.endpoints[env]!.command),
    )
    .map(([n]) => n);
}

export async function runProbes(
  model: Model,
  opts: RunOptions,
): Promise<{ results: ProbeResult[]; redactor: Redactor }> {
  const redactor = opts.redactor ?? probeRedactor(model, opts.environment);
  const names = selectServices(model, opts.env, opts.services);
  const selected = new Set(names);
  const production = model.environments.get(opts.env)?.production ?? false;
  const sem = new Semaphore(opts.concurrency);
  const agents = opts.agents ?? new AgentPool(opts.concurrency);
  const tasks = new Map<string, Promise<ProbeResult>>();
  // --deadline: at that moment every unfinished probe is reported as `deadline` and aborted.
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let cancel: (() => void) | undefined;
  const deadline =
    opts.deadlineMs === undefined && !opts.signal
      ? undefined
      : new Promise<void>((r) => {
          cancel = () => {
            stop.abort();
            r();
          };
          if (opts.deadlineMs !== undefined) timer = setTimeout(cancel, opts.deadlineMs);
          if (opts.signal?.aborted) cancel();
          else opts.signal?.addEventListener("abort", cancel, { once: true });
        });

  const one = (name: string): Promise<ProbeResult> => {
    const existing = tasks.get(name);
    if (existing) return existing;
    const task = (async () => {
      const s = model.services.get(name)!;
      const parents = s.dependsOn.filter((p) => selected.has(p));
      const parentResults = await Promise.all(parents.map(one));
      const notHealthy = parentResults.filter((r) => r.status !== "healthy");
      // Only a required parent gates its children. An optional parent never fails the run, so it
      // must not skip a child either (a skipped required child fails the run): the child is probed
      // and its own result decides.
      // A not-probeable parent (a reserved placeholder address) says nothing about its children.
      const down = notHealthy.filter((r) => !r.optional && r.status !== "not-probeable").map((r) => r.service);
      const optionalDown = notHealthy.filter((r) => r.optional && r.status !== "not-probeable").map((r) => r.service);
      const base = { service: name, kind: s.kind, optional: s.optional };
      if (down.length)
        return {
          ...base,
          status: "skipped" as const,
          stage: "dependency" as const,
          latencyMs: 0,
          attempts: 0,
          detail: `parent down: ${down.join(", ")}`,
        };
      const result = await sem.use(() => probeService(model, name, s, opts, production, redactor, agents, stop.signal));
      return optionalDown.length
        ? { ...result, detail: `${result.detail} (optional parent down: ${optionalDown.join(", ")})` }
        : result;
    })();
    tasks.set(name, task);
    return task;
  };
  let results: ProbeResult[];
  try {
    results = await Promise.all(
      names.map((n) =>
        deadline ? Promise.race([one(n), deadline.then(() => pastDeadline(n, model.services.get(n)!, opts))]) : one(n),
      ),
    );
  } finally {
    clearTimeout(timer);
    if (cancel) opts.signal?.removeEventListener("abort", cancel);
    stop.abort();
    if (!opts.agents) agents.destroy();
  }
  // Shortened only after redaction: a cut made first could split a secret and leak its first half.
  for (const r of results) r.detail = shorten(redactor.redact(r.detail));
  return { results, redactor };
}

const MAX_DETAIL = 600;
const shorten = (text: string) => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text);

function pastDeadline(name: string, s: ServiceT, opts: RunOptions): ProbeResult {
  return {
    service: name,
    kind: s.kind,
    optional: s.optional,
    status: "deadline",
    stage: "deadline",
    latencyMs: 0,
    attempts: 0,
    detail: `not finished when the run deadline (${opts.deadlineMs} ms) passed`,
  };
}

async function probeService(
  model: Model,
  name: string,
  s: ServiceT,
  opts: RunOptions,
  production: boolean,
  redactor: Redactor,
  agents: AgentPool,
  signal: AbortSignal,
): Promise<ProbeResult> {
  if (signal.aborted) return pastDeadline(name, s, opts);
  const hc = s.healthCheck ?? {};
  const endpoint = s.endpoints[opts.env]!;
  const settings = probeSettings(model, opts.env, name, opts.environment, opts.timeoutMs);
  const { timeoutMs, headers, serverEnv, oauth } = settings;
  const missing = [...settings.missing];
  for (const v of settings.values) redactor.add(v);
  const base = { service: name, kind: s.kind, optional: s.optional };
  const reserved = reservedHost(endpoint.health) ?? reservedHost(endpoint.url);
  if (reserved)
    return {
      ...base,
      status: "not-probeable",
      stage: "config",
      latencyMs: 0,
      attempts: 0,
      detail: `${reserved} is a reserved documentation hostname (RFC 2606); not probed`,
    };

  const webhook = s.kind === "webhook" ? [...model.webhooks.values()].find((w) => w.service === name) : undefined;
  const secretEnv =
    webhook?.signature && webhook.signature.scheme !== "none" ? webhook.signature.probeSecretEnv : undefined;
  const runSecurity = !!(webhook && secretEnv && endpoint.url && (!production || opts.allowProduction));
  const secret = secretEnv ? opts.environment[secretEnv] : undefined;
  redactor.add(secret);
  if (runSecurity && secret === undefined) missing.push(secretEnv!);
  if (missing.length)
    return {
      ...base,
      status: "unhealthy",
      stage: "config",
      latencyMs: 0,
      attempts: 0,
      detail: missingVariables(missing),
    };

  const attemptOnce = async (): Promise<Outcome> => {
    // The MCP SDK is loaded only when an MCP server is probed: HTTP-only runs start faster.
    if (s.kind === "mcp" && hc.mcp)
      return (await import("./mcp.js")).probeMcp(
        endpoint,
        s,
        { timeoutMs, headers, signal },
        {
          serverEnv,
          ...(oauth ? { oauth, redact: (v: string) => redactor.add(v) } : {}),
          ...(opts.mcpLock?.[name] ? { lock: opts.mcpLock[name] } : {}),
        },
      );
    if (s.kind === "webhook" && runSecurity) {
      const health = endpoint.health ? await probeHttp(endpoint.health, s, { timeoutMs, headers, signal }) : undefined;
      const memory = opts.webhookMemory;
      const sec = await probeWebhook(
        endpoint.url!,
        webhook!,
        secret!,
        timeoutMs,
        signal,
        memory
          ? {
              kept: memory[name] ?? [],
              save: (next) => {
                memory[name] = next;
              },
            }
          : undefined,
      );
      return { ...sec, detail: `${health ? `${health.detail}; ` : ""}${sec.detail}` };
    }
    const target = endpoint.health ?? endpoint.url!;
    if (/^(redis|tcp):\/\//.test(target)) return probeTcp(target, timeoutMs, signal);
    const out = await probeHttp(target, s, { timeoutMs, headers, agents, signal });
    return s.kind === "webhook" && webhook?.signature && production && !opts.allowProduction
      ? { ...out, detail: `${out.detail}; security probes skipped in production (--allow-production)` }
      : out;
  };

  const configured = hc.retries ?? 3;
  const previous = opts.previousFailures?.[name] ?? 0;
  const breakerOpen = previous >= BREAKER_THRESHOLD;
  const maxAttempts = breakerOpen ? 1 : configured;
  let attempts = 0;
  const retryPolicy = retry(
    handleWhen((e) => e instanceof ProbeFailure && !NO_RETRY.has(e.outcome.stage)),
    {
      maxAttempts: maxAttempts - 1,
      backoff: new ExponentialBackoff({
        initialDelay: opts.baseDelayMs ?? 200,
        maxDelay: 2_000,
        generator: fullJitterGenerator,
      }),
    },
  );
  const breaker = circuitBreaker(
    handleWhen((e) => e instanceof ProbeFailure),
    { halfOpenAfter: 60_000, breaker: new ConsecutiveBreaker(BREAKER_THRESHOLD) },
  );
  const policy = wrap(retryPolicy, breaker);
  try {
    const outcome = await policy.execute(() => {
      attempts++;
      return attemptOnce();
    }, signal);
    return {
      ...base,
      status: "healthy",
      stage: outcome.stage,
      latencyMs: outcome.latencyMs,
      attempts,
      detail: outcome.detail + (breakerOpen ? ` (recovered after ${previous} failed runs)` : ""),
      ...(outcome.mcp ? { mcp: outcome.mcp } : {}),
    };
  } catch (e) {
    if (e instanceof ProbeFailure) {
      const o = e.outcome;
      const note = breakerOpen ? ` (circuit open after ${previous} failed runs: single attempt)` : "";
      return {
        ...base,
        status: "unhealthy",
        stage: o.stage,
        latencyMs: o.latencyMs,
        attempts,
        detail: o.detail + note,
        ...(o.rateLimited ? { rateLimited: true } : {}),
        ...(o.mcp ? { mcp: o.mcp } : {}),
      };
    }
    if (e instanceof BrokenCircuitError)
      return { ...base, status: "unhealthy", stage: "breaker", latencyMs: 0, attempts, detail: "circuit breaker open" };
    return {
      ...base,
      status: "unhealthy",
      stage: "connect",
      latencyMs: 0,
      attempts,
      detail: `probe error: ${(e as Error)?.message ?? String(e)}`,
    };
  }
}
