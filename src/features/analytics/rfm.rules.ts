import type { RfmSegmentRule } from './analytics.schema.js';

/**
 * RFM scoring (Hughes 1994, "Strategic Database Marketing"; quintile scores 1–5, 5 = best) and named segments from
 * an ordered, editable score map. Pure functions over per-customer summaries computed in SQL.
 *
 * Definitions used here (per customer, at the as-of date):
 *   R = time since the last purchase (T − recency, in the run's unit) — lower is better;
 *   F = number of repeat purchase days (lifetimes' frequency) — higher is better;
 *   M = total value bought up to the as-of date — higher is better.
 */

/**
 * Quintile score of every value, 1…5, 5 = best. With the mid-rank r of a value among n (ties share the average of
 * their ranks, rank 1 = worst), the score is 1 + ⌊5·(r − ½)/n⌋ — the Hazen plotting position (r − ½)/n cut into
 * fifths. Consequences: equal values always get equal scores; everyone equal gives 3; fewer than five customers are
 * spread symmetrically (one customer: 3; two: 2 and 4; three: 1, 3, 5; four: 1, 2, 4, 5).
 */
export function quintileScores(values: ArrayLike<number>, higherIsBetter: boolean): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  if (n === 0) return scores;
  const order = Array.from({ length: n }, (_, i) => i);
  const sign = higherIsBetter ? 1 : -1;
  order.sort((i, j) => sign * ((values[i] ?? 0) - (values[j] ?? 0)));
  let start = 0;
  while (start < n) {
    let end = start;
    const value = values[order[start] ?? 0] ?? 0;
    while (end + 1 < n && (values[order[end + 1] ?? 0] ?? 0) === value) end += 1;
    const midRank = (start + end) / 2 + 1;
    const score = Math.min(5, Math.max(1, 1 + Math.floor((5 * (midRank - 0.5)) / n)));
    for (let k = start; k <= end; k++) scores[order[k] ?? 0] = score;
    start = end + 1;
  }
  return scores;
}

/**
 * The built-in score map, read top to bottom; the first line whose R, F and M ranges all hold names the segment.
 * It covers all 125 score combinations, so "others" only appears with an edited map that leaves gaps.
 *
 * | segment              | R    | F    | M    | meaning                                            |
 * |----------------------|------|------|------|----------------------------------------------------|
 * | champions            | 4–5  | 4–5  | 4–5  | bought recently, often, and spend the most         |
 * | cant_lose            | 1–2  | 4–5  | 4–5  | were among the best, have not bought for long      |
 * | loyal                | 3–5  | 3–5  | 3–5  | buy regularly and spend well                        |
 * | at_risk              | 1–2  | 3–5  | 1–5  | bought often, but long ago                         |
 * | new                  | 5    | 1    | 1–5  | first purchase very recently                       |
 * | promising            | 4    | 1    | 1–5  | recent first purchase                              |
 * | potential_loyalists  | 4–5  | 2–5  | 1–5  | recent, repeat, not yet big spenders               |
 * | need_attention       | 3    | 2–5  | 1–5  | average recency, some repeat purchases             |
 * | about_to_sleep       | 3    | 1    | 1–5  | average recency, one purchase                      |
 * | hibernating          | 2    | 1–2  | 1–5  | long ago, few purchases                             |
 * | lost                 | 1    | 1–2  | 1–5  | longest ago, few purchases                          |
 */
export const DEFAULT_RFM_SEGMENT_MAP: readonly RfmSegmentRule[] = [
  { segment: 'champions', r: [4, 5], f: [4, 5], m: [4, 5] },
  { segment: 'cant_lose', r: [1, 2], f: [4, 5], m: [4, 5] },
  { segment: 'loyal', r: [3, 5], f: [3, 5], m: [3, 5] },
  { segment: 'at_risk', r: [1, 2], f: [3, 5], m: [1, 5] },
  { segment: 'new', r: [5, 5], f: [1, 1], m: [1, 5] },
  { segment: 'promising', r: [4, 4], f: [1, 1], m: [1, 5] },
  { segment: 'potential_loyalists', r: [4, 5], f: [2, 5], m: [1, 5] },
  { segment: 'need_attention', r: [3, 3], f: [2, 5], m: [1, 5] },
  { segment: 'about_to_sleep', r: [3, 3], f: [1, 1], m: [1, 5] },
  { segment: 'hibernating', r: [2, 2], f: [1, 2], m: [1, 5] },
  { segment: 'lost', r: [1, 1], f: [1, 2], m: [1, 5] },
];

export const OTHER_SEGMENT = 'others';

const within = (score: number, [low, high]: readonly [number, number]) => score >= low && score <= high;

/** The segment of one (R, F, M) score triple: the first matching line of the map, else "others". */
export function segmentFor(
  r: number,
  f: number,
  m: number,
  map: readonly RfmSegmentRule[] = DEFAULT_RFM_SEGMENT_MAP,
): string {
  for (const rule of map) if (within(r, rule.r) && within(f, rule.f) && within(m, rule.m)) return rule.segment;
  return OTHER_SEGMENT;
}

