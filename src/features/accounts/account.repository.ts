import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { CursorPayload } from '../../shared/page.js';
import { accountFilterWhere } from './account-filter.repository.js';
import type { ResolvedAccountFilter } from './account-filter.rules.js';
import type { AccountSort } from './account-filter.schema.js';
import type { AccountDetail, AccountSummary } from './account.schema.js';

const sortColumn = {
  name: 'a.name_en',
  code: 'a.code',
  created: 'a.created_at',
  updated: 'a.updated_at',
  status: 'a.status',
} as const satisfies Record<AccountSort, string>;

/** Sorts on a timestamp: the cursor holds its exact text (an ISO string would drop microseconds). */
const timestampSorts: ReadonlySet<AccountSort> = new Set(['created', 'updated']);

const toIso = (value: Date | string): string => new Date(value).toISOString();

/**
 * Record scope: `scope` is the actor's where-clause on the account's owner (auth's accountScopeWhere), `parentScope`
 * the same on the parent's owner — a parent group outside the scope is named by id only.
 */
export interface AccountScope {
  scope: Expression<SqlBool>;
  parentScope: Expression<SqlBool>;
  memberScope: Expression<SqlBool>;
}

function baseAccountQuery(db: Kysely<DB>, access: AccountScope) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('accounts as p', (join) => join.onRef('p.id', '=', 'a.parent_id').on(access.parentScope))
    .leftJoin('users as u', 'u.id', 'a.owner_id')
    .select([
      'a.id',
      'a.code',
      'a.name_en',
      'a.name_zh',
      'a.kind',
      'a.industry',
      'a.parent_id',
      'a.created_at',
      'p.code as parent_code',
      'p.name_en as parent_name',
      'u.display_name as owner_name',
      'a.status',
      // Exact keyset values for the timestamp sorts (an ISO string would drop microseconds).
      sql<string>`a.created_at::text`.as('created_key'),
      sql<string>`a.updated_at::text`.as('updated_key'),
    ]);
}

type AccountRow = Awaited<ReturnType<ReturnType<typeof baseAccountQuery>['executeTakeFirstOrThrow']>>;

const toSummary = (row: AccountRow): AccountSummary => ({
  id: row.id,
  code: row.code,
  nameEn: row.name_en,
  nameZh: row.name_zh,
  kind: row.kind,
  industry: row.industry,
  status: row.status,
  parentId: row.parent_id,
  parentCode: row.parent_code,
  ownerName: row.owner_name,
  createdAt: toIso(row.created_at),
});

/** Keyset value of a row for the chosen sort, as stored in the cursor. */
export function cursorValue(row: AccountListRow, sort: AccountSort): string {
  if (sort === 'code') return row.code;
  if (sort === 'created') return row.keys.created;
  if (sort === 'updated') return row.keys.updated;
  if (sort === 'status') return row.keys.status;
  return row.nameEn;
}

export type AccountListRow = AccountSummary & { keys: { created: string; updated: string; status: string } };

export interface AccountListRequest {
  filter: ResolvedAccountFilter;
  sort: AccountSort;
  order: 'asc' | 'desc';
  limit: number;
}

export async function listAccounts(
  db: Kysely<DB>,
  query: AccountListRequest,
  after: CursorPayload | null,
  access: AccountScope,
): Promise<AccountListRow[]> {
  const column = sortColumn[query.sort];
  // The page's ids first, from accounts alone: with nothing else to read, a walk of the sort order's index can
  // stay index-only (0006 puts the search text, archive flag and owner in the name index), so a common search word
  // whose matches lie deep in the order costs index reads, not a heap fetch per skipped account. Then the joins.
  let page = db
    .selectFrom('accounts as a')
    .select('a.id')
    .where(access.scope)
    .where((eb) => accountFilterWhere(eb, query.filter));
  if (after) {
    const direction = query.order === 'asc' ? '>' : '<';
    const value = String(after.v);
    page = page.where((eb) =>
      eb(
        eb.refTuple(column, 'a.id'),
        direction,
        timestampSorts.has(query.sort)
          ? eb.tuple(sql<Date>`${value}::timestamptz`, after.id)
          : eb.tuple(value, after.id),
      ),
    );
  }
  const ids = page
    .orderBy(column, query.order)
    .orderBy('a.id', query.order)
    .limit(query.limit + 1);
  const rows = await baseAccountQuery(db, access)
    .where('a.id', 'in', ids)
    .orderBy(column, query.order)
    .orderBy('a.id', query.order)
    .execute();
  return rows.map((row) => ({
    ...toSummary(row),
    keys: { created: row.created_key, updated: row.updated_key, status: row.status },
  }));
}

export async function findAccountDetail(
  db: Kysely<DB>,
  id: number,
  access: AccountScope,
): Promise<AccountDetail | null> {
  const row = await baseAccountQuery(db, access)
    .where('a.id', '=', id)
    .where(access.scope)
    .select((eb) => [
      eb
        .selectFrom('accounts as m')
        .whereRef('m.parent_id', '=', 'a.id')
        .where(access.memberScope)
        .select(eb.fn.countAll<number>().as('n'))
        .as('member_count'),
      eb
        .selectFrom('contacts as c')
        .whereRef('c.account_id', '=', 'a.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('contact_count'),
    ])
    .executeTakeFirst();
  if (!row) return null;
  const totals = await db
    .selectFrom('transactions')
    .where('account_id', '=', id)
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<string>`coalesce(sum(amount), 0)::text`.as('revenue'),
      sql<Date | null>`min(occurred_at)`.as('first_at'),
      sql<Date | null>`max(occurred_at)`.as('last_at'),
    ])
    .executeTakeFirstOrThrow();
  return {
    ...toSummary(row),
    parentName: row.parent_name,
    memberCount: Number(row.member_count ?? 0),
    contactCount: Number(row.contact_count ?? 0),
    totals: {
      transactionCount: totals.count,
      revenue: totals.revenue,
      firstTransactionAt: totals.first_at ? toIso(totals.first_at) : null,
      lastTransactionAt: totals.last_at ? toIso(totals.last_at) : null,
    },
  };
}
