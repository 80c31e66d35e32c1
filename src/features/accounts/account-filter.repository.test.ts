import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema.js';
import { describeEachDatabase } from '../../testing/databases.js';
import { insertAccount, insertUser } from '../../testing/factories.js';
import { systemActor } from '../auth/index.js';
import { accountFilterWhere } from './account-filter.repository.js';
import type { ResolvedAccountFilter } from './account-filter.rules.js';
import { accountListQuerySchema, emptyAccountFilter } from './account-filter.schema.js';
import { createAccountService } from './account.service.js';

/** Compile-only Kysely (no database): the SQL text and parameters a filter becomes. */
const compiler = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const compile = (filter: Partial<ResolvedAccountFilter>) =>
  compiler
    .selectFrom('accounts as a')
    .select('a.id')
    .where((eb) => accountFilterWhere(eb, { ...emptyAccountFilter, custom: [], ...filter }))
    .compile();

const hostile = "x'); drop table accounts; --";

describe('account filter → SQL', () => {
  it('keeps archived accounts out unless asked, and adds nothing else for an empty filter', () => {
    expect(compile({}).sql).toContain('"a"."archived_at" is null');
    expect(compile({ includeArchived: true }).sql).toBe('select "a"."id" from "accounts" as "a" where 1 = 1');
  });

  it('binds every value, JSON keys included, as a parameter', () => {
    const query = compile({
      q: hostile,
      tags: [hostile],
      group: hostile,
      source: hostile,
      custom: [
        { key: hostile, test: 'equals', value: hostile },
        { key: hostile, test: 'contains', text: hostile },
        { key: hostile, test: 'compare', type: 'number', operator: '>=', value: 3 },
        { key: hostile, test: 'compare', type: 'date', operator: '<', value: '2024-01-01' },
      ],
      services: [hostile],
      factors: [{ factor: hostile, minImportance: 4, maxPerformance: 2, minGap: 1 }],
    });
    expect(query.sql).not.toContain('drop table');
    expect(query.parameters.some((value) => String(value).includes('drop table'))).toBe(true);
  });

  it('writes equality on custom fields and needs as jsonb containment (GIN jsonb_path_ops applies)', () => {
    const query = compile({
      custom: [{ key: 'region', test: 'equals', value: 'Kowloon' }],
      services: ['sea'],
      factors: [{ factor: 'price', minGap: 2 }],
    });
    expect(query.sql).toContain('a.custom @> $1::jsonb');
    expect(query.sql).toContain('a.needs @> $2::jsonb');
    expect(query.parameters).toContain('{"region":"Kowloon"}');
    expect(query.parameters).toContain('{"servicesUsed":["sea"]}');
    expect(query.parameters).toContain('{"choiceFactors":[{"factor":"price"}]}');
  });

  it('searches the lower-cased search text (code and both names, one trigram index) and escapes wildcards', () => {
    const query = compile({ q: '50%_Off' });
    expect(query.sql).toContain('a.search_text like lower($1)');
    expect(query.parameters).toEqual(['%50\\%\\_Off%']);
  });

  it('compares numbers only when the stored value is a JSON number (never a cast error)', () => {
    const query = compile({
      custom: [{ key: 'credit_terms', test: 'compare', type: 'number', operator: '<=', value: 30 }],
    });
    expect(query.sql).toMatch(/jsonb_typeof\(a.custom -> \$1::text\) = 'number'/);
    expect(query.sql).toContain('<= $3::numeric');
  });
});

