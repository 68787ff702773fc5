/**
 * Virtual time for the proofs: nothing waits on the wall clock. Time moves only when every
 * outstanding call sleeps on this clock (none is in an HTTP exchange), straight to the next timer,
 * so the simulator sees each request at the instant the client granted it.
 */
import type { Clock } from "@tollgate/client";

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  sleep: boolean;
}

export class VirtualClock implements Clock {
  t = 0;
  sleeping = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        seq: this.seq++,
        sleep: true,
        fn: () => {
          this.sleeping--;
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        this.sleeping--;
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.sleeping++;
      this.timers.push(timer);
    });
  }

  timer(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.t + Math.max(0, ms), seq: this.seq++, sleep: false, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** Jump to the earliest timer and fire every timer due then. */
  advance(): void {
    if (this.timers.length === 0) return;
    const at = Math.min(...this.timers.map((x) => x.at));
    this.t = Math.max(this.t, at);
    const due = this.timers.filter((x) => x.at <= this.t).sort((a, b) => a.seq - b.seq);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 2));

/** Runs the calls to completion, moving virtual time only while all of them sleep. */
export async function inVirtualTime<T>(
  clock: VirtualClock,
  calls: Array<() => Promise<T>>,
): Promise<PromiseSettledResult<T>[]> {
  let open = calls.length;
  const all = Promise.allSettled(calls.map((c) => c().finally(() => open--)));
  let finished = false;
  void all.then(() => (finished = true));
  while (!finished) {
    await settle();
    // Two looks in a row, so a call between two awaits is not taken for asleep.
    if (open > 0 && clock.sleeping === open) {
      await settle();
      if (open > 0 && clock.sleeping === open) clock.advance();
    }
  }
  return all;
}
