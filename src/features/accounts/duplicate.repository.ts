import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { CandidatePair } from './customer.rules.js';
import type { DuplicateRecord } from './customer.schema.js';
import type { Scope } from './customer.repository.js';

/**
 * SQL of the duplicates check and of merging. Candidates: the same normalised email or phone (contacts store
 * them lower-case and E.164), and similar names by pg_trgm (`%` uses the trigram indexes; similarity() scores).
 * Every candidate query is limited to the records inside the actor's scope (`scope(alias)` on the owner).
 */
const candidateLimit = 5000;

export async function accountCandidates(
  db: Kysely<DB>,
  scope: (ownerColumn: string) => Scope,
): Promise<CandidatePair[]> {
  const inScope = (alias: string) => sql`${scope(`${alias}.owner_id`)}`;
  const shared = async (column: 'email' | 'phone') => {
    const result = await sql<{ a: number; b: number; value: string }>`
      select distinct x.account_id as a, y.account_id as b, x.${sql.ref(column)} as value
      from contacts as x
      join contacts as y on y.${sql.ref(column)} = x.${sql.ref(column)} and y.account_id > x.account_id
      join accounts as xa on xa.id = x.account_id
      join accounts as ya on ya.id = y.account_id
      where x.${sql.ref(column)} is not null and x.archived_at is null and y.archived_at is null
        and xa.archived_at is null and ya.archived_at is null
        and ${inScope('xa')} and ${inScope('ya')}
      limit ${candidateLimit}`.execute(db);
    return result.rows.map((row) => ({
      a: Number(row.a),
      b: Number(row.b),
      reason: { kind: column, value: row.value, similarity: null },
    }));
  };
  // Names are compared within blocks of the same first two characters (after a leading "The"): a hash join
  // instead of one trigram-index probe per account, whose posting lists for "ltd", "co.", "有限" are the whole
  // table (5,000 demo accounts: 68 s before, under 4 s now). A pair whose names differ from the first
  // letters on is not proposed.
  const names = async (column: 'name_en' | 'name_zh') => {
    const result = await sql<{ a: number; b: number; similarity: number; left: string; right: string }>`
      with named as (
        select a.id, a.${sql.ref(column)} as name,
               left(lower(regexp_replace(a.${sql.ref(column)}, '^\\s*the\\s+', '', 'i')), 2) as block
        from accounts as a
        where a.${sql.ref(column)} is not null and a.archived_at is null and ${inScope('a')}
      )
      select x.id as a, y.id as b, similarity(x.name, y.name) as similarity, x.name as left, y.name as right
      from named as x
      join named as y on y.block = x.block and y.id > x.id and y.name % x.name
      order by similarity desc
      limit ${candidateLimit}`.execute(db);
    return result.rows.map((row) => ({
      a: Number(row.a),
      b: Number(row.b),
      reason: { kind: column, value: null, similarity: Number(row.similarity) },
      left: row.left,
      right: row.right,
    }));
  };
  const [email, phone, nameEn, nameZh] = await Promise.all([
    shared('email'),
    shared('phone'),
    names('name_en'),
    names('name_zh'),
  ]);
  return [...email, ...phone, ...nameEn, ...nameZh];
}

export async function contactCandidates(
  db: Kysely<DB>,
  scope: (ownerColumn: string) => Scope,
): Promise<CandidatePair[]> {
  const inScope = (alias: string) => sql`${scope(`${alias}.owner_id`)}`;
  const shared = async (column: 'email' | 'phone') => {
    const result = await sql<{ a: number; b: number; value: string }>`
      select x.id as a, y.id as b, x.${sql.ref(column)} as value
      from contacts as x
      join contacts as y on y.${sql.ref(column)} = x.${sql.ref(column)} and y.id > x.id
      join accounts as xa on xa.id = x.account_id
      join accounts as ya on ya.id = y.account_id
      where x.${sql.ref(column)} is not null and x.archived_at is null and y.archived_at is null
        and ${inScope('xa')} and ${inScope('ya')}
      limit ${candidateLimit}`.execute(db);
    return result.rows.map((row) => ({
      a: Number(row.a),
      b: Number(row.b),
      reason: { kind: column, value: row.value, similarity: null },
    }));
  };
  // Similar names only within one account: two "Peter Chan"s at different companies are different people.
  const names = async () => {
    const result = await sql<{ a: number; b: number; similarity: number; left: string; right: string }>`
      select x.id as a, y.id as b, similarity(x.name, y.name) as similarity, x.name as left, y.name as right
      from contacts as x
      join contacts as y on y.account_id = x.account_id and y.id > x.id and y.name % x.name
      join accounts as xa on xa.id = x.account_id
      where x.name is not null and x.archived_at is null and y.archived_at is null and ${inScope('xa')}
      order by similarity desc
      limit ${candidateLimit}`.execute(db);
    return result.rows.map((row) => ({
      a: Number(row.a),
      b: Number(row.b),
      reason: { kind: 'name' as const, value: null, similarity: Number(row.similarity) },
      left: row.left,
      right: row.right,
    }));
  };
  const [email, phone, name] = await Promise.all([shared('email'), shared('phone'), names()]);
  return [...email, ...phone, ...name];
}

