/** Where a client's budget lives: in the process (local) or shared by every replica (Redis). */
export interface BudgetStore {
  /**
   * Reserve one request and `tokens` under `id`: waitMs 0 when granted, else the milliseconds to
   * wait before asking again; byTokens when the token window, not the request window, is the reason.
   */
  take(id: string, tokens: number): Promise<{ waitMs: number; byTokens: boolean }>;
  /**
   * The answer to `id` came: its window entries count from now. The provider saw the request
   * somewhere between the grant and the answer (connection set-up can hold it back), so counting
   * from the answer never lets a later grant land inside the provider's window with it.
   */
  answered(id: string): Promise<void>;
  /** Replace the tokens reserved under `id` with the count the provider reported. */
  correct(id: string, tokens: number): Promise<void>;
  /** Take a concurrency slot (resolves when granted; rejects when the signal aborts). */
  enter(id: string, signal: AbortSignal): Promise<void>;
  leave(id: string): Promise<void>;
}

export interface Limits {
  /** "bucket" refills continuously (token-bucket providers); "log" never exceeds the limit in any window. */
  model: "bucket" | "log";
  requests: { limit: number; perMs: number } | null;
  tokens: { limit: number; perMs: number } | null;
  concurrency: number | null;
}
