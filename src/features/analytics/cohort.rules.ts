import type { CohortRow } from './analytics.schema.js';
import { addMonthsToMonth, monthsBetween } from './period.rules.js';

/**
 * Acquisition-month cohort retention (Fader & Hardie 2007, "How to project customer retention", J. Interactive
 * Marketing 21(1); the usual cohort table of retention analytics). SQL returns one cell per (cohort month, months
 * since acquisition) with the customers active in that month and their revenue; this builds the matrix:
 *   retention[c][k] = active customers of cohort c in month k / cohort size (customers of month 0),
 *   revenueRetention[c][k] = revenue of cohort c in month k / its revenue in month 0.
 * A cell with no purchases is 0; a cell after the as-of month is null (not observed yet).
 */
export interface CohortCell {
  /** 'YYYY-MM' */
  cohort: string;
  /** Months since the acquisition month (0 = that month). */
  offset: number;
  customers: number;
  revenue: number;
}

export interface CohortMatrix {
  cohorts: CohortRow[];
  /** Customer retention per month offset, averaged over the cohorts observed that far, weighted by cohort size. */
  averageRetention: (number | null)[];
}

/** Builds the matrix for the cohorts from `fromMonth` to `toMonth` (inclusive; months without customers are left out). */
export function buildCohortMatrix(cells: readonly CohortCell[], fromMonth: string, toMonth: string): CohortMatrix {
  const span = monthsBetween(fromMonth, toMonth) + 1;
  const byCohort = new Map<string, Map<number, CohortCell>>();
  for (const cell of cells) {
    if (cell.cohort < fromMonth || cell.cohort > toMonth) continue;
    const row = byCohort.get(cell.cohort) ?? new Map<number, CohortCell>();
    row.set(cell.offset, cell);
    byCohort.set(cell.cohort, row);
  }
  const cohorts: CohortRow[] = [];
  for (let i = 0; i < span; i++) {
    const cohort = addMonthsToMonth(fromMonth, i);
    const row = byCohort.get(cohort);
    if (!row) continue;
    const observed = monthsBetween(cohort, toMonth) + 1;
    const size = row.get(0)?.customers ?? 0;
    const revenue0 = row.get(0)?.revenue ?? 0;
    const customers: (number | null)[] = [];
    const revenue: (number | null)[] = [];
    const retention: (number | null)[] = [];
    const revenueRetention: (number | null)[] = [];
    for (let k = 0; k < span; k++) {
      if (k >= observed) {
        customers.push(null);
        revenue.push(null);
        retention.push(null);
        revenueRetention.push(null);
        continue;
      }
      const cell = row.get(k);
      const active = cell?.customers ?? 0;
      const value = cell?.revenue ?? 0;
      customers.push(active);
      revenue.push(value);
      retention.push(size > 0 ? active / size : null);
      revenueRetention.push(revenue0 > 0 ? value / revenue0 : null);
    }
    cohorts.push({ cohort, size, customers, revenue, retention, revenueRetention });
  }
  const averageRetention: (number | null)[] = [];
  for (let k = 0; k < span; k++) {
    let active = 0;
    let base = 0;
    for (const row of cohorts) {
      const value = row.customers[k];
      if (value === null || value === undefined || row.size === 0) continue;
      active += value;
      base += row.size;
    }
    averageRetention.push(base > 0 ? active / base : null);
  }
  return { cohorts, averageRetention };
}
