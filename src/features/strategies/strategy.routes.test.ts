import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/index.js';
import { fixedClock } from '../../shared/clock.js';
import { createTestApp, type SignedInTestUser, type TestApp } from '../../testing/app.js';
import { databaseKinds } from '../../testing/databases.js';
import type { Segment } from '../segments/index.js';
import type { GuidedDraft, Strategy, TransitionResult } from './strategy.schema.js';
import type { Task } from './task.schema.js';

/**
 * The flow over HTTP with the real app and real roles: a manager drafts with the guided builder, saves,
 * sends for review, the departments approve, the manager approves; a sales owner finds and completes their tasks.
 */
for (const kind of databaseKinds) {
  describe(`strategy routes [${kind}]`, () => {
    let t: TestApp;
    let manager: SignedInTestUser;
    let analyst: SignedInTestUser;
    let sales: SignedInTestUser;
    let viewer: SignedInTestUser;
    let segments: Segment[] = [];
    let strategy: Strategy;
    beforeAll(async () => {
      t = await createTestApp(kind, { clock: fixedClock('2026-06-30T04:00:00Z') });
      manager = await t.as('manager', { team: 'Sales Management' });
      analyst = await t.as('analyst');
      sales = await t.as('sales', { team: 'Sea Freight' });
      viewer = await t.as('viewer');
      await seedDemo(t.database, {
        industry: 'freight',
        customers: 150,
        seed: 5,
        asOf: new Date('2026-06-30T00:00:00Z'),
      });
      for (const analysis of ['abc', 'rfm', 'churn', 'clv']) {
        const run = await t.inject({ method: 'POST', url: '/api/analytics/runs', payload: { kind: analysis } });
        expect(run.statusCode, run.body).toBe(201);
      }
      segments = (
        await t.inject({ method: 'POST', url: '/api/segments/defaults', payload: { industry: 'freight' } })
      ).json<{ created: Segment[] }>().created;
      // The sales user owns the A-class accounts, so that approval gives them tasks.
      const aClass = segments.find((s) => s.templateKey === 'freight.a_class_shippers')!;
      const members = (await t.inject(`/api/segments/${aClass.id}/members?limit=500`)).json<{
        items: { accountId: number }[];
      }>().items;
      await t.database.db
        .updateTable('accounts')
        .set({ owner_id: sales.user.id })
        .where(
          'id',
          'in',
          members.map((m) => m.accountId),
        )
        .execute();
    }, 180_000);
    afterAll(() => t.close());

    const ids = () => {
      const aClass = segments.find((s) => s.templateKey === 'freight.a_class_shippers')!;
      const atRisk = segments.find((s) => s.templateKey === 'freight.at_risk_key_accounts')!;
      return [aClass.id, atRisk.id];
    };

    it('drafts with the guided builder and saves the draft', async () => {
      const response = await manager.inject({
        method: 'POST',
        url: '/api/strategies/guided-draft',
        payload: { industry: 'freight', segmentIds: ids(), title: 'Freight key accounts' },
      });
      expect(response.statusCode, response.body).toBe(200);
      const draft = response.json<GuidedDraft>();
      expect(draft.steps.map((s) => s.step)).toEqual([
        'classify',
        'assess',
        'targets',
        'tactics',
        'budget',
        'kpis',
        'review',
      ]);
      expect(draft.budget.total).toBeGreaterThan(0);
      expect(
        draft.steps.flatMap((s) => s.explanations).every((e) => typeof e.key === 'string' && e.text.length > 0),
      ).toBe(true);

      expect(
        (
          await viewer.inject({
            method: 'POST',
            url: '/api/strategies',
            payload: { title: draft.title, document: draft.document },
          })
        ).statusCode,
      ).toBe(403);
      const created = await manager.inject({
        method: 'POST',
        url: '/api/strategies',
        payload: { title: draft.title, industry: 'freight', document: draft.document },
      });
      expect(created.statusCode, created.body).toBe(201);
      strategy = created.json<Strategy>();
      expect(strategy).toMatchObject({ status: 'draft', version: 1 });

      const badTarget = await manager.inject({
        method: 'POST',
        url: '/api/strategies',
        payload: {
          title: 'x',
          document: { ...draft.document, targets: [{ ...draft.document.targets[0]!, segmentId: 987654 }] },
        },
      });
      expect(badTarget.statusCode).toBe(400);
      expect(badTarget.json()).toMatchObject({ details: { parameter: 'document.targets.0.segmentId' } });
      const badCadence = await manager.inject({
        method: 'POST',
        url: '/api/strategies',
        payload: {
          title: 'x',
          document: {
            ...draft.document,
            targets: [
              { ...draft.document.targets[0]!, cadence: [{ kind: 'fax', every: 1, unit: 'week', costPerContact: 1 }] },
            ],
          },
        },
      });
      expect(badCadence.statusCode).toBe(400);
      expect(badCadence.json()).toMatchObject({ details: { parameter: 'document.targets.0.cadence.0.kind' } });
    });

    it('shows budget, scenario and versions; refuses stale saves', async () => {
      const budget = await viewer.inject(`/api/strategies/${strategy.id}/budget`);
      expect(budget.statusCode).toBe(200);
      expect(budget.json<{ segments: unknown[] }>().segments).toHaveLength(2);
      const scenario = await manager.inject({
        method: 'POST',
        url: `/api/strategies/${strategy.id}/scenario`,
        payload: { volumeDropPercent: 25 },
      });
      expect(scenario.statusCode).toBe(200);
      expect(
        (
          await manager.inject({
            method: 'POST',
            url: `/api/strategies/${strategy.id}/scenario`,
            payload: { volumeDropPercent: 95 },
          })
        ).json(),
      ).toMatchObject({
        details: { parameter: 'volumeDropPercent' },
      });
      const saved = await manager.inject({
        method: 'PUT',
        url: `/api/strategies/${strategy.id}`,
        payload: { version: 1, title: 'Freight key accounts 2026/27' },
      });
      expect(saved.json()).toMatchObject({ version: 2 });
      const stale = await manager.inject({
        method: 'PUT',
        url: `/api/strategies/${strategy.id}`,
        payload: { version: 1, title: 'Lost' },
      });
      expect(stale.statusCode).toBe(409);
      const diff = await manager.inject(`/api/strategies/${strategy.id}/diff?from=1&to=2`);
      expect(diff.json()).toMatchObject({
        changes: [{ path: 'title', change: 'changed', after: 'Freight key accounts 2026/27' }],
      });
      expect((await manager.inject(`/api/strategies/${strategy.id}/diff?from=1`)).json()).toMatchObject({
        details: { parameter: 'to' },
      });
      expect((await manager.inject('/api/strategies/987654')).statusCode).toBe(404);
    });

    it('goes through review to approval and schedules the owners’ tasks', async () => {
      const move = (user: SignedInTestUser, version: number, to: string) =>
        user.inject({ method: 'POST', url: `/api/strategies/${strategy.id}/transitions`, payload: { version, to } });
      expect((await move(sales, 2, 'in_review')).statusCode).toBe(403);
      const review = await move(manager, 2, 'in_review');
      expect(review.statusCode, review.body).toBe(200);
      const comment = await sales.inject({
        method: 'POST',
        url: `/api/strategies/${strategy.id}/comments`,
        payload: { department: 'sales', body: 'We can do weekly calls for the top ten only.' },
      });
      expect(comment.statusCode).toBe(201);
      for (const department of ['sales', 'customer_service', 'finance']) {
        const decision = await manager.inject({
          method: 'POST',
          url: `/api/strategies/${strategy.id}/approvals`,
          payload: { version: 3, department, decision: 'approve' },
        });
        expect(decision.statusCode).toBe(201);
      }
      const byAnalyst = await move(analyst, 3, 'approved');
      expect(byAnalyst.statusCode).toBe(409);
      const approved = await move(manager, 3, 'approved');
      expect(approved.statusCode, approved.body).toBe(200);
      const result = approved.json<TransitionResult>();
      expect(result.strategy).toMatchObject({
        status: 'approved',
        version: 4,
        comments: [expect.objectContaining({ department: 'sales' })],
      });
      expect(result.schedule!.created).toBeGreaterThan(0);
      strategy = result.strategy;
    });

    it('gives the owner their tasks, lets them complete one, and shows compliance', async () => {
      const mine = await sales.inject('/api/tasks?mine=true&limit=500');
      expect(mine.statusCode).toBe(200);
      const tasks = mine.json<{ items: Task[] }>().items;
      expect(tasks.length).toBeGreaterThan(0);
      expect(tasks.every((task) => task.ownerId === sales.user.id)).toBe(true);
      // Sales see only their own tasks, even without mine=true; a viewer has no engagement rights.
      const all = (await sales.inject('/api/tasks?limit=500')).json<{ items: Task[] }>().items;
      expect(all.every((task) => task.ownerId === sales.user.id)).toBe(true);
      expect((await viewer.inject('/api/tasks')).statusCode).toBe(403);
      const done = await sales.inject({
        method: 'POST',
        url: `/api/tasks/${tasks[0]!.id}/complete`,
        payload: { outcome: 'Called, all fine' },
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ status: 'done', interactionId: expect.any(Number) });
      expect(
        (await sales.inject({ method: 'POST', url: `/api/tasks/${tasks[0]!.id}/complete`, payload: {} })).statusCode,
      ).toBe(409);
      const compliance = await manager.inject(`/api/tasks/compliance?strategyId=${strategy.id}`);
      expect(compliance.statusCode).toBe(200);
      expect(compliance.json()).toMatchObject({ total: { done: 1 } });
      expect((await sales.inject('/api/tasks?dueFrom=yesterday')).json()).toMatchObject({
        details: { parameter: 'dueFrom' },
      });
    });

    it('exports JSON and Markdown', async () => {
      const json = await viewer.inject(`/api/strategies/${strategy.id}/export`);
      expect(json.json()).toMatchObject({ strategy: { id: strategy.id }, budget: { strategyId: strategy.id } });
      const markdown = await viewer.inject(`/api/strategies/${strategy.id}/export?format=md`);
      expect(markdown.headers['content-type']).toContain('text/markdown');
      expect(markdown.body).toContain('# Freight key accounts 2026/27');
    });

    it('assesses key accounts and decomposes market share', async () => {
      const [aClassId] = ids();
      const members = (await t.inject(`/api/segments/${aClassId}/members?limit=1`)).json<{
        items: { accountId: number }[];
      }>().items;
      const accountId = members[0]!.accountId;
      const suggestion = await analyst.inject(`/api/key-accounts/${accountId}/suggestion`);
      expect(suggestion.statusCode).toBe(200);
      const saved = await analyst.inject({
        method: 'PUT',
        url: `/api/key-accounts/${accountId}`,
        payload: {
          version: 0,
          relationshipStage: 'partner',
          scores: { payment: 4, strategic_fit: 4, capability: 5, capacity: 4 },
        },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ quadrant: 'key_strategic', version: 1 });
      expect((await analyst.inject('/api/key-accounts/matrix')).json<{ points: unknown[] }>().points).toHaveLength(1);
      // Only accounts the reader may see: a viewer without a team sees none, and the account answers as missing.
      expect((await viewer.inject('/api/key-accounts/matrix')).json<{ points: unknown[] }>().points).toHaveLength(0);
      const hidden = await viewer.inject(`/api/key-accounts/${accountId}`);
      expect(hidden.json()).toEqual({ code: 'not_found', message: `Account ${accountId} does not exist.` });
      const put = await viewer.inject({ method: 'PUT', url: `/api/key-accounts/${accountId}`, payload: {} });
      expect(put.statusCode).toBe(403);
      // Margins are commercial: hidden from sales (who own these accounts), shown to analysts.
      expect(suggestion.json()).toMatchObject({ masked: [] });
      const forSales = (await sales.inject(`/api/key-accounts/${accountId}/suggestion`)).json<{
        masked: string[];
        figures: { margin12m: unknown };
      }>();
      expect(forSales.masked).toEqual(['margin12m', 'marginRate', 'marginRatePercentile']);
      expect(forSales.figures.margin12m).toBeNull();
      const weights = await manager.inject({
        method: 'PUT',
        url: '/api/key-accounts/criteria',
        payload: {
          criteria: [
            { key: 'volume', axis: 'attractiveness', labelEn: 'Volume', labelZh: null, weight: 0.7, source: 'volume' },
            { key: 'capability', axis: 'fit', labelEn: 'Capability', labelZh: null, weight: 0.5, source: 'manual' },
          ],
        },
      });
      expect(weights.statusCode).toBe(400);
      expect(weights.json<{ message: string }>().message).toContain('weights must add up to 1');

      const figures = await manager.inject({
        method: 'POST',
        url: '/api/market-metrics/figures',
        payload: {
          segmentId: null,
          periodFrom: '2025-07-01',
          periodTo: '2026-06-30',
          marketCustomers: 5000,
          marketValue: 900_000_000,
          averageCompetitorPrice: 12_000,
          volumeUnit: null,
          shareOfWallet: 0.5,
          source: null,
        },
      });
      expect(figures.statusCode, figures.body).toBe(201);
      const metrics = await viewer.inject('/api/market-metrics');
      expect(metrics.statusCode).toBe(200);
      const row = metrics.json<{ rows: { marketShare: number; check: number; factors: { formula: string }[] }[] }>()
        .rows[0]!;
      expect(row.check).toBeCloseTo(row.marketShare, 10);
      expect(row.factors.every((f) => f.formula.length > 0)).toBe(true);
      expect(
        (await viewer.inject({ method: 'POST', url: '/api/market-metrics/figures', payload: {} })).statusCode,
      ).toBe(403);
    });
  });
}
