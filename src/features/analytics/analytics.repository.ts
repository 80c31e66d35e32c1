import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import type { CursorPayload } from '../../shared/page.js';
import type {
  AbcClass,
  AbcMeasure,
  AnalysisKind,
  AnalysisRunSummary,
  ChurnClass,
  CustomerListQuery,
  CustomerResult,
  CustomerSort,
  RunListQuery,
  TimeUnit,
  TransactionInput,
} from './analytics.schema.js';
import type { CohortCell } from './cohort.rules.js';

/**
 * SQL of the analytics feature. Every aggregation over transactions runs inside the database (PGlite or PostgreSQL);
 * only one row per customer (or per cohort cell) comes back. Days are calendar days in the run's time zone.
 */

/** The instant a local calendar day starts, in SQL: ('2026-01-31'::date)::timestamp at time zone tz. */
const dayStart = (date: string, timeZone: string): RawBuilder<Date> =>
  sql<Date>`(${date}::date::timestamp at time zone ${timeZone})`;
const nextDayStart = (date: string, timeZone: string): RawBuilder<Date> =>
  sql<Date>`((${date}::date + 1)::timestamp at time zone ${timeZone})`;

const unitDays = (unit: TimeUnit): number => (unit === 'week' ? 7 : 1);

// ---------------------------------------------------------------------------------------------------------------
// The per-customer BTYD summary

export interface SummaryOptions {
  /** Last day observed (inclusive), YYYY-MM-DD. */
  asOf: string;
  timeZone: string;
  unit: TimeUnit;
  /** End of calibration (inclusive) when a holdout is wanted: the summary describes days ≤ calibrationEnd only and
   * `holdoutFrequency` counts purchase days in (calibrationEnd, asOf]. Customers first seen after it are left out. */
  calibrationEnd?: string;
  /** Volume in two windows before the as-of date (churn): current = (asOf − days, asOf], prior = the one before. */
  window?: { days: number; measure: 'revenue' | 'volume'; volumeUnit?: string | undefined };
}

/** One row per customer, columns as typed arrays (customers in ascending account id). */
export interface SummaryColumns {
  accountIds: Float64Array;
  /** Repeat purchase days: distinct purchase days − 1. */
  frequency: Float64Array;
  /** (last − first purchase day) in the unit. */
  recency: Float64Array;
  /** (as-of − first purchase day) in the unit. */
  T: Float64Array;
  /** Mean value of the repeat purchase days (first day excluded); 0 when frequency = 0. */
  monetaryValue: Float64Array;
  /** Σ amount up to the as-of (calibration end). */
  totalValue: Float64Array;
  recencyDays: Float64Array;
  tDays: Float64Array;
  current: Float64Array;
  prior: Float64Array;
  holdoutFrequency: Float64Array;
}

interface SummaryRow {
  account_id: number;
  frequency: number;
  recency: number;
  t: number;
  monetary_value: number;
  total_value: number;
  recency_days: number;
  t_days: number;
  current_volume: number | null;
  prior_volume: number | null;
  holdout_frequency: number | null;
}

/**
 * The lifetimes summary (`summary_data_from_transaction_data`) in one SQL query: purchases are merged per customer
 * and calendar day (amounts summed), then
 *   frequency = distinct purchase days − 1,  recency = (last − first day) / u,  T = (as-of − first day) / u,
 *   monetary_value = mean amount of the repeat days (0 when frequency = 0),
 * with u = 1 for days and 7 for weeks (the CDNOW summary's convention: Fader, Hardie & Lee 2005).
 */
