import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { CursorPayload } from '../../shared/page.js';
import type { PlannedTask } from './cadence.rules.js';
import type { ComplianceRow, Task, TaskListQuery } from './task.schema.js';

/** SQL of cadence tasks: idempotent scheduling, "my tasks", completion and plan-vs-actual compliance. */

const toIso = (value: Date | string): string => new Date(value).toISOString();
const idOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));

const dayStart = (date: string, timeZone: string) => sql<Date>`(${date}::date::timestamp at time zone ${timeZone})`;
const nextDayStart = (date: string, timeZone: string) =>
  sql<Date>`((${date}::date + 1)::timestamp at time zone ${timeZone})`;

const CHUNK = 1000;

/** Inserts the planned tasks; a task already scheduled (same strategy, account, kind, purpose, day) is skipped. */
export async function insertTasks(
  db: Kysely<DB>,
  strategyId: number,
  version: number,
  tasks: readonly PlannedTask[],
): Promise<PlannedTask[]> {
  const inserted: PlannedTask[] = [];
  for (let start = 0; start < tasks.length; start += CHUNK) {
    const chunk = tasks.slice(start, start + CHUNK);
    const rows = await db
      .insertInto('strategy_tasks')
      .values(
        chunk.map((task) => ({
          strategy_id: strategyId,
          strategy_version: version,
          segment_id: task.segmentId,
          account_id: task.accountId,
          owner_id: task.ownerId,
          kind: task.kind,
          purpose: task.purpose,
          title: task.title,
          due_on: task.dueOn,
        })),
      )
      .onConflict((conflict) =>
        conflict.columns(['strategy_id', 'account_id', 'kind', 'purpose', 'due_on']).doNothing(),
      )
      .returning(['account_id', 'kind', 'purpose', sql<string>`due_on::text`.as('due_on')])
      .execute();
    const created = new Set(rows.map((row) => `${Number(row.account_id)}|${row.kind}|${row.purpose}|${row.due_on}`));
    for (const task of chunk) {
      const key = `${task.accountId}|${task.kind}|${task.purpose}|${task.dueOn}`;
      if (created.delete(key)) inserted.push(task);
    }
  }
  return inserted;
}

/** Accounts that already have an open remedial task of the strategy (they get no second one). */
export async function openRemedialAccounts(db: Kysely<DB>, strategyId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('strategy_tasks')
    .select('account_id')
    .where('strategy_id', '=', strategyId)
    .where('purpose', '=', 'remedial')
    .where('status', '=', 'open')
    .execute();
  return new Set(rows.map((row) => Number(row.account_id)));
}

