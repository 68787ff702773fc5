/**
 * Progress on stderr for long runs, the way git and eslint do it: only on a TTY, only after the
 * run has taken longer than a second, never in CI and never with --quiet. One line, redrawn in
 * place, erased when the run ends so the real output starts on a clean line.
 */
import { setTimeout as delay } from "node:timers";

export type Verbosity = "quiet" | "normal" | "verbose";

let verbosity: Verbosity = "normal";

/** Set once by the CLI from --quiet / --verbose; library callers keep "normal". */
export function setVerbosity(v: Verbosity): void {
  verbosity = v;
}

export function getVerbosity(): Verbosity {
  return verbosity;
}

export interface Progress {
  /** Report how far the run is; cheap to call often (drawing is throttled). */
  update(done: number, total?: number, note?: string): void;
  /** Erase the line; call in `finally`. */
  done(): void;
}

/** How far a long step is: `note` names the step, `done` of `total` its units (files, policies). */
export type StepReporter = (note: string, done: number, total: number) => void;

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Delay before the first draw, in ms. */
  afterMs?: number;
  env?: NodeJS.ProcessEnv;
}

const SILENT: Progress = { update() {}, done() {} };

/** Whether progress would be drawn on this stream at all (TTY, not CI, not quiet). */
export function progressEnabled(
  stream: NodeJS.WriteStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return verbosity !== "quiet" && stream.isTTY === true && !env.CI && env.TERM !== "dumb";
}

export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (!progressEnabled(stream, options.env ?? process.env)) return SILENT;
  const started = Date.now();
  const afterMs = options.afterMs ?? 1000;
  let last = "";
  let drawnAt = 0;
  let shown = false;
  let state: { done: number; total?: number; note?: string } = { done: 0 };
  const draw = () => {
    const pct = state.total ? ` ${Math.floor((state.done / state.total) * 100)}%` : "";
    const count = state.total ? ` (${state.done}/${state.total})` : state.done ? ` (${state.done})` : "";
    const line = `${label}${pct}${count}${state.note ? ` ${state.note}` : ""}`.slice(0, (stream.columns || 80) - 1);
    if (line === last) return;
    stream.write(`\r\x1b[2K${line}`);
    last = line;
    shown = true;
    drawnAt = Date.now();
  };
  // A timer so a run that stalls in one long step still shows it is alive.
  const timer = delay(() => draw(), afterMs);
  timer.unref();
  return {
    update(done, total, note) {
      state = { done, total, note };
      const now = Date.now();
      if (now - started >= afterMs && now - drawnAt >= 100) draw();
    },
    done() {
      clearTimeout(timer);
      if (shown) stream.write("\r\x1b[2K");
    },
  };
}