/** The records of the pairs, with what each holds (to help choose the survivor). */
export async function accountRecords(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, DuplicateRecord>> {
  if (ids.length === 0) return new Map();
  const result = await sql<{
    id: number;
    code: string;
    name_en: string;
    name_zh: string | null;
    industry: string;
    created_at: Date;
    transactions: number;
    contacts: number;
    interactions: number;
  }>`
    select a.id, a.code, a.name_en, a.name_zh, a.industry, a.created_at,
      (select count(*)::int from transactions t where t.account_id = a.id) as transactions,
      (select count(*)::int from contacts c where c.account_id = a.id and c.archived_at is null) as contacts,
      (select count(*)::int from interactions i where i.account_id = a.id and i.archived_at is null) as interactions
    from accounts as a
    where a.id = any(${sql.val([...ids])}::bigint[])`.execute(db);
  return new Map(
    result.rows.map((row) => [
      Number(row.id),
      {
        id: Number(row.id),
        accountId: Number(row.id),
        code: row.code,
        name: row.name_en,
        nameZh: row.name_zh,
        detail: row.industry,
        transactions: Number(row.transactions),
        contacts: Number(row.contacts),
        interactions: Number(row.interactions),
        createdAt: new Date(row.created_at).toISOString(),
      },
    ]),
  );
}

export async function contactRecords(db: Kysely<DB>, ids: readonly number[]): Promise<Map<number, DuplicateRecord>> {
  if (ids.length === 0) return new Map();
  const result = await sql<{
    id: number;
    account_id: number;
    code: string;
    name: string | null;
    account_name: string;
    created_at: Date;
    interactions: number;
  }>`
    select c.id, c.account_id, a.code, c.name, a.name_en as account_name, c.created_at,
      (select count(*)::int from interactions i where c.id = any(i.contact_ids)) as interactions
    from contacts as c join accounts as a on a.id = c.account_id
    where c.id = any(${sql.val([...ids])}::bigint[])`.execute(db);
  return new Map(
    result.rows.map((row) => [
      Number(row.id),
      {
        id: Number(row.id),
        accountId: Number(row.account_id),
        code: row.code,
        name: row.name,
        nameZh: null,
        detail: row.account_name,
        transactions: 0,
        contacts: 0,
        interactions: Number(row.interactions),
        createdAt: new Date(row.created_at).toISOString(),
      },
    ]),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Merging (inside the caller's transaction).

/** Moves the merged account's history to the survivor; the number of rows moved, by kind. */
export async function moveAccountHistory(
  trx: Kysely<DB>,
  mergedId: number,
  survivorId: number,
): Promise<Record<string, number>> {
  const moved = async (table: 'transactions' | 'contacts' | 'interactions' | 'relationship_activities') => {
    const result = await trx
      .updateTable(table)
      .set({ account_id: survivorId })
      .where('account_id', '=', mergedId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  };
  const transactions = await moved('transactions');
  const contacts = await moved('contacts');
  const interactions = await moved('interactions');
  const activities = await moved('relationship_activities');
  const members = await trx
    .updateTable('accounts')
    .set({ parent_id: survivorId })
    .where('parent_id', '=', mergedId)
    .where('id', '<>', survivorId)
    .executeTakeFirst();
  // Earlier merges into the merged account now show on the survivor's timeline.
  await trx
    .updateTable('merges')
    .set({ survivor_id: survivorId })
    .where('entity', '=', 'accounts')
    .where('survivor_id', '=', mergedId)
    .execute();
  return { transactions, contacts, interactions, activities, members: Number(members.numUpdatedRows) };
}

/** The merged account's row as JSON, for the merges table (what was merged stays readable). */
export async function accountSnapshot(trx: Kysely<DB>, id: number): Promise<Record<string, unknown>> {
  // search_text is derived (a generated column, 0006): not part of what was merged.
  const result = await sql<{
    row: Record<string, unknown>;
  }>`select to_jsonb(a) - 'search_text' as row from accounts as a where a.id = ${id}`.execute(trx);
  return result.rows[0]?.row ?? {};
}

export async function contactSnapshot(trx: Kysely<DB>, id: number): Promise<Record<string, unknown>> {
  const result = await sql<{
    row: Record<string, unknown>;
  }>`select to_jsonb(c) as row from contacts as c where c.id = ${id}`.execute(trx);
  return result.rows[0]?.row ?? {};
}

export async function insertMerge(
  trx: Kysely<DB>,
  values: {
    entity: 'accounts' | 'contacts';
    survivorId: number;
    mergedId: number;
    snapshot: Record<string, unknown>;
    reason: string | null;
    mergedBy: number | null;
    at: Date;
  },
): Promise<number> {
  const row = await trx
    .insertInto('merges')
    .values({
      entity: values.entity,
      survivor_id: values.survivorId,
      merged_id: values.mergedId,
      merged_snapshot: sql<Record<string, unknown>>`${JSON.stringify(values.snapshot)}::jsonb`,
      reason: values.reason,
      merged_by: values.mergedBy,
      merged_at: values.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Points interactions naming the merged contact at the survivor (each contact once); the number changed. */
export async function moveContactReferences(trx: Kysely<DB>, mergedId: number, survivorId: number): Promise<number> {
  const result = await sql`
    update interactions
    set contact_ids = (select coalesce(array_agg(distinct x order by x), '{}') from unnest(array_replace(contact_ids, ${mergedId}::bigint, ${survivorId}::bigint)) as x)
    where ${mergedId}::bigint = any(contact_ids)`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
