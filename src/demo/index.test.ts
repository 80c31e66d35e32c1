import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db/connect.js';
import { isAppError } from '../shared/errors.js';
import { createTestDatabase, databaseKinds, describeEachDatabase } from '../testing/databases.js';
import { createDemoGenerator } from './generate.js';
import { hasAnyAccounts, seedDemo, type DemoOptions } from './index.js';

const asOf = new Date('2025-06-30T00:00:00Z');
const options: DemoOptions = { industry: 'freight', customers: 300, seed: 11, asOf };

const count = async (database: Database, table: 'users' | 'accounts' | 'contacts' | 'transactions') => {
  const row = await database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

describe('seedDemo: input', () => {
  it('refuses impossible options before touching the database', async () => {
    const database = {} as Database; // never used: validation comes first
    for (const bad of [
      { ...options, customers: 0 },
      { ...options, customers: 1.5 },
      { ...options, seed: Number.NaN },
      { ...options, industry: 'banking' as DemoOptions['industry'] },
      { ...options, asOf: new Date('not a date') },
    ]) {
      await expect(seedDemo(database, bad)).rejects.toMatchObject({ code: 'validation_failed' });
    }
  });
});

describeEachDatabase('seedDemo', (use) => {
  it('leaves nothing behind when a load fails half-way', async () => {
    const database = use();
    let transactionStreams = 0;
    const failing: Database = {
      ...database,
      // The first transaction stream dies after its first chunk (others may be loading in parallel).
      copyCsv: (table, columns, chunks) => {
        if (table !== 'transactions' || transactionStreams++ > 0) return database.copyCsv(table, columns, chunks);
        return database.copyCsv(
          table,
          columns,
          (async function* () {
            for await (const chunk of chunks) {
              yield chunk;
              throw new Error('disk full');
            }
          })(),
        );
      },
    };
    await expect(seedDemo(failing, options)).rejects.toThrow('disk full');
    expect(await hasAnyAccounts(database)).toBe(false);
    expect(await count(database, 'contacts')).toBe(0);
    expect(await count(database, 'transactions')).toBe(0);
    expect(await count(database, 'users')).toBe(0);
  });

  it('seeds an empty database and reports what it loaded', async () => {
    const database = use();
    expect(await hasAnyAccounts(database)).toBe(false);
    const progress: { done: number; total: number; stage: string }[] = [];
    const result = await seedDemo(database, {
      ...options,
      onProgress: (done, total, stage) => progress.push({ done, total, stage }),
    });
    expect(result.industry).toBe('freight');
    expect(result.users).toBe(6);
    expect(result.accounts).toBeGreaterThan(300); // customers and group heads
    expect(result.contacts).toBeGreaterThanOrEqual(300);
    expect(result.transactions).toBeGreaterThan(1_000);
    expect(result.seconds).toBeGreaterThan(0);
    expect(await count(database, 'users')).toBe(result.users);
    expect(await count(database, 'accounts')).toBe(result.accounts);
    expect(await count(database, 'contacts')).toBe(result.contacts);
    expect(await count(database, 'transactions')).toBe(result.transactions);
    expect(await hasAnyAccounts(database)).toBe(true);

    const stages = [...new Set(progress.map((p) => p.stage))];
    expect(stages).toEqual(['users', 'accounts', 'contacts', 'transactions']);
    const last = progress.filter((p) => p.stage === 'transactions').at(-1);
    expect(last).toEqual({ done: 300, total: 300, stage: 'transactions' });
  });

  it('stores exactly the generated rows: amounts, times and attributes', async () => {
    const database = use();
    const generator = createDemoGenerator({ ...options, asOf });
    const expected = [...generator.transactions(1, 301)];
    const totals = await database.db
      .selectFrom('transactions')
      .select([
        sql<string>`sum(amount)::text`.as('amount'),
        sql<string>`sum(cost)::text`.as('cost'),
        sql<string>`sum(quantity)::text`.as('quantity'),
      ])
      .executeTakeFirstOrThrow();
    const cents = (values: number[]) => values.reduce((sum, v) => sum + v, 0);
    expect(totals.amount).toBe((cents(expected.map((r) => r.amountCents)) / 100).toFixed(2));
    expect(totals.cost).toBe((cents(expected.map((r) => r.costCents ?? 0)) / 100).toFixed(2));
    expect(Number(totals.quantity)).toBeCloseTo(cents(expected.map((r) => r.quantityMilli ?? 0)) / 1000, 3);

    const sample = expected[17]!;
    const stored = await database.db
      .selectFrom('transactions as t')
      .innerJoin('accounts as a', 'a.id', 't.account_id')
      .select([
        'a.code',
        't.occurred_at',
        sql<string>`t.amount::text`.as('amount'),
        't.currency',
        't.unit',
        't.product_line',
        't.channel',
        't.attributes',
      ])
      .where('t.external_id', '=', sample.externalId)
      .executeTakeFirstOrThrow();
    expect(stored.code).toBe(sample.accountCode);
    expect(new Date(stored.occurred_at).getTime()).toBe(sample.occurredAt);
    expect(stored.amount).toBe((sample.amountCents / 100).toFixed(2));
    expect(stored.currency).toBe(sample.currency);
    expect(stored.unit).toBe(sample.unit);
    expect(stored.product_line).toBe(sample.productLine);
    expect(stored.channel).toBe(sample.channel);
    expect(stored.attributes).toEqual(sample.attributes);

    const names = await database.db
      .selectFrom('accounts')
      .select(['code', 'name_en', 'name_zh', 'created_at'])
      .where('code', '=', 'FRT-000001')
      .executeTakeFirstOrThrow();
    const account = generator.customer(1);
    expect(names).toMatchObject({ name_en: account.nameEn, name_zh: account.nameZh });
    expect(new Date(names.created_at).getTime()).toBe(account.createdAt);
  });

  it('keeps referential integrity: group heads, owners, contacts and transactions', async () => {
    const { db } = use();
    const orphans = await sql<{ n: number }>`
      select count(*)::int as n from accounts a
      where (a.parent_id is not null and not exists (select 1 from accounts p where p.id = a.parent_id and p.parent_id is null))
         or a.owner_id is null
         or not exists (select 1 from users u where u.id = a.owner_id)`.execute(db);
    expect(orphans.rows[0]?.n).toBe(0);
    const groups = await sql<{ head: string; members: number }>`
      select p.code as head, count(*)::int as members from accounts a join accounts p on p.id = a.parent_id group by p.code`.execute(
      db,
    );
    expect(groups.rows.length).toBeGreaterThanOrEqual(1);
    expect(groups.rows.every((g) => g.head.startsWith('FRT-GRP-') && g.members >= 2)).toBe(true);
    const withoutContact = await sql<{ n: number }>`
      select count(*)::int as n from accounts a where not exists (select 1 from contacts c where c.account_id = a.id)`.execute(
      db,
    );
    expect(withoutContact.rows[0]?.n).toBe(0);
    const beforeOpening = await sql<{ n: number }>`
      select count(*)::int as n from transactions t join accounts a on a.id = t.account_id
      where t.occurred_at < a.created_at or t.occurred_at > ${asOf.toISOString()}::timestamptz`.execute(db);
    expect(beforeOpening.rows[0]?.n).toBe(0);
    const headsTrading = await sql<{ n: number }>`
      select count(*)::int as n from transactions t join accounts a on a.id = t.account_id where a.code like 'FRT-GRP-%'`.execute(
      db,
    );
    expect(headsTrading.rows[0]?.n).toBe(0);
    const badAmounts = await sql<{ n: number }>`
      select count(*)::int as n from transactions where amount::text !~ '^[0-9]+\\.[0-9]{2}$' or amount <= 0`.execute(
      db,
    );
    expect(badAmounts.rows[0]?.n).toBe(0);
  });

  it('refuses a second seed: the database already holds data', async () => {
    const database = use();
    const before = await count(database, 'transactions');
    const error: unknown = await seedDemo(database, { ...options, industry: 'retail' }).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe('conflict');
    expect((error as Error).message).toMatch(/already holds data/);
    expect(await count(database, 'transactions')).toBe(before);
    expect(await count(database, 'users')).toBe(6);
  });
});

for (const kind of databaseKinds) {
  describe(`seedDemo: the other packs [${kind}]`, () => {
    it.each(['automotive', 'retail'] as const)('%s seeds 200 customers with consistent counts', async (industry) => {
      const database = await createTestDatabase(kind);
      try {
        const result = await seedDemo(database, { industry, customers: 200, seed: 3, asOf });
        expect(await count(database, 'accounts')).toBe(result.accounts);
        expect(await count(database, 'contacts')).toBe(result.contacts);
        expect(await count(database, 'transactions')).toBe(result.transactions);
        const lines = await database.db.selectFrom('transactions').select('product_line').distinct().execute();
        const expected =
          industry === 'automotive'
            ? ['service', 'vehicle_sale']
            : ['beauty', 'electronics', 'fashion', 'food', 'home'];
        expect(lines.map((l) => l.product_line).sort()).toEqual(expected);
      } finally {
        await database.dispose();
      }
    });
  });
}
