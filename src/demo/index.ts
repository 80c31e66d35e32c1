import { sql } from 'kysely';
import type { Database } from '../db/connect.js';
import { AppError } from '../shared/errors.js';
import { createDemoGenerator, packs, type DemoGenerator } from './generate.js';
import {
  accountColumns,
  contactColumns,
  csvChunks,
  encodeAccount,
  encodeContact,
  encodeTransaction,
  encodeUser,
  mapLookup,
  transactionColumns,
  userColumns,
  type ChunkPlan,
  type IdLookup,
} from './load.js';
import type { DemoIndustry } from './model.js';

/**
 * Seeded demo data for an industry pack, bulk-loaded with COPY into an empty database. The rows are a pure
 * function of (industry, customers, seed, as-of); only the as-of default (now) and the timing come from
 * outside. Load order: users → group heads → accounts (with parent and owner ids) → contacts → transactions,
 * reading ids back once per step because the tables use identity columns.
 */
export type { DemoIndustry } from './model.js';

export interface DemoOptions {
  industry: DemoIndustry;
  customers: number;
  seed: number;
  asOf?: Date;
  onProgress?: (done: number, total: number, stage: string) => void;
}

export interface DemoResult {
  industry: DemoIndustry;
  users: number;
  accounts: number;
  contacts: number;
  transactions: number;
  seconds: number;
}

export const demoIndustries = Object.keys(packs) as DemoIndustry[];
export const MAX_DEMO_CUSTOMERS = 2_000_000;

/** Customers encoded per CSV chunk (and per progress step): accounts and contacts, transactions. */
const CHUNK_CUSTOMERS = 1_000;
const TRANSACTION_CHUNK_CUSTOMERS = 100;
/** PGlite runs one COPY statement per chunk: make them a few MB. */
const PGLITE_MIN_CHUNK_CHARS = 4_000_000;
/** Parallel COPY streams for transactions on a PostgreSQL server (PGlite has one connection). */
const POSTGRES_STREAMS = 2;

