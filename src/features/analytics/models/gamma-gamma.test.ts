import { describe, expect, it } from 'vitest';
import { readReferenceCsv } from '../../../testing/reference-data.js';
import { expectFinitePositive, sig4 } from '../../../testing/precision.js';
import {
  fitGammaGamma,
  frequencyMonetaryCorrelation,
  gammaGammaConditionalExpectedSpend,
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodFunction,
} from './gamma-gamma.js';

const rows = readReferenceCsv('cdnow', 'cdnow_customers_summary_with_transactions.csv');
const spend = { frequency: rows.map((r) => Number(r.x)), monetaryValue: rows.map((r) => Number(r.zbar)) };

describe('Gamma-Gamma on CDNOW', () => {
  it('uses the 946 repeat customers with the documented spend distribution', () => {
    const m = rows.filter((r) => Number(r.x) > 0).map((r) => Number(r.zbar));
    expect(m).toHaveLength(946);
    const mean = m.reduce((s, v) => s + v, 0) / m.length;
    expect(mean).toBeCloseTo(35.08, 1);
  });

  it('fits p, q, v and the log-likelihood published by Fader, Hardie & Lee to 4 significant digits', () => {
    const fit = fitGammaGamma(spend);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(946);
    expect(sig4(fit.params.p)).toBe(sig4(6.2488));
    expect(sig4(fit.params.q)).toBe(sig4(3.7446));
    expect(sig4(fit.params.v)).toBe(sig4(15.4477));
    expect(sig4(fit.logLikelihood)).toBe(sig4(-4055.9232));
    expect(fit.logLikelihood).toBeCloseTo(-4055.9232, 3);
  });

  it('gives finite, positive standard errors', () => {
    const fit = fitGammaGamma(spend);
    expectFinitePositive(fit.standardErrors);
  });

  it('has a gradient that matches central differences', () => {
    const f = gammaGammaLogLikelihoodFunction(spend);
    const theta = [6.25, 3.74, 15.44];
    const g = new Float64Array(3);
    f(theta, g);
    for (let i = 0; i < 3; i++) {
      const h = 1e-6 * theta[i]!;
      const up = [...theta];
      const dn = [...theta];
      up[i]! += h;
      dn[i]! -= h;
      expect(g[i]!).toBeCloseTo((f(up) - f(dn)) / (2 * h), 4);
    }
    expect(gammaGammaLogLikelihood({ p: 6.25, q: 3.74, v: 15.44 }, spend)).toBeCloseTo(f(theta), 9);
  });

  it('finds frequency and spend nearly uncorrelated (the model assumption holds)', () => {
    expect(Math.abs(frequencyMonetaryCorrelation(spend))).toBeLessThan(0.3);
  });
});

describe('Gamma-Gamma golden conditional expected spend (lifetimes 0.11.3)', () => {
  const golden = readReferenceCsv('cdnow', 'cdnow_golden_predictions_published_params.csv');
  const params = { p: 6.25, q: 3.74, v: 15.44 };

  it('matches gg_exp_avg_spend to 1e-9 relative for all 2,357 customers', () => {
    const bad: string[] = [];
    for (const row of golden) {
      const mine = gammaGammaConditionalExpectedSpend(params, Number(row.frequency), Number(row.monetary_value));
      const ref = Number(row.gg_exp_avg_spend);
      if (!(Math.abs(mine - ref) <= 1e-9 * Math.abs(ref) + 1e-12)) bad.push(`${row.ID}: ${mine} vs ${ref}`);
    }
    expect(bad).toEqual([]);
  });

  it('is the population mean pv/(q−1) for x = 0 and undefined for q ≤ 1', () => {
    expect(gammaGammaConditionalExpectedSpend(params, 0, 0)).toBeCloseTo(35.2189781, 6);
    expect(gammaGammaConditionalExpectedSpend({ p: 1, q: 0.9, v: 1 }, 2, 10)).toBeNaN();
  });
});
