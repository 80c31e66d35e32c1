/**
 * Speed of the full analytics engine (src/features/analytics) on a seeded synthetic customer base:
 * RFM (SQL summary + quintiles + segments) → ABC (SQL Pareto values + classes + movers) → churn (summary with volume
 * windows + BG/NBD P(alive) + rules) → cohorts (SQL matrix) → CLV (summary, BG/NBD + Gamma-Gamma fits, P(alive),
 * expected purchases, discounted CLV, calibration/holdout refit), each run stored with COPY as the app stores it.
 *  - PGlite (in memory): 100,000 customers / ~1M transactions (the size);
 *  - PostgreSQL (a throwaway schema on DATABASE_URL or the local test server): as large as runs in a few minutes
 *    (default 1,000,000 customers / ~10M transactions; `--postgres N` to change, 0 to skip).
 * In the same run, the same SQL aggregations (BTYD summary, ABC values, cohort cells) on the same transactions in
 * DuckDB (@duckdb/node-api, in memory) as a reference, when that package is installed.
 *
 * Customers follow a BG/NBD-like process: acquisition uniform over the two years before the as-of date, purchase
 * rate λ ~ Gamma(0.9, mean 1/20 per day), dropout after each purchase with p ~ Beta(1, 12), spend ~ Gamma.
 * Each stage is one timed run (a full analysis is seconds to minutes of I/O, not a micro-benchmark).
 *
 * Run alone: node --import tsx bench/analytics.bench.ts [--pglite 100000] [--postgres 1000000]
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { DatabaseKind } from '../src/db/connect.js';
import { createAnalyticsService, runRequestSchema, type AnalysisKind } from '../src/features/analytics/index.js';
import { fixedClock } from '../src/shared/clock.js';
import { createRandom } from '../src/shared/random.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/databases.js';
import { isMainModule, numberArgument, printRows, type Row } from './report.js';

const AS_OF = '2026-06-30';
const AS_OF_DAY = Date.UTC(2026, 5, 30) / 86_400_000;
const SEED = 20260630;
const s = (ms: number) => ms / 1000;
const fmt = (seconds: number) => `${seconds.toFixed(2)} s`;
const count = (n: number) => n.toLocaleString('en');

interface Loaded {
  customers: number;
  transactions: number;
  csvPath: string | null;
}

/** Accounts then transactions, COPY in chunks; optionally the same transactions to a CSV file for DuckDB. */
async function loadSynthetic(database: TestDatabase, customers: number, csvPath: string | null): Promise<Loaded> {
  async function* accountChunks(): AsyncGenerator<string> {
    const per = 50_000;
    for (let start = 0; start < customers; start += per) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(customers, start + per); i++) lines.push(`B${i},Bench Customer ${i},freight`);
      yield `${lines.join('\n')}\n`;
    }
  }
  await database.copyCsv('accounts', ['code', 'name_en', 'industry'], accountChunks());
  const first = await database.db
    .selectFrom('accounts')
    .select((eb) => eb.fn.min('id').as('id'))
    .executeTakeFirstOrThrow();
  const firstId = Number(first.id);
  const dayText: string[] = [];
  const dayString = (day: number) =>
    (dayText[day - AS_OF_DAY + 800] ??= new Date(day * 86_400_000).toISOString().slice(0, 10));
  const file = csvPath ? createWriteStream(csvPath) : null;
  let transactions = 0;
  const random = createRandom(SEED);
  async function* transactionChunks(): AsyncGenerator<string> {
    const per = database.kind === 'pglite' ? 20_000 : 10_000;
    for (let start = 0; start < customers; start += per) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(customers, start + per); i++) {
        const acquired = AS_OF_DAY - random.int(0, 729);
        const rate = random.gamma(0.9, 1 / 18); // purchases per day, mean 1/20
        const dropout = random.gamma(1, 1) / (random.gamma(1, 1) + random.gamma(12, 1)); // Beta(1, 12)
        const spend = random.gamma(2, 400);
        let day = acquired;
        let k = 0;
        for (;;) {
          const hour = random.int(1, 9);
          const amount = (random.gamma(4, spend / 4) + 1).toFixed(2);
          lines.push(`S${i}-${k},${firstId + i},${dayString(Math.floor(day))}T0${hour}:00:00Z,${amount}`);
          k += 1;
          if (random.chance(dropout)) break;
          day += random.exponential(Math.max(rate, 1e-4));
          if (day > AS_OF_DAY) break;
        }
        transactions += k;
      }
      const chunk = `${lines.join('\n')}\n`;
      if (file && !file.write(chunk)) await once(file, 'drain');
      yield chunk;
    }
  }
  await database.copyCsv('transactions', ['external_id', 'account_id', 'occurred_at', 'amount'], transactionChunks());
  if (file) {
    file.end();
    await once(file, 'finish');
  }
  await sql`analyze accounts, transactions`.execute(database.db);
  return { customers, transactions, csvPath };
}

