/**
 * The multi-target exporter's core, without HTTP: the loaded configuration (swapped whole on
 * reload, so a probe already running keeps the model it started with), the concurrency limit and
 * one service's probe through the same runner and Prometheus output as `tollgate probe`.
 */
import { formatDiagnostic, type Diagnostic } from "../../model/diagnostics.js";
import { checkEnvironments } from "../../model/environment-option.js";
import { loadProject } from "../../load/loader.js";
import type { Model } from "../../model/model.js";
import { readMcpLock, type McpLock } from "../probe/mcp-lock.js";
import { AgentPool } from "../probe/http-client.js";
import { probeClientMetrics } from "../probe/client-metrics.js";
import picocolors from "picocolors";
import { renderClientMetricsText, renderPrometheus, renderText } from "../probe/output.js";
import { probeRedactor, type Redactor } from "../probe/redact.js";
import { defaultProbeEnv, runProbes, selectServices } from "../probe/runner.js";
import { escapeTerminal } from "../../util/terminal-escape.js";
import { Limiter } from "./limiter.js";
import { createExporterMetrics, type ExporterMetrics } from "./metrics.js";

export interface ExporterOptions {
  root: string;
  /** Environment whose endpoints are probed (default: the first deployed non-production one, fixed at start). */
  env?: string;
  maxConcurrent: number;
  environment: NodeJS.ProcessEnv;
}

export interface LoadedConfig {
  model: Model;
  env: string;
  /** Services /probe accepts: declared, with an endpoint in `env`. Nothing else is ever probed. */
  services: ReadonlySet<string>;
  redactor: Redactor;
  /** The MCP tool lock file, read with the manifests (and reloaded with them). */
  mcpLock?: McpLock;
}

export type LoadOutcome =
  | { ok: true; config: LoadedConfig }
  | { ok: false; diagnostics: Diagnostic[]; message?: string };

export interface ProbeAnswer {
  code: number;
  contentType: string;
  body: string;
}

const TEXT = "text/plain; charset=utf-8";

/** Requests that may wait for a slot: enough for a few scrape rounds of every slot, never unbounded. */
export const maxQueue = (maxConcurrent: number): number => Math.max(16, 4 * maxConcurrent);

export class Exporter {
  readonly limiter: Limiter;
  readonly metrics: ExporterMetrics;
  /** Keep-alive connections shared by every scrape: a TCP handshake per probe would cost more than the probe. */
  private readonly agents: AgentPool;
  private current: LoadedConfig | undefined;
  private env: string | undefined;
  private reloading: Promise<LoadOutcome> = Promise.resolve({ ok: false, diagnostics: [] });
  /** A load queued but not started yet: later requests join it (it will read the files after them). */
  private queued: Promise<LoadOutcome> | undefined;

  constructor(private readonly opts: ExporterOptions) {
    this.env = opts.env;
    this.limiter = new Limiter(opts.maxConcurrent, maxQueue(opts.maxConcurrent));
    this.metrics = createExporterMetrics(this.limiter);
    this.agents = new AgentPool(opts.maxConcurrent);
  }

  /** Closes the kept-alive connections (after the last probe). */
  close(): void {
    this.agents.destroy();
  }

  get config(): LoadedConfig | undefined {
    return this.current;
  }

  /** Loads (or reloads) the manifests. On failure the configuration already served stays in place. */
  reload(): Promise<LoadOutcome> {
    // One load at a time: a second SIGHUP waits for the first instead of racing it, and a burst of
    // requests (POST /-/reload has no authentication) shares the one load queued behind it.
    if (this.queued) return this.queued;
    const start = () => {
      this.queued = undefined;
      return this.load();
    };
    this.queued = this.reloading = this.reloading.then(start, start);
    return this.reloading;
  }

  private async load(): Promise<LoadOutcome> {
    const outcome = await this.read();
    const first = this.current === undefined;
    if (outcome.ok) {
      this.current = outcome.config;
      this.env = outcome.config.env;
      this.metrics.reloadOk.set(1);
      this.metrics.reloadTime.set(Math.floor(Date.now() / 1000));
      this.metrics.services.set(outcome.config.services.size);
    } else this.metrics.reloadOk.set(0);
    if (!first) this.metrics.reloads.inc({ result: outcome.ok ? "success" : "failure" });
    return outcome;
  }

