import { describe, expect, it } from 'vitest';
import { readReferenceCsv } from '../../../testing/reference-data.js';
import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive } from './bgnbd.js';
import { customerLifetimeValue, revenueAtRisk } from './clv.js';
import { gammaGammaConditionalExpectedSpend } from './gamma-gamma.js';

const BG = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const GG = { p: 6.25, q: 3.74, v: 15.44 };

describe('customer lifetime value (lifetimes discrete DCF)', () => {
  it('matches clv_bg_gg_12m_1pct (12 steps of 4.345 weeks, 1 % a month) for all 2,357 CDNOW customers', () => {
    const golden = readReferenceCsv('cdnow', 'cdnow_golden_predictions_published_params.csv');
    expect(golden).toHaveLength(2357);
    const bad: string[] = [];
    for (const row of golden) {
      const x = Number(row.frequency);
      const tx = Number(row.recency);
      const T = Number(row.T);
      const spend = gammaGammaConditionalExpectedSpend(GG, x, Number(row.monetary_value));
      const clv = customerLifetimeValue((t) => bgNbdConditionalExpectedPurchases(BG, t, x, tx, T), spend, {
        steps: 12,
        discountRate: 0.01,
        freq: 'W',
      });
      const ref = Number(row.clv_bg_gg_12m_1pct);
      if (!(Math.abs(clv - ref) <= 1e-9 * Math.abs(ref) + 1e-12)) bad.push(`${row.ID}: ${clv} vs ${ref}`);
    }
    expect(bad).toEqual([]);
  });

  describe('known-value identities on the lifetimes example (daily model, monetary value 1)', () => {
    const PINNED = { r: 0.16385072, alpha: 1.86428187, a: 1.85034151, b: 3.18105431 };
    const customers: [number, number, number][] = [
      [0, 0, 298],
      [0, 0, 224],
      [6, 142, 292],
      [0, 0, 147],
      [2, 9, 183],
    ];
    const predict30 = customers.map(([x, tx, T]) => bgNbdConditionalExpectedPurchases(PINNED, 30, x, tx, T));
    const clv = (steps: number, discountRate: number): number[] =>
      customers.map(([x, tx, T]) =>
        customerLifetimeValue((t) => bgNbdConditionalExpectedPurchases(PINNED, t, x, tx, T), 1, {
          steps,
          discountRate,
          freq: 'D',
        }),
      );

    it('predict(30) is the documented vector', () => {
      const known = [0.016053, 0.021171, 0.030461, 0.031686, 0.001607];
      predict30.forEach((v, i) => expect(Math.abs(v - known[i]!)).toBeLessThan(5e-7));
    });
    it('time 1, discount 0: the same vector', () => {
      clv(1, 0).forEach((v, i) => expect(v).toBeCloseTo(predict30[i]!, 14));
    });
    it('time 1, discount 1: half of it', () => {
      clv(1, 1).forEach((v, i) => expect(v).toBeCloseTo(predict30[i]! / 2, 14));
    });
    it('time 2, discount 0: about twice (rtol 0.1)', () => {
      clv(2, 0).forEach((v, i) => expect(Math.abs(v / (2 * predict30[i]!) - 1)).toBeLessThan(0.1));
    });
    it('time 2, discount 1: about 0.75 times (rtol 0.1)', () => {
      clv(2, 1).forEach((v, i) => expect(Math.abs(v / (0.75 * predict30[i]!) - 1)).toBeLessThan(0.1));
    });
  });

  it('applies the margin linearly and revenue at risk = CLV × (1 − P(alive))', () => {
    const f = (t: number): number => bgNbdConditionalExpectedPurchases(BG, t, 2, 30.43, 38.86);
    const base = customerLifetimeValue(f, 24.66, { freq: 'W' });
    expect(customerLifetimeValue(f, 24.66, { freq: 'W', margin: 0.3 })).toBeCloseTo(0.3 * base, 12);
    const pAlive = bgNbdProbabilityAlive(BG, 2, 30.43, 38.86);
    expect(revenueAtRisk(base, pAlive)).toBeCloseTo(base * (1 - pAlive), 12);
    expect(revenueAtRisk(base, 1)).toBe(0);
  });
});
