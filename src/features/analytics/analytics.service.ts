import { performance } from 'node:perf_hooks';
import type { Database } from '../../db/connect.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/page.js';
import { accountScopeWhere, actorScope, type Actor } from '../auth/index.js';
import { classifyAbc, classTotals, gini, moversMatrix, paretoCurve, topShare } from './abc.rules.js';
import { DEFAULT_TIME_ZONE } from './analytics.schema.js';
import type {
  AbcClass,
  AbcParameters,
  AbcResults,
  AccountAnalytics,
  AnalysisKind,
  AnalysisRun,
  AnalysisRunSummary,
  ChurnParameters,
  ChurnResults,
  ClvParameters,
  ClvResults,
  CohortParameters,
  CohortResults,
  CustomerListQuery,
  CustomerResult,
  RfmParameters,
  RfmResults,
  RunListQuery,
  RunRequest,
  TransactionInput,
} from './analytics.schema.js';
import {
  abcDataChecks,
  abcValues,
  accountExists,
  allCustomerResults,
  cohortCells,
  completeRun,
  customerCohorts,
  customerSummary,
  failRun,
  findRun,
  groupRootOf,
  groupValues,
  insertCustomerResults,
  insertRun,
  latestResultsForAccount,
  latestRunId,
  listCustomerResults,
  listRuns,
  loadTransactions,
  transactionSpan,
  type CustomerResultRecord,
  type SummaryColumns,
} from './analytics.repository.js';
import { classifyChurn, DEFAULT_CHURN_RULES, medianGapDays, SEVERITY, type ChurnContext } from './churn.rules.js';
import {
  calibrationPoints,
  clvWarnings,
  fitPurchaseModel,
  fitSpendModel,
  fitSummaryOf,
  probabilityAlive,
  scoreClv,
  type PurchaseFit,
  type SpendFit,
} from './clv.rules.js';
import { buildCohortMatrix, type CohortMatrix } from './cohort.rules.js';
import { addDays, addMonths, addMonthsToMonth, daysBetween, lastDayOfMonth, monthOf, today } from './period.rules.js';
import { DEFAULT_RFM_SEGMENT_MAP, rfmGrid, scoreRfm, segmentTotals, summaryStats } from './rfm.rules.js';

/**
 * Use cases of the analytics engine: run an analysis (SQL aggregation → pure rules/models → per-customer results
 * bulk-written with COPY → the run stored with its parameters and aggregate results), and read runs back.
 */
export interface RunProgress {
  onProgress?: (done: number, total: number, stage: string) => void;
}

export interface AnalyticsService {
  /** Runs one analysis on the database and stores it; returns the completed run. */
  run(request: RunRequest, options?: RunProgress): Promise<AnalysisRun>;
  /**
   * Runs and their per-customer results span every customer: with an actor (API), they need analytics read on
   * all records; a role with a narrower scope sees analytics on its accounts' pages only (accountAnalytics).
   */
  listRuns(query: RunListQuery, actor?: Actor): Promise<Page<AnalysisRunSummary>>;
  getRun(id: number, actor?: Actor): Promise<AnalysisRun>;
  latest(kind: AnalysisKind, actor?: Actor): Promise<AnalysisRun>;
  listRunCustomers(id: number, query: CustomerListQuery, actor?: Actor): Promise<Page<CustomerResult>>;
  /** Every per-customer result of a run (file mode). */
  allRunCustomers(id: number): Promise<CustomerResult[]>;
  /** One customer's latest figures of every kind (customer 360); an account outside the actor's scope does not exist. */
  accountAnalytics(accountId: number, actor?: Actor): Promise<AccountAnalytics>;
  /** File mode: load customers and transactions (into an in-memory database). */
  loadTransactions(
    rows: readonly TransactionInput[],
    timeZone?: string,
  ): Promise<{ customers: number; transactions: number; lastDay: string | null }>;
}

