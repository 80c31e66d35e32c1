import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bgNbdConditionalExpectedPurchases, bgNbdLogLikelihoodFunction, bgNbdProbabilityAlive } from './bgnbd.js';
import { gammaGammaLogLikelihoodFunction } from './gamma-gamma.js';
import type { LogLikelihoodWithGradient } from './optimize.js';
import {
  paretoNbdConditionalExpectedPurchases,
  paretoNbdLogLikelihoodFunction,
  paretoNbdProbabilityAlive,
} from './pareto-nbd.js';

/** Log-uniform positive double in [lo, hi]. */
const positive = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.double({ min: Math.log(lo), max: Math.log(hi), noNaN: true }).map(Math.exp);

/** A customer (x, t_x, T) with 0 ≤ t_x ≤ T and t_x = 0 when x = 0. */
const customer = fc
  .tuple(fc.integer({ min: 0, max: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), positive(0.1, 400))
  .map(([x, u, T]) => ({ x, tx: x === 0 ? 0 : u * T, T }));

// a = 1 is a removable singularity of the BG/NBD expectation ((a+b+x−1)/(a−1) × a vanishing bracket); keep clear of it.
const bgParams = fc
  .record({ r: positive(0.05, 5), alpha: positive(0.1, 200), a: positive(0.05, 5), b: positive(0.05, 10) })
  .filter((p) => Math.abs(p.a - 1) > 1e-3);
const pnbdParams = fc.record({
  r: positive(0.05, 5),
  alpha: positive(0.1, 200),
  s: positive(0.05, 5),
  beta: positive(0.1, 200),
});

const RUNS = { numRuns: 300, seed: 20240501 };

describe('properties of the transaction models', () => {
  it('P(alive) is a probability', () => {
    fc.assert(
      fc.property(bgParams, pnbdParams, customer, (bg, pn, c) => {
        const p1 = bgNbdProbabilityAlive(bg, c.x, c.tx, c.T);
        const p2 = paretoNbdProbabilityAlive(pn, c.x, c.tx, c.T);
        return p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1;
      }),
      RUNS,
    );
  });

  it('expected purchases are non-negative and increase with the horizon', () => {
    fc.assert(
      fc.property(bgParams, pnbdParams, customer, positive(0.1, 300), positive(1.01, 3), (bg, pn, c, t, factor) => {
        const b1 = bgNbdConditionalExpectedPurchases(bg, t, c.x, c.tx, c.T);
        const b2 = bgNbdConditionalExpectedPurchases(bg, t * factor, c.x, c.tx, c.T);
        const p1 = paretoNbdConditionalExpectedPurchases(pn, t, c.x, c.tx, c.T);
        const p2 = paretoNbdConditionalExpectedPurchases(pn, t * factor, c.x, c.tx, c.T);
        const tol = (v: number): number => 1e-9 * Math.abs(v) + 1e-300;
        expect(b1).toBeGreaterThanOrEqual(0);
        expect(p1).toBeGreaterThanOrEqual(0);
        expect(b2).toBeGreaterThanOrEqual(b1 - tol(b1));
        expect(p2).toBeGreaterThanOrEqual(p1 - tol(p1));
      }),
      RUNS,
    );
  });
});

/** Relative agreement of the analytic gradient with central differences at θ. */
function gradientMatches(f: LogLikelihoodWithGradient, theta: number[]): boolean {
  const g = new Float64Array(theta.length);
  const value = f(theta, g);
  if (!Number.isFinite(value)) return false;
  for (let i = 0; i < theta.length; i++) {
    const h = 1e-5 * theta[i]!;
    const up = [...theta];
    const dn = [...theta];
    up[i]! += h;
    dn[i]! -= h;
    const fd = (f(up) - f(dn)) / (2 * h);
    // Central-difference error is O(h²) plus rounding of f (≈ ε|f|/h).
    const tol = 1e-5 * Math.abs(fd) + (1e-12 * Math.max(1, Math.abs(value))) / h + 1e-8;
    if (!(Math.abs(g[i]! - fd) <= tol)) return false;
  }
  return true;
}

const dataset = fc.array(customer, { minLength: 1, maxLength: 12 }).map((cs) => ({
  frequency: cs.map((c) => c.x),
  recency: cs.map((c) => c.tx),
  T: cs.map((c) => c.T),
}));

describe('analytic gradients match finite differences at random parameters', () => {
  it('BG/NBD', () => {
    fc.assert(
      fc.property(bgParams, dataset, (p, d) =>
        gradientMatches(bgNbdLogLikelihoodFunction(d), [p.r, p.alpha, p.a, p.b]),
      ),
      RUNS,
    );
  });

  it('Pareto/NBD', () => {
    fc.assert(
      fc.property(pnbdParams, dataset, (p, d) =>
        gradientMatches(paretoNbdLogLikelihoodFunction(d), [p.r, p.alpha, p.s, p.beta]),
      ),
      RUNS,
    );
  });

  it('Gamma-Gamma', () => {
    const spend = fc.array(fc.tuple(fc.integer({ min: 1, max: 50 }), positive(1, 500)), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.record({ p: positive(0.1, 20), q: positive(0.1, 20), v: positive(0.1, 200) }), spend, (p, rows) =>
        gradientMatches(
          gammaGammaLogLikelihoodFunction({ frequency: rows.map((r) => r[0]), monetaryValue: rows.map((r) => r[1]) }),
          [p.p, p.q, p.v],
        ),
      ),
      RUNS,
    );
  });
});
