import { describe, expect, it } from 'vitest';
import {
  bfgs,
  invertSymmetricPositiveDefinite,
  minimizePositive,
  numericalHessian,
  standardErrorsFromHessian,
} from './optimize.js';

describe('bfgs', () => {
  it('minimises the Rosenbrock function from the classic start', () => {
    const res = bfgs(
      (x, g) => {
        const a = x[0]!;
        const b = x[1]!;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
    );
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1, 6);
    expect(res.x[1]).toBeCloseTo(1, 6);
    expect(res.iterations).toBeLessThan(100);
  });

  it('returns an inverse Hessian close to the true one on a quadratic', () => {
    // f = ½ xᵀAx − bᵀx, A = [[4,1],[1,3]]
    const res = bfgs(
      (x, g) => {
        g[0] = 4 * x[0]! + x[1]! - 1;
        g[1] = x[0]! + 3 * x[1]! - 2;
        return 0.5 * (4 * x[0]! ** 2 + 2 * x[0]! * x[1]! + 3 * x[1]! ** 2) - x[0]! - 2 * x[1]!;
      },
      [5, -7],
    );
    expect(res.converged).toBe(true);
    expect(res.x[0]).toBeCloseTo(1 / 11, 8);
    expect(res.x[1]).toBeCloseTo(7 / 11, 8);
    const inv = [3 / 11, -1 / 11, -1 / 11, 4 / 11];
    inv.forEach((v, i) => expect(res.inverseHessian[i]).toBeCloseTo(v, 4));
  });

  it('reports failure honestly when the iteration budget is too small', () => {
    const res = bfgs(
      (x, g) => {
        const a = x[0]!;
        const b = x[1]!;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
      { maxIterations: 3 },
    );
    expect(res.converged).toBe(false);
  });
});

describe('minimizePositive', () => {
  it('keeps parameters positive (log space) and finds a gamma MLE', () => {
    // −ln L of Gamma(k, θ) for a fixed sample summarised by n, Σx, Σln x.
    const n = 50;
    const sx = 120;
    const slx = 35;
    const lgamma = (z: number): number => {
      // Stirling series is accurate enough for this test (z > 0.5 after shifting).
      let shift = 0;
      while (z < 7) {
        shift -= Math.log(z);
        z += 1;
      }
      return shift + (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * z) - 1 / (360 * z ** 3);
    };
    const digamma = (z: number): number => {
      let shift = 0;
      while (z < 7) {
        shift -= 1 / z;
        z += 1;
      }
      return shift + Math.log(z) - 1 / (2 * z) - 1 / (12 * z * z) + 1 / (120 * z ** 4);
    };
    const res = minimizePositive(
      (t, g) => {
        const k = t[0]!;
        const th = t[1]!;
        g[0] = n * digamma(k) + n * Math.log(th) - slx;
        g[1] = (n * k) / th - sx / (th * th);
        return n * lgamma(k) + n * k * Math.log(th) - (k - 1) * slx + sx / th;
      },
      [1, 1],
    );
    expect(res.converged).toBe(true);
    expect(res.params.every((v) => v > 0)).toBe(true);
    // At the MLE θ = x̄ / k.
    expect(res.params[1]! * res.params[0]!).toBeCloseTo(sx / n, 6);
  });
});

describe('numerical Hessian and standard errors', () => {
  it('is exact for a quadratic and inverts to the covariance', () => {
    const A = [2, 0.5, 0.5, 1];
    const H = numericalHessian(
      (x, g) => {
        g[0] = A[0]! * x[0]! + A[1]! * x[1]!;
        g[1] = A[2]! * x[0]! + A[3]! * x[1]!;
      },
      [0.3, 2],
    );
    A.forEach((v, i) => expect(H[i]).toBeCloseTo(v, 8));
    const inv = invertSymmetricPositiveDefinite(H, 2)!;
    const det = 2 - 0.25;
    expect(inv[0]).toBeCloseTo(1 / det, 8);
    expect(inv[1]).toBeCloseTo(-0.5 / det, 8);
    const se = standardErrorsFromHessian(H, 2);
    expect(se[0]).toBeCloseTo(Math.sqrt(1 / det), 8);
    expect(invertSymmetricPositiveDefinite([1, 2, 2, 1], 2)).toBeUndefined();
    expect(Number.isNaN(standardErrorsFromHessian([1, 2, 2, 1], 2)[0])).toBe(true);
  });
});
