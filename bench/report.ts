import { pathToFileURL } from 'node:url';

/** One measured figure, printed beside the reference it is judged against. */
export interface Row {
  name: string;
  seconds: number;
  reference: string;
  note: string;
}

export const isMainModule = (moduleUrl: string): boolean =>
  process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;

export function printRows(rows: readonly Row[]): void {
  console.table(
    rows.map((row) => ({
      name: row.name,
      seconds: Number.isFinite(row.seconds) ? Number(row.seconds.toFixed(3)) : 'n/a',
      reference: row.reference,
    })),
  );
  for (const row of rows) if (row.note) console.log(`- ${row.name}: ${row.note}`);
}

/** A numeric `--name N` flag of a bench run; the fallback when absent or not a number (or, with positive, not above 0). */
export function numberArgument(name: string, fallback: number, options: { positive?: boolean } = {}): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && (!options.positive || value > 0) ? value : fallback;
}

/** A count with thousands separators, as the bench notes print them. */
export const formatCount = (n: number): string => n.toLocaleString('en');
