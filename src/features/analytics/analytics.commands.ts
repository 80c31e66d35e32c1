import { createReadStream, existsSync } from 'node:fs';
import { action, globalOptions, type GlobalOptions, type WithService } from '../../cli/action.js';
import { Argument, type Command } from 'commander';
import { z } from 'zod';
import { formatTable, printResult } from '../../cli/output.js';
import { createProgress } from '../../cli/progress.js';
import { openMemoryPglite } from '../../db/connect.js';
import { migrate } from '../../db/migrate.js';
import { loadConfig } from '../../config/env.js';
import { systemClock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import {
  analysisKindSchema,
  isoDateSchema,
  runRequestSchema,
  timeZoneSchema,
  type AbcResults,
  type AnalysisKind,
  type AnalysisRun,
  type ChurnResults,
  type ClvResults,
  type CohortResults,
  type CustomerResult,
  type CustomerSort,
  type RfmResults,
  type RunRequest,
  type TransactionInput,
} from './analytics.schema.js';
import { createAnalyticsService, type AnalyticsService } from './analytics.service.js';
import { fitFromSummary } from './clv.rules.js';

/**
 * `rapport analyze <kind>`: runs an analysis on the database and stores the run, or — file mode, for people who only
 * have a spreadsheet — on a CSV file:
 *   --summary FILE (clv): customer_id, frequency, recency, T[, monetary_value] → the fitted model as JSON;
 *   --transactions FILE: customer_id, occurred_at, amount → loaded into an in-memory PGlite (same migrations, same SQL
 *   as the database mode), analysed, and every customer's result printed.
 */
interface AnalyzeFlags {
  asOf?: string;
  timeZone?: string;
  unit?: string;
  from?: string;
  to?: string;
  measure?: string;
  volumeUnit?: string;
  thresholds?: string;
  compare?: boolean;
  windowDays?: string;
  model?: string;
  horizon?: string;
  discountRate?: string;
  margin?: string;
  holdoutDays?: string;
  summary?: string;
  transactions?: string;
  top?: string;
}

/** Which flag sets which parameter (for "does not apply" and validation messages). */
const flagOfParameter: Record<string, string> = {
  timeZone: '--time-zone',
  unit: '--unit',
  from: '--from',
  to: '--to',
  measure: '--measure',
  volumeUnit: '--volume-unit',
  thresholds: '--thresholds',
  compare: '--no-compare',
  windowDays: '--window-days',
  volumeMeasure: '--measure',
  model: '--model',
  horizonMonths: '--horizon',
  discountRate: '--discount-rate',
  margin: '--margin',
  holdoutDays: '--holdout-days',
};

const number = (text: string) => (/^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN);

function issueMessage(error: z.ZodError, flagFor: (path: PropertyKey[]) => string): AppError {
  const issue = error.issues[0];
  const flag = flagFor(issue?.path ?? []);
  return new AppError('validation_failed', `Invalid option ${flag}: ${issue?.message ?? 'invalid value'}`, {
    option: flag,
  });
}

/** Flags → the kind's parameters, validated by the same zod schema as the API. */
export function parametersFromFlags(kind: AnalysisKind, flags: AnalyzeFlags): RunRequest {
  const raw: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) raw[key] = value;
  };
  set('timeZone', flags.timeZone);
  if (kind === 'abc' || kind === 'groups') {
    set('measure', flags.measure);
    set('volumeUnit', flags.volumeUnit);
    set('from', flags.from);
    set('to', flags.to);
    if (flags.thresholds !== undefined) {
      const [a, b] = flags.thresholds.split(',').map(number);
      raw.thresholds = { a, b };
    }
    if (flags.compare === false) raw.compare = false;
  } else if (kind === 'rfm') {
    set('unit', flags.unit);
  } else if (kind === 'churn') {
    set('unit', flags.unit);
    if (flags.windowDays !== undefined) raw.windowDays = number(flags.windowDays);
    set('volumeMeasure', flags.measure);
    set('volumeUnit', flags.volumeUnit);
  } else if (kind === 'cohorts') {
    set('from', flags.from);
  } else {
    set('unit', flags.unit);
    set('model', flags.model);
    if (flags.horizon !== undefined) raw.horizonMonths = number(flags.horizon);
    if (flags.discountRate !== undefined) raw.discountRate = number(flags.discountRate);
    if (flags.margin !== undefined) raw.margin = number(flags.margin);
    if (flags.holdoutDays !== undefined) raw.holdoutDays = number(flags.holdoutDays);
  }
  if (flags.unit !== undefined && (kind === 'abc' || kind === 'groups' || kind === 'cohorts')) {
    // The issue's synopsis lists --unit for every kind; ABC and cohorts have no durations, so it changes nothing.
    if (!['day', 'week'].includes(flags.unit)) {
      throw new AppError('validation_failed', 'Invalid option --unit: must be day or week', { option: '--unit' });
    }
    process.stderr.write(`Note: --unit does not change analyze ${kind} (no durations); ignored.\n`);
    flags = { ...flags, unit: undefined };
  }
  const accepted = new Set(Object.keys(raw));
  const given: [keyof AnalyzeFlags, string][] = [
    ['unit', '--unit'],
    ['from', '--from'],
    ['to', '--to'],
    ['measure', '--measure'],
    ['volumeUnit', '--volume-unit'],
    ['thresholds', '--thresholds'],
    ['windowDays', '--window-days'],
    ['model', '--model'],
    ['horizon', '--horizon'],
    ['discountRate', '--discount-rate'],
    ['margin', '--margin'],
    ['holdoutDays', '--holdout-days'],
  ];
  const parameterOfFlag: Partial<Record<keyof AnalyzeFlags, string>> = {
    horizon: 'horizonMonths',
    measure: kind === 'churn' ? 'volumeMeasure' : 'measure',
  };
  for (const [flag, name] of given) {
    if (flags[flag] !== undefined && !accepted.has(parameterOfFlag[flag] ?? flag)) {
      throw new AppError('validation_failed', `Option ${name} does not apply to analyze ${kind}.`, { option: name });
    }
  }
  if (flags.compare === false && kind !== 'abc' && kind !== 'groups') {
    throw new AppError('validation_failed', `Option --no-compare does not apply to analyze ${kind}.`, {
      option: '--no-compare',
    });
  }
  if (flags.asOf !== undefined) {
    const asOf = isoDateSchema.safeParse(flags.asOf);
    if (!asOf.success) throw issueMessage(asOf.error, () => '--as-of');
  }
  const parsed = runRequestSchema.safeParse({ kind, ...(flags.asOf ? { asOf: flags.asOf } : {}), parameters: raw });
  if (!parsed.success) {
    throw issueMessage(parsed.error, (path) => {
      const key = String(path[0] === 'parameters' ? (path[1] ?? '') : (path[0] ?? ''));
      return key === 'asOf' ? '--as-of' : (flagOfParameter[key] ?? `--${key}`);
    });
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------------------------
// CSV files

type Row = Record<string, string>;

/** Reads a CSV with a header into records keyed by lower-cased column name. */
async function* readCsv(path: string): AsyncGenerator<{ line: number; row: Row }> {
  if (!existsSync(path)) throw new AppError('not_found', `File ${path} does not exist.`);
  // Loaded on use, so the rest of the CLI starts even where csv-parse is missing.
  const { parse } = await import('csv-parse');
  const parser = createReadStream(path).pipe(
    parse({
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }),
  );
  try {
    for await (const record of parser as AsyncIterable<{ record: Row; info: { lines: number } }>) {
      yield { line: record.info.lines, row: record.record };
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('validation_failed', `${path} is not a readable CSV file: ${(error as Error).message}`);
  }
}

/** The first of the accepted column names present in the header. */
function pickColumn(
  header: readonly string[],
  names: readonly string[],
  label: string,
  path: string,
  required = true,
): string | null {
  for (const name of names) if (header.includes(name)) return name;
  if (!required) return null;
  throw new AppError('validation_failed', `${path} has no ${label} column (expected one of: ${names.join(', ')}).`);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;
const COMPACT_DATE = /^\d{8}$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Reads customer_id, occurred_at, amount (aliases: id/customer; date; value/revenue/dollar_value). */
export async function readTransactionsFile(path: string): Promise<TransactionInput[]> {
  const rows: TransactionInput[] = [];
  let columns: { id: string; at: string; amount: string } | null = null;
  for await (const { line, row } of readCsv(path)) {
    if (!columns) {
      const header = Object.keys(row);
      columns = {
        id: pickColumn(header, ['customer_id', 'customer', 'customerid', 'id'], 'customer_id', path) ?? '',
        at: pickColumn(header, ['occurred_at', 'date', 'invoicedate', 'order_date'], 'occurred_at', path) ?? '',
        amount: pickColumn(header, ['amount', 'value', 'revenue', 'dollar_value'], 'amount', path) ?? '',
      };
    }
    const customerId = (row[columns.id] ?? '').replace(/\.0$/, '');
    let occurredAt = row[columns.at] ?? '';
    const amount = row[columns.amount] ?? '';
    if (customerId === '' || customerId.length > 64) {
      throw new AppError('validation_failed', `${path} line ${line}: customer_id must be 1 to 64 characters.`, {
        line,
      });
    }
    if (COMPACT_DATE.test(occurredAt))
      occurredAt = `${occurredAt.slice(0, 4)}-${occurredAt.slice(4, 6)}-${occurredAt.slice(6, 8)}`;
    if (!DATE_TIME.test(occurredAt) || Number.isNaN(Date.parse(occurredAt.slice(0, 10)))) {
      throw new AppError(
        'validation_failed',
        `${path} line ${line}: occurred_at "${occurredAt}" is not a date (YYYY-MM-DD[ HH:MM[:SS]]).`,
        { line },
      );
    }
    if (!DECIMAL.test(amount) || Math.abs(Number(amount)) >= 1e16) {
      throw new AppError('validation_failed', `${path} line ${line}: amount "${amount}" is not a number.`, { line });
    }
    rows.push({ customerId, occurredAt, amount });
  }
  if (rows.length === 0) throw new AppError('validation_failed', `${path} has no transactions.`);
  return rows;
}

/** Reads customer_id, frequency, recency, T[, monetary_value] (aliases: id; x; t_x; zbar/monetary). */
export async function readSummaryFile(path: string): Promise<{
  ids: string[];
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetaryValue: Float64Array | undefined;
}> {
  const ids: string[] = [];
  const f: number[] = [];
  const r: number[] = [];
  const t: number[] = [];
  const m: number[] = [];
  let columns: { id: string; f: string; r: string; t: string; m: string | null } | null = null;
  for await (const { line, row } of readCsv(path)) {
    if (!columns) {
      const header = Object.keys(row);
      columns = {
        id: pickColumn(header, ['customer_id', 'id', 'customer'], 'customer_id', path) ?? '',
        f: pickColumn(header, ['frequency', 'x'], 'frequency', path) ?? '',
        r: pickColumn(header, ['recency', 't_x'], 'recency', path) ?? '',
        t: pickColumn(header, ['t'], 'T', path) ?? '',
        m: pickColumn(header, ['monetary_value', 'monetary', 'zbar', 'm'], 'monetary_value', path, false),
      };
    }
    const values = [row[columns.f], row[columns.r], row[columns.t], columns.m ? row[columns.m] : '0'].map((text) =>
      number(text ?? ''),
    );
    const [frequency = NaN, recency = NaN, T = NaN, monetary = NaN] = values;
    if (!(Number.isInteger(frequency) && frequency >= 0) || !(recency >= 0) || !(T >= recency) || !(monetary >= 0)) {
      throw new AppError(
        'validation_failed',
        `${path} line ${line}: need frequency (whole number ≥ 0), 0 ≤ recency ≤ T${columns.m ? ' and monetary_value ≥ 0' : ''}.`,
        { line },
      );
    }
    ids.push(row[columns.id] ?? '');
    f.push(frequency);
    r.push(recency);
    t.push(T);
    m.push(monetary);
  }
  if (ids.length === 0) throw new AppError('validation_failed', `${path} has no customers.`);
  return {
    ids,
    frequency: Float64Array.from(f),
    recency: Float64Array.from(r),
    T: Float64Array.from(t),
    monetaryValue: columns?.m ? Float64Array.from(m) : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Output

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const num = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '' : value.toLocaleString('en', { maximumFractionDigits: digits });

/** Model parameters in the usual order (stored jsonb sorts keys by length). */
const parameterOrder = ['r', 'alpha', 'a', 'b', 's', 'beta', 'p', 'q', 'v'];
const paramsText = (params: Record<string, number>): string =>
  Object.entries(params)
    .sort(([x], [y]) => parameterOrder.indexOf(x) - parameterOrder.indexOf(y))
    .map(([k, v]) => `${k}=${v.toPrecision(5)}`)
    .join(', ');

function describeRun(run: AnalysisRun): string {
  const head = `${run.kind} run #${run.id} as of ${run.asOf}: ${run.customerCount.toLocaleString('en')} ${run.kind === 'groups' ? 'groups' : 'customers'} in ${((run.durationMs ?? 0) / 1000).toFixed(1)} s`;
  const lines = [head];
  const results = run.results;
  if (run.kind === 'abc' || run.kind === 'groups') {
    const r = results as unknown as AbcResults;
    lines.push(
      `Period ${r.period.from} to ${r.period.to}, by ${r.measure}${r.volumeUnit ? ` (${r.volumeUnit})` : ''}; total ${num(r.total)}`,
    );
    lines.push(
      formatTable(
        ['class', 'customers', 'share of customers', 'value', 'share of value'],
        r.classes.map((c) => [c.class, c.customers, pct(c.customerShare), num(c.value), pct(c.valueShare)]),
      ),
    );
    lines.push(
      `Top 20% of customers: ${pct(r.concentration.top20Share)} of value; Gini ${r.concentration.gini.toFixed(3)}`,
    );
  } else if (run.kind === 'rfm') {
    const r = results as unknown as RfmResults;
    lines.push(
      `Frequency 0: ${pct(r.summary.frequencyZeroShare)}; mean frequency ${r.summary.meanFrequency.toFixed(3)}, recency ${r.summary.meanRecency.toFixed(1)}, T ${r.summary.meanT.toFixed(1)} (${r.unit}s)`,
    );
    lines.push(
      formatTable(
        ['segment', 'customers', 'share', 'value'],
        r.segments.map((s) => [s.segment, s.customers, pct(s.share), num(s.totalValue)]),
      ),
    );
  } else if (run.kind === 'churn') {
    const r = results as unknown as ChurnResults;
    lines.push(
      formatTable(
        ['class', 'customers', 'share', 'value'],
        r.classes.map((c) => [c.class, c.customers, pct(c.share), num(c.totalValue)]),
      ),
    );
  } else if (run.kind === 'cohorts') {
    const r = results as unknown as CohortResults;
    lines.push(
      formatTable(
        [
          'cohort',
          'size',
          ...Array.from({ length: Math.min(13, r.cohorts[0]?.retention.length ?? 0) }, (_, k) => `m${k}`),
        ],
        r.cohorts.map((c) => [c.cohort, c.size, ...c.retention.slice(0, 13).map((v) => (v === null ? '' : pct(v)))]),
      ),
    );
  } else if (run.kind === 'clv') {
    const r = results as unknown as ClvResults;
    lines.push(
      `${r.purchaseModel.model}: ${paramsText(r.purchaseModel.params)}; LL ${r.purchaseModel.logLikelihood.toFixed(4)}`,
    );
    if (r.spendModel) {
      lines.push(
        `gamma-gamma: ${paramsText(r.spendModel.params)}; LL ${r.spendModel.logLikelihood.toFixed(4)}${
          r.spendSource === 'gamma-gamma' ? '' : ' (not used: see the warnings)'
        }`,
      );
    }
    lines.push(
      `Total CLV ${num(r.totals.clv)}; revenue at risk ${num(r.totals.revenueAtRisk)}; mean P(alive) ${r.totals.meanPAlive.toFixed(3)}`,
    );
  }
  const warnings = (results.warnings as string[] | undefined) ?? [];
  for (const warning of warnings) lines.push(`Warning: ${warning}`);
  return lines.join('\n');
}

function customerTable(kind: AnalysisKind, customers: readonly CustomerResult[]): string {
  const columns: Record<AnalysisKind, [string, (c: CustomerResult) => unknown][]> = {
    abc: [
      ['rank', (c) => c.rank],
      ['value', (c) => num(c.value)],
      ['share', (c) => (c.share === null ? '' : pct(c.share))],
      ['class', (c) => c.abcClass],
      ['previous', (c) => c.previousClass],
    ],
    groups: [
      ['rank', (c) => c.rank],
      ['value', (c) => num(c.value)],
      ['class', (c) => c.abcClass],
      ['previous', (c) => c.previousClass],
    ],
    rfm: [
      ['F', (c) => c.frequency],
      ['since last', (c) => num(c.sinceLast)],
      ['total', (c) => num(c.totalValue)],
      ['RFM', (c) => `${c.rScore}${c.fScore}${c.mScore}`],
      ['segment', (c) => c.rfmSegment],
    ],
    churn: [
      ['since last', (c) => num(c.sinceLast, 0)],
      ['class', (c) => c.churnClass],
      ['reason', (c) => c.churnReason],
    ],
    cohorts: [['cohort', (c) => c.cohort]],
    clv: [
      ['P(alive)', (c) => num(c.pAlive, 3)],
      ['E[purchases]', (c) => num(c.expectedPurchases, 3)],
      ['spend', (c) => num(c.expectedSpend)],
      ['CLV', (c) => num(c.clv)],
      ['at risk', (c) => num(c.revenueAtRisk)],
    ],
  };
  const spec = columns[kind];
  return formatTable(
    ['customer', ...spec.map(([name]) => name)],
    customers.map((c) => [c.accountCode, ...spec.map(([, get]) => get(c))]),
  );
}

const topSort: Record<AnalysisKind, { sort: CustomerSort; order: 'asc' | 'desc' }> = {
  abc: { sort: 'rank', order: 'asc' },
  groups: { sort: 'rank', order: 'asc' },
  rfm: { sort: 'total_value', order: 'desc' },
  churn: { sort: 'since_last', order: 'desc' },
  cohorts: { sort: 'code', order: 'asc' },
  clv: { sort: 'clv', order: 'desc' },
};

async function runWithProgress(
  service: AnalyticsService,
  request: RunRequest,
  options: GlobalOptions,
): Promise<AnalysisRun> {
  const progress = createProgress(options);
  try {
    return await service.run(request, { onProgress: (done, total, stage) => progress.update(done, total, stage) });
  } finally {
    progress.stop();
  }
}

const withCustomerId = (customers: readonly CustomerResult[]) =>
  customers.map((c) => ({ customerId: c.accountCode, ...c }));

/** File mode with transactions: an in-memory PGlite with the same migrations and SQL as the database mode. */
async function analyzeTransactionsFile(kind: AnalysisKind, flags: AnalyzeFlags, options: GlobalOptions): Promise<void> {
  const request = parametersFromFlags(kind, flags);
  const rows = await readTransactionsFile(flags.transactions ?? '');
  const database = await openMemoryPglite();
  try {
    await migrate(database);
    // The same business time zone as the database mode (RAPPORT_TIME_ZONE) unless --time-zone names one.
    const timeZone = request.parameters.timeZone ?? loadConfig({ dataDir: options.dataDir }).timeZone;
    const service = createAnalyticsService({ database, clock: systemClock, timeZone });
    const loaded = await service.loadTransactions(rows);
    // Default as-of in file mode: the day of the file's last transaction.
    const asOf = request.asOf ?? loaded.lastDay;
    const run = await runWithProgress(service, { ...request, asOf } as RunRequest, options);
    const customers = await service.allRunCustomers(run.id);
    const output = {
      kind: run.kind,
      asOf: run.asOf,
      parameters: run.parameters,
      results: run.results,
      customers: withCustomerId(customers),
    };
    const top = topCount(flags, 20);
    printResult(options, output, () => {
      const ordered = [...customers].sort(orderFor(kind));
      return `${describeRun(run).replace(/ run #\d+/, ` (${flags.transactions})`)}\n\n${customerTable(kind, ordered.slice(0, top))}${
        customers.length > top ? `\n… ${customers.length - top} more (--top N or --json for all)` : ''
      }`;
    });
  } finally {
    await database.close();
  }
}

function orderFor(kind: AnalysisKind): (x: CustomerResult, y: CustomerResult) => number {
  const { sort, order } = topSort[kind];
  const key = (c: CustomerResult): number | string =>
    sort === 'rank'
      ? (c.rank ?? Infinity)
      : sort === 'total_value'
        ? (c.totalValue ?? 0)
        : sort === 'since_last'
          ? (c.sinceLast ?? 0)
          : sort === 'clv'
            ? (c.clv ?? -Infinity)
            : c.accountCode;
  return (x, y) => {
    const a = key(x);
    const b = key(y);
    const cmp = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
    return order === 'asc' ? cmp : -cmp;
  };
}

const topSchema = z.coerce.number().int().min(0).max(100_000);
function topCount(flags: AnalyzeFlags, fallback: number): number {
  if (flags.top === undefined) return fallback;
  const parsed = topSchema.safeParse(flags.top);
  if (!parsed.success)
    throw new AppError('validation_failed', 'Invalid option --top: must be a whole number from 0 to 100000', {
      option: '--top',
    });
  return parsed.data;
}

const fileModelSchema = z.enum(['bgnbd', 'pareto-nbd', 'gamma-gamma']);

async function analyzeSummaryFile(flags: AnalyzeFlags, options: GlobalOptions): Promise<void> {
  const model = fileModelSchema.safeParse(flags.model ?? 'bgnbd');
  if (!model.success)
    throw new AppError('validation_failed', 'Invalid option --model: must be bgnbd, pareto-nbd or gamma-gamma', {
      option: '--model',
    });
  const summary = await readSummaryFile(flags.summary ?? '');
  if (model.data === 'gamma-gamma' && !summary.monetaryValue) {
    throw new AppError('validation_failed', `${flags.summary} has no monetary_value column, which gamma-gamma needs.`);
  }
  let fitted: ReturnType<typeof fitFromSummary>;
  try {
    fitted = fitFromSummary(model.data, summary);
  } catch (error) {
    throw new AppError('validation_failed', `The ${model.data} model could not be fitted: ${(error as Error).message}`);
  }
  for (const warning of fitted.warnings) process.stderr.write(`Warning: ${warning}\n`);
  printResult(options, fitted.fit, (fit) =>
    [
      `${fit.model} on ${fit.n.toLocaleString('en')} customers (${flags.summary})`,
      formatTable(
        ['parameter', 'estimate', 'standard error'],
        Object.entries(fit.params).map(([name, value]) => [
          name,
          value.toPrecision(6),
          fit.standardErrors[name]?.toPrecision(4) ?? 'n/a',
        ]),
      ),
      `log-likelihood ${fit.logLikelihood.toFixed(4)}`,
    ].join('\n'),
  );
}

export function registerAnalyticsCommands(program: Command, withAnalytics: WithService<AnalyticsService>): void {
  program
    .command('analyze')
    .description('Analyse customers (ABC, groups, RFM, churn, cohorts, CLV) on the database, or on a CSV file')
    .addArgument(new Argument('<kind>', 'analysis').choices(analysisKindSchema.options))
    .option('--as-of <date>', 'last day observed, YYYY-MM-DD (default: today; file mode: the last transaction day)')
    .option('--time-zone <tz>', 'time zone of calendar days (default: RAPPORT_TIME_ZONE, else Asia/Hong_Kong)')
    .option('--unit <unit>', 'time unit of recency and T: day or week (rfm, clv)')
    .option('--from <date>', 'abc/groups: first day of the period; cohorts: first cohort month YYYY-MM')
    .option('--to <date>', 'abc/groups: last day of the period (default: the as-of date)')
    .option('--measure <measure>', 'abc/groups: revenue, margin or volume; churn: revenue or volume')
    .option('--volume-unit <unit>', 'only quantities in this unit (TEU, kg, vehicles, baskets)')
    .option('--thresholds <a,b>', 'abc/groups: cumulative shares closing classes A and B (default 0.8,0.95)')
    .option('--no-compare', 'abc/groups: no comparison with the previous period')
    .option('--window-days <n>', 'churn: window of the volume comparison (default 90)')
    .option('--model <model>', 'clv: bgnbd or pareto-nbd; with --summary also gamma-gamma')
    .option('--horizon <months>', 'clv: horizon in months (default 12)')
    .option('--discount-rate <rate>', 'clv: discount rate per month (default 0.01)')
    .option('--margin <share>', 'clv: share of revenue kept, 0–1 (default 1)')
    .option('--holdout-days <n>', 'clv: holdout of the calibration check (0 = none)')
    .option('--summary <file>', 'clv file mode: CSV with customer_id, frequency, recency, T[, monetary_value]')
    .option('--transactions <file>', 'file mode: CSV with customer_id, occurred_at, amount')
    .option('--top <n>', 'customers shown (default 20)')
    .action(
      action(async (kindText: string, flags: AnalyzeFlags, command: Command) => {
        const options = globalOptions(command);
        const kind = analysisKindSchema.parse(kindText);
        if (flags.timeZone !== undefined && !timeZoneSchema.safeParse(flags.timeZone).success) {
          throw new AppError(
            'validation_failed',
            'Invalid option --time-zone: must be an IANA time zone such as Asia/Hong_Kong',
            { option: '--time-zone' },
          );
        }
        if (flags.summary !== undefined && flags.transactions !== undefined) {
          throw new AppError('validation_failed', 'Give either --summary or --transactions, not both.');
        }
        if (flags.summary !== undefined) {
          if (kind !== 'clv')
            throw new AppError('validation_failed', `Option --summary applies to analyze clv only.`, {
              option: '--summary',
            });
          await analyzeSummaryFile(flags, options);
          return;
        }
        if (flags.transactions !== undefined) {
          await analyzeTransactionsFile(kind, flags, options);
          return;
        }
        const request = parametersFromFlags(kind, flags);
        const top = topCount(flags, 10);
        const output = await withAnalytics(options, async (service) => {
          const run = await runWithProgress(service, request, options);
          const page =
            top > 0
              ? await service.listRunCustomers(run.id, { ...topSort[kind], limit: Math.min(top, 1000) })
              : { items: [] };
          return { run, customers: page.items };
        });
        printResult(options, output, (value) =>
          [describeRun(value.run), value.customers.length > 0 ? `\n${customerTable(kind, value.customers)}` : '']
            .join('\n')
            .trimEnd(),
        );
      }),
    );
}
