import { describe, expect, it } from 'vitest';
import { readReferenceCsv } from '../../../testing/reference-data.js';
import { collapse, expandRows, indexDistinct, periodOf, summaryFromTransactions, toEpochDay } from './summary.js';

describe('dates and periods', () => {
  it('parses the supported formats to epoch days', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('19970930')).toBe(toEpochDay('1997-09-30'));
    expect(toEpochDay('2014-03-08 00:00:00')).toBe(toEpochDay('2014-03-08'));
    expect(toEpochDay(new Date(Date.UTC(2000, 0, 2)))).toBe(10958);
    expect(toEpochDay(42)).toBe(42);
    expect(() => toEpochDay('30/09/1997')).toThrow();
  });
  it('puts Monday to Sunday in the same week', () => {
    const monday = toEpochDay('2024-01-01');
    expect(periodOf(monday, 'week')).toBe(periodOf(monday + 6, 'week'));
    expect(periodOf(monday + 7, 'week')).toBe(periodOf(monday, 'week') + 1);
    expect(periodOf(monday - 1, 'week')).toBe(periodOf(monday, 'week') - 1);
  });
});

describe('summaryFromTransactions', () => {
  it('follows lifetimes: merged periods, repeat-only monetary value, cut at the observation end', () => {
    const s = summaryFromTransactions(
      [
        { customerId: 'a', date: '2024-01-01', value: 10 },
        { customerId: 'a', date: '2024-01-01', value: 5 },
        { customerId: 'a', date: '2024-01-05', value: 20 },
        { customerId: 'a', date: '2024-01-08', value: 40 },
        { customerId: 'a', date: '2024-02-01', value: 1000 },
        { customerId: 'b', date: '2024-01-03', value: 7 },
      ],
      { observationEnd: '2024-01-10' },
    );
    expect(s.customerIds).toEqual(['a', 'b']);
    expect([...s.frequency]).toEqual([2, 0]);
    expect([...s.recency]).toEqual([7, 0]);
    expect([...s.T]).toEqual([9, 7]);
    expect([...s.monetaryValue]).toEqual([30, 0]);
    const weekly = summaryFromTransactions(
      [
        { customerId: 'a', date: '2024-01-01' },
        { customerId: 'a', date: '2024-01-07' },
        { customerId: 'a', date: '2024-01-08' },
      ],
      {
        observationEnd: '2024-01-21',
        period: 'week',
      },
    );
    expect([weekly.frequency[0], weekly.recency[0], weekly.T[0]]).toEqual([1, 1, 2]);
  });

  it('rebuilds the CDNOW summary from the sample transactions (PROVENANCE.md rules)', () => {
    const tx = readReferenceCsv('cdnow', 'cdnow_sample_transactions.csv');
    const s = summaryFromTransactions(
      tx.map((r) => ({ customerId: r.customer_id!, date: r.date!, value: Number(r.dollar_value) })),
      { observationEnd: '1997-09-30', multiplier: 7 },
    );
    const reference = readReferenceCsv('cdnow', 'cdnow_customers_summary.csv');
    const withSpend = readReferenceCsv('cdnow', 'cdnow_customers_summary_with_transactions.csv');
    expect(s.customerIds).toHaveLength(reference.length);
    const rowOf = new Map(s.customerIds.map((id, i) => [id, i]));
    let maxRecency = 0;
    let maxT = 0;
    let maxSpend = 0;
    reference.forEach((ref, k) => {
      const i = rowOf.get(ref.ID!);
      expect(i).toBeDefined();
      expect(s.frequency[i!]).toBe(Number(ref.frequency));
      maxRecency = Math.max(maxRecency, Math.abs(s.recency[i!]! - Number(ref.recency)));
      maxT = Math.max(maxT, Math.abs(s.T[i!]! - Number(ref.T)));
      maxSpend = Math.max(maxSpend, Math.abs(s.monetaryValue[i!]! - Number(withSpend[k]!.zbar)));
    });
    // The reference file rounds recency and T to 2 decimals (and zbar to cents).
    expect(maxRecency).toBeLessThanOrEqual(0.005);
    expect(maxT).toBeLessThanOrEqual(0.005);
    expect(maxSpend).toBeLessThanOrEqual(0.005 + 1e-9);
  });
});

describe('collapse', () => {
  it('keeps one row per distinct (x, t_x, T) with counts, and maps customers back', () => {
    const summary = {
      frequency: [0, 1, 0, 1, 2, 0, -0],
      recency: [0, 3, 0, 3, 3, 0, 0],
      T: [10, 10, 10, 10, 10, 12, 10],
    };
    const c = collapse(summary);
    expect(c.x.length).toBe(4);
    expect([...c.count].reduce((s, v) => s + v, 0)).toBe(7);
    for (let i = 0; i < 7; i++) {
      const row = c.rowOfCustomer[i]!;
      expect([c.x[row], c.tx[row], c.T[row]]).toEqual([summary.frequency[i] || 0, summary.recency[i], summary.T[i]]);
    }
    expect([...expandRows(c, c.count)]).toEqual([3, 2, 3, 2, 1, 1, 3]);
    expect([...c.count]).toEqual([3, 2, 1, 1]);
  });

  it('handles a million customers quickly', () => {
    const n = 1_000_000;
    const f = new Float64Array(n);
    const r = new Float64Array(n);
    const T = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      f[i] = i % 7;
      r[i] = f[i] === 0 ? 0 : (i % 13) / 7;
      T[i] = 20 + (i % 11);
    }
    const start = performance.now();
    const c = collapse({ frequency: f, recency: r, T });
    expect(performance.now() - start).toBeLessThan(2000);
    expect(c.x.length).toBeLessThanOrEqual(7 * 13 * 11);
    expect(indexDistinct(c.T).unique.length).toBe(11);
  });
});
