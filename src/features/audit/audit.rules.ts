import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors.js';
import type { AuditDetails } from './audit.schema.js';

/**
 * Pure rules of the audit log: the hash chain, the guard that keeps personal values out of entries, and
 * CSV cells that spreadsheet programs cannot run as formulas.
 */
export const genesisHash = '0'.repeat(64);

/** The content an entry's hash covers: everything but its id (the chain itself fixes the order). */
export interface AuditContent {
  occurredAt: string;
  actorUserId: number | null;
  actorRole: string | null;
  via: string;
  action: string;
  resource: string;
  recordIds: readonly string[];
  recordCount: number;
  ip: string | null;
  userAgent: string | null;
  details: Readonly<Record<string, unknown>>;
}

/** JSON with object keys sorted at every level, so the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

export function auditHash(prevHash: string, content: AuditContent): string {
  const fields = [
    content.occurredAt,
    content.actorUserId,
    content.actorRole,
    content.via,
    content.action,
    content.resource,
    content.recordIds,
    content.recordCount,
    content.ip,
    content.userAgent,
    content.details,
  ];
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(fields)}`, 'utf8')
    .digest('hex');
}

export interface ChainRow extends AuditContent {
  id: number;
  prevHash: string;
  hash: string;
}

export type ChainCheck = { ok: true; headHash: string } | { ok: false; brokenAt: number; reason: string };

/** Checks a run of rows (in id order) continuing from `prevHash`. */
export function checkChain(rows: readonly ChainRow[], prevHash: string): ChainCheck {
  let previous = prevHash;
  for (const row of rows) {
    if (row.prevHash !== previous) {
      return {
        ok: false,
        brokenAt: row.id,
        reason: `Entry ${row.id} does not follow the entry before it (a row was removed, inserted or reordered).`,
      };
    }
    if (auditHash(row.prevHash, row) !== row.hash) {
      return {
        ok: false,
        brokenAt: row.id,
        reason: `Entry ${row.id} was changed after it was written (its hash does not match its content).`,
      };
    }
    previous = row.hash;
  }
  return { ok: true, headHash: previous };
}

const personalKey = /(^|_)(e?mail|phone|mobile|password|secret|token)s?$/i;
const emailLike = /[^\s@]+@[^\s@]+\.[^\s@]+/;

/**
 * Refuses details that would put personal values into the log: keys naming personal or secret fields
 * (email, phone, password, token…) and any value that looks like an e-mail address. Field *names* are fine as values
 * ({ fields: ['email'] }), and so are ids, counts and filters.
 */
export function assertNoPersonalValues(details: AuditDetails): void {
  for (const [key, value] of Object.entries(details)) {
    if (personalKey.test(key)) {
      throw new AppError('internal', `Audit details may not carry personal values (key "${key}").`);
    }
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((item) => typeof item === 'string' && emailLike.test(item))) {
      throw new AppError(
        'internal',
        `Audit details may not carry personal values (key "${key}" holds an e-mail address).`,
      );
    }
  }
}

/** Strips characters PostgreSQL text cannot hold and bounds the length. */
export const cleanText = (value: string | null | undefined, max = 500): string | null =>
  value === null || value === undefined ? null : value.replaceAll('\u0000', '').slice(0, max);

/** Details as stored: undefined dropped, NUL characters removed from every string (jsonb cannot hold them). */
export function cleanDetails(details: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replaceAll('\u0000', '');
    if (Array.isArray(value)) return value.map(clean);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([, item]) => item !== undefined)
          .map(([key, item]) => [key.replaceAll('\u0000', ''), clean(item)]),
      );
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return null;
    return value;
  };
  return clean(details) as Record<string, unknown>;
}

// ── CSV exports ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A text cell that starts like a formula (=, +, -, @, tab, carriage return, or their full-width forms, after
 * any leading spaces) gets a leading apostrophe, so Excel, LibreOffice and Google Sheets show it as text
 * (OWASP "CSV injection"; EspoCRM CVE-2022-38844). Numbers are written as numbers.
 */
const formulaStart = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

export const neutralizeFormula = (text: string): string => (formulaStart.test(text) ? `'${text}` : text);

export function csvCell(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number' || typeof value === 'bigint') text = String(value);
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'string') text = neutralizeFormula(value);
  else text = neutralizeFormula(canonicalJson(value));
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** Excel reads UTF-8 (Chinese names) correctly only with a byte-order mark. */
export const csvBom = '\uFEFF';
