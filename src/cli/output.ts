import { debugEnabled } from '../config/env.js';
import { AppError, toAppError } from '../shared/errors.js';

/** Output discipline: results on stdout (JSON with --json), messages and progress on stderr. */
export interface OutputOptions {
  json?: boolean;
}

export function printResult<T>(options: OutputOptions, value: T, human: (value: T) => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human(value)}\n`);
}

/** Prints a one-line message (or a JSON error object) and returns the exit code for the error. */
export function reportError(error: unknown, options: OutputOptions): number {
  const appError = toAppError(error);
  if (!(error instanceof AppError) && debugEnabled()) console.error(error);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ error: appError.toBody() })}\n`);
  } else {
    process.stderr.write(`rapport: ${appError.message}\n`);
  }
  return appError.exitCode;
}

/** A plain text table: columns padded to their widest cell. */
export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [
    headers,
    ...rows.map((row) =>
      row.map((cell) =>
        cell === null || cell === undefined
          ? ''
          : typeof cell === 'object'
            ? JSON.stringify(cell)
            : String(cell as string | number | boolean),
      ),
    ),
  ];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (cell ?? '').padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
