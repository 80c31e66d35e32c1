import { createRandom } from '../shared/random.js';
import { automotivePack } from './automotive.js';
import { freightPack } from './freight.js';
import {
  beta,
  DAY_MS,
  HISTORY_YEARS,
  YEAR_MS,
  hashUnit,
  hkDayStart,
  pad,
  purchaseTimes,
  streamSeed,
  type AccountRow,
  type ContactRow,
  type CustomerBase,
  type DemoContext,
  type DemoIndustry,
  type GroupPlan,
  type IndustryPack,
  type PackCustomer,
  type TransactionRow,
  type UserRow,
} from './model.js';
import { brand, groupHeadName, personName, officePhone, type Brand } from './names.js';
import { retailPack } from './retail.js';

/**
 * The demo data set as a pure function of (industry, customers, seed, as-of). Customer i's profile,
 * contacts and transactions come from their own random sub-streams, so any range of customers can be
 * generated on its own, in any order, any number of times, and always gives the same rows.
 */
export const packs: Record<DemoIndustry, IndustryPack> = {
  freight: freightPack,
  automotive: automotivePack,
  retail: retailPack,
};

export interface DemoSpec {
  readonly industry: DemoIndustry;
  readonly customers: number;
  readonly seed: number;
  readonly asOf: Date;
}

export interface DemoGenerator {
  readonly context: DemoContext;
  readonly pack: IndustryPack;
  readonly users: readonly UserRow[];
  readonly groups: readonly GroupPlan[];
  /** Group heads: company accounts with no parent and no transactions; load them first. */
  groupHeads(): AccountRow[];
  groupHeadContacts(): ContactRow[];
  customer(index: number): PackCustomer;
  /** Customers with index in [from, to) (1-based). */
  accounts(from: number, to: number): Generator<AccountRow>;
  contacts(from: number, to: number): Generator<ContactRow>;
  transactions(from: number, to: number): Generator<TransactionRow>;
}

const STREAM_KIND = 1;
const STREAM_PROFILE = 2;
const STREAM_CONTACTS = 3;
const STREAM_TRANSACTIONS = 4;
const STREAM_GROUPS = 5;

/** Share of company accounts that belong to a group (2–5 % in practice). */
export const GROUP_MEMBER_SHARE = 0.04;

export function createDemoGenerator(spec: DemoSpec): DemoGenerator {
  const asOf = spec.asOf.getTime();
  if (!Number.isFinite(asOf)) throw new RangeError('as-of date is invalid');
  if (!Number.isSafeInteger(spec.customers) || spec.customers < 0)
    throw new RangeError('customers must be a whole number');
  if (!Number.isSafeInteger(spec.seed)) throw new RangeError('seed must be a whole number');
  const pack = packs[spec.industry];
  const context: DemoContext = {
    industry: spec.industry,
    seed: spec.seed,
    customers: spec.customers,
    asOf,
    start: asOf - HISTORY_YEARS * YEAR_MS,
  };

  const isCompany = (index: number): boolean =>
    pack.companyShare >= 1 || hashUnit(streamSeed(context, index, STREAM_KIND)) < pack.companyShare;
  const { groupOf, groups } = planGroups(context, pack, isCompany);
  const groupHeadsCreated = groups.map((group) => {
    const rng = createRandom(streamSeed(context, -group.number, STREAM_GROUPS));
    return context.start - rng.int(30, 720) * DAY_MS;
  });

  const customer = (index: number): PackCustomer => {
    const rng = createRandom(streamSeed(context, index, STREAM_PROFILE));
    const process = pack.process;
    const span = context.asOf - context.start;
    // Acquisitions grow over time (density ∝ t^0.33), so later cohorts are larger.
    const acquiredAt = context.start + Math.floor(span * Math.pow(rng.next(), 0.75));
    // Opened before the first purchase's (local) day, so no purchase precedes its account.
    const createdAt = hkDayStart(acquiredAt) - rng.int(0, 20) * DAY_MS - rng.int(1, 86_399) * 1000;
    let rate = rng.gamma(process.r, 1 / process.alpha);
    let dropout = beta(rng, process.a, process.b);
    let spend = rng.gamma(process.q, 1 / process.q);
    const key = rng.chance(process.keyShare);
    const keyBoost = process.keySpend[0] + rng.next() * (process.keySpend[1] - process.keySpend[0]);
    const groupBoost = 1.5 + rng.gamma(2, 0.5);
    if (key) {
      spend *= keyBoost;
      rate = rate * process.keyRate + 2;
      dropout *= 0.3;
    }
    const groupNumber = groupOf[index] ?? 0;
    const group = groupNumber > 0 ? (groups[groupNumber - 1] ?? null) : null;
    if (group) {
      spend *= groupBoost;
      rate *= 1.5;
      dropout *= 0.5;
    }
    const base: CustomerBase = {
      index,
      code: `${pack.prefix}-${pad(index, 6)}`,
      kind: isCompany(index) ? 'company' : 'person',
      group,
      acquiredAt,
      createdAt,
      rate,
      dropout,
      spend,
      key,
    };
    return pack.describe(rng, base, context);
  };

  const checkRange = (from: number, to: number): void => {
    if (from < 1 || to > spec.customers + 1 || from > to)
      throw new RangeError(`customer range [${from}, ${to}) is out of bounds`);
  };

  return {
    context,
    pack,
    users: pack.users,
    groups,
    groupHeads: () =>
      groups.map((group, i) => {
        const name = groupHeadName(group.brand, group.number);
        return {
          code: group.code,
          nameEn: name.en,
          nameZh: name.zh,
          kind: 'company',
          industry: context.industry,
          parentCode: null,
          ownerEmail: pack.groupOwnerEmail,
          createdAt: groupHeadsCreated[i] ?? context.start,
        };
      }),
    groupHeadContacts: () =>
      groups.map((group, i) => {
        const rng = createRandom(streamSeed(context, -group.number, STREAM_CONTACTS));
        const person = personName(rng);
        return {
          accountCode: group.code,
          name: person.short,
          title: pack.groupContactTitle,
          email: `${person.localPart}@${group.brand.slug}.example`,
          phone: officePhone(rng),
          createdAt: groupHeadsCreated[i] ?? context.start,
        };
      }),
    customer,
    *accounts(from, to) {
      checkRange(from, to);
      for (let index = from; index < to; index += 1) {
        const c = customer(index);
        yield {
          code: c.code,
          nameEn: c.nameEn,
          nameZh: c.nameZh,
          kind: c.kind,
          industry: context.industry,
          parentCode: c.group?.code ?? null,
          ownerEmail: c.ownerEmail,
          createdAt: c.createdAt,
        };
      }
    },
    *contacts(from, to) {
      checkRange(from, to);
      for (let index = from; index < to; index += 1) {
        yield* pack.contacts(createRandom(streamSeed(context, index, STREAM_CONTACTS)), customer(index), context);
      }
    },
    *transactions(from, to) {
      checkRange(from, to);
      for (let index = from; index < to; index += 1) {
        const c = customer(index);
        const rng = createRandom(streamSeed(context, index, STREAM_TRANSACTIONS));
        const times = purchaseTimes(rng, c.rate, c.dropout, c.acquiredAt, context.asOf);
        yield* pack.transactions(rng, c, times, context);
      }
    },
  };
}

