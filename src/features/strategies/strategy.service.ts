import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { accountScopeWhere, requireScope, type Actor } from '../auth/index.js';
import {
  addMonths,
  localDate,
  todayOf,
  DEFAULT_TIME_ZONE,
  type MemberFacts,
  type RunIds,
  type Segment,
  type SegmentService,
} from '../segments/index.js';
import { buildGuidedDraft, type BuilderSegment } from './builder.rules.js';
import { remedialTasks, scheduleCadence, type PlannedTask } from './cadence.rules.js';
import { diffDocuments, summariseChanges } from './diff.rules.js';
import { renderMarkdown } from './export.rules.js';
import { matrixRows, unassessedAClass } from './key-account.repository.js';
import { quadrantOf } from './key-account.rules.js';
import {
  findStrategy,
  findVersion,
  insertApproval,
  insertComment,
  insertStrategy,
  insertVersion,
  listApprovals,
  listComments,
  listStrategies,
  listVersions,
  lockStrategy,
  updateStrategy,
  type StrategyChange,
  type StrategyRow,
} from './strategy.repository.js';
import {
  checkTransition,
  computeBudget,
  downturnScenario,
  isEditable,
  transitions,
  type ChurnBucket,
  type SegmentFigures,
} from './strategy.rules.js';
import type {
  Approval,
  ApprovalCreate,
  Budget,
  Comment,
  GuidedDraft,
  GuidedDraftRequest,
  Scenario,
  ScenarioRequest,
  ScheduleResult,
  Strategy,
  StrategyCreate,
  StrategyDocument,
  StrategyExport,
  StrategyStatus,
  StrategySummary,
  StrategyUpdate,
  StrategyVersion,
  TransitionRequest,
  TransitionResult,
  VersionDiff,
  VersionSummary,
} from './strategy.schema.js';
import { cancelOpenTasks, insertTasks, openRemedialAccounts } from './task.repository.js';

/**
 * Use cases of strategy documents: write (versioned, optimistic concurrency), review (comments, department
 * decisions), move through the lifecycle (audited; approval schedules the cadence), compare versions, and compute
 * the budget, the expected return, the downturn scenario and the guided draft from the segments' members.
 */
export interface StrategyService {
  list(actor: Actor, query: { status?: StrategyStatus | undefined }): Promise<StrategySummary[]>;
  get(actor: Actor, id: number): Promise<Strategy>;
  create(actor: Actor, input: StrategyCreate): Promise<Strategy>;
  update(actor: Actor, id: number, input: StrategyUpdate): Promise<Strategy>;
  transition(actor: Actor, id: number, request: TransitionRequest): Promise<TransitionResult>;
  versions(actor: Actor, id: number): Promise<VersionSummary[]>;
  version(actor: Actor, id: number, version: number): Promise<StrategyVersion>;
  diff(actor: Actor, id: number, from: number, to: number): Promise<VersionDiff>;
  comment(actor: Actor, id: number, input: { department: Comment['department']; body: string }): Promise<Comment>;
  decide(actor: Actor, id: number, input: ApprovalCreate): Promise<Approval>;
  budget(actor: Actor, id: number): Promise<Budget>;
  scenario(actor: Actor, id: number, request: ScenarioRequest): Promise<Scenario>;
  guidedDraft(actor: Actor, request: GuidedDraftRequest): Promise<GuidedDraft>;
  schedule(actor: Actor, id: number, months: number): Promise<ScheduleResult>;
  exportJson(actor: Actor, id: number): Promise<StrategyExport>;
  exportMarkdown(actor: Actor, id: number): Promise<string>;
}

export interface StrategyDeps {
  db: Kysely<DB>;
  clock: Clock;
  segments: SegmentService;
  timeZone?: string;
}

interface TargetFacts {
  segment: Segment;
  members: MemberFacts[];
  runIds: RunIds;
  figures: SegmentFigures;
}

const auditAction: Readonly<Record<StrategyStatus, string>> = {
  draft: 'return_to_draft',
  in_review: 'submit_review',
  approved: 'approve',
  retired: 'retire',
};

/** Σ CLV and mean P(alive) of the members (null without a CLV run / without P(alive) values). */
export function figuresOf(segment: Segment, members: readonly MemberFacts[], runIds: RunIds): SegmentFigures {
  const alive = members.flatMap((m) => (m.pAlive === null ? [] : [m.pAlive]));
  return {
    segmentId: segment.id,
    name: segment.name,
    members: members.length,
    totalClv: runIds.clv === null ? null : members.reduce((sum, m) => sum + (m.clv ?? 0), 0),
    meanPAlive: alive.length === 0 ? null : alive.reduce((sum, p) => sum + p, 0) / alive.length,
  };
}

