import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/page.js';
import { recordAudit } from '../audit/index.js';
import { accountScopeWhere, requireScope, systemActor, type Actor } from '../auth/index.js';
import { DEFAULT_TIME_ZONE, todayOf } from './calendar.rules.js';
import {
  analysisRunKinds,
  archiveSegment,
  countMembers,
  customDefinitions,
  findSegment,
  findSegmentsByIds,
  findSnapshot,
  insertSegment,
  insertSnapshot,
  installedTemplateKeys,
  lastSnapshots,
  latestRuns,
  listMembers,
  listSegments,
  listSnapshots,
  liveSegmentIds,
  memberFacts,
  nameTaken,
  newestRelevantRunId,
  periodTotals,
  newestSnapshotRunId,
  previousSnapshotId,
  snapshotDifference,
  updateSegment,
  type MemberFacts,
  type SegmentRow,
} from './segment.repository.js';
import type { CompileContext, RunIds } from './segment.query.js';
import {
  catalogueList,
  customIssues,
  customOperators,
  formatIssuePath,
  templatesFor,
  type CustomDefinition,
} from './segment.rules.js';
import type {
  FieldCatalogue,
  MemberListQuery,
  Preview,
  PreviewRequest,
  Segment,
  SegmentCreate,
  SegmentIndustry,
  SegmentListQuery,
  SegmentMember,
  SegmentRule,
  SegmentSnapshot,
  SegmentTemplate,
  SegmentUpdate,
  SnapshotChanges,
} from './segment.schema.js';

/**
 * Use cases of segments: define (validated, audited, optimistic concurrency), count and list members within the
 * actor's record scope, preview a rule, snapshot membership (after analysis runs and on demand) and read its history.
 */
export interface SegmentService {
  fields(actor: Actor): Promise<FieldCatalogue>;
  templates(actor: Actor, industry?: SegmentIndustry): Promise<SegmentTemplate[]>;
  list(actor: Actor, query: SegmentListQuery): Promise<Segment[]>;
  /** allMembers: count every member, not only those in the actor's scope (planning figures of strategies). */
  get(actor: Actor, id: number, options?: { allMembers?: boolean }): Promise<Segment>;
  create(actor: Actor, input: SegmentCreate): Promise<Segment>;
  update(actor: Actor, id: number, input: SegmentUpdate): Promise<Segment>;
  remove(actor: Actor, id: number, version: number): Promise<void>;
  preview(actor: Actor, request: PreviewRequest): Promise<Preview>;
  members(actor: Actor, id: number, query: MemberListQuery): Promise<Page<SegmentMember>>;
  snapshot(actor: Actor, id: number, trigger?: SegmentSnapshot['trigger']): Promise<SegmentSnapshot>;
  /** Snapshots every live segment (trigger analysis_run after a run; manual on demand). */
  snapshotAll(
    actor: Actor,
    options?: { trigger?: SegmentSnapshot['trigger']; analysisRunId?: number | null },
  ): Promise<SegmentSnapshot[]>;
  /** Takes the snapshots of analysis runs that completed without one (e.g. runs from the CLI). */
  catchUpSnapshots(): Promise<SegmentSnapshot[]>;
  history(actor: Actor, id: number): Promise<SegmentSnapshot[]>;
  changes(actor: Actor, id: number, snapshotId: number, limit?: number): Promise<SnapshotChanges>;
  installDefaults(actor: Actor, industry: SegmentIndustry): Promise<{ created: Segment[]; existing: string[] }>;
  /** For planning (strategies): every member's owner, class, CLV, P(alive), churn class, revenue — all members. */
  planningFacts(
    actor: Actor,
    id: number,
  ): Promise<{ segment: Segment; members: MemberFacts[]; runIds: RunIds; asOf: string }>;
  /** Purchases of a segment's members (null: every customer) over a period: buyers, value, volume in a unit. */
  periodTotals(
    actor: Actor,
    id: number | null,
    period: { from: string; to: string; unit: string | null },
  ): Promise<{ customers: number; value: number; volume: number }>;
  /** The latest completed analysis runs segments read. */
  latestRuns(): Promise<Record<'abc' | 'rfm' | 'clv' | 'churn', { runId: number; asOf: string } | null>>;
}

export interface SegmentDeps {
  db: Kysely<DB>;
  clock: Clock;
  timeZone?: string;
}

const validation = (parameter: string, message: string): AppError =>
  new AppError('validation_failed', `Invalid body field ${parameter}: ${message}`, { location: 'body', parameter });

