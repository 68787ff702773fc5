/** Calendar dates are plain `YYYY-MM-DD` strings in UTC; arithmetic happens in whole days. */
const DAY_MS = 86_400_000;

export function isRealDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function dayNumber(text: string): number {
  return Math.floor(Date.parse(`${text}T00:00:00Z`) / DAY_MS);
}

export function addDays(text: string, days: number): string {
  return new Date((dayNumber(text) + days) * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