export async function customerSummary(db: Kysely<DB>, options: SummaryOptions): Promise<SummaryColumns> {
  const { asOf, timeZone } = options;
  const calEnd = options.calibrationEnd ?? asOf;
  const divisor = unitDays(options.unit);
  const window = options.window;
  const volumeExpr =
    window?.measure === 'volume'
      ? window.volumeUnit
        ? sql`sum(case when t.unit = ${window.volumeUnit} then t.quantity end)`
        : sql`sum(t.quantity)`
      : sql`sum(t.amount)`;
  const currentStart = window ? subtractDays(asOf, window.days) : asOf;
  const priorStart = window ? subtractDays(asOf, 2 * window.days) : asOf;
  const result = await sql<SummaryRow>`
    with days as (
      select t.account_id, (t.occurred_at at time zone ${timeZone})::date as day, sum(t.amount) as amount,
        ${window ? volumeExpr : sql`null::numeric`} as volume
      from transactions t
      where t.occurred_at < ${nextDayStart(asOf, timeZone)}
      group by 1, 2
    ), marked as (
      select account_id, day, amount, volume, min(day) over (partition by account_id) as first_day
      from days
    )
    select account_id,
      (count(*) filter (where day <= ${calEnd}::date) - 1)::int as frequency,
      ((max(day) filter (where day <= ${calEnd}::date) - min(day))::float8 / ${divisor}::float8) as recency,
      ((${calEnd}::date - min(day))::float8 / ${divisor}::float8) as t,
      coalesce(
        (sum(amount) filter (where day > first_day and day <= ${calEnd}::date))
          / nullif(count(*) filter (where day > first_day and day <= ${calEnd}::date), 0),
        0)::float8 as monetary_value,
      coalesce(sum(amount) filter (where day <= ${calEnd}::date), 0)::float8 as total_value,
      (max(day) filter (where day <= ${calEnd}::date) - min(day))::int as recency_days,
      (${calEnd}::date - min(day))::int as t_days,
      ${window ? sql`coalesce(sum(volume) filter (where day > ${currentStart}::date), 0)::float8` : sql`null::float8`} as current_volume,
      ${
        window
          ? sql`coalesce(sum(volume) filter (where day > ${priorStart}::date and day <= ${currentStart}::date), 0)::float8`
          : sql`null::float8`
      } as prior_volume,
      ${options.calibrationEnd ? sql`(count(*) filter (where day > ${calEnd}::date))::int` : sql`null::int`} as holdout_frequency
    from marked
    group by account_id
    having min(day) <= ${calEnd}::date
    order by account_id
  `.execute(db);
  const n = result.rows.length;
  const columns: SummaryColumns = {
    accountIds: new Float64Array(n),
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetaryValue: new Float64Array(n),
    totalValue: new Float64Array(n),
    recencyDays: new Float64Array(n),
    tDays: new Float64Array(n),
    current: new Float64Array(n),
    prior: new Float64Array(n),
    holdoutFrequency: new Float64Array(n),
  };
  result.rows.forEach((row, i) => {
    columns.accountIds[i] = Number(row.account_id);
    columns.frequency[i] = row.frequency;
    columns.recency[i] = row.recency;
    columns.T[i] = row.t;
    columns.monetaryValue[i] = row.monetary_value;
    columns.totalValue[i] = row.total_value;
    columns.recencyDays[i] = row.recency_days;
    columns.tDays[i] = row.t_days;
    columns.current[i] = row.current_volume ?? 0;
    columns.prior[i] = row.prior_volume ?? 0;
    columns.holdoutFrequency[i] = row.holdout_frequency ?? 0;
  });
  return columns;
}

const subtractDays = (date: string, days: number): string => {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) - days)).toISOString().slice(0, 10);
};

