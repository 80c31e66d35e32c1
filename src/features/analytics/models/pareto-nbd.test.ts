import { describe, expect, it } from 'vitest';
import { cdnowSummaryColumns, readReferenceCsv } from '../../../testing/reference-data.js';
import { closeRel, expectFinitePositive, goldenMismatches, sig4 } from '../../../testing/precision.js';
import {
  fitParetoNbd,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdCustomerLogLikelihood,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdLogLikelihoodFunction,
  paretoNbdProbabilityAlive,
  type ParetoNbdParams,
} from './pareto-nbd.js';
import { gammaln } from './special.js';

const cdnowColumns = cdnowSummaryColumns();
const PUBLISHED: ParetoNbdParams = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

/** ∫_{t_x}^{T} s (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ by composite Gauss–Legendre on a log-spaced grid (independent check). */
function deadTermByQuadrature(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const nodes = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
  const weights = [0.2369268850561891, 0.4786286704993665, 0.5688888888888889, 0.4786286704993665, 0.2369268850561891];
  const f = (tau: number): number => p.s * Math.pow(p.alpha + tau, -(p.r + x)) * Math.pow(p.beta + tau, -(p.s + 1));
  const pieces = 4000;
  let sum = 0;
  for (let k = 0; k < pieces; k++) {
    const a = tx + ((T - tx) * k) / pieces;
    const b = tx + ((T - tx) * (k + 1)) / pieces;
    for (let j = 0; j < 5; j++) sum += ((b - a) / 2) * weights[j]! * f((a + b) / 2 + ((b - a) / 2) * nodes[j]!);
  }
  return sum;
}

describe('Pareto/NBD on CDNOW', () => {
  it('fits the published maximum-likelihood estimates to 4 significant digits', () => {
    const fit = fitParetoNbd(cdnowColumns);
    expect(fit.converged).toBe(true);
    expect(sig4(fit.params.r)).toBe(sig4(0.55326));
    expect(sig4(fit.params.alpha)).toBe(sig4(10.5774));
    expect(sig4(fit.params.s)).toBe(sig4(0.60624));
    expect(sig4(fit.params.beta)).toBe(sig4(11.669));
    expect(sig4(fit.logLikelihood)).toBe(sig4(-9594.9739));
    expect(fit.logLikelihood).toBeCloseTo(-9594.9739, 3);
    // It is a maximum: at least as good as the published estimates.
    const published = { r: 0.55326, alpha: 10.5774, s: 0.60624, beta: 11.669 };
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(paretoNbdLogLikelihood(published, cdnowColumns) - 1e-9);
  });

  it('gives finite, positive standard errors from the Hessian', () => {
    const fit = fitParetoNbd(cdnowColumns);
    expectFinitePositive(fit.standardErrors);
  });

  it('sums to the golden total at the published parameters', () => {
    expect(paretoNbdLogLikelihood(PUBLISHED, cdnowColumns)).toBeCloseTo(-9594.97401, 5);
  });
});

describe('Pareto/NBD golden per-customer predictions (lifetimes 0.11.3)', () => {
  const golden = readReferenceCsv('cdnow', 'cdnow_golden_predictions_published_params.csv');

  it('matches pnbd_ll, pnbd_p_alive and pnbd_exp_purchases_39w to 1e-9 relative for all 2,357 customers', () => {
    expect(golden).toHaveLength(2357);
    expect(
      goldenMismatches(golden, {
        pnbd_ll: (x, tx, T) => paretoNbdCustomerLogLikelihood(PUBLISHED, x, tx, T),
        pnbd_p_alive: (x, tx, T) => paretoNbdProbabilityAlive(PUBLISHED, x, tx, T),
        pnbd_exp_purchases_39w: (x, tx, T) => paretoNbdConditionalExpectedPurchases(PUBLISHED, 39, x, tx, T),
      }),
    ).toEqual([]);
  });
});

describe('Pareto/NBD likelihood robustness', () => {
  it('agrees with direct quadrature of the death-time integral', () => {
    const p = { r: 0.8, alpha: 3, s: 1.4, beta: 40 };
    for (const [x, tx, T] of [
      [0, 0, 30],
      [3, 10, 30],
      [40, 29, 30],
      [2, 1, 100],
    ] as const) {
      const logAlive = -(p.r + x) * Math.log(p.alpha + T) - p.s * Math.log(p.beta + T);
      const A = gammaln(p.r + x) - gammaln(p.r) + p.r * Math.log(p.alpha) + p.s * Math.log(p.beta);
      const expected = A + Math.log(Math.exp(logAlive) + deadTermByQuadrature(p, x, tx, T));
      expect(closeRel(paretoNbdCustomerLogLikelihood(p, x, tx, T), expected, 1e-10)).toBe(true);
    }
  });

  it('stays finite and smooth past 300 purchases, for α < β and α > β', () => {
    for (const p of [
      { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 },
      { r: 2, alpha: 50, s: 0.4, beta: 3 },
      { r: 0.3, alpha: 0.5, s: 3, beta: 5000 },
    ]) {
      for (const x of [300, 1000, 5000]) {
        const ll = paretoNbdCustomerLogLikelihood(p, x, 30, 39);
        const ll2 = paretoNbdCustomerLogLikelihood(p, x, 30 + 1e-6, 39);
        expect(Number.isFinite(ll)).toBe(true);
        expect(Math.abs(ll2 - ll)).toBeLessThan(1e-3);
        const pa = paretoNbdProbabilityAlive(p, x, 30, 39);
        expect(pa).toBeGreaterThanOrEqual(0);
        expect(pa).toBeLessThanOrEqual(1);
      }
    }
  });

  it('has an analytic gradient that matches central differences at many purchases', () => {
    const data = { frequency: [0, 1, 7, 350, 1200], recency: [0, 3.5, 20, 37, 38.5], T: [39, 39, 25, 39, 39] };
    const f = paretoNbdLogLikelihoodFunction(data);
    for (const theta of [
      [0.55, 10.6, 0.61, 11.7],
      [2, 50, 0.4, 3],
      [0.3, 0.5, 3, 500],
    ]) {
      const g = new Float64Array(4);
      f(theta, g);
      for (let i = 0; i < 4; i++) {
        const h = 1e-6 * theta[i]!;
        const up = [...theta];
        const dn = [...theta];
        up[i]! += h;
        dn[i]! -= h;
        const fd = (f(up) - f(dn)) / (2 * h);
        expect(Math.abs(g[i]! - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
    }
  });
});

describe('Pareto/NBD expected purchases of a new customer', () => {
  it('matches the conditional expectation at x = t_x = T = 0 and the s → 1 limit', () => {
    for (const t of [1, 39, 78]) {
      expect(paretoNbdConditionalExpectedPurchases(PUBLISHED, t, 0, 0, 0)).toBeCloseTo(
        paretoNbdExpectedPurchases(PUBLISHED, t),
        12,
      );
    }
    const near = paretoNbdExpectedPurchases({ ...PUBLISHED, s: 1 + 1e-9 }, 39);
    const at = paretoNbdExpectedPurchases({ ...PUBLISHED, s: 1 }, 39);
    expect(at).toBeCloseTo(near, 7);
  });
});
