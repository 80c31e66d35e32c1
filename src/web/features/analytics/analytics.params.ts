import type {
  AbcMeasure,
  AnalysisRun,
  ChurnRule,
  ClvModel,
  CustomerSort,
  RfmSegmentRule,
  TimeUnit,
} from '../../../features/analytics/analytics.schema.js';

/**
 * Parameters forms ⇄ run parameters. A stored run records every parameter with its defaults filled in (the period it
 * chose, the holdout it used); a form starts from the shown run's, leaving a field empty where the run used the
 * default that moves with the as-of date, so "Run again" next month covers next month's period.
 */

type Stored = Record<string, unknown>;

const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const numOr = (value: unknown, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;
/** 0.95 → 95 without float dust (94.99999999999999). */
export const toPercent = (share: number): number => Math.round(share * 1e8) / 1e6;
export const fromPercent = (percent: number): number => Math.round(percent * 1e6) / 1e8;

// ---- Calendar helpers (YYYY-MM-DD / YYYY-MM) ---------------------------------------------------------------------

const utc = (day: string): Date => new Date(`${day}T00:00:00Z`);
const iso = (date: Date): string => date.toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + days);
  return iso(date);
}

/** Same day n months later, clamped to the month's last day (31 Mar − 1 month = 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const date = utc(day);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), last));
  return iso(target);
}

export function addMonthsToMonth(month: string, months: number): string {
  return addMonths(`${month}-01`, months).slice(0, 7);
}

// ---- ABC / customer groups ---------------------------------------------------------------------------------------

export interface AbcForm {
  measure: AbcMeasure;
  volumeUnit: string;
  from: string;
  to: string;
  /** Class thresholds in percent (80, 95). */
  a: number;
  b: number;
  compare: boolean;
}

/** The API's default period: the 12 months up to the as-of date. */
export const isDefaultPeriod = (asOf: string, from: string, to: string): boolean =>
  to === asOf && from === addDays(addMonths(to, -12), 1);

export function abcFormFrom(run: Pick<AnalysisRun, 'asOf' | 'parameters'> | null): AbcForm {
  const p: Stored = run?.parameters ?? {};
  const thresholds = (typeof p.thresholds === 'object' && p.thresholds !== null ? p.thresholds : {}) as Stored;
  const from = str(p.from);
  const to = str(p.to);
  const keepPeriod = run !== null && from !== '' && to !== '' && !isDefaultPeriod(run.asOf, from, to);
  const measure = p.measure === 'margin' || p.measure === 'volume' ? p.measure : 'revenue';
  return {
    measure,
    volumeUnit: str(p.volumeUnit),
    from: keepPeriod ? from : '',
    to: keepPeriod ? to : '',
    a: toPercent(numOr(thresholds.a, 0.8)),
    b: toPercent(numOr(thresholds.b, 0.95)),
    compare: p.compare !== false,
  };
}

export function abcParameters(form: AbcForm): Stored {
  return {
    measure: form.measure,
    ...(form.measure === 'volume' && form.volumeUnit.trim() ? { volumeUnit: form.volumeUnit.trim() } : {}),
    ...(form.from ? { from: form.from } : {}),
    ...(form.to ? { to: form.to } : {}),
    thresholds: { a: fromPercent(form.a), b: fromPercent(form.b) },
    compare: form.compare,
  };
}

// ---- RFM ---------------------------------------------------------------------------------------------------------

export interface RfmForm {
  unit: TimeUnit;
  /** The run's score map, sent back so that an edited map survives "Run again"; null: the built-in one. */
  segmentMap: RfmSegmentRule[] | null;
}

export function rfmFormFrom(parameters: Stored | null): RfmForm {
  const map = parameters?.segmentMap;
  return {
    unit: parameters?.unit === 'week' ? 'week' : 'day',
    segmentMap: Array.isArray(map) && map.length > 0 ? (map as RfmSegmentRule[]) : null,
  };
}

export const rfmParameters = (form: RfmForm): Stored => ({
  unit: form.unit,
  ...(form.segmentMap ? { segmentMap: form.segmentMap } : {}),
});

// ---- Lifetime value ----------------------------------------------------------------------------------------------

export interface ClvForm {
  model: ClvModel;
  unit: TimeUnit;
  horizonMonths: number;
  marginPercent: number;
  /** Per month, in percent. */
  discountPercent: number;
  /** Days, or '' for the automatic holdout. */
  holdoutDays: number | '';
}

