import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles, scopeCovers, scopeFor, systemActor, type Role, type RouteAccess } from '../features/auth/index.js';
import { createTestApp, type TestApp } from '../testing/app.js';
import { databaseKinds } from '../testing/databases.js';
import { databaseChecksum, hostileStrings } from '../testing/security.js';
import type { RouteAccessEntry } from './plugins/auth.js';

/**
 * The security properties of the whole app, generated from the routes it registers — so a route added later is
 * covered without anyone writing a test for it:
 *   1. the authorisation matrix: every route × every role × a record the user owns / a teammate owns / someone in
 *      another team owns → the status the role matrix implies (403 without the action, 404 outside the scope);
 *   2. a denied request changes nothing: a checksum of every table before and after each denied call;
 *   3. fuzzing: malformed bodies, query strings and path parameters on every route → never a 5xx, never a stack
 *      trace or SQL in an error body.
 * Counts of cases and requests are printed per database (the issue's closing note quotes them).
 */

type Relation = 'own' | 'team' | 'other';
type Target = 'account' | 'contact' | 'interaction' | 'activity' | 'import';

/** Path parameters that name a record belonging to an account, and what kind of record it is. */
const relational: readonly [RegExp, Target][] = [
  [/^\/api\/accounts\/:id(\/|$)/, 'account'],
  [/^\/api\/key-accounts\/:accountId(\/|$)/, 'account'],
  [/^\/api\/merges\/accounts\/:survivorId$/, 'account'],
  [/^\/api\/contacts\/:id(\/|$)/, 'contact'],
  [/^\/api\/merges\/contacts\/:survivorId$/, 'contact'],
  [/^\/api\/interactions\/:id(\/|$)/, 'interaction'],
  [/^\/api\/activities\/:id(\/|$)/, 'activity'],
  // An import belongs to the user who started it (imports.created_by), not to an account.
  [/^\/api\/imports\/:id(\/|$)/, 'import'],
];

const targetOf = (url: string): Target | null => relational.find(([pattern]) => pattern.test(url))?.[1] ?? null;

const isWrite = (method: string) => !['GET', 'HEAD', 'OPTIONS'].includes(method);

/** What the role matrix says a role gets from a route (for a record of this relation, if the route names one). */
function expectation(
  access: RouteAccess,
  role: Role,
  relation: Relation | null,
  target: Target | null = null,
): 'allowed' | 403 | 404 {
  if ('public' in access || 'signedIn' in access) return 'allowed';
  const scope = scopeFor(role, access.permission.resource, access.permission.action);
  if (!scope) return 403;
  if (!relation) return 'allowed';
  if (target === 'import') return scopeCovers(scope, relation) ? 'allowed' : 404;
  // A record of an account exists for a role only if the account does: the account's read scope applies too.
  const accountScope = scopeFor(role, 'accounts', 'read');
  if (!scopeCovers(scope, relation) || !accountScope || !scopeCovers(accountScope, relation)) return 404;
  return 'allowed';
}