/** The first and last purchase day overall up to the as-of date (null when there are no transactions). */
export async function transactionSpan(
  db: Kysely<DB>,
  asOf: string,
  timeZone: string,
): Promise<{ first: string; last: string } | null> {
  const result = await sql<{ first: string | null; last: string | null }>`
    select (min(occurred_at) at time zone ${timeZone})::date::text as first, (max(occurred_at) at time zone ${timeZone})::date::text as last
    from transactions where occurred_at < ${nextDayStart(asOf, timeZone)}
  `.execute(db);
  const row = result.rows[0];
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

// ---------------------------------------------------------------------------------------------------------------
// ABC values (per customer or per group) over a period and the period before

export interface AbcQuery {
  from: string;
  to: string;
  /** First day of the previous period (it ends the day before `from`); null: no comparison. */
  previousFrom: string | null;
  timeZone: string;
  measure: AbcMeasure;
  volumeUnit?: string | undefined;
}

export interface AbcValueRow {
  id: number;
  value: number | null;
  previous: number | null;
  memberCount: number;
  members: { accountId: number; value: number; previous: number | null }[] | null;
}

const measureExpr = (measure: AbcMeasure) =>
  measure === 'revenue' ? sql`t.amount` : measure === 'margin' ? sql`(t.amount - t.cost)` : sql`t.quantity`;

function perAccountValues(query: AbcQuery) {
  const start = query.previousFrom ?? query.from;
  const m = measureExpr(query.measure);
  const unitFilter = query.measure === 'volume' && query.volumeUnit ? sql`and t.unit = ${query.volumeUnit}` : sql``;
  return sql`
    select t.account_id as id,
      sum(${m}) filter (where t.occurred_at >= ${dayStart(query.from, query.timeZone)})::float8 as value,
      ${query.previousFrom ? sql`sum(${m}) filter (where t.occurred_at < ${dayStart(query.from, query.timeZone)})::float8` : sql`null::float8`} as previous
    from transactions t
    where t.occurred_at >= ${dayStart(start, query.timeZone)} and t.occurred_at < ${nextDayStart(query.to, query.timeZone)} ${unitFilter}
    group by t.account_id
  `;
}

/** Σ measure per customer in the period and in the previous one (customers with a value in either). */
export async function abcValues(db: Kysely<DB>, query: AbcQuery): Promise<AbcValueRow[]> {
  const result = await sql<{ id: number; value: number | null; previous: number | null }>`
    select id, value, previous from (${perAccountValues(query)}) v
    where value is not null or previous is not null
    order by id
  `.execute(db);
  return result.rows.map((row) => ({
    id: Number(row.id),
    value: row.value,
    previous: row.previous,
    memberCount: 1,
    members: null,
  }));
}

/**
 * The same figures rolled up to each customer group: an account without a parent is a group root, and every account
 * belongs to the group of its top-most ancestor. Groups of several accounts list their members.
 */
export async function groupValues(db: Kysely<DB>, query: AbcQuery): Promise<AbcValueRow[]> {
  const result = await sql<{
    id: number;
    value: number | null;
    previous: number | null;
    member_count: number;
    members: { accountId: number; value: number; previous: number | null }[] | string | null;
  }>`
    with recursive roots(id, root_id) as (
      select id, id from accounts where parent_id is null
      union all
      select a.id, r.root_id from accounts a join roots r on a.parent_id = r.id
    ), per_account as (${perAccountValues(query)})
    select r.root_id as id, sum(p.value)::float8 as value, sum(p.previous)::float8 as previous, count(*)::int as member_count,
      case when count(*) > 1 then
        json_agg(json_build_object('accountId', r.id, 'value', coalesce(p.value, 0), 'previous', p.previous)
          order by p.value desc nulls last, r.id)
      end as members
    from roots r left join per_account p on p.id = r.id
    group by r.root_id
    having sum(p.value) is not null or sum(p.previous) is not null
    order by r.root_id
  `.execute(db);
  return result.rows.map((row) => ({
    id: Number(row.id),
    value: row.value,
    previous: row.previous,
    memberCount: row.member_count,
    members:
      row.members === null
        ? null
        : ((typeof row.members === 'string' ? JSON.parse(row.members) : row.members) as AbcValueRow['members']),
  }));
}

/** Data-quality counts for an ABC period: transactions without cost (margin) and the distinct units (volume). */
export async function abcDataChecks(
  db: Kysely<DB>,
  query: AbcQuery,
): Promise<{ transactions: number; missingCost: number; units: string[] }> {
  const start = query.previousFrom ?? query.from;
  const result = await sql<{ transactions: number; missing_cost: number; units: string[] | null }>`
    select count(*)::int as transactions, count(*) filter (where cost is null)::int as missing_cost,
      (select array_agg(u) from (select distinct unit as u from transactions
        where occurred_at >= ${dayStart(start, query.timeZone)} and occurred_at < ${nextDayStart(query.to, query.timeZone)}
          and unit is not null limit 20) units) as units
    from transactions
    where occurred_at >= ${dayStart(query.from, query.timeZone)} and occurred_at < ${nextDayStart(query.to, query.timeZone)}
  `.execute(db);
  const row = result.rows[0];
  return { transactions: row?.transactions ?? 0, missingCost: row?.missing_cost ?? 0, units: row?.units ?? [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Cohorts

/** Cohort cells: per acquisition month (first purchase month) and month offset, active customers and revenue. */
export async function cohortCells(
  db: Kysely<DB>,
  options: { asOf: string; timeZone: string; fromMonth: string },
): Promise<CohortCell[]> {
  const result = await sql<{ cohort: string; offset: number; customers: number; revenue: number }>`
    with months as (
      select t.account_id, date_trunc('month', t.occurred_at at time zone ${options.timeZone})::date as month, sum(t.amount) as revenue
      from transactions t
      where t.occurred_at < ${nextDayStart(options.asOf, options.timeZone)}
      group by 1, 2
    ), firsts as (
      select account_id, min(month) as cohort from months group by 1
    )
    select to_char(f.cohort, 'YYYY-MM') as cohort,
      ((extract(year from m.month) - extract(year from f.cohort)) * 12 + extract(month from m.month) - extract(month from f.cohort))::int as "offset",
      count(*)::int as customers, sum(m.revenue)::float8 as revenue
    from months m join firsts f on f.account_id = m.account_id
    where f.cohort >= ${`${options.fromMonth}-01`}::date
    group by 1, 2
    order by 1, 2
  `.execute(db);
  return result.rows;
}

/** Each customer's acquisition month (YYYY-MM) and first-month revenue, for cohorts from `fromMonth` on. */
export async function customerCohorts(
  db: Kysely<DB>,
  options: { asOf: string; timeZone: string; fromMonth: string },
): Promise<{ id: number; cohort: string; firstDay: string }[]> {
  const result = await sql<{ id: number; cohort: string; first_day: string }>`
    select account_id as id, to_char(min(t.occurred_at at time zone ${options.timeZone}), 'YYYY-MM') as cohort,
      (min(t.occurred_at at time zone ${options.timeZone}))::date::text as first_day
    from transactions t
    where t.occurred_at < ${nextDayStart(options.asOf, options.timeZone)}
    group by account_id
    having min(t.occurred_at) >= ${dayStart(`${options.fromMonth}-01`, options.timeZone)}
    order by account_id
  `.execute(db);
  return result.rows.map((row) => ({ id: Number(row.id), cohort: row.cohort, firstDay: row.first_day }));
}

// ---------------------------------------------------------------------------------------------------------------
// Runs

interface RunRow {
  id: number;
  kind: AnalysisKind;
  as_of: string;
  status: 'running' | 'completed' | 'failed';
  parameters: unknown;
  customer_count: number;
  duration_ms: number | null;
  error: string | null;
  created_at: Date;
  completed_at: Date | null;
}

const parseJson = (value: unknown): Record<string, unknown> =>
  (typeof value === 'string' ? JSON.parse(value) : (value ?? {})) as Record<string, unknown>;

const toSummary = (row: RunRow): AnalysisRunSummary => ({
  id: Number(row.id),
  kind: row.kind,
  asOf: row.as_of,
  status: row.status,
  parameters: parseJson(row.parameters),
  customerCount: row.customer_count,
  durationMs: row.duration_ms,
  error: row.error,
  createdAt: new Date(row.created_at).toISOString(),
  completedAt: row.completed_at ? new Date(row.completed_at).toISOString() : null,
});

const runColumns = [
  'id',
  'kind',
  sql<string>`as_of::text`.as('as_of'),
  'status',
  'parameters',
  'customer_count',
  'duration_ms',
  'error',
  'created_at',
  'completed_at',
] as const;

export async function insertRun(
  db: Kysely<DB>,
  kind: AnalysisKind,
  asOf: string,
  parameters: unknown,
): Promise<number> {
  const row = await db
    .insertInto('analysis_runs')
    .values({ kind, as_of: asOf, parameters: JSON.stringify(parameters) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function completeRun(
  db: Kysely<DB>,
  id: number,
  outcome: { results: unknown; customerCount: number; durationMs: number },
): Promise<void> {
  await db
    .updateTable('analysis_runs')
    .set({
      status: 'completed',
      results: JSON.stringify(outcome.results),
      customer_count: outcome.customerCount,
      duration_ms: Math.round(outcome.durationMs),
      completed_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function failRun(db: Kysely<DB>, id: number, error: string, durationMs: number): Promise<void> {
  await db
    .updateTable('analysis_runs')
    .set({
      status: 'failed',
      error: error.slice(0, 2000),
      duration_ms: Math.round(durationMs),
      completed_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('analysis_customer_results').where('run_id', '=', id).execute();
}

export async function findRun(
  db: Kysely<DB>,
  id: number,
): Promise<(AnalysisRunSummary & { results: Record<string, unknown> }) | null> {
  const row = await db
    .selectFrom('analysis_runs')
    .select([...runColumns, 'results'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { ...toSummary(row), results: parseJson(row.results) } : null;
}

export async function latestRunId(db: Kysely<DB>, kind: AnalysisKind): Promise<number | null> {
  const row = await db
    .selectFrom('analysis_runs')
    .select('id')
    .where('kind', '=', kind)
    .where('status', '=', 'completed')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

/** Runs newest first (keyset on id), optionally of one kind. Returns limit + 1 rows to tell whether more follow. */
export async function listRuns(
  db: Kysely<DB>,
  query: RunListQuery,
  afterId: number | null,
): Promise<AnalysisRunSummary[]> {
  let builder = db.selectFrom('analysis_runs').select([...runColumns]);
  if (query.kind) builder = builder.where('kind', '=', query.kind);
  if (afterId !== null) builder = builder.where('id', '<', afterId);
  const rows = await builder
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return rows.map((row) => toSummary(row));
}

// ---------------------------------------------------------------------------------------------------------------
// Per-customer results

/** One per-customer result as written; absent fields are stored as null. */
export interface CustomerResultRecord {
  accountId: number;
  value?: number | null;
  rank?: number | null;
  share?: number | null;
  cumulativeShare?: number | null;
  abcClass?: AbcClass | null;
  previousClass?: AbcClass | null;
  frequency?: number | null;
  recency?: number | null;
  T?: number | null;
  monetaryValue?: number | null;
  totalValue?: number | null;
  sinceLast?: number | null;
  rScore?: number | null;
  fScore?: number | null;
  mScore?: number | null;
  rfmSegment?: string | null;
  pAlive?: number | null;
  expectedPurchases?: number | null;
  expectedSpend?: number | null;
  clv?: number | null;
  revenueAtRisk?: number | null;
  churnClass?: ChurnClass | null;
  churnReason?: string | null;
  /** YYYY-MM */
  cohort?: string | null;
  details?: unknown;
}

const resultColumns = [
  ['run_id', null],
  ['account_id', 'accountId'],
  ['value', 'value'],
  ['rank', 'rank'],
  ['share', 'share'],
  ['cumulative_share', 'cumulativeShare'],
  ['abc_class', 'abcClass'],
  ['previous_class', 'previousClass'],
  ['frequency', 'frequency'],
  ['recency', 'recency'],
  ['t', 'T'],
  ['monetary_value', 'monetaryValue'],
  ['total_value', 'totalValue'],
  ['since_last', 'sinceLast'],
  ['r_score', 'rScore'],
  ['f_score', 'fScore'],
  ['m_score', 'mScore'],
  ['rfm_segment', 'rfmSegment'],
  ['p_alive', 'pAlive'],
  ['expected_purchases', 'expectedPurchases'],
  ['expected_spend', 'expectedSpend'],
  ['clv', 'clv'],
  ['revenue_at_risk', 'revenueAtRisk'],
  ['churn_class', 'churnClass'],
  ['churn_reason', 'churnReason'],
  ['cohort', 'cohort'],
  ['details', 'details'],
] as const satisfies readonly (readonly [string, keyof CustomerResultRecord | null])[];

/** Money-like columns are numeric in the table: written rounded to 6 decimals. */
const numericColumns = new Set(['value', 'monetary_value', 'total_value', 'expected_spend', 'clv', 'revenue_at_risk']);

/** One CSV field (COPY … format csv): empty unquoted = NULL, text quoted with doubled quotes. */
export function csvField(value: unknown, numeric = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '';
    if (!Number.isFinite(value)) return numeric ? '' : value > 0 ? 'Infinity' : '-Infinity';
    return numeric ? String(Math.round(value * 1e6) / 1e6) : String(value);
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) || text === '' ? `"${text.replace(/"/g, '""')}"` : text;
}

/** COPY the per-customer results of a run, `chunkRows` rows per COPY (100k customers stream in a few chunks). */
export async function insertCustomerResults(
  database: Database,
  runId: number,
  records: readonly CustomerResultRecord[],
  options: { chunkRows?: number; onChunk?: (done: number, total: number) => void } = {},
): Promise<number> {
  const chunkRows = options.chunkRows ?? 20_000;
  const columns = resultColumns.map(([column]) => column);
  async function* chunks(): AsyncGenerator<string> {
    for (let start = 0; start < records.length; start += chunkRows) {
      const lines: string[] = [];
      const end = Math.min(start + chunkRows, records.length);
      for (let i = start; i < end; i++) {
        const record = records[i];
        if (!record) continue;
        lines.push(
          resultColumns
            .map(([column, key]) => {
              if (key === null) return String(runId);
              const value = record[key];
              if (column === 'cohort' && typeof value === 'string') return `${value}-01`;
              return csvField(value, numericColumns.has(column));
            })
            .join(','),
        );
      }
      yield `${lines.join('\n')}\n`;
      options.onChunk?.(end, records.length);
    }
  }
  if (records.length === 0) return 0;
  return database.copyCsv('analysis_customer_results', columns, chunks());
}

interface ResultRow {
  account_id: number;
  account_code: string;
  account_name: string;
  value: number | null;
  rank: number | null;
  share: number | null;
  cumulative_share: number | null;
  abc_class: AbcClass | null;
  previous_class: AbcClass | null;
  frequency: number | null;
  recency: number | null;
  t: number | null;
  monetary_value: number | null;
  total_value: number | null;
  since_last: number | null;
  r_score: number | null;
  f_score: number | null;
  m_score: number | null;
  rfm_segment: string | null;
  p_alive: number | null;
  expected_purchases: number | null;
  expected_spend: number | null;
  clv: number | null;
  revenue_at_risk: number | null;
  churn_class: ChurnClass | null;
  churn_reason: string | null;
  cohort: string | null;
  details: unknown;
  sort_key: number | string;
}

const SORT_NULL = -1e300;
const sortExpr = (sort: CustomerSort): RawBuilder<number | string> => {
  switch (sort) {
    case 'code':
      return sql<string>`a.code`;
    case 'rank':
      return sql<number>`coalesce(c.rank::float8, ${SORT_NULL}::float8)`;
    case 'value':
      return sql<number>`coalesce(c.value::float8, ${SORT_NULL}::float8)`;
    case 'clv':
      return sql<number>`coalesce(c.clv::float8, ${SORT_NULL}::float8)`;
    case 'p_alive':
      return sql<number>`coalesce(c.p_alive, ${SORT_NULL}::float8)`;
    case 'revenue_at_risk':
      return sql<number>`coalesce(c.revenue_at_risk::float8, ${SORT_NULL}::float8)`;
    case 'total_value':
      return sql<number>`coalesce(c.total_value::float8, ${SORT_NULL}::float8)`;
    case 'frequency':
      return sql<number>`coalesce(c.frequency::float8, ${SORT_NULL}::float8)`;
    case 'since_last':
      return sql<number>`coalesce(c.since_last, ${SORT_NULL}::float8)`;
  }
};

export const toCustomerResult = (row: ResultRow): CustomerResult => ({
  accountId: Number(row.account_id),
  accountCode: row.account_code,
  accountName: row.account_name,
  value: row.value,
  rank: row.rank,
  share: row.share,
  cumulativeShare: row.cumulative_share,
  abcClass: row.abc_class,
  previousClass: row.previous_class,
  frequency: row.frequency,
  recency: row.recency,
  T: row.t,
  monetaryValue: row.monetary_value,
  totalValue: row.total_value,
  sinceLast: row.since_last,
  rScore: row.r_score,
  fScore: row.f_score,
  mScore: row.m_score,
  rfmSegment: row.rfm_segment,
  pAlive: row.p_alive,
  expectedPurchases: row.expected_purchases,
  expectedSpend: row.expected_spend,
  clv: row.clv,
  revenueAtRisk: row.revenue_at_risk,
  churnClass: row.churn_class,
  churnReason: row.churn_reason,
  cohort: row.cohort,
  details: row.details === undefined ? null : typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
});

const resultSelect = sql`
  c.account_id, a.code as account_code, a.name_en as account_name,
  c.value::float8 as value, c.rank, c.share, c.cumulative_share, c.abc_class, c.previous_class,
  c.frequency, c.recency, c.t, c.monetary_value::float8 as monetary_value, c.total_value::float8 as total_value, c.since_last,
  c.r_score::int as r_score, c.f_score::int as f_score, c.m_score::int as m_score, c.rfm_segment,
  c.p_alive, c.expected_purchases, c.expected_spend::float8 as expected_spend, c.clv::float8 as clv,
  c.revenue_at_risk::float8 as revenue_at_risk, c.churn_class, c.churn_reason, to_char(c.cohort, 'YYYY-MM') as cohort, c.details`;

/** A page of a run's per-customer results (limit + 1 rows), keyset on (sort key, account id). */
export async function listCustomerResults(
  db: Kysely<DB>,
  runId: number,
  query: CustomerListQuery,
  after: CursorPayload | null,
): Promise<(CustomerResult & { sortKey: number | string })[]> {
  const key = sortExpr(query.sort);
  const direction = query.order === 'asc' ? sql`>` : sql`<`;
  const order = query.order === 'asc' ? sql`asc` : sql`desc`;
  const afterValue =
    after === null
      ? null
      : query.sort === 'code'
        ? String(after.v ?? '')
        : after.v === null
          ? SORT_NULL
          : Number(after.v);
  const result = await sql<ResultRow>`
    select ${resultSelect}, ${key} as sort_key
    from analysis_customer_results c
    join accounts a on a.id = c.account_id
    where c.run_id = ${runId}
      ${query.abcClass ? sql`and c.abc_class = ${query.abcClass}` : sql``}
      ${query.segment ? sql`and c.rfm_segment = ${query.segment}` : sql``}
      ${query.churnClass ? sql`and c.churn_class = ${query.churnClass}` : sql``}
      ${
        after === null
          ? sql``
          : query.sort === 'code'
            ? sql`and (a.code, c.account_id) ${direction} (${afterValue}::text, ${after.id}::bigint)`
            : sql`and (${key}, c.account_id) ${direction} (${afterValue}::float8, ${after.id}::bigint)`
      }
    order by ${key} ${order}, c.account_id ${order}
    limit ${query.limit + 1}
  `.execute(db);
  return result.rows.map((row) => ({ ...toCustomerResult(row), sortKey: row.sort_key }));
}

/** Every per-customer result of a run, by account code (file mode prints them all). */
export async function allCustomerResults(db: Kysely<DB>, runId: number): Promise<CustomerResult[]> {
  const result = await sql<ResultRow>`
    select ${resultSelect}, 0 as sort_key
    from analysis_customer_results c join accounts a on a.id = c.account_id
    where c.run_id = ${runId}
    order by a.code, c.account_id
  `.execute(db);
  return result.rows.map(toCustomerResult);
}

/** Whether the account exists (inside the record scopes' where-clauses on accounts.owner_id, when given). */
export async function accountExists(
  db: Kysely<DB>,
  id: number,
  scopes: readonly Expression<SqlBool>[] = [],
): Promise<boolean> {
  let builder = db.selectFrom('accounts').select('id').where('id', '=', id);
  for (const scope of scopes) builder = builder.where(scope);
  return (await builder.executeTakeFirst()) !== undefined;
}

/** The top-most ancestor of an account (itself when it has no parent). */
export async function groupRootOf(db: Kysely<DB>, id: number): Promise<number> {
  const result = await sql<{ id: number }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from accounts where id = ${id}
      union all
      select a.id, a.parent_id, up.depth + 1 from accounts a join up on a.id = up.parent_id where up.depth < 50
    )
    select id from up order by depth desc limit 1
  `.execute(db);
  return Number(result.rows[0]?.id ?? id);
}

/** For each kind, the latest completed run and this account's row in it (null row: not included in that run). */
export async function latestResultsForAccount(
  db: Kysely<DB>,
  accountId: number,
  groupId: number,
): Promise<{ kind: AnalysisKind; runId: number; asOf: string; row: CustomerResult | null }[]> {
  const result = await sql<ResultRow & { kind: AnalysisKind; run_id: number; as_of: string; present: boolean }>`
    with latest as (
      select distinct on (kind) id, kind, as_of from analysis_runs where status = 'completed' order by kind, id desc
    )
    select l.kind, l.id as run_id, l.as_of::text as as_of, c.account_id is not null as present, ${resultSelect}
    from latest l
    left join analysis_customer_results c
      on c.run_id = l.id and c.account_id = (case when l.kind = 'groups' then ${groupId}::bigint else ${accountId}::bigint end)
    left join accounts a on a.id = c.account_id
  `.execute(db);
  return result.rows.map((row) => ({
    kind: row.kind,
    runId: Number(row.run_id),
    asOf: row.as_of,
    row: row.present ? toCustomerResult(row) : null,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// File mode: load a transactions file into an (in-memory) database

/**
 * Loads customers (as accounts whose code is the customer id) and their transactions with COPY. Times without an
 * offset are read as local times in `timeZone` (PostgreSQL's own time zone input).
 */
export async function loadTransactions(
  database: Database,
  rows: readonly TransactionInput[],
  options: { timeZone: string; industry?: 'freight' | 'automotive' | 'retail'; chunkRows?: number },
): Promise<{ customers: number; transactions: number; lastDay: string | null }> {
  const chunkRows = options.chunkRows ?? 50_000;
  const codes = [...new Set(rows.map((row) => row.customerId))];
  const industry = options.industry ?? 'retail';
  async function* accountChunks(): AsyncGenerator<string> {
    for (let start = 0; start < codes.length; start += chunkRows) {
      yield `${codes
        .slice(start, start + chunkRows)
        .map((code) => `${csvField(code)},${csvField(code)},${industry}`)
        .join('\n')}\n`;
    }
  }
  const customers =
    codes.length === 0 ? 0 : await database.copyCsv('accounts', ['code', 'name_en', 'industry'], accountChunks());
  const ids = new Map<string, number>();
  const found = await database.db.selectFrom('accounts').select(['id', 'code']).execute();
  for (const account of found) ids.set(account.code, Number(account.id));
  const hasOffset = /(Z|[+-]\d{2}(:?\d{2})?)$/i;
  const prefix = `F${Date.now().toString(36)}-`;
  async function* transactionChunks(): AsyncGenerator<string> {
    for (let start = 0; start < rows.length; start += chunkRows) {
      const lines: string[] = [];
      const end = Math.min(start + chunkRows, rows.length);
      for (let i = start; i < end; i++) {
        const row = rows[i];
        if (!row) continue;
        const local = row.occurredAt.length === 10 ? `${row.occurredAt} 00:00:00` : row.occurredAt;
        const at = hasOffset.test(local) && local.length > 10 ? local : `${local} ${options.timeZone}`;
        lines.push(`${prefix}${i},${ids.get(row.customerId) ?? ''},${csvField(at)},${row.amount}`);
      }
      yield `${lines.join('\n')}\n`;
    }
  }
  const transactions =
    rows.length === 0
      ? 0
      : await database.copyCsv(
          'transactions',
          ['external_id', 'account_id', 'occurred_at', 'amount'],
          transactionChunks(),
        );
  const last = await sql<{ day: string | null }>`
    select (max(occurred_at) at time zone ${options.timeZone})::date::text as day from transactions
  `.execute(database.db);
  return { customers, transactions, lastDay: last.rows[0]?.day ?? null };
}
