import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/index.js';
import { createTestApp, type SignedInTestUser, type TestApp } from '../../testing/app.js';
import { databaseKinds } from '../../testing/databases.js';
import { fixedClock } from '../../shared/clock.js';
import type { Segment, SegmentSnapshot } from './segment.schema.js';

/** /api/segments… through the real app: permissions per role, validation naming the parameter, 404, 409. */
for (const kind of databaseKinds) {
  describe(`segment routes [${kind}]`, () => {
    let t: TestApp;
    let viewer: SignedInTestUser;
    let segments: Segment[] = [];
    beforeAll(async () => {
      t = await createTestApp(kind, { clock: fixedClock('2026-06-30T04:00:00Z') });
      viewer = await t.as('viewer');
      await seedDemo(t.database, {
        industry: 'freight',
        customers: 150,
        seed: 3,
        asOf: new Date('2026-06-30T00:00:00Z'),
      });
    }, 120_000);
    afterAll(() => t.close());

    it('installs the freight defaults and snapshots them after every analysis run', async () => {
      const installed = await t.inject({
        method: 'POST',
        url: '/api/segments/defaults',
        payload: { industry: 'freight' },
      });
      expect(installed.statusCode).toBe(201);
      segments = installed.json<{ created: Segment[] }>().created;
      expect(segments.map((s) => s.name)).toContain('A-class shippers');
      const again = await t.inject({ method: 'POST', url: '/api/segments/defaults', payload: { industry: 'freight' } });
      expect(again.json<{ existing: string[] }>().existing).toHaveLength(segments.length);
      for (const analysis of ['abc', 'churn']) {
        const run = await t.inject({ method: 'POST', url: '/api/analytics/runs', payload: { kind: analysis } });
        expect(run.statusCode, run.body).toBe(201);
      }
      const aClass = segments.find((s) => s.templateKey === 'freight.a_class_shippers')!;
      const history = await t.inject({ url: `/api/segments/${aClass.id}/snapshots` });
      const items = history.json<{ items: SegmentSnapshot[] }>().items;
      expect(items.map((s) => s.trigger)).toEqual(['analysis_run', 'analysis_run']);
      // After the ABC run the A class entered; the churn run that followed changed nothing in it.
      expect(items[1]!.memberCount).toBeGreaterThan(0);
      expect(items[1]).toMatchObject({ entered: items[1]!.memberCount, left: 0 });
      expect(items[0]).toMatchObject({ memberCount: items[1]!.memberCount, entered: 0, left: 0 });
      expect(items[0]!.analysisRunId).toBeGreaterThan(items[1]!.analysisRunId!);
      const list = await t.inject({ url: '/api/segments?industry=freight' });
      expect(list.statusCode).toBe(200);
      const now = list.json<{ items: Segment[] }>().items.find((s) => s.id === aClass.id)!;
      expect(now.memberCount).toBeGreaterThan(0);
      expect(now.lastSnapshot?.memberCount).toBe(now.memberCount);
    });

    it('previews a rule and answers 400 naming the bad part of it', async () => {
      const preview = await t.inject({
        method: 'POST',
        url: '/api/segments/preview',
        payload: {
          rule: { kind: 'condition', field: 'analysis.abc_class', operator: 'in', value: ['A', 'B'] },
          limit: 3,
        },
      });
      expect(preview.statusCode).toBe(200);
      const body = preview.json<{ count: number; members: { abcClass: string }[] }>();
      expect(body.count).toBeGreaterThan(3);
      expect(body.members).toHaveLength(3);
      const bad = await t.inject({
        method: 'POST',
        url: '/api/segments',
        payload: {
          name: 'Broken',
          rule: {
            kind: 'and',
            rules: [{ kind: 'condition', field: 'analysis.clv', operator: 'has_any', value: ['x'] }],
          },
        },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'validation_failed', details: { parameter: 'rule.rules.0.operator' } });
      const unknown = await t.inject({
        method: 'POST',
        url: '/api/segments/preview',
        payload: { rule: { kind: 'condition', field: 'accounts.name_en', operator: 'eq', value: 'x' } },
      });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json<{ details: { parameter: string } }>().details.parameter).toBe('rule.field');
      const custom = await t.inject({
        method: 'POST',
        url: '/api/segments/preview',
        payload: { rule: { kind: 'condition', field: 'custom', key: 'nope', operator: 'eq', value: 'x' } },
      });
      expect(custom.statusCode).toBe(400);
      expect(custom.json<{ details: { parameter: string } }>().details.parameter).toBe('rule.key');
      expect((await t.inject({ url: '/api/segments/1/members?limit=0' })).json()).toMatchObject({
        details: { parameter: 'limit' },
      });
    });

    it('guards edits with the version, answers 404 and deletes', async () => {
      const rule = { kind: 'condition', field: 'account.kind', operator: 'eq', value: 'company' };
      const created = await t.inject({ method: 'POST', url: '/api/segments', payload: { name: 'Companies', rule } });
      expect(created.statusCode).toBe(201);
      const segment = created.json<Segment>();
      const edit = (version: number) =>
        t.inject({
          method: 'PUT',
          url: `/api/segments/${segment.id}`,
          payload: { version, description: 'All companies' },
        });
      expect((await edit(1)).json()).toMatchObject({ version: 2, description: 'All companies' });
      const stale = await edit(1);
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'conflict', details: { currentVersion: 2 } });
      const duplicate = await t.inject({ method: 'POST', url: '/api/segments', payload: { name: 'companies', rule } });
      expect(duplicate.statusCode).toBe(409);
      expect((await t.inject({ url: '/api/segments/987654' })).statusCode).toBe(404);
      expect((await t.inject({ method: 'DELETE', url: `/api/segments/${segment.id}?version=1` })).statusCode).toBe(409);
      expect((await t.inject({ method: 'DELETE', url: `/api/segments/${segment.id}?version=2` })).statusCode).toBe(204);
      expect((await t.inject({ url: `/api/segments/${segment.id}` })).json()).toMatchObject({
        archivedAt: expect.any(String),
      });
      const snapshot = await t.inject({ method: 'POST', url: `/api/segments/${segments[0]!.id}/snapshots` });
      expect(snapshot.statusCode).toBe(201);
      const changes = await t.inject({
        url: `/api/segments/${segments[0]!.id}/snapshots/${snapshot.json<SegmentSnapshot>().id}`,
      });
      expect(changes.json()).toMatchObject({ entered: [], left: [] });
    });

    it('lets a viewer read but not write, and refuses requests without credentials', async () => {
      expect((await viewer.inject('/api/segments')).statusCode).toBe(200);
      expect((await viewer.inject('/api/segments/fields')).json<{ fields: unknown[] }>().fields.length).toBeGreaterThan(
        20,
      );
      const write = await viewer.inject({
        method: 'POST',
        url: '/api/segments',
        payload: { name: 'Mine', rule: { kind: 'condition', field: 'account.kind', operator: 'eq', value: 'person' } },
      });
      expect(write.statusCode).toBe(403);
      expect((await t.app.inject({ url: '/api/segments' })).statusCode).toBe(401);
      expect((await viewer.inject({ method: 'POST', url: '/api/segments/snapshots' })).statusCode).toBe(403);
    });

    it('publishes the routes and the recursive rule in the OpenAPI document', async () => {
      const document = (await t.inject('/api/openapi.json')).json<{
        paths: Record<string, unknown>;
        components: { schemas: Record<string, unknown> };
      }>();
      expect(Object.keys(document.paths)).toEqual(
        expect.arrayContaining(['/api/segments', '/api/segments/preview', '/api/segments/{id}/snapshots/{snapshotId}']),
      );
      expect(Object.keys(document.components.schemas)).toContain('SegmentRule');
    });
  });
}
