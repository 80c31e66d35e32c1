import { describe, expect, it } from 'vitest';
import {
  abcFormFrom,
  abcParameters,
  addMonths,
  churnFormFrom,
  churnParameters,
  clvFormFrom,
  clvParameters,
  cohortFromMonth,
  defaultChurnRules,
  fromPercent,
  nextSort,
  isDefaultPeriod,
  rfmFormFrom,
  rfmParameters,
  ruleOfKind,
  toPercent,
} from './analytics.params.js';

describe('calendar helpers', () => {
  it('adds months, clamped to the month’s last day', () => {
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2026-11-24', -12)).toBe('2025-11-24');
    expect(addMonths('2026-01-15', -2)).toBe('2025-11-15');
  });

  it('percent and share without float dust', () => {
    expect(toPercent(0.95)).toBe(95);
    expect(toPercent(0.0125)).toBe(1.25);
    expect(fromPercent(80)).toBe(0.8);
    expect(fromPercent(12.5)).toBe(0.125);
  });
});

describe('ABC form', () => {
  const run = (parameters: Record<string, unknown>) => ({ asOf: '2026-11-24', parameters });

  it('starts from the API defaults before any run', () => {
    expect(abcFormFrom(null)).toEqual({
      measure: 'revenue',
      volumeUnit: '',
      from: '',
      to: '',
      a: 80,
      b: 95,
      compare: true,
    });
  });

  it('leaves the period empty when the run used the default 12 months, so "Run again" moves with the date', () => {
    expect(isDefaultPeriod('2026-11-24', '2025-11-25', '2026-11-24')).toBe(true);
    const form = abcFormFrom(
      run({
        measure: 'margin',
        from: '2025-11-25',
        to: '2026-11-24',
        previousFrom: '2024-11-25',
        thresholds: { a: 0.7, b: 0.9 },
        compare: false,
      }),
    );
    expect(form).toEqual({ measure: 'margin', volumeUnit: '', from: '', to: '', a: 70, b: 90, compare: false });
  });

  it('keeps a period the user chose', () => {
    const form = abcFormFrom(run({ from: '2026-01-01', to: '2026-06-30', thresholds: { a: 0.8, b: 0.95 } }));
    expect([form.from, form.to]).toEqual(['2026-01-01', '2026-06-30']);
  });

  it('sends only what the API accepts (no previousFrom), the volume unit only for volume', () => {
    expect(
      abcParameters({ measure: 'volume', volumeUnit: ' TEU ', from: '', to: '', a: 80, b: 95, compare: true }),
    ).toEqual({
      measure: 'volume',
      volumeUnit: 'TEU',
      thresholds: { a: 0.8, b: 0.95 },
      compare: true,
    });
    expect(
      abcParameters({
        measure: 'revenue',
        volumeUnit: 'TEU',
        from: '2026-01-01',
        to: '2026-03-31',
        a: 75,
        b: 92.5,
        compare: false,
      }),
    ).toEqual({
      measure: 'revenue',
      from: '2026-01-01',
      to: '2026-03-31',
      thresholds: { a: 0.75, b: 0.925 },
      compare: false,
    });
  });
});

describe('RFM, CLV and cohort forms', () => {
  it('RFM sends the run’s score map back, so an edited map survives "Run again"', () => {
    const map = [{ segment: 'vip', r: [4, 5], f: [4, 5], m: [4, 5] }];
    expect(rfmParameters(rfmFormFrom({ unit: 'week', segmentMap: map }))).toEqual({ unit: 'week', segmentMap: map });
    expect(rfmParameters(rfmFormFrom(null))).toEqual({ unit: 'day' });
  });

  it('CLV margin and discount rate are edited in percent, the holdout is automatic unless given', () => {
    const form = clvFormFrom({
      model: 'pareto-nbd',
      unit: 'week',
      horizonMonths: 24,
      margin: 0.35,
      discountRate: 0.01,
      holdoutDays: 273,
    });
    expect(form).toEqual({
      model: 'pareto-nbd',
      unit: 'week',
      horizonMonths: 24,
      marginPercent: 35,
      discountPercent: 1,
      holdoutDays: '',
    });
    expect(clvParameters(form)).toEqual({
      model: 'pareto-nbd',
      unit: 'week',
      horizonMonths: 24,
      margin: 0.35,
      discountRate: 0.01,
    });
    expect(clvParameters({ ...form, holdoutDays: 0 })).toMatchObject({ holdoutDays: 0 });
    expect(clvFormFrom(null)).toMatchObject({
      model: 'bgnbd',
      unit: 'week',
      horizonMonths: 12,
      marginPercent: 100,
      discountPercent: 1,
    });
  });

  it('cohorts: the default first month (23 months back) is left empty', () => {
    expect(cohortFromMonth({ asOf: '2026-11-24', parameters: { from: '2024-12' } })).toBe('');
    expect(cohortFromMonth({ asOf: '2026-11-24', parameters: { from: '2025-06' } })).toBe('2025-06');
    expect(cohortFromMonth(null)).toBe('');
  });
});

describe('churn form', () => {
  it('starts from the built-in rules, and keeps a run’s edited ones', () => {
    expect(churnFormFrom(null).rules).toEqual(defaultChurnRules);
    const rules = [{ rule: 'inactive_days', class: 'lost', days: 365 }];
    expect(churnFormFrom({ rules, windowDays: 60 })).toMatchObject({
      unit: 'day',
      rules,
      windowDays: 60,
      volumeMeasure: 'revenue',
    });
    expect(churnParameters(churnFormFrom({ unit: 'week' }))).toMatchObject({ unit: 'week' });
  });

  it('changing a rule’s kind keeps its class and gives that kind’s usual numbers', () => {
    expect(ruleOfKind('volume_drop', 'lost')).toEqual({ rule: 'volume_drop', class: 'lost', percent: 30 });
    expect(ruleOfKind('inactive_days', 'at_risk')).toEqual({ rule: 'inactive_days', class: 'at_risk', days: 180 });
  });

  it('sends the volume unit only when volume is measured', () => {
    const form = {
      unit: 'day' as const,
      rules: [...defaultChurnRules],
      windowDays: 90,
      volumeMeasure: 'revenue' as const,
      volumeUnit: 'TEU',
      fallbackGapDays: 90,
    };
    expect(churnParameters(form)).not.toHaveProperty('volumeUnit');
    expect(churnParameters({ ...form, volumeMeasure: 'volume' })).toMatchObject({ volumeUnit: 'TEU' });
  });
});

describe('sorting a run’s customers', () => {
  it('flips the order of the sorted column, starts another high-to-low (codes and ranks low-to-high)', () => {
    expect(nextSort({ sort: 'clv', order: 'desc' }, 'clv')).toEqual({ sort: 'clv', order: 'asc' });
    expect(nextSort({ sort: 'clv', order: 'asc' }, 'p_alive')).toEqual({ sort: 'p_alive', order: 'desc' });
    expect(nextSort({ sort: 'clv', order: 'desc' }, 'code')).toEqual({ sort: 'code', order: 'asc' });
    expect(nextSort({ sort: 'value', order: 'desc' }, 'rank')).toEqual({ sort: 'rank', order: 'asc' });
  });
});
