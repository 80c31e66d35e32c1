import type { Random } from '../shared/random.js';
import { personName, type Brand, type PersonName } from './names.js';

/**
 * The shared vocabulary of the demo generators: the rows they yield (plain values, no database ids —
 * rows refer to each other by account code), the per-customer buying process, and small helpers for
 * money, time and seeded sub-streams. Everything here is pure.
 */
export type DemoIndustry = 'freight' | 'automotive' | 'retail';

export interface UserRow {
  readonly email: string;
  readonly displayName: string;
  readonly role: 'sales' | 'manager';
  readonly team: string;
}

/** The packs' staff all have addresses on the demo domain, first.last from their display name. */
const STAFF_DOMAIN = 'demo.rapport.hk';

export const staffUser = (displayName: string, role: UserRow['role'], team: string): UserRow => ({
  email: `${displayName.toLowerCase().replaceAll(' ', '.')}@${STAFF_DOMAIN}`,
  displayName,
  role,
  team,
});

export interface AccountRow {
  readonly code: string;
  readonly nameEn: string;
  readonly nameZh: string | null;
  readonly kind: 'company' | 'person';
  readonly industry: DemoIndustry;
  readonly parentCode: string | null;
  readonly ownerEmail: string | null;
  /** Epoch milliseconds (UTC). */
  readonly createdAt: number;
}

export interface ContactRow {
  readonly accountCode: string;
  readonly name: string;
  readonly title: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly createdAt: number;
}

export type AttributeValue = string | number | boolean | null;