const leaks = (body: string): string[] => {
  const found: string[] = [];
  if (/\bat [\w.<>]+ \(|at .*\.(ts|js|mjs):\d+/.test(body)) found.push('stack trace');
  if (/\b(select|insert into|update \w+ set|delete from)\b[\s\S]{0,80}\b(from|where|values)\b/i.test(body))
    found.push('SQL');
  if (/node_modules|\/work\/|src\/features/.test(body)) found.push('file path');
  return found;
};

let codeSequence = 0;

/** Random names: hundreds of near-identical ones would make the duplicate finder's trigram search quadratic. */
const distinctName = (): string =>
  Array.from({ length: 3 }, () =>
    randomBytes(6)
      .toString('base64url')
      .replace(/[^a-zA-Z]/g, 'q'),
  ).join(' ');

/** Percent-encoding that also sends what encodeURIComponent refuses (a lone surrogate → invalid UTF-8 bytes). */
const encodeLoosely = (text: string): string => {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
};

/** Values for path parameters that are not record ids (valid, so that a request reaches the permission checks). */
const exampleParams: Record<string, string> = { kind: 'rfm' };

/** The body with the record's id replaced, so answers about two different ids can be compared. */
const normalise = (body: string, id: number): string => body.replace(new RegExp(`\\b${id}\\b`, 'g'), '<id>');

/**
 * Routes over every customer at once (analytics runs and their per-customer results): they need the read
 * permission with scope all; a narrower scope sees analytics on its own accounts' pages only.
 */
const wholeScopeRoute = (url: string): boolean => /^\/api\/analytics\/(runs|latest)/.test(url);

for (const kind of databaseKinds) {
  describe(`security of every route [${kind}]`, () => {
    let t: TestApp;
    let routes: (RouteAccessEntry & { access: RouteAccess })[] = [];
    const actors = {} as Record<Role, { id: number; inject: TestApp['inject'] }>;
    let teammate = 0;
    let outsider = 0;
    const stats = { cases: 0, denied: 0, checksums: 0, fuzzed: 0 };

    beforeAll(async () => {
      t = await createTestApp(kind, { role: 'admin', team: 'Sea Freight' });
      await t.app.ready();
      for (const role of roles) {
        const signedIn =
          role === 'admin' ? { user: t.user, inject: t.inject } : await t.as(role, { team: 'Sea Freight' });
        actors[role] = { id: signedIn.user.id, inject: signedIn.inject };
      }
      teammate = (await t.as('sales', { team: 'Sea Freight' })).user.id;
      outsider = (await t.as('sales', { team: 'Air Freight' })).user.id;
      routes = t.app.routeAccess.filter(
        (route): route is RouteAccessEntry & { access: RouteAccess } =>
          route.method !== 'HEAD' && route.url.startsWith('/api') && route.access !== null && route.access !== 'web',
      );
    }, 120_000);

    afterAll(async () => {
      console.log(
        `[${kind}] authorisation matrix: ${stats.cases} cases over ${routes.length} routes × ${roles.length} roles ` +
          `(${stats.denied} denied, each checked against a database checksum); fuzz: ${stats.fuzzed} requests`,
      );
      await t?.close();
    });

    /** A fresh record of the target kind whose account is owned by (an import: was started by) the given user. */
    async function recordFor(target: Target, ownerId: number): Promise<number> {
      const { db } = t.database;
      if (target === 'import') {
        codeSequence += 1;
        const started = await db
          .insertInto('imports')
          .values({
            entity: 'accounts',
            file_name: `probe-${codeSequence}.csv`,
            file_hash: `probe-${codeSequence}`,
            format: 'csv',
            mapping: '{}',
            status: 'completed',
            created_by: ownerId,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return started.id;
      }
      codeSequence += 1;
      const account = await db
        .insertInto('accounts')
        .values({ code: `SEC-${codeSequence}`, name_en: distinctName(), industry: 'freight', owner_id: ownerId })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (target === 'account') return account.id;
      if (target === 'contact') {
        const contact = await db
          .insertInto('contacts')
          .values({
            account_id: account.id,
            name: 'Probe Contact',
            email: `probe${codeSequence}@example.hk`,
            phone: '+85291234567',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return contact.id;
      }
      if (target === 'interaction') {
        const interaction = await db
          .insertInto('interactions')
          .values({ account_id: account.id, channel: 'phone', occurred_at: '2026-11-01T02:00:00Z', subject: 'Probe' })
          .returning('id')
          .executeTakeFirstOrThrow();
        return interaction.id;
      }
      const activity = await db
        .insertInto('relationship_activities')
        .values({ account_id: account.id, kind: 'gift', description: 'Probe', occurred_on: '2026-11-01' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return activity.id;
    }

    /** Concrete URL for a route: relational parameters → the record; users, tokens, teams → disposable ones. */
    async function urlFor(route: RouteAccessEntry, role: Role, relation: Relation | null): Promise<string> {
      const target = targetOf(route.url);
      let url = route.url;
      if (target && relation) {
        const owner = relation === 'own' ? actors[role].id : relation === 'team' ? teammate : outsider;
        const id = await recordFor(target, owner);
        url = url.replace(/:(id|accountId|survivorId)\b/, String(id));
      }
      if (url.startsWith('/api/users/:id')) {
        const disposable = await t.as('viewer', { team: 'Sea Freight' });
        url = url.replace(':id', String(disposable.user.id));
      }
      if (url.startsWith('/api/tokens/:id')) {
        const created = await t.context.services.auth.createToken(systemActor(), {
          name: 'disposable',
          expiresInMs: 86_400_000,
          userId: actors[role].id,
        });
        url = url.replace(':id', String(created.id));
      }
      if (url.startsWith('/api/teams/:name')) {
        codeSequence += 1;
        const name = `Disposable ${codeSequence}`;
        await t.context.services.auth.createTeam(systemActor(), name);
        url = url.replace(':name', encodeURIComponent(name));
      }
      return url.replace(/:(\w+)/g, (_match, name: string) => exampleParams[name] ?? '1').replace('/*', '/index.html');
    }

    const checksum = async () => {
      stats.checksums += 1;
      return databaseChecksum(t.database.db);
    };

    it('every /api route declares its access (deny by default); a test fails naming any that does not', () => {
      const undeclared = t.app.routeAccess
        .filter((route) => route.access === null || (route.access === 'web' && route.url.startsWith('/api')))
        .map((route) => `${route.method} ${route.url}`);
      expect(undeclared).toEqual([]);
      expect(routes.length).toBeGreaterThan(20);
    });

    it('authorisation matrix: every route × every role × own / team / other record', async () => {
      const failures: string[] = [];
      const missingId = 987_654_321;
      for (const route of routes) {
        const target = targetOf(route.url);
        const relations: (Relation | null)[] = target ? ['own', 'team', 'other'] : [null];
        const request = (url: string): InjectOptions => {
          const options: InjectOptions = { method: route.method, url };
          if (isWrite(route.method) && route.method !== 'DELETE' && !url.startsWith('/api/imports'))
            options.payload = {};
          return options;
        };
        // The answer each role gets for a record that does not exist: an out-of-scope record must get the same.
        const missing = new Map<Role, { status: number; body: string }>();
        if (target) {
          const url = route.url.replace(/:(id|accountId|survivorId)\b/, String(missingId)).replace(/:(\w+)/g, '1');
          for (const role of roles) {
            const response = await actors[role].inject(request(url));
            missing.set(role, { status: response.statusCode, body: normalise(response.body, missingId) });
          }
        }
        // Records first (one set per role and relation, so one role's allowed change cannot disturb another's case).
        const cases: { role: Role; relation: Relation | null; url: string; id: number | null }[] = [];
        for (const role of roles) {
          for (const relation of relations) {
            const url = await urlFor(route, role, relation);
            const id = target ? Number(/\/(\d+)(\/|$)/.exec(url)?.[1] ?? NaN) : null;
            cases.push({ role, relation, url, id });
          }
        }
        const expectedOf = (role: Role, relation: Relation | null): 'allowed' | 403 | 404 => {
          const access = route.access;
          const expected = expectation(access, role, relation, target);
          if (expected === 'allowed' && wholeScopeRoute(route.url) && 'permission' in access) {
            return scopeFor(role, access.permission.resource, access.permission.action) === 'all' ? 'allowed' : 403;
          }
          return expected;
        };
        // Denied cases first: one checksum before them, then one after each.
        cases.sort(
          (a, b) =>
            Number(expectedOf(a.role, a.relation) === 'allowed') - Number(expectedOf(b.role, b.relation) === 'allowed'),
        );
        let before: Record<string, string> | null = null;
        for (const { role, relation, url, id } of cases) {
          const expected = expectedOf(role, relation);
          if (expected !== 'allowed' && before === null) before = await checksum();
          const response = await actors[role].inject(request(url));
          stats.cases += 1;
          const status = response.statusCode;
          const label = `${role} ${route.method} ${route.url}${relation ? ` [${relation}]` : ''} → ${status}`;
          if (status >= 500) failures.push(`${label}: server error ${response.body.slice(0, 200)}`);
          const leaked = leaks(response.body);
          if (leaked.length > 0) failures.push(`${label}: leaks ${leaked.join(', ')}`);
          const body = id === null ? response.body : normalise(response.body, id);
          const absent = missing.get(role);
          if (expected === 'allowed') {
            if (status === 401 || status === 403)
              failures.push(`${label}, expected access: ${response.body.slice(0, 160)}`);
            else if (relation && route.method === 'GET' && absent?.status === 404 && absent.body === body) {
              failures.push(`${label}: answers as if the record did not exist, though it is in scope`);
            }
            before = null; // an allowed request may change data
            continue;
          }
          stats.denied += 1;
          if (expected === 403 && status !== 403)
            failures.push(`${label}, expected 403: ${response.body.slice(0, 160)}`);
          if (expected === 404) {
            const sameAsAbsent = absent !== undefined && absent.status === status && absent.body === body;
            // A sub-resource of an account the role may see (its contacts, transactions…) may be refused with 403.
            const parentVisible =
              target === 'account' &&
              /:id\//.test(route.url) &&
              scopeCovers(scopeFor(role, 'accounts', 'read') ?? 'own', relation ?? 'other') &&
              scopeFor(role, 'accounts', 'read') !== null;
            if (!sameAsAbsent && !(parentVisible && status === 403)) {
              failures.push(
                `${label}, expected the answer for a missing record (${absent?.status}): ${response.body.slice(0, 160)}`,
              );
            }
          }
          const after = await checksum();
          if (before && JSON.stringify(after) !== JSON.stringify(before)) {
            const changed = Object.keys(after).filter((table) => after[table] !== before?.[table]);
            failures.push(`${label}: a denied request changed ${changed.join(', ')}`);
          }
          before = after;
        }
      }
      expect(failures).toEqual([]);
    }, 240_000);

    it('fuzz: malformed bodies, query strings and path parameters never cause a 5xx, a stack trace or SQL', async () => {
      const failures: string[] = [];
      const hostile = fc.constantFrom(...hostileStrings);
      const body = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.dictionary(
          fc.constantFrom('id', 'name', 'email', 'role', 'team', 'password', 'rule', 'code', 'limit', 'q'),
          fc.oneof(hostile, fc.jsonValue({ maxDepth: 2 })),
        ),
        fc.array(hostile, { maxLength: 5 }),
      );
      const query = fc.dictionary(
        fc.constantFrom(
          'q',
          'limit',
          'cursor',
          'sort',
          'order',
          'industry',
          'from',
          'to',
          'kind',
          'role',
          'format',
          'action',
          'x',
        ),
        hostile,
        { maxKeys: 4 },
      );
      const requestFor = (route: RouteAccessEntry) =>
        fc
          .record({
            param: hostile,
            query,
            body,
            raw: fc.constantFrom<'json' | 'text' | 'garbage' | 'none'>('json', 'json', 'text', 'garbage', 'none'),
          })
          .map(({ param, query: search, body: payload, raw }) => {
            const path = route.url.replace(/:(\w+)/g, () => encodeLoosely(param)).replace('/*', '/x');
            const queryString = Object.entries(search)
              .map(([key, value]) => `${key}=${encodeLoosely(value)}`)
              .join('&');
            const url = queryString ? `${path}?${queryString}` : path;
            const options: InjectOptions = { method: route.method, url };
            if (isWrite(route.method)) {
              if (raw === 'json') options.payload = payload as object;
              if (raw === 'text') {
                options.headers = { 'content-type': 'text/plain' };
                options.payload = JSON.stringify(payload) ?? '';
              }
              if (raw === 'garbage') {
                options.headers = { 'content-type': 'application/json' };
                options.payload = '{"unterminated": [1, 2';
              }
            }
            return options;
          });
      const perRoute = 8;
      const slow: string[] = [];
      for (const route of routes) {
        const routeStarted = performance.now();
        const samples = fc.sample(requestFor(route), { numRuns: perRoute, seed: 2026 + route.url.length });
        for (const request of samples) {
          let response: LightMyRequestResponse;
          try {
            response = await t.inject(request);
          } catch (error) {
            failures.push(`${route.method} ${route.url}: inject threw ${(error as Error).message}`);
            continue;
          }
          stats.fuzzed += 1;
          if (response.statusCode >= 500)
            failures.push(
              `${route.method} ${request.url as string} → ${response.statusCode} ${response.body.slice(0, 200)}`,
            );
          const leaked = leaks(response.body);
          if (leaked.length > 0)
            failures.push(
              `${route.method} ${request.url as string}: ${leaked.join(', ')}: ${response.body.slice(0, 200)}`,
            );
        }
        const took = performance.now() - routeStarted;
        if (took > 1000) slow.push(`${route.method} ${route.url} ${Math.round(took)} ms`);
      }
      if (slow.length > 0) console.log(`[${kind}] slow fuzz routes: ${slow.join('; ')}`);
      expect(failures).toEqual([]);
    }, 240_000);
  });
}