describeEachDatabase('account filter on the database', (use) => {
  const admin = systemActor();
  const codes = async (input: Record<string, string>) => {
    const service = createAccountService({ db: use().db });
    const page = await service.listAccounts(
      admin,
      accountListQuerySchema.parse({ sort: 'code', limit: '200', ...input }),
    );
    return page.items.map((item) => item.code);
  };

  beforeAll(async () => {
    const { db } = use();
    const owner = await insertUser(db, 'Owner One');
    await sql`insert into custom_field_definitions (entity, key, label_en, label_zh, type, choices) values
      ('accounts', 'region', 'Region', '地區', 'text', null),
      ('accounts', 'credit_terms', 'Credit terms', null, 'number', null),
      ('accounts', 'since', 'Customer since', null, 'date', null),
      ('accounts', 'vip', 'VIP', null, 'boolean', null),
      ('accounts', 'tier', 'Tier', null, 'choice', array['bronze', 'gold'])`.execute(db);
    const parent = await insertAccount(db, { code: 'F-01', name_en: 'Harbour Group', name_zh: '海港集團' });
    await insertAccount(db, {
      code: 'F-02',
      name_en: 'Harbour Link',
      name_zh: '港聯物流',
      parent_id: parent.id,
      owner_id: owner.id,
    });
    await insertAccount(db, {
      code: 'F-03',
      name_en: 'Kowloon Motors',
      name_zh: '九龍汽車',
      industry: 'automotive',
      kind: 'person',
    });
    await insertAccount(db, { code: 'F-04', name_en: 'Old Mart', name_zh: null, industry: 'retail' });
    await insertAccount(db, { code: 'F-05', name_en: 'Archived Ltd', name_zh: null });
    const set = (code: string, values: Record<string, unknown>) =>
      db.updateTable('accounts').set(values).where('code', '=', code).execute();
    await set('F-01', {
      status: 'active',
      tags: ['key', 'vip'],
      source: 'referral',
      custom: JSON.stringify({
        region: 'Kowloon East',
        credit_terms: 30,
        since: '2019-05-01',
        vip: true,
        tier: 'gold',
      }),
      needs: JSON.stringify({
        servicesUsed: ['sea', 'air'],
        requirements: null,
        choiceFactors: [
          { factor: 'price', importance: 5, performance: 2 },
          { factor: 'reliability', importance: 3, performance: 3 },
        ],
      }),
      created_at: new Date('2020-01-15T00:00:00Z'),
    });
    await set('F-02', {
      status: 'prospect',
      tags: ['key'],
      custom: JSON.stringify({
        region: 'Hong Kong Island',
        credit_terms: 60,
        since: '2023-02-01',
        vip: false,
        tier: 'bronze',
      }),
      needs: JSON.stringify({
        servicesUsed: ['sea'],
        requirements: null,
        choiceFactors: [{ factor: 'price', importance: 4, performance: 4 }],
      }),
      created_at: new Date('2023-06-01T00:00:00Z'),
    });
    await set('F-03', {
      status: 'lost',
      custom: JSON.stringify({ region: 'Kowloon West', credit_terms: 'n/a' }),
      created_at: new Date('2024-03-10T00:00:00Z'),
    });
    await set('F-05', { archived_at: new Date('2025-01-01T00:00:00Z') });
  });

  it('filters by the columns of the account', async () => {
    expect(await codes({})).toEqual(['F-01', 'F-02', 'F-03', 'F-04']);
    expect(await codes({ include_archived: 'true' })).toEqual(['F-01', 'F-02', 'F-03', 'F-04', 'F-05']);
    expect(await codes({ status: 'prospect,lost' })).toEqual(['F-02', 'F-03']);
    expect(await codes({ kind: 'person' })).toEqual(['F-03']);
    expect(await codes({ industry: 'automotive,retail' })).toEqual(['F-03', 'F-04']);
    expect(await codes({ tag: 'key' })).toEqual(['F-01', 'F-02']);
    expect(await codes({ tag: 'key,vip' })).toEqual(['F-01']);
    expect(await codes({ source: 'referral' })).toEqual(['F-01']);
    expect(await codes({ group: 'F-01' })).toEqual(['F-01', 'F-02']);
    expect(await codes({ group: 'NOPE' })).toEqual([]);
    expect(await codes({ created_from: '2023-06-01', created_to: '2024-03-10' })).toEqual(['F-02', 'F-03']);
    expect(await codes({ created_to: '2023-05-31' })).toEqual(['F-01']);
  });

  it('filters by owner', async () => {
    const owner = await use()
      .db.selectFrom('users')
      .select('id')
      .where('display_name', '=', 'Owner One')
      .executeTakeFirstOrThrow();
    expect(await codes({ owner: String(owner.id) })).toEqual(['F-02']);
  });

  it('searches code, English and Chinese names', async () => {
    expect(await codes({ q: 'harbour' })).toEqual(['F-01', 'F-02']);
    expect(await codes({ q: '物流' })).toEqual(['F-02']);
    expect(await codes({ q: 'f-03' })).toEqual(['F-03']);
  });

  it('filters by custom fields with the operators of their type', async () => {
    expect(await codes({ 'custom.region': 'Kowloon East' })).toEqual(['F-01']);
    expect(await codes({ 'custom.region': 'contains:kowloon' })).toEqual(['F-01', 'F-03']);
    expect(await codes({ 'custom.credit_terms': 'gte:30' })).toEqual(['F-01', 'F-02']);
    expect(await codes({ 'custom.credit_terms': 'gt:30' })).toEqual(['F-02']);
    expect(await codes({ 'custom.credit_terms': 'between:0..45' })).toEqual(['F-01']);
    expect(await codes({ 'custom.credit_terms': 'eq:60' })).toEqual(['F-02']);
    expect(await codes({ 'custom.since': 'lt:2020-01-01' })).toEqual(['F-01']);
    expect(await codes({ 'custom.since': 'between:2019-01-01..2023-12-31' })).toEqual(['F-01', 'F-02']);
    expect(await codes({ 'custom.vip': 'true' })).toEqual(['F-01']);
    expect(await codes({ 'custom.vip': 'false' })).toEqual(['F-02']);
    expect(await codes({ 'custom.tier': 'in:gold|bronze' })).toEqual(['F-01', 'F-02']);
    expect(await codes({ 'custom.tier': 'gold', 'custom.credit_terms': 'lte:30' })).toEqual(['F-01']);
  });

  it('filters by needs: services used and choice factors (importance, performance, gap)', async () => {
    expect(await codes({ 'needs.service': 'sea' })).toEqual(['F-01', 'F-02']);
    expect(await codes({ 'needs.service': 'sea,air' })).toEqual(['F-01']);
    expect(await codes({ 'needs.factor.price': 'min_importance:4' })).toEqual(['F-01', 'F-02']);
    expect(await codes({ 'needs.factor.price': 'min_gap:2' })).toEqual(['F-01']);
    expect(await codes({ 'needs.factor.price': 'max_performance:3' })).toEqual(['F-01']);
    expect(await codes({ 'needs.factor.reliability': 'min_importance:4' })).toEqual([]);
    expect(await codes({ 'needs.factor.reliability': 'min_importance:3' })).toEqual(['F-01']);
  });

  it('sorts by status and by updated time, walking pages with the cursor', async () => {
    const service = createAccountService({ db: use().db });
    for (const sort of ['status', 'updated'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await service.listAccounts(
            admin,
            accountListQuerySchema.parse({ sort, order, limit: '1', ...(cursor ? { cursor } : {}) }),
          );
          seen.push(...page.items.map((item) => item.code));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(seen.toSorted()).toEqual(['F-01', 'F-02', 'F-03', 'F-04']);
      }
    }
    const byStatus = await service.listAccounts(admin, accountListQuerySchema.parse({ sort: 'status' }));
    expect(byStatus.items.map((item) => item.status)).toEqual(['active', 'active', 'lost', 'prospect']);
  });

  it('refuses an unknown custom field and a value of the wrong type with validation_failed', async () => {
    await expect(codes({ 'custom.colour': 'red' })).rejects.toMatchObject({
      code: 'validation_failed',
      details: { parameter: 'custom.colour' },
    });
    await expect(codes({ 'custom.credit_terms': 'gte:soon' })).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('"soon" is not a number'),
    });
  });
});
