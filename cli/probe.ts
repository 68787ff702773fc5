import pc from "picocolors";
import { MAX_PROBE_DEADLINE_MS, probeDeadlineMs } from "../model/cron.js";
import { checkEnvironments } from "../model/environment-option.js";
import { loadProject } from "../load/loader.js";
import { PROBE_FORMATS } from "../checks/probe/formats.js";
import { formatEntry, formatNames } from "../util/format-table.js";
import { probeRedactor, redactError } from "../checks/probe/redact.js";
import { defaultProbeEnv, runProbes, selectServices } from "../checks/probe/runner.js";
import { StateFileError, consecutiveFailures, loadState, record, saveState, summarize } from "../checks/probe/state.js";
import {
  EXIT_GATE,
  EXIT_INPUT,
  EXIT_OK,
  UsageError,
  colorsFor,
  emit,
  parseChoice,
  parseDurationOption,
  parseIntOption,
  parseNow,
  printDiagnostics,
} from "./common.js";

export interface ProbeCliOptions {
  root: string;
  env?: string;
  service?: string[];
  format: string;
  output?: string;
  concurrency?: string;
  timeout?: string;
  deadline?: string;
  state?: string;
  window?: string;
  allowProduction?: boolean;
  now?: string;
}

const MAX_DEADLINE_MS = MAX_PROBE_DEADLINE_MS;

/** --deadline DURATION (e.g. 45s); at most a day, so it always fits a timer. */
export function parseDeadline(value: string): number {
  return parseDurationOption("--deadline", value, MAX_DEADLINE_MS)!;
}

/** Default --deadline: 80% of the shortest gap between runs of the probe's cron schedule (every minute: 48 s). */
export const defaultDeadlineMs = probeDeadlineMs;

export async function probeCommand(o: ProbeCliOptions): Promise<number> {
  const format = parseChoice("--format", o.format, formatNames(PROBE_FORMATS));
  const concurrency = parseIntOption("--concurrency", o.concurrency, 1, 1000);
  const timeoutMs = parseDurationOption("--timeout", o.timeout, 600_000, { plainMs: true });
  const window = parseIntOption("--window", o.window ?? "20", 2, 1000)!;
  const now = parseNow(o.now);
  const deadlineOption = o.deadline === undefined ? undefined : parseDeadline(o.deadline);
  const { project, diagnostics, ok } = await loadProject(o.root, { now });
  if (!ok) {
    printDiagnostics(diagnostics);
    return EXIT_INPUT;
  }
  const model = project.model;
  const envs = [...model.environments];
  const env = o.env ?? defaultProbeEnv(model);
  if (!env)
    throw new UsageError(
      "no environment to probe: pass --env NAME",
      `Environments: ${envs.map(([n]) => n).join(", ")}`,
    );
  const unknown = checkEnvironments([env], model.environments);
  if (unknown.length) {
    printDiagnostics(unknown);
    return EXIT_INPUT;
  }
  for (const s of o.service ?? []) if (!model.services.has(s)) throw new UsageError(`--service ${s}: no such service`);
  if (selectServices(model, env, o.service).length === 0)
    throw new UsageError(`nothing to probe in ${env}: no selected service has an endpoint there`);

  // Drift against the recorded tools, when the project has a lock file (mcp-tools --write).
  const { readMcpLock } = await import("../checks/probe/mcp-lock.js");
  const lockRead = await readMcpLock(project.root);
  if (lockRead.diagnostics.length) {
    printDiagnostics(lockRead.diagnostics);
    return EXIT_INPUT;
  }
  // One redactor for the run: every output, the state file and error messages go through it.
  const redactor = probeRedactor(model, process.env);
  const redacted = (e: unknown): never => {
    throw redactError(e, redactor);
  };
  let state;
  if (o.state) {
    const loaded = await loadState(o.state, env, window).catch((e: unknown) => {
      throw e instanceof StateFileError
        ? new UsageError(
            `--state: ${e.message}`,
            "Point --state at a regular JSON file (or a path that does not exist yet).",
          )
        : e;
    });
    if (loaded.warning) process.stderr.write(`tollgate: warning: ${redactor.redact(loaded.warning)}\n`);
    state = loaded.state;
  }
  const previousFailures = state
    ? Object.fromEntries(Object.entries(state.services).map(([k, v]) => [k, consecutiveFailures(v)]))
    : {};
  const deadlineMs = deadlineOption ?? defaultDeadlineMs(model.environments.get(env)!.probe?.schedule);
  // The apps' client metrics are read alongside the services, within the same deadline; --service narrows them too.
  const { probeClientMetrics } = await import("../checks/probe/client-metrics.js");
  const clientMetricsRun = probeClientMetrics(model, env, {
    timeoutMs: Math.min(timeoutMs ?? 10_000, deadlineMs),
    ...(o.service?.length ? { services: o.service } : {}),
  });
  const { results } = await runProbes(model, {
    env,
    concurrency: concurrency ?? model.environments.get(env)!.probe?.concurrency ?? 8,
    environment: process.env,
    previousFailures,
    redactor,
    ...(lockRead.lock ? { mcpLock: lockRead.lock } : {}),
    ...(state ? { webhookMemory: (state.webhookDeliveries ??= {}) } : {}),
    deadlineMs,
    ...(o.service?.length ? { services: o.service } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(o.allowProduction ? { allowProduction: true } : {}),
  });
  if (state && o.state) {
    record(state, results, new Date().toISOString());
    for (const r of results) if (state.services[r.service]) r.history = summarize(state.services[r.service]!);
    await saveState(o.state, state, redactor).catch(redacted);
  }
  const clientMetrics = await clientMetricsRun;
  const target = o.output ? { file: o.output } : {};
  const ctx = { now, env, results, redactor, clientMetrics, colors: colorsFor(target), finishedAt: Date.now() };
  const text = await formatEntry(PROBE_FORMATS, format).render(ctx);
  await emit(target, text).catch(redacted);
  // A reserved placeholder address (the starter's .example services) is reported, not failed.
  const failing = results.filter((r) => !r.optional && r.status !== "healthy" && r.status !== "not-probeable");
  if (failing.length && format !== "text" && o.output === undefined)
    process.stderr.write(
      pc.red(
        `tollgate: ${failing.length} required service${failing.length === 1 ? "" : "s"} not healthy: ${failing.map((r) => r.service).join(", ")}\n`,
      ),
    );
  return failing.length ? EXIT_GATE : EXIT_OK;
}
