import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../../testing/databases.js';
import { referenceFile } from '../../testing/reference-data.js';
import { abcResultsSchema, rfmResultsSchema, runRequestSchema, type TransactionInput } from './analytics.schema.js';
import { createAnalyticsService } from './analytics.service.js';

/**
 * UCI Online Retail (Chen, Sain & Guo 2012; shared/data/online-retail-uci/PROVENANCE.md), imported after the
 * documented cleaning — drop cancellations (InvoiceNo 'C…'), rows without CustomerID, Quantity ≤ 0 or UnitPrice ≤ 0 —
 * with one transaction per invoice (Σ Quantity × UnitPrice), times in UK local time. Checked against the reference
 * figures: 4,338 customers, 18,532 invoices, revenue 8,911,407.90; customer ABC A 1,133 / B 1,469 / C 1,736 with the
 * top 20% earning 74.6%; daily RFM summary 35.7% frequency 0, mean frequency 2.864, recency 130.8, T 222.8 days.
 */
describe('analytics on UCI Online Retail [pglite]', () => {
  let database: TestDatabase;
  let invoices: TransactionInput[] = [];
  let lines = 0;

  beforeAll(async () => {
    const records = parse<Record<string, string>>(
      readFileSync(referenceFile('online-retail-uci', 'online_retail_2010-12_2011-12.csv')),
      { columns: true, skip_empty_lines: true },
    );
    expect(records).toHaveLength(541_909);
    // Σ per invoice in thousandths (prices have up to 3 decimals), so no float drift.
    const byInvoice = new Map<string, { customerId: string; at: string; thousandths: number }>();
    for (const r of records) {
      const invoice = r.InvoiceNo ?? '';
      const customer = r.CustomerID ?? '';
      const quantity = Number(r.Quantity);
      const price = Number(r.UnitPrice);
      if (invoice.startsWith('C') || customer === '' || !(quantity > 0) || !(price > 0)) continue;
      lines += 1;
      const entry = byInvoice.get(invoice) ?? {
        customerId: customer.replace(/\.0$/, ''),
        at: r.InvoiceDate ?? '',
        thousandths: 0,
      };
      entry.thousandths += Math.round(quantity * price * 1000);
      byInvoice.set(invoice, entry);
    }
    invoices = [...byInvoice.values()].map((entry) => ({
      customerId: entry.customerId,
      occurredAt: entry.at,
      amount: (Math.round(entry.thousandths / 10) / 100).toFixed(2),
    }));
    database = await createTestDatabase('pglite');
    const service = createAnalyticsService({ database, clock: fixedClock('2011-12-10T12:00:00Z') });
    const loaded = await service.loadTransactions(invoices, 'Europe/London');
    expect(loaded).toMatchObject({ customers: 4338, transactions: 18_532, lastDay: '2011-12-09' });
  }, 120_000);
  afterAll(() => database?.dispose());

  const service = () => createAnalyticsService({ database, clock: fixedClock('2011-12-10T12:00:00Z') });

  it('cleans to the documented counts', () => {
    expect(lines).toBe(397_884);
    expect(invoices).toHaveLength(18_532);
    expect(new Set(invoices.map((i) => i.customerId)).size).toBe(4338);
    const revenue = invoices.reduce((sum, i) => sum + Math.round(Number(i.amount) * 100), 0) / 100;
    expect(Math.abs(revenue - 8_911_407.9)).toBeLessThan(1); // invoice totals are rounded to cents
  });

  it('splits customers A 1,133 / B 1,469 / C 1,736 by revenue, top 20% earning 74.6%', async () => {
    const run = await service().run(
      runRequestSchema.parse({
        kind: 'abc',
        asOf: '2011-12-09',
        parameters: { from: '2010-12-01', to: '2011-12-09', compare: false, timeZone: 'Europe/London' },
      }),
    );
    const results = abcResultsSchema.parse(run.results);
    expect(results.customers).toBe(4338);
    expect(results.total).toBeCloseTo(8_911_407.9, -1);
    expect(results.classes.map((c) => [c.class, c.customers])).toEqual([
      ['A', 1133],
      ['B', 1469],
      ['C', 1736],
    ]);
    expect(results.concentration.top20Share).toBeCloseTo(0.746, 3);
    expect(results.concentration.gini).toBeGreaterThan(0.7);
    expect(run.customerCount).toBe(4338);
  });

  it('gives the documented daily RFM summary (lifetimes, freq "D", end 2011-12-09)', async () => {
    const run = await service().run(
      runRequestSchema.parse({
        kind: 'rfm',
        asOf: '2011-12-09',
        parameters: { unit: 'day', timeZone: 'Europe/London' },
      }),
    );
    const { summary, customers, segments } = rfmResultsSchema.parse(run.results);
    expect(customers).toBe(4338);
    expect(summary.frequencyZeroShare).toBeCloseTo(0.357, 3);
    expect(summary.meanFrequency).toBeCloseTo(2.864, 3);
    expect(summary.meanRecency).toBeCloseTo(130.8, 1);
    expect(summary.meanT).toBeCloseTo(222.8, 1);
    expect(segments.reduce((sum, s) => sum + s.customers, 0)).toBe(4338);
  });
});
