import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AccountFigures } from './key-account.rules.js';
import type { AssessmentNotes, Criterion, RelationshipStage } from './key-account.schema.js';

/** SQL of key-account assessments: criteria, the account's figures for suggested scores, assessments, the matrix. */

const toIso = (value: Date | string): string => new Date(value).toISOString();
const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

const dayStart = (date: string, timeZone: string) => sql<Date>`(${date}::date::timestamp at time zone ${timeZone})`;
const nextDayStart = (date: string, timeZone: string) =>
  sql<Date>`((${date}::date + 1)::timestamp at time zone ${timeZone})`;

export async function listCriteria(db: Kysely<DB>): Promise<Criterion[]> {
  const rows = await db
    .selectFrom('key_account_criteria')
    .select(['key', 'axis', 'label_en', 'label_zh', 'weight', 'source'])
    .orderBy('position')
    .orderBy('key')
    .execute();
  return rows.map((row) => ({
    key: row.key,
    axis: row.axis,
    labelEn: row.label_en,
    labelZh: row.label_zh,
    weight: Number(row.weight),
    source: row.source,
  }));
}

export async function replaceCriteria(db: Kysely<DB>, criteria: readonly Criterion[], at: Date): Promise<void> {
  await db.deleteFrom('key_account_criteria').execute();
  await db
    .insertInto('key_account_criteria')
    .values(
      criteria.map((criterion, index) => ({
        key: criterion.key,
        axis: criterion.axis,
        label_en: criterion.labelEn,
        label_zh: criterion.labelZh,
        weight: criterion.weight,
        source: criterion.source,
        position: index + 1,
        updated_at: at,
      })),
    )
    .execute();
}

/** The account, when it exists and falls inside the actor's record scope. */
export async function visibleAccount(
  db: Kysely<DB>,
  accountId: number,
  scope: RawBuilder<SqlBool>,
): Promise<{ id: number; code: string; nameEn: string } | null> {
  const row = await db
    .selectFrom('accounts as a')
    .select(['a.id', 'a.code', 'a.name_en'])
    .where('a.id', '=', accountId)
    .where(scope)
    .executeTakeFirst();
  return row ? { id: Number(row.id), code: row.code, nameEn: row.name_en } : null;
}

/**
 * Revenue over the last 12 months and the 12 before, margin, and where the account stands among customers: the share
 * of active customers (revenue in the last 12 months) with less revenue, and of customers with costs with a lower
 * margin rate — percent_rank in SQL.
 */
export async function accountFigures(
  db: Kysely<DB>,
  accountId: number,
  period: { from: string; to: string; priorFrom: string; timeZone: string },
): Promise<AccountFigures> {
  const { from, to, priorFrom, timeZone } = period;
  const result = await sql<{
    account_id: number;
    revenue: number;
    prior: number;
    margin: number | null;
    revenue_rank: number | null;
    margin_rank: number | null;
  }>`
    with totals as (
      select t.account_id,
        coalesce(sum(t.amount) filter (where t.occurred_at >= ${dayStart(from, timeZone)}), 0)::float8 as revenue,
        coalesce(sum(t.amount) filter (where t.occurred_at < ${dayStart(from, timeZone)}), 0)::float8 as prior,
        sum(t.amount - t.cost) filter (where t.occurred_at >= ${dayStart(from, timeZone)} and t.cost is not null)::float8 as margin,
        sum(t.amount) filter (where t.occurred_at >= ${dayStart(from, timeZone)} and t.cost is not null)::float8 as costed
      from transactions t
      where t.occurred_at >= ${dayStart(priorFrom, timeZone)} and t.occurred_at < ${nextDayStart(to, timeZone)}
      group by t.account_id
    ), active as (
      select account_id, revenue, prior, margin,
        percent_rank() over (order by revenue) as revenue_rank,
        case when costed > 0 then margin / costed end as margin_rate
      from totals where revenue > 0
    ), ranked as (
      select a.*, case when a.margin_rate is not null then percent_rank() over (partition by a.margin_rate is not null order by a.margin_rate) end as margin_rank
      from active a
    )
    select ${accountId}::bigint as account_id,
      coalesce((select revenue from totals where account_id = ${accountId}::bigint), 0) as revenue,
      coalesce((select prior from totals where account_id = ${accountId}::bigint), 0) as prior,
      (select margin from totals where account_id = ${accountId}::bigint) as margin,
      (select revenue_rank from ranked where account_id = ${accountId}::bigint) as revenue_rank,
      (select margin_rank from ranked where account_id = ${accountId}::bigint) as margin_rank`.execute(db);
  const row = result.rows[0];
  return {
    revenue12m: Number(row?.revenue ?? 0),
    revenuePrior12m: Number(row?.prior ?? 0),
    margin12m: row?.margin === null || row?.margin === undefined ? null : Number(row.margin),
    revenuePercentile: row?.revenue_rank === null || row?.revenue_rank === undefined ? null : Number(row.revenue_rank),
    marginRatePercentile: row?.margin_rank === null || row?.margin_rank === undefined ? null : Number(row.margin_rank),
  };
}

