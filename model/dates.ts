/** Calendar dates are plain `YYYY-MM-DD` strings in UTC; arithmetic happens in whole days. */
const DAY_MS = 86_400_000;

/**
 * Large estates repeat the same few thousand dates hundreds of thousands of times: results are
 * remembered (bounded, so a hostile input cannot grow them without limit).
 */
function memo<K, V>(fn: (k: K) => V): (k: K) => V {
  const seen = new Map<K, V>();
  return (k) => {
    let v = seen.get(k);
    if (v === undefined && !seen.has(k)) {
      if (seen.size >= 50_000) seen.clear();
      seen.set(k, (v = fn(k)));
    }
    return v as V;
  };
}

export const isRealDate = memo((text: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
});

export const dayNumber = memo((text: string): number => Math.floor(Date.parse(`${text}T00:00:00Z`) / DAY_MS));

const fromDayNumber = memo((n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10));

export function addDays(text: string, days: number): string {
  return fromDayNumber(dayNumber(text) + days);
}

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
