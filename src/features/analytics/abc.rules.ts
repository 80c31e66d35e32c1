import type { AbcClass, Thresholds } from './analytics.schema.js';

/**
 * ABC (Pareto) classification and concentration figures — pure functions over per-customer values that SQL has
 * already aggregated. Sources: the Pareto/ABC analysis of the LOCUSM408B standard; the "up to and including the
 * item that crosses the threshold" convention of the UCI Online Retail reference figures; Gini as in Damgaard &
 * Weiner (2000), "Describing inequality in plant size or fecundity", Ecology 81(4).
 */
export interface ValueEntry {
  id: number;
  value: number;
}

export interface Classified {
  id: number;
  value: number;
  /** 1 = largest value. Equal values get consecutive ranks, ordered by id. */
  rank: number;
  /** value / total of positive values (0 for non-positive values). */
  share: number;
  /** Σ shares of this customer and every customer ranked above it. */
  cumulativeShare: number;
  class: AbcClass;
}

/** Largest value first; equal values by ascending id, so the order never depends on input order. */
export const compareByValueDesc = (x: ValueEntry, y: ValueEntry): number => y.value - x.value || x.id - y.id;

/**
 * Classes by cumulative share of the positive total, largest value first:
 *   class A while the share of the customers ranked *above* this one is < a (so the customer that crosses a is A),
 *   class B while it is < b, C after that.
 * Ties: customers with equal values share a class — the class of the first of them, so a boundary never splits
 * equals. Zero and negative values (e.g. a loss-making margin) are class C with share 0 and do not count in the total.
 * If no value is positive every customer is C.
 */
export function classifyAbc(entries: readonly ValueEntry[], thresholds: Thresholds): Classified[] {
  const sorted = [...entries].sort(compareByValueDesc);
  let total = 0;
  for (const entry of sorted) if (entry.value > 0) total += entry.value;
  const out: Classified[] = [];
  let cumulative = 0;
  let tieValue = Number.NaN;
  let tieClass: AbcClass = 'C';
  sorted.forEach((entry, index) => {
    const share = total > 0 && entry.value > 0 ? entry.value / total : 0;
    const above = cumulative;
    cumulative += share;
    let cls: AbcClass;
    if (entry.value <= 0 || total <= 0) cls = 'C';
    else if (entry.value === tieValue) cls = tieClass;
    else cls = above < thresholds.a - 1e-12 ? 'A' : above < thresholds.b - 1e-12 ? 'B' : 'C';
    tieValue = entry.value;
    tieClass = cls;
    out.push({
      id: entry.id,
      value: entry.value,
      rank: index + 1,
      share,
      cumulativeShare: Math.min(cumulative, 1),
      class: cls,
    });
  });
  return out;
}

export interface ClassTotal {
  class: AbcClass;
  customers: number;
  value: number;
  customerShare: number;
  valueShare: number;
}

/** Customers and value per class (value share of the positive total). */
export function classTotals(classified: readonly Classified[]): ClassTotal[] {
  const totals = { A: { customers: 0, value: 0 }, B: { customers: 0, value: 0 }, C: { customers: 0, value: 0 } };
  let positive = 0;
  for (const row of classified) {
    totals[row.class].customers += 1;
    totals[row.class].value += row.value;
    if (row.value > 0) positive += row.value;
  }
  const n = classified.length;
  return (['A', 'B', 'C'] as const).map((cls) => ({
    class: cls,
    customers: totals[cls].customers,
    value: totals[cls].value,
    customerShare: n > 0 ? totals[cls].customers / n : 0,
    valueShare: positive > 0 ? Math.max(totals[cls].value, 0) / positive : 0,
  }));
}

/**
 * Gini coefficient of non-negative values (negatives count as 0):
 *   G = 2 Σᵢ i·x₍ᵢ₎ / (n Σ x) − (n + 1) / n,  x₍₁₎ ≤ … ≤ x₍ₙ₎ sorted ascending, i = 1…n.
 * 0 = everyone equal, → 1 = one customer has everything. 0 for fewer than two customers or a zero total.
 */
export function gini(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const sorted = values.map((v) => Math.max(v, 0)).sort((x, y) => x - y);
  let total = 0;
  let weighted = 0;
  sorted.forEach((v, i) => {
    total += v;
    weighted += (i + 1) * v;
  });
  if (total <= 0) return 0;
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** Share of the positive total earned by the top ⌈fraction·n⌉ customers (largest values). 0 if nothing is positive. */
export function topShare(values: readonly number[], fraction = 0.2): number {
  const positive = values.filter((v) => v > 0).sort((x, y) => y - x);
  const total = positive.reduce((sum, v) => sum + v, 0);
  if (total <= 0 || values.length === 0) return 0;
  const k = Math.ceil(fraction * values.length - 1e-9);
  let top = 0;
  for (let i = 0; i < Math.min(k, positive.length); i++) top += positive[i] ?? 0;
  return top / total;
}

/**
 * The Pareto (Lorenz-from-the-top) curve: for customer shares 0, 1/points, …, 1 the cumulative value share of the
 * largest customers — at most points + 1 points, every customer when there are fewer.
 */
export function paretoCurve(
  classified: readonly Classified[],
  points = 100,
): { customerShare: number; valueShare: number }[] {
  const n = classified.length;
  if (n === 0) return [{ customerShare: 0, valueShare: 0 }];
  const steps = Math.min(points, n);
  const curve = [{ customerShare: 0, valueShare: 0 }];
  for (let s = 1; s <= steps; s++) {
    const k = Math.round((s / steps) * n);
    curve.push({ customerShare: k / n, valueShare: classified[k - 1]?.cumulativeShare ?? 0 });
  }
  return curve;
}

export interface Mover {
  from: AbcClass | null;
  to: AbcClass | null;
  customers: number;
}

/**
 * Movers between classes from the previous period to this one: every (from, to) pair with its count, where null means
 * the customer had no value in that period (new customers have from = null, dropped ones to = null).
 */
export function moversMatrix(current: ReadonlyMap<number, AbcClass>, previous: ReadonlyMap<number, AbcClass>): Mover[] {
  const counts = new Map<string, Mover>();
  const add = (from: AbcClass | null, to: AbcClass | null) => {
    const key = `${from ?? '-'}${to ?? '-'}`;
    const entry = counts.get(key);
    if (entry) entry.customers += 1;
    else counts.set(key, { from, to, customers: 1 });
  };
  for (const [id, to] of current) add(previous.get(id) ?? null, to);
  for (const [id, from] of previous) if (!current.has(id)) add(from, null);
  const order = (c: AbcClass | null) => (c === null ? 3 : ['A', 'B', 'C'].indexOf(c));
  return [...counts.values()].sort((x, y) => order(x.from) - order(y.from) || order(x.to) - order(y.to));
}