  private async read(): Promise<LoadOutcome> {
    let loaded;
    try {
      loaded = await loadProject(this.opts.root);
    } catch (e) {
      return { ok: false, diagnostics: [], message: (e as Error)?.message ?? String(e) };
    }
    const { project, diagnostics, ok } = loaded;
    if (!ok) return { ok: false, diagnostics: diagnostics.filter((d) => d.severity === "error") };
    const model = project.model;
    const env = this.env ?? defaultProbeEnv(model);
    if (!env) return { ok: false, diagnostics: [], message: "no environment to probe: pass --env NAME" };
    const unknown = checkEnvironments([env], model.environments);
    if (unknown.length) return { ok: false, diagnostics: unknown };
    const redactor = probeRedactor(model, this.opts.environment);
    const lock = await readMcpLock(project.root);
    if (lock.diagnostics.length) return { ok: false, diagnostics: lock.diagnostics };
    return {
      ok: true,
      config: {
        model,
        env,
        services: new Set(selectServices(model, env)),
        redactor,
        ...(lock.lock ? { mcpLock: lock.lock } : {}),
      },
    };
  }

  /**
   * Probes one declared service within `budgetMs` (queueing for a slot included) and answers the
   * `tollgate_probe_*` series for it; 400 for a name that is not a probe-able service, 503 when no
   * slot freed up within the budget or the queue is full. `signal` (the client gone, or shutdown)
   * takes a request out of the queue; `gone` (the client alone) also cancels its running probe:
   * at shutdown a probe in flight finishes. `debug` (the blackbox exporter's `debug=true`) answers
   * the result's detail, as `tollgate probe` prints it, above the series.
   */
  async probe(
    name: string | undefined,
    budgetMs: number,
    signal?: AbortSignal,
    gone?: AbortSignal,
    debug = false,
  ): Promise<ProbeAnswer> {
    const answer = (code: number, body: string, contentType = TEXT): ProbeAnswer => ({ code, contentType, body });
    const unknown = (cfg: LoadedConfig) =>
      answer(
        400,
        `unknown service ${JSON.stringify((name ?? "").slice(0, 200))}: /probe?service=NAME takes the name of a service declared in the manifests with an endpoint in ${cfg.env}\n`,
      );
    const cfg0 = this.current;
    if (!cfg0) return answer(503, "manifests not loaded\n");
    if (!name || !cfg0.services.has(name)) return unknown(cfg0);
    const deadline = Date.now() + budgetMs;
    if (this.limiter.full) {
      this.metrics.rejected.inc({ reason: "queue-full" });
      return answer(
        503,
        `every probe slot is busy and ${this.limiter.maxQueue} requests are waiting (--max-concurrent ${this.limiter.limit})\n`,
      );
    }
    if (!(await this.limiter.acquire(budgetMs, signal))) {
      this.metrics.rejected.inc({
        reason: gone?.aborted ? "client-gone" : signal?.aborted ? "shutting-down" : "queue-timeout",
      });
      return answer(
        503,
        `no free probe slot within the scrape budget (${budgetMs} ms; --max-concurrent ${this.limiter.limit})\n`,
      );
    }
    try {
      // Taken after the wait: a probe that starts after a reload uses the new manifests.
      const cfg = this.current!;
      if (!cfg.services.has(name)) return unknown(cfg);
      const started = performance.now();
      const { results } = await runProbes(cfg.model, {
        env: cfg.env,
        services: [name],
        concurrency: 1,
        environment: this.opts.environment,
        redactor: cfg.redactor,
        agents: this.agents,
        ...(cfg.mcpLock ? { mcpLock: cfg.mcpLock } : {}),
        deadlineMs: Math.max(1, deadline - Date.now()),
        ...(gone ? { signal: gone } : {}),
      });
      const r = results[0]!;
      this.metrics.duration.observe({ status: r.status }, (performance.now() - started) / 1000);
      if (r.status !== "healthy" && r.status !== "not-probeable") this.metrics.errors.inc({ stage: r.stage });
      // The service's APIs with a declared client metrics endpoint are proven in the same scrape.
      const clientMetrics = await probeClientMetrics(cfg.model, cfg.env, {
        services: [name],
        timeoutMs: Math.max(1, deadline - Date.now()),
        agents: this.agents,
      });
      const series = await renderPrometheus(cfg.env, results, cfg.redactor, undefined, clientMetrics);
      if (!debug) return answer(200, series, this.metrics.registry.contentType);
      const plain = picocolors.createColors(false);
      return answer(
        200,
        `Result of the probe:\n${renderText(cfg.env, results, plain, cfg.redactor)}${renderClientMetricsText(cfg.env, clientMetrics, cfg.redactor)}\nMetrics that would have been returned:\n${series}`,
      );
    } finally {
      this.limiter.release();
    }
  }
}

export function describeFailure(outcome: Extract<LoadOutcome, { ok: false }>): string {
  return [
    ...(outcome.message ? [escapeTerminal(outcome.message)] : []),
    ...outcome.diagnostics.map(formatDiagnostic),
  ].join("\n");
}
