import { describe, expect, it } from 'vitest';
import { classifyAbc, classTotals, gini, moversMatrix, paretoCurve, topShare, type ValueEntry } from './abc.rules.js';
import type { AbcClass } from './analytics.schema.js';

const defaults = { a: 0.8, b: 0.95 };
const entries = (values: number[]): ValueEntry[] => values.map((value, i) => ({ id: i + 1, value }));
const classes = (values: number[], thresholds = defaults) =>
  classifyAbc(entries(values), thresholds)
    .sort((x, y) => x.id - y.id)
    .map((row) => row.class)
    .join('');

describe('classifyAbc', () => {
  it.each([
    // values (ids 1…n)                        thresholds      classes by id
    [[50, 30, 15, 5], defaults, 'AABC'], // cumulative above: 0, .5, .8 (B: not < .8), .95 (C)
    [[60, 25, 10, 5], defaults, 'AABC'], // the customer crossing 80% (.60 → .85) is A
    [[100], defaults, 'A'], // a single customer is A
    [[10, 10, 10, 10, 10], defaults, 'AAAAA'], // all equal: ties share the first one's class
    [[40, 20, 20, 20], defaults, 'AAAA'], // the tie across the 80% line stays together (A)
    [[70, 10, 10, 5, 5], defaults, 'AAABB'], // cumulative above: 0, .7, .7 (tie), .9, .9 (tie)
    [[0, 0, 0], defaults, 'CCC'], // nothing positive: everyone C
    [[90, 0, 10], defaults, 'ACB'], // zero value is C, outside the total
    [[90, -20, 10], defaults, 'ACB'], // negative margin is C, outside the total
    [[50, 30, 15, 5], { a: 0.5, b: 0.9 }, 'ABBC'], // 0 → A; .5 is not < .5 → B; .8 → B; .95 → C
    [[50, 30, 15, 5], { a: 0.6, b: 0.7 }, 'AACC'],
  ])('values %j with %j → %s', (values, thresholds, expected) => {
    expect(classes(values, thresholds)).toBe(expected);
  });

  it('ranks largest first, ties by id, with shares of the positive total', () => {
    const rows = classifyAbc(
      [
        { id: 7, value: 20 },
        { id: 3, value: 50 },
        { id: 5, value: 20 },
        { id: 9, value: 10 },
      ],
      defaults,
    );
    expect(rows.map((row) => [row.id, row.rank])).toEqual([
      [3, 1],
      [5, 2],
      [7, 3],
      [9, 4],
    ]);
    expect(rows.map((row) => row.share)).toEqual([0.5, 0.2, 0.2, 0.1]);
    expect(rows.at(-1)?.cumulativeShare).toBeCloseTo(1, 12);
  });

  it('does not depend on input order', () => {
    const values = [5, 80, 3, 3, 9, 0, 40];
    const shuffled = entries(values).reverse();
    expect(classifyAbc(shuffled, defaults)).toEqual(classifyAbc(entries(values), defaults));
  });

  it('totals customers and value per class', () => {
    const totals = classTotals(classifyAbc(entries([60, 25, 10, 5]), defaults));
    expect(totals).toEqual([
      { class: 'A', customers: 2, value: 85, customerShare: 0.5, valueShare: 0.85 },
      { class: 'B', customers: 1, value: 10, customerShare: 0.25, valueShare: 0.1 },
      { class: 'C', customers: 1, value: 5, customerShare: 0.25, valueShare: 0.05 },
    ]);
  });
});

describe('gini', () => {
  it.each([
    [[], 0],
    [[5], 0],
    [[1, 1, 1, 1], 0],
    [[0, 0, 0, 10], 0.75], // (n−1)/n when one has everything
    [[1, 2, 3, 4], 0.25], // 2(1+4+9+16)/(4·10) − 5/4 = 1.5 − 1.25
    [[0, 0], 0],
    [[-5, 0, 0, 10], 0.75], // negatives count as 0
  ])('gini(%j) = %d', (values, expected) => {
    expect(gini(values)).toBeCloseTo(expected, 12);
  });
});

describe('topShare', () => {
  it.each([
    [[50, 30, 15, 5], 0.2, 0.5], // ⌈0.8⌉ = 1 customer
    [[10, 10, 10, 10, 10], 0.2, 0.2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.2, 19 / 55], // top 2
    [[0, 0], 0.2, 0],
    [[], 0.2, 0],
  ])('topShare(%j, %d) = %d', (values, fraction, expected) => {
    expect(topShare(values, fraction)).toBeCloseTo(expected, 12);
  });
});

describe('paretoCurve', () => {
  it('starts at 0, ends at (1, 1) and never decreases', () => {
    const rows = classifyAbc(entries(Array.from({ length: 1000 }, (_, i) => (i % 97) + 1)), defaults);
    const curve = paretoCurve(rows, 100);
    expect(curve).toHaveLength(101);
    expect(curve[0]).toEqual({ customerShare: 0, valueShare: 0 });
    expect(curve.at(-1)?.customerShare).toBe(1);
    expect(curve.at(-1)?.valueShare).toBeCloseTo(1, 12);
    for (let i = 1; i < curve.length; i++)
      expect(curve[i]!.valueShare).toBeGreaterThanOrEqual(curve[i - 1]!.valueShare);
  });

  it('has one point per customer when there are fewer customers than points', () => {
    const curve = paretoCurve(classifyAbc(entries([3, 1]), defaults), 100);
    expect(curve).toEqual([
      { customerShare: 0, valueShare: 0 },
      { customerShare: 0.5, valueShare: 0.75 },
      { customerShare: 1, valueShare: 1 },
    ]);
  });
});

describe('moversMatrix', () => {
  it('counts moves, new customers (from null) and dropped ones (to null)', () => {
    const current = new Map<number, AbcClass>([
      [1, 'A'],
      [2, 'A'],
      [3, 'B'],
      [4, 'C'],
    ]);
    const previous = new Map<number, AbcClass>([
      [1, 'A'],
      [2, 'B'],
      [3, 'B'],
      [5, 'C'],
    ]);
    expect(moversMatrix(current, previous)).toEqual([
      { from: 'A', to: 'A', customers: 1 },
      { from: 'B', to: 'A', customers: 1 },
      { from: 'B', to: 'B', customers: 1 },
      { from: 'C', to: null, customers: 1 },
      { from: null, to: 'C', customers: 1 },
    ]);
  });
});
