import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/** Test data builders: explicit rows with sensible defaults, inserted through Kysely. */
let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

export interface AccountSeed {
  code?: string;
  name_en?: string;
  name_zh?: string | null;
  kind?: 'company' | 'person';
  industry?: 'freight' | 'automotive' | 'retail';
  parent_id?: number | null;
  owner_id?: number | null;
  created_at?: string;
}

export async function insertAccount(db: Kysely<DB>, seed: AccountSeed = {}): Promise<{ id: number; code: string }> {
  const n = next();
  return db
    .insertInto('accounts')
    .values({
      code: seed.code ?? `T-${String(n).padStart(6, '0')}`,
      name_en: seed.name_en ?? `Test Account ${n}`,
      name_zh: seed.name_zh === undefined ? `測試客戶${n}` : seed.name_zh,
      kind: seed.kind ?? 'company',
      industry: seed.industry ?? 'freight',
      parent_id: seed.parent_id ?? null,
      owner_id: seed.owner_id ?? null,
      ...(seed.created_at ? { created_at: seed.created_at } : {}),
    })
    .returning(['id', 'code'])
    .executeTakeFirstOrThrow();
}

export async function insertUser(db: Kysely<DB>, name = `User ${next()}`): Promise<{ id: number }> {
  return db
    .insertInto('users')
    .values({ email: `${name.toLowerCase().replace(/\W+/g, '.')}.${next()}@test.local`, display_name: name })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function insertTransaction(
  db: Kysely<DB>,
  accountId: number,
  occurredAt: string,
  amount: string,
): Promise<void> {
  await db
    .insertInto('transactions')
    .values({ external_id: `TX-${next()}`, account_id: accountId, occurred_at: occurredAt, amount })
    .execute();
}
