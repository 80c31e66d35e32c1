import { describe, expect, it } from 'vitest';
import { readReferenceCsv } from '../../../testing/reference-data.js';
import { bgNbdConditionalExpectedPurchases, fitBgNbd } from './bgnbd.js';
import { calibrationAndHoldout, purchasesVsHoldout } from './calibration.js';
import { summaryFromTransactions, type Transaction } from './summary.js';

describe('calibration and holdout', () => {
  it('splits a small log at the calibration end', () => {
    const tx: Transaction[] = [
      { customerId: 'a', date: '2024-01-01', value: 10 },
      { customerId: 'a', date: '2024-01-04', value: 10 },
      { customerId: 'a', date: '2024-01-12', value: 30 },
      { customerId: 'a', date: '2024-01-12', value: 10 },
      { customerId: 'a', date: '2024-01-15', value: 20 },
      { customerId: 'a', date: '2024-02-15', value: 99 },
      { customerId: 'b', date: '2024-01-09', value: 5 },
      { customerId: 'c', date: '2024-01-11', value: 5 },
    ];
    const d = calibrationAndHoldout(tx, { calibrationEnd: '2024-01-10', observationEnd: '2024-01-20' });
    expect(d.calibration.customerIds).toEqual(['a', 'b']);
    expect([...d.calibration.frequency]).toEqual([1, 0]);
    expect([...d.calibration.T]).toEqual([9, 1]);
    expect([...d.frequencyHoldout]).toEqual([2, 0]);
    expect([...d.monetaryHoldout]).toEqual([30, 0]);
    expect(d.durationHoldout).toBe(10);
  });

  it('compares BG/NBD holdout predictions with actual CDNOW purchases (39 weeks) by calibration frequency', () => {
    const tx = readReferenceCsv('cdnow', 'cdnow_sample_transactions.csv').map((r) => ({
      customerId: r.customer_id!,
      date: r.date!,
      value: Number(r.dollar_value),
    }));
    const d = calibrationAndHoldout(tx, { calibrationEnd: '1997-09-30', observationEnd: '1998-06-30', multiplier: 7 });
    expect(d.durationHoldout).toBe(39);
    const plain = summaryFromTransactions(tx, { observationEnd: '1997-09-30', multiplier: 7 });
    expect([...d.calibration.frequency]).toEqual([...plain.frequency]);
    const fit = fitBgNbd(d.calibration);
    const table = purchasesVsHoldout(
      d,
      (t, x, tx_, T) => bgNbdConditionalExpectedPurchases(fit.params, t, x, tx_, T),
      7,
    );
    expect(table.map((r) => r.bucket)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+']);
    expect(table.reduce((s, r) => s + r.customers, 0)).toBe(2357);
    // Fader, Hardie & Lee (2005) show BG/NBD tracking CDNOW's holdout closely; here: totals within 15 %.
    const actual = table.reduce((s, r) => s + r.actual * r.customers, 0);
    const predicted = table.reduce((s, r) => s + r.predicted * r.customers, 0);
    expect(Math.abs(predicted / actual - 1)).toBeLessThan(0.15);
    // Conditional expectations rise with calibration frequency.
    for (let k = 1; k < table.length; k++) expect(table[k]!.predicted).toBeGreaterThan(table[k - 1]!.predicted);
  });
});
