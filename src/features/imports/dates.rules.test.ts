import { describe, expect, it } from 'vitest';
import { detectDateOrder, parseDateOnly, parseDateTime } from './dates.rules.js';

const hk = { order: 'DMY' as const, timeZone: 'Asia/Hong_Kong' };

describe('parseDateTime', () => {
  it.each([
    ['2025-12-31', hk, '2025-12-30T16:00:00.000Z'],
    ['2025-12-31T14:30', hk, '2025-12-31T06:30:00.000Z'],
    ['2025-12-31 14:30:15', hk, '2025-12-31T06:30:15.000Z'],
    ['2025-12-31T14:30:00Z', hk, '2025-12-31T14:30:00.000Z'],
    ['2025-12-31T14:30:00+08:00', hk, '2025-12-31T06:30:00.000Z'],
    ['2025-12-31T14:30:00.250-05:00', hk, '2025-12-31T19:30:00.250Z'],
    ['31/12/2025', hk, '2025-12-30T16:00:00.000Z'],
    ['25/12/2025 14:30', hk, '2025-12-25T06:30:00.000Z'],
    ['1/2/2025', hk, '2025-01-31T16:00:00.000Z'],
    ['1/2/2025', { ...hk, order: 'MDY' as const }, '2025-01-01T16:00:00.000Z'],
    ['12/31/2025', { ...hk, order: 'MDY' as const }, '2025-12-30T16:00:00.000Z'],
    ['31-12-2025', hk, '2025-12-30T16:00:00.000Z'],
    ['31.12.25', hk, '2025-12-30T16:00:00.000Z'],
    ['2025/12/31 2:30 PM', hk, '2025-12-31T06:30:00.000Z'],
    ['31/12/2025 12:05 am', hk, '2025-12-30T16:05:00.000Z'],
    ['2025年12月31日', hk, '2025-12-30T16:00:00.000Z'],
    ['29/02/2024', hk, '2024-02-28T16:00:00.000Z'],
    ['2025-07-01 09:00', { ...hk, timeZone: 'Europe/London' }, '2025-07-01T08:00:00.000Z'],
    ['2025-01-01 09:00', { ...hk, timeZone: 'Europe/London' }, '2025-01-01T09:00:00.000Z'],
  ])('reads %s', (input, options, expected) => {
    expect(parseDateTime(input, options)).toEqual({ ok: true, iso: expected });
  });

  it.each([
    ['', 'is empty'],
    ['yesterday', 'is not a date'],
    ['31/02/2026', 'day 31 does not exist in 2026-02'],
    ['29/02/2025', 'day 29 does not exist'],
    ['12/31/2025', 'set dateFormat to MDY'],
    ['2025-13-01', 'month 13 does not exist'],
    ['31/12/2025 25:00', 'time is out of range'],
    ['31/12/2025 13:00 PM', 'hour 13 is not valid'],
    ['31/12/2025 noon', 'is not a time'],
    ['1/1/1800', 'year 1800 is out of range'],
  ])('refuses %s', (input, message) => {
    const result = parseDateTime(input, hk);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('reads dates without a time zone shift for date-only fields', () => {
    expect(parseDateOnly('31/12/2025', { order: 'DMY' })).toEqual({ ok: true, iso: '2025-12-31' });
  });
});

describe('detectDateOrder', () => {
  it.each([
    [['31/12/2025', '01/02/2025'], 'DMY'],
    [['12/31/2025', '01/02/2025'], 'MDY'],
    [['01/02/2025', '03/04/2025'], 'ambiguous'],
    [['31/12/2025', '12/31/2025'], 'conflicting'],
    [['2025-12-31'], 'not-slashed'],
  ])('%j → %s', (samples, expected) => {
    expect(detectDateOrder(samples)).toBe(expected);
  });
});
