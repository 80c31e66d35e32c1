import { describe, expect, it } from 'vitest';
import { addDays, addMonths, dateParts, daysBetween, epochDay, fromEpochDay, localDate, weekday } from './calendar.js';

describe('calendar arithmetic', () => {
  it('adds days and months, clamping to the end of a shorter month', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-11-24', -12)).toBe('2025-11-24');
  });

  it('counts days between dates and round-trips epoch days', () => {
    expect(daysBetween('2025-12-31', '2026-01-31')).toBe(31);
    expect(fromEpochDay(epochDay('2026-11-24'))).toBe('2026-11-24');
    expect(dateParts('2026-11')).toEqual([2026, 11, 1]);
  });

  it('knows the weekday and the local date of an instant', () => {
    expect(weekday('2026-11-24')).toBe(2);
    expect(localDate(new Date('2026-11-24T20:00:00Z'), 'Asia/Hong_Kong')).toBe('2026-11-25');
    expect(localDate(new Date('2026-11-24T20:00:00Z'), 'Europe/London')).toBe('2026-11-24');
  });
});
