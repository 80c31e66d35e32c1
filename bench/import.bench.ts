/**
 * Import throughput (issue 3): a generated transactions CSV (1M rows by default) imported with validation on —
 * zod row schemas, day-first dates, account codes resolved, upsert with change detection, checkpoint per batch —
 * on PostgreSQL (throwaway schema) and on in-memory PGlite; and, in the same run, PostgreSQL's own COPY of the
 * same file into a bare text table (no indexes, no checks) as the reference. Target: ≥ 50% of COPY's rows/s.
 *
 * Run alone: node --import tsx bench/import.bench.ts [--rows 1000000] [--pglite-rows 1000000]
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { testDatabaseUrl } from '../src/config/env.js';
import type { DatabaseKind } from '../src/db/connect.js';
import { writeAccountsCsv, writeTransactionsCsv } from '../src/features/imports/import.fixtures.js';
import { createImportService } from '../src/features/imports/index.js';
import { fixedClock } from '../src/shared/clock.js';
import { createTestDatabase } from '../src/testing/databases.js';

export interface Row {
  name: string;
  seconds: number;
  reference: string;
  note: string;
}

const ACCOUNTS = 10_000;
const perSecond = (n: number, seconds: number): number => Math.round(n / seconds);
const fmt = (n: number): string => n.toLocaleString('en');

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
}

/**
 * COPY of the file into a bare table of text columns on the PostgreSQL server — the speed limit of loading —
 * and, as a second reference, PostgreSQL alone loading the same rows into a table shaped like transactions
 * (same indexes and foreign key): COPY into staging, then one INSERT … SELECT with the account join.
 */
async function copyReferences(file: string, rows: number): Promise<Row[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  const schema = `rapport_bench_${process.pid}`;
  await client.connect();
  try {
    await client.query(`create schema ${schema}`);
    await client.query(`set search_path = ${schema}`);
    await client.query(
      'create table copy_reference (transaction_id text, account_code text, occurred_at text, amount text, currency text, quantity text, unit text)',
    );
    const started = performance.now();
    await pipeline(
      createReadStream(file, { highWaterMark: 1024 * 1024 }),
      client.query(copyFrom('copy copy_reference from stdin with (format csv, header true)')),
    );
    const seconds = (performance.now() - started) / 1000;
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
    const sqlSeconds = seconds + (performance.now() - insertStarted) / 1000;
    return [
      {
        name: `reference: PostgreSQL COPY of the same ${fmt(rows)}-row CSV into a bare text table`,
        seconds,
        reference: 'reference',
        note: `${fmt(perSecond(rows, seconds))} rows/s (no validation, no indexes, no upsert)`,
      },
      {
        name: 'reference: PostgreSQL alone into an indexed transactions table (COPY to staging + INSERT … SELECT)',
        seconds: sqlSeconds,
        reference: 'reference',
        note: `${fmt(perSecond(rows, sqlSeconds))} rows/s (same unique key, 2 indexes and foreign key; no upsert, no per-row checks)`,
      },
    ];
  } finally {
    await client.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
    await client.end();
  }
}

async function benchImport1(
  kind: DatabaseKind,
  accountsFile: string,
  file: string,
  rows: number,
  copy: Row | null,
  indexed: Row | null,
): Promise<Row[]> {
  const label = kind === 'postgres' ? 'PostgreSQL' : 'PGlite (memory)';
  const name = `import ${fmt(rows)} transactions (CSV, validated, upsert) → ${label}`;
  let database;
  try {
    database = await createTestDatabase(kind);
  } catch (error) {
    return [{ name, seconds: Number.NaN, reference: '', note: `skipped: ${(error as Error).message}` }];
  }
  try {
    const service = createImportService({ database, clock: fixedClock('2026-01-01T00:00:00Z') });
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
    const share = copy && Number.isFinite(copy.seconds) ? rate / perSecond(rows, copy.seconds) : null;
    const sqlShare = indexed && Number.isFinite(indexed.seconds) ? rate / perSecond(rows, indexed.seconds) : null;
    const out: Row[] = [
      {
        name,
        seconds,
        reference:
          share === null
            ? 'no target'
            : `${(share * 100).toFixed(1)}% of bare COPY (target ≥ 50%); ${((sqlShare ?? 0) * 100).toFixed(0)}% of PostgreSQL alone into the indexed table`,
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
  const rows = argument('rows', 1_000_000);
  const pgliteRows = argument('pglite-rows', rows);
  const dir = mkdtempSync(join(tmpdir(), 'rapport-import-bench-'));
  try {
    const accountsFile = join(dir, 'accounts.csv');
    await writeAccountsCsv(accountsFile, ACCOUNTS);
    const file = join(dir, 'transactions.csv');
    await writeTransactionsCsv(file, rows, ACCOUNTS, 42);
    const out: Row[] = [];
    let copy: Row | null = null;
    let indexed: Row | null = null;
    try {
      [copy = null, indexed = null] = await copyReferences(file, rows);
    } catch (error) {
      out.push({
        name: 'reference: PostgreSQL COPY',
        seconds: Number.NaN,
        reference: '',
        note: `skipped: ${(error as Error).message}`,
      });
    }
    out.push(...(await benchImport1('postgres', accountsFile, file, rows, copy, indexed)));
    if (copy) out.push({ ...copy, note: `${copy.note}; file ${Math.round(statSync(file).size / 2 ** 20)} MB` });
    if (indexed) out.push(indexed);
    if (pgliteRows > 0) {
      let pgliteFile = file;
      if (pgliteRows !== rows) {
        pgliteFile = join(dir, 'transactions-pglite.csv');
        await writeTransactionsCsv(pgliteFile, pgliteRows, ACCOUNTS, 42);
      }
      out.push(...(await benchImport1('pglite', accountsFile, pgliteFile, pgliteRows, null, null)));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const rows = await benchImport();
  console.table(rows.map((r) => ({ name: r.name, seconds: Number(r.seconds.toFixed(2)), reference: r.reference })));
  for (const r of rows) console.log(`- ${r.name}: ${r.note}`);
}
