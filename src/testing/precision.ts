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