export interface TransactionRow {
  readonly externalId: string;
  readonly accountCode: string;
  /** Epoch milliseconds (UTC). */
  readonly occurredAt: number;
  /** Integer minor units (cents), so that the text form is always exact. */
  readonly amountCents: number;
  readonly currency: 'HKD' | 'USD';
  /** Integer thousandths of the unit (numeric(18,3)), or null. */
  readonly quantityMilli: number | null;
  readonly unit: string | null;
  readonly productLine: string;
  readonly channel: string | null;
  readonly costCents: number | null;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** A group a few company accounts belong to; its head is an account of its own (no transactions). */
export interface GroupPlan {
  readonly number: number;
  readonly code: string;
  readonly brand: Brand;
}

/** What every industry pack knows about a customer before it adds its own details. */
export interface CustomerBase {
  /** 1-based position, the stable part of the account code. */
  readonly index: number;
  readonly code: string;
  readonly kind: 'company' | 'person';
  readonly group: GroupPlan | null;
  /** First purchase (epoch ms). */
  readonly acquiredAt: number;
  /** When the account was opened: a few days before the first purchase. */
  readonly createdAt: number;
  /** Purchases per year while the customer is active (BG/NBD λ ~ Gamma(r, α)). */
  readonly rate: number;
  /** Chance of dropping out after each repeat purchase (BG/NBD p ~ Beta(a, b)). */
  readonly dropout: number;
  /** Customer-level spend multiplier, mean 1 (the Gamma–Gamma customer mean). */
  readonly spend: number;
  /** A key account: one of the few very large customers. */
  readonly key: boolean;
}

/**
 * A customer built from its base and a pack's own fields. The base fields are copied one by one: object
 * spread (`{ ...base, … }`) measured several times slower here, and this runs for every customer.
 */
export function extendBase<T extends object>(base: CustomerBase, extra: T): CustomerBase & T {
  return Object.assign(
    {
      index: base.index,
      code: base.code,
      kind: base.kind,
      group: base.group,
      acquiredAt: base.acquiredAt,
      createdAt: base.createdAt,
      rate: base.rate,
      dropout: base.dropout,
      spend: base.spend,
      key: base.key,
    },
    extra,
  );
}

/** An industry pack's customer: the base plus names, owner and whatever the pack needs later. */
export interface PackCustomer extends CustomerBase {
  readonly nameEn: string;
  readonly nameZh: string | null;
  readonly ownerEmail: string | null;
}

export interface DemoContext {
  readonly industry: DemoIndustry;
  readonly seed: number;
  readonly customers: number;
  /** Epoch ms of the as-of date: nothing happens after it. */
  readonly asOf: number;
  /** Epoch ms of the start of the history (three years before as-of). */
  readonly start: number;
}

/** Parameters of the buying process of one industry (per year). */
export interface ProcessParams {
  /** λ ~ Gamma(shape r, rate α): purchases per year while active. */
  readonly r: number;
  readonly alpha: number;
  /** p ~ Beta(a, b): dropout chance after each repeat purchase. */
  readonly a: number;
  readonly b: number;
  /** Customer spend multiplier ~ Gamma(q, 1/q) (mean 1; a small q gives a long tail). */
  readonly q: number;
  /** Share of key accounts and how much bigger they are. */
  readonly keyShare: number;
  readonly keySpend: readonly [number, number];
  readonly keyRate: number;
}

export interface IndustryPack<C extends PackCustomer = PackCustomer> {
  readonly industry: DemoIndustry;
  /** Code prefix: FRT, AUT, RTL. */
  readonly prefix: string;
  /** Share of customers that are companies (the rest are persons). */
  readonly companyShare: number;
  readonly process: ProcessParams;
  readonly users: readonly UserRow[];
  /** Email of the user who owns group heads, and the title of a group head's contact. */
  readonly groupOwnerEmail: string;
  readonly groupContactTitle: string;
  describe(rng: Random, base: CustomerBase, context: DemoContext): C;
  contacts(rng: Random, customer: C, context: DemoContext): ContactRow[];
  transactions(rng: Random, customer: C, times: readonly number[], context: DemoContext): Iterable<TransactionRow>;
}

export const DAY_MS = 86_400_000;
export const YEAR_MS = 365.25 * DAY_MS;
export const HISTORY_YEARS = 3;
const HK_OFFSET_MS = 8 * 3_600_000;

/** 32-bit integer mixing (murmur3 finaliser over a pair), for independent per-customer random streams. */
export function mix(a: number, b: number): number {
  let h = Math.imul((a ^ 0x9e3779b9) >>> 0, 0x85ebca6b) ^ (b >>> 0);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const industryCode: Record<DemoIndustry, number> = { freight: 0x46525400, automotive: 0x41555400, retail: 0x52544c00 };

/** Seed of one random sub-stream: a pure function of (seed, industry, customer index, stream). */
export function streamSeed(context: Pick<DemoContext, 'seed' | 'industry'>, index: number, stream: number): number {
  const seed = context.seed;
  const high = Math.floor(seed / 4_294_967_296) >>> 0;
  return mix(mix(mix(mix(seed >>> 0, high), industryCode[context.industry]), index), stream);
}

/** Uniform [0, 1) from a hash, for the cheap pre-pass that decides who is a company. */
export const hashUnit = (seed: number): number => mix(seed, 0x2545f491) / 4_294_967_296;

export function beta(rng: Random, a: number, b: number): number {
  const x = rng.gamma(a, 1);
  const y = rng.gamma(b, 1);
  return x / (x + y);
}

/**
 * BG/NBD purchase times: the first purchase at `from`, then a Poisson process with `rate` per year;
 * after each repeat purchase the customer drops out with probability `dropout`. Censored at `to`.
 */
export function purchaseTimes(
  rng: Random,
  rate: number,
  dropout: number,
  from: number,
  to: number,
  max = 1_500,
): number[] {
  const times = [from];
  let t = from;
  while (times.length < max) {
    t += Math.floor(rng.exponential(Math.max(rate, 1e-6)) * YEAR_MS);
    if (t > to) break;
    times.push(t);
    if (rng.chance(dropout)) break;
  }
  return times;
}

/** Hong Kong local midnight (as epoch ms) of the day containing t. */
export const hkDayStart = (t: number): number => Math.floor((t + HK_OFFSET_MS) / DAY_MS) * DAY_MS - HK_OFFSET_MS;

/** Day of the week in Hong Kong: 0 = Sunday … 6 = Saturday. */
export const hkWeekday = (t: number): number => (Math.floor((t + HK_OFFSET_MS) / DAY_MS) + 4) % 7;

/** Month (0–11) in Hong Kong time. */
export const hkMonth = (t: number): number => new Date(t + HK_OFFSET_MS).getUTCMonth();

/**
 * Moves an event to a plausible local time on its day: between `openHour` and `closeHour` (HKT), and off
 * Sundays (and Saturdays too unless `saturdays`) when `weekdaysOnly`. Never later than `notAfter`.
 */
export function atLocalHours(
  rng: Random,
  t: number,
  openHour: number,
  closeHour: number,
  notAfter: number,
  weekdaysOnly = false,
  saturdays = true,
): number {
  let day = hkDayStart(t);
  if (weekdaysOnly) {
    const weekday = hkWeekday(t);
    if (weekday === 0) day += DAY_MS;
    else if (weekday === 6 && !saturdays) day += 2 * DAY_MS;
  }
  const minutes = openHour * 60 + Math.floor(rng.next() * (closeHour - openHour) * 60);
  return Math.min(day + minutes * 60_000, notAfter);
}

/** Rounds a currency amount to cents. */
export const toCents = (amount: number): number => Math.round(amount * 100);

/** Cost in cents from revenue in cents and a gross margin (0.15 = 15 %). */
export const costFromMargin = (amountCents: number, margin: number): number => Math.round(amountCents * (1 - margin));

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Picks from weighted entries; weights need not sum to 1. */
export function weighted<T>(rng: Random, entries: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, weight] of entries) total += weight;
  let u = rng.next() * total;
  for (const [item, weight] of entries) {
    u -= weight;
    if (u < 0) return item;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error('weighted pick from an empty list');
  return last[0];
}

export const clamp = (x: number, low: number, high: number): number => Math.min(high, Math.max(low, x));

/** Spread of one purchase around the customer's mean (the Gamma–Gamma transaction level), mean 1. */
export const purchaseSpread = (rng: Random, shape: number): number => rng.gamma(shape, 1 / shape);

/** A normally distributed figure given as [mean, sd] (margins by mode, department…). */
export const normalAround = (rng: Random, [mean, sd]: readonly [number, number]): number => mean + sd * rng.normal();

/**
 * A company customer's contacts: `count` people with their own names, the rest (title, e-mail, phone) as the
 * pack draws it. The draws happen in this order for each person (name, then the pack's), so a pack's rows
 * stay the same for a seed.
 */
export function companyContacts(
  rng: Random,
  customer: Pick<CustomerBase, 'code' | 'createdAt'>,
  count: number,
  details: (person: PersonName) => Pick<ContactRow, 'title' | 'email' | 'phone'>,
): ContactRow[] {
  const rows: ContactRow[] = [];
  for (let i = 0; i < count; i += 1) {
    const person = personName(rng);
    rows.push({ accountCode: customer.code, name: person.short, ...details(person), createdAt: customer.createdAt });
  }
  return rows;
}
