/**
 * The probe's memory between cron runs: the last N results per service, for flapping, success
 * rate and latency percentiles. A corrupt or foreign file is a warning and a fresh start.
 */
import { constants } from "node:fs";
import { open, stat } from "node:fs/promises";
import { writeFileAtomic } from "../../util/atomic-write.js";
import type { Redactor } from "./redact.js";
import type { HistorySummary, ProbeResult } from "./types.js";
import { validMemory, type WebhookMemory } from "./webhook-replays.js";

export const STATE_TOOL = "tollgate-probe-state";
export const STATE_VERSION = 1;

export interface StateEntry {
  at: string;
  ok: boolean;
  latencyMs: number;
  stage: string;
}

export interface ProbeState {
  tool: typeof STATE_TOOL;
  version: typeof STATE_VERSION;
  env: string;
  window: number;
  services: Record<string, StateEntry[]>;
  /** Webhook probe deliveries kept to replay in later runs (checks/probe/webhook-replays.ts). */
  webhookDeliveries?: WebhookMemory;
}

export function freshState(env: string, window: number): ProbeState {
  return { tool: STATE_TOOL, version: STATE_VERSION, env, window, services: {} };
}

/** Larger than any real state file (1000 results for each of thousands of services). */
export const STATE_MAX_BYTES = 64 * 1_048_576;

/** A --state path that can never hold a state file (directory, FIFO, device, too large): exit 2. */
export class StateFileError extends Error {}

/**
 * Reads at most STATE_MAX_BYTES of a regular file. Checked before opening, and the open is
 * non-blocking and re-checked on the descriptor, so a FIFO swapped in meanwhile never blocks the run.
 */
async function readBounded(file: string): Promise<string> {
  const refuse = (st: { isFile(): boolean; isDirectory(): boolean; size: number }) => {
    if (st.isDirectory()) throw new StateFileError(`state file ${file} is a directory`);
    if (!st.isFile()) throw new StateFileError(`state file ${file} is not a regular file (a FIFO, socket or device)`);
    if (st.size > STATE_MAX_BYTES)
      throw new StateFileError(`state file ${file} is larger than ${STATE_MAX_BYTES} bytes`);
  };
  refuse(await stat(file));
  const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    refuse(await fh.stat());
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const { bytesRead, buffer } = await fh.read(Buffer.alloc(65_536), 0, 65_536, length);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      length += bytesRead;
      if (length > STATE_MAX_BYTES)
        throw new StateFileError(`state file ${file} is larger than ${STATE_MAX_BYTES} bytes`);
    }
    return Buffer.concat(chunks).toString("utf8");
  } finally {
    await fh.close();
  }
}

export async function loadState(
  file: string,
  env: string,
  window: number,
): Promise<{ state: ProbeState; warning?: string }> {
  let text: string;
  try {
    text = await readBounded(file);
  } catch (e) {
    if (e instanceof StateFileError) throw e;
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { state: freshState(env, window) };
    return { state: freshState(env, window), warning: `cannot read state file ${file}; starting fresh` };
  }
  let data: any;
  try {
    data = JSON.parse(text);
  } catch {
    return { state: freshState(env, window), warning: `state file ${file} is not valid JSON; starting fresh` };
  }
  const valid =
    data &&
    data.tool === STATE_TOOL &&
    data.version === STATE_VERSION &&
    typeof data.services === "object" &&
    data.services !== null &&
    Object.values(data.services).every(
      (l) =>
        Array.isArray(l) &&
        (l as any[]).every(
          (e) => typeof e?.ok === "boolean" && typeof e?.latencyMs === "number" && typeof e?.at === "string",
        ),
    );
  if (!valid)
    return {
      state: freshState(env, window),
      warning: `state file ${file} was not written by this version of tollgate probe; starting fresh`,
    };
  if (data.env !== env)
    return {
      state: freshState(env, window),
      warning: `state file ${file} belongs to environment ${data.env}, not ${env}; starting fresh`,
    };
  return {
    state: {
      ...data,
      window,
      services: Object.assign(Object.create(null), data.services),
      webhookDeliveries: validMemory(data.webhookDeliveries),
    },
  };
}

export function record(state: ProbeState, results: ProbeResult[], at: string): void {
  for (const r of results) {
    if (r.status === "skipped" || r.status === "deadline" || r.status === "not-probeable") continue;
    const list = [
      ...(state.services[r.service] ?? []),
      { at, ok: r.status === "healthy", latencyMs: r.latencyMs, stage: r.stage },
    ];
    state.services[r.service] = list.slice(-state.window);
  }
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(entries: StateEntry[]): HistorySummary {
  const failures = entries.filter((e) => !e.ok).length;
  let transitions = 0;
  for (let i = 1; i < entries.length; i++) if (entries[i]!.ok !== entries[i - 1]!.ok) transitions++;
  const latencies = entries.filter((e) => e.ok).map((e) => e.latencyMs);
  return {
    runs: entries.length,
    failures,
    successRate: entries.length ? Math.round(((entries.length - failures) / entries.length) * 1000) / 1000 : 1,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    flapping: transitions >= 2,
  };
}

export function consecutiveFailures(entries: StateEntry[] | undefined): number {
  let n = 0;
  for (let i = (entries?.length ?? 0) - 1; i >= 0 && !entries![i]!.ok; i--) n++;
  return n;
}

/** Written through the run's redactor: no string in the file can carry a secret. */
export async function saveState(file: string, state: ProbeState, redactor?: Redactor): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(redactor ? redactor.redactDeep(state) : state, null, 2)}\n`);
}
