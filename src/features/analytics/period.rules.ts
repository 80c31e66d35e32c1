import type { Clock } from '../../shared/clock.js';

/**
 * Calendar arithmetic on plain dates 'YYYY-MM-DD' (days in the business time zone) and months 'YYYY-MM'. Pure: the
 * current instant comes in as a Clock.
 */
const MS_PER_DAY = 86_400_000;

const parts = (date: string): [number, number, number] => {
  const [y, m, d] = date.split('-').map(Number);
  return [y ?? 1970, m ?? 1, d ?? 1];
};

/** The calendar date of an instant in a time zone, e.g. 2026-11-24T20:00Z in Asia/Hong_Kong → '2026-11-25'. */
export function localDate(instant: Date, timeZone: string): string {
  const formatted = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
  return formatted;
}

/** Today in the time zone, from a Clock. */
export const today = (clock: Clock, timeZone: string): string => localDate(clock.now(), timeZone);

export const epochDay = (date: string): number => {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
};

export const fromEpochDay = (day: number): string => new Date(day * MS_PER_DAY).toISOString().slice(0, 10);

/** date + n days. */
export const addDays = (date: string, n: number): string => fromEpochDay(epochDay(date) + n);

/** Whole days from a to b (b − a). */
export const daysBetween = (a: string, b: string): number => epochDay(b) - epochDay(a);

/** date + n calendar months, clamped to the month's last day (2026-03-31 − 1 month = 2026-02-28). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromEpochDay(Date.UTC(year, month, Math.min(d, last)) / MS_PER_DAY);
}

/** 'YYYY-MM' of a date or month. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** Months from a to b ('YYYY-MM' or dates): b − a. */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = parts(a);
  const [yb, mb] = parts(b);
  return yb * 12 + mb - (ya * 12 + ma);
}

/** month + n months, as 'YYYY-MM'. */
export const addMonthsToMonth = (month: string, n: number): string => addMonths(`${month}-01`, n).slice(0, 7);

/** The last day of a month 'YYYY-MM'. */
export const lastDayOfMonth = (month: string): string => addDays(addMonths(`${month}-01`, 1), -1);