export interface AnalyticsDeps {
  database: Database;
  clock: Clock;
  /** The business time zone (RAPPORT_TIME_ZONE): a run's calendar days and months unless its parameters name one. */
  timeZone?: string;
}

/** A run request whose parameters carry the time zone it is computed in (its own, or the business one). */
type WithZone<P> = P & { timeZone: string };
type ZonedRequest = RunRequest extends infer R
  ? R extends { parameters: infer P }
    ? Omit<R, 'parameters'> & { parameters: WithZone<P> }
    : never
  : never;

interface Computed {
  results: unknown;
  records: CustomerResultRecord[];
  parameters: Record<string, unknown>;
}

const round = (value: number, digits = 6): number => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
const finiteOrNull = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

/** Results over every customer need analytics read on all records (not only one's own or the team's). */
function requireWholeScope(actor: Actor | undefined): void {
  if (!actor) return;
  const scope = actorScope(actor, 'analytics', 'read');
  if (scope !== 'all') {
    throw new AppError(
      'forbidden',
      `Your role (${actor.role}) sees analytics of its ${scope === 'team' ? "team's" : 'own'} accounts only, on each account's page.`,
    );
  }
}

export function createAnalyticsService({
  database,
  clock,
  timeZone = DEFAULT_TIME_ZONE,
}: AnalyticsDeps): AnalyticsService {
  const db = database.db;

  async function getRun(id: number): Promise<AnalysisRun> {
    const run = await findRun(db, id);
    if (!run) throw new AppError('not_found', `Analysis run ${id} does not exist.`);
    return run;
  }

  // ---- ABC and customer groups -------------------------------------------------------------------------------
  async function computeAbc(
    kind: 'abc' | 'groups',
    asOf: string,
    p: WithZone<AbcParameters>,
    progress: RunProgress,
  ): Promise<Computed> {
    const to = p.to ?? asOf;
    const from = p.from ?? addDays(addMonths(to, -12), 1);
    if (from > to)
      throw new AppError('validation_failed', 'The period starts after it ends: from must not be after to.', {
        parameter: 'from',
      });
    const length = daysBetween(from, to) + 1;
    const previousFrom = p.compare ? addDays(from, -length) : null;
    const query = { from, to, previousFrom, timeZone: p.timeZone, measure: p.measure, volumeUnit: p.volumeUnit };
    progress.onProgress?.(0, 1, kind === 'groups' ? 'Rolling up customer groups' : 'Summing values per customer');
    const [rows, checks] = await Promise.all([
      kind === 'groups' ? groupValues(db, query) : abcValues(db, query),
      abcDataChecks(db, query),
    ]);
    const current = classifyAbc(
      rows.filter((row) => row.value !== null).map((row) => ({ id: row.id, value: row.value ?? 0 })),
      p.thresholds,
    );
    const previous = previousFrom
      ? classifyAbc(
          rows.filter((row) => row.previous !== null).map((row) => ({ id: row.id, value: row.previous ?? 0 })),
          p.thresholds,
        )
      : [];
    const previousClass = new Map<number, AbcClass>(previous.map((row) => [row.id, row.class]));
    const currentClass = new Map<number, AbcClass>(current.map((row) => [row.id, row.class]));
    const byId = new Map(rows.map((row) => [row.id, row]));
    const warnings: string[] = [];
    if (checks.transactions === 0) warnings.push(`No transactions between ${from} and ${to}.`);
    if (p.measure === 'margin' && checks.missingCost > 0) {
      warnings.push(
        `${checks.missingCost.toLocaleString('en')} of ${checks.transactions.toLocaleString('en')} transactions in the period have no cost; they are left out of the margin.`,
      );
    }
    if (p.measure === 'volume' && !p.volumeUnit && checks.units.length > 1) {
      warnings.push(
        `Quantities in different units (${checks.units.join(', ')}) are added together; choose one unit with volumeUnit.`,
      );
    }
    if (current.some((row) => row.value < 0))
      warnings.push('Some customers have a negative value; they are class C and left out of the total.');
    const values = current.map((row) => row.value);
    const results: AbcResults = {
      measure: p.measure,
      volumeUnit: p.volumeUnit ?? null,
      period: { from, to },
      previousPeriod: previousFrom ? { from: previousFrom, to: addDays(from, -1) } : null,
      thresholds: { a: p.thresholds.a, b: p.thresholds.b },
      customers: current.length,
      total: values.reduce((sum, v) => sum + Math.max(v, 0), 0),
      classes: classTotals(current),
      concentration: { top20Share: topShare(values, 0.2), gini: gini(values) },
      curve: paretoCurve(current).map((point) => ({
        customerShare: round(point.customerShare),
        valueShare: round(point.valueShare),
      })),
      movers: previousFrom ? moversMatrix(currentClass, previousClass) : [],
      groups: kind === 'groups' ? rows.filter((row) => row.memberCount > 1).length : null,
      warnings,
    };
    const records: CustomerResultRecord[] = current.map((row) => {
      const source = byId.get(row.id);
      return {
        accountId: row.id,
        value: row.value,
        rank: row.rank,
        share: row.share,
        cumulativeShare: row.cumulativeShare,
        abcClass: row.class,
        previousClass: previousClass.get(row.id) ?? null,
        details:
          kind === 'groups'
            ? {
                memberCount: source?.memberCount ?? 1,
                previousValue: source?.previous ?? null,
                members: source?.members ?? null,
              }
            : { previousValue: source?.previous ?? null },
      };
    });
    return { results, records, parameters: { ...p, from, to, previousFrom } };
  }

  // ---- RFM ----------------------------------------------------------------------------------------------------
  async function computeRfm(asOf: string, p: WithZone<RfmParameters>, progress: RunProgress): Promise<Computed> {
    progress.onProgress?.(0, 1, 'Summarising customers (frequency, recency, T, monetary value)');
    const summary = await customerSummary(db, { asOf, timeZone: p.timeZone, unit: p.unit });
    const map = p.segmentMap ?? DEFAULT_RFM_SEGMENT_MAP;
    const sinceLast = sinceLastOf(summary);
    const input = { sinceLast, frequency: summary.frequency, totalValue: summary.totalValue };
    const scores = scoreRfm(input, map);
    const n = summary.accountIds.length;
    const results: RfmResults = {
      unit: p.unit,
      customers: n,
      summary: summaryStats(summary),
      segments: segmentTotals(input, scores, map),
      grid: rfmGrid(input, scores),
      segmentMap: [...map],
      warnings: n === 0 ? [`No customers bought anything up to ${asOf}.`] : [],
    };
    const records: CustomerResultRecord[] = new Array<CustomerResultRecord>(n);
    for (let i = 0; i < n; i++) {
      records[i] = {
        accountId: summary.accountIds[i] ?? 0,
        frequency: summary.frequency[i] ?? 0,
        recency: summary.recency[i] ?? 0,
        T: summary.T[i] ?? 0,
        monetaryValue: summary.monetaryValue[i] ?? 0,
        totalValue: summary.totalValue[i] ?? 0,
        sinceLast: sinceLast[i] ?? 0,
        rScore: scores.r[i] ?? null,
        fScore: scores.f[i] ?? null,
        mScore: scores.m[i] ?? null,
        rfmSegment: scores.segment[i] ?? null,
      };
    }
    return { results, records, parameters: { ...p, segmentMap: [...map] } };
  }

  // ---- Churn --------------------------------------------------------------------------------------------------
  async function computeChurn(asOf: string, p: WithZone<ChurnParameters>, progress: RunProgress): Promise<Computed> {
    progress.onProgress?.(0, 1, 'Summarising customers and their recent volume');
    const rules = p.rules ?? [...DEFAULT_CHURN_RULES];
    const summary = await customerSummary(db, {
      asOf,
      timeZone: p.timeZone,
      unit: 'day',
      window: { days: p.windowDays, measure: p.volumeMeasure, volumeUnit: p.volumeUnit },
    });
    const n = summary.accountIds.length;
    const facts = Array.from({ length: n }, (_, i) => ({
      frequency: summary.frequency[i] ?? 0,
      recencyDays: summary.recencyDays[i] ?? 0,
    }));
    const median = medianGapDays(facts);
    const warnings: string[] = [];
    let pAlive: Float64Array | null = null;
    let pAliveModel: string | null = null;
    if (rules.some((rule) => rule.rule === 'p_alive_below') && n > 0) {
      progress.onProgress?.(0, 1, 'Fitting BG/NBD for P(alive)');
      const weeks = {
        frequency: summary.frequency,
        recency: scale(summary.recencyDays, 1 / 7),
        T: scale(summary.tDays, 1 / 7),
      };
      try {
        const purchase = fitPurchaseModel('bgnbd', weeks);
        pAlive = new Float64Array(n);
        for (let i = 0; i < n; i++)
          pAlive[i] = probabilityAlive(purchase, weeks.frequency[i] ?? 0, weeks.recency[i] ?? 0, weeks.T[i] ?? 0);
        pAliveModel = 'bgnbd';
        warnings.push(...clvWarnings(purchase, pAlive, null));
      } catch (error) {
        warnings.push(`P(alive) could not be estimated (${(error as Error).message}); the P(alive) rule was skipped.`);
      }
    }
    const context: ChurnContext = {
      oneTimeGapDays: median ?? p.fallbackGapDays,
      gapIsFallback: median === null,
      windowDays: p.windowDays,
      volumeLabel: p.volumeMeasure === 'revenue' ? 'Revenue' : `Volume${p.volumeUnit ? ` (${p.volumeUnit})` : ''}`,
    };
    if (median === null && n > 0)
      warnings.push(
        `No customer has bought on two different days; one-time buyers are judged against ${p.fallbackGapDays} days.`,
      );
    const perUnit = p.unit === 'week' ? 7 : 1;
    const classCounts = { active: 0, declining: 0, at_risk: 0, lost: 0 };
    const classValue = { active: 0, declining: 0, at_risk: 0, lost: 0 };
    const reasonCounts = new Map<string, { class: keyof typeof classCounts; rule: string; customers: number }>();
    const records: CustomerResultRecord[] = new Array<CustomerResultRecord>(n);
    for (let i = 0; i < n; i++) {
      const daysSinceLast = (summary.tDays[i] ?? 0) - (summary.recencyDays[i] ?? 0);
      const verdict = classifyChurn(
        {
          daysSinceLast,
          frequency: summary.frequency[i] ?? 0,
          recencyDays: summary.recencyDays[i] ?? 0,
          current: summary.current[i] ?? 0,
          prior: summary.prior[i] ?? 0,
          pAlive: pAlive ? (pAlive[i] ?? null) : null,
        },
        rules,
        context,
      );
      classCounts[verdict.class] += 1;
      classValue[verdict.class] += summary.totalValue[i] ?? 0;
      const key = `${verdict.class}:${verdict.rule}`;
      const entry = reasonCounts.get(key) ?? { class: verdict.class, rule: verdict.rule, customers: 0 };
      entry.customers += 1;
      reasonCounts.set(key, entry);
      const frequency = summary.frequency[i] ?? 0;
      records[i] = {
        accountId: summary.accountIds[i] ?? 0,
        frequency,
        recency: (summary.recencyDays[i] ?? 0) / perUnit,
        T: (summary.tDays[i] ?? 0) / perUnit,
        totalValue: summary.totalValue[i] ?? 0,
        sinceLast: daysSinceLast / perUnit,
        pAlive: pAlive ? finiteOrNull(pAlive[i]) : null,
        churnClass: verdict.class,
        churnReason: verdict.reason,
        details: {
          rule: verdict.rule,
          ruleIndex: verdict.ruleIndex,
          daysSinceLast,
          usualGapDays: round(frequency > 0 ? (summary.recencyDays[i] ?? 0) / frequency : context.oneTimeGapDays, 3),
          current: summary.current[i] ?? 0,
          prior: summary.prior[i] ?? 0,
        },
      };
    }
    const results: ChurnResults = {
      customers: n,
      classes: (['active', 'declining', 'at_risk', 'lost'] as const).map((cls) => ({
        class: cls,
        customers: classCounts[cls],
        share: n > 0 ? classCounts[cls] / n : 0,
        totalValue: classValue[cls],
      })),
      rules,
      reasons: [...reasonCounts.values()].sort(
        (x, y) => SEVERITY[y.class] - SEVERITY[x.class] || y.customers - x.customers,
      ),
      medianGapDays: median === null ? null : round(median, 3),
      pAliveModel,
      warnings,
    };
    return { results, records, parameters: { ...p, rules } };
  }

  // ---- Cohorts ------------------------------------------------------------------------------------------------
  async function computeCohorts(asOf: string, p: WithZone<CohortParameters>, progress: RunProgress): Promise<Computed> {
    const toMonth = monthOf(asOf);
    const fromMonth = p.from ?? addMonthsToMonth(toMonth, -23);
    if (fromMonth > toMonth) {
      throw new AppError(
        'validation_failed',
        `The first cohort month ${fromMonth} is after the as-of month ${toMonth}.`,
        { parameter: 'from' },
      );
    }
    progress.onProgress?.(0, 1, 'Building the cohort matrix');
    const options = { asOf, timeZone: p.timeZone, fromMonth };
    const [cells, customers] = await Promise.all([cohortCells(db, options), customerCohorts(db, options)]);
    const matrix: CohortMatrix = buildCohortMatrix(cells, fromMonth, toMonth);
    const results: CohortResults = {
      from: fromMonth,
      to: toMonth,
      partialLastMonth: asOf !== lastDayOfMonth(toMonth),
      customers: customers.length,
      cohorts: matrix.cohorts,
      averageRetention: matrix.averageRetention,
      warnings: customers.length === 0 ? [`No customer made a first purchase between ${fromMonth} and ${asOf}.`] : [],
    };
    const records = customers.map((row) => ({
      accountId: row.id,
      cohort: row.cohort,
      details: { firstPurchase: row.firstDay },
    }));
    return { results, records, parameters: { ...p, from: fromMonth } };
  }

  // ---- Lifetime value -----------------------------------------------------------------------------------------
  async function computeClv(asOf: string, p: WithZone<ClvParameters>, progress: RunProgress): Promise<Computed> {
    progress.onProgress?.(0, 4, 'Summarising customers (frequency, recency, T, monetary value)');
    const summary = await customerSummary(db, { asOf, timeZone: p.timeZone, unit: p.unit });
    const n = summary.accountIds.length;
    const warnings: string[] = [];
    const repeat = summary.frequency.reduce((count, f) => count + (f > 0 ? 1 : 0), 0);
    const emptyFit = (model: string) => ({ model, n: 0, params: {}, logLikelihood: 0, standardErrors: {} });
    if (n === 0 || repeat === 0) {
      const results: ClvResults = {
        model: p.model,
        unit: p.unit,
        customers: n,
        repeatCustomers: repeat,
        purchaseModel: emptyFit(p.model),
        spendModel: null,
        spendSource: 'none',
        totals: { clv: 0, revenueAtRisk: 0, expectedPurchases: 0, meanPAlive: 0 },
        calibration: null,
        warnings: [
          n === 0
            ? `No customers bought anything up to ${asOf}.`
            : 'No customer has bought twice; the models cannot be fitted.',
        ],
      };
      return { results, records: [], parameters: { ...p } };
    }
    progress.onProgress?.(1, 4, `Fitting ${p.model === 'bgnbd' ? 'BG/NBD' : 'Pareto/NBD'} and Gamma-Gamma`);
    const purchase: PurchaseFit = fitPurchaseModel(p.model, summary);
    let spend: SpendFit | null = null;
    try {
      spend = fitSpendModel(summary);
    } catch (error) {
      warnings.push(`Gamma-Gamma could not be fitted (${(error as Error).message}); no expected spend or CLV.`);
    }
    const spendParams = spend && spend.fit.params.q > 1 ? spend.fit.params : null;
    // Without a usable Gamma-Gamma fit, spend per purchase is each customer's own mean purchase-day value.
    const fallbackSpend = spendParams ? null : customerMeanSpend(summary);
    progress.onProgress?.(2, 4, 'Scoring customers (P(alive), expected purchases, CLV)');
    const scores = scoreClv(purchase, spendParams, summary, p, fallbackSpend);
    warnings.push(...clvWarnings(purchase, scores.pAlive, spend));
    if (!spendParams) {
      warnings.push(
        "Expected spend and CLV use each customer's own average purchase value instead of the Gamma-Gamma model, which is unusable on this data.",
      );
    }

    // Calibration / holdout check
    let calibration: ClvResults['calibration'] = null;
    const span = await transactionSpan(db, asOf, p.timeZone);
    const observed = span ? daysBetween(span.first, asOf) : 0;
    const holdoutDays = p.holdoutDays ?? Math.min(273, Math.floor(observed / 3));
    if (holdoutDays > 0 && observed - holdoutDays >= 28) {
      progress.onProgress?.(3, 4, 'Calibration/holdout check');
      const calibrationEnd = addDays(asOf, -holdoutDays);
      const cal = await customerSummary(db, { asOf, timeZone: p.timeZone, unit: p.unit, calibrationEnd });
      if (cal.frequency.some((f) => f > 0)) {
        try {
          const calFit = fitPurchaseModel(p.model, cal);
          calibration = {
            calibrationEnd,
            holdoutDays,
            purchaseModel: fitSummaryOf(p.model, calFit.fit),
            points: calibrationPoints(calFit, cal, cal.holdoutFrequency, holdoutDays / (p.unit === 'week' ? 7 : 1)).map(
              (pt) => ({
                frequency: pt.frequency,
                customers: pt.customers,
                actual: round(pt.actual),
                predicted: round(pt.predicted),
              }),
            ),
          };
        } catch (error) {
          warnings.push(`The calibration/holdout check failed (${(error as Error).message}).`);
        }
      }
    } else if (p.holdoutDays === undefined) {
      warnings.push('Too little history for a calibration/holdout check.');
    }

    let totalClv = 0;
    let totalRisk = 0;
    let totalPurchases = 0;
    let totalAlive = 0;
    const records: CustomerResultRecord[] = new Array<CustomerResultRecord>(n);
    for (let i = 0; i < n; i++) {
      const clv = finiteOrNull(scores.clv[i]);
      const risk = finiteOrNull(scores.revenueAtRisk[i]);
      totalClv += clv ?? 0;
      totalRisk += risk ?? 0;
      totalPurchases += scores.expectedPurchases[i] ?? 0;
      totalAlive += scores.pAlive[i] ?? 0;
      records[i] = {
        accountId: summary.accountIds[i] ?? 0,
        frequency: summary.frequency[i] ?? 0,
        recency: summary.recency[i] ?? 0,
        T: summary.T[i] ?? 0,
        monetaryValue: summary.monetaryValue[i] ?? 0,
        totalValue: summary.totalValue[i] ?? 0,
        sinceLast: (summary.T[i] ?? 0) - (summary.recency[i] ?? 0),
        pAlive: finiteOrNull(scores.pAlive[i]),
        expectedPurchases: finiteOrNull(scores.expectedPurchases[i]),
        expectedSpend: finiteOrNull(scores.expectedSpend[i]),
        clv,
        revenueAtRisk: risk,
      };
    }
    const results: ClvResults = {
      model: p.model,
      unit: p.unit,
      customers: n,
      repeatCustomers: repeat,
      purchaseModel: fitSummaryOf(p.model, purchase.fit),
      spendModel: spend ? fitSummaryOf('gamma-gamma', spend.fit) : null,
      spendSource: spendParams ? 'gamma-gamma' : 'customer-mean',
      totals: {
        clv: totalClv,
        revenueAtRisk: totalRisk,
        expectedPurchases: totalPurchases,
        meanPAlive: totalAlive / n,
      },
      calibration,
      warnings,
    };
    return { results, records, parameters: { ...p, holdoutDays } };
  }

  async function compute(request: ZonedRequest, asOf: string, progress: RunProgress): Promise<Computed> {
    switch (request.kind) {
      case 'abc':
      case 'groups':
        return computeAbc(request.kind, asOf, request.parameters, progress);
      case 'rfm':
        return computeRfm(asOf, request.parameters, progress);
      case 'churn':
        return computeChurn(asOf, request.parameters, progress);
      case 'cohorts':
        return computeCohorts(asOf, request.parameters, progress);
      case 'clv':
        return computeClv(asOf, request.parameters, progress);
    }
  }

  return {
    async run(unzoned, options = {}) {
      const request = {
        ...unzoned,
        parameters: { ...unzoned.parameters, timeZone: unzoned.parameters.timeZone ?? timeZone },
      } as ZonedRequest;
      const asOf = request.asOf ?? today(clock, request.parameters.timeZone);
      const started = performance.now();
      const runId = await insertRun(db, request.kind, asOf, request.parameters);
      try {
        const computed = await compute(request, asOf, options);
        options.onProgress?.(0, computed.records.length, 'Storing per-customer results');
        await insertCustomerResults(database, runId, computed.records, {
          onChunk: (done, total) => options.onProgress?.(done, total, 'Storing per-customer results'),
        });
        await db
          .updateTable('analysis_runs')
          .set({ parameters: JSON.stringify(computed.parameters) })
          .where('id', '=', runId)
          .execute();
        await completeRun(db, runId, {
          results: computed.results,
          customerCount: computed.records.length,
          durationMs: performance.now() - started,
        });
      } catch (error) {
        const message = error instanceof AppError ? error.message : (error as Error).message || 'failed';
        await failRun(db, runId, message, performance.now() - started).catch(() => undefined);
        throw error;
      }
      return getRun(runId);
    },

    async listRuns(query, actor) {
      requireWholeScope(actor);
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !after) {
        throw new AppError('validation_failed', 'Invalid query parameter cursor: not a cursor this API returned', {
          parameter: 'cursor',
        });
      }
      const rows = await listRuns(db, query, after ? after.id : null);
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ v: null, id: last.id }) : null };
    },

    async getRun(id, actor) {
      requireWholeScope(actor);
      return getRun(id);
    },

    async latest(kind, actor) {
      requireWholeScope(actor);
      const id = await latestRunId(db, kind);
      if (id === null) throw new AppError('not_found', `No completed ${kind} analysis yet.`);
      return getRun(id);
    },

    async listRunCustomers(id, query, actor) {
      requireWholeScope(actor);
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !after) {
        throw new AppError('validation_failed', 'Invalid query parameter cursor: not a cursor this API returned', {
          parameter: 'cursor',
        });
      }
      if (!(await findRun(db, id))) throw new AppError('not_found', `Analysis run ${id} does not exist.`);
      const rows = await listCustomerResults(db, id, query, after);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const items = page.map(({ sortKey: _sortKey, ...item }) => item);
      return {
        items,
        nextCursor: rows.length > query.limit && last ? encodeCursor({ v: last.sortKey, id: last.accountId }) : null,
      };
    },

    async allRunCustomers(id) {
      await getRun(id);
      return allCustomerResults(db, id);
    },

    async accountAnalytics(accountId, actor) {
      // The account must be within both the actor's analytics scope and its account read scope.
      const scopes = actor
        ? [
            accountScopeWhere(actor, 'read', { resource: 'analytics', ownerColumn: 'accounts.owner_id' }),
            accountScopeWhere(actor, 'read', { ownerColumn: 'accounts.owner_id' }),
          ]
        : [];
      if (!(await accountExists(db, accountId, scopes)))
        throw new AppError('not_found', `Account ${accountId} does not exist.`);
      const groupId = await groupRootOf(db, accountId);
      const latest = await latestResultsForAccount(db, accountId, groupId);
      const pick = <F extends ResultFields>(kind: AnalysisKind, fields: F) =>
        pickResult(
          latest.find((entry) => entry.kind === kind),
          fields,
        );
      const group = pick('groups', accountResultFields.group);
      return {
        accountId,
        abc: pick('abc', accountResultFields.abc),
        // The group's figures belong to its root account, named beside them.
        group: group ? { ...group, groupAccountId: groupId } : null,
        rfm: pick('rfm', accountResultFields.rfm),
        clv: pick('clv', accountResultFields.clv),
        churn: pick('churn', accountResultFields.churn),
        cohort: pick('cohorts', accountResultFields.cohort),
      };
    },

    loadTransactions(rows, zone = timeZone) {
      return loadTransactions(database, rows, { timeZone: zone });
    },
  };
}

