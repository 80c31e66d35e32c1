import type { ClvModel, FitSummary, TimeUnit } from './analytics.schema.js';
import {
  BG_NBD_PARAM_NAMES,
  bgNbdConditionalExpectedPurchases,
  bgNbdProbabilityAlive,
  collapse,
  customerLifetimeValue,
  CLV_STEP_LENGTH,
  diagnose,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  frequencyMonetaryCorrelation,
  GAMMA_GAMMA_PARAM_NAMES,
  gammaGammaConditionalExpectedSpend,
  PARETO_NBD_PARAM_NAMES,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdProbabilityAlive,
  purchasesVsHoldout,
  type BgNbdParams,
  type FitResult,
  type GammaGammaParams,
  type ParetoNbdParams,
} from './models/index.js';

/**
 * Lifetime value per customer from the models in ./models (BG/NBD: Fader, Hardie & Lee 2005, Marketing Science
 * 24(2); Pareto/NBD: Schmittlein, Morrison & Colombo 1987; Gamma-Gamma: Fader, Hardie & Lee 2005, JMR 42(4); CLV
 * as lifetimes' discounted cash flow). Pure: the per-customer summary comes in as typed arrays.
 */
export interface SummaryInput {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
}

export type SpendInput = { frequency: ArrayLike<number>; monetaryValue: ArrayLike<number> };

export type PurchaseFit =
  { model: 'bgnbd'; fit: FitResult<BgNbdParams> } | { model: 'pareto-nbd'; fit: FitResult<ParetoNbdParams> };

const modelName = { bgnbd: 'BG/NBD', 'pareto-nbd': 'Pareto/NBD', 'gamma-gamma': 'Gamma-Gamma' } as const;

/** The fit as printed and stored: parameters and standard errors by name, total log-likelihood, n customers. */
export function fitSummaryOf(
  model: ClvModel | 'gamma-gamma',
  fit: FitResult<BgNbdParams | ParetoNbdParams | GammaGammaParams>,
): FitSummary {
  const names: readonly string[] =
    model === 'bgnbd' ? BG_NBD_PARAM_NAMES : model === 'pareto-nbd' ? PARETO_NBD_PARAM_NAMES : GAMMA_GAMMA_PARAM_NAMES;
  const params: Record<string, number> = {};
  const standardErrors: Record<string, number | null> = {};
  const p = fit.params as unknown as Record<string, number>;
  const se = fit.standardErrors as unknown as Record<string, number> | undefined;
  for (const name of names) {
    params[name] = p[name] ?? NaN;
    const value = se?.[name];
    standardErrors[name] = value === undefined || !Number.isFinite(value) ? null : value;
  }
  return { model, n: fit.customers, params, logLikelihood: fit.logLikelihood, standardErrors };
}

/** Fits BG/NBD or Pareto/NBD by maximum likelihood on (frequency, recency, T). */
export function fitPurchaseModel(model: ClvModel, summary: SummaryInput): PurchaseFit {
  return model === 'bgnbd' ? { model, fit: fitBgNbd(summary) } : { model, fit: fitParetoNbd(summary) };
}

