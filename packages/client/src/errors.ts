/** The one error every failure of an API call becomes. */
export type ApiErrorCode = "rate-limited" | "circuit-open" | "timeout" | "network" | "provider-error";

export interface ApiErrorFields {
  api: string;
  code: ApiErrorCode;
  status?: number | null;
  attempts: number;
  retryAfter?: number | null;
  requestId?: string | null;
  cause?: unknown;
}

export class ApiError extends Error {
  readonly api: string;
  readonly code: ApiErrorCode;
  /** The provider's last HTTP status; null when no response came (network, timeout, circuit-open). */
  readonly status: number | null;
  readonly attempts: number;
  /** Milliseconds the provider (or the open breaker) asked to wait, when known. */
  readonly retryAfter: number | null;
  readonly requestId: string | null;

  constructor(f: ApiErrorFields) {
    super(
      `${f.api}: ${f.code}${f.status ? ` (HTTP ${f.status})` : ""} after ${f.attempts} attempt${f.attempts === 1 ? "" : "s"}`,
      f.cause === undefined ? undefined : { cause: f.cause },
    );
    this.name = "ApiError";
    this.api = f.api;
    this.code = f.code;
    this.status = f.status ?? null;
    this.attempts = f.attempts;
    this.retryAfter = f.retryAfter ?? null;
    this.requestId = f.requestId ?? null;
  }
}
