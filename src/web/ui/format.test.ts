import { describe, expect, it } from 'vitest';
import { formatDate, formatDecimal } from './format.js';

describe('formatDecimal', () => {
  it.each([
    ['1234567.5', 'en', '1,234,567.50'],
    ['0', 'en', '0.00'],
    ['-42.10', 'zh-Hant', '-42.10'],
    ['98765432109876543.21', 'en', '98,765,432,109,876,543.21'],
    ['not a number', 'en', 'not a number'],
  ])('%s (%s) → %s', (input, language, expected) => {
    expect(formatDecimal(input, language)).toBe(expected);
  });
});

describe('formatDate', () => {
  it('shows the Hong Kong calendar day (UTC 20:00 is the next day in Hong Kong)', () => {
    expect(formatDate('2025-03-01T20:00:00Z', 'en')).toMatch(/2 Mar 2025/);
    expect(formatDate('2025-03-01T20:00:00Z', 'zh-Hant')).toBe('2025年3月2日');
  });
  it('keeps null as null', () => {
    expect(formatDate(null, 'en')).toBeNull();
  });
});
