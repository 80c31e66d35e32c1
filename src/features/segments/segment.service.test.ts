import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { seedDemo } from '../../demo/index.js';
import { fixedClock } from '../../shared/clock.js';
import { describeEachDatabase } from '../../testing/databases.js';
import { createAnalyticsService, runRequestSchema, type RunRequestInput } from '../analytics/index.js';
import { buildActor, systemActor } from '../auth/index.js';
import type { SegmentRule } from './segment.schema.js';
import { createSegmentService, seedDefaultSegments } from './segment.service.js';

/**
 * Segments over the freight demo (300 customers) after ABC, RFM, churn and CLV runs, cross-checked with
 * hand-written SQL over the analysis tables.
 */
const clock = fixedClock('2026-06-30T04:00:00Z'); // 12:00 in Hong Kong: as-of 2026-06-30
const admin = systemActor('system');
const run = (input: RunRequestInput) => runRequestSchema.parse(input);

const ids = (rows: readonly { id: number | string }[]) => rows.map((row) => Number(row.id)).sort((a, b) => a - b);

describeEachDatabase('segment service', (use) => {
  const runs: Record<string, number> = {};
  beforeAll(async () => {
    const database = use();
    await seedDemo(database, { industry: 'freight', customers: 300, seed: 7, asOf: new Date('2026-06-30T00:00:00Z') });
    const analytics = createAnalyticsService({ database, clock });
    for (const kind of ['abc', 'rfm', 'churn', 'clv'] as const) runs[kind] = (await analytics.run(run({ kind }))).id;
  }, 120_000);

  const service = () => createSegmentService({ db: use().db, clock });

  it('installs the freight pack defaults once, with members that match hand-written SQL', async () => {
    const created = await seedDefaultSegments(use(), 'freight', clock);
    expect(created.map((s) => s.name)).toEqual([
      'A-class shippers',
      'At-risk key accounts',
      'One-lane SMEs',
      'Lapsed shippers',
    ]);
    expect(await seedDefaultSegments(use(), 'freight', clock)).toEqual([]);
    const { db } = use();

    const aClass = created[0]!;
    const expectedA = await sql<{ id: number }>`
      select a.id from accounts a join analysis_customer_results r on r.account_id = a.id and r.run_id = ${runs.abc}
      where r.abc_class = 'A' and a.industry = 'freight' and a.archived_at is null`.execute(db);
    expect(expectedA.rows.length).toBeGreaterThan(5);
    expect(aClass.memberCount).toBe(expectedA.rows.length);
    const page = await service().members(admin, aClass.id, { limit: 500 });
    expect(page.items.map((m) => m.accountId)).toEqual(ids(expectedA.rows));
    expect(page.items.every((m) => m.abcClass === 'A')).toBe(true);

    const atRisk = created[1]!;
    const expectedRisk = await sql<{ id: number }>`
      select a.id from accounts a
      left join analysis_customer_results ra on ra.account_id = a.id and ra.run_id = ${runs.abc}
      join analysis_customer_results rh on rh.account_id = a.id and rh.run_id = ${runs.churn}
      where a.industry = 'freight' and (ra.abc_class in ('A', 'B') or 'key' = any(a.tags))
        and rh.churn_class in ('at_risk', 'declining')`.execute(db);
    expect(expectedRisk.rows.length).toBeGreaterThan(0);
    expect(atRisk.memberCount).toBe(expectedRisk.rows.length);
    expect((await service().members(admin, atRisk.id, { limit: 500 })).items.map((m) => m.accountId)).toEqual(
      ids(expectedRisk.rows),
    );

    const oneLane = created[2]!;
    const expectedLane = await sql<{ id: number }>`
      select a.id from accounts a join analysis_customer_results ra on ra.account_id = a.id and ra.run_id = ${runs.abc}
      where a.industry = 'freight' and a.kind = 'company' and ra.abc_class in ('B', 'C')
        and (select count(distinct t.attributes ->> 'lane') from transactions t where t.account_id = a.id
             and t.occurred_at >= ('2025-07-01'::date::timestamp at time zone 'Asia/Hong_Kong')
             and t.occurred_at < ('2026-07-01'::date::timestamp at time zone 'Asia/Hong_Kong')) = 1`.execute(db);
    expect(expectedLane.rows.length).toBeGreaterThan(0);
    expect(oneLane.memberCount).toBe(expectedLane.rows.length);
  });

  it('evaluates not / or, tags, needs, custom fields and P(alive) as SQL would', async () => {
    const { db } = use();
    const accounts = await db
      .selectFrom('accounts')
      .select('id')
      .where('code', 'like', 'FRT-0%')
      .orderBy('id')
      .limit(12)
      .execute();
    const [a1, a2, a3, a4] = accounts.map((row) => Number(row.id));
    await db
      .insertInto('custom_field_definitions')
      .values({ entity: 'accounts', key: 'tier', label_en: 'Tier', type: 'choice', choices: ['gold', 'silver'] })
      .execute();
    await db
      .insertInto('custom_field_definitions')
      .values({ entity: 'accounts', key: 'fleet', label_en: 'Fleet', type: 'number' })
      .execute();
    await db
      .updateTable('accounts')
      .set({ tags: ['key', 'asia'], custom: JSON.stringify({ tier: 'gold', fleet: 12 }) })
      .where('id', '=', a1!)
      .execute();
    await db
      .updateTable('accounts')
      .set({ tags: ['asia'], custom: JSON.stringify({ tier: 'silver', fleet: '40' }) })
      .where('id', '=', a2!)
      .execute();
    await db
      .updateTable('accounts')
      .set({
        needs: JSON.stringify({
          servicesUsed: ['sea', 'HKG-LAX'],
          choiceFactors: [{ factor: 'transit_time', importance: 5, performance: 2 }],
        }),
      })
      .where('id', 'in', [a3!, a4!])
      .execute();
    await db
      .updateTable('accounts')
      .set({ custom: JSON.stringify({ fleet: 'many' }) })
      .where('id', '=', a4!)
      .execute();

    const preview = (rule: SegmentRule) => service().preview(admin, { rule, limit: 100 });
    expect(
      (
        await preview({ kind: 'condition', field: 'account.tags', operator: 'has_all', value: ['key', 'asia'] })
      ).members.map((m) => m.accountId),
    ).toEqual([a1]);
    expect(
      (await preview({ kind: 'condition', field: 'custom', key: 'tier', operator: 'in', value: ['gold', 'silver'] }))
        .count,
    ).toBe(2);
    // '40' (text) counts as a number, 'many' is unknown
    expect(
      (await preview({ kind: 'condition', field: 'custom', key: 'fleet', operator: 'gte', value: 20 })).members.map(
        (m) => m.accountId,
      ),
    ).toEqual([a2]);
    expect(
      (await preview({ kind: 'condition', field: 'needs.services_used', operator: 'has_any', value: ['HKG-LAX'] }))
        .count,
    ).toBe(2);
    expect(
      (await preview({ kind: 'condition', field: 'needs.choice_gap', key: 'Transit_Time', operator: 'gte', value: 3 }))
        .count,
    ).toBe(2);

    const rule: SegmentRule = {
      kind: 'and',
      rules: [
        { kind: 'condition', field: 'analysis.p_alive', operator: 'lt', value: 0.5 },
        { kind: 'not', rule: { kind: 'condition', field: 'analysis.churn_class', operator: 'in', value: ['lost'] } },
        {
          kind: 'or',
          rules: [
            { kind: 'condition', field: 'activity.revenue', operator: 'gte', value: 50_000, period: { lastDays: 365 } },
            { kind: 'condition', field: 'activity.days_since_last', operator: 'lte', value: 60 },
          ],
        },
      ],
    };
    const expected = await sql<{ id: number }>`
      select a.id from accounts a
      join analysis_customer_results rc on rc.account_id = a.id and rc.run_id = ${runs.clv}
      left join analysis_customer_results rh on rh.account_id = a.id and rh.run_id = ${runs.churn}
      where rc.p_alive < 0.5 and rh.churn_class is distinct from 'lost'
        and ((select coalesce(sum(amount), 0) from transactions t where t.account_id = a.id
               and t.occurred_at >= ('2025-07-01'::date::timestamp at time zone 'Asia/Hong_Kong')
               and t.occurred_at < ('2026-07-01'::date::timestamp at time zone 'Asia/Hong_Kong')) >= 50000
          or ('2026-06-30'::date - (select max((t.occurred_at at time zone 'Asia/Hong_Kong')::date) from transactions t
               where t.account_id = a.id and t.occurred_at < ('2026-07-01'::date::timestamp at time zone 'Asia/Hong_Kong'))) <= 60)`.execute(
      db,
    );
    const result = await preview(rule);
    expect(expected.rows.length).toBeGreaterThan(0);
    expect(result.count).toBe(expected.rows.length);
    expect(result.members.map((m) => m.accountId)).toEqual(ids(expected.rows).slice(0, 100));
    expect(result.runIds).toEqual({ abc: runs.abc, rfm: runs.rfm, clv: runs.clv, churn: runs.churn });

    await expect(
      service().preview(admin, {
        rule: { kind: 'condition', field: 'custom', key: 'nope', operator: 'eq', value: 'x' },
        limit: 0,
      }),
    ).rejects.toMatchObject({ code: 'validation_failed', details: { parameter: 'rule.key' } });
  });

  it('counts only the members the actor may see', async () => {
    const { db } = use();
    const seller = await db
      .selectFrom('users')
      .select(['id', 'team'])
      .where('role', '=', 'sales')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const sales = buildActor({ userId: Number(seller.id), role: 'sales', team: seller.team, via: 'session' });
    const rule: SegmentRule = { kind: 'condition', field: 'account.industry', operator: 'eq', value: 'freight' };
    const all = await service().preview(admin, { rule, limit: 0 });
    const mine = await service().preview(sales, { rule, limit: 100 });
    const team = await sql<{ n: number }>`
      select count(*)::int as n from accounts a join users u on u.id = a.owner_id where u.team = ${seller.team} and a.industry = 'freight'`.execute(
      db,
    );
    expect(mine.count).toBe(team.rows[0]!.n);
    expect(mine.count).toBeLessThan(all.count);
    const viewer = buildActor({ userId: Number(seller.id), role: 'service', team: null, via: 'session' });
    await expect(service().create(viewer, { name: 'Nope', rule })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('snapshots membership and tells who entered and who left', async () => {
    const { db } = use();
    const segments = service();
    const accounts = await db
      .selectFrom('accounts')
      .select('id')
      .where('code', 'like', 'FRT-0%')
      .orderBy('id')
      .offset(20)
      .limit(6)
      .execute();
    const [b1, b2, b3, b4, b5, b6] = accounts.map((row) => Number(row.id));
    await db
      .updateTable('accounts')
      .set({ tags: ['vip'] })
      .where('id', 'in', [b1!, b2!, b3!])
      .execute();
    const vip = await segments.create(admin, {
      name: 'VIP',
      rule: { kind: 'condition', field: 'account.tags', operator: 'has_any', value: ['vip'] },
    });
    expect(vip.memberCount).toBe(3);
    const first = await segments.snapshot(admin, vip.id);
    expect(first).toMatchObject({ memberCount: 3, entered: 3, left: 0, trigger: 'manual', asOf: '2026-06-30' });
    expect(first.totalClv).not.toBeNull();

    await db.updateTable('accounts').set({ tags: [] }).where('id', 'in', [b1!, b2!]).execute();
    await db
      .updateTable('accounts')
      .set({ tags: ['vip'] })
      .where('id', 'in', [b4!, b5!, b6!])
      .execute();
    const second = await segments.snapshot(admin, vip.id);
    expect(second).toMatchObject({ memberCount: 4, entered: 3, left: 2 });
    const changes = await segments.changes(admin, vip.id, second.id);
    expect(changes.previousSnapshotId).toBe(first.id);
    expect(changes.entered.map((m) => m.accountId)).toEqual([b4, b5, b6]);
    expect(changes.left.map((m) => m.accountId)).toEqual([b1, b2]);
    const revenue = await sql<{ r: string }>`
      select coalesce(sum(amount), 0)::text as r from transactions where account_id in (${b3}, ${b4}, ${b5}, ${b6})
        and occurred_at >= ('2025-07-01'::date::timestamp at time zone 'Asia/Hong_Kong')
        and occurred_at < ('2026-07-01'::date::timestamp at time zone 'Asia/Hong_Kong')`.execute(db);
    expect(second.revenue12m).toBeCloseTo(Number(revenue.rows[0]!.r), 2);

    // A new analysis run (here: from outside the app, as the CLI runs it) is caught up on the next read.
    const analytics = createAnalyticsService({ database: use(), clock });
    const newRun = await analytics.run(run({ kind: 'abc' }));
    const history = await segments.history(admin, vip.id);
    expect(history[0]).toMatchObject({
      trigger: 'analysis_run',
      analysisRunId: newRun.id,
      entered: 0,
      left: 0,
      memberCount: 4,
    });
    expect(history.map((s) => s.id).slice(1)).toEqual([second.id, first.id]);
    expect((await segments.history(admin, vip.id)).length).toBe(3);
  });

  it('guards edits with the version, keeps names unique and audits changes', async () => {
    const segments = service();
    const rule: SegmentRule = { kind: 'condition', field: 'analysis.abc_class', operator: 'eq', value: 'B' };
    const created = await segments.create(admin, { name: 'B class', rule });
    await expect(segments.create(admin, { name: 'b CLASS', rule })).rejects.toMatchObject({ code: 'conflict' });
    const updated = await segments.update(admin, created.id, { version: created.version, name: 'B-class shippers' });
    expect(updated.version).toBe(created.version + 1);
    await expect(segments.update(admin, created.id, { version: created.version, name: 'Stale' })).rejects.toMatchObject(
      {
        code: 'conflict',
        details: { currentVersion: updated.version },
      },
    );
    await expect(segments.remove(admin, created.id, created.version)).rejects.toMatchObject({ code: 'conflict' });
    await segments.remove(admin, created.id, updated.version);
    expect((await segments.list(admin, {})).some((s) => s.id === created.id)).toBe(false);
    expect((await segments.get(admin, created.id)).archivedAt).not.toBeNull();
    await expect(segments.update(admin, created.id, { version: updated.version + 1, name: 'x' })).rejects.toMatchObject(
      { code: 'not_found' },
    );
    await expect(segments.get(admin, 999_999)).rejects.toMatchObject({ code: 'not_found' });
    const audit = await sql<{ action: string }>`
      select action from audit_log where resource = 'segments' and record_ids @> ${JSON.stringify([String(created.id)])}::jsonb order by id`.execute(
      use().db,
    );
    expect(audit.rows.map((row) => row.action)).toEqual(['create', 'update', 'delete']);
  });
});