const MEMBER_CURSOR_INVALID = new AppError(
  'validation_failed',
  'Invalid query parameter cursor: not a cursor this API returned',
  {
    parameter: 'cursor',
  },
);

export function createSegmentService({ db, clock, timeZone = DEFAULT_TIME_ZONE }: SegmentDeps): SegmentService {
  const memberScope = (actor: Actor) => accountScopeWhere(actor, 'read', { ownerColumn: 'a.owner_id' });

  async function context(): Promise<CompileContext & { runs: Awaited<ReturnType<typeof latestRuns>> }> {
    const [runs, definitions] = await Promise.all([latestRuns(db), customDefinitions(db)]);
    const runIds = Object.fromEntries(analysisRunKinds.map((kind) => [kind, runs[kind]?.runId ?? null])) as RunIds;
    return {
      asOf: todayOf(clock, timeZone),
      timeZone,
      runIds,
      customFields: new Map<string, CustomDefinition>(definitions.map((d) => [d.key, d])),
      runs,
    };
  }

  /** Custom-field conditions against the definitions: 400 naming the condition. */
  function checkCustom(rule: SegmentRule, ctx: CompileContext, prefix = 'rule'): void {
    const issue = customIssues(rule, ctx.customFields)[0];
    if (issue) throw validation(formatIssuePath(prefix, issue.path), issue.message);
  }

  async function found(id: number): Promise<SegmentRow> {
    const row = await findSegment(db, id);
    if (!row) throw new AppError('not_found', `Segment ${id} does not exist.`);
    return row;
  }

  async function present(actor: Actor, rows: SegmentRow[], allMembers = false): Promise<Segment[]> {
    if (rows.length === 0) return [];
    const current = await context();
    const scope = allMembers ? sql<SqlBool>`true` : memberScope(actor);
    const snapshots = await lastSnapshots(
      db,
      rows.map((row) => row.id),
    );
    const counts = await Promise.all(
      rows.map((row) =>
        countMembers(db, row.rule, current, scope).catch((error: unknown) => {
          // A rule that names a custom field deleted since: no members rather than a failed list.
          if (error instanceof Error && /was not checked/.test(error.message)) return 0;
          throw error;
        }),
      ),
    );
    return rows.map((row, index) => ({
      ...row,
      memberCount: counts[index] ?? 0,
      lastSnapshot: snapshots.get(row.id) ?? null,
    }));
  }

  async function presentOne(actor: Actor, row: SegmentRow, allMembers = false): Promise<Segment> {
    const [segment] = await present(actor, [row], allMembers);
    if (!segment) throw new AppError('internal', 'segment vanished');
    return segment;
  }

  async function assertNameFree(name: string, exceptId: number | null): Promise<void> {
    if (await nameTaken(db, name, exceptId)) {
      throw new AppError('conflict', `A segment called "${name}" already exists.`, { parameter: 'name' });
    }
  }

  async function takeSnapshot(
    row: SegmentRow,
    ctx: CompileContext,
    trigger: SegmentSnapshot['trigger'],
    analysisRunId: number | null,
  ): Promise<SegmentSnapshot | null> {
    if (customIssues(row.rule, ctx.customFields).length > 0) return null; // names a custom field deleted since
    return insertSnapshot(db, {
      segmentId: row.id,
      rule: row.rule,
      context: ctx,
      trigger,
      analysisRunId,
      takenAt: clock.now(),
    });
  }

  async function snapshotEvery(
    trigger: SegmentSnapshot['trigger'],
    analysisRunId: number | null,
  ): Promise<SegmentSnapshot[]> {
    const ids = await liveSegmentIds(db);
    const rows = await findSegmentsByIds(db, ids);
    const ctx = await context();
    const taken: SegmentSnapshot[] = [];
    for (const row of rows.sort((a, b) => a.id - b.id)) {
      const snapshot = await takeSnapshot(row, ctx, trigger, analysisRunId);
      if (snapshot) taken.push(snapshot);
    }
    return taken;
  }

  const service: SegmentService = {
    async fields(actor) {
      requireScope(actor, 'segments', 'read');
      const [definitions, runs] = await Promise.all([customDefinitions(db), latestRuns(db)]);
      return {
        fields: catalogueList(),
        customFields: definitions.map((d) => ({
          key: d.key,
          label: d.labelEn,
          type: d.type,
          choices: d.choices,
          operators: customOperators[d.type],
        })),
        latestRuns: runs,
      };
    },

    async templates(actor, industry) {
      requireScope(actor, 'segments', 'read');
      return templatesFor(industry);
    },

    async list(actor, query) {
      requireScope(actor, 'segments', 'read');
      return present(actor, await listSegments(db, query));
    },

    async get(actor, id, options = {}) {
      requireScope(actor, 'segments', 'read');
      return presentOne(actor, await found(id), options.allMembers ?? false);
    },

    async create(actor, input) {
      requireScope(actor, 'segments', 'create');
      const ctx = await context();
      checkCustom(input.rule, ctx);
      await assertNameFree(input.name, null);
      const id = await db.transaction().execute(async (trx) => {
        const created = await insertSegment(trx, {
          name: input.name,
          description: input.description ?? null,
          industry: input.industry ?? null,
          templateKey: null,
          rule: input.rule,
          createdBy: actor.userId,
          at: clock.now(),
        });
        await recordAudit(trx, clock, {
          actor,
          action: 'create',
          resource: 'segments',
          recordIds: [created],
          details: { name: input.name },
        });
        return created;
      });
      return presentOne(actor, await found(id));
    },

    async update(actor, id, input) {
      requireScope(actor, 'segments', 'update');
      const row = await found(id);
      if (row.archivedAt) throw new AppError('not_found', `Segment ${id} does not exist.`);
      if (row.version !== input.version) {
        throw new AppError(
          'conflict',
          `Segment ${id} was changed by someone else (now version ${row.version}); reload and edit again.`,
          {
            currentVersion: row.version,
          },
        );
      }
      if (input.rule) checkCustom(input.rule, await context());
      if (input.name !== undefined && input.name.toLowerCase() !== row.name.toLowerCase())
        await assertNameFree(input.name, id);
      await db.transaction().execute(async (trx) => {
        const version = await updateSegment(
          trx,
          id,
          input.version,
          { name: input.name, description: input.description, industry: input.industry, rule: input.rule },
          clock.now(),
        );
        if (version === null) {
          throw new AppError('conflict', `Segment ${id} was changed by someone else; reload and edit again.`);
        }
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'segments',
          recordIds: [id],
          details: {
            fields: (['name', 'description', 'industry', 'rule'] as const).filter((key) => input[key] !== undefined),
            version,
          },
        });
      });
      return presentOne(actor, await found(id));
    },

    async remove(actor, id, version) {
      requireScope(actor, 'segments', 'delete');
      const row = await found(id);
      if (row.archivedAt) throw new AppError('not_found', `Segment ${id} does not exist.`);
      await db.transaction().execute(async (trx) => {
        if (!(await archiveSegment(trx, id, version, clock.now()))) {
          throw new AppError(
            'conflict',
            `Segment ${id} was changed by someone else (now version ${row.version}); reload first.`,
            {
              currentVersion: row.version,
            },
          );
        }
        await recordAudit(trx, clock, {
          actor,
          action: 'delete',
          resource: 'segments',
          recordIds: [id],
          details: { name: row.name },
        });
      });
    },

    async preview(actor, request) {
      requireScope(actor, 'segments', 'read');
      const ctx = await context();
      checkCustom(request.rule, ctx);
      const scope = memberScope(actor);
      const [count, members] = await Promise.all([
        countMembers(db, request.rule, ctx, scope),
        request.limit > 0
          ? listMembers(db, request.rule, ctx, scope, { limit: request.limit, afterId: null })
          : Promise.resolve([]),
      ]);
      return { count, members, runIds: ctx.runIds, asOf: ctx.asOf };
    },

    async members(actor, id, query) {
      requireScope(actor, 'segments', 'read');
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !after) throw MEMBER_CURSOR_INVALID;
      const row = await found(id);
      const ctx = await context();
      checkCustom(row.rule, ctx);
      const rows = await listMembers(db, row.rule, ctx, memberScope(actor), {
        limit: query.limit + 1,
        afterId: after ? after.id : null,
      });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items,
        nextCursor: rows.length > query.limit && last ? encodeCursor({ v: null, id: last.accountId }) : null,
      };
    },

    async snapshot(actor, id, trigger = 'manual') {
      requireScope(actor, 'segments', 'update');
      const row = await found(id);
      if (row.archivedAt) throw new AppError('not_found', `Segment ${id} does not exist.`);
      const ctx = await context();
      checkCustom(row.rule, ctx);
      const snapshot = await takeSnapshot(row, ctx, trigger, null);
      if (!snapshot) throw new AppError('internal', 'snapshot not taken');
      return snapshot;
    },

    async snapshotAll(actor, options = {}) {
      requireScope(actor, 'segments', 'update');
      return snapshotEvery(options.trigger ?? 'manual', options.analysisRunId ?? null);
    },

    async catchUpSnapshots() {
      const newest = await newestRelevantRunId(db);
      if (newest === null) return [];
      const snapshotted = await newestSnapshotRunId(db);
      if (snapshotted !== null && snapshotted >= newest) return [];
      return snapshotEvery('analysis_run', newest);
    },

    async history(actor, id) {
      requireScope(actor, 'segments', 'read');
      await found(id);
      await service.catchUpSnapshots();
      return listSnapshots(db, id);
    },

    async changes(actor, id, snapshotId, limit = 500) {
      requireScope(actor, 'segments', 'read');
      await found(id);
      const snapshot = await findSnapshot(db, id, snapshotId);
      if (!snapshot) throw new AppError('not_found', `Segment ${id} has no snapshot ${snapshotId}.`);
      const previousId = await previousSnapshotId(db, id, snapshotId);
      const runIds = (await context()).runIds;
      const scope = memberScope(actor);
      const [entered, left] = await Promise.all([
        snapshotDifference(db, snapshotId, previousId, runIds, scope, limit),
        previousId === null
          ? Promise.resolve([])
          : snapshotDifference(db, previousId, snapshotId, runIds, scope, limit),
      ]);
      return { snapshot, previousSnapshotId: previousId, entered, left };
    },

    async installDefaults(actor, industry) {
      requireScope(actor, 'segments', 'create');
      const installed = await installedTemplateKeys(db);
      const created: number[] = [];
      const existing: string[] = [];
      for (const template of templatesFor(industry)) {
        if (installed.has(template.key)) {
          existing.push(template.key);
          continue;
        }
        const name = (await nameTaken(db, template.name, null)) ? `${template.name} (${industry})` : template.name;
        const id = await db.transaction().execute(async (trx) => {
          const segmentId = await insertSegment(trx, {
            name,
            description: template.description,
            industry: template.industry,
            templateKey: template.key,
            rule: template.rule,
            createdBy: actor.userId,
            at: clock.now(),
          });
          await recordAudit(trx, clock, {
            actor,
            action: 'create',
            resource: 'segments',
            recordIds: [segmentId],
            details: { template: template.key },
          });
          return segmentId;
        });
        created.push(id);
      }
      const rows = await findSegmentsByIds(db, created);
      return {
        created: await present(
          actor,
          rows.sort((a, b) => a.id - b.id),
        ),
        existing,
      };
    },

    async planningFacts(actor, id) {
      requireScope(actor, 'segments', 'read');
      const row = await found(id);
      const ctx = await context();
      checkCustom(row.rule, ctx);
      const members = await memberFacts(db, row.rule, ctx);
      const segment = { ...(await presentOne(actor, row, true)), memberCount: members.length };
      return { segment, members, runIds: ctx.runIds, asOf: ctx.asOf };
    },

    async periodTotals(actor, id, period) {
      requireScope(actor, 'segments', 'read');
      const ctx = await context();
      if (id === null) return periodTotals(db, null, ctx, period);
      const row = await found(id);
      checkCustom(row.rule, ctx);
      return periodTotals(db, row.rule, ctx, period);
    },

    latestRuns: () => latestRuns(db),
  };
  return service;
}

/**
 * The default segments of an industry pack, created once (the demo calls this after seeding). Returns the segments
 * created now; templates installed before are left as they are.
 */
export async function seedDefaultSegments(
  database: Pick<Database, 'db'>,
  industry: SegmentIndustry,
  clock: Clock = systemClock,
): Promise<Segment[]> {
  const service = createSegmentService({ db: database.db, clock });
  return (await service.installDefaults(systemActor('system'), industry)).created;
}

/**
 * The analytics service with membership snapshots after every run a segment may read (all kinds but cohorts):
 * compose.ts wraps the analytics service with it, so each stored run leaves a snapshot of every live segment.
 */
export function withSegmentSnapshots<S extends { run: (...args: never[]) => Promise<{ id: number; kind: string }> }>(
  analytics: S,
  segments: Pick<SegmentService, 'snapshotAll'>,
): S {
  const run = (async (...args: Parameters<S['run']>) => {
    const result = await analytics.run(...args);
    if (result.kind !== 'cohorts') {
      await segments.snapshotAll(systemActor('system'), { trigger: 'analysis_run', analysisRunId: result.id });
    }
    return result;
  }) as S['run'];
  return { ...analytics, run };
}
