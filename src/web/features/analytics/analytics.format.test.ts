import { describe, expect, it } from 'vitest';
import { formatCompact, formatMoney, formatNumber, formatPercent, formatSignificant } from './analytics.format.js';

describe('analytics number formats', () => {
  it('money has grouping and two decimals, as the accounts’ revenue', () => {
    expect(formatMoney(1234567.5, 'en')).toBe('1,234,567.50');
    expect(formatMoney(-42.105, 'zh-Hant')).toBe('-42.10');
    expect(formatMoney(0, 'en')).toBe('0.00');
  });

  it('shares are percentages', () => {
    expect(formatPercent(0.8445993, 'en')).toBe('84.5%');
    expect(formatPercent(1, 'zh-Hant')).toBe('100%');
    expect(formatPercent(0.5, 'en', 0)).toBe('50%');
  });

  it('compact numbers for charts (Hong Kong usage writes M in both languages)', () => {
    expect(formatCompact(21_921_409, 'en')).toBe('21.9M');
    expect(formatCompact(21_921_409, 'zh-Hant')).toBe('21.9M');
    expect(formatCompact(950, 'en')).toBe('950');
  });

  it('parameters to four significant digits, tiny and huge ones in exponent form', () => {
    expect(formatSignificant(0.242590012, 'en')).toBe('0.2426');
    expect(formatSignificant(10566.2, 'en')).toBe('10,570');
    expect(formatSignificant(1.2e-7, 'en')).toBe('1.200e-7');
    expect(formatSignificant(0, 'en')).toBe('0');
  });

  it('missing and non-finite values are null, so the page shows its dash', () => {
    for (const value of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(formatMoney(value, 'en')).toBeNull();
      expect(formatPercent(value, 'en')).toBeNull();
      expect(formatNumber(value, 'en')).toBeNull();
      expect(formatCompact(value, 'en')).toBeNull();
      expect(formatSignificant(value, 'en')).toBeNull();
    }
  });
});