export interface AssessmentRow {
  id: number;
  accountId: number;
  accountCode: string;
  accountName: string;
  assessedOn: string;
  relationshipStage: RelationshipStage;
  scores: Record<string, number>;
  criteria: Criterion[];
  attractiveness: number;
  fit: number;
  notes: AssessmentNotes;
  version: number;
  assessedBy: number | null;
  createdAt: string;
}

function assessmentQuery(db: Kysely<DB>) {
  return db
    .selectFrom('key_account_assessments as k')
    .innerJoin('accounts as a', 'a.id', 'k.account_id')
    .select([
      'k.id',
      'k.account_id',
      'a.code',
      'a.name_en',
      sql<string>`k.assessed_on::text`.as('assessed_on'),
      'k.relationship_stage',
      'k.scores',
      'k.criteria',
      'k.attractiveness',
      'k.fit',
      'k.notes',
      'k.version',
      'k.assessed_by',
      'k.created_at',
    ]);
}

type AssessmentRaw = Awaited<ReturnType<ReturnType<typeof assessmentQuery>['executeTakeFirstOrThrow']>>;

const toAssessment = (row: AssessmentRaw): AssessmentRow => ({
  id: Number(row.id),
  accountId: Number(row.account_id),
  accountCode: row.code,
  accountName: row.name_en,
  assessedOn: row.assessed_on,
  relationshipStage: row.relationship_stage,
  scores: parseJson<Record<string, number>>(row.scores),
  criteria: parseJson<Criterion[]>(row.criteria),
  attractiveness: row.attractiveness,
  fit: row.fit,
  notes: parseJson<AssessmentNotes>(row.notes),
  version: row.version,
  assessedBy: row.assessed_by === null ? null : Number(row.assessed_by),
  createdAt: toIso(row.created_at),
});

export async function latestAssessment(db: Kysely<DB>, accountId: number): Promise<AssessmentRow | null> {
  const row = await assessmentQuery(db)
    .where('k.account_id', '=', accountId)
    .orderBy('k.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toAssessment(row) : null;
}

export async function insertAssessment(
  db: Kysely<DB>,
  input: Omit<AssessmentRow, 'id' | 'accountCode' | 'accountName' | 'createdAt'> & { at: Date },
): Promise<number> {
  const row = await db
    .insertInto('key_account_assessments')
    .values({
      account_id: input.accountId,
      assessed_on: input.assessedOn,
      relationship_stage: input.relationshipStage,
      scores: JSON.stringify(input.scores),
      criteria: JSON.stringify(input.criteria),
      attractiveness: input.attractiveness,
      fit: input.fit,
      notes: JSON.stringify(input.notes),
      version: input.version,
      assessed_by: input.assessedBy,
      created_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** The newest assessment of every account in scope, with its revenue over the last 12 months. */
export async function matrixRows(
  db: Kysely<DB>,
  scope: RawBuilder<SqlBool>,
  period: { from: string; to: string; timeZone: string },
): Promise<(AssessmentRow & { revenue12m: number })[]> {
  const rows = await assessmentQuery(db)
    .where('k.id', 'in', (eb) =>
      eb
        .selectFrom('key_account_assessments')
        .select(sql<number>`max(id)`.as('id'))
        .groupBy('account_id'),
    )
    .where(scope)
    .select(
      sql<string>`(select coalesce(sum(t.amount), 0) from transactions t where t.account_id = a.id
        and t.occurred_at >= ${dayStart(period.from, period.timeZone)} and t.occurred_at < ${nextDayStart(period.to, period.timeZone)})::text`.as(
        'revenue_12m',
      ),
    )
    .orderBy('k.attractiveness', 'desc')
    .orderBy('k.account_id')
    .execute();
  return rows.map((row) => ({ ...toAssessment(row), revenue12m: Number(row.revenue_12m) }));
}

/** Class A customers of the latest ABC run without any assessment (the builder asks to assess them). */
export async function unassessedAClass(db: Kysely<DB>, abcRunId: number | null): Promise<number> {
  if (abcRunId === null) return 0;
  const row = await db
    .selectFrom('analysis_customer_results as r')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('r.run_id', '=', abcRunId)
    .where(sql<SqlBool>`r.abc_class = 'A'`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('key_account_assessments as k').select('k.id').whereRef('k.account_id', '=', 'r.account_id'),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
