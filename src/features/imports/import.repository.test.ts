import { beforeAll, expect, it } from 'vitest';
import type { RawSql } from '../../db/connect.js';
import { describeEachDatabase, type TestDatabase } from '../../testing/databases.js';
import { insertAccount } from '../../testing/factories.js';
import {
  newTransactionWriteState,
  writeTransactions,
  type TransactionOptionalColumn,
  type TransactionWrite,
} from './import.repository.js';

const present = new Set<TransactionOptionalColumn>(['quantity', 'unit', 'attributes']);

const write = (overrides: Partial<TransactionWrite> & { external_id: string; row: number }): TransactionWrite => ({
  account_code: 'REPO-1',
  occurred_at: '2026-01-05T06:30:00.000Z',
  amount: '100.50',
  currency: null,
  quantity: '2',
  unit: 'TEU',
  product_line: null,
  channel: null,
  cost: null,
  attributes: null,
  ...overrides,
});

/** A connection that does not see rows another writer inserted a moment ago: the look-up of keys finds none. */
const blindToExistingKeys = (raw: RawSql): RawSql => ({
  ...raw,
  query: <R>(sqlText: string, params?: unknown[]) =>
    sqlText.startsWith('select external_id from transactions')
      ? Promise.resolve([] as R[])
      : raw.query<R>(sqlText, params),
});

describeEachDatabase('writing transactions', (use) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = use();
    await insertAccount(database.db, { code: 'REPO-1' });
  });

  const rowsOf = (ids: string[]) =>
    database.db
      .selectFrom('transactions')
      .select(['external_id', 'amount', 'currency', 'unit', 'attributes'])
      .where('external_id', 'in', ids)
      .orderBy('external_id')
      .execute();

  it('copies new keys in, updates only changed ones, and names rows whose account does not exist', async () => {
    const first = await database.rawTransaction((raw) =>
      writeTransactions(
        raw,
        [
          write({ row: 2, external_id: 'R-1' }),
          write({ row: 3, external_id: 'R-2, "quoted"', unit: 'a,b\nc', attributes: { mode: 'sea', teu: 2 } }),
          write({ row: 4, external_id: 'R-3', account_code: 'NOPE' }),
        ],
        present,
        'HKD',
      ),
    );
    expect(first).toEqual({ inserted: 2, updated: 0, missingAccountRows: [4] });
    expect(await rowsOf(['R-1', 'R-2, "quoted"'])).toEqual([
      { external_id: 'R-1', amount: '100.50', currency: 'HKD', unit: 'TEU', attributes: {} },
      {
        external_id: 'R-2, "quoted"',
        amount: '100.50',
        currency: 'HKD',
        unit: 'a,b\nc',
        attributes: { mode: 'sea', teu: 2 },
      },
    ]);
    const again = await database.rawTransaction((raw) =>
      writeTransactions(
        raw,
        [write({ row: 2, external_id: 'R-1' }), write({ row: 3, external_id: 'R-4', amount: '7' })],
        present,
        'HKD',
      ),
    );
    expect(again).toEqual({ inserted: 1, updated: 0, missingAccountRows: [] });
    const changed = await database.rawTransaction((raw) =>
      writeTransactions(raw, [write({ row: 2, external_id: 'R-1', amount: '99' })], present, 'HKD'),
    );
    expect(changed).toEqual({ inserted: 0, updated: 1, missingAccountRows: [] });
  });

  it('falls back to the upsert when another writer inserted a key between the look-up and the COPY', async () => {
    await database.rawTransaction((raw) =>
      writeTransactions(raw, [write({ row: 2, external_id: 'RACE-1' })], present, 'HKD'),
    );
    const result = await database.rawTransaction((raw) =>
      writeTransactions(
        blindToExistingKeys(raw),
        [write({ row: 2, external_id: 'RACE-1', amount: '5' }), write({ row: 3, external_id: 'RACE-2' })],
        present,
        'HKD',
      ),
    );
    expect(result).toEqual({ inserted: 1, updated: 1, missingAccountRows: [] });
    expect((await rowsOf(['RACE-1', 'RACE-2'])).map((row) => [row.external_id, row.amount])).toEqual([
      ['RACE-1', '5.00'],
      ['RACE-2', '100.50'],
    ]);
  });

  it('carries what the last batch held: all new, all existing (a re-import), or mixed', async () => {
    const state = newTransactionWriteState();
    const batch = (ids: string[], amount = '1') =>
      database.rawTransaction((raw) =>
        writeTransactions(
          raw,
          ids.map((id, i) => write({ row: i + 2, external_id: id, amount })),
          present,
          'HKD',
          state,
        ),
      );
    expect(await batch(['S-1', 'S-2'])).toEqual({ inserted: 2, updated: 0, missingAccountRows: [] });
    expect(state.expect).toBe('new');
    expect(await batch(['S-1', 'S-2'])).toEqual({ inserted: 0, updated: 0, missingAccountRows: [] });
    expect(state.expect).toBe('existing');
    expect(await batch(['S-1', 'S-2'], '2')).toEqual({ inserted: 0, updated: 2, missingAccountRows: [] });
    expect(state.expect).toBe('existing');
    expect(await batch(['S-2', 'S-3'], '2')).toEqual({ inserted: 1, updated: 0, missingAccountRows: [] });
    expect(state.expect).toBe('mixed');
    expect(await batch(['S-4', 'S-5'])).toEqual({ inserted: 2, updated: 0, missingAccountRows: [] });
    expect(state.expect).toBe('new');
  });
});
