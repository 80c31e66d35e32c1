import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { RawSql } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import type { ImportEntity, RowProblem } from './import.schema.js';
import type { Industry } from '../accounts/index.js';

/**
 * SQL of the import feature. Batches travel as one JSON parameter (json_to_recordset), so a 5,000-row batch is
 * one round trip; column lists are built only from the fixed allow-lists below, never from input.
 */

// ---------------------------------------------------------------------------------------------- imports rows

export interface ImportRecord {
  id: number;
  entity: ImportEntity;
  file_name: string;
  file_hash: string;
  file_size: number;
  format: 'csv' | 'xlsx';
  mapping: unknown;
  status: 'running' | 'completed' | 'failed';
  checkpoint: number;
  bytes_done: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors_file: string | null;
  failure: string | null;
  started_at: Date | string;
  finished_at: Date | string | null;
  /** The user who started the import; null: the command line. */
  created_by: number | string | null;
  created_by_name: string | null;
}

const importColumns = `id, entity, file_name, file_hash, file_size, format, mapping, status, checkpoint, bytes_done,
  inserted, updated, unchanged, rejected, errors_file, failure, started_at, finished_at, created_by,
  (select starter.display_name from users as starter where starter.id = imports.created_by) as created_by_name`;

const parseMapping = (record: ImportRecord): ImportRecord => ({
  ...record,
  mapping: typeof record.mapping === 'string' ? (JSON.parse(record.mapping) as unknown) : record.mapping,
});

export async function createImport(
  raw: RawSql,
  values: {
    entity: ImportEntity;
    fileName: string;
    fileHash: string;
    fileSize: number;
    format: 'csv' | 'xlsx';
    mapping: unknown;
    createdBy: number | null;
  },
): Promise<ImportRecord> {
  const rows = await raw.query<ImportRecord>(
    `insert into imports (entity, file_name, file_hash, file_size, format, mapping, created_by)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7) returning ${importColumns}`,
    [
      values.entity,
      values.fileName,
      values.fileHash,
      values.fileSize,
      values.format,
      JSON.stringify(values.mapping),
      values.createdBy,
    ],
  );
  return parseMapping(rows[0]!);
}

export async function findImport(raw: RawSql, id: number): Promise<ImportRecord | null> {
  const rows = await raw.query<ImportRecord>(`select ${importColumns} from imports where id = $1`, [id]);
  return rows[0] ? parseMapping(rows[0]) : null;
}

/**
 * The latest import of this file and entity, started by the same user (null: the command line), that did not
 * complete (killed, failed), to resume. Another user's upload of the same file is a new import of theirs.
 */
export async function findUnfinishedImport(
  raw: RawSql,
  fileHash: string,
  entity: ImportEntity,
  createdBy: number | null,
): Promise<ImportRecord | null> {
  const rows = await raw.query<ImportRecord>(
    `select ${importColumns} from imports where file_hash = $1 and entity = $2 and status <> 'completed'
       and created_by is not distinct from $3::bigint
     order by id desc limit 1`,
    [fileHash, entity, createdBy],
  );
  return rows[0] ? parseMapping(rows[0]) : null;
}

/** The import history within a record scope (a where-clause on imports.created_by), newest first. */
export async function listImports(db: Kysely<DB>, scope: RawBuilder<SqlBool>, limit: number): Promise<ImportRecord[]> {
  const result = await sql<ImportRecord>`select ${sql.raw(importColumns)} from imports where ${scope}
    order by started_at desc, id desc limit ${limit}`.execute(db);
  return result.rows.map(parseMapping);
}

/** One import if it is within the record scope, else null (the same answer as for an import that does not exist). */
export async function findImportInScope(
  db: Kysely<DB>,
  id: number,
  scope: RawBuilder<SqlBool>,
): Promise<ImportRecord | null> {
  const result = await sql<ImportRecord>`select ${sql.raw(importColumns)} from imports
    where id = ${id} and ${scope}`.execute(db);
  return result.rows[0] ? parseMapping(result.rows[0]) : null;
}

