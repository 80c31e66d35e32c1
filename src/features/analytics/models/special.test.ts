import { describe, expect, it } from 'vitest';
import { expit, hyp2f1, logAddExp, logHyp2f1, logPowerTail, logSubExp, logSumExp } from './special.js';

// Reference values from mpmath 1.3 at 40 digits: [a, b, c, z, ln|2F1|, sign].
const HYP2F1_REFERENCE: [number, number, number, number, number, number][] = [
  [0.243, 2.426, 2.219, 0.47, 0.17205294876193214, 1],
  [39.243, 41.426, 41.219, 0.5, 27.3396105498253, 1],
  [300.243, 302.426, 302.219, 0.3, 107.1625803198705, 1],
  [1.5, 2.5, 4.25, 0.95, 1.835609811540901, 1],
  [0.7, -0.21, 1.6, 0.999, -0.1640708799729121, 1],
  [2.2, 3.3, 1.1, -0.6, -3.2816293362016564, -1],
  [-2.0, 1.5, 3.0, 0.8, -0.9162907318741551, 1],
  [1.0, 1.606, 2.159, 0.2, 0.16424636188267336, 1],
  [5.5, 0.5, 1.2, 0.9999, 42.47548327616553, 1],
  [0.55, 1.61, 3.16, 1.0, 0.5986062072711942, 1],
];

// ln ∫_y^∞ (M+τ)^{−pM} (m+τ)^{−pm} dτ from mpmath (closed form via 2F1, cross-checked by quadrature): [W, d, pM, pm, ln G].
const TAIL_REFERENCE: [number, number, number, number, number][] = [
  [10.58, 1.09, 0.553, 1.606, -2.788273925588637],
  [49.44, 1.09, 300.553, 1.606, -1180.4208792321226],
  [1.0, 0.99, 1.606, 3.55, 10.79705408158663],
  [1000, 990, 0.8, 1.5, -6.114727109300042],
];

describe('log-sum-exp helpers', () => {
  it('agree with the naive formulas where those do not overflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(-Infinity, 2)).toBe(2);
    expect(logSubExp(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 14);
    expect(logSubExp(3, 3)).toBe(-Infinity);
    expect(logSumExp([1, 2, 3])).toBeCloseTo(Math.log(Math.E + Math.E ** 2 + Math.E ** 3), 14);
    expect(logSumExp([0, 0], [2, 3])).toBeCloseTo(Math.log(5), 14);
    expect(expit(0)).toBe(0.5);
    expect(expit(-800)).toBeGreaterThanOrEqual(0);
    expect(expit(800)).toBe(1);
  });
});

describe('hyp2f1', () => {
  it.each(HYP2F1_REFERENCE)('2F1(%d, %d; %d; %d) matches mpmath', (a, b, c, z, log, sign) => {
    const r = logHyp2f1(a, b, c, z);
    expect(r.sign).toBe(sign);
    expect(Math.abs(r.log - log)).toBeLessThan(1e-12 * Math.max(1, Math.abs(log)));
  });

  it('reduces to elementary functions', () => {
    // 2F1(1,1;2;z) = −ln(1−z)/z ; 2F1(a,b;b;z) = (1−z)^{−a}
    for (const z of [-3, -0.5, 0.1, 0.5, 0.9, 0.99]) {
      expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log(1 - z) / z, 12);
      expect(hyp2f1(2.5, 1.7, 1.7, z) / Math.pow(1 - z, -2.5)).toBeCloseTo(1, 12);
    }
    expect(hyp2f1(3, 4, 5, 0)).toBe(1);
    expect(Number.isNaN(hyp2f1(1, 1, 2, 1.5))).toBe(true);
  });
});

describe('logPowerTail (the Pareto/NBD integral)', () => {
  it.each(TAIL_REFERENCE)('G(W=%d, d=%d, pM=%d, pm=%d) matches mpmath', (W, d, pM, pm, log) => {
    expect(Math.abs(logPowerTail(W, d, pM, pm).log - log)).toBeLessThan(1e-12 * Math.max(1, Math.abs(log)));
  });

  it('has the closed form W^{1−P}/(P−1) when d = 0', () => {
    const t = logPowerTail(7, 0, 2.5, 1.25);
    expect(t.log).toBeCloseTo(-2.75 * Math.log(7) - Math.log(2.75), 13);
    expect(t.dW).toBeCloseTo(-2.75 / 7, 13);
  });

  it('has derivatives that match central differences', () => {
    const cases: [number, number, number, number][] = [
      [10.58, 1.09, 0.553, 1.606],
      [49.44, 30, 30.5, 1.606],
      [5, 4.5, 1.6, 12.5],
      [200, 10, 300.5, 1.2],
    ];
    for (const [W, d, pM, pm] of cases) {
      const t = logPowerTail(W, d, pM, pm);
      const fd = (f: (h: number) => number, v: number): number => {
        const h = 1e-6 * Math.max(1, Math.abs(v));
        return (f(h) - f(-h)) / (2 * h);
      };
      const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1e-6, Math.abs(b));
      expect(
        rel(
          t.dW,
          fd((h) => logPowerTail(W + h, d, pM, pm).log, W),
        ),
      ).toBeLessThan(1e-6);
      expect(
        rel(
          t.dd,
          fd((h) => logPowerTail(W, d + h, pM, pm).log, d),
        ),
      ).toBeLessThan(1e-6);
      expect(
        rel(
          t.dpM,
          fd((h) => logPowerTail(W, d, pM + h, pm).log, pM),
        ),
      ).toBeLessThan(1e-6);
      expect(
        rel(
          t.dpm,
          fd((h) => logPowerTail(W, d, pM, pm + h).log, pm),
        ),
      ).toBeLessThan(1e-6);
    }
  });
});
