/**
 * Speed of demo seeding (src/demo): seeded generation, CSV encoding and COPY of a freight data set.
 *  - 100,000 freight customers (~1M shipments) into a throwaway schema on the PostgreSQL server (target: well under
 *    a minute);
 *  - 20,000 customers into in-memory PGlite;
 *  - the same 100,000 customers generated and CSV-encoded with no database, to separate our cost from COPY's.
 * Each figure is one run (seeding is minutes of I/O, not a micro-benchmark); the note gives rows/s and stage times.
 *
 * Run alone: node --import tsx bench/demo.bench.ts
 */
import { seedDemo, type DemoResult } from '../src/demo/index.js';
import { createDemoGenerator } from '../src/demo/generate.js';
import { csvChunks, encodeAccount, encodeContact, encodeTransaction } from '../src/demo/load.js';
import type { DatabaseKind } from '../src/db/connect.js';
import { createTestDatabase } from '../src/testing/databases.js';
import { isMainModule, printRows, type Row } from './report.js';

const AS_OF = new Date('2025-06-30T00:00:00Z');
const SEED = 20250630;
const perSecond = (n: number, seconds: number): string => Math.round(n / seconds).toLocaleString('en');

async function benchSeed(kind: DatabaseKind, customers: number): Promise<Row> {
  const name = `demo seed, freight ${customers.toLocaleString('en')} customers → ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite (memory)'}`;
  const reference = kind === 'postgres' ? 'target: well under 60 s for 100k customers / ~1M transactions' : 'no target';
  let database;
  try {
    database = await createTestDatabase(kind);
  } catch (error) {
    return { name, seconds: Number.NaN, reference, note: `skipped: ${(error as Error).message}` };
  }
  try {
    const stages: { stage: string; at: number }[] = [];
    const started = performance.now();
    const result: DemoResult = await seedDemo(database, {
      industry: 'freight',
      customers,
      seed: SEED,
      asOf: AS_OF,
      onProgress: (_done, _total, stage) => {
        if (stages.at(-1)?.stage !== stage) stages.push({ stage, at: performance.now() });
      },
    });
    const ended = performance.now();
    const seconds = (ended - started) / 1000;
    const stageTimes = stages
      .map((s, i) => `${s.stage} ${(((stages[i + 1]?.at ?? ended) - s.at) / 1000).toFixed(1)} s`)
      .join(', ');
    const rows = result.users + result.accounts + result.contacts + result.transactions;
    return {
      name,
      seconds,
      reference,
      note:
        `${result.accounts.toLocaleString('en')} accounts, ${result.contacts.toLocaleString('en')} contacts, ` +
        `${result.transactions.toLocaleString('en')} transactions; ${perSecond(rows, seconds)} rows/s overall, ` +
        `${perSecond(result.transactions, seconds)} transactions/s end to end; ${stageTimes}`,
    };
  } finally {
    await database.dispose();
  }
}

async function benchGenerateOnly(customers: number): Promise<Row> {
  const generator = createDemoGenerator({ industry: 'freight', customers, seed: SEED, asOf: AS_OF });
  const ids = { account: () => 1, user: () => 1 };
  const started = performance.now();
  let rows = 0;
  let bytes = 0;
  const drain = async (chunks: AsyncIterable<string>) => {
    for await (const chunk of chunks) bytes += Buffer.byteLength(chunk);
  };
  const count = () => (rows += 1);
  await drain(
    csvChunks({
      total: customers,
      chunkSize: 1_000,
      rows: (from, to) => generator.accounts(from, to),
      encode: (row) => (count(), encodeAccount(row, ids)),
    }),
  );
  await drain(
    csvChunks({
      total: customers,
      chunkSize: 1_000,
      rows: (from, to) => generator.contacts(from, to),
      encode: (row) => (count(), encodeContact(row, ids)),
    }),
  );
  await drain(
    csvChunks({
      total: customers,
      chunkSize: 100,
      rows: (from, to) => generator.transactions(from, to),
      encode: (row) => (count(), encodeTransaction(row, ids)),
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    name: `demo generation + CSV only, freight ${customers.toLocaleString('en')} customers (no database)`,
    seconds,
    reference: 'the JavaScript share of the seed above',
    note: `${rows.toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(0)} MB of CSV; ${perSecond(rows, seconds)} rows/s`,
  };
}

export async function benchDemo(): Promise<Row[]> {
  return [await benchSeed('postgres', 100_000), await benchSeed('pglite', 20_000), await benchGenerateOnly(100_000)];
}

if (isMainModule(import.meta.url)) printRows(await benchDemo());
