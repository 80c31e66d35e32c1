import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accountFilterSchema,
  accountFilterToParams,
  accountListQuerySchema,
  emptyAccountFilter,
  type AccountFilter,
  type CustomCondition,
} from './account-filter.schema.js';

const parse = (input: Record<string, string | string[]>) => accountFilterSchema.parse(input);
const firstIssue = (input: Record<string, string | string[]>) => {
  const result = accountFilterSchema.safeParse(input);
  if (result.success) throw new Error('expected a refusal');
  const issue = result.error.issues[0];
  return { path: issue?.path.join('.'), message: issue?.message };
};

describe('account filter: the query-string form', () => {
  it('reads the fixed filters, lists by comma or by repeating the key', () => {
    expect(
      parse({
        q: '  harbour ',
        status: 'active,prospect',
        industry: ['freight', 'retail'],
        owner: '3,12',
        tag: 'vip, key',
        group: 'FF-0001',
        created_from: '2024-01-01',
        created_to: '2024-12-31',
        include_archived: 'true',
      }),
    ).toEqual({
      ...emptyAccountFilter,
      q: 'harbour',
      status: ['active', 'prospect'],
      industry: ['freight', 'retail'],
      owner: [3, 12],
      tags: ['vip', 'key'],
      group: 'FF-0001',
      createdFrom: '2024-01-01',
      createdTo: '2024-12-31',
      includeArchived: true,
    });
    expect(parse({})).toEqual(emptyAccountFilter);
  });

  it.each([
    ['custom.credit_terms', 'gte:30', { key: 'credit_terms', op: 'gte', values: ['30'] }],
    ['custom.region', 'Kowloon East', { key: 'region', op: 'eq', values: ['Kowloon East'] }],
    ['custom.region', 'contains:kow', { key: 'region', op: 'contains', values: ['kow'] }],
    ['custom.note', 'eq:a:b', { key: 'note', op: 'eq', values: ['a:b'] }],
    ['custom.note', 'http://x', { key: 'note', op: 'eq', values: ['http://x'] }],
    [
      'custom.since',
      'between:2020-01-01..2020-12-31',
      { key: 'since', op: 'between', values: ['2020-01-01', '2020-12-31'] },
    ],
    ['custom.tier', 'in:gold|platinum', { key: 'tier', op: 'in', values: ['gold', 'platinum'] }],
    ['custom.vip', 'true', { key: 'vip', op: 'true', values: [] }],
  ])('reads %s=%s', (key, value, condition) => {
    expect(parse({ [key]: value }).custom).toEqual([condition]);
  });

  it('reads needs: services (all of) and choice factors with bounds', () => {
    const filter = parse({
      'needs.service': 'sea,air',
      'needs.factor.price': 'min_importance:4,min_gap:2',
      'needs.factor.transit_time': 'max_performance:2',
    });
    expect(filter.services).toEqual(['sea', 'air']);
    expect(filter.factors).toEqual([
      { factor: 'price', minImportance: 4, minGap: 2 },
      { factor: 'transit_time', maxPerformance: 2 },
    ]);
  });

  it.each([
    [{ colour: 'red' }, 'colour', 'unknown filter "colour"'],
    [{ status: 'active,sleeping' }, 'status', '"sleeping"'],
    [{ owner: 'bob' }, 'owner', 'user ids'],
    [{ created_from: '2024-13-01' }, 'created_from', 'date'],
    [{ 'custom.Bad-Key': 'x' }, 'custom.Bad-Key', 'not a custom field key'],
    [{ 'custom.terms': 'between:30' }, 'custom.terms', 'between:low..high'],
    [{ 'custom.terms': 'gte:' }, 'custom.terms', 'needs a value'],
    [{ 'custom.tier': 'in:' }, 'custom.tier', 'at least one value'],
    [{ 'needs.factor.price': 'min_importance:9' }, 'needs.factor.price', 'from 1 to 5'],
    [{ 'needs.factor.price': 'cheap:1' }, 'needs.factor.price', 'min_importance:N'],
    [{ 'needs.colour': 'red' }, 'needs.colour', 'unknown filter'],
  ])('refuses %j naming %s', (input, path, message) => {
    const issue = firstIssue(input);
    expect(issue.path).toBe(path);
    expect(issue.message).toContain(message);
  });

  it('keeps sort and page parameters beside the filter in the list query', () => {
    const query = accountListQuerySchema.parse({ sort: 'updated', order: 'desc', limit: '10', status: 'lost' });
    expect(query).toMatchObject({ sort: 'updated', order: 'desc', limit: 10, filter: { status: ['lost'] } });
    expect(accountListQuerySchema.safeParse({ sort: 'revenue' }).success).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property: a filter written to its query-string form reads back as the same filter.

const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,10}[A-Za-z0-9]$/);
const day = fc
  .date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const customKey = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);
const plainValue = word.filter((text) => text !== 'true' && text !== 'false');

const customCondition: fc.Arbitrary<CustomCondition> = fc.oneof(
  fc.record({
    key: customKey,
    op: fc.constantFrom('eq', 'contains', 'gt', 'gte', 'lt', 'lte' as const),
    values: plainValue.map((value) => [value]),
  }),
  fc.record({ key: customKey, op: fc.constant('between' as const), values: fc.tuple(plainValue, plainValue) }),
  fc.record({
    key: customKey,
    op: fc.constant('in' as const),
    values: fc.array(plainValue, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ key: customKey, op: fc.constantFrom('true', 'false' as const), values: fc.constant<string[]>([]) }),
);

const factor = fc
  .record(
    {
      factor: fc.stringMatching(/^[a-z][a-z_]{0,10}$/),
      minImportance: fc.integer({ min: 1, max: 5 }),
      maxPerformance: fc.integer({ min: 1, max: 5 }),
      minGap: fc.integer({ min: -4, max: 4 }),
    },
    { requiredKeys: ['factor', 'minImportance'] },
  )
  .map((value) => value);

const filterArbitrary: fc.Arbitrary<AccountFilter> = fc
  .record(
    {
      q: word,
      status: fc.uniqueArray(fc.constantFrom('prospect', 'active', 'lost' as const), { maxLength: 3 }),
      kind: fc.uniqueArray(fc.constantFrom('company', 'person' as const), { maxLength: 2 }),
      industry: fc.uniqueArray(fc.constantFrom('freight', 'automotive', 'retail' as const), { maxLength: 3 }),
      owner: fc.array(fc.integer({ min: 1, max: 99999 }), { maxLength: 3 }),
      tags: fc.array(word, { maxLength: 3 }),
      accountCode: word,
      group: word,
      source: word,
      createdFrom: day,
      createdTo: day,
      includeArchived: fc.boolean(),
      // Distinct keys: the same key twice is two conditions, kept in order, which also round-trips, but the
      // URLSearchParams form below would merge nothing either way.
      custom: fc.uniqueArray(customCondition, { maxLength: 4, selector: (condition) => condition.key }),
      services: fc.array(
        word.filter((text) => !text.includes(',')),
        { maxLength: 3 },
      ),
      factors: fc.uniqueArray(factor, { maxLength: 2, selector: (value) => value.factor }),
    },
    {
      requiredKeys: ['status', 'kind', 'industry', 'owner', 'tags', 'includeArchived', 'custom', 'services', 'factors'],
    },
  )
  .map((filter) => filter as AccountFilter);

describe('account filter: round trip', () => {
  it('parses its own query-string form back to the same filter', () => {
    fc.assert(
      fc.property(filterArbitrary, (filter) => {
        const search = new URLSearchParams(accountFilterToParams(filter));
        const raw: Record<string, string> = Object.fromEntries(search.entries());
        expect(accountFilterSchema.parse(raw)).toEqual(filter);
      }),
      { numRuns: 300 },
    );
  });
});
