/**
 * The BTYD per-customer summary (frequency, recency, T, monetary value) from raw transactions, and its collapse into
 * distinct (x, t_x, T) rows with counts, which the likelihoods iterate over.
 */

/** One purchase. `date` is 'YYYY-MM-DD[...]', 'YYYYMMDD', a Date (UTC day) or a day number (days since 1970-01-01). */
export interface Transaction {
  customerId: string | number;
  date: string | number | Date;
  value?: number;
}

export interface SummaryOptions {
  /** Last day observed (inclusive); later transactions are dropped. */
  observationEnd: string | number | Date;
  /** Purchases in the same period are merged into one: 'day' (default) or 'week' (Monday–Sunday, pandas 'W'). */
  period?: 'day' | 'week';
  /** Durations are (period difference) / multiplier, e.g. period 'day' with multiplier 7 gives exact weeks. Default 1. */
  multiplier?: number;
}

/** Columns of the per-customer summary (lifetimes' frequency, recency, T, monetary_value). */
export interface CustomerSummary {
  customerIds: string[];
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetaryValue: Float64Array;
}

/** The three columns the transaction models need. */
export interface RfmColumns {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  T: ArrayLike<number>;
}

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 (UTC) of 'YYYY-MM-DD…', 'YYYYMMDD', a Date or a day number. */
export function toEpochDay(date: string | number | Date): number {
  if (typeof date === 'number') return date;
  if (date instanceof Date) return Math.floor(date.getTime() / MS_PER_DAY);
  const s = date.trim();
  let y: number;
  let m: number;
  let d: number;
  if (/^\d{8}$/.test(s)) {
    y = Number(s.slice(0, 4));
    m = Number(s.slice(4, 6));
    d = Number(s.slice(6, 8));
  } else {
    const match = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s);
    if (!match) throw new Error(`Unrecognised date: ${date}`);
    y = Number(match[1]);
    m = Number(match[2]);
    d = Number(match[3]);
  }
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

/** Period number of an epoch day: the day itself, or the Monday–Sunday week (1969-12-29 is a Monday, day −3). */
export function periodOf(day: number, period: 'day' | 'week'): number {
  return period === 'day' ? day : Math.floor((day + 3) / 7);
}

/**
 * lifetimes' `summary_data_from_transaction_data`: transactions after `observationEnd` are dropped, purchases in the
 * same period are merged (values summed), and per customer
 *   frequency = (distinct periods) − 1,  recency = (last − first period) / multiplier,
 *   T = (end period − first period) / multiplier,  monetary = mean value of the repeat periods (0 if frequency = 0).
 * Customers are listed in order of first appearance.
 */
export function summaryFromTransactions(transactions: Iterable<Transaction>, options: SummaryOptions): CustomerSummary {
  const period = options.period ?? 'day';
  const multiplier = options.multiplier ?? 1;
  const endPeriod = periodOf(toEpochDay(options.observationEnd), period);
  const idOf = new Map<string, number>();
  const customerIds: string[] = [];
  const cust: number[] = [];
  const per: number[] = [];
  const val: number[] = [];
  for (const t of transactions) {
    const p = periodOf(toEpochDay(t.date), period);
    if (p > endPeriod) continue;
    const key = String(t.customerId);
    let c = idOf.get(key);
    if (c === undefined) {
      c = customerIds.length;
      idOf.set(key, c);
      customerIds.push(key);
    }
    cust.push(c);
    per.push(p);
    val.push(t.value ?? 0);
  }
  const n = customerIds.length;
  // Counting sort by customer, then sort each customer's periods.
  const start = new Uint32Array(n + 1);
  for (const c of cust) start[c + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const order = new Uint32Array(cust.length);
  for (let k = 0; k < cust.length; k++) order[fill[cust[k]!]!++] = k;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const monetaryValue = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const idx = Array.from(order.subarray(start[c], start[c + 1]));
    idx.sort((a, b) => per[a]! - per[b]!);
    const first = per[idx[0]!]!;
    let last = first;
    let periods = 1;
    let repeatSum = 0;
    let current = first;
    let currentSum = 0;
    for (const k of idx) {
      const p = per[k]!;
      if (p !== current) {
        if (current !== first) repeatSum += currentSum;
        current = p;
        currentSum = 0;
        periods++;
        last = p;
      }
      currentSum += val[k]!;
    }
    if (current !== first) repeatSum += currentSum;
    frequency[c] = periods - 1;
    recency[c] = (last - first) / multiplier;
    T[c] = (endPeriod - first) / multiplier;
    monetaryValue[c] = periods > 1 ? repeatSum / (periods - 1) : 0;
  }
  return { customerIds, frequency, recency, T, monetaryValue };
}

