/** Durations are written the Prometheus way (`90s`, `5m`, `24h`, `30d`) so YAML stays readable. */
export const DURATION_PATTERN = "^[0-9]+(ms|s|m|h|d|w)$";
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RE = new RegExp(DURATION_PATTERN.replace("^[0-9]+", "^([0-9]+)"));

export function durationMs(text: string): number {
  const m = RE.exec(text);
  if (!m) throw new Error(`bug: unvalidated duration ${JSON.stringify(text)}`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export function durationSeconds(text: string): number {
  return durationMs(text) / 1000;
}

/** Formats milliseconds back into the largest exact unit (for Prometheus `for:` fields). */
export function formatDuration(ms: number): string {
  for (const unit of ["w", "d", "h", "m", "s"] as const) {
    const size = UNIT_MS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
