import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/index.js';
import { describeEachDatabase } from '../../testing/databases.js';
import { mutableClock } from '../../testing/auth.js';
import { createAnalyticsService, runRequestSchema } from '../analytics/index.js';
import { buildActor, systemActor, type Actor } from '../auth/index.js';
import { createSegmentService, seedDefaultSegments, type Segment } from '../segments/index.js';
import { expectedReturn } from './strategy.rules.js';
import { guidedDraftRequestSchema, scenarioRequestSchema, transitionSchema, type Strategy } from './strategy.schema.js';
import { createStrategyServices } from './index.js';
import { completeTaskSchema, taskListQuerySchema } from './task.schema.js';
import { assessmentInputSchema } from './key-account.schema.js';

/**
 * The "done when" on the freight demo (300 customers, ABC/RFM/churn/CLV runs): a manager drafts a strategy
 * for the A-class and at-risk segments with the guided builder, sees budget and expected return, sends it for
 * review, the departments approve, the manager approves, and the owners find their tasks. Figures are cross-checked
 * with hand-written SQL.
 */
const admin = systemActor('system');

describeEachDatabase('strategy services', (use) => {
  const clock = mutableClock('2026-06-30T04:00:00Z'); // Tuesday 30 June 2026, 12:00 in Hong Kong
  let manager: Actor;
  let analyst: Actor;
  const sellers: Actor[] = [];
  let aClass: Segment;
  let atRisk: Segment;
  let strategy: Strategy;
  const services = () => {
    const segments = createSegmentService({ db: use().db, clock });
    return { segments, ...createStrategyServices({ db: use().db, clock, segments }) };
  };

  beforeAll(async () => {
    const database = use();
    await seedDemo(database, { industry: 'freight', customers: 300, seed: 7, asOf: new Date('2026-06-30T00:00:00Z') });
    const analytics = createAnalyticsService({ database, clock });
    for (const kind of ['abc', 'rfm', 'churn', 'clv'] as const) await analytics.run(runRequestSchema.parse({ kind }));
    const created = await seedDefaultSegments(database, 'freight', clock);
    aClass = created.find((s) => s.templateKey === 'freight.a_class_shippers')!;
    atRisk = created.find((s) => s.templateKey === 'freight.at_risk_key_accounts')!;
    const users = await database.db.selectFrom('users').select(['id', 'role', 'team']).orderBy('id').execute();
    const boss = users.find((u) => u.role === 'manager')!;
    manager = buildActor({ userId: Number(boss.id), role: 'manager', team: boss.team, via: 'session' });
    analyst = buildActor({ userId: Number(boss.id), role: 'analyst', team: null, via: 'token' });
    for (const user of users.filter((u) => u.role === 'sales')) {
      sellers.push(buildActor({ userId: Number(user.id), role: 'sales', team: user.team, via: 'session' }));
    }
  }, 120_000);

  it('pre-fills a draft for the A-class and at-risk segments whose budget and return match the members', async () => {
    const { strategies } = services();
    const draft = await strategies.guidedDraft(
      manager,
      guidedDraftRequestSchema.parse({
        industry: 'freight',
        segmentIds: [aClass.id, atRisk.id],
        title: 'Freight key accounts 2026/27',
      }),
    );
    expect(draft.document.targets.map((t) => t.segmentId).sort()).toEqual([aClass.id, atRisk.id].sort());
    expect(draft.steps.map((s) => s.step)).toEqual([
      'classify',
      'assess',
      'targets',
      'tactics',
      'budget',
      'kpis',
      'review',
    ]);
    expect(draft.steps[0]?.status).toBe('done');
    expect(draft.steps[1]).toMatchObject({
      status: 'attention',
      explanations: [expect.anything(), expect.objectContaining({ key: 'builder.assess.unassessed' })],
    });

    const { db } = use();
    const members = await sql<{ n: number; clv: string; p: number }>`
      select count(*)::int as n, coalesce(sum(rc.clv), 0)::text as clv, avg(rc.p_alive) as p
      from analysis_customer_results ra
      join accounts a on a.id = ra.account_id
      left join analysis_customer_results rc on rc.account_id = ra.account_id
        and rc.run_id = (select max(id) from analysis_runs where kind = 'clv')
      where ra.run_id = (select max(id) from analysis_runs where kind = 'abc') and ra.abc_class = 'A' and a.industry = 'freight'`.execute(
      db,
    );
    const expected = members.rows[0]!;
    const a = draft.budget.segments.find((s) => s.segmentId === aClass.id)!;
    const keyTarget = draft.document.targets.find((t) => t.segmentId === aClass.id)!;
    expect(keyTarget.cadence.map((c) => `${c.kind}/${c.every}/${c.unit}`)).toEqual([
      'review_meeting/1/month',
      'call/1/week',
    ]);
    expect(a.members).toBe(expected.n);
    expect(a.total).toBeCloseTo(expected.n * (1200 * 12 + 120 * 52) + 2000 * expected.n, 2);
    const back = expectedReturn(Number(expected.clv), Number(expected.p), 0.05, 0.1);
    expect(a.expectedReturn.expectedReturn).toBeCloseTo(back.expectedReturn ?? Number.NaN, 1);
    expect(draft.budget.total).toBeCloseTo(
      draft.budget.segments.reduce((sum, s) => sum + s.total, 0),
      2,
    );

    strategy = await strategies.create(manager, { title: draft.title, industry: 'freight', document: draft.document });
    expect(strategy).toMatchObject({
      status: 'draft',
      version: 1,
      editable: true,
      nextStatuses: ['in_review', 'retired'],
    });
    expect(strategy.segments.map((s) => s.memberCount).sort()).toEqual(
      [a.members, draft.budget.segments.find((s) => s.segmentId === atRisk.id)!.members].sort(),
    );
  });

  it('keeps a version per save, refuses stale saves and compares versions', async () => {
    const { strategies } = services();
    const document = structuredClone(strategy.document);
    document.targets[0]!.cadence[1] = { ...document.targets[0]!.cadence[1]!, every: 2 };
    document.context.objectives.push('Grow the share of wallet of class A shippers by 5 points.');
    const saved = await strategies.update(manager, strategy.id, {
      version: 1,
      document,
      note: 'Calls every two weeks',
    });
    expect(saved.version).toBe(2);
    await expect(strategies.update(manager, strategy.id, { version: 1, title: 'Lost update' })).rejects.toMatchObject({
      code: 'conflict',
      details: { currentVersion: 2 },
    });
    const diff = await strategies.diff(manager, strategy.id, 1, 2);
    expect(diff.changes).toEqual([
      {
        path: 'document.context.objectives',
        change: 'changed',
        before: strategy.document.context.objectives,
        after: document.context.objectives,
      },
      {
        path: `document.targets[segment ${document.targets[0]!.segmentId}].cadence[1].every`,
        change: 'changed',
        before: 1,
        after: 2,
      },
    ]);
    expect((await strategies.versions(manager, strategy.id)).map((v) => [v.version, v.change, v.note])).toEqual([
      [2, 'save', 'Calls every two weeks'],
      [1, 'create', null],
    ]);
    await expect(strategies.diff(manager, strategy.id, 1, 9)).rejects.toMatchObject({ code: 'not_found' });
    strategy = saved;
  });

  it('goes through review and approval, and approval schedules the owners’ tasks', async () => {
    const { strategies } = services();
    const seller = sellers[0]!;
    await expect(
      strategies.transition(manager, strategy.id, transitionSchema.parse({ version: 2, to: 'approved' })),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('cannot go from draft to approved'),
    });
    const review = await strategies.transition(
      manager,
      strategy.id,
      transitionSchema.parse({ version: 2, to: 'in_review' }),
    );
    expect(review.strategy).toMatchObject({ status: 'in_review', version: 3 });
    await strategies.comment(seller, strategy.id, {
      department: 'sales',
      body: 'Weekly calls are too many for our team.',
    });
    await expect(
      strategies.decide(seller, strategy.id, { version: 3, department: 'sales', decision: 'approve' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      strategies.transition(manager, strategy.id, transitionSchema.parse({ version: 3, to: 'approved' })),
    ).rejects.toMatchObject({
      code: 'conflict',
      details: { departments: ['sales', 'customer_service', 'finance'] },
    });
    for (const department of ['sales', 'customer_service', 'finance'] as const) {
      await strategies.decide(manager, strategy.id, { version: 3, department, decision: 'approve' });
    }
    await expect(
      strategies.decide(manager, strategy.id, { version: 2, department: 'sales', decision: 'approve' }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      strategies.transition(analyst, strategy.id, transitionSchema.parse({ version: 3, to: 'approved' })),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: 'Only a admin or manager may approve a strategy.',
    });
    const approved = await strategies.transition(
      manager,
      strategy.id,
      transitionSchema.parse({ version: 3, to: 'approved', scheduleMonths: 3 }),
    );
    strategy = approved.strategy;
    expect(strategy).toMatchObject({ status: 'approved', version: 4, editable: false });
    expect(strategy.comments).toHaveLength(1);
    expect(approved.schedule).toMatchObject({ until: '2026-09-30' });
    expect(approved.schedule!.created).toBeGreaterThan(0);

    const { db } = use();
    const tasks = await db
      .selectFrom('strategy_tasks as t')
      .innerJoin('accounts as a', 'a.id', 't.account_id')
      .select([
        't.owner_id',
        'a.owner_id as account_owner',
        't.purpose',
        't.kind',
        sql<string>`t.due_on::text`.as('due_on'),
      ])
      .where('t.strategy_id', '=', strategy.id)
      .execute();
    expect(tasks.length).toBe(approved.schedule!.created + approved.schedule!.remedial);
    expect(tasks.every((t) => t.owner_id === t.account_owner)).toBe(true);
    expect(tasks.every((t) => t.due_on >= '2026-06-30' && t.due_on < '2026-09-30')).toBe(true);
    const atRiskMembers = await sql<{ n: number }>`
      select count(distinct a.id)::int as n from accounts a
      join analysis_customer_results rh on rh.account_id = a.id and rh.run_id = (select max(id) from analysis_runs where kind = 'churn')
      left join analysis_customer_results ra on ra.account_id = a.id and ra.run_id = (select max(id) from analysis_runs where kind = 'abc')
      where a.industry = 'freight' and rh.churn_class = 'at_risk'
        and (ra.abc_class in ('A', 'B') or 'key' = any(a.tags))`.execute(db);
    expect(approved.schedule!.remedial).toBe(atRiskMembers.rows[0]!.n);
    expect(
      tasks.filter((t) => t.purpose === 'remedial').every((t) => t.kind === 'call' && t.due_on === '2026-07-02'),
    ).toBe(true);

    // Frozen once approved; the segments' membership was snapshotted at approval; every step is in the audit log.
    await expect(strategies.update(manager, strategy.id, { version: 4, title: 'x' })).rejects.toMatchObject({
      code: 'conflict',
    });
    const snapshots = await db
      .selectFrom('segment_snapshots')
      .select('segment_id')
      .where('trigger', '=', 'strategy_approval')
      .execute();
    expect(snapshots.map((s) => Number(s.segment_id)).sort()).toEqual([aClass.id, atRisk.id].sort());
    const audit = await sql<{ action: string }>`
      select action from audit_log where resource = 'strategies' and record_ids @> ${JSON.stringify([String(strategy.id)])}::jsonb order by id`.execute(
      db,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'create',
      'update',
      'submit_review',
      'comment',
      'review_approve',
      'review_approve',
      'review_approve',
      'approve',
    ]);
    // Scheduling again adds only what is missing.
    expect(await strategies.schedule(manager, strategy.id, 3)).toMatchObject({ created: 0, remedial: 0 });
  });

  it('gives owners their tasks, completes them as interactions and measures plan against actual', async () => {
    const { tasks } = services();
    const { db } = use();
    const owners = await db
      .selectFrom('strategy_tasks')
      .select(['owner_id', sql<number>`count(*)::int`.as('n')])
      .where('strategy_id', '=', strategy.id)
      .where('owner_id', 'is not', null)
      .groupBy('owner_id')
      .orderBy('n', 'desc')
      .execute();
    const seller = sellers.find((s) => s.userId === Number(owners[0]!.owner_id))!;
    expect(seller).toBeDefined();
    const mine = await tasks.list(seller, taskListQuerySchema.parse({ mine: 'true', limit: 500 }));
    expect(mine.items.length).toBe(Number(owners[0]!.n));
    expect(mine.items.every((t) => t.ownerId === seller.userId && t.status === 'open')).toBe(true);
    expect(mine.items.map((t) => t.dueOn)).toEqual([...mine.items.map((t) => t.dueOn)].sort());
    // Pages walk every task once.
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await tasks.list(seller, taskListQuerySchema.parse({ mine: 'true', limit: 7, cursor }));
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(mine.items.map((t) => t.id));

    const first = mine.items[0]!;
    const other = sellers.find((s) => s.userId !== seller.userId)!;
    await expect(tasks.complete(other, first.id, completeTaskSchema.parse({}))).rejects.toMatchObject({
      code: 'not_found',
    });
    const done = await tasks.complete(seller, first.id, completeTaskSchema.parse({ outcome: 'Reviewed Q3 volumes' }));
    expect(done).toMatchObject({ status: 'done', completedBy: seller.userId, outcome: 'Reviewed Q3 volumes' });
    const interaction = await db
      .selectFrom('interactions')
      .select(['account_id', 'user_id', 'channel'])
      .where('id', '=', done.interactionId!)
      .executeTakeFirstOrThrow();
    expect(interaction).toMatchObject({ account_id: first.accountId, user_id: seller.userId });
    await expect(tasks.complete(seller, first.id, completeTaskSchema.parse({}))).rejects.toMatchObject({
      code: 'conflict',
    });

    // A month later: plan against actual.
    clock.set('2026-07-31T04:00:00Z');
    const compliance = await tasks.compliance(manager, { strategyId: strategy.id });
    const expected = await sql<{ planned: number; done: number; overdue: number }>`
      select count(*)::int as planned, count(*) filter (where status = 'done')::int as done,
        count(*) filter (where status = 'open' and due_on < '2026-07-31')::int as overdue
      from strategy_tasks where strategy_id = ${strategy.id} and due_on between '2026-06-30' and '2026-07-31'`.execute(
      db,
    );
    expect(compliance).toMatchObject({ from: '2026-06-30', to: '2026-07-31' });
    expect(compliance.total).toMatchObject({ ...expected.rows[0], onTime: 1, interactions: 1 });
    expect(compliance.total.compliance).toBeCloseTo(1 / expected.rows[0]!.planned, 4);
    expect(compliance.bySegment.reduce((sum, row) => sum + row.done, 0)).toBeGreaterThanOrEqual(1);
    const ownerRow = compliance.byOwner.find((row) => row.ownerId === seller.userId)!;
    expect(ownerRow).toMatchObject({ done: 1, onTime: 1, interactions: 1 });
    // A seller sees only their own line.
    const own = await tasks.compliance(seller, { strategyId: strategy.id });
    expect(own.byOwner.map((row) => row.ownerId)).toEqual([seller.userId]);
    clock.set('2026-06-30T04:00:00Z');
  });

  it('re-ranks the targets in a downturn and shows the budget effect', async () => {
    const { strategies } = services();
    const budget = await strategies.budget(manager, strategy.id);
    const scenario = await strategies.scenario(
      manager,
      strategy.id,
      scenarioRequestSchema.parse({ volumeDropPercent: 20 }),
    );
    expect(scenario.totals.budget).toBeCloseTo(budget.total, 2);
    expect(scenario.totals.scenarioRevenue).toBeLessThan(scenario.totals.baselineRevenue);
    const byId = new Map(scenario.segments.map((s) => [s.segmentId, s]));
    // The at-risk segment is hit harder than the A-class one (sensitivity 2 for at-risk members).
    expect(byId.get(atRisk.id)!.revenueChange).toBeLessThan(byId.get(aClass.id)!.revenueChange);
    expect(byId.get(aClass.id)!.revenueChange).toBeLessThan(0);
    expect(scenario.segments.map((s) => s.rankAfter)).toEqual([1, 2]);
  });

  it('exports Markdown and retires the strategy, cancelling its open tasks', async () => {
    const { strategies } = services();
    const markdown = await strategies.exportMarkdown(manager, strategy.id);
    expect(markdown).toContain(`# ${strategy.title}`);
    expect(markdown).toContain('| Segment | Line | Formula | Amount |');
    expect(markdown).toContain('A-class shippers');
    const retired = await strategies.transition(
      manager,
      strategy.id,
      transitionSchema.parse({ version: 4, to: 'retired' }),
    );
    expect(retired.strategy).toMatchObject({ status: 'retired', nextStatuses: [] });
    const open = await use()
      .db.selectFrom('strategy_tasks')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('strategy_id', '=', strategy.id)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow();
    expect(open.n).toBe(0);
    await expect(strategies.comment(manager, strategy.id, { department: 'sales', body: 'late' })).rejects.toMatchObject(
      { code: 'conflict' },
    );
  });

  describe('key accounts', () => {
    it('suggests scores from the data, saves assessments with history and draws the matrix', async () => {
      const { keyAccounts, segments } = services();
      const top = (await segments.members(admin, aClass.id, { limit: 2 })).items;
      const [first, second] = top.map((m) => m.accountId);
      const suggestion = await keyAccounts.suggestion(admin, first!);
      expect(suggestion.scores).toMatchObject({ payment: null, strategic_fit: null, capability: null, capacity: null });
      expect(suggestion.scores.volume).toBeGreaterThanOrEqual(4);
      expect(suggestion.figures.revenue12m).toBeGreaterThan(0);

      await expect(
        keyAccounts.save(
          admin,
          first!,
          assessmentInputSchema.parse({ version: 0, relationshipStage: 'preferred', scores: { payment: 4 } }),
        ),
      ).rejects.toMatchObject({ code: 'validation_failed', details: { parameter: 'scores.strategic_fit' } });
      const saved = await keyAccounts.save(
        admin,
        first!,
        assessmentInputSchema.parse({
          version: 0,
          relationshipStage: 'preferred',
          scores: { payment: 4, strategic_fit: 5, capability: 4, capacity: 2 },
          notes: {
            ourAdvantages: [{ text: 'Steady base load on HKG-LAX', category: 'volume' }],
            theirDisadvantages: [{ text: 'Depends on our space in peak season', category: null }],
          },
        }),
      );
      expect(saved).toMatchObject({
        version: 1,
        relationshipStage: 'preferred',
        scores: { relationship: 3.5, capacity: 2 },
      });
      expect(saved.fit).toBeCloseTo((0.4 * 4 + 0.35 * 2 + 0.25 * 3.5) / 1, 3);
      await expect(
        keyAccounts.save(
          admin,
          first!,
          assessmentInputSchema.parse({
            version: 0,
            relationshipStage: 'partner',
            scores: { payment: 4, strategic_fit: 5, capability: 4, capacity: 2 },
          }),
        ),
      ).rejects.toMatchObject({ code: 'conflict' });
      const partner = await keyAccounts.save(
        admin,
        first!,
        assessmentInputSchema.parse({
          version: 1,
          relationshipStage: 'partner',
          scores: { payment: 4, strategic_fit: 5, capability: 4, capacity: 2 },
        }),
      );
      expect(partner.version).toBe(2);
      await keyAccounts.save(
        admin,
        second!,
        assessmentInputSchema.parse({
          version: 0,
          relationshipStage: 'transactional',
          scores: { payment: 1, strategic_fit: 1, capability: 1, capacity: 1, volume: 1, margin: 1, growth: 1 },
        }),
      );
      const matrix = await keyAccounts.matrix(admin);
      expect(matrix.points.map((p) => [p.accountId, p.quadrant])).toEqual([
        [first, 'key_strategic'],
        [second, 'key_maintenance'],
      ]);
      expect(matrix.quadrants.find((q) => q.quadrant === 'key_strategic')?.accounts).toBe(1);
      await expect(keyAccounts.get(admin, 999_999)).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('market metrics', () => {
    it("decomposes the segment's market share from our transactions and the figures entered", async () => {
      const { market } = services();
      const { db } = use();
      const own = await sql<{ n: number; v: string; q: string }>`
        select count(distinct t.account_id)::int as n, sum(t.amount)::text as v, count(*)::text as q
        from transactions t join analysis_customer_results ra on ra.account_id = t.account_id
          and ra.run_id = (select max(id) from analysis_runs where kind = 'abc') and ra.abc_class = 'A'
        join accounts a on a.id = t.account_id and a.industry = 'freight'
        where t.occurred_at >= ('2025-07-01'::date::timestamp at time zone 'Asia/Hong_Kong')
          and t.occurred_at < ('2026-07-01'::date::timestamp at time zone 'Asia/Hong_Kong')`.execute(db);
      const ours = own.rows[0]!;
      const figure = await market.create(admin, {
        segmentId: aClass.id,
        periodFrom: '2025-07-01',
        periodTo: '2026-06-30',
        marketCustomers: 400,
        marketValue: Number(ours.v) * 8,
        averageCompetitorPrice: 9000,
        volumeUnit: null,
        shareOfWallet: 0.55,
        source: 'HKSAR trade statistics; customer survey',
      });
      await expect(market.create(admin, { ...figure, segmentId: aClass.id })).rejects.toMatchObject({
        code: 'conflict',
      });
      const metrics = await market.metrics(admin, aClass.id);
      expect(metrics.rows).toHaveLength(1);
      const row = metrics.rows[0]!;
      expect(row.own).toMatchObject({ customers: ours.n, volume: Number(ours.q) });
      expect(row.own.value).toBeCloseTo(Number(ours.v), 2);
      expect(row.marketShare).toBeCloseTo(1 / 8, 10);
      const product = ['penetration', 'loyalty', 'selectivity', 'priceSelectivity']
        .map((key) => row.factors.find((f) => f.key === key)!.value!)
        .reduce((a, b) => a * b, 1);
      expect(product).toBeCloseTo(1 / 8, 10);
      expect(row.factors.find((f) => f.key === 'penetration')!.value).toBeCloseTo(ours.n / 400, 12);
      expect(metrics.formulas.every((f) => f.formula.length > 0)).toBe(true);
      await expect(market.update(admin, figure.id, { ...figure, version: 9 })).rejects.toMatchObject({
        code: 'conflict',
      });
      const updated = await market.update(admin, figure.id, { ...figure, version: 1, shareOfWallet: null });
      expect(updated.version).toBe(2);
      expect(
        (await market.metrics(admin, aClass.id)).rows[0]!.factors.find((f) => f.key === 'loyalty')!.value,
      ).toBeNull();
      await market.remove(admin, figure.id, 2);
      expect((await market.metrics(admin, undefined)).rows).toEqual([]);
    });
  });
});
