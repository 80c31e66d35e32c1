import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { databaseKinds } from '../../testing/databases.js';
import { insertAccount } from '../../testing/factories.js';

for (const kind of databaseKinds) {
  describe(`accounts routes [${kind}]`, () => {
    let t: TestApp;
    let id = 0;
    beforeAll(async () => {
      t = await createTestApp(kind);
      id = (await insertAccount(t.database.db, { code: 'R-1', name_en: 'Route Test Ltd' })).id;
    });
    afterAll(() => t.close());

    it('lists accounts as a page', async () => {
      const response = await t.inject({ url: '/api/accounts?q=route' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        items: [{ id, code: 'R-1', nameEn: 'Route Test Ltd' }],
        nextCursor: null,
      });
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['sort=revenue', 'sort'],
      ['order=up', 'order'],
      ['industry=banking', 'industry'],
    ])('answers 400 naming the parameter for %s', async (search, parameter) => {
      const response = await t.inject({ url: `/api/accounts?${search}` });
      expect(response.statusCode).toBe(400);
      const body = response.json<{ code: string; message: string; details: { parameter: string } }>();
      expect(body.code).toBe('validation_failed');
      expect(body.details.parameter).toBe(parameter);
      expect(body.message).toContain(parameter);
      expect(response.body).not.toMatch(/at .*\.ts:\d+/);
    });

    it('answers one account, 404 for a missing one and 400 for a non-numeric id', async () => {
      expect((await t.inject({ url: `/api/accounts/${id}` })).json()).toMatchObject({ code: 'R-1' });
      const missing = await t.inject({ url: '/api/accounts/987654' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ code: 'not_found', message: 'Account 987654 does not exist.' });
      expect((await t.inject({ url: '/api/accounts/abc' })).statusCode).toBe(400);
    });
  });
}
