/**
 * Import throughput (issue 3): a generated transactions CSV (1M rows by default) imported with validation on —
 * zod row schemas, day-first dates, account codes resolved, upsert by business key with change detection,
 * checkpoint per batch — on PostgreSQL (throwaway schema) and on in-memory PGlite. In the same run, PostgreSQL's
 * own COPY as the references:
 *   1. COPY of the same rows shaped for the table (account ids, ISO times) straight into the migrated
 *      transactions table (its unique key, indexes and foreign key) — PostgreSQL's fastest way to fill that
 *      table, and the reference the target (≥ 50%) is judged against;
 *   2. COPY of the file itself into a bare table of text columns (no types, no indexes, no keys) — the speed of
 *      reading the bytes, which no load into an indexed table reaches (reference 1 is a fraction of it too);
 *   3. COPY into staging, then one INSERT … SELECT joining accounts by code — the set-based SQL alternative.
 *
 * Run alone: node --import tsx bench/import.bench.ts [--rows 1000000] [--pglite-rows 1000000]
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { testDatabaseUrl } from '../src/config/env.js';
import type { DatabaseKind } from '../src/db/connect.js';
import { writeAccountsCsv, writeTransactionsCsv } from '../src/features/imports/import.fixtures.js';
import { createImportService } from '../src/features/imports/index.js';
import { fixedClock } from '../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { formatCount, isMainModule, numberArgument, printRows, type Row } from './report.js';

const ACCOUNTS = 10_000;
const perSecond = (n: number, seconds: number): number => Math.round(n / seconds);
const fmt = formatCount;
const clock = fixedClock('2026-01-01T00:00:00Z');

const skipped = (name: string, error: unknown): Row => ({
  name,
  seconds: Number.NaN,
  reference: '',
  note: `skipped: ${(error as Error).message}`,
});

/** The fixture's rows as COPY text for the transactions table: account id for the code, ISO time with +08. */
async function writeShaped(file: string, shaped: string, accountIds: ReadonlyMap<string, number>): Promise<void> {
  const out = createWriteStream(shaped);
  let chunk = '';
  let first = true;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (first || line === '') {
      first = false;
      continue;
    }
    const [id, code, when, amount, currency, quantity, unit] = line.split(',');
    const [day, month, rest] = when!.split('/');
    const [year, time] = rest!.split(' ');
    chunk += `${id}\t${accountIds.get(code!)}\t${year}-${month}-${day} ${time}:00+08\t${amount}\t${currency}\t${quantity}\t${unit}\n`;
    if (chunk.length > 256 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'close');
}

async function timedCopy(client: pg.Client, statement: string, file: string): Promise<number> {
  const started = performance.now();
  await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), client.query(copyFrom(statement)));
  return (performance.now() - started) / 1000;
}

/** Reference 1: COPY of shaped rows into the migrated transactions table of a throwaway schema. */
async function copyIntoTable(dir: string, accountsFile: string, file: string, rows: number): Promise<Row> {
  const database = await createTestDatabase('postgres');
  try {
    await createImportService({ database, clock }).runImport({ filePath: accountsFile, entity: 'accounts' });
    const [{ schema } = { schema: 'public' }] = await database.rawTransaction((raw) =>
      raw.query<{ schema: string }>('select current_schema() as schema'),
    );
    const ids = await database.db.selectFrom('accounts').select(['code', 'id']).execute();
    const shaped = join(dir, 'transactions-shaped.tsv');
    await writeShaped(file, shaped, new Map(ids.map((row) => [row.code, Number(row.id)])));
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      await client.query(`select set_config('search_path', $1, false)`, [`${schema}, public`]);
      const seconds = await timedCopy(
        client,
        'copy transactions (external_id, account_id, occurred_at, amount, currency, quantity, unit) from stdin',
        shaped,
      );
      return {
        name: `reference: PostgreSQL COPY of the same ${fmt(rows)} rows, shaped for the table, into transactions`,
        seconds,
        reference: 'reference (target: import ≥ 50% of it)',
        note: `${fmt(perSecond(rows, seconds))} rows/s (the migrated table: unique key, indexes, foreign key; no validation, no upsert)`,
      };
    } finally {
      await client.end();
    }
  } finally {
    await database.dispose();
  }
}

