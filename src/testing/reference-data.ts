import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The repository root (this file is src/testing/reference-data.ts). */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * The shared reference data sets (CDNOW, UCI Online Retail, …). CI clones the repo with shared/ beside it,
 * so the folder is ../shared/data; RAPPORT_SHARED_DATA is not read here on purpose (env is read in config only).
 */
export const referenceDataDir = resolve(repoRoot, '..', 'shared', 'data');

export const referenceFile = (...parts: string[]): string => {
  const path = resolve(referenceDataDir, ...parts);
  if (!existsSync(path)) throw new Error(`Reference data file missing: ${path}`);
  return path;
};

/** A reference CSV's rows as records of strings; the files are simple (no quoting, no commas inside cells). */
export function readReferenceCsv(...parts: string[]): Record<string, string>[] {
  const [header, ...lines] = readFileSync(referenceFile(...parts), 'utf8')
    .trim()
    .split('\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((n, i) => [n, cells[i]!]));
  });
}

/** The CDNOW summary (frequency, recency, T per customer) as the columns the BG/NBD and Pareto/NBD fits take. */
export function cdnowSummaryColumns(): { frequency: number[]; recency: number[]; T: number[] } {
  const rows = readReferenceCsv('cdnow', 'cdnow_customers_summary.csv');
  return {
    frequency: rows.map((r) => Number(r.frequency)),
    recency: rows.map((r) => Number(r.recency)),
    T: rows.map((r) => Number(r.T)),
  };
}
