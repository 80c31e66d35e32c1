import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/page.js';
import { recordAudit } from '../audit/index.js';
import { creatorScopeWhere, requireScope, type Actor } from '../auth/index.js';
import { localDate, todayOf, DEFAULT_TIME_ZONE } from '../segments/index.js';
import { complianceRates, interactionChannel } from './cadence.rules.js';
import { findStrategy } from './strategy.repository.js';
import type { Compliance, ComplianceQuery, ComplianceRow, CompleteTask, Task, TaskListQuery } from './task.schema.js';
import { complianceFigures, completeTask, findTask, insertInteraction, listTasks, namesOf } from './task.repository.js';

/**
 * Use cases of cadence tasks: "my tasks", completing a task (logged as an interaction with the account), and
 * plan-vs-actual compliance per segment and owner. Tasks are engagement records: a task belongs to its owner, and
 * the engagement scope (own / team / all) decides whose tasks a user sees.
 */
export interface TaskService {
  list(actor: Actor, query: TaskListQuery): Promise<Page<Task>>;
  get(actor: Actor, id: number): Promise<Task>;
  complete(actor: Actor, id: number, input: CompleteTask): Promise<Task>;
  compliance(actor: Actor, query: ComplianceQuery): Promise<Compliance>;
}

export interface TaskDeps {
  db: Kysely<DB>;
  clock: Clock;
  timeZone?: string;
}

const CURSOR_INVALID = new AppError(
  'validation_failed',
  'Invalid query parameter cursor: not a cursor this API returned',
  {
    parameter: 'cursor',
  },
);

export function createTaskService({ db, clock, timeZone = DEFAULT_TIME_ZONE }: TaskDeps): TaskService {
  const today = () => todayOf(clock, timeZone);
  const scope = (actor: Actor, action: 'read' | 'update') =>
    creatorScopeWhere(actor, 'engagement', action, 't.owner_id');

  async function visible(actor: Actor, id: number, action: 'read' | 'update'): Promise<Task> {
    const task = await findTask(db, id, scope(actor, action), today());
    if (!task) throw new AppError('not_found', `Task ${id} does not exist.`);
    return task;
  }

  return {
    async list(actor, query) {
      requireScope(actor, 'engagement', 'read');
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !after) throw CURSOR_INVALID;
      const ownerId = query.mine ? actor.userId : query.ownerId;
      const rows = await listTasks(db, query, { scope: scope(actor, 'read'), ownerId, after, today: today() });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor: rows.length > query.limit && last ? encodeCursor({ v: last.dueOn, id: last.id }) : null,
      };
    },

    async get(actor, id) {
      requireScope(actor, 'engagement', 'read');
      return visible(actor, id, 'read');
    },

    async complete(actor, id, input) {
      requireScope(actor, 'engagement', 'update');
      const task = await visible(actor, id, 'update');
      if (task.status !== 'open') throw new AppError('conflict', `Task ${id} is already ${task.status}.`);
      const at = clock.now();
      await db.transaction().execute(async (trx) => {
        const interactionId = input.logInteraction
          ? await insertInteraction(trx, {
              accountId: task.accountId,
              channel: interactionChannel[task.kind],
              subject: task.title.slice(0, 300),
              notes: input.outcome ?? null,
              userId: actor.userId,
              at,
            })
          : null;
        if (
          !(await completeTask(trx, id, {
            completedBy: actor.userId,
            outcome: input.outcome ?? null,
            interactionId,
            at,
          }))
        ) {
          throw new AppError('conflict', `Task ${id} was completed by someone else.`);
        }
        await recordAudit(trx, clock, {
          actor,
          action: 'complete',
          resource: 'tasks',
          recordIds: [id],
          details: {
            strategyId: task.strategyId,
            kind: task.kind,
            purpose: task.purpose,
            interactionLogged: interactionId !== null,
          },
        });
      });
      return visible(actor, id, 'update');
    },

    async compliance(actor, query) {
      requireScope(actor, 'engagement', 'read');
      const strategy = await findStrategy(db, query.strategyId);
      if (!strategy) throw new AppError('not_found', `Strategy ${query.strategyId} does not exist.`);
      const started = strategy.approvedAt
        ? localDate(new Date(strategy.approvedAt), timeZone)
        : localDate(new Date(strategy.createdAt), timeZone);
      const startsOn = strategy.document.context.startsOn;
      const from = query.from ?? (startsOn !== null && startsOn > started ? startsOn : started);
      const to = query.to ?? today();
      if (from > to) {
        throw new AppError('validation_failed', 'Invalid query parameter from: the period starts after it ends', {
          parameter: 'from',
        });
      }
      const { rows, level } = await complianceFigures(db, {
        strategyId: strategy.id,
        from,
        to,
        today: today(),
        timeZone,
        scope: scope(actor, 'read'),
      });
      const names = await namesOf(
        db,
        rows.flatMap((row) => (row.segmentId === null ? [] : [row.segmentId])),
        rows.flatMap((row) => (row.ownerId === null ? [] : [row.ownerId])),
      );
      const complete = (row: (typeof rows)[number]): ComplianceRow => ({
        ...row,
        segmentName: row.segmentId === null ? null : (names.segments.get(row.segmentId) ?? null),
        ownerName: row.ownerId === null ? null : (names.users.get(row.ownerId) ?? null),
        ...complianceRates(row.planned, row.done, row.onTime),
      });
      const empty: ComplianceRow = {
        segmentId: null,
        segmentName: null,
        ownerId: null,
        ownerName: null,
        planned: 0,
        done: 0,
        onTime: 0,
        overdue: 0,
        interactions: 0,
        ...complianceRates(0, 0, 0),
      };
      const pick = (wanted: 'segment' | 'owner' | 'total') =>
        rows.filter((_, index) => level[index] === wanted).map(complete);
      const byName = (a: ComplianceRow, b: ComplianceRow) =>
        (a.segmentName ?? a.ownerName ?? '~').localeCompare(b.segmentName ?? b.ownerName ?? '~');
      return {
        strategyId: strategy.id,
        from,
        to,
        bySegment: pick('segment').sort(byName),
        byOwner: pick('owner').sort(byName),
        total: pick('total')[0] ?? empty,
      };
    },
  };
}
