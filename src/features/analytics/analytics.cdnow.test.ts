import { readFileSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { describeEachDatabase } from '../../testing/databases.js';
import { referenceFile } from '../../testing/reference-data.js';
import { clvResultsSchema, rfmResultsSchema, runRequestSchema, type CustomerResult } from './analytics.schema.js';
import { createAnalyticsService } from './analytics.service.js';

/**
 * CDNOW (Fader & Hardie; shared/data/cdnow/PROVENANCE.md): the per-customer summary built in SQL from the 1/10
 * sample's transactions must equal lifetimes' cdnow_customers_summary.csv — weeks, calibration end 1997-09-30,
 * same-day purchases merged, frequency exact, recency/T within the file's 2-decimal rounding — and the mean repeat
 * spend must equal zbar. The CLV run's calibration fit (weeks 1–39) reproduces the published BG/NBD parameters.
 */
const csv = (name: string): string[][] =>
  readFileSync(referenceFile('cdnow', name), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

describeEachDatabase('analytics on CDNOW', (use) => {
  const service = () => createAnalyticsService({ database: use(), clock: fixedClock('2026-01-01T00:00:00Z') });
  let customers: Map<string, CustomerResult>;

  beforeAll(async () => {
    const rows = csv('cdnow_sample_transactions.csv').map(([, customerId, date, , value]) => ({
      customerId: customerId ?? '',
      occurredAt: `${date?.slice(0, 4)}-${date?.slice(4, 6)}-${date?.slice(6, 8)}`,
      amount: value ?? '0',
    }));
    const loaded = await service().loadTransactions(rows, 'UTC');
    expect(loaded).toMatchObject({ customers: 2357, transactions: 6919, lastDay: '1998-06-30' });
    const run = await service().run(
      runRequestSchema.parse({ kind: 'rfm', asOf: '1997-09-30', parameters: { unit: 'week', timeZone: 'UTC' } }),
    );
    customers = new Map((await service().allRunCustomers(run.id)).map((row) => [row.accountCode, row]));
  }, 60_000);

  it('equals cdnow_customers_summary.csv: frequency exactly, recency and T within rounding', () => {
    const summary = csv('cdnow_customers_summary.csv');
    expect(summary).toHaveLength(2357);
    expect(customers.size).toBe(2357);
    let worstRecency = 0;
    let worstT = 0;
    for (const [id, frequency, recency, T] of summary) {
      const row = customers.get(id ?? '');
      expect(row, `customer ${id}`).toBeDefined();
      expect(row?.frequency, `frequency of ${id}`).toBe(Number(frequency));
      worstRecency = Math.max(worstRecency, Math.abs((row?.recency ?? NaN) - Number(recency)));
      worstT = Math.max(worstT, Math.abs((row?.T ?? NaN) - Number(T)));
    }
    // The file rounds to 2 decimals; PROVENANCE.md documents |Δ| ≤ 0.0043 for both.
    expect(worstRecency).toBeLessThanOrEqual(0.005);
    expect(worstT).toBeLessThanOrEqual(0.005);
  });

  it('has the mean repeat spend of cdnow_customers_summary_with_transactions.csv (zbar) and its published moments', () => {
    let worst = 0;
    const repeat: number[] = [];
    for (const [id, x, , , zbar] of csv('cdnow_customers_summary_with_transactions.csv')) {
      const row = customers.get(id ?? '');
      worst = Math.max(worst, Math.abs((row?.monetaryValue ?? NaN) - Number(zbar)));
      if (Number(x) > 0) repeat.push(row?.monetaryValue ?? NaN);
    }
    expect(worst).toBeLessThanOrEqual(0.005 + 1e-9); // half a cent: the file rounds to 2 decimals
    // lifetimes' test: 946 repeat customers, mean 35, sd 30, min 3, median 27, max 300 (rounded).
    expect(repeat).toHaveLength(946);
    const mean = repeat.reduce((s, v) => s + v, 0) / repeat.length;
    const sd = Math.sqrt(repeat.reduce((s, v) => s + (v - mean) ** 2, 0) / (repeat.length - 1));
    const sorted = [...repeat].sort((a, b) => a - b);
    expect(Math.round(mean)).toBe(35);
    expect(Math.round(sd)).toBe(30);
    expect(Math.round(sorted[0] ?? NaN)).toBe(3);
    expect(Math.round(((sorted[472] ?? NaN) + (sorted[473] ?? NaN)) / 2)).toBe(27);
    expect(Math.round(sorted.at(-1) ?? NaN)).toBe(300);
  });

  it('stores an RFM run whose summary matches the file means', async () => {
    const run = await service().latest('rfm');
    const results = rfmResultsSchema.parse(run.results);
    expect(results.customers).toBe(2357);
    const summary = csv('cdnow_customers_summary.csv');
    const mean = (k: number) => summary.reduce((s, row) => s + Number(row[k]), 0) / summary.length;
    expect(results.summary.meanFrequency).toBeCloseTo(mean(1), 10);
    expect(results.summary.meanRecency).toBeCloseTo(mean(2), 2);
    expect(results.summary.meanT).toBeCloseTo(mean(3), 2);
  });

  it('fits BG/NBD on the calibration weeks and checks the 39-week holdout (CLV run)', async () => {
    const run = await service().run(
      runRequestSchema.parse({
        kind: 'clv',
        asOf: '1998-06-30',
        parameters: { model: 'bgnbd', unit: 'week', timeZone: 'UTC', holdoutDays: 273 },
      }),
    );
    const results = clvResultsSchema.parse(run.results);
    const calibration = results.calibration;
    expect(calibration?.calibrationEnd).toBe('1997-09-30');
    // Published (Fader, Hardie & Lee 2005; lifetimes): r 0.24259, α 4.41353, a 0.79289, b 2.42575, LL −9582.4256 —
    // fitted on the 2-decimal summary file; this summary has exact days/7, so allow 1e-3 relative.
    const params = calibration?.purchaseModel.params ?? {};
    expect(params.r).toBeCloseTo(0.24259, 3);
    expect((params.alpha ?? 0) / 4.41353).toBeCloseTo(1, 3);
    expect((params.a ?? 0) / 0.79289).toBeCloseTo(1, 3);
    expect((params.b ?? 0) / 2.42575).toBeCloseTo(1, 3);
    expect((calibration?.purchaseModel.logLikelihood ?? 0) / -9582.4256).toBeCloseTo(1, 4);
    // Predicted and actual holdout purchases agree in every calibration-frequency bucket within 0.5 purchases.
    const points = calibration?.points ?? [];
    expect(points.map((p) => p.frequency)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(points.reduce((s, p) => s + p.customers, 0)).toBe(2357);
    for (const point of points) expect(Math.abs(point.actual - point.predicted)).toBeLessThan(0.5);
    expect(results.spendModel?.params.q).toBeGreaterThan(1);
    expect(results.totals.clv).toBeGreaterThan(0);
    const top = await service().listRunCustomers(run.id, { sort: 'clv', order: 'desc', limit: 3 });
    for (const row of top.items) {
      expect(row.pAlive).toBeGreaterThan(0);
      expect(row.pAlive).toBeLessThanOrEqual(1);
      expect(row.revenueAtRisk).toBeCloseTo((row.clv ?? 0) * (1 - (row.pAlive ?? 0)), 4);
    }
  });
});
