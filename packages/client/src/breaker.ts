/**
 * Circuit breaker on the injected clock. cockatiel's CircuitBreakerPolicy reads Date.now() and its
 * own timers, which a test cannot drive, so its ConsecutiveBreaker decides when to open and this
 * file keeps the states on our clock.
 */
import { ConsecutiveBreaker } from "cockatiel";
import type { Clock } from "./clock.js";

export const CLOSED = 0;
export const HALF_OPEN = 1;
export const OPEN = 2;
export type BreakerState = typeof CLOSED | typeof HALF_OPEN | typeof OPEN;

export class Breaker {
  private state: BreakerState = CLOSED;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly counter: ConsecutiveBreaker;

  constructor(
    threshold: number,
    private readonly resetMs: number,
    private readonly clock: Clock,
    private readonly onState: (s: BreakerState) => void,
  ) {
    this.counter = new ConsecutiveBreaker(threshold);
  }

  /** null when the call may go ahead, "trial" when it is the half-open trial; otherwise the milliseconds until a trial is allowed. */
  admit(): number | "trial" | null {
    if (this.state === OPEN) {
      const left = this.openedAt + this.resetMs - this.clock.now();
      if (left > 0) return left;
      this.set(HALF_OPEN);
    }
    if (this.state === HALF_OPEN) {
      if (this.trialInFlight) return Math.max(1, this.resetMs);
      this.trialInFlight = true;
      return "trial";
    }
    return null;
  }

  success(): void {
    this.trialInFlight = false;
    this.counter.success();
    if (this.state !== CLOSED) this.set(CLOSED);
  }

  failure(): void {
    this.trialInFlight = false;
    if (this.state === HALF_OPEN || this.counter.failure()) {
      this.openedAt = this.clock.now();
      this.counter.success(); // start counting afresh after the next close
      this.set(OPEN);
    }
  }

  /**
   * A call that ended neither way (e.g. rate-limited) frees the half-open trial without deciding;
   * only the trial itself may, or an older call ending so would let a second trial through.
   */
  neutral(trial: boolean): void {
    if (trial) this.trialInFlight = false;
  }

  current(): BreakerState {
    return this.state;
  }

  private set(s: BreakerState): void {
    this.state = s;
    this.onState(s);
  }
}
