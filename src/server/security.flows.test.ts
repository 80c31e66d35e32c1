import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, seedDemoUsers } from '../features/auth/index.js';
import { createTestApp, type TestApp } from '../testing/app.js';
import { mutableClock } from '../testing/auth.js';
import { databaseKinds } from '../testing/databases.js';

/**
 * The rest of the security tests, on the whole app and on both databases: 401 for every route of the
 * OpenAPI document but the public ones, security headers and no CORS, revocation on deactivation, token expiry,
 * lockout, CSRF refusal, and formula neutralisation of every exportable field (property-based).
 */
const publicPaths = new Set(['GET /api/health', 'POST /api/auth/login', 'GET /api/openapi.json']);

/** A cell Excel, LibreOffice or Google Sheets could run: = + - @ (also full-width, also after spaces), tab, CR. */
const formulaLike = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

for (const kind of databaseKinds) {
  describe(`security flows on the whole app [${kind}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind, { clock: mutableClock('2026-11-24T02:00:00Z') });
      await seedDemoUsers(t.database);
    }, 120_000);
    afterAll(() => t?.close());

    it('answers 401 without credentials on every route of the OpenAPI document except the public list', async () => {
      const document = (await t.app.inject({ url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, unknown>>;
      }>();
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods)
          .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map((method) => ({ method: method.toUpperCase(), path })),
      );
      // The document must list every registered /api route (apart from the docs UI), or this check would miss some.
      const registered = t.app.routeAccess
        .filter(
          (route) => route.method !== 'HEAD' && route.url.startsWith('/api') && !route.url.startsWith('/api/docs'),
        )
        .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
      const documented = new Set(operations.map((operation) => `${operation.method} ${operation.path}`));
      expect(registered.filter((route) => !documented.has(route) && route !== 'GET /api/openapi.json')).toEqual([]);
      expect(operations.length).toBeGreaterThan(20);
      const wrong: string[] = [];
      for (const { method, path } of operations) {
        const url = path.replace(/\{[^}]+\}/g, '1');
        const response = await t.app.inject({
          method: method as 'GET',
          url,
          payload: method === 'GET' || method === 'DELETE' ? undefined : {},
        });
        const key = `${method} ${path}`;
        if (publicPaths.has(key)) {
          if (response.statusCode === 401) wrong.push(`${key} is public but answered 401`);
        } else if (response.statusCode !== 401) {
          wrong.push(`${key} → ${response.statusCode}`);
        } else {
          expect(response.json()).toMatchObject({ code: 'unauthenticated' });
        }
      }
      expect(wrong).toEqual([]);
    });

    it('sends the security headers on API answers and the docs, and no CORS headers to a foreign origin', async () => {
      for (const url of ['/api/health', '/api/docs/', '/api/accounts', '/api/no-such-route']) {
        const response = await t.app.inject({ url, headers: { origin: 'https://evil.example' } });
        expect(response.headers['content-security-policy'], url).toContain("default-src 'self'");
        expect(response.headers['x-content-type-options'], url).toBe('nosniff');
        expect(response.headers['x-frame-options'], url).toBe('SAMEORIGIN');
        expect(response.headers['strict-transport-security'], url).toContain('max-age=');
        expect(response.headers['access-control-allow-origin'], url).toBeUndefined();
        expect(response.headers['access-control-allow-credentials'], url).toBeUndefined();
      }
    });

    it('signs a demo user in with a cookie, refuses a cookie write without the CSRF header, and accepts it with', async () => {
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'manager@demo.rapport.hk', password: demoPassword },
      });
      expect(login.statusCode).toBe(200);
      const cookie = `rapport_session=${login.cookies.find((c) => c.name === 'rapport_session')?.value ?? ''}`;
      const csrf = login.json<{ csrfToken: string }>().csrfToken;
      const refused = await t.app.inject({
        method: 'PATCH',
        url: '/api/auth/me',
        headers: { cookie },
        payload: { displayName: 'X' },
      });
      expect(refused.statusCode).toBe(403);
      const accepted = await t.app.inject({
        method: 'PATCH',
        url: '/api/auth/me',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { displayName: 'Demo manager' },
      });
      expect(accepted.statusCode).toBe(200);
    });

    it('ends a deactivated user\u2019s cookie session and tokens at once', async () => {
      const victim = await t.as('service', { team: 'Sea Freight' });
      await t.inject({
        method: 'POST',
        url: `/api/users/${victim.user.id}/password`,
        payload: { password: 'service password 1' },
      });
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: victim.user.email, password: 'service password 1' },
      });
      const cookie = `rapport_session=${login.cookies.find((c) => c.name === 'rapport_session')?.value ?? ''}`;
      expect((await t.app.inject({ url: '/api/accounts', headers: { cookie } })).statusCode).toBe(200);
      expect((await victim.inject('/api/accounts')).statusCode).toBe(200);
      expect((await t.inject({ method: 'POST', url: `/api/users/${victim.user.id}/deactivate` })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/api/accounts', headers: { cookie } })).statusCode).toBe(401);
      expect((await victim.inject('/api/accounts')).statusCode).toBe(401);
    });

    it('refuses an expired token and locks an account after repeated failures', async () => {
      const created = await t.inject({
        method: 'POST',
        url: '/api/tokens',
        payload: { name: 'one day', expiresInDays: 1 },
      });
      const { token } = created.json<{ token: string }>();
      const clock = t.context.clock as ReturnType<typeof mutableClock>;
      expect(
        (await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
      ).toBe(200);
      clock.advance(86_400_000);
      expect(
        (await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
      ).toBe(401);
      clock.set('2026-11-24T02:00:00Z');
      const attempt = (password: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'viewer@demo.rapport.hk', password },
        });
      for (let i = 0; i < 5; i += 1) expect((await attempt('wrong password')).statusCode).toBe(401);
      expect((await attempt(demoPassword)).statusCode).toBe(401); // locked, with the same message
    });

    it('hides contact e-mail and phone from an analyst’s export, and does not find contacts by them', async () => {
      const { db } = t.database;
      const account = await db
        .insertInto('accounts')
        .values({ code: 'MASK-1', name_en: 'Mask Test Ltd', industry: 'freight' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('contacts')
        .values({ account_id: account.id, name: 'Ms Mask', email: 'unique.secret@mask.example', phone: '+85290000001' })
        .execute();
      const analyst = await t.as('analyst');
      const rowsOf = async (inject: TestApp['inject'], q: string): Promise<string[][]> =>
        parse((await inject(`/api/exports/contacts?format=csv&q=${encodeURIComponent(q)}`)).body, { bom: true });
      expect(await rowsOf(t.inject, 'unique.secret')).toHaveLength(2);
      expect(await rowsOf(analyst.inject, 'unique.secret')).toHaveLength(1); // the header only: no count oracle
      const [header, row] = await rowsOf(analyst.inject, 'Ms Mask');
      expect(row?.[header!.indexOf('email')]).toBe('');
      expect(row?.[header!.indexOf('phone')]).toBe('');
      expect(row?.[header!.indexOf('name')]).toBe('Ms Mask');
    });

    it('neutralises formulas in every exportable field of accounts, contacts and transactions (property-based)', async () => {
      const { db } = t.database;
      const dangerous = fc
        .tuple(
          fc.constantFrom('=', '+', '-', '@', '\t', '\r', ' =', '\u3000+', '＝', '＋', '－', '＠'),
          fc.string({ maxLength: 12 }),
        )
        .map(([start, rest]) => `${start}${rest}`.replaceAll('\u0000', ''));
      const text = fc.oneof(
        dangerous,
        fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.replaceAll('\u0000', '') || 'x'),
      );
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(text, { minLength: 16, maxLength: 16 }), async (values) => {
          run += 1;
          const v = (i: number) => values[i] ?? '=x';
          const owner = await db
            .insertInto('users')
            .values({ email: `${v(0)}${run}@formula.test`, display_name: v(1) })
            .returning('id')
            .executeTakeFirstOrThrow();
          const parent = await db
            .insertInto('accounts')
            .values({ code: `=P${run}+1`, name_en: v(2), industry: 'retail' })
            .returning('id')
            .executeTakeFirstOrThrow();
          const code = `${v(3).slice(0, 20)}#${run}`;
          const account = await db
            .insertInto('accounts')
            .values({
              code,
              name_en: v(4),
              name_zh: v(5),
              industry: 'retail',
              parent_id: parent.id,
              owner_id: owner.id,
              tags: [v(6), v(7)],
              source: v(8),
              needs: { servicesUsed: [v(9)], requirements: v(10) },
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await db
            .insertInto('contacts')
            .values({
              account_id: account.id,
              name: v(11),
              title: v(12),
              email: v(13),
              phone: v(14),
              language: v(15),
              channels: [v(0)],
            })
            .execute();
          await db
            .insertInto('transactions')
            .values({
              external_id: `${v(1)}#${run}`,
              account_id: account.id,
              occurred_at: '2026-10-01T02:00:00Z',
              amount: '-12.50',
              currency: (v(2) + '===').slice(0, 3),
              unit: v(3),
              product_line: v(4),
              channel: v(5),
              cost: '-3.00',
            })
            .execute();
          for (const entity of ['accounts', 'contacts', 'transactions']) {
            const response = await t.inject({
              url: `/api/exports/${entity}?format=csv&account_code=${encodeURIComponent(code)}`,
            });
            expect(response.statusCode).toBe(200);
            const rows: string[][] = parse(response.body, { bom: true, relax_column_count: false });
            expect(rows.length).toBeGreaterThanOrEqual(2); // header and the run's row
            for (const cell of rows.slice(1).flat()) {
              const numeric = /^-?\d+(\.\d+)?$/.test(cell);
              if (!numeric) expect(formulaLike.test(cell), `${entity}: ${JSON.stringify(cell)}`).toBe(false);
            }
          }
        }),
        { numRuns: 12, seed: 5 },
      );
    }, 120_000);
  });
}
