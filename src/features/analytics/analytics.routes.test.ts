import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { databaseKinds } from '../../testing/databases.js';
import { insertAccount, insertTransaction } from '../../testing/factories.js';

interface ErrorBody {
  code: string;
  message: string;
  details?: { parameter?: string };
}

for (const kind of databaseKinds) {
  describe(`analytics routes [${kind}]`, () => {
    let t: TestApp;
    let accountId = 0;
    beforeAll(async () => {
      t = await createTestApp(kind);
      const { db } = t.database;
      for (let i = 0; i < 6; i += 1) {
        const account = await insertAccount(db, { code: `RT-${i}`, name_en: `Route Customer ${i}` });
        if (i === 0) accountId = account.id;
        for (let k = 0; k <= i; k += 1) {
          await insertTransaction(db, account.id, `2026-0${1 + (k % 9)}-1${k}T03:00:00Z`, String(100 * (i + 1)));
        }
      }
    });
    afterAll(() => t.close());

    it('answers 404 for the latest run of a kind never run', async () => {
      const response = await t.inject({ url: '/api/analytics/latest/rfm' });
      expect(response.statusCode).toBe(404);
      expect(response.json<ErrorBody>()).toEqual({ code: 'not_found', message: 'No completed rfm analysis yet.' });
    });

    it('runs an analysis (201), lists it, reads it and its customers', async () => {
      const created = await t.inject({
        method: 'POST',
        url: '/api/analytics/runs',
        payload: { kind: 'rfm', asOf: '2026-10-31' },
      });
      expect(created.statusCode).toBe(201);
      const run = created.json<{
        id: number;
        kind: string;
        status: string;
        customerCount: number;
        results: { customers: number };
      }>();
      expect(run).toMatchObject({ kind: 'rfm', status: 'completed', customerCount: 6, results: { customers: 6 } });

      const list = await t.inject({ url: '/api/analytics/runs?kind=rfm&limit=5' });
      expect(list.statusCode).toBe(200);
      expect(list.json<{ items: { id: number }[] }>().items.map((item) => item.id)).toContain(run.id);

      const one = await t.inject({ url: `/api/analytics/runs/${run.id}` });
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({ id: run.id, asOf: '2026-10-31', parameters: { unit: 'day' } });

      const latest = await t.inject({ url: '/api/analytics/latest/rfm' });
      expect(latest.json()).toMatchObject({ id: run.id });

      const page = await t.inject({
        url: `/api/analytics/runs/${run.id}/customers?sort=total_value&order=desc&limit=4`,
      });
      expect(page.statusCode).toBe(200);
      const body = page.json<{ items: { accountCode: string; rfmSegment: string }[]; nextCursor: string | null }>();
      expect(body.items.map((item) => item.accountCode)).toEqual(['RT-5', 'RT-4', 'RT-3', 'RT-2']);
      expect(body.nextCursor).toEqual(expect.any(String));
      const next = await t.inject({
        url: `/api/analytics/runs/${run.id}/customers?sort=total_value&order=desc&limit=4&cursor=${body.nextCursor}`,
      });
      expect(next.json<{ items: { accountCode: string }[] }>().items.map((item) => item.accountCode)).toEqual([
        'RT-1',
        'RT-0',
      ]);
    });

    it('answers one customer’s analytics for the customer 360 page', async () => {
      await t.inject({
        method: 'POST',
        url: '/api/analytics/runs',
        payload: { kind: 'churn', asOf: '2026-10-31' },
      });
      const response = await t.inject({ url: `/api/accounts/${accountId}/analytics` });
      expect(response.statusCode).toBe(200);
      const body = response.json<{ rfm: { included: boolean }; churn: { class: string; reason: string }; clv: null }>();
      expect(body.rfm.included).toBe(true);
      expect(body.churn.class).toEqual(expect.any(String));
      expect(body.churn.reason.length).toBeGreaterThan(10);
      expect(body.clv).toBeNull();
      expect((await t.inject({ url: '/api/accounts/987654/analytics' })).statusCode).toBe(404);
      expect((await t.inject({ url: '/api/accounts/abc/analytics' })).statusCode).toBe(400);
    });

    it('answers 404 for an unknown run and its customers', async () => {
      const missing = await t.inject({ url: '/api/analytics/runs/987654' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ code: 'not_found', message: 'Analysis run 987654 does not exist.' });
      expect((await t.inject({ url: '/api/analytics/runs/987654/customers' })).statusCode).toBe(404);
    });

    it.each([
      ['/api/analytics/runs?kind=pareto', 'kind'],
      ['/api/analytics/runs?limit=0', 'limit'],
      ['/api/analytics/runs?cursor=forged', 'cursor'],
      ['/api/analytics/runs/abc', 'id'],
      ['/api/analytics/runs/1/customers?sort=revenue', 'sort'],
      ['/api/analytics/runs/1/customers?limit=5000', 'limit'],
      ['/api/analytics/runs/1/customers?abcClass=D', 'abcClass'],
      ['/api/analytics/runs/1/customers?churnClass=gone', 'churnClass'],
      ['/api/analytics/latest/magic', 'kind'],
    ])('GET %s answers 400 naming %s', async (url, parameter) => {
      const response = await t.inject({ url });
      expect(response.statusCode).toBe(400);
      const body = response.json<ErrorBody>();
      expect(body.code).toBe('validation_failed');
      expect(body.details?.parameter).toBe(parameter);
      expect(body.message).toContain(parameter);
    });

    it.each([
      [{ kind: 'magic' }, 'kind'],
      [{ kind: 'abc', asOf: '2026-02-30' }, 'asOf'],
      [{ kind: 'abc', parameters: { thresholds: { a: 0.9, b: 0.8 } } }, 'parameters.thresholds.b'],
      [{ kind: 'abc', parameters: { measure: 'profit' } }, 'parameters.measure'],
      [{ kind: 'rfm', parameters: { unit: 'month' } }, 'parameters.unit'],
      [{ kind: 'rfm', parameters: { timeZone: 'Mars/Olympus' } }, 'parameters.timeZone'],
      [
        { kind: 'churn', parameters: { rules: [{ rule: 'volume_drop', class: 'lost', percent: 150 }] } },
        'parameters.rules.0.percent',
      ],
      [{ kind: 'clv', parameters: { model: 'gamma-gamma' } }, 'parameters.model'],
      [{ kind: 'cohorts', parameters: { from: '2026-13' } }, 'parameters.from'],
      [{ kind: 'rfm', parameters: { bogus: 1 } }, 'parameters'],
    ])('POST %j answers 400 naming %s', async (payload, parameter) => {
      const response = await t.inject({ method: 'POST', url: '/api/analytics/runs', payload });
      expect(response.statusCode).toBe(400);
      const body = response.json<ErrorBody>();
      expect(body.code).toBe('validation_failed');
      expect(body.details?.parameter).toBe(parameter);
      expect(response.body).not.toMatch(/at .*\.ts:\d+/);
    });

    it('answers 400 when the period is inverted (checked by the service)', async () => {
      const response = await t.inject({
        method: 'POST',
        url: '/api/analytics/runs',
        payload: { kind: 'abc', asOf: '2026-10-31', parameters: { from: '2026-12-01' } },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().details?.parameter).toBe('from');
    });
  });
}
