import { expect } from 'vitest';

/** Model tests compare against published figures: within a relative tolerance, or to 4 significant digits. */
export const closeRel = (actual: number, expected: number, rel = 1e-9, abs = 1e-12): boolean =>
  Math.abs(actual - expected) <= rel * Math.abs(expected) + abs;

export const sig4 = (v: number): number => Number(v.toPrecision(4));

/** Standard errors from a fit's Hessian: every one finite and positive (else the fit is not identified). */
export function expectFinitePositive(values: Readonly<Record<string, number>> | undefined): void {
  expect(values).toBeTruthy();
  for (const v of Object.values(values!)) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(0);
  }
}

/**
 * Golden per-customer figures (CDNOW, lifetimes): each named column of every row against our function of the row's
 * frequency x, recency t_x and age T. Returns the mismatches, so a failure names the customers and columns.
 */
export function goldenMismatches(
  rows: readonly Record<string, string>[],
  columns: Readonly<Record<string, (x: number, tx: number, T: number) => number>>,
  rel = 1e-9,
): string[] {
  const bad: string[] = [];
  for (const row of rows) {
    const [x, tx, T] = [Number(row.frequency), Number(row.recency), Number(row.T)];
    for (const [name, ours] of Object.entries(columns)) {
      const mine = ours(x, tx, T);
      const ref = Number(row[name]);
      if (!closeRel(mine, ref, rel)) bad.push(`${row.ID} ${name}: ${mine} vs ${ref}`);
    }
  }
  return bad;
}
