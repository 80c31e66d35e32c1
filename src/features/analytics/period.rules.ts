import type { Clock } from '../../shared/clock.js';
import { addDays, addMonths, dateParts, localDate } from '../../shared/calendar.js';

/**
 * Periods of analyses: dates 'YYYY-MM-DD' (days in the business time zone) and months 'YYYY-MM'. The date arithmetic
 * itself is src/shared/calendar.ts. Pure: the current instant comes in as a Clock.
 */
export { addDays, addMonths, daysBetween, epochDay, fromEpochDay, localDate } from '../../shared/calendar.js';

/** Today in the time zone, from a Clock. */
export const today = (clock: Clock, timeZone: string): string => localDate(clock.now(), timeZone);

/** 'YYYY-MM' of a date or month. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** Months from a to b ('YYYY-MM' or dates): b − a. */
export function monthsBetween(a: string, b: string): number {
  const [ya, ma] = dateParts(a);
  const [yb, mb] = dateParts(b);
  return yb * 12 + mb - (ya * 12 + ma);
}

/** month + n months, as 'YYYY-MM'. */
export const addMonthsToMonth = (month: string, n: number): string => addMonths(`${month}-01`, n).slice(0, 7);

/** The last day of a month 'YYYY-MM'. */
export const lastDayOfMonth = (month: string): string => addDays(addMonths(`${month}-01`, 1), -1);
