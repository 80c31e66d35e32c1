import { describe, expect, it } from 'vitest';
import { rfmSegmentRuleSchema } from './analytics.schema.js';
import {
  DEFAULT_RFM_SEGMENT_MAP,
  OTHER_SEGMENT,
  quintileScores,
  rfmGrid,
  scoreRfm,
  segmentFor,
  segmentTotals,
  summaryStats,
} from './rfm.rules.js';

const scores = (values: number[], higherIsBetter = true) => Array.from(quintileScores(values, higherIsBetter));

describe('quintileScores', () => {
  it.each([
    [[], []],
    [[7], [3]], // one customer: the middle
    [
      [1, 2],
      [2, 4],
    ],
    [
      [1, 2, 3],
      [1, 3, 5],
    ],
    [
      [1, 2, 3, 4],
      [1, 2, 4, 5],
    ],
    [
      [1, 2, 3, 4, 5],
      [1, 2, 3, 4, 5],
    ],
    [
      [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
      [5, 5, 4, 4, 3, 3, 2, 2, 1, 1],
    ],
    [
      [4, 4, 4, 4],
      [3, 3, 3, 3],
    ], // everyone equal: 3
    [
      [0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
      [2, 2, 2, 2, 2, 2, 4, 4, 5, 5],
    ], // ties share the mid-rank's score
    [
      [5, 1, 5, 1, 3],
      [5, 2, 5, 2, 3],
    ],
  ])('scores %j (higher is better) as %j', (values, expected) => {
    expect(scores(values)).toEqual(expected);
  });

  it('reverses the scale when lower is better (recency: days since the last purchase)', () => {
    expect(scores([1, 2, 3, 4, 5], false)).toEqual([5, 4, 3, 2, 1]);
    expect(scores([30, 30, 400], false)).toEqual([4, 4, 1]);
  });

  it('gives each score to a fifth of many distinct values', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const counts = [0, 0, 0, 0, 0];
    for (const s of quintileScores(values, true)) counts[s - 1]! += 1;
    expect(counts).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('RFM segment map', () => {
  it('names every one of the 125 score combinations', () => {
    const seen = new Set<string>();
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        for (let m = 1; m <= 5; m++) {
          const segment = segmentFor(r, f, m);
          expect(segment).not.toBe(OTHER_SEGMENT);
          seen.add(segment);
        }
      }
    }
    expect([...seen].sort()).toEqual(DEFAULT_RFM_SEGMENT_MAP.map((rule) => rule.segment).sort());
  });

  it.each([
    [5, 5, 5, 'champions'],
    [4, 4, 4, 'champions'],
    [1, 5, 5, 'cant_lose'],
    [2, 4, 4, 'cant_lose'],
    [3, 3, 3, 'loyal'],
    [5, 3, 5, 'loyal'],
    [1, 3, 1, 'at_risk'],
    [2, 5, 2, 'at_risk'],
    [5, 1, 5, 'new'],
    [4, 1, 1, 'promising'],
    [5, 2, 1, 'potential_loyalists'],
    [4, 5, 2, 'potential_loyalists'],
    [3, 2, 5, 'need_attention'],
    [3, 1, 3, 'about_to_sleep'],
    [2, 1, 5, 'hibernating'],
    [2, 2, 1, 'hibernating'],
    [1, 1, 1, 'lost'],
    [1, 2, 5, 'lost'],
  ])('R%i F%i M%i is %s', (r, f, m, segment) => {
    expect(segmentFor(r, f, m)).toBe(segment);
  });

  it('is valid under the API schema and editable: the first matching line wins, gaps give "others"', () => {
    for (const rule of DEFAULT_RFM_SEGMENT_MAP) expect(rfmSegmentRuleSchema.parse(rule)).toEqual(rule);
    const edited = [
      { segment: 'vip', r: [5, 5] as [number, number], f: [5, 5] as [number, number], m: [5, 5] as [number, number] },
      ...DEFAULT_RFM_SEGMENT_MAP,
    ];
    expect(segmentFor(5, 5, 5, edited)).toBe('vip');
    expect(segmentFor(4, 5, 5, edited)).toBe('champions');
    expect(segmentFor(1, 1, 1, [{ segment: 'best', r: [5, 5], f: [5, 5], m: [5, 5] }])).toBe(OTHER_SEGMENT);
  });
});

describe('scoreRfm and its summaries', () => {
  const input = {
    sinceLast: [1, 5, 30, 200, 400],
    frequency: [10, 4, 2, 0, 6],
    totalValue: [5000, 800, 300, 50, 2000],
  };

  it('scores R (lower since-last is better), F and M, and names the segments', () => {
    const result = scoreRfm(input);
    expect(Array.from(result.r)).toEqual([5, 4, 3, 2, 1]);
    expect(Array.from(result.f)).toEqual([5, 3, 2, 1, 4]);
    expect(Array.from(result.m)).toEqual([5, 3, 2, 1, 4]);
    expect(result.segment).toEqual(['champions', 'loyal', 'need_attention', 'hibernating', 'cant_lose']);
  });

  it('totals segments in map order and fills the 5×5 R×F grid', () => {
    const result = scoreRfm(input);
    const totals = segmentTotals(input, result);
    expect(totals.map((t) => t.segment)).toEqual(['champions', 'cant_lose', 'loyal', 'need_attention', 'hibernating']);
    expect(totals[0]).toEqual({
      segment: 'champions',
      customers: 1,
      share: 0.2,
      totalValue: 5000,
      meanSinceLast: 1,
      meanFrequency: 10,
    });
    const grid = rfmGrid(input, result);
    expect(grid).toHaveLength(25);
    expect(grid.reduce((sum, cell) => sum + cell.customers, 0)).toBe(5);
    expect(grid.find((cell) => cell.r === 5 && cell.f === 5)).toEqual({
      r: 5,
      f: 5,
      customers: 1,
      meanTotalValue: 5000,
    });
  });

  it('summarises the BTYD columns (monetary value over repeat customers only)', () => {
    expect(
      summaryStats({
        frequency: [0, 2, 4, 0],
        recency: [0, 10, 30, 0],
        T: [20, 40, 60, 80],
        monetaryValue: [0, 10, 30, 0],
        totalValue: [5, 25, 125, 5],
      }),
    ).toEqual({
      frequencyZeroShare: 0.5,
      meanFrequency: 1.5,
      meanRecency: 10,
      meanT: 50,
      meanMonetaryValue: 20,
      meanTotalValue: 40,
    });
  });
});