interface StageTimes {
  total: number;
  stages: { stage: string; ms: number }[];
}

/** One stored run, with the time between the service's progress stages. */
async function timeRun(
  database: TestDatabase,
  kind: AnalysisKind,
  parameters: Record<string, unknown>,
): Promise<StageTimes & { customers: number; warnings: string[] }> {
  const service = createAnalyticsService({ database, clock: fixedClock(`${AS_OF}T12:00:00Z`) });
  const marks: { stage: string; at: number }[] = [];
  const started = performance.now();
  const run = await service.run(
    runRequestSchema.parse({ kind, asOf: AS_OF, parameters: { timeZone: 'UTC', ...parameters } }),
    {
      onProgress: (_done, _total, stage) => {
        if (marks.at(-1)?.stage !== stage) marks.push({ stage, at: performance.now() });
      },
    },
  );
  const ended = performance.now();
  const stages = marks.map((mark, i) => ({ stage: mark.stage, ms: (marks[i + 1]?.at ?? ended) - mark.at }));
  return {
    total: ended - started,
    stages,
    customers: run.customerCount,
    warnings: ((run.results as { warnings?: string[] }).warnings ?? []).slice(0, 2),
  };
}

const shortStage = (stage: string): string =>
  stage
    .replace('Summarising customers (frequency, recency, T, monetary value)', 'summary SQL')
    .replace('Summarising customers and their recent volume', 'summary SQL with windows')
    .replace('Storing per-customer results', 'store (COPY)')
    .replace('Summing values per customer', 'ABC values SQL')
    .replace('Building the cohort matrix', 'cohort SQL')
    .replace('Fitting BG/NBD for P(alive)', 'BG/NBD fit + rules')
    .replace('Fitting BG/NBD and Gamma-Gamma', 'BG/NBD + Gamma-Gamma fits')
    .replace('Scoring customers (P(alive), expected purchases, CLV)', 'P(alive)/E[Y]/CLV scoring')
    .replace('Calibration/holdout check', 'calibration summary SQL + refit');

