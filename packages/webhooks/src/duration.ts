/** Manifest durations (`300ms`, `5m`, `24h`, `1h30m`), read the way the manifest model reads them. */
const UNITS = ["w", "d", "h", "m", "s", "ms"] as const;
const UNIT_MS: Record<(typeof UNITS)[number], number> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const RE = new RegExp(`^(?=[0-9])${UNITS.map((u) => `([0-9]+${u})?`).join("")}$`);

export function durationMs(text: string): number {
  const m = RE.exec(text);
  if (!m) throw new TypeError(`not a duration: ${JSON.stringify(text)} (write e.g. 5m, 24h, 1h30m)`);
  return UNITS.reduce((ms, u, i) => ms + (m[i + 1] ? Number(m[i + 1]!.slice(0, -u.length)) * UNIT_MS[u] : 0), 0);
}
