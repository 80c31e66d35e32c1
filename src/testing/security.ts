import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * Helpers for the security tests: a checksum of everything in the database (to prove a denied request changed
 * nothing) and malformed inputs for fuzzing.
 */

/** Columns that change on every authenticated request by design (throttled last-seen bookkeeping). */
const bookkeepingColumns = ['last_seen_at', 'last_used_at'];

/**
 * Per table of the current schema: the row count and the XOR of every row's md5 (all 128 bits). A denied request
 * must leave every one of them unchanged. Excludes only the last-seen bookkeeping columns above.
 */
export async function databaseChecksum(db: Kysely<DB>): Promise<Record<string, string>> {
  const tables = await sql<{ name: string; bookkeeping: boolean }>`
    select t.table_name as name,
      exists (select 1 from information_schema.columns as c
              where c.table_schema = t.table_schema and c.table_name = t.table_name
                and c.column_name in (${sql.join(bookkeepingColumns)})) as bookkeeping
    from information_schema.tables as t
    where t.table_schema = current_schema() and t.table_type = 'BASE TABLE' order by t.table_name`.execute(db);
  let withoutBookkeeping = sql`to_jsonb(t)`;
  for (const column of bookkeepingColumns) withoutBookkeeping = sql`(${withoutBookkeeping} - ${column})`;
  // One statement for every table, and per table the row count and the XOR of the rows' md5 (no sort needed):
  // a denied request is checked against it before and after, so it has to be quick.
  const parts = tables.rows.map(({ name, bookkeeping }) => {
    const row = bookkeeping ? sql`${withoutBookkeeping}::text` : sql`t::text`;
    return sql`select ${name}::text as name, (select count(*)::text || ':' ||
      coalesce(bit_xor(('x' || substr(md5(${row}), 1, 16))::bit(64)::bigint), 0)::text || ':' ||
      coalesce(bit_xor(('x' || substr(md5(${row}), 17, 16))::bit(64)::bigint), 0)::text
      from ${sql.table(name)} as t) as digest`;
  });
  if (parts.length === 0) return {};
  const result = await sql<{ name: string; digest: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  return Object.fromEntries(result.rows.map((entry) => [entry.name, entry.digest]));
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