export interface RfmInput {
  /** Time since the last purchase (lower is better). */
  sinceLast: ArrayLike<number>;
  /** Repeat purchases (higher is better). */
  frequency: ArrayLike<number>;
  /** Total value (higher is better). */
  totalValue: ArrayLike<number>;
}

export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  segment: string[];
}

/** Quintile R, F, M scores and the segment of every customer. */
export function scoreRfm(input: RfmInput, map: readonly RfmSegmentRule[] = DEFAULT_RFM_SEGMENT_MAP): RfmScores {
  const r = quintileScores(input.sinceLast, false);
  const f = quintileScores(input.frequency, true);
  const m = quintileScores(input.totalValue, true);
  const segment = Array.from(r, (rs, i) => segmentFor(rs, f[i] ?? 1, m[i] ?? 1, map));
  return { r, f, m, segment };
}

export interface SegmentTotal {
  segment: string;
  customers: number;
  share: number;
  totalValue: number;
  meanSinceLast: number;
  meanFrequency: number;
}

/** Customers, value and mean recency/frequency per segment, in the order of the map (then "others"). */
export function segmentTotals(
  input: RfmInput,
  scores: RfmScores,
  map: readonly RfmSegmentRule[] = DEFAULT_RFM_SEGMENT_MAP,
): SegmentTotal[] {
  const acc = new Map<string, { customers: number; value: number; since: number; frequency: number }>();
  scores.segment.forEach((segment, i) => {
    const entry = acc.get(segment) ?? { customers: 0, value: 0, since: 0, frequency: 0 };
    entry.customers += 1;
    entry.value += input.totalValue[i] ?? 0;
    entry.since += input.sinceLast[i] ?? 0;
    entry.frequency += input.frequency[i] ?? 0;
    acc.set(segment, entry);
  });
  const n = scores.segment.length;
  const names = [...new Set([...map.map((rule) => rule.segment), OTHER_SEGMENT])];
  return names
    .filter((name) => acc.has(name))
    .map((name) => {
      const entry = acc.get(name) ?? { customers: 0, value: 0, since: 0, frequency: 0 };
      return {
        segment: name,
        customers: entry.customers,
        share: n > 0 ? entry.customers / n : 0,
        totalValue: entry.value,
        meanSinceLast: entry.since / entry.customers,
        meanFrequency: entry.frequency / entry.customers,
      };
    });
}

/** The R × F grid (25 cells): customers and mean total value per cell, for the RFM heat map. */
export function rfmGrid(
  input: RfmInput,
  scores: RfmScores,
): { r: number; f: number; customers: number; meanTotalValue: number }[] {
  const cells: { r: number; f: number; customers: number; meanTotalValue: number }[] = [];
  const sums = new Float64Array(25);
  const counts = new Uint32Array(25);
  for (let i = 0; i < scores.r.length; i++) {
    const cell = ((scores.r[i] ?? 1) - 1) * 5 + ((scores.f[i] ?? 1) - 1);
    counts[cell] = (counts[cell] ?? 0) + 1;
    sums[cell] = (sums[cell] ?? 0) + (input.totalValue[i] ?? 0);
  }
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const cell = (r - 1) * 5 + (f - 1);
      const count = counts[cell] ?? 0;
      cells.push({ r, f, customers: count, meanTotalValue: count > 0 ? (sums[cell] ?? 0) / count : 0 });
    }
  }
  return cells;
}

export interface BtydSummaryStats {
  frequencyZeroShare: number;
  meanFrequency: number;
  meanRecency: number;
  meanT: number;
  meanMonetaryValue: number;
  meanTotalValue: number;
}

/** Means of the lifetimes-style summary columns (monetary_value averaged over repeat customers only). */
export function summaryStats(columns: {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
  monetaryValue: ArrayLike<number>;
  totalValue: ArrayLike<number>;
}): BtydSummaryStats {
  const n = columns.frequency.length;
  let zero = 0;
  let frequency = 0;
  let recency = 0;
  let t = 0;
  let monetary = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const f = columns.frequency[i] ?? 0;
    if (f === 0) zero += 1;
    else monetary += columns.monetaryValue[i] ?? 0;
    frequency += f;
    recency += columns.recency[i] ?? 0;
    t += columns.T[i] ?? 0;
    total += columns.totalValue[i] ?? 0;
  }
  const mean = (sum: number, count: number) => (count > 0 ? sum / count : 0);
  return {
    frequencyZeroShare: mean(zero, n),
    meanFrequency: mean(frequency, n),
    meanRecency: mean(recency, n),
    meanT: mean(t, n),
    meanMonetaryValue: mean(monetary, n - zero),
    meanTotalValue: mean(total, n),
  };
}
