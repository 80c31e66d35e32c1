/**
 * Calendar arithmetic on plain dates 'YYYY-MM-DD' (days in the business time zone), for analytics' periods and the
 * segments' and strategies' calendar alike. Pure: no clock, no time zone but the one passed in.
 */
const MS_PER_DAY = 86_400_000;

/** [year, month 1–12, day] of 'YYYY-MM-DD' (or of 'YYYY-MM', day 1). */
export const dateParts = (date: string): [number, number, number] => {
  const [y, m, d] = date.split('-').map(Number);
  return [y ?? 1970, m ?? 1, d ?? 1];
};

/** The calendar date of an instant in a time zone, e.g. 2026-11-24T20:00Z in Asia/Hong_Kong → '2026-11-25'. */
export const localDate = (instant: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);

export const epochDay = (date: string): number => {
  const [y, m, d] = dateParts(date);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
};

export const fromEpochDay = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

/** date + n days. */
export const addDays = (date: string, n: number): string => fromEpochDay(epochDay(date) + n);

/** Whole days from a to b (b − a). */
export const daysBetween = (a: string, b: string): number => epochDay(b) - epochDay(a);

/** date + n calendar months, clamped to the month's last day (2026-01-31 + 1 month = 2026-02-28). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = dateParts(date);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromEpochDay(Date.UTC(year, month, Math.min(d, last)) / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();
