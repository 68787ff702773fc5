/**
 * Durations are written the Prometheus way so YAML stays readable: one unit (`90s`, `5m`, `24h`,
 * `30d`) or several in descending order, each at most once (`1m30s`, `1h30m`, `2d12h`, `1s500ms`).
 */
const UNITS = ["w", "d", "h", "m", "s", "ms"] as const;
/** Also the zod/JSON Schema pattern: at least one digit, then units largest first. */
export const DURATION_PATTERN = `^(?=[0-9])${UNITS.map((u) => `([0-9]+${u})?`).join("")}$`;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RE = new RegExp(DURATION_PATTERN);

export function durationMs(text: string): number {
  const m = RE.exec(text);
  if (!m) throw new Error(`bug: unvalidated duration ${JSON.stringify(text)}`);
  let ms = 0;
  UNITS.forEach((u, i) => {
    const part = m[i + 1];
    if (part) ms += Number(part.slice(0, part.length - u.length)) * UNIT_MS[u]!;
  });
  return ms;
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
