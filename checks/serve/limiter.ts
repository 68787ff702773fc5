/**
 * At most N probes at once for the exporter. A request over the limit waits in a FIFO queue, but
 * only until its own deadline (the scrape budget) or until its client goes away (its signal): a
 * waiter whose time runs out leaves the queue and is answered 503, so Prometheus records a failed
 * scrape instead of a late one, and an abandoned one leaves it at once. The queue itself is capped:
 * past `maxQueue` waiters a request is refused without waiting.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(
    readonly limit: number,
    readonly maxQueue = Number.POSITIVE_INFINITY,
  ) {}

  /** No free slot and no room left in the queue. */
  get full(): boolean {
    return this.active >= this.limit && this.waiting.length >= this.maxQueue;
  }

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves true with a slot taken (call release() once), or false when `waitMs` passed or `signal` aborted first. */
  acquire(waitMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.active < this.limit && this.waiting.length === 0) {
      this.active++;
      return Promise.resolve(true);
    }
    if (waitMs <= 0 || signal?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const entry = {
        grant: () => {
          cleanup();
          this.active++;
          resolve(true);
        },
      };
      const giveUp = () => {
        cleanup();
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(false);
      };
      const timer = setTimeout(giveUp, waitMs);
      signal?.addEventListener("abort", giveUp, { once: true });
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", giveUp);
      };
      this.waiting.push(entry);
    });
  }

  release(): void {
    this.active--;
    // Granted on the next turn of the event loop, after the I/O already waiting: clients that left
    // at the same moment as this slot's holder are out of the queue before it is handed on.
    setImmediate(() => {
      while (this.active < this.limit && this.waiting.length > 0) this.waiting.shift()!.grant();
    });
  }
}