export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * Moves the checkpoint from `from` to `to` with the batch's counts; false when it was not at `from`.
 * asyncCommit: the batch's commit need not wait for the WAL flush (PostgreSQL server: its WAL writer flushes
 * within a fraction of a second, and rows and checkpoint are one transaction, so a crash loses both or neither).
 * Not on PGlite: it has no WAL writer, so a killed process would lose every batch since the last flush.
 */
export async function advanceImport(
  raw: RawSql,
  id: number,
  from: number,
  to: number,
  bytesDone: number,
  counts: BatchCounts,
  asyncCommit: boolean,
): Promise<boolean> {
  const rows = await raw.query<{ id: number }>(
    `update imports set checkpoint = $3, bytes_done = greatest(bytes_done, $4), inserted = inserted + $5,
       updated = updated + $6, unchanged = unchanged + $7, rejected = rejected + $8, status = 'running',
       failure = null, updated_at = now()
     where id = $1 and checkpoint = $2
       and set_config('synchronous_commit', case when $9 then 'off' else 'on' end, true) is not null
     returning id`,
    [id, from, to, bytesDone, counts.inserted, counts.updated, counts.unchanged, counts.rejected, asyncCommit],
  );
  return rows.length === 1;
}

export async function finishImport(
  raw: RawSql,
  id: number,
  values: { status: 'completed' | 'failed'; errorsFile?: string | null; failure?: string | null; bytesDone?: number },
): Promise<void> {
  await raw.query(
    `update imports set status = $2, errors_file = coalesce($3, errors_file), failure = $4,
       bytes_done = greatest(bytes_done, $5), updated_at = now(),
       finished_at = case when $2 = 'completed' then now() else finished_at end
     where id = $1`,
    [id, values.status, values.errorsFile ?? null, values.failure ?? null, values.bytesDone ?? 0],
  );
}

export async function insertImportErrors(
  raw: RawSql,
  importId: number,
  problems: readonly RowProblem[],
): Promise<void> {
  if (problems.length === 0) return;
  await raw.query(
    `insert into import_errors (import_id, row_number, column_name, value, message)
     select $1, s.row, s.col, s.value, s.message
     from json_to_recordset($2::json) as s(row bigint, col text, value text, message text)`,
    [
      importId,
      JSON.stringify(problems.map((p) => ({ row: p.row, col: p.column, value: p.value, message: p.message }))),
    ],
  );
}

// ---------------------------------------------------------------------------------------- saved mappings

export const listMappings = (db: Kysely<DB>) => db.selectFrom('import_mappings').selectAll().orderBy('name').execute();

export const findMapping = (db: Kysely<DB>, id: number) =>
  db.selectFrom('import_mappings').selectAll().where('id', '=', id).executeTakeFirst();

export const insertMapping = (db: Kysely<DB>, values: { name: string; entity: ImportEntity; mapping: unknown }) =>
  db
    .insertInto('import_mappings')
    .values({ name: values.name, entity: values.entity, mapping: JSON.stringify(values.mapping) })
    .returningAll()
    .executeTakeFirstOrThrow();

