import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { accountFilterWhere, type ResolvedAccountFilter } from '../accounts/index.js';
import type { ExportEntity, ExportQuery } from './import.schema.js';

/**
 * Export queries: pages of rows in id order (keyset), with the import's canonical column names, so an export
 * can be edited and imported again. Filters are bound parameters; LIKE wildcards in a search are escaped.
 */
export interface ExportColumn {
  name: string;
  numeric: boolean;
}

export const exportColumns: Record<ExportEntity, readonly ExportColumn[]> = {
  accounts: [
    'account_code',
    'name',
    'name_zh',
    'kind',
    'industry',
    'parent_code',
    'owner_email',
    'tags',
    'status',
    'source',
    'services_used',
    'requirements',
    'created_at',
  ].map((name) => ({ name, numeric: false })),
  contacts: ['account_code', 'name', 'title', 'email', 'phone', 'language', 'channels'].map((name) => ({
    name,
    numeric: false,
  })),
  transactions: [
    { name: 'transaction_id', numeric: false },
    { name: 'account_code', numeric: false },
    { name: 'occurred_at', numeric: false },
    { name: 'amount', numeric: true },
    { name: 'currency', numeric: false },
    { name: 'quantity', numeric: true },
    { name: 'unit', numeric: false },
    { name: 'product_line', numeric: false },
    { name: 'channel', numeric: false },
    { name: 'cost', numeric: true },
  ],
};

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);
const toIso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export type ExportRow = { id: number; cells: unknown[] };

/** Whose records an export may contain: all, the accounts one user owns, or those owned by a team. */
export type RecordScope =
  { kind: 'all' } | { kind: 'own'; userId: number | null } | { kind: 'team'; team: string | null };

/** Keeps accounts (alias a) inside the scope; a user or team that is null sees nothing. */
function scoped<QB extends { where: (...args: never[]) => QB }>(builder: QB, scope: RecordScope): QB {
  if (scope.kind === 'all') return builder;
  const where = builder.where as unknown as (expression: unknown) => QB;
  if (scope.kind === 'own') return where.call(builder, sql<boolean>`a.owner_id = ${scope.userId ?? -1}`);
  return where.call(builder, sql<boolean>`a.owner_id in (select id from users where team = ${scope.team ?? ''})`);
}

/** What an export writes: accounts with the account list's filter, contacts and transactions with theirs. */
export type ExportSource =
  { entity: 'accounts'; filter: ResolvedAccountFilter } | { entity: 'contacts' | 'transactions'; query: ExportQuery };

async function accountsPage(
  db: Kysely<DB>,
  filter: ResolvedAccountFilter,
  scope: RecordScope,
  afterId: number,
  limit: number,
): Promise<ExportRow[]> {
  let builder = db
    .selectFrom('accounts as a')
    .leftJoin('accounts as p', 'p.id', 'a.parent_id')
    .leftJoin('users as u', 'u.id', 'a.owner_id')
    .select([
      'a.id',
      'a.code',
      'a.name_en',
      'a.name_zh',
      'a.kind',
      'a.industry',
      'p.code as parent_code',
      'u.email as owner_email',
      'a.tags',
      'a.status',
      'a.source',
      'a.needs',
      'a.created_at',
    ])
    .where('a.id', '>', afterId);
  builder = scoped(builder, scope).where((eb) => accountFilterWhere(eb, filter));
  const rows = await builder.orderBy('a.id').limit(limit).execute();
  return rows.map((row) => {
    const needs = (row.needs ?? {}) as { servicesUsed?: unknown; requirements?: unknown };
    return {
      id: row.id,
      cells: [
        row.code,
        row.name_en,
        row.name_zh,
        row.kind,
        row.industry,
        row.parent_code,
        row.owner_email,
        row.tags,
        row.status,
        row.source,
        Array.isArray(needs.servicesUsed) ? needs.servicesUsed : null,
        typeof needs.requirements === 'string' ? needs.requirements : null,
        toIso(row.created_at),
      ],
    };
  });
}

async function contactsPage(
  db: Kysely<DB>,
  query: ExportQuery,
  scope: RecordScope,
  afterId: number,
  limit: number,
  hiddenColumns: ReadonlySet<string>,
): Promise<ExportRow[]> {
  let builder = db
    .selectFrom('contacts as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select(['c.id', 'a.code', 'c.name', 'c.title', 'c.email', 'c.phone', 'c.language', 'c.channels'])
    .where('c.id', '>', afterId);
  builder = scoped(builder, scope);
  if (!query.include_archived) builder = builder.where('c.archived_at', 'is', null);
  if (query.account_code) builder = builder.where('a.code', '=', query.account_code);
  if (query.industry) builder = builder.where('a.industry', '=', query.industry);
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`;
    // A role that may not see e-mail addresses may not find contacts by them either (a match would reveal them).
    const searchEmail = !hiddenColumns.has('email');
    builder = builder.where((eb) =>
      eb.or([
        eb('c.name', 'ilike', pattern),
        ...(searchEmail ? [eb('c.email', 'ilike', pattern)] : []),
        eb('a.code', 'ilike', pattern),
      ]),
    );
  }
  const rows = await builder.orderBy('c.id').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    cells: [row.code, row.name, row.title, row.email, row.phone, row.language, row.channels],
  }));
}

async function transactionsPage(
  db: Kysely<DB>,
  query: ExportQuery,
  scope: RecordScope,
  afterId: number,
  limit: number,
): Promise<ExportRow[]> {
  let builder = db
    .selectFrom('transactions as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .select([
      't.id',
      't.external_id',
      'a.code',
      't.occurred_at',
      sql<string>`t.amount::text`.as('amount'),
      't.currency',
      sql<string | null>`t.quantity::text`.as('quantity'),
      't.unit',
      't.product_line',
      't.channel',
      sql<string | null>`t.cost::text`.as('cost'),
    ])
    .where('t.id', '>', afterId);
  builder = scoped(builder, scope);
  if (query.account_code) builder = builder.where('a.code', '=', query.account_code);
  if (query.industry) builder = builder.where('a.industry', '=', query.industry);
  if (query.from) builder = builder.where('t.occurred_at', '>=', sql<Date>`${query.from}::timestamptz`);
  if (query.to) builder = builder.where('t.occurred_at', '<', sql<Date>`${query.to}::timestamptz`);
  if (query.q) builder = builder.where('t.external_id', 'ilike', `%${escapeLike(query.q)}%`);
  const rows = await builder.orderBy('t.id').limit(limit).execute();
  return rows.map((row) => ({
    id: row.id,
    cells: [
      row.external_id,
      row.code,
      toIso(row.occurred_at),
      row.amount,
      row.currency,
      row.quantity,
      row.unit,
      row.product_line,
      row.channel,
      row.cost,
    ],
  }));
}

/** Every matching row, a page at a time: memory stays flat however large the export. */
export async function* exportRows(
  db: Kysely<DB>,
  source: ExportSource,
  scope: RecordScope = { kind: 'all' },
  pageSize = 5000,
  hiddenColumns: ReadonlySet<string> = new Set(),
): AsyncGenerator<unknown[]> {
  let afterId = 0;
  for (;;) {
    const page =
      source.entity === 'accounts'
        ? await accountsPage(db, source.filter, scope, afterId, pageSize)
        : source.entity === 'contacts'
          ? await contactsPage(db, source.query, scope, afterId, pageSize, hiddenColumns)
          : await transactionsPage(db, source.query, scope, afterId, pageSize);
    for (const row of page) yield row.cells;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    afterId = last.id;
  }
}
