import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { DuplicateQuery } from './duplicate.schema.js';

/**
 * SQL of duplicates and merges. Candidate pairs come from exact matches (the same contact email or phone) and
 * from pg_trgm name similarity (the `%` operator, served by the trigram indexes of migration 0003).
 */
export interface PairRow {
  a_id: number;
  b_id: number;
  reason: string;
  weight: number;
}

/** A Chinese company name without spaces and the usual suffixes, for exact comparison. */
const zhCore = (column: string) =>
  sql.raw(`regexp_replace(regexp_replace(${column}, '\\s+', '', 'g'), '(股份)?(有限)?(公司|集團|集团)$', '')`);

export async function accountPairs(trx: Transaction<DB>, query: DuplicateQuery): Promise<PairRow[]> {
  await sql`select set_config('pg_trgm.similarity_threshold', ${String(query.minSimilarity)}, true)`.execute(trx);
  const only = query.accountId ?? null;
  const result = await sql<PairRow>`
    with live as (select id, name_en, name_zh from accounts where archived_at is null),
    pairs as (
      select least(c1.account_id, c2.account_id) as a_id, greatest(c1.account_id, c2.account_id) as b_id,
             'same contact email ' || c1.email as reason, 1.0 as weight
      from contacts c1 join contacts c2 on c2.email = c1.email and c2.account_id <> c1.account_id
      where c1.email is not null and c1.archived_at is null and c2.archived_at is null
        and (${only}::bigint is null or c1.account_id = ${only})
      union
      select least(c1.account_id, c2.account_id), greatest(c1.account_id, c2.account_id),
             'same contact phone ' || c1.phone, 1.0
      from contacts c1 join contacts c2 on c2.phone = c1.phone and c2.account_id <> c1.account_id
      where c1.phone is not null and c1.archived_at is null and c2.archived_at is null
        and (${only}::bigint is null or c1.account_id = ${only})
      union
      select a.id, b.id, 'similar English name (' || round(similarity(a.name_en, b.name_en)::numeric, 2) || ')',
             similarity(a.name_en, b.name_en)
      from live a join live b on b.id > a.id and a.name_en % b.name_en
      where ${only}::bigint is null or ${only} in (a.id, b.id)
      union
      select a.id, b.id, 'same Chinese name ' || a.name_zh, 1.0
      from live a join live b on b.id > a.id and ${zhCore('a.name_zh')} = ${zhCore('b.name_zh')}
      where a.name_zh is not null and b.name_zh is not null and length(${zhCore('a.name_zh')}) > 1
        and (${only}::bigint is null or ${only} in (a.id, b.id))
    )
    select p.a_id, p.b_id, p.reason, p.weight::float8 as weight
    from pairs p
    join live a on a.id = p.a_id
    join live b on b.id = p.b_id
    order by p.a_id, p.b_id`.execute(trx);
  return result.rows;
}

export async function contactPairs(trx: Transaction<DB>, query: DuplicateQuery): Promise<PairRow[]> {
  await sql`select set_config('pg_trgm.similarity_threshold', ${String(query.minSimilarity)}, true)`.execute(trx);
  const only = query.accountId ?? null;
  const result = await sql<PairRow>`
    with live as (
      select id, account_id, name, email, phone from contacts
      where archived_at is null and (${only}::bigint is null or account_id = ${only})
    )
    select a.id as a_id, b.id as b_id, 'same email ' || a.email as reason, 1.0::float8 as weight
    from live a join live b on b.id > a.id and b.email = a.email
    union
    select a.id, b.id, 'same phone ' || a.phone, 1.0
    from live a join live b on b.id > a.id and b.phone = a.phone
    union
    select a.id, b.id, 'similar name at the same account (' || round(similarity(a.name, b.name)::numeric, 2) || ')',
           similarity(a.name, b.name)::float8
    from live a join live b on b.id > a.id and b.account_id = a.account_id and a.name % b.name
    order by 1, 2`.execute(trx);
  return result.rows;
}

export async function accountLabels(db: Kysely<DB> | Transaction<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('accounts')
    .select(['id', 'code', 'name_en', 'version'])
    .where('id', 'in', [...ids])
    .execute();
}

export async function contactLabels(db: Kysely<DB> | Transaction<DB>, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'phone', 'version'])
    .where('id', 'in', [...ids])
    .execute();
}

