import type { Clock } from '../../shared/clock.js';
import { addDays, addMonths, localDate as localDateIn, weekday } from '../../shared/calendar.js';

/**
 * The business calendar of segments and strategies: dates 'YYYY-MM-DD' in the business time zone (Hong Kong unless
 * told otherwise), working days, "the last 12 months". The date arithmetic itself is src/shared/calendar.ts. Pure:
 * the current instant comes in as a Clock.
 */
export { addDays, addMonths, daysBetween, weekday } from '../../shared/calendar.js';
export const DEFAULT_TIME_ZONE = 'Asia/Hong_Kong';

/** The calendar date of an instant in a time zone, e.g. 2026-11-24T20:00Z in Asia/Hong_Kong → '2026-11-25'. */
export const localDate = (instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string =>
  localDateIn(instant, timeZone);

/** Today in the business time zone. */
export const todayOf = (clock: Clock, timeZone: string = DEFAULT_TIME_ZONE): string => localDate(clock.now(), timeZone);

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