/** P(alive | x, t_x, T) of the fitted model. */
export function probabilityAlive(purchase: PurchaseFit, x: number, tx: number, T: number): number {
  return purchase.model === 'bgnbd'
    ? bgNbdProbabilityAlive(purchase.fit.params, x, tx, T)
    : paretoNbdProbabilityAlive(purchase.fit.params, x, tx, T);
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t time units. */
export function expectedPurchases(purchase: PurchaseFit, t: number, x: number, tx: number, T: number): number {
  return purchase.model === 'bgnbd'
    ? bgNbdConditionalExpectedPurchases(purchase.fit.params, t, x, tx, T)
    : paretoNbdConditionalExpectedPurchases(purchase.fit.params, t, x, tx, T);
}

/** Repeat customers with a positive mean repeat value (what Gamma-Gamma is fitted on). */
export function repeatCustomerCount(spend: SpendInput): number {
  let n = 0;
  for (let i = 0; i < spend.frequency.length; i++)
    if ((spend.frequency[i] ?? 0) > 0 && (spend.monetaryValue[i] ?? 0) > 0) n += 1;
  return n;
}

export interface ClvOptions {
  unit: TimeUnit;
  horizonMonths: number;
  /** Per month. */
  discountRate: number;
  margin: number;
}

export interface ClvScores {
  pAlive: Float64Array;
  expectedPurchases: Float64Array;
  /** Gamma-Gamma expected mean spend per purchase (NaN when there is no usable spend model). */
  expectedSpend: Float64Array;
  clv: Float64Array;
  revenueAtRisk: Float64Array;
}

/** Length of a month in the model's time unit (lifetimes: 4.345 weeks, 30 days). */
export const monthLength = (unit: TimeUnit): number => (unit === 'week' ? CLV_STEP_LENGTH.W : CLV_STEP_LENGTH.D);

/**
 * Per customer, computed once per distinct (x, t_x, T) row:
 *   P(alive); expected purchases over the horizon E[Y(H) | x, t_x, T] with H = months × month length;
 *   expected spend = Gamma-Gamma E[M | x, m̄] (or the fallback given, when Gamma-Gamma is unusable);
 *   CLV = margin · spend · Σ_{k=1}^{months} [E(Y(kΔ)) − E(Y((k−1)Δ))] / (1 + d)^k  (lifetimes customer_lifetime_value);
 *   revenue at risk = CLV × (1 − P(alive)).
 */
export function scoreClv(
  purchase: PurchaseFit,
  spendParams: GammaGammaParams | null,
  summary: SummaryInput & SpendInput,
  options: ClvOptions,
  /** Spend per purchase to use when there is no usable Gamma-Gamma fit (e.g. each customer's own mean). */
  fallbackSpend: ArrayLike<number> | null = null,
): ClvScores {
  const collapsed = collapse(summary);
  const rows = collapsed.x.length;
  const step = monthLength(options.unit);
  const rowAlive = new Float64Array(rows);
  const rowExpected = new Float64Array(rows);
  const rowDiscounted = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    const x = collapsed.x[k] ?? 0;
    const tx = collapsed.tx[k] ?? 0;
    const T = collapsed.T[k] ?? 0;
    rowAlive[k] = probabilityAlive(purchase, x, tx, T);
    rowExpected[k] = expectedPurchases(purchase, options.horizonMonths * step, x, tx, T);
    rowDiscounted[k] = customerLifetimeValue((t) => expectedPurchases(purchase, t, x, tx, T), 1, {
      steps: options.horizonMonths,
      discountRate: options.discountRate,
      stepLength: step,
      margin: 1,
    });
  }
  const n = collapsed.rowOfCustomer.length;
  const scores: ClvScores = {
    pAlive: new Float64Array(n),
    expectedPurchases: new Float64Array(n),
    expectedSpend: new Float64Array(n),
    clv: new Float64Array(n),
    revenueAtRisk: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const row = collapsed.rowOfCustomer[i] ?? 0;
    const alive = rowAlive[row] ?? NaN;
    const spend = spendParams
      ? gammaGammaConditionalExpectedSpend(spendParams, summary.frequency[i] ?? 0, summary.monetaryValue[i] ?? 0)
      : (fallbackSpend?.[i] ?? NaN);
    const clv = options.margin * spend * (rowDiscounted[row] ?? NaN);
    scores.pAlive[i] = alive;
    scores.expectedPurchases[i] = rowExpected[row] ?? NaN;
    scores.expectedSpend[i] = spend;
    scores.clv[i] = clv;
    scores.revenueAtRisk[i] = clv * (1 - alive);
  }
  return scores;
}

export interface SpendFit {
  fit: FitResult<GammaGammaParams>;
  correlation: number;
  repeatCustomers: number;
}

/** Gamma-Gamma on the repeat customers; null when there are none. */
export function fitSpendModel(spend: SpendInput): SpendFit | null {
  const repeatCustomers = repeatCustomerCount(spend);
  if (repeatCustomers === 0) return null;
  return { fit: fitGammaGamma(spend), correlation: frequencyMonetaryCorrelation(spend), repeatCustomers };
}