export async function cancelOpenTasks(db: Kysely<DB>, strategyId: number): Promise<number> {
  const rows = await db
    .updateTable('strategy_tasks')
    .set({ status: 'cancelled' })
    .where('strategy_id', '=', strategyId)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return rows.length;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading tasks

function taskQuery(db: Kysely<DB>) {
  return db
    .selectFrom('strategy_tasks as t')
    .innerJoin('strategies as s', 's.id', 't.strategy_id')
    .innerJoin('accounts as a', 'a.id', 't.account_id')
    .leftJoin('segments as g', 'g.id', 't.segment_id')
    .leftJoin('users as u', 'u.id', 't.owner_id')
    .select([
      't.id',
      't.strategy_id',
      's.title as strategy_title',
      't.segment_id',
      'g.name as segment_name',
      't.account_id',
      'a.code as account_code',
      'a.name_en as account_name',
      't.owner_id',
      'u.display_name as owner_name',
      't.kind',
      't.purpose',
      't.title',
      sql<string>`t.due_on::text`.as('due_on'),
      't.status',
      't.completed_at',
      't.completed_by',
      't.outcome',
      't.interaction_id',
    ]);
}

type TaskRaw = Awaited<ReturnType<ReturnType<typeof taskQuery>['executeTakeFirstOrThrow']>>;

const toTask = (row: TaskRaw, today: string): Task => ({
  id: Number(row.id),
  strategyId: Number(row.strategy_id),
  strategyTitle: row.strategy_title,
  segmentId: idOrNull(row.segment_id),
  segmentName: row.segment_name,
  accountId: Number(row.account_id),
  accountCode: row.account_code,
  accountName: row.account_name,
  ownerId: idOrNull(row.owner_id),
  ownerName: row.owner_name,
  kind: row.kind,
  purpose: row.purpose,
  title: row.title,
  dueOn: row.due_on,
  status: row.status,
  overdue: row.status === 'open' && row.due_on < today,
  completedAt: row.completed_at ? toIso(row.completed_at) : null,
  completedBy: idOrNull(row.completed_by),
  outcome: row.outcome,
  interactionId: idOrNull(row.interaction_id),
});

export async function listTasks(
  db: Kysely<DB>,
  query: TaskListQuery,
  options: {
    scope: RawBuilder<SqlBool>;
    ownerId: number | null | undefined;
    after: CursorPayload | null;
    today: string;
  },
): Promise<Task[]> {
  let builder = taskQuery(db).where(options.scope);
  if (options.ownerId !== undefined) builder = builder.where('t.owner_id', '=', options.ownerId ?? -1);
  if (query.status) builder = builder.where('t.status', '=', query.status);
  if (query.strategyId) builder = builder.where('t.strategy_id', '=', query.strategyId);
  if (query.segmentId) builder = builder.where('t.segment_id', '=', query.segmentId);
  if (query.purpose) builder = builder.where('t.purpose', '=', query.purpose);
  if (query.dueFrom) builder = builder.where('t.due_on', '>=', query.dueFrom);
  if (query.dueTo) builder = builder.where('t.due_on', '<=', query.dueTo);
  if (options.after) {
    const after = options.after;
    builder = builder.where((eb) =>
      eb(eb.refTuple('t.due_on', 't.id'), '>', eb.tuple(sql<string>`${String(after.v)}::date`, after.id)),
    );
  }
  const rows = await builder
    .orderBy('t.due_on')
    .orderBy('t.id')
    .limit(query.limit + 1)
    .execute();
  return rows.map((row) => toTask(row, options.today));
}

export async function findTask(
  db: Kysely<DB>,
  id: number,
  scope: RawBuilder<SqlBool>,
  today: string,
): Promise<Task | null> {
  const row = await taskQuery(db).where('t.id', '=', id).where(scope).executeTakeFirst();
  return row ? toTask(row, today) : null;
}

export async function completeTask(
  db: Kysely<DB>,
  id: number,
  input: { completedBy: number | null; outcome: string | null; interactionId: number | null; at: Date },
): Promise<boolean> {
  const rows = await db
    .updateTable('strategy_tasks')
    .set({
      status: 'done',
      completed_at: input.at,
      completed_by: input.completedBy,
      outcome: input.outcome,
      interaction_id: input.interactionId,
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return rows.length === 1;
}

export async function insertInteraction(
  db: Kysely<DB>,
  input: {
    accountId: number;
    channel: 'phone' | 'email' | 'visit' | 'meeting';
    subject: string;
    notes: string | null;
    userId: number | null;
    at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('interactions')
    .values({
      account_id: input.accountId,
      channel: input.channel,
      direction: 'outbound',
      subject: input.subject,
      notes: input.notes,
      occurred_at: input.at,
      user_id: input.userId,
      created_at: input.at,
      updated_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

// ---------------------------------------------------------------------------------------------------------------
// Plan against actual

interface ComplianceRaw {
  segment_id: number | null;
  owner_id: number | null;
  by_segment: number;
  by_owner: number;
  planned: number;
  done: number;
  on_time: number;
  overdue: number;
}

/**
 * Tasks due in [from, to] per segment, per owner and in total (grouping sets), and the interactions the owners logged
 * with the accounts of those tasks in the period (counted once each).
 */
export async function complianceFigures(
  db: Kysely<DB>,
  input: { strategyId: number; from: string; to: string; today: string; timeZone: string; scope: RawBuilder<SqlBool> },
): Promise<{
  rows: Omit<ComplianceRow, 'compliance' | 'onTimeRate' | 'segmentName' | 'ownerName'>[];
  level: ('segment' | 'owner' | 'total')[];
}> {
  const { strategyId, from, to, today, timeZone, scope } = input;
  const tasks = await sql<ComplianceRaw>`
    select t.segment_id, t.owner_id, grouping(t.segment_id)::int as by_segment, grouping(t.owner_id)::int as by_owner,
      count(*) filter (where t.status <> 'cancelled')::int as planned,
      count(*) filter (where t.status = 'done')::int as done,
      count(*) filter (where t.status = 'done' and (t.completed_at at time zone ${timeZone})::date <= t.due_on)::int as on_time,
      count(*) filter (where t.status = 'open' and t.due_on < ${today}::date)::int as overdue
    from strategy_tasks t
    where t.strategy_id = ${strategyId}::bigint and t.due_on between ${from}::date and ${to}::date and ${scope}
    group by grouping sets ((t.segment_id), (t.owner_id), ())`.execute(db);
  const contacts = await sql<{
    segment_id: number | null;
    owner_id: number | null;
    by_segment: number;
    by_owner: number;
    n: number;
  }>`
    with pairs as (
      select distinct t.segment_id, t.account_id, t.owner_id from strategy_tasks t
      where t.strategy_id = ${strategyId}::bigint and t.due_on between ${from}::date and ${to}::date and ${scope}
    )
    select p.segment_id, p.owner_id, grouping(p.segment_id)::int as by_segment, grouping(p.owner_id)::int as by_owner,
      count(distinct i.id)::int as n
    from pairs p join interactions i on i.account_id = p.account_id and i.user_id = p.owner_id and i.archived_at is null
      and i.occurred_at >= ${dayStart(from, timeZone)} and i.occurred_at < ${nextDayStart(to, timeZone)}
    group by grouping sets ((p.segment_id), (p.owner_id), ())`.execute(db);
  const levelOf = (row: { by_segment: number; by_owner: number }): 'segment' | 'owner' | 'total' =>
    row.by_segment === 0 ? 'segment' : row.by_owner === 0 ? 'owner' : 'total';
  const keyOf = (level: string, segmentId: number | null, ownerId: number | null) =>
    `${level}|${level === 'segment' ? String(segmentId) : ''}|${level === 'owner' ? String(ownerId) : ''}`;
  const interactions = new Map(
    contacts.rows.map((row) => [keyOf(levelOf(row), idOrNull(row.segment_id), idOrNull(row.owner_id)), Number(row.n)]),
  );
  const level: ('segment' | 'owner' | 'total')[] = [];
  const rows = tasks.rows.map((row) => {
    const at = levelOf(row);
    level.push(at);
    const segmentId = at === 'segment' ? idOrNull(row.segment_id) : null;
    const ownerId = at === 'owner' ? idOrNull(row.owner_id) : null;
    return {
      segmentId,
      ownerId,
      planned: Number(row.planned),
      done: Number(row.done),
      onTime: Number(row.on_time),
      overdue: Number(row.overdue),
      interactions: interactions.get(keyOf(at, segmentId, ownerId)) ?? 0,
    };
  });
  return { rows, level };
}

export async function namesOf(
  db: Kysely<DB>,
  segmentIds: readonly number[],
  userIds: readonly number[],
): Promise<{ segments: Map<number, string>; users: Map<number, string> }> {
  const [segments, users] = await Promise.all([
    segmentIds.length === 0
      ? []
      : db
          .selectFrom('segments')
          .select(['id', 'name'])
          .where('id', 'in', [...segmentIds])
          .execute(),
    userIds.length === 0
      ? []
      : db
          .selectFrom('users')
          .select(['id', 'display_name'])
          .where('id', 'in', [...userIds])
          .execute(),
  ]);
  return {
    segments: new Map(segments.map((row) => [Number(row.id), row.name])),
    users: new Map(users.map((row) => [Number(row.id), row.display_name])),
  };
}