/** Distinct (x, t_x, T) rows with their counts, and the row of each customer. */
export interface CollapsedSummary {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  /** Number of customers on the row (used as a likelihood weight). */
  count: Float64Array;
  /** rowOfCustomer[i] = the row of customer i. */
  rowOfCustomer: Uint32Array;
}

const scratch = new Float64Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

function mixBits(h: number, v: number): number {
  scratch[0] = v === 0 ? 0 : v; // −0 and +0 hash alike
  h = Math.imul(h ^ scratchBits[0]!, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ scratchBits[1]!, 0x85ebca77);
  return h ^ (h >>> 13);
}

/** Collapse customers with the same (frequency, recency, T) into one weighted row (open-addressing hash, O(n)). */
export function collapse(summary: RfmColumns): CollapsedSummary {
  const n = summary.frequency.length;
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const x = new Float64Array(n);
  const tx = new Float64Array(n);
  const T = new Float64Array(n);
  const count = new Float64Array(n);
  const rowOfCustomer = new Uint32Array(n);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    const xi = summary.frequency[i]!;
    const ti = summary.recency[i]!;
    const Ti = summary.T[i]!;
    let slot = (mixBits(mixBits(mixBits(0x2545f491, xi), ti), Ti) >>> 0) & mask;
    for (;;) {
      const row = slots[slot]!;
      if (row === -1) {
        slots[slot] = rows;
        x[rows] = xi;
        tx[rows] = ti;
        T[rows] = Ti;
        count[rows] = 1;
        rowOfCustomer[i] = rows;
        rows++;
        break;
      }
      if (x[row] === xi && tx[row] === ti && T[row] === Ti) {
        count[row]!++;
        rowOfCustomer[i] = row;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return {
    x: x.slice(0, rows),
    tx: tx.slice(0, rows),
    T: T.slice(0, rows),
    count: count.slice(0, rows),
    rowOfCustomer,
  };
}

/** Per-customer values from per-row values of a collapsed summary. */
export function expandRows(collapsed: CollapsedSummary, perRow: ArrayLike<number>): Float64Array {
  const out = new Float64Array(collapsed.rowOfCustomer.length);
  for (let i = 0; i < out.length; i++) out[i] = perRow[collapsed.rowOfCustomer[i]!]!;
  return out;
}

/**
 * Distinct values of a column and, for each entry, the index of its value (for per-value lookup tables such as
 * ln(α+T)). When more than `maxShare` of the entries are distinct (continuous times), a table would not save work,
 * so the identity mapping is returned (unique = the values themselves, in order, which keeps lookups sequential).
 */
export function indexDistinct(values: ArrayLike<number>, maxShare = 0.5): { unique: Float64Array; index: Uint32Array } {
  const n = values.length;
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity).fill(-1);
  const unique = new Float64Array(n);
  const index = new Uint32Array(n);
  let count = 0;
  const limit = maxShare * n;
  for (let i = 0; i < n; i++) {
    const v = values[i]! === 0 ? 0 : values[i]!;
    let slot = (mixBits(0x2545f491, v) >>> 0) & mask;
    for (;;) {
      const k = slots[slot]!;
      if (k === -1) {
        slots[slot] = count;
        unique[count] = v;
        index[i] = count++;
        break;
      }
      if (unique[k] === v) {
        index[i] = k;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (count > limit && count > 64) {
      for (let j = 0; j < n; j++) index[j] = j;
      return { unique: Float64Array.from(values), index };
    }
  }
  return { unique: unique.slice(0, count), index };
}

/**
 * Every k-th row of a collapsed summary (k = ⌈rows / maxRows⌉), with its weight: a cheap pilot data set to warm-start
 * a fit on a very large one. `rowOfCustomer` is left empty.
 */
export function subsampleRows(data: CollapsedSummary, maxRows: number): CollapsedSummary {
  const n = data.x.length;
  const step = Math.max(1, Math.ceil(n / maxRows));
  const m = Math.ceil(n / step);
  const pick = <A extends Float64Array>(a: A): Float64Array => {
    const out = new Float64Array(m);
    for (let j = 0; j < m; j++) out[j] = a[j * step]!;
    return out;
  };
  return {
    x: pick(data.x),
    tx: pick(data.tx),
    T: pick(data.T),
    count: pick(data.count),
    rowOfCustomer: new Uint32Array(0),
  };
}

/** Accept either a collapsed summary or plain columns (collapsed here). */
export function asCollapsed(data: CollapsedSummary | RfmColumns): CollapsedSummary {
  return 'rowOfCustomer' in data ? data : collapse(data);
}
