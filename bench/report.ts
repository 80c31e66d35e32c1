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