export async function hasAnyAccounts(database: Database): Promise<boolean> {
  const row = await database.db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

function validate(options: DemoOptions): void {
  if (!demoIndustries.includes(options.industry)) {
    throw new AppError(
      'validation_failed',
      `Unknown industry ${String(options.industry)}; use one of ${demoIndustries.join(', ')}`,
      {
        field: 'industry',
      },
    );
  }
  if (!Number.isInteger(options.customers) || options.customers < 1 || options.customers > MAX_DEMO_CUSTOMERS) {
    throw new AppError('validation_failed', `customers must be a whole number from 1 to ${MAX_DEMO_CUSTOMERS}`, {
      field: 'customers',
    });
  }
  if (!Number.isSafeInteger(options.seed)) {
    throw new AppError('validation_failed', 'seed must be a whole number', { field: 'seed' });
  }
  if (options.asOf !== undefined && !Number.isFinite(options.asOf.getTime())) {
    throw new AppError('validation_failed', 'asOf must be a valid date', { field: 'asOf' });
  }
}

export async function seedDemo(database: Database, options: DemoOptions): Promise<DemoResult> {
  validate(options);
  if (await hasAnyAccounts(database)) {
    throw new AppError(
      'conflict',
      'The database already holds data (it has accounts); demo data is only generated into an empty database.',
    );
  }
  const started = performance.now();
  const generator = createDemoGenerator({
    industry: options.industry,
    customers: options.customers,
    seed: options.seed,
    asOf: options.asOf ?? new Date(),
  });
  const progress = (done: number, total: number, stage: string): void => options.onProgress?.(done, total, stage);
  const createdUsers: string[] = [];
  try {
    const counts = await load(database, generator, progress, createdUsers);
    await sql`analyze users, accounts, contacts, transactions`.execute(database.db);
    return {
      industry: options.industry,
      ...counts,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } catch (error) {
    await removePartialLoad(database, generator, createdUsers);
    throw error;
  }
}

async function load(
  database: Database,
  generator: DemoGenerator,
  progress: (done: number, total: number, stage: string) => void,
  createdUsers: string[],
): Promise<Omit<DemoResult, 'industry' | 'seconds'>> {
  const { db } = database;
  const customers = generator.context.customers;
  const minChars = database.kind === 'pglite' ? PGLITE_MIN_CHUNK_CHARS : 0;
  const copyList = <T>(table: string, columns: readonly string[], rows: readonly T[], encode: (row: T) => string) =>
    rows.length === 0
      ? Promise.resolve(0)
      : database.copyCsv(table, columns, csvChunks({ total: 1, chunkSize: 1, rows: () => rows, encode }));
  const customerPlan = <T>(
    stage: string,
    chunkSize: number,
    rows: (from: number, to: number) => Iterable<T>,
    encode: (row: T) => string,
  ): ChunkPlan<T> => {
    let done = 0;
    progress(0, customers, stage);
    return {
      total: customers,
      chunkSize,
      rows,
      encode,
      onChunk: (items) => progress((done += items), customers, stage),
    };
  };

  // Users: reuse demo users left from an earlier demo (the emails are unique), add the missing ones.
  progress(0, generator.users.length, 'users');
  const emails = generator.users.map((user) => user.email);
  const existing = await db.selectFrom('users').select('email').where('email', 'in', emails).execute();
  const existingEmails = new Set(existing.map((row) => row.email));
  const missing = generator.users.filter((user) => !existingEmails.has(user.email));
  await copyList('users', userColumns, missing, encodeUser);
  createdUsers.push(...missing.map((user) => user.email));
  const userRows = await db.selectFrom('users').select(['id', 'email']).where('email', 'in', emails).execute();
  const userIds = new Map(userRows.map((row) => [row.email, row.id]));
  progress(generator.users.length, generator.users.length, 'users');

  // Group heads first, so that their ids exist when the subsidiaries are loaded.
  const accountIds = new Map<string, number>();
  const ids: IdLookup = mapLookup(accountIds, userIds);
  const heads = generator.groupHeads();
  await copyList('accounts', accountColumns, heads, (row) => encodeAccount(row, ids));
  if (heads.length > 0) {
    const headCodes = heads.map((head) => head.code);
    const headRows = await db.selectFrom('accounts').select(['id', 'code']).where('code', 'in', headCodes).execute();
    for (const row of headRows) accountIds.set(row.code, row.id);
  }
  const accountCount = await database.copyCsv(
    'accounts',
    accountColumns,
    csvChunks(
      customerPlan(
        'accounts',
        CHUNK_CUSTOMERS,
        (from, to) => generator.accounts(from, to),
        (row) => encodeAccount(row, ids),
      ),
      { minChars },
    ),
  );

  // One read of code → id for every account loaded.
  const accountRows = await db
    .selectFrom('accounts')
    .select(['id', 'code'])
    .where('code', 'like', `${generator.pack.prefix}-%`)
    .execute();
  for (const row of accountRows) accountIds.set(row.code, row.id);

  let contactCount = await copyList('contacts', contactColumns, generator.groupHeadContacts(), (row) =>
    encodeContact(row, ids),
  );
  contactCount += await database.copyCsv(
    'contacts',
    contactColumns,
    csvChunks(
      customerPlan(
        'contacts',
        CHUNK_CUSTOMERS,
        (from, to) => generator.contacts(from, to),
        (row) => encodeContact(row, ids),
      ),
      { minChars },
    ),
  );

  // Transactions: on a PostgreSQL server, a few COPY streams in parallel (each takes every n-th chunk).
  const transactionPlan = customerPlan(
    'transactions',
    TRANSACTION_CHUNK_CUSTOMERS,
    (from, to) => generator.transactions(from, to),
    (row) => encodeTransaction(row, ids),
  );
  const streams = database.kind === 'postgres' ? POSTGRES_STREAMS : 1;
  const stop = new AbortController();
  const loaded = await Promise.allSettled(
    Array.from({ length: streams }, (_, part) =>
      database
        .copyCsv(
          'transactions',
          transactionColumns,
          csvChunks(transactionPlan, { part, parts: streams, minChars, signal: stop.signal }),
        )
        .catch((error: unknown) => {
          stop.abort(error); // the other streams stop too, so nothing is still loading during the clean-up
          throw error;
        }),
    ),
  );
  const failed = loaded.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const transactionCount = loaded.reduce((sum, result) => sum + (result.status === 'fulfilled' ? result.value : 0), 0);

  return {
    users: generator.users.length,
    accounts: heads.length + accountCount,
    contacts: contactCount,
    transactions: transactionCount,
  };
}

/** After a failed load, removes what this run added, so that the next attempt starts from empty again. */
async function removePartialLoad(database: Database, generator: DemoGenerator, createdUsers: string[]): Promise<void> {
  const prefix = `${generator.pack.prefix}-%`;
  try {
    await database.db.deleteFrom('transactions').where('external_id', 'like', prefix).execute();
    await database.db.deleteFrom('accounts').where('code', 'like', prefix).execute(); // contacts cascade
    if (createdUsers.length > 0) await database.db.deleteFrom('users').where('email', 'in', createdUsers).execute();
  } catch {
    // best effort: the original error is the one worth reporting
  }
}
