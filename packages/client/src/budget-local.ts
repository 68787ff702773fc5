/** The budget of one process, on the injected clock. */
import type { Clock } from "./clock.js";
import type { BudgetStore, Limits } from "./budget-store.js";

interface Spent {
  at: number;
  id: string;
  amount: number;
}

export class LocalBudget implements BudgetStore {
  private level: number;
  private levelAt: number;
  private readonly requestLog: Array<{ at: number; id: string }> = [];
  private readonly tokenLog: Spent[] = [];
  private inFlight = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly limits: Limits,
    private readonly clock: Clock,
  ) {
    this.level = Math.max(1, limits.requests?.limit ?? 1);
    this.levelAt = clock.now();
  }

  async take(id: string, tokens: number): Promise<{ waitMs: number; byTokens: boolean }> {
    const now = this.clock.now();
    const byRequests = this.requestWait(now);
    const byTokens = this.tokenWait(now, tokens);
    if (byRequests > 0 || byTokens > 0)
      return { waitMs: Math.max(byRequests, byTokens), byTokens: byTokens > byRequests };
    const r = this.limits.requests;
    if (r && this.limits.model === "bucket") this.level -= 1;
    else if (r) this.requestLog.push({ at: now, id });
    if (this.limits.tokens) this.tokenLog.push({ at: now, id, amount: Math.min(tokens, this.limits.tokens.limit) });
    return { waitMs: 0, byTokens: false };
  }

  async answered(id: string): Promise<void> {
    const now = this.clock.now();
    // Logs stay in time order: the entry moves to the end, stamped now (no entry is later).
    const i = this.requestLog.findIndex((e) => e.id === id);
    if (i >= 0) this.requestLog.push({ ...(this.requestLog.splice(i, 1)[0] as { id: string }), at: now });
    const j = this.tokenLog.findIndex((e) => e.id === id);
    if (j >= 0) this.tokenLog.push({ ...(this.tokenLog.splice(j, 1)[0] as Spent), at: now });
  }

  async correct(id: string, tokens: number): Promise<void> {
    const e = this.tokenLog.find((s) => s.id === id);
    if (e) e.amount = tokens;
  }

  async enter(_id: string, signal: AbortSignal): Promise<void> {
    const max = this.limits.concurrency;
    if (max === null) return;
    if (this.inFlight < max && this.queue.length === 0) {
      this.inFlight++;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener("abort", onAbort);
        this.inFlight++;
        resolve();
      };
      const onAbort = () => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      this.queue.push(grant);
    });
  }

  async leave(_id: string): Promise<void> {
    if (this.limits.concurrency === null) return;
    this.inFlight--;
    const next = this.queue.shift();
    if (next) next();
  }

  private requestWait(now: number): number {
    const r = this.limits.requests;
    if (!r) return 0;
    if (this.limits.model === "bucket") {
      const rate = r.limit / r.perMs;
      this.level = Math.min(Math.max(1, r.limit), this.level + (now - this.levelAt) * rate);
      this.levelAt = now;
      return this.level >= 1 ? 0 : Math.ceil((1 - this.level) / rate);
    }
    while (this.requestLog.length > 0 && (this.requestLog[0] as { at: number }).at <= now - r.perMs)
      this.requestLog.shift();
    const lim = Math.max(1, Math.floor(r.limit));
    if (this.requestLog.length < lim) return 0;
    return Math.max(1, (this.requestLog[this.requestLog.length - lim] as { at: number }).at + r.perMs - now);
  }

  private tokenWait(now: number, tokens: number): number {
    const t = this.limits.tokens;
    if (!t) return 0;
    while (this.tokenLog.length > 0 && (this.tokenLog[0] as Spent).at <= now - t.perMs) this.tokenLog.shift();
    const want = Math.min(tokens, t.limit);
    let used = this.tokenLog.reduce((sum, s) => sum + s.amount, 0);
    if (used + want <= t.limit) return 0;
    for (const s of this.tokenLog) {
      used -= s.amount;
      if (used + want <= t.limit) return Math.max(1, s.at + t.perMs - now);
    }
    return 1;
  }
}
