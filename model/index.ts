/** Public API of the model: the loader, the types and the helpers other folders may use. */
export { loadProject, CONFIG_FILE } from "./loader.js";
export type { Model, Project, LoadResult, LoadOptions, LocatedWaiver } from "./loader.js";
export type { Diagnostic, DiagnosticCode, Severity } from "./diagnostics.js";
export { DIAGNOSTIC_CODES, formatDiagnostic, hasErrors } from "./diagnostics.js";
export type { Location } from "./source-map.js";
export type {
  AlertT, ApiT, ChannelT, EnvironmentT, SecretT, ServiceT, WebhookT, WaiverT, ProjectConfigT, AlertCondition,
} from "./schema.js";
export { durationMs, durationSeconds, formatDuration } from "./duration.js";
export { addDays, daysBetween, isRealDate, todayUtc } from "./dates.js";