export function clvFormFrom(parameters: Stored | null): ClvForm {
  const p = parameters ?? {};
  return {
    model: p.model === 'pareto-nbd' ? 'pareto-nbd' : 'bgnbd',
    unit: p.unit === 'day' ? 'day' : 'week',
    horizonMonths: numOr(p.horizonMonths, 12),
    marginPercent: toPercent(numOr(p.margin, 1)),
    discountPercent: toPercent(numOr(p.discountRate, 0.01)),
    holdoutDays: '', // the stored one is the resolved default more often than a choice; the results show it
  };
}

export const clvParameters = (form: ClvForm): Stored => ({
  model: form.model,
  unit: form.unit,
  horizonMonths: form.horizonMonths,
  margin: fromPercent(form.marginPercent),
  discountRate: fromPercent(form.discountPercent),
  ...(form.holdoutDays === '' ? {} : { holdoutDays: form.holdoutDays }),
});

// ---- Churn -------------------------------------------------------------------------------------------------------

/** The API's built-in rules (churn.rules.ts DEFAULT_CHURN_RULES), the starting point before any run. */
export const defaultChurnRules: readonly ChurnRule[] = [
  { rule: 'inactive_rhythm', class: 'lost', multiplier: 3, minDays: 90 },
  { rule: 'inactive_rhythm', class: 'at_risk', multiplier: 1.5, minDays: 30 },
  { rule: 'p_alive_below', class: 'at_risk', p: 0.3 },
  { rule: 'volume_drop', class: 'declining', percent: 30 },
];

export type ChurnRuleKind = ChurnRule['rule'];
export const churnRuleKinds: readonly ChurnRuleKind[] = [
  'inactive_rhythm',
  'inactive_days',
  'volume_drop',
  'p_alive_below',
];

/** A rule of another kind, keeping its class, with that kind's usual numbers. */
export function ruleOfKind(kind: ChurnRuleKind, cls: ChurnRule['class']): ChurnRule {
  switch (kind) {
    case 'inactive_rhythm':
      return { rule: kind, class: cls, multiplier: 3, minDays: 90 };
    case 'inactive_days':
      return { rule: kind, class: cls, days: 180 };
    case 'volume_drop':
      return { rule: kind, class: cls, percent: 30 };
    case 'p_alive_below':
      return { rule: kind, class: cls, p: 0.3 };
  }
}

export interface ChurnForm {
  /** Unit of the stored recency and since-last figures (the rules count days either way). */
  unit: TimeUnit;
  rules: ChurnRule[];
  windowDays: number;
  volumeMeasure: 'revenue' | 'volume';
  volumeUnit: string;
  fallbackGapDays: number;
}

export function churnFormFrom(parameters: Stored | null): ChurnForm {
  const p = parameters ?? {};
  return {
    unit: p.unit === 'week' ? 'week' : 'day',
    rules: Array.isArray(p.rules) && p.rules.length > 0 ? (p.rules as ChurnRule[]) : [...defaultChurnRules],
    windowDays: numOr(p.windowDays, 90),
    volumeMeasure: p.volumeMeasure === 'volume' ? 'volume' : 'revenue',
    volumeUnit: str(p.volumeUnit),
    fallbackGapDays: numOr(p.fallbackGapDays, 90),
  };
}

export const churnParameters = (form: ChurnForm): Stored => ({
  unit: form.unit,
  rules: form.rules,
  windowDays: form.windowDays,
  volumeMeasure: form.volumeMeasure,
  ...(form.volumeMeasure === 'volume' && form.volumeUnit.trim() ? { volumeUnit: form.volumeUnit.trim() } : {}),
  fallbackGapDays: form.fallbackGapDays,
});

// ---- Cohorts -----------------------------------------------------------------------------------------------------

/** First cohort month, '' when the run used the default (23 months before the as-of month). */
export function cohortFromMonth(run: Pick<AnalysisRun, 'asOf' | 'parameters'> | null): string {
  const from = str(run?.parameters.from);
  if (!run || !from) return '';
  return from === addMonthsToMonth(run.asOf.slice(0, 7), -23) ? '' : from;
}

export const cohortParameters = (from: string): Stored => (from ? { from } : {});

// ---- Sorting the customers of a run ---------------------------------------------------------------------------

export interface SortState {
  sort: CustomerSort;
  order: 'asc' | 'desc';
}

/** Clicking a sorted column flips its order; another column starts high-to-low (codes and ranks: low-to-high). */
export function nextSort(current: SortState, column: CustomerSort): SortState {
  if (current.sort === column) return { sort: column, order: current.order === 'asc' ? 'desc' : 'asc' };
  return { sort: column, order: column === 'code' || column === 'rank' ? 'asc' : 'desc' };
}
