import { sql } from 'kysely';
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
      await insertAccount(t.database.db, { code: 'R-2', name_en: 'Second Account Ltd' });
      await sql`insert into custom_field_definitions (entity, key, label_en, label_zh, type, choices)
        values ('accounts', 'credit_terms', 'Credit terms', '信貸期', 'number', null)`.execute(t.database.db);
      await sql`update accounts set custom = '{"credit_terms": 60}', status = 'prospect' where code = 'R-2'`.execute(
        t.database.db,
      );
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
      ['status=active,asleep', 'status'],
      ['colour=red', 'colour'],
      ['custom.credit_terms=between:30', 'custom.credit_terms'],
      ['custom.nope=1', 'custom.nope'],
      ['custom.credit_terms=gte:soon', 'custom.credit_terms'],
      ['custom.credit_terms=contains:3', 'custom.credit_terms'],
      ['needs.factor.price=min_gap:9', 'needs.factor.price'],
      ['created_from=yesterday', 'created_from'],
    ])('answers 400 naming the parameter for %s', async (search, parameter) => {
      const response = await t.inject({ url: `/api/accounts?${search}` });
      expect(response.statusCode).toBe(400);
      const body = response.json<{ code: string; message: string; details: { parameter: string } }>();
      expect(body.code).toBe('validation_failed');
      expect(body.details.parameter).toBe(parameter);
      expect(body.message).toContain(parameter);
      expect(response.body).not.toMatch(/at .*\.ts:\d+/);
    });

    it('filters by status and by a custom field, and lists the custom fields a list can filter on', async () => {
      const filtered = await t.inject({ url: '/api/accounts?status=prospect&custom.credit_terms=gte:30' });
      expect(filtered.statusCode).toBe(200);
      expect(filtered.json<{ items: { code: string }[] }>().items.map((item) => item.code)).toEqual(['R-2']);
      const fields = await t.inject({ url: '/api/custom-fields/accounts' });
      expect(fields.statusCode).toBe(200);
      expect(fields.json()).toEqual({
        items: [{ key: 'credit_terms', labelEn: 'Credit terms', labelZh: '信貸期', type: 'number', choices: null }],
      });
    });

    it('names an unknown custom field in the 400', async () => {
      const response = await t.inject({ url: '/api/accounts?custom.nope=1' });
      expect(response.json()).toEqual({
        code: 'validation_failed',
        message: 'Invalid query parameter custom.nope: no custom field "nope" is defined for accounts',
        details: { parameter: 'custom.nope' },
      });
    });

    it('exports the list with the same filters, and refuses a bad filter before sending a byte', async () => {
      const csv = await t.inject({ url: '/api/exports/accounts?format=csv&custom.credit_terms=gte:30' });
      expect(csv.statusCode).toBe(200);
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('R-2');
      const bad = await t.inject({ url: '/api/exports/accounts?format=xlsx&custom.nope=1' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'validation_failed', details: { parameter: 'custom.nope' } });
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
