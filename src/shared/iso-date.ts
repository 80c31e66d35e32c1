import { z } from 'zod';

const isCalendarDate = (text: string): boolean => {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
};

/**
 * A calendar date YYYY-MM-DD (a day in the business time zone) that exists: 2026-02-30 is refused. Here, not in a
 * feature, because analytics, segments and strategies all take dates and the web app validates with their schemas.
 */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(isCalendarDate, 'must be a real calendar date');
