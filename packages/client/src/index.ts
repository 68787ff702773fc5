export { createApiFetch, type ApiFetch, type ApiFetchOptions } from "./api-fetch.js";
export { ApiError, type ApiErrorCode } from "./errors.js";
export type { ApiPolicy, ClientPolicyFile, Window, ProviderModel } from "./policy.js";
export type { Clock } from "./clock.js";
export type { RedisLike } from "./budget-redis.js";
export type { RegistryLike, StatusClass } from "./metrics.js";
export { CLOSED, HALF_OPEN, OPEN, type BreakerState } from "./breaker.js";
export { backoffMs } from "./backoff.js";
export { retryAfterMs, parseResetDuration } from "./retry-after.js";
