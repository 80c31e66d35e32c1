import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceFile } from '../../testing/reference-data.js';
import { fitFromSummary, scoreClv, type PurchaseFit } from './clv.rules.js';
import type { FitResult, BgNbdParams } from './models/index.js';

/** CDNOW golden predictions at the published parameters (shared/data/cdnow/PROVENANCE.md). */
const golden = readFileSync(referenceFile('cdnow', 'cdnow_golden_predictions_published_params.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',').map(Number));
const column = (k: number) => Float64Array.from(golden, (row) => row[k] ?? NaN);
const summary = { frequency: column(1), recency: column(2), T: column(3), monetaryValue: column(4) };

const fixed = (params: BgNbdParams): PurchaseFit => ({
  model: 'bgnbd',
  fit: {
    params,
    logLikelihood: 0,
    converged: true,
    iterations: 0,
    evaluations: 0,
    message: '',
    customers: 0,
  } as unknown as FitResult<BgNbdParams>,
});

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('scoreClv on CDNOW at the published parameters', () => {
  const scores = scoreClv(
    fixed({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }),
    { p: 6.25, q: 3.74, v: 15.44 },
    summary,
    { unit: 'week', horizonMonths: 12, discountRate: 0.01, margin: 1 },
  );

  it('reproduces P(alive), expected spend and lifetimes’ 12-month CLV at 1% a month to 1e-9 relative', () => {
    let worstAlive = 0;
    let worstSpend = 0;
    let worstClv = 0;
    golden.forEach((row, i) => {
      worstAlive = Math.max(worstAlive, relative(scores.pAlive[i] ?? NaN, row[6] ?? NaN));
      worstSpend = Math.max(worstSpend, relative(scores.expectedSpend[i] ?? NaN, row[11] ?? NaN));
      worstClv = Math.max(worstClv, relative(scores.clv[i] ?? NaN, row[12] ?? NaN));
    });
    expect(worstAlive).toBeLessThan(1e-9);
    expect(worstSpend).toBeLessThan(1e-9);
    expect(worstClv).toBeLessThan(1e-9);
  });

  it('puts revenue at risk at CLV × (1 − P(alive))', () => {
    for (let i = 0; i < 50; i++) {
      expect(scores.revenueAtRisk[i]).toBeCloseTo((scores.clv[i] ?? 0) * (1 - (scores.pAlive[i] ?? 0)), 9);
    }
  });

  it('uses the fallback spend when there is no spend model, and NaN without either', () => {
    const own = Float64Array.from(golden, () => 10);
    const fallback = scoreClv(
      fixed({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }),
      null,
      summary,
      { unit: 'week', horizonMonths: 12, discountRate: 0.01, margin: 0.5 },
      own,
    );
    expect(fallback.expectedSpend[0]).toBe(10);
    // CLV is linear in spend × margin: 10 × 0.5 against the Gamma-Gamma spend × 1.
    expect(fallback.clv[0]).toBeCloseTo(((scores.clv[0] ?? 0) / (scores.expectedSpend[0] ?? 1)) * 5, 9);
    const none = scoreClv(fixed({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }), null, summary, {
      unit: 'week',
      horizonMonths: 12,
      discountRate: 0.01,
      margin: 1,
    });
    expect(Number.isNaN(none.clv[0])).toBe(true);
    expect(none.pAlive[0]).toBe(scores.pAlive[0]);
  });
});

describe('fitFromSummary (file mode)', () => {
  it('fits BG/NBD, Pareto/NBD and Gamma-Gamma to the published CDNOW values (4 significant digits)', () => {
    const bg = fitFromSummary('bgnbd', summary).fit;
    expect(bg.n).toBe(2357);
    expect(bg.params.r?.toPrecision(4)).toBe('0.2426');
    expect(bg.params.alpha?.toPrecision(4)).toBe('4.414');
    expect(bg.params.a?.toPrecision(4)).toBe('0.7929');
    expect(bg.params.b?.toPrecision(4)).toBe('2.426');
    expect(bg.logLikelihood.toFixed(2)).toBe('-9582.43');
    const pnbd = fitFromSummary('pareto-nbd', summary).fit;
    expect(pnbd.params.r?.toPrecision(4)).toBe('0.5533');
    expect(pnbd.params.s?.toPrecision(4)).toBe('0.6062');
    expect(pnbd.logLikelihood.toFixed(2)).toBe('-9594.97');
    const gg = fitFromSummary('gamma-gamma', summary).fit;
    expect(gg.n).toBe(946);
    expect(gg.params.p?.toPrecision(4)).toBe('6.249');
    expect(gg.params.q?.toPrecision(4)).toBe('3.745');
    expect(gg.params.v?.toPrecision(4)).toBe('15.45');
    expect(gg.logLikelihood.toFixed(2)).toBe('-4055.92');
  });
});
