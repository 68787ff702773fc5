/** Time as the client sees it; tests pass a virtual one so no assertion depends on the wall clock. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Runs `fn` after `ms`; returns a cancel function. */
  timer(ms: number, fn: () => void): () => void;
}

/** setTimeout fires at once (after a warning) past 2^31-1 ms, so a longer wait is taken in steps. */
const MAX_TIMEOUT = 2 ** 31 - 1;

function after(ms: number, fn: () => void, unref: boolean): () => void {
  let left = Math.max(0, ms);
  let t: ReturnType<typeof setTimeout>;
  const arm = () => {
    const step = Math.min(left, MAX_TIMEOUT);
    left -= step;
    t = setTimeout(() => (left > 0 ? arm() : fn()), step);
    if (unref) t.unref?.();
  };
  arm();
  return () => clearTimeout(t);
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const cancel = after(
        ms,
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        false,
      );
      const onAbort = () => {
        cancel();
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
  timer: (ms, fn) => after(ms, fn, true),
};

/** `p`, or the signal's reason once it aborts: a stalled budget store (Redis reconnecting) or another call's probe never outlives the deadline. */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
