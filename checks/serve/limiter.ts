/**
 * At most N probes at once for the exporter. A request over the limit waits in a FIFO queue, but
 * only until its own deadline (the scrape budget): a waiter whose time runs out leaves the queue
 * and is answered 503, so Prometheus records a failed scrape instead of a late one.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: { grant: () => void }[] = [];

  constructor(readonly limit: number) {}

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
    if (this.active < this.limit) this.waiting.shift()?.grant();
  }
}