async function benchDatabase(kind: DatabaseKind, customers: number, duck: DuckBench | null): Promise<Row[]> {
  const label = kind === 'pglite' ? 'PGlite (memory)' : 'PostgreSQL';
  let database: TestDatabase;
  try {
    database = await createTestDatabase(kind);
  } catch (error) {
    return [{ name: `${label}: skipped`, seconds: Number.NaN, reference: '', note: (error as Error).message }];
  }
  const dir = duck ? mkdtempSync(join(tmpdir(), 'rapport-bench-')) : null;
  const rows: Row[] = [];
  try {
    const t0 = performance.now();
    const loaded = await loadSynthetic(database, customers, dir ? join(dir, 'transactions.csv') : null);
    const size = `${count(loaded.customers)} customers / ${count(loaded.transactions)} transactions`;
    rows.push({
      name: `${label}: generate + COPY ${size}`,
      seconds: s(performance.now() - t0),
      reference: '',
      note: `${count(Math.round(loaded.transactions / s(performance.now() - t0)))} transactions/s (not part of the analysis)`,
    });
    const plan: [AnalysisKind, Record<string, unknown>, string][] = [
      ['rfm', { unit: 'day' }, 'RFM: BTYD summary in SQL, quintile scores, segments'],
      [
        'abc',
        { from: '2025-07-01', to: AS_OF },
        'ABC/Pareto by revenue over 12 months, with movers vs the 12 months before',
      ],
      ['churn', { windowDays: 90 }, 'churn: summary with 90-day volume windows, BG/NBD P(alive), rules and reasons'],
      ['cohorts', {}, 'cohorts: acquisition-month matrix (24 months) in SQL'],
      [
        'clv',
        { model: 'bgnbd', unit: 'week', holdoutDays: 182 },
        'CLV: BG/NBD + Gamma-Gamma, P(alive), E[purchases], CLV; 26-week holdout check',
      ],
    ];
    let analysis = 0;
    for (const [runKind, parameters, what] of plan) {
      const timed = await timeRun(database, runKind, parameters);
      analysis += timed.total;
      rows.push({
        name: `${label}: ${what}`,
        seconds: s(timed.total),
        reference: '',
        note:
          `${count(timed.customers)} rows stored; ` +
          timed.stages.map((stage) => `${shortStage(stage.stage)} ${fmt(s(stage.ms))}`).join(', ') +
          (timed.warnings.length > 0 ? `; warnings: ${timed.warnings.join(' | ')}` : ''),
      });
    }
    rows.push({
      name: `${label}: full analysis, ${size}`,
      seconds: s(analysis),
      reference:
        kind === 'pglite' ? 'issue target size: 100k / 1M on PGlite' : 'issue target size: 1M / 10M on PostgreSQL',
      note: 'RFM + ABC + quintiles + churn + cohorts + BG/NBD + Gamma-Gamma + CLV, each run stored',
    });
    if (duck && loaded.csvPath) rows.push(...(await duck(loaded.csvPath, `${label} data, ${size}`)));
  } finally {
    await database.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

type DuckBench = (csvPath: string, label: string) => Promise<Row[]>;

/** The same aggregations in DuckDB (in memory), if @duckdb/node-api is installed. */
async function loadDuckBench(): Promise<DuckBench | null> {
  let api: {
    DuckDBInstance: {
      create(path: string): Promise<{
        connect(): Promise<{
          run(sql: string): Promise<unknown>;
          runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
        }>;
      }>;
    };
  };
  try {
    const name = '@duckdb/node-api';
    api = (await import(name)) as typeof api;
  } catch {
    return null;
  }
  return async (csvPath, label) => {
    const instance = await api.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const rows: Row[] = [];
    const time = async (name: string, sqlText: string, note: (result: unknown[][]) => string) => {
      const t0 = performance.now();
      const result = (await connection.runAndReadAll(sqlText)).getRows();
      rows.push({
        name: `DuckDB: ${name}`,
        seconds: s(performance.now() - t0),
        reference: 'reference engine',
        note: `${note(result)} (${label})`,
      });
    };
    const t0 = performance.now();
    await connection.run(
      `create table transactions as select * from read_csv('${csvPath.replace(/'/g, "''")}', header = false,
        columns = {'external_id': 'VARCHAR', 'account_id': 'BIGINT', 'occurred_at': 'TIMESTAMP', 'amount': 'DECIMAL(18,2)'})`,
    );
    rows.push({
      name: 'DuckDB: load the same CSV',
      seconds: s(performance.now() - t0),
      reference: 'reference engine',
      note: label,
    });
    const summary = (divisor: number) => `
      with days as (
        select account_id, occurred_at::date as day, sum(amount) as amount
        from transactions where occurred_at < date '${AS_OF}' + 1 group by 1, 2
      ), marked as (select *, min(day) over (partition by account_id) as first_day from days)
      select account_id, count(*) - 1 as frequency, (max(day) - min(day)) / ${divisor}.0 as recency,
        (date '${AS_OF}' - min(day)) / ${divisor}.0 as t,
        coalesce(sum(amount) filter (where day > first_day) / nullif(count(*) - 1, 0), 0)::double as monetary_value,
        sum(amount)::double as total_value
      from marked group by account_id order by account_id`;
    await time('BTYD summary (days), rows to JS', summary(1), (r) => `${count(r.length)} customers`);
    await time('BTYD summary (weeks), rows to JS', summary(7), (r) => `${count(r.length)} customers`);
    await time(
      'ABC values (12 months + previous 12), rows to JS',
      `select account_id, sum(amount) filter (where occurred_at >= date '2025-07-01')::double as value,
         sum(amount) filter (where occurred_at < date '2025-07-01')::double as previous
       from transactions where occurred_at >= date '2024-07-01' and occurred_at < date '${AS_OF}' + 1
       group by account_id order by account_id`,
      (r) => `${count(r.length)} customers`,
    );
    await time(
      'cohort cells (24 months)',
      `with months as (
         select account_id, date_trunc('month', occurred_at)::date as month, sum(amount) as revenue
         from transactions where occurred_at < date '${AS_OF}' + 1 group by 1, 2
       ), firsts as (select account_id, min(month) as cohort from months group by 1)
       select f.cohort, datediff('month', f.cohort, m.month) as k, count(*) as customers, sum(m.revenue)::double as revenue
       from months m join firsts f using (account_id) where f.cohort >= date '2024-07-01' group by 1, 2 order by 1, 2`,
      (r) => `${count(r.length)} cells`,
    );
    return rows;
  };
}

export async function benchAnalytics(): Promise<Row[]> {
  const duck = await loadDuckBench();
  const rows: Row[] = [];
  const pgliteCustomers = numberArgument('pglite', 100_000);
  const postgresCustomers = numberArgument('postgres', 1_000_000);
  if (pgliteCustomers > 0) rows.push(...(await benchDatabase('pglite', pgliteCustomers, duck)));
  if (postgresCustomers > 0) rows.push(...(await benchDatabase('postgres', postgresCustomers, duck)));
  if (!duck) {
    rows.push({
      name: 'DuckDB reference: skipped',
      seconds: Number.NaN,
      reference: '',
      note: '@duckdb/node-api is not installed (npm install --save-dev @duckdb/node-api)',
    });
  }
  return rows;
}

if (isMainModule(import.meta.url)) printRows(await benchAnalytics());
