/**
 * Calibration/holdout validation (lifetimes `calibration_and_holdout_data` and
 * `plot_calibration_purchases_vs_holdout_purchases`): fit on the calibration period, then compare the predicted and
 * actual number of repeat purchases in the holdout period, by number of calibration repeat purchases.
 */
import { periodOf, summaryFromTransactions, toEpochDay, type CustomerSummary, type Transaction } from './summary.js';

export interface CalibrationHoldoutOptions {
  /** Last day of the calibration period (inclusive). */
  calibrationEnd: string | number | Date;
  /** Last day of the holdout period (inclusive). */
  observationEnd: string | number | Date;
  /** Merge purchases per 'day' (default) or 'week'. */
  period?: 'day' | 'week';
  /** Durations are period differences / multiplier (e.g. 'day' with 7 = weeks). Default 1. */
  multiplier?: number;
}

/** Calibration summary plus, per customer, the holdout purchases (distinct periods) and their mean value. */
export interface CalibrationHoldout {
  calibration: CustomerSummary;
  frequencyHoldout: Float64Array;
  monetaryHoldout: Float64Array;
  /** Length of the holdout period in model time units. */
  durationHoldout: number;
}

/**
 * Split transactions at `calibrationEnd`: the calibration summary uses purchases up to it (T measured to it); the
 * holdout counts the distinct purchase periods in (calibrationEnd, observationEnd] of the calibration customers.
 */
export function calibrationAndHoldout(
  transactions: readonly Transaction[],
  options: CalibrationHoldoutOptions,
): CalibrationHoldout {
  const period = options.period ?? 'day';
  const multiplier = options.multiplier ?? 1;
  const calEnd = toEpochDay(options.calibrationEnd);
  const obsEnd = toEpochDay(options.observationEnd);
  if (obsEnd <= calEnd) throw new Error('observationEnd must be after calibrationEnd');
  const calibration = summaryFromTransactions(
    transactions.filter((t) => toEpochDay(t.date) <= calEnd),
    { observationEnd: calEnd, period, multiplier },
  );
  const row = new Map<string, number>();
  calibration.customerIds.forEach((id, i) => row.set(id, i));
  const n = calibration.customerIds.length;
  const periodsSeen = new Array<Map<number, number> | undefined>(n);
  for (const t of transactions) {
    const day = toEpochDay(t.date);
    if (day <= calEnd || day > obsEnd) continue;
    const i = row.get(String(t.customerId));
    if (i === undefined) continue;
    let seen = periodsSeen[i];
    if (!seen) {
      seen = new Map();
      periodsSeen[i] = seen;
    }
    const p = periodOf(day, period);
    seen.set(p, (seen.get(p) ?? 0) + (t.value ?? 0));
  }
  const frequencyHoldout = new Float64Array(n);
  const monetaryHoldout = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const seen = periodsSeen[i];
    if (!seen) continue;
    frequencyHoldout[i] = seen.size;
    let sum = 0;
    for (const v of seen.values()) sum += v;
    monetaryHoldout[i] = sum / seen.size;
  }
  const durationHoldout = (periodOf(obsEnd, period) - periodOf(calEnd, period)) / multiplier;
  return { calibration, frequencyHoldout, monetaryHoldout, durationHoldout };
}

export interface CalibrationTableRow {
  /** "0", "1", …, "N+" */
  bucket: string;
  /** Smallest calibration frequency in the bucket. */
  frequency: number;
  customers: number;
  /** Mean actual holdout purchases. */
  actual: number;
  /** Mean predicted E[Y(duration) | x, t_x, T]. */
  predicted: number;
}

/**
 * Mean actual vs predicted holdout purchases grouped by calibration repeat purchases 0, 1, …, N−1 and "N+"
 * (lifetimes plots the first N groups; the last bucket here pools the tail). `predict(t, x, t_x, T)` is the model's
 * conditional expected purchases, e.g. `(t, x, tx, T) => bgNbdConditionalExpectedPurchases(params, t, x, tx, T)`.
 */
export function purchasesVsHoldout(
  data: CalibrationHoldout,
  predict: (t: number, x: number, tx: number, T: number) => number,
  buckets = 7,
): CalibrationTableRow[] {
  const count = new Float64Array(buckets + 1);
  const actual = new Float64Array(buckets + 1);
  const predicted = new Float64Array(buckets + 1);
  const { frequency, recency, T } = data.calibration;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i]!;
    const k = Math.min(Math.floor(x), buckets);
    count[k]!++;
    actual[k]! += data.frequencyHoldout[i]!;
    predicted[k]! += predict(data.durationHoldout, x, recency[i]!, T[i]!);
  }
  const rows: CalibrationTableRow[] = [];
  for (let k = 0; k <= buckets; k++) {
    if (count[k] === 0) continue;
    rows.push({
      bucket: k === buckets ? `${buckets}+` : String(k),
      frequency: k,
      customers: count[k]!,
      actual: actual[k]! / count[k]!,
      predicted: predicted[k]! / count[k]!,
    });
  }
  return rows;
}
