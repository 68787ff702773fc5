/**
 * Shopify GraphQL cost points: a local picture of the provider's bucket, kept from each answer's
 * `extensions.cost.throttleStatus`, so a query waits for the points it needs instead of being THROTTLED.
 */
import { untilAborted } from "./clock.js";
import type { GraphqlCost } from "./inspect.js";

export class CostPoints {
  private available: number;
  private at: number;
  private max: number;
  private perMs: number;
  /** Requested cost per query text, learned from answers (Shopify's cost is static per query). */
  private readonly learned = new Map<string, number>();
  /** A query whose cost is unknown goes alone until its first answer teaches the cost. */
  private readonly probing = new Map<string, Promise<void>>();

  constructor(bucket: number, restorePerSecond: number, now: number) {
    this.max = bucket;
    this.available = bucket;
    this.perMs = restorePerSecond / 1000;
    this.at = now;
  }

  cost(query: string): number | null {
    return this.learned.get(query) ?? null;
  }

  /** Resolves when no probe of the same query is in flight; returns a release for a new probe, if this call is one. */
  async probe(query: string, signal: AbortSignal): Promise<(() => void) | null> {
    // The wait ends with the caller's abort or deadline; nothing is registered until it is over.
    for (let p = this.probing.get(query); p; p = this.probing.get(query)) await untilAborted(p, signal);
    if (this.learned.has(query)) return null;
    let release = () => {};
    this.probing.set(query, new Promise<void>((r) => (release = r)));
    return () => {
      this.probing.delete(query);
      release();
    };
  }

  /** Milliseconds until `cost` points are available (0: now). */
  waitFor(cost: number, now: number): number {
    this.refill(now);
    const want = Math.min(cost, this.max);
    return this.available >= want ? 0 : Math.ceil((want - this.available) / this.perMs);
  }

  reserve(cost: number, now: number): void {
    this.refill(now);
    this.available -= Math.min(cost, this.max);
  }

  /** After an answer: give back what the query did not use, and never believe more than the provider reports. */
  observe(query: string, reserved: number, c: GraphqlCost, now: number): void {
    this.refill(now);
    if (c.requested !== null) this.learned.set(query, c.requested);
    if (c.actual !== null) this.available += Math.max(0, reserved - c.actual);
    else this.available += reserved; // throttled: nothing was charged
    this.max = c.maximumAvailable;
    this.perMs = c.restoreRate / 1000;
    this.available = Math.min(this.available, c.currentlyAvailable, this.max);
  }

  private refill(now: number): void {
    this.available = Math.min(this.max, this.available + Math.max(0, now - this.at) * this.perMs);
    this.at = now;
  }
}