/** Which of a run's per-customer fields the customer page shows, by the name it shows them under. */
type ResultFields = Readonly<Record<string, keyof CustomerResult>>;

const accountResultFields = {
  abc: { class: 'abcClass', previousClass: 'previousClass', value: 'value', rank: 'rank' },
  group: { class: 'abcClass', value: 'value' },
  rfm: {
    rScore: 'rScore',
    fScore: 'fScore',
    mScore: 'mScore',
    segment: 'rfmSegment',
    frequency: 'frequency',
    sinceLast: 'sinceLast',
    totalValue: 'totalValue',
  },
  clv: {
    pAlive: 'pAlive',
    expectedPurchases: 'expectedPurchases',
    expectedSpend: 'expectedSpend',
    clv: 'clv',
    revenueAtRisk: 'revenueAtRisk',
  },
  churn: { class: 'churnClass', reason: 'churnReason' },
  cohort: { cohort: 'cohort' },
} as const satisfies Record<string, ResultFields>;

/**
 * One kind's latest result for the account: the run it comes from, whether the account was in it, and the named
 * fields (null when the account was not in the run). No run of the kind yet: null.
 */
function pickResult<F extends ResultFields>(
  entry: { runId: number; asOf: string; row: CustomerResult | null } | undefined,
  fields: F,
):
  | ({ runId: number; asOf: string; included: boolean } & {
      -readonly [K in keyof F]: NonNullable<CustomerResult[F[K]]> | null;
    })
  | null {
  if (!entry) return null;
  const picked = Object.fromEntries(
    Object.entries(fields).map(([name, field]) => [name, entry.row?.[field] ?? null]),
  ) as { -readonly [K in keyof F]: NonNullable<CustomerResult[F[K]]> | null };
  return { runId: entry.runId, asOf: entry.asOf, included: entry.row !== null, ...picked };
}

function sinceLastOf(summary: SummaryColumns): Float64Array {
  const out = new Float64Array(summary.T.length);
  for (let i = 0; i < out.length; i++) out[i] = (summary.T[i] ?? 0) - (summary.recency[i] ?? 0);
  return out;
}

/** Mean value per purchase day: total / (frequency + 1). */
function customerMeanSpend(summary: SummaryColumns): Float64Array {
  const out = new Float64Array(summary.totalValue.length);
  for (let i = 0; i < out.length; i++) out[i] = (summary.totalValue[i] ?? 0) / ((summary.frequency[i] ?? 0) + 1);
  return out;
}

function scale(values: Float64Array, factor: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] ?? 0) * factor;
  return out;
}