export function createStrategyService({
  db,
  clock,
  segments,
  timeZone = DEFAULT_TIME_ZONE,
}: StrategyDeps): StrategyService {
  const today = () => todayOf(clock, timeZone);

  async function found(id: number): Promise<StrategyRow> {
    const row = await findStrategy(db, id);
    if (!row) throw new AppError('not_found', `Strategy ${id} does not exist.`);
    return row;
  }

  const stale = (id: number, current: number) =>
    new AppError(
      'conflict',
      `Strategy ${id} was changed by someone else (now version ${current}); reload and try again.`,
      {
        currentVersion: current,
      },
    );

  /** Every target segment must exist: 400 naming the target otherwise. */
  async function checkTargets(actor: Actor, document: StrategyDocument): Promise<void> {
    for (const [index, target] of document.targets.entries()) {
      try {
        await segments.get(actor, target.segmentId);
      } catch (error) {
        if (error instanceof AppError && error.code === 'not_found') {
          const parameter = `document.targets.${index}.segmentId`;
          throw new AppError(
            'validation_failed',
            `Invalid body field ${parameter}: segment ${target.segmentId} does not exist`,
            {
              location: 'body',
              parameter,
            },
          );
        }
        throw error;
      }
    }
  }

  async function targetFacts(actor: Actor, document: StrategyDocument): Promise<Map<number, TargetFacts>> {
    const result = new Map<number, TargetFacts>();
    for (const target of document.targets) {
      const { segment, members, runIds } = await segments.planningFacts(actor, target.segmentId);
      result.set(target.segmentId, { segment, members, runIds, figures: figuresOf(segment, members, runIds) });
    }
    return result;
  }

  async function present(actor: Actor, row: StrategyRow): Promise<Strategy> {
    const [comments, approvals, targetSegments] = await Promise.all([
      listComments(db, row.id),
      listApprovals(db, row.id, row.version),
      Promise.all(
        row.document.targets.map(async (target) => {
          const segment = await segments.get(actor, target.segmentId, { allMembers: true }).catch((error: unknown) => {
            if (error instanceof AppError && error.code === 'not_found') return null;
            throw error;
          });
          return {
            id: target.segmentId,
            name: segment?.name ?? `Segment ${target.segmentId}`,
            archived: segment === null || segment.archivedAt !== null,
            memberCount: segment?.memberCount ?? 0,
          };
        }),
      ),
    ]);
    return {
      ...row,
      nextStatuses: [...transitions[row.status]],
      editable: isEditable(row.status),
      segments: targetSegments,
      comments,
      approvals,
    };
  }

  /** Builds the tasks of an approved strategy from `from` to `until` and inserts those not scheduled yet. */
  async function scheduleInto(
    trx: Kysely<DB>,
    row: StrategyRow,
    version: number,
    facts: Map<number, TargetFacts>,
    months: number,
  ): Promise<ScheduleResult> {
    const approvedOn = row.approvedAt ? localDate(new Date(row.approvedAt), timeZone) : today();
    const startsOn = row.document.context.startsOn;
    const anchor = startsOn !== null && startsOn > approvedOn ? startsOn : approvedOn;
    const from = anchor > today() ? anchor : today();
    const until = addMonths(from, months);
    const planned: PlannedTask[] = [];
    for (const target of row.document.targets) {
      const fact = facts.get(target.segmentId);
      if (!fact) continue;
      planned.push(
        ...scheduleCadence({
          anchor,
          from,
          until,
          segmentId: target.segmentId,
          segmentName: fact.segment.name,
          cadence: target.cadence,
          members: fact.members.map((m) => ({ accountId: m.accountId, ownerId: m.ownerId })),
        }),
      );
    }
    const remediated = await openRemedialAccounts(trx, row.id);
    for (const target of row.document.targets) {
      const fact = facts.get(target.segmentId);
      if (!fact) continue;
      const atRisk = fact.members.filter((m) => m.churnClass === 'at_risk' && !remediated.has(m.accountId));
      for (const member of atRisk) remediated.add(member.accountId);
      planned.push(
        ...remedialTasks(
          from,
          target.segmentId,
          atRisk.map((m) => ({ accountId: m.accountId, ownerId: m.ownerId, churnReason: m.churnReason })),
        ),
      );
    }
    const inserted = await insertTasks(trx, row.id, version, planned);
    return {
      created: inserted.filter((task) => task.purpose === 'cadence').length,
      remedial: inserted.filter((task) => task.purpose === 'remedial').length,
      unassigned: inserted.filter((task) => task.ownerId === null).length,
      until,
    };
  }

  async function budgetOf(
    actor: Actor,
    row: StrategyRow,
  ): Promise<{ budget: Budget; facts: Map<number, TargetFacts> }> {
    const facts = await targetFacts(actor, row.document);
    const figures = new Map([...facts].map(([id, fact]) => [id, fact.figures]));
    return { budget: computeBudget(row.document, figures, { strategyId: row.id, asOf: today() }), facts };
  }

  const service: StrategyService = {
    async list(actor, query) {
      requireScope(actor, 'strategies', 'read');
      const rows = await listStrategies(db, query.status);
      return rows.map(({ document: _document, approvedBy: _approvedBy, ...summary }) => summary);
    },

    async get(actor, id) {
      requireScope(actor, 'strategies', 'read');
      return present(actor, await found(id));
    },

    async create(actor, input) {
      requireScope(actor, 'strategies', 'create');
      await checkTargets(actor, input.document);
      const at = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        const created = await insertStrategy(trx, {
          title: input.title,
          industry: input.industry ?? null,
          document: input.document,
          createdBy: actor.userId,
          at,
        });
        await insertVersion(trx, {
          strategyId: created,
          version: 1,
          change: 'create',
          status: 'draft',
          title: input.title,
          document: input.document,
          note: null,
          savedBy: actor.userId,
          at,
        });
        await recordAudit(trx, clock, {
          actor,
          action: 'create',
          resource: 'strategies',
          recordIds: [created],
          details: { targets: input.document.targets.length },
        });
        return created;
      });
      return present(actor, await found(id));
    },

    async update(actor, id, input) {
      requireScope(actor, 'strategies', 'update');
      const current = await found(id);
      if (current.version !== input.version) throw stale(id, current.version);
      if (!isEditable(current.status)) {
        throw new AppError(
          'conflict',
          `Strategy ${id} is ${current.status}: its content is frozen. Create a new strategy to change it.`,
        );
      }
      if (input.document) await checkTargets(actor, input.document);
      const at = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = await lockStrategy(trx, id);
        if (!row) throw new AppError('not_found', `Strategy ${id} does not exist.`);
        if (row.version !== input.version) throw stale(id, row.version);
        const change: StrategyChange = { title: input.title, document: input.document };
        const version = await updateStrategy(trx, id, input.version, change, at);
        if (version === null) throw stale(id, row.version);
        await insertVersion(trx, {
          strategyId: id,
          version,
          change: 'save',
          status: row.status,
          title: input.title ?? row.title,
          document: input.document ?? row.document,
          note: input.note ?? null,
          savedBy: actor.userId,
          at,
        });
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'strategies',
          recordIds: [id],
          details: { version, fields: (['title', 'document'] as const).filter((key) => input[key] !== undefined) },
        });
      });
      return present(actor, await found(id));
    },

    async transition(actor, id, request) {
      requireScope(actor, 'strategies', 'update');
      const current = await found(id);
      if (current.version !== request.version) throw stale(id, current.version);
      const approvals = await listApprovals(db, id, current.version);
      const check = checkTransition(current.status, request.to, {
        document: current.document,
        approvals,
        role: actor.role,
      });
      if (!check.ok)
        throw new AppError('conflict', check.reason, {
          from: current.status,
          to: request.to,
          ...(check.details ?? {}),
        });
      const facts = request.to === 'approved' ? await targetFacts(actor, current.document) : null;
      const at = clock.now();
      const schedule = await db.transaction().execute(async (trx) => {
        const row = await lockStrategy(trx, id);
        if (!row) throw new AppError('not_found', `Strategy ${id} does not exist.`);
        if (row.version !== request.version || row.status !== current.status) throw stale(id, row.version);
        const change: StrategyChange = { status: request.to };
        if (request.to === 'approved') Object.assign(change, { approvedAt: at, approvedBy: actor.userId });
        if (request.to === 'retired') change.retiredAt = at;
        if (request.to === 'draft') Object.assign(change, { approvedAt: null, approvedBy: null });
        const version = await updateStrategy(trx, id, request.version, change, at);
        if (version === null) throw stale(id, row.version);
        await insertVersion(trx, {
          strategyId: id,
          version,
          change: 'transition',
          status: request.to,
          title: row.title,
          document: row.document,
          note: request.note ?? null,
          savedBy: actor.userId,
          at,
        });
        let scheduled: ScheduleResult | null = null;
        let cancelled = 0;
        if (request.to === 'approved' && facts) {
          scheduled = await scheduleInto(
            trx,
            { ...row, approvedAt: at.toISOString(), status: 'approved' },
            version,
            facts,
            request.scheduleMonths,
          );
        }
        if (request.to === 'retired') cancelled = await cancelOpenTasks(trx, id);
        await recordAudit(trx, clock, {
          actor,
          action: auditAction[request.to],
          resource: 'strategies',
          recordIds: [id],
          details: {
            from: row.status,
            to: request.to,
            version,
            ...(scheduled ? { tasksCreated: scheduled.created, remedialTasks: scheduled.remedial } : {}),
            ...(request.to === 'retired' ? { tasksCancelled: cancelled } : {}),
          },
        });
        return scheduled;
      });
      if (request.to === 'approved') {
        // Membership as approved: a snapshot of every target segment, to compare against later.
        for (const target of current.document.targets)
          await segments.snapshot(actor, target.segmentId, 'strategy_approval').catch(() => undefined);
      }
      return { strategy: await present(actor, await found(id)), schedule };
    },

    async versions(actor, id) {
      requireScope(actor, 'strategies', 'read');
      await found(id);
      return listVersions(db, id);
    },

    async version(actor, id, version) {
      requireScope(actor, 'strategies', 'read');
      await found(id);
      const row = await findVersion(db, id, version);
      if (!row) throw new AppError('not_found', `Strategy ${id} has no version ${version}.`);
      return row;
    },

    async diff(actor, id, from, to) {
      const [before, after] = await Promise.all([service.version(actor, id, from), service.version(actor, id, to)]);
      const changes = diffDocuments(
        { title: before.title, status: before.status, document: before.document },
        { title: after.title, status: after.status, document: after.document },
      );
      return { from: before, to: after, changes, summary: summariseChanges(changes) };
    },

    async comment(actor, id, input) {
      // Every department that may read the strategy may comment on it (C6: discussion with departments).
      requireScope(actor, 'strategies', 'read');
      const row = await found(id);
      if (row.status === 'retired')
        throw new AppError('conflict', `Strategy ${id} is retired: it takes no more comments.`);
      const commentId = await db.transaction().execute(async (trx) => {
        const created = await insertComment(trx, {
          strategyId: id,
          version: row.version,
          department: input.department,
          body: input.body,
          authorId: actor.userId,
          at: clock.now(),
        });
        await recordAudit(trx, clock, {
          actor,
          action: 'comment',
          resource: 'strategies',
          recordIds: [id],
          details: { department: input.department, version: row.version },
        });
        return created;
      });
      const comment = (await listComments(db, id)).find((c) => c.id === commentId);
      if (!comment) throw new AppError('internal', 'comment vanished');
      return comment;
    },

    async decide(actor, id, input) {
      requireScope(actor, 'strategies', 'update');
      const row = await found(id);
      if (row.status !== 'in_review') {
        throw new AppError(
          'conflict',
          `Strategy ${id} is ${row.status.replace('_', ' ')}: departments decide on strategies in review.`,
        );
      }
      if (row.version !== input.version) {
        throw new AppError(
          'conflict',
          `You reviewed version ${input.version}, but strategy ${id} is now at version ${row.version}; review it again.`,
          {
            currentVersion: row.version,
          },
        );
      }
      const approvalId = await db.transaction().execute(async (trx) => {
        const created = await insertApproval(trx, {
          ...input,
          strategyId: id,
          decidedBy: actor.userId,
          at: clock.now(),
        });
        await recordAudit(trx, clock, {
          actor,
          action: input.decision === 'approve' ? 'review_approve' : 'review_request_changes',
          resource: 'strategies',
          recordIds: [id],
          details: { department: input.department, version: input.version },
        });
        return created;
      });
      const approval = (await listApprovals(db, id, row.version)).find((a) => a.id === approvalId);
      if (!approval) throw new AppError('internal', 'approval vanished');
      return approval;
    },

    async budget(actor, id) {
      requireScope(actor, 'strategies', 'read');
      return (await budgetOf(actor, await found(id))).budget;
    },

    async scenario(actor, id, request) {
      requireScope(actor, 'strategies', 'read');
      const row = await found(id);
      const { budget, facts } = await budgetOf(actor, row);
      const inputs = budget.segments.map((segment) => {
        const revenueByClass: Partial<Record<ChurnBucket, number>> = {};
        for (const member of facts.get(segment.segmentId)?.members ?? []) {
          const bucket: ChurnBucket = member.churnClass ?? 'unclassified';
          revenueByClass[bucket] = (revenueByClass[bucket] ?? 0) + member.revenue12m;
        }
        return {
          segmentId: segment.segmentId,
          name: segment.name,
          revenueByClass,
          budget: segment.total,
          expectedReturn: segment.expectedReturn.expectedReturn,
        };
      });
      return downturnScenario(inputs, request.volumeDropPercent, request.sensitivity);
    },

    async guidedDraft(actor, request) {
      requireScope(actor, 'strategies', 'create');
      const candidates = request.segmentIds
        ? await Promise.all(request.segmentIds.map((segmentId) => segments.get(actor, segmentId)))
        : (await segments.list(actor, { industry: request.industry })).filter((s) => s.industry === request.industry);
      const runs = await segments.latestRuns();
      const builderSegments: BuilderSegment[] = [];
      for (const candidate of candidates) {
        const { segment, members, runIds } = await segments.planningFacts(actor, candidate.id);
        const figures = figuresOf(segment, members, runIds);
        const n = members.length;
        const share = (count: number) => (n > 0 ? count / n : 0);
        const countBy = <K extends string>(pick: (m: MemberFacts) => K | null, key: K) =>
          members.filter((m) => pick(m) === key).length;
        builderSegments.push({
          segmentId: segment.id,
          name: segment.name,
          templateKey: segment.templateKey,
          members: n,
          totalClv: figures.totalClv,
          meanPAlive: figures.meanPAlive,
          revenue12m: members.reduce((sum, m) => sum + m.revenue12m, 0),
          classShare: {
            A: share(countBy((m) => m.abcClass, 'A')),
            B: share(countBy((m) => m.abcClass, 'B')),
            C: share(countBy((m) => m.abcClass, 'C')),
          },
          churnShare: {
            active: share(countBy((m) => m.churnClass, 'active')),
            declining: share(countBy((m) => m.churnClass, 'declining')),
            at_risk: share(countBy((m) => m.churnClass, 'at_risk')),
            lost: share(countBy((m) => m.churnClass, 'lost')),
          },
          withoutOwner: members.filter((m) => m.ownerId === null).length,
        });
      }
      const { from, to } = { from: addMonths(today(), -12), to: today() };
      const assessed = await matrixRows(db, accountScopeWhere(actor, 'read', { ownerColumn: 'a.owner_id' }), {
        from,
        to,
        timeZone,
      });
      const byQuadrant: Record<string, number> = {
        key_strategic: 0,
        key_development: 0,
        key_status: 0,
        key_maintenance: 0,
      };
      for (const row of assessed) {
        const quadrant = quadrantOf(row.attractiveness, row.fit);
        byQuadrant[quadrant] = (byQuadrant[quadrant] ?? 0) + 1;
      }
      return buildGuidedDraft({
        request,
        today: today(),
        runs,
        segments: builderSegments,
        keyAccounts: {
          assessed: assessed.length,
          aClassUnassessed: await unassessedAClass(db, runs.abc?.runId ?? null),
          byQuadrant,
        },
      });
    },

    async schedule(actor, id, months) {
      requireScope(actor, 'strategies', 'update');
      const row = await found(id);
      if (row.status !== 'approved')
        throw new AppError(
          'conflict',
          `Strategy ${id} is ${row.status.replace('_', ' ')}: only approved strategies schedule tasks.`,
        );
      const facts = await targetFacts(actor, row.document);
      return db.transaction().execute(async (trx) => {
        const result = await scheduleInto(trx, row, row.version, facts, months);
        await recordAudit(trx, clock, {
          actor,
          action: 'schedule',
          resource: 'strategies',
          recordIds: [id],
          details: { tasksCreated: result.created, remedialTasks: result.remedial, until: result.until },
        });
        return result;
      });
    },

    async exportJson(actor, id) {
      requireScope(actor, 'strategies', 'read');
      const row = await found(id);
      const [strategy, { budget }] = await Promise.all([present(actor, row), budgetOf(actor, row)]);
      return { strategy, budget };
    },

    async exportMarkdown(actor, id) {
      const { strategy, budget } = await service.exportJson(actor, id);
      return renderMarkdown(strategy, budget);
    },
  };
  return service;
}
