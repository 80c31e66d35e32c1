import cookie from '@fastify/cookie';
import Fastify, { type FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setSessionCookie, signInFailedMessage } from '../../features/auth/index.js';
import { createAuthTestApp, testPassword, type AuthTestApp } from '../../testing/auth.js';
import { databaseKinds } from '../../testing/databases.js';

/** What the audited probe's handler does (set by the test): a service that records its own audit entry. */
let probeService: ((actor: NonNullable<FastifyRequest['actor']>) => Promise<unknown>) | null = null;

/** Probe routes: one undeclared (must be refused), one per kind of declaration. */
const probes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/api/probe/audited/:id',
    { config: { permission: { resource: 'accounts', action: 'update' } } },
    async (request) => {
      if (probeService && request.actor) await probeService(request.actor);
      return { ok: true };
    },
  );
  app.get('/api/probe/undeclared', () => ({ ok: true }));
  app.post('/api/probe/undeclared', () => ({ ok: true }));
  app.get('/api/probe/public', { config: { public: true } }, () => ({ ok: true }));
  app.get('/api/probe/contacts', { config: { permission: { resource: 'contacts', action: 'read' } } }, () => ({
    items: [
      { id: 7, email: 'a@example.hk' },
      { id: 9, email: 'b@example.hk' },
    ],
  }));
  app.get('/api/probe/accounts', { config: { permission: { resource: 'accounts', action: 'read' } } }, () => ({
    ok: true,
  }));
  app.post(
    '/api/probe/accounts',
    {
      config: { permission: { resource: 'accounts', action: 'create' } },
      schema: { body: z.object({ name: z.string() }) },
    },
    () => ({ ok: true }),
  );
  app.get('/api/probe/bad', { config: { permission: { resource: 'nothing', action: 'read' } as never } }, () => ({
    ok: true,
  }));
  app.get('/api/probe/both', { config: { public: true, signedIn: true } }, () => ({ ok: true }));
};

const noStack = (body: string) => {
  expect(body).not.toMatch(/at .*\.(ts|js):\d+/);
  expect(body).not.toMatch(/select |insert |update .* set /i);
};

