import { describe, expect, it } from 'vitest';
import { fitBgNbd } from './bgnbd.js';
import { diagnose } from './diagnostics.js';

const codes = (d: { code: string }[]): string[] => d.map((x) => x.code).sort();

describe('diagnose', () => {
  it('is silent for a healthy fit', () => {
    const d = diagnose({
      transactions: {
        model: 'BG/NBD',
        converged: true,
        params: { r: 0.24, alpha: 4.4, a: 0.79, b: 2.4 },
        standardErrors: { r: 0.013, alpha: 0.38, a: 0.19, b: 0.71 },
        probabilityAlive: [1, 1, 0.7, 0.2, 0.9],
      },
      spend: {
        model: 'Gamma-Gamma',
        converged: true,
        params: { p: 6.25, q: 3.74, v: 15.4 },
        correlation: 0.11,
        repeatCustomers: 946,
      },
    });
    expect(d).toEqual([]);
  });

  it('flags every degenerate case in plain words', () => {
    const d = diagnose({
      transactions: {
        model: 'Pareto/NBD',
        converged: false,
        message: 'line search failed',
        params: { r: 0.5, alpha: 10, s: 1e-7, beta: 3e6 },
        standardErrors: { r: 0.01, alpha: 1, s: NaN, beta: 1e9 },
        probabilityAlive: [0.995, 0.999, 1, 1],
      },
      spend: {
        model: 'Gamma-Gamma',
        converged: true,
        params: { p: 2, q: 0.8, v: 3 },
        correlation: -0.45,
        repeatCustomers: 12,
      },
    });
    expect(codes(d)).toEqual(
      [
        'not-converged',
        'parameter-at-bound',
        'parameter-at-bound',
        'flat-likelihood',
        'huge-standard-error',
        'p-alive-near-one',
        'gamma-gamma-q-not-above-one',
        'frequency-monetary-correlated',
        'few-repeat-customers',
      ].sort(),
    );
    for (const x of d) expect(x.message.length).toBeGreaterThan(20);
    expect(d.find((x) => x.code === 'not-converged')!.message).toContain('line search failed');
  });

  it('weights P(alive) by collapsed-row counts', () => {
    const input = (weights: number[]) => ({
      transactions: { model: 'BG/NBD', converged: true, params: { r: 1 }, probabilityAlive: [1, 0.3], weights },
    });
    expect(codes(diagnose(input([99, 1])))).toEqual(['p-alive-near-one']);
    expect(diagnose(input([50, 50]))).toEqual([]);
  });

  it('catches a real degenerate fit: a customer base with no visible churn', () => {
    // Everyone who bought again did so just before the end: BG/NBD's dropout probability runs to 0.
    const n = 200;
    const data = {
      frequency: Array.from({ length: n }, (_, i) => i % 10),
      recency: Array.from({ length: n }, (_, i) => (i % 10 ? 39.5 : 0)),
      T: Array.from({ length: n }, () => 40),
    };
    const fit = fitBgNbd(data);
    const d = diagnose({ transactions: { model: 'BG/NBD', ...fit } });
    expect(codes(d)).toContain('parameter-at-bound');
  });
});
