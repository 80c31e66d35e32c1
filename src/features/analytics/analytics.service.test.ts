import { beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { describeEachDatabase } from '../../testing/databases.js';
import { insertAccount, insertTransaction } from '../../testing/factories.js';
import { customerSummary } from './analytics.repository.js';
import {
  abcResultsSchema,
  churnResultsSchema,
  clvResultsSchema,
  cohortResultsSchema,
  rfmResultsSchema,
  runRequestSchema,
  type RunRequestInput,
} from './analytics.schema.js';
import { createAnalyticsService } from './analytics.service.js';

const clock = fixedClock('2026-04-01T02:00:00Z');
const request = (input: RunRequestInput) => runRequestSchema.parse(input);

describeEachDatabase('analytics service', (use) => {
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    const { db } = use();
    const group = await insertAccount(db, { code: 'GRP', name_en: 'Pacific Group' });
    ids.group = group.id;
    ids.a = (await insertAccount(db, { code: 'A', name_en: 'Alpha', parent_id: group.id })).id;
    ids.b = (await insertAccount(db, { code: 'B', name_en: 'Bravo' })).id;
    ids.c = (await insertAccount(db, { code: 'C', name_en: 'Charlie', parent_id: group.id })).id;
    ids.d = (await insertAccount(db, { code: 'D', name_en: 'Delta' })).id;
    ids.e = (await insertAccount(db, { code: 'E', name_en: 'Echo (no purchases)' })).id;
    // A: two purchases on 1 Jan (Hong Kong days) merge into one day of 150; then 15 Jan (200) and 1 Mar (300).
    await insertTransaction(db, ids.a, '2026-01-01T02:00:00Z', '100.00');
    await insertTransaction(db, ids.a, '2026-01-01T07:00:00Z', '50.00');
    await insertTransaction(db, ids.a, '2026-01-15T04:00:00Z', '200.00');
    await insertTransaction(db, ids.a, '2026-03-01T04:00:00Z', '300.00');
    // B: one purchase.
    await insertTransaction(db, ids.b, '2026-02-10T04:00:00Z', '80.00');
    // C: 31 Jan 17:00 UTC and 1 Feb 03:00 UTC are both 1 Feb in Hong Kong (one day); the April one is after the as-of.
    await insertTransaction(db, ids.c, '2026-01-31T17:00:00Z', '40.00');
    await insertTransaction(db, ids.c, '2026-02-01T03:00:00Z', '60.00');
    await insertTransaction(db, ids.c, '2026-04-02T03:00:00Z', '999.00');
    // D: only after the as-of date.
    await insertTransaction(db, ids.d, '2026-04-05T03:00:00Z', '10.00');
  });

  it('builds the BTYD summary in SQL as computed by hand (days, Hong Kong calendar)', async () => {
    const summary = await customerSummary(use().db, { asOf: '2026-03-31', timeZone: 'Asia/Hong_Kong', unit: 'day' });
    const byId = (id: number | undefined) => {
      const i = Array.from(summary.accountIds).indexOf(id ?? -1);
      return i < 0
        ? null
        : {
            frequency: summary.frequency[i],
            recency: summary.recency[i],
            T: summary.T[i],
            monetaryValue: summary.monetaryValue[i],
            totalValue: summary.totalValue[i],
          };
    };
    expect(summary.accountIds.length).toBe(3);
    // A: days 1 Jan, 15 Jan, 1 Mar → frequency 2, recency 59, T 89 (to 31 Mar), monetary (200 + 300) / 2
    expect(byId(ids.a)).toEqual({ frequency: 2, recency: 59, T: 89, monetaryValue: 250, totalValue: 650 });
    expect(byId(ids.b)).toEqual({ frequency: 0, recency: 0, T: 49, monetaryValue: 0, totalValue: 80 });
    expect(byId(ids.c)).toEqual({ frequency: 0, recency: 0, T: 58, monetaryValue: 0, totalValue: 100 });
    expect(byId(ids.d)).toBeNull();
  });

  it('measures in weeks (days / 7) and follows the time zone given', async () => {
    const weeks = await customerSummary(use().db, { asOf: '2026-03-31', timeZone: 'Asia/Hong_Kong', unit: 'week' });
    const a = Array.from(weeks.accountIds).indexOf(ids.a ?? -1);
    expect(weeks.recency[a]).toBeCloseTo(59 / 7, 12);
    expect(weeks.T[a]).toBeCloseTo(89 / 7, 12);
    const utc = await customerSummary(use().db, { asOf: '2026-03-31', timeZone: 'UTC', unit: 'day' });
    const c = Array.from(utc.accountIds).indexOf(ids.c ?? -1);
    // In UTC, C bought on 31 Jan and 1 Feb: two days.
    expect([utc.frequency[c], utc.recency[c], utc.T[c], utc.monetaryValue[c]]).toEqual([1, 1, 59, 60]);
  });

  it('counts holdout purchases after a calibration end and volumes in two windows', async () => {
    const split = await customerSummary(use().db, {
      asOf: '2026-03-31',
      timeZone: 'Asia/Hong_Kong',
      unit: 'day',
      calibrationEnd: '2026-01-31',
      window: { days: 30, measure: 'revenue' },
    });
    // Only A was a customer by 31 Jan: calibration days 1 Jan and 15 Jan; holdout day 1 Mar.
    expect(Array.from(split.accountIds)).toEqual([ids.a]);
    expect([split.frequency[0], split.recency[0], split.T[0], split.holdoutFrequency[0]]).toEqual([1, 14, 30, 1]);
    // Windows of 30 days: current = (1 Mar, 31 Mar], prior = (30 Jan, 1 Mar] — so the 1 Mar purchase is in the prior one.
    expect([split.current[0], split.prior[0]]).toEqual([0, 300]);
  });

  it('runs RFM, stores the run and every customer, and reads them back', async () => {
    const service = createAnalyticsService({ database: use(), clock });
    const run = await service.run(request({ kind: 'rfm', asOf: '2026-03-31' }));
    expect(run).toMatchObject({ kind: 'rfm', asOf: '2026-03-31', status: 'completed', customerCount: 3 });
    expect(run.parameters).toMatchObject({ timeZone: 'Asia/Hong_Kong', unit: 'day' });
    const results = rfmResultsSchema.parse(run.results);
    expect(results.customers).toBe(3);
    expect(results.summary.meanFrequency).toBeCloseTo(2 / 3, 12);
    expect(results.segments.reduce((sum, s) => sum + s.customers, 0)).toBe(3);
    const page = await service.listRunCustomers(run.id, { sort: 'total_value', order: 'desc', limit: 2 });
    expect(page.items.map((c) => c.accountCode)).toEqual(['A', 'C']);
    expect(page.items[0]).toMatchObject({
      frequency: 2,
      recency: 59,
      T: 89,
      monetaryValue: 250,
      totalValue: 650,
      sinceLast: 30,
    });
    expect(page.items[0]?.rfmSegment).toEqual(expect.any(String));
    const rest = await service.listRunCustomers(run.id, {
      sort: 'total_value',
      order: 'desc',
      limit: 2,
      cursor: page.nextCursor ?? undefined,
    });
    expect(rest.items.map((c) => c.accountCode)).toEqual(['B']);
    expect(rest.nextCursor).toBeNull();
    expect((await service.getRun(run.id)).results).toEqual(run.results);
    expect((await service.latest('rfm')).id).toBe(run.id);
  });

  it('runs ABC over a period with movers, and customer groups rolled up by parent', async () => {
    const service = createAnalyticsService({ database: use(), clock });
    const abc = await service.run(
      request({ kind: 'abc', asOf: '2026-03-31', parameters: { from: '2026-02-01', to: '2026-03-31' } }),
    );
    const results = abcResultsSchema.parse(abc.results);
    // Feb–Mar: A 300, C 100, B 80 (total 480); previous period (3 Dec – 31 Jan): A 350
    expect(results.period).toEqual({ from: '2026-02-01', to: '2026-03-31' });
    expect(results.previousPeriod).toEqual({ from: '2025-12-04', to: '2026-01-31' });
    expect(results.total).toBe(480);
    expect(results.classes.map((c) => [c.class, c.customers])).toEqual([
      ['A', 2],
      ['B', 1],
      ['C', 0],
    ]);
    expect(results.movers).toEqual([
      { from: 'A', to: 'A', customers: 1 },
      { from: null, to: 'A', customers: 1 },
      { from: null, to: 'B', customers: 1 },
    ]);
    const customers = await service.listRunCustomers(abc.id, { sort: 'rank', order: 'asc', limit: 10 });
    expect(customers.items.map((c) => [c.accountCode, c.rank, c.abcClass, c.previousClass, c.value])).toEqual([
      ['A', 1, 'A', 'A', 300],
      ['C', 2, 'A', null, 100],
      ['B', 3, 'B', null, 80],
    ]);
    const groups = await service.run(
      request({ kind: 'groups', asOf: '2026-03-31', parameters: { from: '2026-01-01', compare: false } }),
    );
    const groupResults = abcResultsSchema.parse(groups.results);
    expect(groupResults.groups).toBe(1);
    const rows = await service.listRunCustomers(groups.id, { sort: 'rank', order: 'asc', limit: 10 });
    expect(rows.items.map((c) => [c.accountCode, c.value, c.abcClass])).toEqual([
      ['GRP', 750, 'A'],
      ['B', 80, 'B'],
    ]);
    expect(rows.items[0]?.details).toMatchObject({
      memberCount: 3,
      members: [
        { accountId: ids.a, value: 650 },
        { accountId: ids.c, value: 100 },
        { accountId: ids.group, value: 0 },
      ],
    });
  });

  it('classifies churn with reasons and builds cohorts', async () => {
    const service = createAnalyticsService({ database: use(), clock });
    const churn = await service.run(
      request({
        kind: 'churn',
        asOf: '2026-03-31',
        parameters: { rules: [{ rule: 'inactive_days', class: 'lost', days: 45 }] },
      }),
    );
    const churnResults = churnResultsSchema.parse(churn.results);
    expect(churnResults.classes.map((c) => [c.class, c.customers])).toEqual([
      ['active', 1],
      ['declining', 0],
      ['at_risk', 0],
      ['lost', 2],
    ]);
    const rows = await service.listRunCustomers(churn.id, { sort: 'code', order: 'asc', limit: 10 });
    expect(rows.items.map((c) => [c.accountCode, c.churnClass, c.sinceLast])).toEqual([
      ['A', 'active', 30],
      ['B', 'lost', 49],
      ['C', 'lost', 58],
    ]);
    expect(rows.items[1]?.churnReason).toBe('No purchase for 49 days (rule: over 45 days)');

    const cohorts = await service.run(
      request({ kind: 'cohorts', asOf: '2026-03-31', parameters: { from: '2026-01' } }),
    );
    const cohortResults = cohortResultsSchema.parse(cohorts.results);
    expect(cohortResults.cohorts.map((c) => [c.cohort, c.size, c.customers])).toEqual([
      ['2026-01', 1, [1, 0, 1]],
      ['2026-02', 2, [2, 0, null]],
    ]);
    expect(cohortResults.partialLastMonth).toBe(false);
    const members = await service.listRunCustomers(cohorts.id, { sort: 'code', order: 'asc', limit: 10 });
    expect(members.items.map((c) => [c.accountCode, c.cohort])).toEqual([
      ['A', '2026-01'],
      ['B', '2026-02'],
      ['C', '2026-02'],
    ]);
  });

  it("answers one customer's latest figures of every kind, and not_found for unknown ids", async () => {
    const service = createAnalyticsService({ database: use(), clock });
    const a = await service.accountAnalytics(ids.a ?? 0);
    expect(a.abc).toMatchObject({ class: 'A', previousClass: 'A', included: true });
    expect(a.group).toMatchObject({ groupAccountId: ids.group, class: 'A', value: 750 });
    expect(a.rfm).toMatchObject({ included: true, frequency: 2 });
    expect(a.churn).toMatchObject({ class: 'active' });
    expect(a.cohort).toMatchObject({ cohort: '2026-01' });
    expect(a.clv).toBeNull();
    const e = await service.accountAnalytics(ids.e ?? 0);
    expect(e.rfm).toMatchObject({ included: false, segment: null });
    await expect(service.accountAnalytics(987_654)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.getRun(987_654)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.listRunCustomers(987_654, { sort: 'code', order: 'asc', limit: 5 })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('lists runs newest first, by kind, page by page', async () => {
    const service = createAnalyticsService({ database: use(), clock });
    const all = await service.listRuns({ limit: 200 });
    expect(all.items.length).toBeGreaterThanOrEqual(5);
    const ids = all.items.map((run) => run.id);
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);
    const first = await service.listRuns({ limit: 2 });
    const second = await service.listRuns({ limit: 2, cursor: first.nextCursor ?? undefined });
    expect([...first.items, ...second.items].map((run) => run.id)).toEqual(ids.slice(0, 4));
    const abcOnly = await service.listRuns({ kind: 'abc', limit: 50 });
    expect(abcOnly.items.every((run) => run.kind === 'abc')).toBe(true);
    await expect(service.listRuns({ limit: 5, cursor: 'junk' })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('stores a CLV run, warning instead of failing on data too thin to fit', async () => {
    const service = createAnalyticsService({ database: use(), clock });
    const run = await service.run(request({ kind: 'clv', asOf: '2026-03-31', parameters: { holdoutDays: 0 } }));
    const results = clvResultsSchema.parse(run.results);
    expect(results.customers).toBe(3);
    expect(results.repeatCustomers).toBe(1);
    expect(results.warnings.length).toBeGreaterThan(0);
  });
});