for (const kind of databaseKinds) {
  describe(`auth plugin and routes [${kind}]`, () => {
    let t: AuthTestApp;
    beforeAll(async () => {
      t = await createAuthTestApp(kind, { routes: probes });
    });
    afterAll(() => t.close());

    describe('deny by default', () => {
      it('lists the routes that declare nothing (or something malformed or ambiguous)', () => {
        const undeclared = t.app.routeAccess
          .filter((route) => route.access === null)
          .map((r) => `${r.method} ${r.url}`);
        expect(undeclared.sort()).toEqual([
          'GET /api/probe/bad',
          'GET /api/probe/both',
          'GET /api/probe/undeclared',
          'HEAD /api/probe/bad',
          'HEAD /api/probe/both',
          'HEAD /api/probe/undeclared',
          'POST /api/probe/undeclared',
        ]);
      });

      it('refuses an undeclared route with 401 to strangers and 403 even to an admin', async () => {
        const admin = await t.user('admin');
        for (const url of ['/api/probe/undeclared', '/api/probe/bad', '/api/probe/both']) {
          expect((await t.app.inject({ url })).statusCode).toBe(401);
          const response = await t.app.inject({ url, headers: admin.headers });
          expect(response.statusCode).toBe(403);
          expect(response.json()).toMatchObject({
            code: 'forbidden',
            message: expect.stringContaining('declares no permission'),
          });
        }
        expect(
          (await t.app.inject({ method: 'POST', url: '/api/probe/undeclared', headers: admin.headers, payload: {} }))
            .statusCode,
        ).toBe(403);
      });

      it('answers public routes without credentials', async () => {
        expect((await t.app.inject({ url: '/api/probe/public' })).statusCode).toBe(200);
      });
    });

    describe('authentication', () => {
      it.each([
        ['no credentials', {}, 'Sign in first.'],
        ['a malformed Authorization header', { authorization: 'Basic dXNlcjpwYXNz' }, 'Bearer'],
        ['an unknown token', { authorization: `Bearer rpt_${'A'.repeat(43)}` }, 'not valid'],
        ['a forged session cookie', { cookie: 'rapport_session=forged' }, 'session has ended'],
        ['an unknown session cookie', { cookie: `rapport_session=${'b'.repeat(43)}` }, 'session has ended'],
      ])('answers 401 to %s', async (_name, headers, message) => {
        const response = await t.app.inject({ url: '/api/probe/accounts', headers });
        expect(response.statusCode).toBe(401);
        expect(response.json()).toMatchObject({ code: 'unauthenticated', message: expect.stringContaining(message) });
        expect(response.headers['www-authenticate']).toContain('Bearer');
        noStack(response.body);
      });

      it('clears a dead session cookie', async () => {
        const response = await t.app.inject({
          url: '/api/auth/me',
          headers: { cookie: `rapport_session=${'c'.repeat(43)}` },
        });
        expect(response.cookies.find((c) => c.name === 'rapport_session')?.value).toBe('');
      });
    });

    describe('sign-in', () => {
      it('sets an httpOnly, SameSite=Lax session cookie (not Secure over plain HTTP) and returns the CSRF token', async () => {
        const user = await t.user('sales', { team: 'Sea Freight' });
        const { response, csrf } = await t.signIn(user.user.email);
        expect(response.statusCode).toBe(200);
        const setCookie = String(response.headers['set-cookie']);
        expect(setCookie).toMatch(/^rapport_session=[A-Za-z0-9_-]{43};/);
        expect(setCookie).toContain('HttpOnly');
        expect(setCookie).toContain('SameSite=Lax');
        expect(setCookie).toContain('Path=/');
        expect(setCookie).not.toContain('Secure');
        expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(response.json()).toMatchObject({
          user: { email: user.user.email, role: 'sales', team: 'Sea Freight' },
          via: 'session',
        });
      });

      it('marks the cookie Secure when the request came over HTTPS', async () => {
        const app = Fastify({ trustProxy: true });
        await app.register(cookie);
        app.get('/set', (request, reply) => {
          setSessionCookie(request, reply, 'x'.repeat(43));
          return reply.send('ok');
        });
        const response = await app.inject({ url: '/set', headers: { 'x-forwarded-proto': 'https' } });
        expect(String(response.headers['set-cookie'])).toContain('Secure');
        await app.close();
      });

      it('gives the same answer for an unknown e-mail, a wrong password and a locked account', async () => {
        const user = await t.user('viewer');
        const attempt = (email: string, password: string) =>
          t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
        const unknown = await attempt('nobody@nowhere.hk', testPassword);
        const wrong = await attempt(user.user.email, 'wrong password');
        expect(unknown.statusCode).toBe(401);
        expect(unknown.body).toBe(wrong.body);
        expect(unknown.json()).toEqual({ code: 'unauthenticated', message: signInFailedMessage });
        for (let i = 0; i < 4; i += 1) await attempt(user.user.email, 'wrong password');
        const locked = await attempt(user.user.email, testPassword);
        expect(locked.statusCode).toBe(401);
        expect(locked.body).toBe(unknown.body);
        t.clock.advance(15 * 60_000);
        expect((await attempt(user.user.email, testPassword)).statusCode).toBe(200);
        t.clock.set('2026-11-24T02:00:00Z');
      });

      it('refuses a body over the size limit with 413 and a malformed body with 400', async () => {
        const big = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({ email: 'a@b.hk', password: 'x'.repeat(1024 * 1024 + 10) }),
        });
        expect(big.statusCode).toBe(413);
        const bad = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: '{"email":',
        });
        expect(bad.statusCode).toBe(400);
        noStack(bad.body);
      });
    });

    describe('CSRF', () => {
      it('refuses a cookie-authenticated write without the session\u2019s X-CSRF-Token header, and changes nothing', async () => {
        const user = await t.user('viewer');
        const { cookie: session, csrf } = await t.signIn(user.user.email);
        const before = await sql<{
          n: number;
        }>`select count(*)::int as n from auth_sessions where revoked_at is null`.execute(t.database.db);
        for (const headers of [
          { cookie: session },
          { cookie: session, 'x-csrf-token': 'wrong' },
          { cookie: session, 'x-csrf-token': csrf, origin: 'https://evil.example' },
        ]) {
          const response = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers });
          expect(response.statusCode).toBe(403);
          expect(response.json()).toMatchObject({ code: 'forbidden', message: expect.stringContaining('CSRF') });
        }
        const patch = await t.app.inject({
          method: 'PATCH',
          url: '/api/auth/me',
          headers: { cookie: session },
          payload: { language: 'zh-Hant' },
        });
        expect(patch.statusCode).toBe(403);
        const after = await sql<{
          n: number;
        }>`select count(*)::int as n from auth_sessions where revoked_at is null`.execute(t.database.db);
        expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
        expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session } })).json()).toMatchObject({
          user: { language: 'en' },
        });
        // With the header (and a same-origin Origin) the same writes go through.
        const ok = await t.app.inject({
          method: 'PATCH',
          url: '/api/auth/me',
          headers: { cookie: session, 'x-csrf-token': csrf, origin: 'http://localhost:80', host: 'localhost:80' },
          payload: { language: 'zh-Hant' },
        });
        expect(ok.statusCode).toBe(200);
        expect(ok.json()).toMatchObject({ language: 'zh-Hant' });
        expect(
          (
            await t.app.inject({
              method: 'POST',
              url: '/api/auth/logout',
              headers: { cookie: session, 'x-csrf-token': csrf },
            })
          ).statusCode,
        ).toBe(204);
        expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
      });

      it('needs no CSRF header with a Bearer token (browsers never send one on their own)', async () => {
        const user = await t.user('viewer');
        const response = await t.app.inject({
          method: 'PATCH',
          url: '/api/auth/me',
          headers: user.headers,
          payload: { displayName: 'Viewer Two' },
        });
        expect(response.statusCode).toBe(200);
      });

      it('returns the CSRF token from /api/auth/me for a session, none for a token', async () => {
        const user = await t.user('viewer');
        const { cookie: session, csrf } = await t.signIn(user.user.email);
        expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session } })).json()).toMatchObject({
          csrfToken: csrf,
        });
        expect((await t.app.inject({ url: '/api/auth/me', headers: user.headers })).json()).toMatchObject({
          csrfToken: null,
          via: 'token',
        });
      });
    });

    describe('authorisation', () => {
      it('answers 403 when the role lacks the action, and validates only after that', async () => {
        const viewer = await t.user('viewer');
        const sales = await t.user('sales');
        expect((await t.app.inject({ url: '/api/probe/accounts', headers: viewer.headers })).statusCode).toBe(200);
        const denied = await t.app.inject({
          method: 'POST',
          url: '/api/probe/accounts',
          headers: viewer.headers,
          payload: { wrong: 1 },
        });
        expect(denied.statusCode).toBe(403);
        expect(denied.json()).toEqual({ code: 'forbidden', message: 'Your role (viewer) may not create accounts.' });
        expect(
          (
            await t.app.inject({
              method: 'POST',
              url: '/api/probe/accounts',
              headers: sales.headers,
              payload: { wrong: 1 },
            })
          ).statusCode,
        ).toBe(400);
        expect((await t.app.inject({ url: '/api/users', headers: sales.headers })).statusCode).toBe(403);
        expect((await t.app.inject({ url: '/api/audit', headers: sales.headers })).statusCode).toBe(403);
      });

      it('answers 404 for a user outside the manager\u2019s team, exactly as for one that does not exist', async () => {
        const manager = await t.user('manager', { team: 'Sea Freight' });
        const mate = await t.user('sales', { team: 'Sea Freight' });
        const stranger = await t.user('sales', { team: 'Air Freight' });
        expect((await t.app.inject({ url: `/api/users/${mate.user.id}`, headers: manager.headers })).statusCode).toBe(
          200,
        );
        const outside = await t.app.inject({ url: `/api/users/${stranger.user.id}`, headers: manager.headers });
        const missing = await t.app.inject({ url: '/api/users/987654', headers: manager.headers });
        expect(outside.statusCode).toBe(404);
        expect(missing.statusCode).toBe(404);
        expect(outside.json()).toEqual({ code: 'not_found', message: `User ${stranger.user.id} does not exist.` });
      });
    });

    describe('audit safety net', () => {
      it('records a successful write whose service records nothing, once; and nothing more when the service records', async () => {
        const admin = await t.user('admin');
        const entries = async () =>
          (
            await sql<{
              action: string;
              details: Record<string, unknown>;
            }>`select action, details from audit_log where actor_user_id = ${admin.user.id} and resource = 'accounts' order by id`.execute(
              t.database.db,
            )
          ).rows;
        probeService = null;
        expect(
          (await t.app.inject({ method: 'POST', url: '/api/probe/audited/42', headers: admin.headers })).statusCode,
        ).toBe(200);
        expect(await entries()).toEqual([
          { action: 'update', details: { route: 'POST /api/probe/audited/:id', status: 200 } },
        ]);
        probeService = (actor) => t.audit.record({ actor, action: 'merge', resource: 'accounts', recordIds: [42] });
        await Promise.all(
          [1, 2, 3].map(() => t.app.inject({ method: 'POST', url: '/api/probe/audited/42', headers: admin.headers })),
        );
        expect((await entries()).map((entry) => entry.action)).toEqual(['update', 'merge', 'merge', 'merge']);
        probeService = null;
        const viewer = await t.user('viewer');
        expect(
          (await t.app.inject({ method: 'POST', url: '/api/probe/audited/42', headers: viewer.headers })).statusCode,
        ).toBe(403);
        expect(await entries()).toHaveLength(4);
      });
    });

    describe('personal data read-outs', () => {
      it('records a list of contacts answered to a role that sees personal data, with ids and never the values', async () => {
        const sales = await t.user('sales');
        const analyst = await t.user('analyst');
        const readOuts = async (userId: number) =>
          (
            await sql<{ record_ids: string[]; record_count: number; details: unknown }>`
              select record_ids, record_count, details from audit_log where actor_user_id = ${userId} and action = 'read_personal'`.execute(
              t.database.db,
            )
          ).rows;
        expect((await t.app.inject({ url: '/api/probe/contacts', headers: sales.headers })).statusCode).toBe(200);
        expect(await readOuts(sales.user.id)).toEqual([
          { record_ids: ['7', '9'], record_count: 2, details: { route: 'GET /api/probe/contacts' } },
        ]);
        expect((await t.app.inject({ url: '/api/probe/contacts', headers: analyst.headers })).statusCode).toBe(200);
        expect(await readOuts(analyst.user.id)).toEqual([]);
      });
    });

    describe('revocation', () => {
      it('deactivation ends the user\u2019s cookie sessions and API tokens at once', async () => {
        const admin = await t.user('admin');
        const victim = await t.user('sales', { team: 'Sea Freight' });
        const { cookie: session } = await t.signIn(victim.user.email);
        expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session } })).statusCode).toBe(200);
        expect((await t.app.inject({ url: '/api/auth/me', headers: victim.headers })).statusCode).toBe(200);
        const response = await t.app.inject({
          method: 'POST',
          url: `/api/users/${victim.user.id}/deactivate`,
          headers: admin.headers,
        });
        expect(response.statusCode).toBe(200);
        expect(response.json()).toMatchObject({ active: false });
        expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
        expect((await t.app.inject({ url: '/api/auth/me', headers: victim.headers })).statusCode).toBe(401);
        expect((await t.signIn(victim.user.email)).response.statusCode).toBe(401);
      });

      it('an expired token answers 401', async () => {
        const user = await t.user('viewer');
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/tokens',
          headers: user.headers,
          payload: { name: 'short', expiresInDays: 1 },
        });
        expect(created.statusCode).toBe(201);
        expect(created.headers['cache-control']).toBe('no-store');
        const { token } = created.json<{ token: string }>();
        expect(
          (await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
        ).toBe(200);
        t.clock.advance(86_400_000);
        expect(
          (await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
        ).toBe(401);
        t.clock.set('2026-11-24T02:00:00Z');
      });
    });

    describe('security headers', () => {
      it('sends helmet\u2019s headers and no CORS headers, even to a foreign Origin', async () => {
        const response = await t.app.inject({ url: '/api/probe/public', headers: { origin: 'https://evil.example' } });
        expect(response.headers['content-security-policy']).toContain("default-src 'self'");
        expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(response.headers['strict-transport-security']).toContain('max-age=');
        expect(response.headers['referrer-policy']).toBe('same-origin');
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
        const preflight = await t.app.inject({
          method: 'OPTIONS',
          url: '/api/probe/public',
          headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
        });
        expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
        expect(preflight.statusCode).toBe(404);
      });
    });

    describe('users, teams and tokens through the API', () => {
      it('lets an admin create a team and a user, change the role and reset the password', async () => {
        const admin = await t.user('admin');
        expect(
          (
            await t.app.inject({
              method: 'POST',
              url: '/api/teams',
              headers: admin.headers,
              payload: { name: 'Customs' },
            })
          ).statusCode,
        ).toBe(201);
        const created = await t.app.inject({
          method: 'POST',
          url: '/api/users',
          headers: admin.headers,
          payload: {
            email: 'New.Person@Rapport.hk',
            displayName: 'New Person',
            role: 'service',
            team: 'Customs',
            password: 'a long enough password',
          },
        });
        expect(created.statusCode).toBe(201);
        const user = created.json<{ id: number; email: string }>();
        expect(user.email).toBe('new.person@rapport.hk');
        const duplicate = await t.app.inject({
          method: 'POST',
          url: '/api/users',
          headers: admin.headers,
          payload: {
            email: 'new.person@rapport.hk',
            displayName: 'Again',
            role: 'service',
            password: 'a long enough password',
          },
        });
        expect(duplicate.statusCode).toBe(409);
        const short = await t.app.inject({
          method: 'POST',
          url: '/api/users',
          headers: admin.headers,
          payload: { email: 'x@y.hk', displayName: 'X', role: 'sales', password: 'short' },
        });
        expect(short.statusCode).toBe(400);
        const patched = await t.app.inject({
          method: 'PATCH',
          url: `/api/users/${user.id}`,
          headers: admin.headers,
          payload: { role: 'marketing' },
        });
        expect(patched.json()).toMatchObject({ role: 'marketing' });
        const reset = await t.app.inject({
          method: 'POST',
          url: `/api/users/${user.id}/password`,
          headers: admin.headers,
          payload: { password: 'another long password' },
        });
        expect(reset.statusCode).toBe(204);
        expect((await t.signIn('new.person@rapport.hk', 'another long password')).response.statusCode).toBe(200);
        const teams = await t.app.inject({ url: '/api/teams', headers: admin.headers });
        expect(teams.json<{ items: { name: string; members: number }[] }>().items).toContainEqual(
          expect.objectContaining({ name: 'Customs', members: 1 }),
        );
        const list = await t.app.inject({ url: '/api/users?role=marketing', headers: admin.headers });
        expect(list.json<{ items: { id: number }[] }>().items.map((u) => u.id)).toContain(user.id);
      });

      it('changes my own password through the API', async () => {
        const user = await t.user('analyst');
        const { cookie: session, csrf } = await t.signIn(user.user.email);
        const headers = { cookie: session, 'x-csrf-token': csrf };
        const wrong = await t.app.inject({
          method: 'POST',
          url: '/api/auth/password',
          headers,
          payload: { currentPassword: 'nope', newPassword: 'a brand new password' },
        });
        expect(wrong.statusCode).toBe(403);
        const ok = await t.app.inject({
          method: 'POST',
          url: '/api/auth/password',
          headers,
          payload: { currentPassword: testPassword, newPassword: 'a brand new password' },
        });
        expect(ok.statusCode).toBe(204);
        expect((await t.signIn(user.user.email, 'a brand new password')).response.statusCode).toBe(200);
      });

      it('lists and revokes only my own tokens; another user\u2019s token is not found', async () => {
        const a = await t.user('viewer');
        const b = await t.user('viewer');
        const mine = await t.app.inject({ url: '/api/tokens', headers: a.headers });
        const items = mine.json<{ items: { id: number; userId: number }[] }>().items;
        expect(items.every((token) => token.userId === a.user.id)).toBe(true);
        expect(mine.body).not.toContain(a.token);
        const theirs = (await t.app.inject({ url: '/api/tokens', headers: b.headers })).json<{
          items: { id: number }[];
        }>().items[0]!;
        expect(
          (await t.app.inject({ method: 'DELETE', url: `/api/tokens/${theirs.id}`, headers: a.headers })).statusCode,
        ).toBe(404);
        const own = items[0]!;
        expect(
          (await t.app.inject({ method: 'DELETE', url: `/api/tokens/${own.id}`, headers: a.headers })).json(),
        ).toMatchObject({ revokedAt: expect.any(String) });
        expect((await t.app.inject({ url: '/api/tokens', headers: a.headers })).statusCode).toBe(401);
      });
    });

    describe('audit routes', () => {
      it('lets auditors browse, export and verify the log; the export is recorded', async () => {
        const auditor = await t.user('auditor');
        const page = await t.app.inject({ url: '/api/audit?action=sign_in_failed&limit=5', headers: auditor.headers });
        expect(page.statusCode).toBe(200);
        const entries = page.json<{ items: { action: string; details: Record<string, unknown> }[] }>().items;
        expect(entries.length).toBeGreaterThan(0);
        expect(entries.every((entry) => entry.action === 'sign_in_failed')).toBe(true);
        expect(page.body).not.toContain('nobody@nowhere.hk');
        const exported = await t.app.inject({
          url: '/api/audit/export?resource=users&limit=10',
          headers: auditor.headers,
        });
        expect(exported.statusCode).toBe(200);
        expect(exported.headers['content-type']).toContain('text/csv');
        expect(exported.headers['content-disposition']).toContain('attachment');
        expect(exported.body.split('\r\n').filter(Boolean)).toHaveLength(11);
        const latest = await t.app.inject({ url: '/api/audit?limit=1', headers: auditor.headers });
        expect(latest.json()).toMatchObject({
          items: [{ action: 'export', resource: 'audit', actorRole: 'auditor', recordCount: 10 }],
        });
        expect((await t.app.inject({ url: '/api/audit/verify', headers: auditor.headers })).json()).toMatchObject({
          ok: true,
        });
        const invalid = await t.app.inject({ url: '/api/audit?from=yesterday', headers: auditor.headers });
        expect(invalid.statusCode).toBe(400);
      });
    });
  });
}

describe('login rate limit', () => {
  it('answers 429 with the catalogue body once a client makes too many attempts', async () => {
    const t = await createAuthTestApp('pglite', { authRoutes: { loginRateLimit: { max: 3, timeWindowMs: 60_000 } } });
    try {
      const attempt = () =>
        t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.hk', password: 'whatever123' } });
      for (let i = 0; i < 3; i += 1) expect((await attempt()).statusCode).toBe(401);
      const limited = await attempt();
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({
        code: 'rate_limited',
        message: expect.stringContaining('Too many attempts'),
      });
    } finally {
      await t.close();
    }
  });
});
