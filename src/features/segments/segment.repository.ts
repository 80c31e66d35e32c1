import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { twelveMonthsTo } from './calendar.rules.js';
import type { CustomDefinition } from './segment.rules.js';
import { memberWhere, type AnalysisRunKind, type CompileContext, type MemberEB, type RunIds } from './segment.query.js';
import type {
  SegmentIndustry,
  SegmentListQuery,
  SegmentMember,
  SegmentRule,
  SegmentSnapshot,
} from './segment.schema.js';

/** SQL of the segments feature. Rules reach SQL only through compileRule (segment.query.ts): parameterised. */

const toIso = (value: Date | string): string => new Date(value).toISOString();
const toNumber = (value: string | number | null): number | null => (value === null ? null : Number(value));
const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

const dayStart = (date: string, timeZone: string) => sql<Date>`(${date}::date::timestamp at time zone ${timeZone})`;
const nextDayStart = (date: string, timeZone: string) =>
  sql<Date>`((${date}::date + 1)::timestamp at time zone ${timeZone})`;

// ---------------------------------------------------------------------------------------------------------------
// Context: latest runs and custom field definitions

export const analysisRunKinds: readonly AnalysisRunKind[] = ['abc', 'rfm', 'clv', 'churn'];

export async function latestRuns(
  db: Kysely<DB>,
): Promise<Record<AnalysisRunKind, { runId: number; asOf: string } | null>> {
  const rows = await db
    .selectFrom('analysis_runs')
    .select(['kind', sql<number>`max(id)`.as('id')])
    .where('status', '=', 'completed')
    .where('kind', 'in', [...analysisRunKinds])
    .groupBy('kind')
    .execute();
  const ids = rows.map((row) => Number(row.id));
  const asOf =
    ids.length === 0
      ? []
      : await db
          .selectFrom('analysis_runs')
          .select(['id', sql<string>`as_of::text`.as('as_of')])
          .where('id', 'in', ids)
          .execute();
  const asOfById = new Map(asOf.map((row) => [Number(row.id), row.as_of]));
  const result: Record<AnalysisRunKind, { runId: number; asOf: string } | null> = {
    abc: null,
    rfm: null,
    clv: null,
    churn: null,
  };
  for (const row of rows) {
    const id = Number(row.id);
    result[row.kind as AnalysisRunKind] = { runId: id, asOf: asOfById.get(id) ?? '' };
  }
  return result;
}

/** The newest completed run id of the kinds segments read (snapshots catch up with it). */
export async function newestRelevantRunId(db: Kysely<DB>): Promise<number | null> {
  const row = await db
    .selectFrom('analysis_runs')
    .select(sql<number | null>`max(id)`.as('id'))
    .where('status', '=', 'completed')
    .where('kind', 'in', [...analysisRunKinds, 'groups'])
    .executeTakeFirst();
  return row?.id === null || row?.id === undefined ? null : Number(row.id);
}