/**
 * Picks ~4 % of the company accounts and partitions them into groups of 2–12 members (most small, a few
 * large), each under a group head with its own brand: "Pacific Star Group Limited" and its regional
 * subsidiaries "Pacific Star Electronics (Shenzhen) Co., Ltd.", … Returns groupOf[customer index] = group
 * number (1-based; 0 = no group).
 */
function planGroups(
  context: DemoContext,
  pack: IndustryPack,
  isCompany: (index: number) => boolean,
): { groupOf: Int32Array; groups: GroupPlan[] } {
  const groupOf = new Int32Array(context.customers + 1);
  const companies: number[] = [];
  for (let index = 1; index <= context.customers; index += 1) if (isCompany(index)) companies.push(index);
  if (companies.length < 10) return { groupOf, groups: [] };
  const rng = createRandom(streamSeed(context, 0, STREAM_GROUPS));
  const members = Math.max(2, Math.round(companies.length * GROUP_MEMBER_SHARE));
  // Partial Fisher–Yates: the first `members` entries become a random sample without replacement.
  for (let i = 0; i < members; i += 1) {
    const j = i + Math.floor(rng.next() * (companies.length - i));
    const swap = companies[i]!;
    companies[i] = companies[j]!;
    companies[j] = swap;
  }
  const sample = companies.slice(0, members);
  const groups: GroupPlan[] = [];
  const usedBrands = new Set<string>();
  const newBrand = (): Brand => {
    let candidate = brand(rng);
    for (let tries = 0; tries < 30 && usedBrands.has(candidate.en); tries += 1) candidate = brand(rng);
    usedBrands.add(candidate.en);
    return candidate;
  };
  let position = 0;
  while (position < sample.length) {
    let size = rng.chance(0.12) ? rng.int(6, 12) : 2 + Math.min(4, rng.poisson(1.2));
    if (sample.length - position - size === 1) size += 1; // never leave a group of one
    size = Math.min(size, sample.length - position);
    if (size < 2 && groups.length > 0) {
      // a lone leftover joins the previous group
      for (const index of sample.slice(position)) groupOf[index] = groups.length;
      break;
    }
    const number = groups.length + 1;
    groups.push({ number, code: `${pack.prefix}-GRP-${pad(number, 4)}`, brand: newBrand() });
    for (const index of sample.slice(position, position + size)) groupOf[index] = number;
    position += size;
  }
  return { groupOf, groups };
}