export const lockAccounts = (trx: Transaction<DB>, ids: readonly number[]) =>
  trx
    .selectFrom('accounts')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();

export const lockContacts = (trx: Transaction<DB>, ids: readonly number[]) =>
  trx
    .selectFrom('contacts')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();

/** Moves everything of the merged account to the survivor; returns rows moved per table. */
export async function moveAccountHistory(
  trx: Transaction<DB>,
  survivorId: number,
  mergedId: number,
): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const table of ['transactions', 'contacts', 'interactions', 'relationship_activities'] as const) {
    const result = await trx
      .updateTable(table)
      .set({ account_id: survivorId })
      .where('account_id', '=', mergedId)
      .executeTakeFirst();
    moved[table] = Number(result.numUpdatedRows);
  }
  const children = await trx
    .updateTable('accounts')
    .set({ parent_id: survivorId })
    .where('parent_id', '=', mergedId)
    .where('id', '<>', survivorId)
    .executeTakeFirst();
  moved.member_accounts = Number(children.numUpdatedRows);
  return moved;
}

/** The survivor keeps its values and takes the merged account's where it has none; tags are united. */
export async function absorbAccount(trx: Transaction<DB>, survivorId: number, mergedId: number): Promise<number> {
  const row = await sql<{ version: number }>`
    update accounts s set
      name_zh = coalesce(s.name_zh, m.name_zh),
      owner_id = coalesce(s.owner_id, m.owner_id),
      source = coalesce(s.source, m.source),
      parent_id = case when s.parent_id = m.id then m.parent_id else coalesce(s.parent_id, m.parent_id) end,
      tags = array(select distinct t from unnest(s.tags || m.tags) as t order by t),
      needs = m.needs || s.needs,
      custom = m.custom || s.custom,
      version = s.version + 1,
      updated_at = now()
    from accounts m
    where s.id = ${survivorId} and m.id = ${mergedId}
    returning s.version`.execute(trx);
  await sql`update accounts set archived_at = now(), version = version + 1, updated_at = now() where id = ${mergedId}`.execute(
    trx,
  );
  return Number(row.rows[0]?.version ?? 0);
}

export async function absorbContact(
  trx: Transaction<DB>,
  survivorId: number,
  mergedId: number,
): Promise<{ version: number; interactions: number }> {
  const interactions = await sql`
    update interactions set contact_ids = array(select distinct c from unnest(array_replace(contact_ids, ${mergedId}::bigint, ${survivorId}::bigint)) as c order by c)
    where ${mergedId}::bigint = any(contact_ids)`.execute(trx);
  const row = await sql<{ version: number }>`
    update contacts s set
      name = coalesce(s.name, m.name),
      title = coalesce(s.title, m.title),
      email = coalesce(s.email, m.email),
      phone = coalesce(s.phone, m.phone),
      language = coalesce(s.language, m.language),
      channels = array(select distinct c from unnest(s.channels || m.channels) as c order by c),
      custom = m.custom || s.custom,
      version = s.version + 1,
      updated_at = now()
    from contacts m
    where s.id = ${survivorId} and m.id = ${mergedId}
    returning s.version`.execute(trx);
  await sql`update contacts set archived_at = now(), version = version + 1, updated_at = now() where id = ${mergedId}`.execute(
    trx,
  );
  return { version: Number(row.rows[0]?.version ?? 0), interactions: Number(interactions.numAffectedRows ?? 0) };
}

export const insertMerge = (
  trx: Transaction<DB>,
  values: {
    entity: 'accounts' | 'contacts';
    survivorId: number;
    mergedId: number;
    snapshot: Record<string, unknown>;
    reason: string | null;
    mergedBy: number | null;
  },
) =>
  trx
    .insertInto('merges')
    .values({
      entity: values.entity,
      survivor_id: values.survivorId,
      merged_id: values.mergedId,
      merged_snapshot: JSON.stringify(values.snapshot),
      reason: values.reason,
      merged_by: values.mergedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

export const mergesOf = (db: Kysely<DB>, entity: 'accounts' | 'contacts', survivorId: number) =>
  db
    .selectFrom('merges')
    .selectAll()
    .where('entity', '=', entity)
    .where('survivor_id', '=', survivorId)
    .orderBy('merged_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
