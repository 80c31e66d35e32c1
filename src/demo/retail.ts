import type { Random } from '../shared/random.js';
import {
  atLocalHours,
  clamp,
  costFromMargin,
  extendBase,
  hkMonth,
  pad,
  purchaseSpread,
  staffUser,
  toCents,
  weighted,
  YEAR_MS,
  type AttributeValue,
  type ContactRow,
  type CustomerBase,
  type IndustryPack,
  type PackCustomer,
  type TransactionRow,
  type UserRow,
} from './model.js';
import { mobilePhone, personalEmail, personName, type PersonName } from './names.js';

/**
 * A Hong Kong lifestyle retailer with a loyalty programme: members shop at four stores (Causeway Bay,
 * Mong Kok, Tsim Sha Tsui, Sha Tin) and online (web or app). Each receipt has a basket size in items,
 * an amount in HKD, a main department, the payment method and the member's tier at the time.
 */
type Store = 'Causeway Bay' | 'Mong Kok' | 'Tsim Sha Tsui' | 'Sha Tin' | 'Online';
type Department = 'beauty' | 'fashion' | 'home' | 'electronics' | 'food';

const stores: readonly (readonly [Store, number])[] = [
  ['Causeway Bay', 0.25],
  ['Mong Kok', 0.22],
  ['Tsim Sha Tsui', 0.2],
  ['Sha Tin', 0.18],
  ['Online', 0.15],
];

/** Average price per item (HKD) and gross margin (mean, sd) by department. */
const departments: Record<Department, { itemPrice: number; margin: readonly [number, number] }> = {
  beauty: { itemPrice: 260, margin: [0.46, 0.05] },
  fashion: { itemPrice: 340, margin: [0.52, 0.06] },
  home: { itemPrice: 150, margin: [0.4, 0.06] },
  electronics: { itemPrice: 620, margin: [0.18, 0.05] },
  food: { itemPrice: 85, margin: [0.3, 0.05] },
};
const departmentNames = Object.keys(departments) as Department[];

/** Christmas and Lunar New Year lift basket values. */
const seasonality = [1.15, 1.12, 0.95, 0.95, 1.0, 1.0, 1.02, 1.0, 0.97, 1.0, 1.05, 1.25];

const users: readonly UserRow[] = [
  staffUser('Stephanie Ng', 'manager', 'CRM & Loyalty'),
  staffUser('Alice Chow', 'sales', 'Causeway Bay Store'),
  staffUser('Ben Tam', 'sales', 'Mong Kok Store'),
  staffUser('Fiona Yeung', 'sales', 'Tsim Sha Tsui Store'),
  staffUser('Gary Poon', 'sales', 'Sha Tin Store'),
  staffUser('Natalie Kwan', 'sales', 'E-commerce'),
];
const manager = users[0]!.email;
const storeOwner: Record<Store, string> = {
  'Causeway Bay': users[1]!.email,
  'Mong Kok': users[2]!.email,
  'Tsim Sha Tsui': users[3]!.email,
  'Sha Tin': users[4]!.email,
  Online: users[5]!.email,
};

export interface RetailCustomer extends PackCustomer {
  readonly homeStore: Store;
  readonly onlineShare: number;
  readonly departmentWeights: readonly (readonly [Department, number])[];
  readonly person: PersonName;
  readonly payment: string;
}

/** Tier thresholds on spend in the previous twelve months (HKD). */
const tierFor = (trailing: number): string => (trailing >= 30_000 ? 'gold' : trailing >= 8_000 ? 'silver' : 'classic');

