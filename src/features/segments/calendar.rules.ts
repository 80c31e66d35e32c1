import type { Clock } from '../../shared/clock.js';

/**
 * Calendar arithmetic on plain dates 'YYYY-MM-DD' (days in the business time zone), shared by segments and
 * strategies. Pure: the current instant comes in as a Clock.
 */
const MS_PER_DAY = 86_400_000;
export const DEFAULT_TIME_ZONE = 'Asia/Hong_Kong';

const parts = (date: string): [number, number, number] => {
  const [y, m, d] = date.split('-').map(Number);
  return [y ?? 1970, m ?? 1, d ?? 1];
};

/** The calendar date of an instant in a time zone, e.g. 2026-11-24T20:00Z in Asia/Hong_Kong → '2026-11-25'. */
export const localDate = (instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);

/** Today in the business time zone. */
export const todayOf = (clock: Clock, timeZone: string = DEFAULT_TIME_ZONE): string => localDate(clock.now(), timeZone);

const epochDay = (date: string): number => {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
};
const fromEpochDay = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

export const addDays = (date: string, n: number): string => fromEpochDay(epochDay(date) + n);

/** Whole days from a to b (b − a). */
export const daysBetween = (a: string, b: string): number => epochDay(b) - epochDay(a);

/** date + n calendar months, clamped to the month's last day (2026-01-31 + 1 month = 2026-02-28). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromEpochDay(Date.UTC(year, month, Math.min(d, last)) / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/** The date itself on a weekday; a Saturday or Sunday moves to the Monday after. */
export function nextWorkingDay(date: string): string {
  const day = weekday(date);
  if (day === 6) return addDays(date, 2);
  if (day === 0) return addDays(date, 1);
  return date;
}

/** The first and last day of "the 12 months up to" a date: (date − 12 months, date]. */
export const twelveMonthsTo = (date: string): { from: string; to: string } => ({
  from: addDays(addMonths(date, -12), 1),
  to: date,
});
