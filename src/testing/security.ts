import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * Helpers for the security tests: a checksum of everything in the database (to prove a denied request changed
 * nothing) and malformed inputs for fuzzing.
 */

/** Columns that change on every authenticated request by design (throttled last-seen bookkeeping). */
const bookkeepingColumns = ['last_seen_at', 'last_used_at'];

/**
 * md5 per table of the md5 of each row (as jsonb, sorted), over every table of the current schema. A denied
 * request must leave every one of them unchanged. Excludes only the last-seen bookkeeping columns above.
 */
export async function databaseChecksum(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const result: Record<string, string> = {};
  for (const { name } of tables.rows) {
    let row = sql`to_jsonb(t)`;
    for (const column of bookkeepingColumns) row = sql`(${row} - ${column})`;
    const digest = await sql<{ digest: string | null }>`
      select md5(string_agg(h, ',' order by h)) as digest
      from (select md5(${row}::text) as h from ${sql.table(name)} as t) as rows`.execute(db);
    result[name] = digest.rows[0]?.digest ?? 'empty';
  }
  return result;
}

/** Strings a careless route might choke on: SQL, JSON, path and format tricks, control characters, huge values. */
export const hostileStrings: readonly string[] = [
  '',
  ' ',
  "'",
  '"',
  "' or '1'='1",
  '1; drop table accounts; --',
  '%',
  '_',
  '\\',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\uFFFF',
  '\uD800',
  '𝕏😀',
  "=cmd|' /C calc'!A0",
  '<script>alert(1)</script>',
  '{"$gt":""}',
  '[]',
  '{}',
  'null',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e308',
  '9007199254740993',
  '99999999999999999999999999',
  '2026-13-45',
  'true',
  'x'.repeat(5000),
];
