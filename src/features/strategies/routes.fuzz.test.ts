import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { databaseKinds } from '../../testing/databases.js';
import { hostileStrings } from '../../testing/security.js';

/**
 * Hostile path parameters, query strings and bodies on every segments, strategies, tasks, key-accounts and
 * market-metrics route (as admin, so that nothing is refused before it reaches the handler): never a 5xx, a stack
 * trace or SQL in the answer.
 */
const mine = /^\/api\/(segments|strategies|tasks|key-accounts|market-metrics)(\/|$)/;

const leaks = (body: string): boolean =>
  /at .*\.(ts|js|mjs):\d+/.test(body) ||
  /\b(select|insert into|update \w+ set|delete from)\b[\s\S]{0,80}\b(from|where|values)\b/i.test(body);

const encode = (text: string): string => {
  try {
    return encodeURIComponent(text);
  } catch {
    return 'x';
  }
};

for (const kind of databaseKinds) {
  describe(`segments and strategies routes under hostile input [${kind}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
      await t.app.ready();
    });
    afterAll(() => t.close());

    const valid = { kind: 'condition', field: 'account.kind', operator: 'eq', value: 'company' };
    it.each([
      ['POST', '/api/segments', { name: 'a\u0000b', rule: valid }, 'name'],
      ['GET', '/api/segments?q=%00', undefined, 'q'],
      ['POST', '/api/segments/preview', { rule: { ...valid, field: 'account.owner', value: 1e300 } }, 'rule.value'],
      [
        'POST',
        '/api/segments/preview',
        { rule: { ...valid, field: 'analysis.rfm_segment', value: 'x\u0000' } },
        'rule.value',
      ],
      ['GET', '/api/strategies/99999999999999999999', undefined, 'id'],
      ['GET', '/api/strategies/1/versions/3000000000', undefined, 'version'],
      ['PUT', '/api/segments/1', { version: 1e12, name: 'x' }, 'version'],
    ] as const)(
      'answers 400 for %s %s (NUL characters, ids and versions beyond the columns)',
      async (method, url, payload, parameter) => {
        const response = await t.inject({ method, url, ...(payload ? { payload } : {}) });
        expect(response.statusCode, response.body).toBe(400);
        expect(response.json<{ details: { parameter: string } }>().details.parameter).toBe(parameter);
      },
    );

    it('never answers 5xx, a stack trace or SQL', async () => {
      const routes = t.app.routeAccess.filter((route) => mine.test(route.url) && route.method !== 'HEAD');
      expect(routes.length).toBeGreaterThan(35);
      const hostile = fc.constantFrom(...hostileStrings, '99999999999999999999', '1e308', '-0', '2147483648');
      const numberish = fc.constantFrom(0, -1, 1.5, 1e300, 2 ** 53, 2 ** 31, Number.MAX_SAFE_INTEGER);
      const condition = fc.record({
        kind: fc.constant('condition'),
        field: fc.constantFrom(
          'account.owner',
          'analysis.clv',
          'account.tags',
          'custom',
          'activity.volume',
          'account.created',
        ),
        operator: fc.constantFrom('eq', 'in', 'has_any', 'between', 'within_last_days', 'contains', 'is_null'),
        value: fc.oneof(hostile, numberish, fc.array(fc.oneof(hostile, numberish), { maxLength: 3 })),
        key: fc.constantFrom(undefined, 'tier', "x'y"),
        unit: fc.constantFrom(undefined, '\u0000', 'TEU'),
      });
      const body = fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record({ name: hostile, rule: condition }),
        fc.record({ rule: condition, limit: fc.oneof(numberish, fc.constant(5)) }),
        fc.record({
          version: numberish,
          name: hostile,
          title: hostile,
          to: hostile,
          department: hostile,
          body: hostile,
        }),
        fc.record({
          segmentId: fc.oneof(numberish, fc.constant(null)),
          periodFrom: hostile,
          periodTo: hostile,
          marketCustomers: numberish,
          marketValue: numberish,
          averageCompetitorPrice: numberish,
          volumeUnit: hostile,
          shareOfWallet: numberish,
          source: hostile,
        }),
        fc.record({
          version: numberish,
          relationshipStage: fc.constantFrom('partner', 'x'),
          scores: fc.dictionary(hostile, numberish),
        }),
      );
      const query = fc.dictionary(
        fc.constantFrom(
          'q',
          'limit',
          'cursor',
          'industry',
          'mine',
          'status',
          'strategyId',
          'dueFrom',
          'from',
          'to',
          'format',
          'version',
          'segmentId',
        ),
        hostile,
        { maxKeys: 3 },
      );
      const failures: string[] = [];
      for (const route of routes) {
        const samples = fc.sample(fc.record({ param: fc.oneof(hostile, numberish.map(String)), query, body }), {
          numRuns: 12,
          seed: 6 + route.url.length,
        });
        for (const sample of samples) {
          const path = route.url.replace(/:(\w+)/g, () => encode(sample.param));
          const search = Object.entries(sample.query)
            .map(([key, value]) => `${key}=${encode(value)}`)
            .join('&');
          const url = search ? `${path}?${search}` : path;
          const request: InjectOptions = { method: route.method, url };
          if (!['GET', 'DELETE'].includes(route.method)) request.payload = sample.body as object;
          const response = await t.inject(request);
          if (response.statusCode >= 500 || leaks(response.body)) {
            failures.push(
              `${route.method} ${url} ${JSON.stringify(sample.body).slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 200)}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
    }, 240_000);
  });
}
