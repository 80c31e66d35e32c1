import { describe, expect, it } from 'vitest';
import { buildCohortMatrix, type CohortCell } from './cohort.rules.js';
import {
  addDays,
  addMonths,
  addMonthsToMonth,
  daysBetween,
  lastDayOfMonth,
  localDate,
  monthsBetween,
} from './period.rules.js';

describe('buildCohortMatrix', () => {
  const cells: CohortCell[] = [
    // Jan cohort: 10 customers, 1,000 revenue; 4 come back in Feb (600), 5 in Mar (500), 2 in Apr (100)
    { cohort: '2026-01', offset: 0, customers: 10, revenue: 1000 },
    { cohort: '2026-01', offset: 1, customers: 4, revenue: 600 },
    { cohort: '2026-01', offset: 2, customers: 5, revenue: 500 },
    { cohort: '2026-01', offset: 3, customers: 2, revenue: 100 },
    // Feb cohort: 5 customers; nobody in Mar (no cell → 0); 1 in Apr
    { cohort: '2026-02', offset: 0, customers: 5, revenue: 250 },
    { cohort: '2026-02', offset: 2, customers: 1, revenue: 50 },
    // Apr cohort; no March cohort at all
    { cohort: '2026-04', offset: 0, customers: 8, revenue: 400 },
    // outside the range: ignored
    { cohort: '2025-12', offset: 0, customers: 99, revenue: 9900 },
  ];

  it('computes customer and revenue retention per month since acquisition; unobserved months are null', () => {
    const matrix = buildCohortMatrix(cells, '2026-01', '2026-04');
    expect(matrix.cohorts.map((row) => row.cohort)).toEqual(['2026-01', '2026-02', '2026-04']);
    const [jan, feb, apr] = matrix.cohorts;
    expect(jan).toEqual({
      cohort: '2026-01',
      size: 10,
      customers: [10, 4, 5, 2],
      revenue: [1000, 600, 500, 100],
      retention: [1, 0.4, 0.5, 0.2],
      revenueRetention: [1, 0.6, 0.5, 0.1],
    });
    expect(feb).toEqual({
      cohort: '2026-02',
      size: 5,
      customers: [5, 0, 1, null],
      revenue: [250, 0, 50, null],
      retention: [1, 0, 0.2, null],
      revenueRetention: [1, 0, 0.2, null],
    });
    expect(apr?.retention).toEqual([1, null, null, null]);
  });

  it('averages retention over the cohorts observed that far, weighted by size', () => {
    const matrix = buildCohortMatrix(cells, '2026-01', '2026-04');
    // month 1: (4 + 0) / (10 + 5); month 2: (5 + 1) / 15; month 3: 2 / 10
    expect(matrix.averageRetention).toEqual([1, 4 / 15, 6 / 15, 0.2]);
  });

  it('is empty without cells', () => {
    expect(buildCohortMatrix([], '2026-01', '2026-03')).toEqual({ cohorts: [], averageRetention: [null, null, null] });
  });
});

describe('calendar helpers', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-11-24', -12, '2025-11-24'],
    ['2026-12-15', 1, '2027-01-15'],
  ])('addMonths(%s, %i) = %s', (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });

  it('adds days, counts days and months, finds month ends and local dates', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('1997-01-01', '1997-09-30')).toBe(272);
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
    expect(addMonthsToMonth('2025-11', 3)).toBe('2026-02');
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(localDate(new Date('2026-06-30T16:30:00Z'), 'Asia/Hong_Kong')).toBe('2026-07-01');
    expect(localDate(new Date('2026-06-30T16:30:00Z'), 'UTC')).toBe('2026-06-30');
  });
});