export const retailPack: IndustryPack<RetailCustomer> = {
  industry: 'retail',
  prefix: 'RTL',
  companyShare: 0,
  // ~7 receipts a year for an active member, with many one-visit members and a loyal core.
  process: { r: 0.7, alpha: 0.11, a: 1.1, b: 5.5, q: 2.2, keyShare: 0.003, keySpend: [3, 6], keyRate: 2 },
  users,
  groupOwnerEmail: manager,
  groupContactTitle: 'Corporate Sales Manager',

  describe(rng: Random, base: CustomerBase): RetailCustomer {
    const person = personName(rng);
    const homeStore = weighted(rng, stores);
    const favourite = rng.pick(departmentNames);
    return extendBase(base, {
      nameEn: person.en,
      nameZh: person.zh,
      ownerEmail: base.key ? manager : storeOwner[homeStore],
      homeStore,
      onlineShare: homeStore === 'Online' ? 0.85 : clamp(rng.gamma(1, 0.15), 0, 0.8),
      departmentWeights: departmentNames.map((d) => [d, d === favourite ? 3 : 0.4 + rng.next()] as const),
      person,
      payment: weighted(rng, [
        ['octopus', 0.22],
        ['visa', 0.2],
        ['mastercard', 0.14],
        ['alipayhk', 0.14],
        ['wechat_pay_hk', 0.1],
        ['payme', 0.08],
        ['fps', 0.04],
        ['cash', 0.08],
      ] as const),
    });
  },

  contacts(rng: Random, customer: RetailCustomer): ContactRow[] {
    return [
      {
        accountCode: customer.code,
        name: customer.person.short,
        title: null,
        email: rng.chance(0.7) ? personalEmail(rng, customer.person) : null,
        phone: rng.chance(0.93) ? mobilePhone(rng) : null,
        createdAt: customer.createdAt,
      },
    ];
  },

  *transactions(rng: Random, customer: RetailCustomer, times: readonly number[], context): Generator<TransactionRow> {
    // Spend over the trailing twelve months decides the tier printed on each receipt.
    const history: { at: number; amount: number }[] = [];
    let oldest = 0;
    let trailing = 0;
    const occurred = times
      .map((t, i) => {
        const online = i === 0 ? customer.homeStore === 'Online' : rng.chance(customer.onlineShare);
        return online
          ? { t: atLocalHours(rng, t, 0, 24, context.asOf), online }
          : { t: atLocalHours(rng, t, 11, 22, context.asOf), online };
      })
      .sort((a, b) => a.t - b.t);
    let seq = 0;
    for (const { t: at, online } of occurred) {
      seq += 1;
      const store: Store = online
        ? 'Online'
        : rng.chance(0.75) && customer.homeStore !== 'Online'
          ? customer.homeStore
          : weighted(rng, stores.slice(0, 4));
      const channel = online ? (rng.chance(0.6) ? 'app' : 'online') : 'store';
      const department = weighted(rng, customer.departmentWeights);
      const economics = departments[department];
      const spread = purchaseSpread(rng, 2.5);
      const items = Math.min(40, 1 + rng.poisson(1.4 * Math.sqrt(customer.spend * spread)));
      const season = seasonality[hkMonth(at)] ?? 1;
      const promotion = rng.chance(0.25);
      const amount = items * economics.itemPrice * Math.sqrt(customer.spend) * spread * season * (promotion ? 0.85 : 1);
      const amountCents = toCents(Math.max(19.9, Math.round(amount * 10) / 10));
      while (oldest < history.length && at - history[oldest]!.at >= YEAR_MS) {
        trailing -= history[oldest]!.amount;
        oldest += 1;
      }
      const tier = tierFor(trailing);
      history.push({ at, amount: amountCents / 100 });
      trailing += amountCents / 100;
      const margin = economics.margin[0] + economics.margin[1] * rng.normal() - (promotion ? 0.08 : 0);
      const attributes: Record<string, AttributeValue> = {
        store,
        department,
        payment: online
          ? rng.pick(['visa', 'mastercard', 'alipayhk', 'payme'] as const)
          : rng.chance(0.7)
            ? customer.payment
            : rng.pick(['octopus', 'visa', 'cash'] as const),
        promotion,
        member_tier: tier,
      };
      yield {
        externalId: `RTL-RCP-${pad(customer.index, 6)}-${pad(seq, 4)}`,
        accountCode: customer.code,
        occurredAt: at,
        amountCents,
        currency: 'HKD',
        quantityMilli: items * 1000,
        unit: 'items',
        productLine: department,
        channel,
        costCents: costFromMargin(amountCents, margin),
        attributes,
      };
    }
  },
};
