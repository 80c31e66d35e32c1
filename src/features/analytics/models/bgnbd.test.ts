import { describe, expect, it } from 'vitest';
import { cdnowSummaryColumns, readReferenceCsv } from '../../../testing/reference-data.js';
import { expectFinitePositive, goldenMismatches, sig4 } from '../../../testing/precision.js';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdCustomerLogLikelihood,
  bgNbdExpectedPurchases,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
  type BgNbdParams,
} from './bgnbd.js';
import { summaryFromTransactions } from './summary.js';

const cdnowColumns = cdnowSummaryColumns();

// Published parameters (PROVENANCE.md) used for the golden file.
const PUBLISHED: BgNbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD on CDNOW', () => {
  it('fits the published maximum-likelihood estimates to 4 significant digits', () => {
    const fit = fitBgNbd(cdnowColumns);
    expect(fit.converged).toBe(true);
    expect(sig4(fit.params.r)).toBe(sig4(0.24259));
    expect(sig4(fit.params.alpha)).toBe(sig4(4.41353));
    expect(sig4(fit.params.a)).toBe(sig4(0.79289));
    expect(sig4(fit.params.b)).toBe(sig4(2.42575));
    expect(sig4(fit.logLikelihood)).toBe(sig4(-9582.4256));
    expect(fit.logLikelihood).toBeCloseTo(-9582.4256, 3);
  });

  it('gives finite, positive standard errors from the Hessian', () => {
    const fit = fitBgNbd(cdnowColumns);
    expectFinitePositive(fit.standardErrors);
    // Relative precision is sensible: r is well identified, b less so.
    expect(fit.standardErrors!.r / fit.params.r).toBeLessThan(0.2);
  });

  it('sums to the golden total log-likelihood at the published parameters', () => {
    expect(bgNbdLogLikelihood(PUBLISHED, cdnowColumns)).toBeCloseTo(-9582.426831, 5);
  });
});

describe('BG/NBD golden per-customer predictions (lifetimes 0.11.3)', () => {
  const golden = readReferenceCsv('cdnow', 'cdnow_golden_predictions_published_params.csv');

  it('has 2,357 customers', () => {
    expect(golden).toHaveLength(2357);
  });

  it('matches bg_ll, bg_p_alive and bg_exp_purchases_39w to 1e-9 relative', () => {
    expect(
      goldenMismatches(golden, {
        bg_ll: (x, tx, T) => bgNbdCustomerLogLikelihood(PUBLISHED, x, tx, T),
        bg_p_alive: (x, tx, T) => bgNbdProbabilityAlive(PUBLISHED, x, tx, T),
        bg_exp_purchases_39w: (x, tx, T) => bgNbdConditionalExpectedPurchases(PUBLISHED, 39, x, tx, T),
      }),
    ).toEqual([]);
  });
});

describe('BG/NBD on the lifetimes example transactions', () => {
  // pymc-marketing pins these (tests/clv/conftest.py); lifetimes' known-values test uses the same fit.
  const PINNED: BgNbdParams = { r: 0.16385072, alpha: 1.86428187, a: 1.85034151, b: 3.18105431 };
  const rows = readReferenceCsv('lifetimes-example-transactions', 'example_transactions.csv');
  const lastDate = rows.reduce((m, r) => (r.date! > m ? r.date! : m), '');
  const summary = summaryFromTransactions(
    rows.map((r) => ({ customerId: r.id!, date: r.date! })),
    { observationEnd: lastDate },
  );

  it('builds the daily summary of the first five customers', () => {
    const expected = [
      [0, 0, 298],
      [0, 0, 224],
      [6, 142, 292],
      [0, 0, 147],
      [2, 9, 183],
    ];
    for (let id = 0; id < 5; id++) {
      const i = summary.customerIds.indexOf(String(id));
      expect([summary.frequency[i], summary.recency[i], summary.T[i]]).toEqual(expected[id]);
    }
  });

  it('predict(30) at the pinned parameters gives the known values', () => {
    const known = [0.016053, 0.021171, 0.030461, 0.031686, 0.001607];
    for (let id = 0; id < 5; id++) {
      const i = summary.customerIds.indexOf(String(id));
      const v = bgNbdConditionalExpectedPurchases(
        PINNED,
        30,
        summary.frequency[i]!,
        summary.recency[i]!,
        summary.T[i]!,
      );
      expect(Math.abs(v - known[id]!)).toBeLessThan(5e-7);
    }
  });

  it('fits the pinned parameters', () => {
    const fit = fitBgNbd(summary);
    expect(fit.converged).toBe(true);
    expect(fit.params.r).toBeCloseTo(PINNED.r, 5);
    expect(fit.params.alpha).toBeCloseTo(PINNED.alpha, 4);
    expect(fit.params.a).toBeCloseTo(PINNED.a, 4);
    expect(fit.params.b).toBeCloseTo(PINNED.b, 4);
  });
});

describe('BG/NBD expected purchases of a new customer', () => {
  it('is 0 at t = 0, increasing, and the limit of the conditional expectation at x = t_x = T = 0', () => {
    expect(bgNbdExpectedPurchases(PUBLISHED, 0)).toBe(0);
    let prev = 0;
    for (const t of [1, 5, 39, 78, 500]) {
      const v = bgNbdExpectedPurchases(PUBLISHED, t);
      expect(v).toBeGreaterThan(prev);
      expect(bgNbdConditionalExpectedPurchases(PUBLISHED, t, 0, 0, 0)).toBeCloseTo(v, 12);
      prev = v;
    }
  });
});