export async function customDefinitions(
  db: Kysely<DB>,
): Promise<(CustomDefinition & { labelEn: string; labelZh: string | null })[]> {
  const rows = await db
    .selectFrom('custom_field_definitions')
    .select(['key', 'type', 'choices', 'label_en', 'label_zh'])
    .where('entity', '=', 'accounts')
    .orderBy('key')
    .execute();
  return rows.map((row) => ({
    key: row.key,
    type: row.type,
    choices: row.choices,
    labelEn: row.label_en,
    labelZh: row.label_zh,
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Segments

export interface SegmentRow {
  id: number;
  name: string;
  description: string | null;
  industry: SegmentIndustry | null;
  templateKey: string | null;
  rule: SegmentRule;
  version: number;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

const segmentColumns = [
  'id',
  'name',
  'description',
  'industry',
  'template_key',
  'rule',
  'version',
  'created_by',
  'created_at',
  'updated_at',
  'archived_at',
] as const;

interface RawSegment {
  id: number;
  name: string;
  description: string | null;
  industry: SegmentIndustry | null;
  template_key: string | null;
  rule: unknown;
  version: number;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

const toSegmentRow = (row: RawSegment): SegmentRow => ({
  id: Number(row.id),
  name: row.name,
  description: row.description,
  industry: row.industry,
  templateKey: row.template_key,
  rule: parseJson<SegmentRule>(row.rule),
  version: row.version,
  createdBy: row.created_by === null ? null : Number(row.created_by),
  createdAt: toIso(row.created_at),
  updatedAt: toIso(row.updated_at),
  archivedAt: row.archived_at ? toIso(row.archived_at) : null,
});

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export async function listSegments(db: Kysely<DB>, query: SegmentListQuery): Promise<SegmentRow[]> {
  let builder = db
    .selectFrom('segments')
    .select([...segmentColumns])
    .where('archived_at', 'is', null);
  if (query.industry)
    builder = builder.where((eb) => eb.or([eb('industry', '=', query.industry ?? null), eb('industry', 'is', null)]));
  if (query.q) builder = builder.where('name', 'ilike', `%${escapeLike(query.q)}%`);
  const rows = await builder.orderBy('name').orderBy('id').execute();
  return rows.map((row) => toSegmentRow(row));
}

export async function findSegment(db: Kysely<DB>, id: number): Promise<SegmentRow | null> {
  const row = await db
    .selectFrom('segments')
    .select([...segmentColumns])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toSegmentRow(row) : null;
}

export async function findSegmentsByIds(db: Kysely<DB>, ids: readonly number[]): Promise<SegmentRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('segments')
    .select([...segmentColumns])
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((row) => toSegmentRow(row));
}

export async function liveSegmentIds(db: Kysely<DB>): Promise<number[]> {
  const rows = await db.selectFrom('segments').select('id').where('archived_at', 'is', null).orderBy('id').execute();
  return rows.map((row) => Number(row.id));
}

export async function installedTemplateKeys(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db
    .selectFrom('segments')
    .select('template_key')
    .where('archived_at', 'is', null)
    .where('template_key', 'is not', null)
    .execute();
  return new Set(rows.flatMap((row) => (row.template_key ? [row.template_key] : [])));
}

export async function nameTaken(db: Kysely<DB>, name: string, exceptId: number | null): Promise<boolean> {
  let builder = db
    .selectFrom('segments')
    .select('id')
    .where('archived_at', 'is', null)
    .where(sql<SqlBool>`lower(name) = lower(${name})`);
  if (exceptId !== null) builder = builder.where('id', '<>', exceptId);
  return (await builder.executeTakeFirst()) !== undefined;
}

export interface SegmentWrite {
  name: string;
  description: string | null;
  industry: SegmentIndustry | null;
  templateKey: string | null;
  rule: SegmentRule;
  createdBy: number | null;
  at: Date;
}

export async function insertSegment(db: Kysely<DB>, input: SegmentWrite): Promise<number> {
  const row = await db
    .insertInto('segments')
    .values({
      name: input.name,
      description: input.description,
      industry: input.industry,
      template_key: input.templateKey,
      rule: JSON.stringify(input.rule),
      created_by: input.createdBy,
      created_at: input.at,
      updated_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Updates when the version matches; returns the new version, or null when stale (or gone). */
export async function updateSegment(
  db: Kysely<DB>,
  id: number,
  version: number,
  changes: Partial<Pick<SegmentWrite, 'name' | 'description' | 'industry' | 'rule'>>,
  at: Date,
): Promise<number | null> {
  const row = await db
    .updateTable('segments')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      ...(changes.industry === undefined ? {} : { industry: changes.industry }),
      ...(changes.rule === undefined ? {} : { rule: JSON.stringify(changes.rule) }),
      version: sql<number>`version + 1`,
      updated_at: at,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('archived_at', 'is', null)
    .returning('version')
    .executeTakeFirst();
  return row ? row.version : null;
}

export async function archiveSegment(db: Kysely<DB>, id: number, version: number, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('segments')
    .set({ archived_at: at, updated_at: at, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Members

export type ScopeWhere = RawBuilder<SqlBool>;

const members = (db: Kysely<DB>, rule: SegmentRule, context: CompileContext, scope: ScopeWhere) =>
  db
    .selectFrom('accounts as a')
    .where((eb) => memberWhere(eb as unknown as MemberEB, rule, context))
    .where(scope);

export async function countMembers(
  db: Kysely<DB>,
  rule: SegmentRule,
  context: CompileContext,
  scope: ScopeWhere,
): Promise<number> {
  const row = await members(db, rule, context, scope)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const runOrNone = (runIds: RunIds, kind: AnalysisRunKind): number => runIds[kind] ?? -1;

interface MemberRaw {
  id: number;
  code: string;
  name_en: string;
  name_zh: string | null;
  industry: SegmentMember['industry'];
  owner_id: number | null;
  owner_name: string | null;
  abc_class: string | null;
  rfm_segment: string | null;
  clv: string | number | null;
  p_alive: number | null;
  churn_class: string | null;
}

const toMember = (row: MemberRaw): SegmentMember => ({
  accountId: Number(row.id),
  code: row.code,
  nameEn: row.name_en,
  nameZh: row.name_zh,
  industry: row.industry,
  ownerId: row.owner_id === null ? null : Number(row.owner_id),
  ownerName: row.owner_name,
  abcClass: (row.abc_class as SegmentMember['abcClass']) ?? null,
  rfmSegment: row.rfm_segment,
  clv: toNumber(row.clv),
  pAlive: row.p_alive,
  churnClass: (row.churn_class as SegmentMember['churnClass']) ?? null,
});

/** Member rows with their latest analysis figures; `where` narrows the accounts (a rule, a snapshot, …). */
function memberRows(db: Kysely<DB>, runIds: RunIds) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('users as u', 'u.id', 'a.owner_id')
    .leftJoin('analysis_customer_results as ra', (join) =>
      join.on('ra.run_id', '=', runOrNone(runIds, 'abc')).onRef('ra.account_id', '=', 'a.id'),
    )
    .leftJoin('analysis_customer_results as rr', (join) =>
      join.on('rr.run_id', '=', runOrNone(runIds, 'rfm')).onRef('rr.account_id', '=', 'a.id'),
    )
    .leftJoin('analysis_customer_results as rc', (join) =>
      join.on('rc.run_id', '=', runOrNone(runIds, 'clv')).onRef('rc.account_id', '=', 'a.id'),
    )
    .leftJoin('analysis_customer_results as rh', (join) =>
      join.on('rh.run_id', '=', runOrNone(runIds, 'churn')).onRef('rh.account_id', '=', 'a.id'),
    )
    .select([
      'a.id',
      'a.code',
      'a.name_en',
      'a.name_zh',
      'a.industry',
      'a.owner_id',
      'u.display_name as owner_name',
      sql<string | null>`ra.abc_class::text`.as('abc_class'),
      'rr.rfm_segment',
      'rc.clv',
      'rc.p_alive',
      'rh.churn_class',
    ]);
}

export async function listMembers(
  db: Kysely<DB>,
  rule: SegmentRule,
  context: CompileContext,
  scope: ScopeWhere,
  page: { limit: number; afterId: number | null },
): Promise<SegmentMember[]> {
  let builder = memberRows(db, context.runIds)
    .where((eb) => memberWhere(eb as unknown as MemberEB, rule, context))
    .where(scope);
  if (page.afterId !== null) builder = builder.where('a.id', '>', page.afterId);
  const rows = await builder.orderBy('a.id').limit(page.limit).execute();
  return rows.map((row) => toMember(row as MemberRaw));
}

/** What planning needs of every member (all members: strategies plan for the whole segment). */
export interface MemberFacts {
  accountId: number;
  ownerId: number | null;
  abcClass: 'A' | 'B' | 'C' | null;
  clv: number | null;
  pAlive: number | null;
  churnClass: 'active' | 'declining' | 'at_risk' | 'lost' | null;
  churnReason: string | null;
  revenue12m: number;
}

export async function memberFacts(db: Kysely<DB>, rule: SegmentRule, context: CompileContext): Promise<MemberFacts[]> {
  const { from, to } = twelveMonthsTo(context.asOf);
  const rows = await db
    .selectFrom('accounts as a')
    .leftJoin('analysis_customer_results as ra', (join) =>
      join.on('ra.run_id', '=', runOrNone(context.runIds, 'abc')).onRef('ra.account_id', '=', 'a.id'),
    )
    .leftJoin('analysis_customer_results as rc', (join) =>
      join.on('rc.run_id', '=', runOrNone(context.runIds, 'clv')).onRef('rc.account_id', '=', 'a.id'),
    )
    .leftJoin('analysis_customer_results as rh', (join) =>
      join.on('rh.run_id', '=', runOrNone(context.runIds, 'churn')).onRef('rh.account_id', '=', 'a.id'),
    )
    .where((eb) => memberWhere(eb as unknown as MemberEB, rule, context))
    .select([
      'a.id',
      'a.owner_id',
      sql<string | null>`ra.abc_class::text`.as('abc_class'),
      'rc.clv',
      'rc.p_alive',
      'rh.churn_class',
      'rh.churn_reason',
      sql<string>`(select coalesce(sum(t.amount), 0) from transactions t where t.account_id = a.id
        and t.occurred_at >= ${dayStart(from, context.timeZone)} and t.occurred_at < ${nextDayStart(to, context.timeZone)})::text`.as(
        'revenue_12m',
      ),
    ])
    .orderBy('a.id')
    .execute();
  return rows.map((row) => ({
    accountId: Number(row.id),
    ownerId: row.owner_id === null ? null : Number(row.owner_id),
    abcClass: (row.abc_class as MemberFacts['abcClass']) ?? null,
    clv: toNumber(row.clv),
    pAlive: row.p_alive,
    churnClass: row.churn_class,
    churnReason: row.churn_reason,
    revenue12m: Number(row.revenue_12m),
  }));
}

/** Purchases of the members (null rule: every account) over calendar days [from, to]: buyers, value and volume. */
export async function periodTotals(
  db: Kysely<DB>,
  rule: SegmentRule | null,
  context: CompileContext,
  period: { from: string; to: string; unit: string | null },
): Promise<{ customers: number; value: number; volume: number }> {
  const { timeZone } = context;
  let builder = db
    .selectFrom('transactions as t')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .where('t.occurred_at', '>=', dayStart(period.from, timeZone))
    .where('t.occurred_at', '<', nextDayStart(period.to, timeZone));
  if (rule) builder = builder.where((eb) => memberWhere(eb as unknown as MemberEB, rule, context));
  const row = await builder
    .select([
      sql<number>`count(distinct t.account_id)::int`.as('customers'),
      sql<string>`coalesce(sum(t.amount), 0)::text`.as('value'),
      (period.unit === null
        ? sql<string>`count(*)::text`
        : sql<string>`coalesce(sum(t.quantity) filter (where t.unit = ${period.unit}::text), 0)::text`
      ).as('volume'),
    ])
    .executeTakeFirstOrThrow();
  return { customers: Number(row.customers), value: Number(row.value), volume: Number(row.volume) };
}

// ---------------------------------------------------------------------------------------------------------------
// Snapshots

interface SnapshotRaw {
  id: number;
  segment_id: number;
  taken_at: Date;
  trigger: SegmentSnapshot['trigger'];
  analysis_run_id: number | null;
  run_ids: unknown;
  as_of: string;
  member_count: number;
  entered_count: number;
  left_count: number;
  total_clv: string | null;
  revenue_12m: string;
}

const snapshotColumns = [
  'id',
  'segment_id',
  'taken_at',
  'trigger',
  'analysis_run_id',
  'run_ids',
  sql<string>`as_of::text`.as('as_of'),
  'member_count',
  'entered_count',
  'left_count',
  'total_clv',
  'revenue_12m',
] as const;

const toSnapshot = (row: SnapshotRaw): SegmentSnapshot => ({
  id: Number(row.id),
  segmentId: Number(row.segment_id),
  takenAt: toIso(row.taken_at),
  trigger: row.trigger,
  analysisRunId: row.analysis_run_id === null ? null : Number(row.analysis_run_id),
  runIds: parseJson<Record<string, number | null>>(row.run_ids),
  asOf: row.as_of,
  memberCount: row.member_count,
  entered: row.entered_count,
  left: row.left_count,
  totalClv: toNumber(row.total_clv),
  revenue12m: Number(row.revenue_12m),
});

export interface SnapshotInput {
  segmentId: number;
  rule: SegmentRule;
  context: CompileContext;
  trigger: SegmentSnapshot['trigger'];
  analysisRunId: number | null;
  takenAt: Date;
}

/**
 * Takes a snapshot in one transaction: the members (insert … select with the compiled rule), then the counts of who
 * entered and left against the segment's previous snapshot, Σ CLV and Σ revenue over the last 12 months.
 */
export async function insertSnapshot(db: Kysely<DB>, input: SnapshotInput): Promise<SegmentSnapshot> {
  const { context } = input;
  return db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('segment_snapshots')
      .select('id')
      .where('segment_id', '=', input.segmentId)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const previousId = previous ? Number(previous.id) : null;
    const inserted = await trx
      .insertInto('segment_snapshots')
      .values({
        segment_id: input.segmentId,
        taken_at: input.takenAt,
        trigger: input.trigger,
        analysis_run_id: input.analysisRunId,
        run_ids: JSON.stringify(context.runIds),
        as_of: context.asOf,
        member_count: 0,
        entered_count: 0,
        left_count: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const snapshotId = Number(inserted.id);
    await trx
      .insertInto('segment_snapshot_members')
      .columns(['snapshot_id', 'account_id'])
      .expression(
        trx
          .selectFrom('accounts as a')
          .select([sql<number>`${snapshotId}::bigint`.as('snapshot_id'), 'a.id'])
          .where((eb) => memberWhere(eb as unknown as MemberEB, input.rule, context)),
      )
      .execute();
    const { from, to } = twelveMonthsTo(context.asOf);
    const clvRun = context.runIds.clv;
    await sql`
      update segment_snapshots s set
        member_count = (select count(*) from segment_snapshot_members m where m.snapshot_id = s.id),
        entered_count = (select count(*) from segment_snapshot_members m where m.snapshot_id = s.id
          and not exists (select 1 from segment_snapshot_members p where p.snapshot_id = ${previousId ?? -1}::bigint and p.account_id = m.account_id)),
        left_count = (select count(*) from segment_snapshot_members p where p.snapshot_id = ${previousId ?? -1}::bigint
          and not exists (select 1 from segment_snapshot_members m where m.snapshot_id = s.id and m.account_id = p.account_id)),
        total_clv = ${
          clvRun === null
            ? sql`null`
            : sql`(select coalesce(sum(r.clv), 0) from segment_snapshot_members m join analysis_customer_results r
                on r.run_id = ${clvRun}::bigint and r.account_id = m.account_id where m.snapshot_id = s.id)`
        },
        revenue_12m = (select coalesce(sum(t.amount), 0) from segment_snapshot_members m join transactions t on t.account_id = m.account_id
          where m.snapshot_id = s.id and t.occurred_at >= ${dayStart(from, context.timeZone)} and t.occurred_at < ${nextDayStart(to, context.timeZone)})
      where s.id = ${snapshotId}::bigint
    `.execute(trx);
    const row = await trx
      .selectFrom('segment_snapshots')
      .select([...snapshotColumns])
      .where('id', '=', snapshotId)
      .executeTakeFirstOrThrow();
    return toSnapshot(row);
  });
}

export async function listSnapshots(db: Kysely<DB>, segmentId: number, limit = 500): Promise<SegmentSnapshot[]> {
  const rows = await db
    .selectFrom('segment_snapshots')
    .select([...snapshotColumns])
    .where('segment_id', '=', segmentId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => toSnapshot(row));
}

export async function lastSnapshots(
  db: Kysely<DB>,
  segmentIds: readonly number[],
): Promise<Map<number, SegmentSnapshot>> {
  if (segmentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('segment_snapshots')
    .select([...snapshotColumns])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('segment_snapshots')
        .select(sql<number>`max(id)`.as('id'))
        .where('segment_id', 'in', [...segmentIds])
        .groupBy('segment_id'),
    )
    .execute();
  return new Map(rows.map((row) => [Number(row.segment_id), toSnapshot(row)]));
}

export async function newestSnapshotRunId(db: Kysely<DB>): Promise<number | null> {
  const row = await db
    .selectFrom('segment_snapshots')
    .select(sql<number | null>`max(analysis_run_id)`.as('id'))
    .executeTakeFirst();
  return row?.id === null || row?.id === undefined ? null : Number(row.id);
}

export async function findSnapshot(
  db: Kysely<DB>,
  segmentId: number,
  snapshotId: number,
): Promise<SegmentSnapshot | null> {
  const row = await db
    .selectFrom('segment_snapshots')
    .select([...snapshotColumns])
    .where('id', '=', snapshotId)
    .where('segment_id', '=', segmentId)
    .executeTakeFirst();
  return row ? toSnapshot(row) : null;
}

export async function previousSnapshotId(
  db: Kysely<DB>,
  segmentId: number,
  snapshotId: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('segment_snapshots')
    .select('id')
    .where('segment_id', '=', segmentId)
    .where('id', '<', snapshotId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

/** Members of snapshot `inId` that are not in snapshot `notInId` (entered: new vs previous; left: previous vs new). */
export async function snapshotDifference(
  db: Kysely<DB>,
  inId: number,
  notInId: number | null,
  runIds: RunIds,
  scope: ScopeWhere,
  limit: number,
): Promise<SegmentMember[]> {
  const rows = await memberRows(db, runIds)
    .where('a.id', 'in', (eb) =>
      eb.selectFrom('segment_snapshot_members as m').select('m.account_id').where('m.snapshot_id', '=', inId),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('segment_snapshot_members as p')
            .select('p.account_id')
            .where('p.snapshot_id', '=', notInId ?? -1)
            .whereRef('p.account_id', '=', 'a.id'),
        ),
      ),
    )
    .where(scope)
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return rows.map((row) => toMember(row as MemberRaw));
}