export const updateMapping = (
  db: Kysely<DB>,
  id: number,
  values: { name: string; entity: ImportEntity; mapping: unknown },
) =>
  db
    .updateTable('import_mappings')
    .set({ name: values.name, entity: values.entity, mapping: JSON.stringify(values.mapping), updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();

export const deleteMapping = async (db: Kysely<DB>, id: number): Promise<boolean> =>
  Number((await db.deleteFrom('import_mappings').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0;

export const mappingNameTaken = async (db: Kysely<DB>, name: string, exceptId: number | null): Promise<boolean> => {
  let query = db.selectFrom('import_mappings').select('id').where('name', '=', name);
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
};

// ----------------------------------------------------------------------------------------- look-ups

export async function accountIdsByCode(raw: RawSql, codes: readonly string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await raw.query<{ code: string; id: number }>(
    'select code, id from accounts where code = any($1::text[])',
    [[...new Set(codes)]],
  );
  return new Map(rows.map((row) => [row.code, Number(row.id)]));
}

export async function userIdsByEmail(raw: RawSql, emails: readonly string[]): Promise<Map<string, number>> {
  if (emails.length === 0) return new Map();
  const rows = await raw.query<{ email: string; id: number }>(
    'select lower(email) as email, id from users where lower(email) = any($1::text[])',
    [[...new Set(emails)]],
  );
  return new Map(rows.map((row) => [row.email, Number(row.id)]));
}

export interface ExistingContact {
  id: number;
  account_id: number;
  name: string | null;
  email: string | null;
  phone: string | null;
}

export async function contactsOfAccounts(raw: RawSql, accountIds: readonly number[]): Promise<ExistingContact[]> {
  if (accountIds.length === 0) return [];
  return raw.query<ExistingContact>(
    `select id, account_id, name, email, phone from contacts
     where account_id = any($1::bigint[]) and archived_at is null order by id`,
    [[...new Set(accountIds)]],
  );
}

export interface CustomFieldDefinition {
  key: string;
  label_en: string;
  label_zh: string | null;
  type: 'text' | 'number' | 'date' | 'boolean' | 'choice';
  choices: string[] | null;
}

export async function customFieldDefinitions(
  raw: RawSql,
  entity: 'accounts' | 'contacts',
): Promise<CustomFieldDefinition[]> {
  return raw.query<CustomFieldDefinition>(
    'select key, label_en, label_zh, type, choices from custom_field_definitions where entity = $1 order by key',
    [entity],
  );
}

// ----------------------------------------------------------------------------------------- writers

export interface WriteCounts {
  inserted: number;
  updated: number;
}

interface Column {
  name: string;
  type: string;
}

const recordset = (columns: readonly Column[]): string => columns.map((c) => `${c.name} ${c.type}`).join(', ');

async function counts(raw: RawSql, statement: string, params: unknown[]): Promise<WriteCounts> {
  const rows = await raw.query<{ inserted: number; updated: number }>(statement, params);
  return { inserted: Number(rows[0]?.inserted ?? 0), updated: Number(rows[0]?.updated ?? 0) };
}

/** Account rows ready to write; parents must already exist (the service orders a batch by depth). */
export interface AccountWrite {
  code: string;
  name_en: string;
  name_zh: string | null;
  kind: string | null;
  industry: string | null;
  parent_code: string | null;
  owner_id: number | null;
  tags: string[] | null;
  status: string | null;
  source: string | null;
  needs: Record<string, unknown>;
  custom: Record<string, unknown>;
}

/** Optional account columns and how an update treats them: an empty cell keeps what is stored. */
const accountOptional = {
  name_zh: { type: 'text', set: 'coalesce(s.name_zh, t.name_zh)' },
  kind: { type: 'text', set: 'coalesce(s.kind, t.kind)' },
  industry: { type: 'text', set: 'coalesce(s.industry, t.industry)' },
  parent_code: { type: 'text', set: 'coalesce(s.parent_id, t.parent_id)', column: 'parent_id' },
  owner_id: { type: 'bigint', set: 'coalesce(s.owner_id, t.owner_id)' },
  tags: { type: 'text[]', set: 'coalesce(s.tags, t.tags)' },
  status: { type: 'text', set: 'coalesce(s.status, t.status)' },
  source: { type: 'text', set: 'coalesce(s.source, t.source)' },
  needs: { type: 'jsonb', set: "t.needs || coalesce(s.needs, '{}'::jsonb)" },
  custom: { type: 'jsonb', set: "t.custom || coalesce(s.custom, '{}'::jsonb)" },
} as const;
export type AccountOptionalColumn = keyof typeof accountOptional;

export async function writeAccounts(
  raw: RawSql,
  rows: readonly AccountWrite[],
  present: ReadonlySet<AccountOptionalColumn>,
  defaultIndustry: string,
): Promise<WriteCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const optional = (Object.keys(accountOptional) as AccountOptionalColumn[]).filter((name) => present.has(name));
  const columns: Column[] = [
    { name: 'code', type: 'text' },
    { name: 'name_en', type: 'text' },
    ...optional.map((name) => ({ name, type: accountOptional[name].type })),
  ];
  const targets = ['name_en', ...optional.map((name) => ('column' in accountOptional[name] ? 'parent_id' : name))];
  const sets = ['s.name_en', ...optional.map((name) => accountOptional[name].set)];
  const insertColumns = [
    'code',
    'name_en',
    'industry',
    ...optional.filter((n) => n !== 'industry').map((n) => (n === 'parent_code' ? 'parent_id' : n)),
  ];
  const insertValues = [
    's.code',
    's.name_en',
    present.has('industry') ? 'coalesce(s.industry, $2)' : '$2',
    ...optional
      .filter((n) => n !== 'industry')
      .map((n) =>
        n === 'parent_code'
          ? 's.parent_id'
          : n === 'kind'
            ? "coalesce(s.kind, 'company')"
            : n === 'status'
              ? "coalesce(s.status, 'active')"
              : n === 'tags'
                ? "coalesce(s.tags, '{}')"
                : n === 'needs' || n === 'custom'
                  ? `coalesce(s.${n}, '{}'::jsonb)`
                  : `s.${n}`,
      ),
  ];
  const statement = `
    with s as (
      select s.*${present.has('parent_code') ? ', p.id as parent_id' : ''}
      from json_to_recordset($1::json) as s(${recordset(columns)})
      ${present.has('parent_code') ? 'left join accounts p on p.code = s.parent_code' : ''}
    ),
    upd as (
      update accounts t set ${targets.map((target, i) => `${target} = ${sets[i]}`).join(', ')},
        version = t.version + 1, updated_at = now()
      from s
      where t.code = s.code and (${targets.map((target) => `t.${target}`).join(', ')}) is distinct from (${sets.join(', ')})
      returning t.id
    ),
    ins as (
      insert into accounts (${insertColumns.join(', ')})
      select ${insertValues.join(', ')} from s
      where not exists (select 1 from accounts a where a.code = s.code)
      returning id
    )
    select (select count(*) from ins) as inserted, (select count(*) from upd) as updated`;
  return counts(raw, statement, [JSON.stringify(rows), defaultIndustry]);
}

export interface ContactWrite {
  /** The matched contact, or null to insert. */
  id: number | null;
  account_id: number;
  name: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  channels: string[] | null;
  /** Custom field values to merge into contacts.custom (keys left out keep what is stored). */
  custom: Record<string, unknown>;
}

/** Optional contact columns: an empty cell keeps what is stored; custom values are merged key by key. */
const contactOptional = {
  name: { type: 'text', set: 'coalesce(s.name, t.name)', insert: 's.name' },
  title: { type: 'text', set: 'coalesce(s.title, t.title)', insert: 's.title' },
  email: { type: 'text', set: 'coalesce(s.email, t.email)', insert: 's.email' },
  phone: { type: 'text', set: 'coalesce(s.phone, t.phone)', insert: 's.phone' },
  language: { type: 'text', set: 'coalesce(s.language, t.language)', insert: 's.language' },
  channels: { type: 'text[]', set: 'coalesce(s.channels, t.channels)', insert: "coalesce(s.channels, '{}')" },
  custom: {
    type: 'jsonb',
    set: "t.custom || coalesce(s.custom, '{}'::jsonb)",
    insert: "coalesce(s.custom, '{}'::jsonb)",
  },
} as const;
export type ContactOptionalColumn = keyof typeof contactOptional;

export async function writeContacts(
  raw: RawSql,
  rows: readonly ContactWrite[],
  present: ReadonlySet<ContactOptionalColumn>,
): Promise<WriteCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const optional = (Object.keys(contactOptional) as ContactOptionalColumn[]).filter((name) => present.has(name));
  const columns: Column[] = [
    { name: 'id', type: 'bigint' },
    { name: 'account_id', type: 'bigint' },
    ...optional.map((name) => ({ name, type: contactOptional[name].type })),
  ];
  const sets = optional.map((name) => contactOptional[name].set);
  const insertValues = optional.map((name) => contactOptional[name].insert);
  const statement = `
    with s as (select * from json_to_recordset($1::json) as s(${recordset(columns)})),
    upd as (
      update contacts t set ${optional.map((name, i) => `${name} = ${sets[i]}`).join(', ')}, version = t.version + 1, updated_at = now()
      from s
      where t.id = s.id and (${optional.map((name) => `t.${name}`).join(', ')}) is distinct from (${sets.join(', ')})
      returning t.id
    ),
    ins as (
      insert into contacts (account_id${optional.map((name) => `, ${name}`).join('')})
      select s.account_id${insertValues.map((value) => `, ${value}`).join('')} from s where s.id is null
      returning id
    )
    select (select count(*) from ins) as inserted, (select count(*) from upd) as updated`;
  return counts(raw, statement, [JSON.stringify(rows)]);
}

export interface TransactionWrite {
  row: number;
  external_id: string;
  /** Resolved to the account's id in the same statement; rows whose account does not exist come back. */
  account_code: string;
  occurred_at: string;
  amount: string;
  currency: string | null;
  quantity: string | null;
  unit: string | null;
  product_line: string | null;
  channel: string | null;
  cost: string | null;
  attributes: Record<string, unknown> | null;
}

const transactionOptional = {
  currency: 'text',
  quantity: 'numeric',
  unit: 'text',
  product_line: 'text',
  channel: 'text',
  cost: 'numeric',
  attributes: 'jsonb',
} as const;
export type TransactionOptionalColumn = keyof typeof transactionOptional;

/** A CSV field for COPY: NULL unquoted and empty, anything else quoted (so an empty string stays one). */
const copyField = (value: string | null): string => (value === null ? '' : `"${value.replaceAll('"', '""')}"`);

/** Plain tokens (codes, numbers, ISO times) need no quotes; everything else goes through copyField. */
const plainToken = /^[\w.:+-]*$/;
const copyValue = (value: string | null): string =>
  value !== null && value !== '' && plainToken.test(value) ? value : copyField(value);

/** SQLSTATEs after which a batch's COPY is redone by the upsert: a concurrent writer took a key or an account went. */
const raceCodes = new Set(['23505', '23503']);
const isRace = (error: unknown): boolean => raceCodes.has((error as { code?: string }).code ?? '');

/**
 * What one import carries from batch to batch: account ids already resolved, and what the last batch's keys
 * were — all new (the next batch is tried by COPY first), all existing (a re-import: the next batch goes
 * straight to the upsert) or mixed (the next batch's keys are looked up and sorted).
 */
export interface TransactionWriteState {
  accounts: Map<string, { id: number; industry: Industry }>;
  expect: 'new' | 'existing' | 'mixed';
}

export const newTransactionWriteState = (): TransactionWriteState => ({ accounts: new Map(), expect: 'new' });

/** Looks up the accounts of these codes that the state does not know yet (id and industry, for the pack). */
export async function resolveTransactionAccounts(
  raw: RawSql,
  codes: readonly string[],
  state: TransactionWriteState,
): Promise<void> {
  const unknown = [...new Set(codes)].filter((code) => !state.accounts.has(code));
  if (unknown.length === 0) return;
  const found = await raw.query<{ code: string; id: number; industry: Industry }>(
    'select code, id, industry from accounts where code = any($1::text[])',
    [unknown],
  );
  for (const row of found) state.accounts.set(row.code, { id: Number(row.id), industry: row.industry });
}

/** COPY inside a savepoint: true when it went in, false when a concurrent change made it fail (rolled back). */
async function tryCopy(raw: RawSql, copy: () => Promise<number>): Promise<number | null> {
  await raw.exec('savepoint fresh_transactions');
  try {
    const count = await copy();
    await raw.exec('release savepoint fresh_transactions');
    return count;
  } catch (error) {
    if (!isRace(error)) throw error;
    await raw.exec('rollback to savepoint fresh_transactions');
    return null;
  }
}

/**
 * Writes a batch of transactions. New business keys (the bulk of a first import) go in by COPY straight into the
 * table — PostgreSQL's fastest path, the same work as a bare COPY of shaped rows — and keys that exist already go
 * through one upsert that updates only rows that changed. While batches bring only new keys, a batch is first
 * tried as all-new (no look-up of keys at all); a key that exists, or one another writer inserted meanwhile,
 * fails that COPY, which is rolled back to its savepoint and the batch is sorted into new and existing keys.
 * While batches bring only existing keys (a re-import), a batch goes straight to the upsert.
 */
export async function writeTransactions(
  raw: RawSql,
  rows: readonly TransactionWrite[],
  present: ReadonlySet<TransactionOptionalColumn>,
  defaultCurrency: string,
  state: TransactionWriteState = newTransactionWriteState(),
): Promise<WriteCounts & { missingAccountRows: number[] }> {
  if (rows.length === 0) return { inserted: 0, updated: 0, missingAccountRows: [] };
  await resolveTransactionAccounts(
    raw,
    rows.map((row) => row.account_code),
    state,
  );
  const missingAccountRows: number[] = [];
  const withAccount: TransactionWrite[] = [];
  for (const row of rows) {
    if (state.accounts.has(row.account_code)) withAccount.push(row);
    else missingAccountRows.push(row.row);
  }
  const copy = (batch: readonly TransactionWrite[]) => () =>
    copyTransactions(raw, batch, state.accounts, present, defaultCurrency);
  if (state.expect === 'new' && withAccount.length > 0) {
    const inserted = await tryCopy(raw, copy(withAccount));
    if (inserted !== null) return { inserted, updated: 0, missingAccountRows };
  }
  if (state.expect === 'existing') {
    // The upsert takes new keys too; while it inserts none, the look-up of keys would be wasted work.
    const upserted = await upsertTransactions(raw, withAccount, present, defaultCurrency);
    if (upserted.inserted > 0) state.expect = 'mixed';
    return combined(0, missingAccountRows, upserted);
  }
  // An account merged away since it was cached fails the COPY too: look every account up again.
  state.accounts.clear();
  const existing = new Set(
    (
      await raw.query<{ external_id: string }>(
        'select external_id from transactions where external_id = any($1::text[])',
        [withAccount.map((row) => row.external_id)],
      )
    ).map((row) => row.external_id),
  );
  state.expect = existing.size === 0 ? 'new' : existing.size === withAccount.length ? 'existing' : 'mixed';
  const fresh = withAccount.filter((row) => !existing.has(row.external_id));
  const known = withAccount.filter((row) => existing.has(row.external_id));
  let inserted = 0;
  if (fresh.length > 0) {
    await resolveTransactionAccounts(
      raw,
      fresh.map((row) => row.account_code),
      state,
    );
    const copied = fresh.every((row) => state.accounts.has(row.account_code)) ? await tryCopy(raw, copy(fresh)) : null;
    if (copied === null) known.push(...fresh);
    else inserted = copied;
  }
  // The upsert resolves account codes itself and names the rows whose account is gone.
  const upserted = await upsertTransactions(raw, known, present, defaultCurrency);
  return combined(inserted, missingAccountRows, upserted);
}

/** A batch's counts: rows copied in plus the upsert's, and every row without an account, in row order. */
const combined = (
  copied: number,
  missingAccountRows: readonly number[],
  upserted: WriteCounts & { missingAccountRows: number[] },
): WriteCounts & { missingAccountRows: number[] } => ({
  inserted: copied + upserted.inserted,
  updated: upserted.updated,
  missingAccountRows: [...missingAccountRows, ...upserted.missingAccountRows].sort((a, b) => a - b),
});

async function copyTransactions(
  raw: RawSql,
  rows: readonly TransactionWrite[],
  accounts: TransactionWriteState['accounts'],
  present: ReadonlySet<TransactionOptionalColumn>,
  defaultCurrency: string,
): Promise<number> {
  const optional = (['quantity', 'unit', 'product_line', 'channel', 'cost'] as const).filter((name) =>
    present.has(name),
  );
  const withAttributes = present.has('attributes');
  const columns = [
    'external_id',
    'account_id',
    'occurred_at',
    'amount',
    'currency',
    ...optional,
    ...(withAttributes ? ['attributes'] : []),
  ];
  let text = '';
  for (const row of rows) {
    text += `${copyValue(row.external_id)},${accounts.get(row.account_code)!.id},${row.occurred_at},${row.amount},${copyValue(row.currency ?? defaultCurrency)}`;
    for (const name of optional) text += `,${copyValue(row[name])}`;
    if (withAttributes) text += `,${copyField(JSON.stringify(row.attributes ?? {}))}`;
    text += '\n';
  }
  return raw.copyCsv('transactions', columns, text);
}

async function upsertTransactions(
  raw: RawSql,
  rows: readonly TransactionWrite[],
  present: ReadonlySet<TransactionOptionalColumn>,
  defaultCurrency: string,
): Promise<WriteCounts & { missingAccountRows: number[] }> {
  if (rows.length === 0) return { inserted: 0, updated: 0, missingAccountRows: [] };
  const optional = (Object.keys(transactionOptional) as TransactionOptionalColumn[]).filter((name) =>
    present.has(name),
  );
  const columns: Column[] = [
    { name: 'row', type: 'bigint' },
    { name: 'external_id', type: 'text' },
    { name: 'account_code', type: 'text' },
    { name: 'occurred_at', type: 'timestamptz' },
    { name: 'amount', type: 'numeric' },
    ...optional.map((name) => ({ name, type: transactionOptional[name] })),
  ];
  const insertColumns = [
    'external_id',
    'account_id',
    'occurred_at',
    'amount',
    'currency',
    ...optional.filter((n) => n !== 'currency'),
  ];
  const insertValues = [
    's.external_id',
    's.account_id',
    's.occurred_at',
    's.amount',
    present.has('currency') ? 'coalesce(s.currency, $2)' : '$2',
    ...optional
      .filter((n) => n !== 'currency')
      .map((n) => (n === 'attributes' ? "coalesce(s.attributes, '{}'::jsonb)" : `s.${n}`)),
  ];
  const updated = ['account_id', 'occurred_at', 'amount', ...optional];
  const setExpression = (name: string): string =>
    name === 'attributes'
      ? 't.attributes || excluded.attributes'
      : name === 'account_id' || name === 'occurred_at' || name === 'amount' || name === 'currency'
        ? `excluded.${name}`
        : `coalesce(excluded.${name}, t.${name})`;
  // One round trip: resolve account codes, upsert, count, and name the rows whose account is missing.
  const statement = `
    with s as materialized (
      select s.*, a.id as account_id
      from json_to_recordset($1::json) as s(${recordset(columns)})
      left join accounts a on a.code = s.account_code
    ),
    up as (
      insert into transactions as t (${insertColumns.join(', ')})
      select ${insertValues.join(', ')} from s where s.account_id is not null
      on conflict (external_id) do update set ${updated.map((name) => `${name} = ${setExpression(name)}`).join(', ')}
      where (${updated.map((name) => `t.${name}`).join(', ')}) is distinct from (${updated.map(setExpression).join(', ')})
      returning (xmax = 0) as inserted
    )
    select (select count(*) filter (where inserted) from up) as inserted,
           (select count(*) filter (where not inserted) from up) as updated,
           (select coalesce(array_agg(s.row), '{}') from s where s.account_id is null) as missing`;
  const result = await raw.query<{ inserted: number; updated: number; missing: (number | string)[] }>(statement, [
    JSON.stringify(rows),
    defaultCurrency,
  ]);
  const first = result[0];
  return {
    inserted: Number(first?.inserted ?? 0),
    updated: Number(first?.updated ?? 0),
    missingAccountRows: (first?.missing ?? []).map(Number),
  };
}

export interface InteractionWrite {
  external_id: string;
  account_id: number;
  occurred_at: string;
  channel: string;
  direction: string | null;
  subject: string | null;
  notes: string | null;
  user_id: number | null;
  contact_ids: number[] | null;
}

const interactionOptional = {
  direction: 'text',
  subject: 'text',
  notes: 'text',
  user_id: 'bigint',
  contact_ids: 'bigint[]',
} as const;
export type InteractionOptionalColumn = keyof typeof interactionOptional;

export async function writeInteractions(
  raw: RawSql,
  rows: readonly InteractionWrite[],
  present: ReadonlySet<InteractionOptionalColumn>,
): Promise<WriteCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const optional = (Object.keys(interactionOptional) as InteractionOptionalColumn[]).filter((name) =>
    present.has(name),
  );
  const columns: Column[] = [
    { name: 'external_id', type: 'text' },
    { name: 'account_id', type: 'bigint' },
    { name: 'occurred_at', type: 'timestamptz' },
    { name: 'channel', type: 'text' },
    ...optional.map((name) => ({ name, type: interactionOptional[name] })),
  ];
  const insertValues = optional.map((n) =>
    n === 'direction'
      ? "coalesce(s.direction, 'outbound')"
      : n === 'contact_ids'
        ? "coalesce(s.contact_ids, '{}')"
        : `s.${n}`,
  );
  const updated = ['account_id', 'occurred_at', 'channel', ...optional];
  const setExpression = (name: string): string =>
    name === 'account_id' || name === 'occurred_at' || name === 'channel'
      ? `excluded.${name}`
      : `coalesce(excluded.${name}, t.${name})`;
  const statement = `
    with up as (
      insert into interactions as t (external_id, account_id, occurred_at, channel${optional.map((n) => `, ${n}`).join('')})
      select s.external_id, s.account_id, s.occurred_at, s.channel${insertValues.map((v) => `, ${v}`).join('')}
      from json_to_recordset($1::json) as s(${recordset(columns)})
      on conflict (external_id) do update set ${updated.map((name) => `${name} = ${setExpression(name)}`).join(', ')},
        version = t.version + 1, updated_at = now()
      where (${updated.map((name) => `t.${name}`).join(', ')}) is distinct from (${updated.map(setExpression).join(', ')})
      returning (xmax = 0) as inserted
    )
    select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated from up`;
  return counts(raw, statement, [JSON.stringify(rows)]);
}

/** The error report through any query function (a plain connection, or the open transaction of a dry run). */
export async function* pageImportErrors(
  query: <R>(sqlText: string, params: unknown[]) => Promise<R[]>,
  importId: number,
  pageSize = 5000,
): AsyncGenerator<RowProblem> {
  let after = { row: -1, id: 0 };
  for (;;) {
    const page = await query<{
      id: number;
      row_number: number;
      column_name: string | null;
      value: string | null;
      message: string;
    }>(
      `select id, row_number, column_name, value, message from import_errors
       where import_id = $1 and (row_number, id) > ($2, $3) order by row_number, id limit $4`,
      [importId, after.row, after.id, pageSize],
    );
    for (const row of page)
      yield { row: Number(row.row_number), column: row.column_name, value: row.value, message: row.message };
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = { row: Number(last.row_number), id: Number(last.id) };
  }
}