/** References 2 and 3: bare COPY into text columns, and COPY to staging + INSERT … SELECT into a like table. */
async function copyIntoBareTables(file: string, rows: number): Promise<Row[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  const schema = `rapport_bench_${process.pid}`;
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
    await client.query(`set search_path = ${schema}`);
    await client.query(
      'create table copy_reference (transaction_id text, account_code text, occurred_at text, amount text, currency text, quantity text, unit text)',
    );
    const bare = await timedCopy(client, 'copy copy_reference from stdin with (format csv, header true)', file);
    await client.query(
      `create table accounts (id bigint generated always as identity primary key, code text not null unique)`,
    );
    await client.query(
      `insert into accounts (code) select 'C' || lpad(i::text, 6, '0') from generate_series(1, ${ACCOUNTS}) i`,
    );
    await client.query(`create table transactions (
      id bigint generated always as identity primary key, external_id text not null unique,
      account_id bigint not null references accounts (id), occurred_at timestamptz not null, amount numeric(18, 2) not null,
      currency char(3) not null default 'HKD', quantity numeric(18, 3), unit text)`);
    await client.query('create index on transactions (account_id, occurred_at)');
    await client.query('create index on transactions (occurred_at)');
    const insertStarted = performance.now();
    await client.query(`insert into transactions (external_id, account_id, occurred_at, amount, currency, quantity, unit)
      select r.transaction_id, a.id, to_timestamp(r.occurred_at, 'DD/MM/YYYY HH24:MI'), r.amount::numeric, r.currency, r.quantity::numeric, r.unit
      from copy_reference r join accounts a on a.code = r.account_code`);
    const staged = bare + (performance.now() - insertStarted) / 1000;
    return [
      {
        name: `reference: PostgreSQL COPY of the ${fmt(rows)}-row CSV into a bare text table`,
        seconds: bare,
        reference: 'reference',
        note: `${fmt(perSecond(rows, bare))} rows/s (reading the bytes only: no types, no indexes, no keys); file ${Math.round(statSync(file).size / 2 ** 20)} MB`,
      },
      {
        name: 'reference: PostgreSQL COPY to staging + INSERT … SELECT (join by code) into an indexed table',
        seconds: staged,
        reference: 'reference',
        note: `${fmt(perSecond(rows, staged))} rows/s (set-based SQL, no upsert, no per-row checks)`,
      },
    ];
  } finally {
    await client.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await client.end();
  }
}

const share = (rate: number, rows: number, reference: Row | undefined): string | null =>
  reference && Number.isFinite(reference.seconds)
    ? `${((rate / perSecond(rows, reference.seconds)) * 100).toFixed(0)}%`
    : null;

async function benchImportInto(
  kind: DatabaseKind,
  accountsFile: string,
  file: string,
  rows: number,
  references: { table?: Row; bare?: Row },
): Promise<Row[]> {
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite (memory)';
  const name = `import ${fmt(rows)} transactions (CSV, validated, upsert) → ${label}`;
  let database: TestDatabase;
  try {
    database = await createTestDatabase(kind);
  } catch (error) {
    return [skipped(name, error)];
  }
  try {
    const service = createImportService({ database, clock });
    await service.runImport({ filePath: accountsFile, entity: 'accounts' });
    const started = performance.now();
    let peakRss = process.memoryUsage().rss;
    const result = await service.runImport({
      filePath: file,
      entity: 'transactions',
      onProgress: () => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const rate = perSecond(result.inserted, seconds);
    const ofTable = share(rate, rows, references.table);
    const ofBare = share(rate, rows, references.bare);
    const out: Row[] = [
      {
        name,
        seconds,
        reference:
          ofTable === null
            ? 'no target'
            : `${ofTable} of PostgreSQL's COPY into the table (target ≥ 50%); ${ofBare ?? 'n/a'} of bare COPY into text`,
        note: `${fmt(rate)} rows/s; ${fmt(result.inserted)} inserted, ${fmt(result.rejected)} rejected; peak RSS ${Math.round(peakRss / 2 ** 20)} MB`,
      },
    ];
    const againStarted = performance.now();
    const again = await service.runImport({ filePath: file, entity: 'transactions' });
    const againSeconds = (performance.now() - againStarted) / 1000;
    out.push({
      name: `re-import of the same file (all unchanged) → ${label}`,
      seconds: againSeconds,
      reference: 'no target',
      note: `${fmt(perSecond(rows, againSeconds))} rows/s; ${fmt(again.unchanged)} unchanged, ${fmt(again.inserted + again.updated)} written`,
    });
    return out;
  } finally {
    await database.dispose();
  }
}

export async function benchImport(): Promise<Row[]> {
  const rows = numberArgument('rows', 1_000_000);
  const pgliteRows = numberArgument('pglite-rows', rows);
  const dir = mkdtempSync(join(tmpdir(), 'rapport-import-bench-'));
  try {
    const accountsFile = join(dir, 'accounts.csv');
    await writeAccountsCsv(accountsFile, ACCOUNTS);
    const file = join(dir, 'transactions.csv');
    await writeTransactionsCsv(file, rows, ACCOUNTS, 42);
    const references: Row[] = [];
    let table: Row | undefined;
    let bare: Row | undefined;
    try {
      table = await copyIntoTable(dir, accountsFile, file, rows);
      references.push(table);
    } catch (error) {
      references.push(skipped('reference: PostgreSQL COPY into transactions', error));
    }
    try {
      const [bareRow, staged] = await copyIntoBareTables(file, rows);
      bare = bareRow;
      references.push(bareRow!, staged!);
    } catch (error) {
      references.push(skipped('reference: PostgreSQL COPY into a bare table', error));
    }
    const out = [...(await benchImportInto('postgres', accountsFile, file, rows, { table, bare })), ...references];
    if (pgliteRows > 0) {
      let pgliteFile = file;
      if (pgliteRows !== rows) {
        pgliteFile = join(dir, 'transactions-pglite.csv');
        await writeTransactionsCsv(pgliteFile, pgliteRows, ACCOUNTS, 42);
      }
      out.push(...(await benchImportInto('pglite', accountsFile, pgliteFile, pgliteRows, {})));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) printRows(await benchImport());
