/**
 * Export cells, pure. A cell a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
 * return, also after spaces or in full-width form; OWASP "CSV injection") gets a leading apostrophe, so the text is shown, never run. Numbers stay
 * numbers (a negative amount is a number, not text) — only strings are neutralised.
 */
// Also after leading spaces (some spreadsheets trim them) and in the full-width forms a Chinese input method types.
const formulaStart = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

export const startsLikeFormula = (text: string): boolean => formulaStart.test(text);

export function neutraliseText(text: string): string {
  return startsLikeFormula(text) ? `'${text}` : text;
}

export type ExportValue =
  string | number | boolean | Date | null | undefined | readonly string[] | Record<string, unknown>;

/** One cell's text (for CSV and for XLSX string cells). */
export function cellText(value: ExportValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return neutraliseText(value.join('; '));
  if (typeof value === 'object') return neutraliseText(JSON.stringify(value));
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  return neutraliseText(value);
}

/** RFC 4180 field: quoted when it holds the delimiter, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: readonly ExportValue[]): string =>
  `${cells.map((cell) => csvField(cellText(cell))).join(',')}\r\n`;

/** An XLSX cell value: finite numbers as numbers, everything else as (neutralised) text — never a formula. */
export function xlsxCell(value: ExportValue, numeric: boolean): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (numeric) {
    const number = typeof value === 'number' ? value : Number(value);
    if (typeof value !== 'object' && Number.isFinite(number) && String(value).trim() !== '') return number;
  }
  return cellText(value);
}