/** Plain-words warnings about degenerate fits (see models/diagnostics.ts). */
export function clvWarnings(
  purchase: PurchaseFit | null,
  pAlive: ArrayLike<number> | null,
  spend: SpendFit | null,
): string[] {
  const toRecord = (value: object | undefined) => value as Record<string, number> | undefined;
  const diagnostics = diagnose({
    ...(purchase
      ? {
          transactions: {
            model: modelName[purchase.model],
            converged: purchase.fit.converged,
            message: purchase.fit.message,
            params: toRecord(purchase.fit.params) ?? {},
            ...(purchase.fit.standardErrors ? { standardErrors: toRecord(purchase.fit.standardErrors) } : {}),
            ...(pAlive ? { probabilityAlive: pAlive } : {}),
          },
        }
      : {}),
    ...(spend
      ? {
          spend: {
            model: modelName['gamma-gamma'],
            converged: spend.fit.converged,
            message: spend.fit.message,
            params: toRecord(spend.fit.params) ?? {},
            ...(spend.fit.standardErrors ? { standardErrors: toRecord(spend.fit.standardErrors) } : {}),
            correlation: spend.correlation,
            repeatCustomers: spend.repeatCustomers,
          },
        }
      : {}),
  });
  return diagnostics.map((d) => d.message);
}

export interface CalibrationPoint {
  frequency: number;
  customers: number;
  actual: number;
  predicted: number;
}

/**
 * Calibration/holdout check (lifetimes plot_calibration_purchases_vs_holdout_purchases): mean actual repeat purchases
 * in the holdout against the model's E[Y(holdout) | x, t_x, T] from the calibration fit, by calibration frequency
 * 0 … 6 and "7 or more".
 */
export function calibrationPoints(
  purchase: PurchaseFit,
  calibration: SummaryInput & { monetaryValue: Float64Array },
  holdoutFrequency: Float64Array,
  holdoutLength: number,
): CalibrationPoint[] {
  const frequency = Float64Array.from(calibration.frequency);
  const rows = purchasesVsHoldout(
    {
      calibration: {
        customerIds: [],
        frequency,
        recency: Float64Array.from(calibration.recency),
        T: Float64Array.from(calibration.T),
        monetaryValue: calibration.monetaryValue,
      },
      frequencyHoldout: holdoutFrequency,
      monetaryHoldout: new Float64Array(frequency.length),
      durationHoldout: holdoutLength,
    },
    (t, x, tx, T) => expectedPurchases(purchase, t, x, tx, T),
  );
  return rows.map((row) => ({
    frequency: row.frequency,
    customers: row.customers,
    actual: row.actual,
    predicted: row.predicted,
  }));
}

export type FileModel = ClvModel | 'gamma-gamma';

/**
 * File mode (`analyze clv --summary`): fit one model on summary columns and return what is printed.
 * Gamma-Gamma needs monetary_value and uses the repeat customers only.
 */
export function fitFromSummary(
  model: FileModel,
  summary: SummaryInput & { monetaryValue?: ArrayLike<number> },
): { fit: FitSummary; warnings: string[] } {
  if (model === 'gamma-gamma') {
    const monetaryValue = summary.monetaryValue ?? new Float64Array(summary.frequency.length);
    const spend = fitSpendModel({ frequency: summary.frequency, monetaryValue });
    if (!spend) throw new Error('Gamma-Gamma needs customers with frequency > 0 and monetary_value > 0');
    return { fit: fitSummaryOf('gamma-gamma', spend.fit), warnings: clvWarnings(null, null, spend) };
  }
  const purchase = fitPurchaseModel(model, summary);
  const collapsed = collapse(summary);
  const alive = new Float64Array(collapsed.x.length);
  for (let k = 0; k < alive.length; k++)
    alive[k] = probabilityAlive(purchase, collapsed.x[k] ?? 0, collapsed.tx[k] ?? 0, collapsed.T[k] ?? 0);
  const warnings = diagnose({
    transactions: {
      model: modelName[model],
      converged: purchase.fit.converged,
      message: purchase.fit.message,
      params: purchase.fit.params as unknown as Record<string, number>,
      ...(purchase.fit.standardErrors
        ? { standardErrors: purchase.fit.standardErrors as unknown as Record<string, number> }
        : {}),
      probabilityAlive: alive,
      weights: collapsed.count,
    },
  }).map((d) => d.message);
  return { fit: fitSummaryOf(model, purchase.fit), warnings };
}
