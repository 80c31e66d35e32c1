import { describe, expect, it } from 'vitest';
import { normaliseDecimal, normaliseEmail, normalisePhone, splitList } from './normalise.rules.js';

describe('normalising contact details', () => {
  it.each([
    ['Karen.Chan@HarbourLink.HK', 'karen.chan@harbourlink.hk'],
    ['  mailto:ivy@example.com ', 'ivy@example.com'],
    ['<tom@example.com.hk>', 'tom@example.com.hk'],
  ])('email %s → %s', (input, expected) => {
    expect(normaliseEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['karen', 'a@b', 'two words@x.com', 'a@b@c.com', ''])('refuses the email %j', (input) => {
    expect(normaliseEmail(input).ok).toBe(false);
  });

  it.each([
    ['9123 4567', '+85291234567'],
    ['2345-6789', '+85223456789'],
    ['+852 9123 4567', '+85291234567'],
    ['(852) 9123 4567', '+85291234567'],
    ['00852 91234567', '+85291234567'],
    ['+86 138 0013 8000', '+8613800138000'],
    ['+1 (415) 555-2671', '+14155552671'],
  ])('phone %s → %s', (input, expected) => {
    expect(normalisePhone(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['12', '1234 567', 'call me', '+852 1234 5678'])('refuses the phone %j', (input) => {
    expect(normalisePhone(input).ok).toBe(false);
  });

  it.each([
    ['1,234.50', '1234.50'],
    ['HK$1,234.50', '1234.50'],
    ['(1,234.50)', '-1234.50'],
    ['1234.50-', '-1234.50'],
    ['-20', '-20'],
    ['USD 99', '99'],
    ['100 HKD', '100'],
  ])('amount %s → %s', (input, expected) => {
    expect(normaliseDecimal(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['abc', '1.2.3', '12,34', '=1+1', '1e5', '12345678901234567'])('refuses the amount %j', (input) => {
    expect(normaliseDecimal(input).ok).toBe(false);
  });

  it('splits lists on ; , | 、 and line breaks', () => {
    expect(splitList('sea; air,express|rail、 road\ncourier;;')).toEqual([
      'sea',
      'air',
      'express',
      'rail',
      'road',
      'courier',
    ]);
  });
});
