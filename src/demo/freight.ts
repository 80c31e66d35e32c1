import type { Random } from '../shared/random.js';
import {
  atLocalHours,
  clamp,
  companyContacts,
  costFromMargin,
  extendBase,
  hkMonth,
  normalAround,
  pad,
  purchaseSpread,
  staffUser,
  toCents,
  weighted,
  type AttributeValue,
  type ContactRow,
  type CustomerBase,
  type IndustryPack,
  type PackCustomer,
  type TransactionRow,
  type UserRow,
} from './model.js';
import {
  companyName,
  freightConsigneeLines,
  freightShipperLines,
  mobilePhone,
  officePhone,
  subsidiaryName,
  type BusinessLine,
} from './names.js';

/**
 * A Hong Kong freight forwarder's book: shippers in Hong Kong and South China exporting to the US,
 * Europe, Asia and beyond, and some consignees importing into Hong Kong. Shipments by mode (sea FCL in
 * TEU, sea LCL in cbm or kg by W/M, air and express in chargeable kg), with lane, incoterm, carrier and
 * container type in `attributes`; margins differ by mode (FCL thin, LCL and express fat).
 */
export type FreightMode = 'sea_fcl' | 'sea_lcl' | 'air' | 'express';
type Region = 'us_west' | 'us_east' | 'europe' | 'asia' | 'oceania' | 'middle_east';

export const HKD_PER_USD = 7.8;
const users: readonly UserRow[] = [
  staffUser('Connie Lau', 'manager', 'Sales Management'),
  staffUser('Kelvin Wong', 'sales', 'Sea Freight'),
  staffUser('Joanne Cheung', 'sales', 'Sea Freight'),
  staffUser('Raymond Ho', 'sales', 'Air Freight'),
  staffUser('Winnie Tsang', 'sales', 'Air & Express'),
  staffUser('Eric Leung', 'sales', 'South China Desk'),
];
const manager = users[0]!.email;
const seaTeam = [users[1]!.email, users[2]!.email] as const;
const airTeam = [users[3]!.email, users[4]!.email] as const;
const chinaDesk = users[5]!.email;

interface Place {
  readonly code: string;
  readonly region: Region;
  /** Sea FCL ocean freight, USD per TEU. */
  readonly fclUsdPerTeu: number;
  /** Sea LCL, HKD per W/M (cbm or tonne). */
  readonly lclHkdPerWm: number;
  /** Air, HKD per chargeable kg (all-in). */
  readonly airHkdPerKg: number;
  readonly seaDays: number;
  readonly airDays: number;
}

const place = (
  code: string,
  region: Region,
  fcl: number,
  lcl: number,
  air: number,
  seaDays: number,
  airDays: number,
): Place => ({ code, region, fclUsdPerTeu: fcl, lclHkdPerWm: lcl, airHkdPerKg: air, seaDays, airDays });

const seaDestinations: readonly (readonly [Place, number])[] = [
  [place('LAX', 'us_west', 1900, 620, 38, 17, 2), 10],
  [place('LGB', 'us_west', 1900, 620, 38, 17, 2), 6],
  [place('OAK', 'us_west', 2000, 650, 38, 19, 2), 2],
  [place('SEA', 'us_west', 2100, 680, 40, 16, 2), 2],
  [place('NYC', 'us_east', 2900, 820, 42, 32, 2), 5],
  [place('SAV', 'us_east', 2800, 800, 42, 30, 3), 2],
  [place('RTM', 'europe', 1700, 560, 32, 29, 2), 8],
  [place('HAM', 'europe', 1750, 570, 32, 31, 2), 6],
  [place('FXT', 'europe', 1800, 590, 33, 30, 2), 4],
  [place('ANR', 'europe', 1700, 560, 32, 30, 2), 2],
  [place('TYO', 'asia', 450, 260, 14, 5, 1), 4],
  [place('SIN', 'asia', 350, 220, 11, 5, 1), 3],
  [place('PKG', 'asia', 380, 240, 12, 6, 1), 2],
  [place('SGN', 'asia', 300, 230, 12, 4, 1), 2],
  [place('SYD', 'oceania', 1100, 450, 24, 15, 1), 3],
  [place('MEL', 'oceania', 1150, 460, 25, 17, 1), 2],
  [place('JEA', 'middle_east', 1300, 480, 22, 18, 1), 2],
];

const airDestinations: readonly (readonly [Place, number])[] = [
  [place('LAX', 'us_west', 0, 0, 38, 0, 2), 8],
  [place('JFK', 'us_east', 0, 0, 42, 0, 2), 6],
  [place('ORD', 'us_east', 0, 0, 40, 0, 2), 4],
  [place('FRA', 'europe', 0, 0, 32, 0, 2), 6],
  [place('LHR', 'europe', 0, 0, 33, 0, 2), 5],
  [place('AMS', 'europe', 0, 0, 32, 0, 2), 4],
  [place('CDG', 'europe', 0, 0, 33, 0, 2), 3],
  [place('NRT', 'asia', 0, 0, 14, 0, 1), 6],
  [place('SIN', 'asia', 0, 0, 11, 0, 1), 4],
  [place('SYD', 'oceania', 0, 0, 24, 0, 1), 3],
  [place('DXB', 'middle_east', 0, 0, 22, 0, 1), 2],
];

/** Import lanes into Hong Kong for consignee customers (back-haul rates are lower). */
const seaImportOrigins: readonly (readonly [Place, number])[] = [
  [place('SHA', 'asia', 260, 210, 0, 3, 0), 6],
  [place('NGB', 'asia', 260, 210, 0, 3, 0), 4],
  [place('TYO', 'asia', 380, 250, 0, 5, 0), 4],
  [place('RTM', 'europe', 900, 480, 0, 30, 0), 3],
  [place('HAM', 'europe', 950, 490, 0, 32, 0), 2],
  [place('LAX', 'us_west', 800, 450, 0, 18, 0), 2],
];
const airImportOrigins: readonly (readonly [Place, number])[] = [
  [place('NRT', 'asia', 0, 0, 12, 0, 1), 5],
  [place('FRA', 'europe', 0, 0, 24, 0, 2), 4],
  [place('CDG', 'europe', 0, 0, 25, 0, 2), 3],
  [place('LAX', 'us_west', 0, 0, 26, 0, 2), 2],
  [place('SYD', 'oceania', 0, 0, 18, 0, 1), 2],
];

const seaOrigins: readonly (readonly [string, number])[] = [
  ['HKG', 35],
  ['YTN', 35],
  ['SZX', 20],
  ['NSA', 10],
];

const expressHkdPerKg: Record<Region, number> = {
  us_west: 125,
  us_east: 130,
  europe: 115,
  asia: 62,
  oceania: 95,
  middle_east: 105,
};

const seaCarriers = [
  'OOCL',
  'COSCO',
  'Maersk',
  'MSC',
  'CMA CGM',
  'Hapag-Lloyd',
  'ONE',
  'Evergreen',
  'Yang Ming',
  'HMM',
];
const airCarriers = [
  'Cathay Cargo',
  'Air Hong Kong',
  'Lufthansa Cargo',
  'Emirates SkyCargo',
  'Qatar Airways Cargo',
  'Korean Air Cargo',
];
const couriers = ['DHL Express', 'FedEx', 'UPS', 'SF Express'];

const containerTypes: readonly (readonly [{ type: string; teu: number }, number])[] = [
  [{ type: '20GP', teu: 1 }, 30],
  [{ type: '40GP', teu: 2 }, 15],
  [{ type: '40HQ', teu: 2 }, 50],
  [{ type: '45HQ', teu: 2.25 }, 3],
  [{ type: '40RF', teu: 2 }, 2],
];

/** Gross margin by mode: mean and spread (normal). FCL is a thin, competitive business; LCL and express pay. */
const marginByMode: Record<FreightMode, readonly [number, number]> = {
  sea_fcl: [0.09, 0.05],
  sea_lcl: [0.24, 0.07],
  air: [0.15, 0.06],
  express: [0.31, 0.08],
};

/** Seasonal rate level by month (Hong Kong time): the Q3 peak season, the post-Lunar-New-Year lull. */
const seasonality = [1.0, 0.9, 0.95, 0.97, 1.0, 1.05, 1.12, 1.18, 1.18, 1.12, 1.08, 1.05];

export interface FreightCustomer extends PackCustomer {
  readonly role: 'shipper' | 'consignee';
  readonly line: BusinessLine;
  readonly domain: string;
  readonly billsInUsd: boolean;
  readonly modeWeights: readonly (readonly [FreightMode, number])[];
  readonly seaLanes: readonly Place[];
  readonly airLanes: readonly Place[];
  readonly origin: string;
  readonly nominatedShare: number;
}

function modeWeightsFor(rng: Random, spend: number): (readonly [FreightMode, number])[] {
  // Bigger shippers move full containers; small ones consolidate, fly or courier.
  const profile = weighted(rng, [
    ['fcl', clamp(0.15 + 0.3 * spend, 0.1, 0.85)],
    ['lcl', 0.35],
    ['air', 0.3],
    ['express', clamp(0.35 - 0.15 * spend, 0.03, 0.3)],
  ] as const);
  switch (profile) {
    case 'fcl':
      return [
        ['sea_fcl', 0.72],
        ['sea_lcl', 0.08],
        ['air', 0.15],
        ['express', 0.05],
      ];
    case 'lcl':
      return [
        ['sea_fcl', 0.08],
        ['sea_lcl', 0.62],
        ['air', 0.18],
        ['express', 0.12],
      ];
    case 'air':
      return [
        ['sea_fcl', 0.05],
        ['sea_lcl', 0.1],
        ['air', 0.7],
        ['express', 0.15],
      ];
    default:
      return [
        ['sea_fcl', 0],
        ['sea_lcl', 0.05],
        ['air', 0.2],
        ['express', 0.75],
      ];
  }
}

function pickLanes(rng: Random, options: readonly (readonly [Place, number])[]): Place[] {
  const count = 1 + Math.min(3, rng.poisson(0.8));
  const lanes: Place[] = [];
  for (let i = 0; i < count; i += 1) lanes.push(weighted(rng, options));
  return lanes;
}

const shipperTitles = [
  'Shipping Manager',
  'Logistics Executive',
  'Merchandiser',
  'Director',
  'Accounts Payable Officer',
];
const consigneeTitles = ['Purchasing Manager', 'Import Coordinator', 'Operations Manager', 'Director'];

export const freightPack: IndustryPack<FreightCustomer> = {
  industry: 'freight',
  prefix: 'FRT',
  companyShare: 1,
  // ~10 shipments per customer over three years on average, from one-off shippers to weekly ones.
  process: { r: 0.4, alpha: 0.025, a: 0.7, b: 8, q: 0.75, keyShare: 0.005, keySpend: [5, 15], keyRate: 3 },
  users,
  groupOwnerEmail: manager,
  groupContactTitle: 'Group Logistics Director',

  describe(rng: Random, base: CustomerBase): FreightCustomer {
    const role = rng.chance(0.82) ? 'shipper' : 'consignee';
    const line = rng.pick(role === 'shipper' ? freightShipperLines : freightConsigneeLines);
    const name = base.group ? subsidiaryName(rng, line, base.group.brand) : companyName(rng, line);
    const modeWeights = modeWeightsFor(rng, base.spend);
    const seaHeavy = (modeWeights[0]?.[1] ?? 0) + (modeWeights[1]?.[1] ?? 0) >= 0.5;
    const origin = weighted(rng, seaOrigins);
    const ownerEmail = base.key
      ? manager
      : origin !== 'HKG' && role === 'shipper' && rng.chance(0.5)
        ? chinaDesk
        : rng.pick(seaHeavy ? seaTeam : airTeam);
    return extendBase(base, {
      nameEn: name.en,
      nameZh: name.zh,
      ownerEmail,
      role,
      line,
      domain: name.domain,
      billsInUsd: rng.chance(role === 'shipper' ? 0.3 : 0.1),
      modeWeights,
      seaLanes: pickLanes(rng, role === 'shipper' ? seaDestinations : seaImportOrigins),
      airLanes: pickLanes(rng, role === 'shipper' ? airDestinations : airImportOrigins),
      origin,
      nominatedShare: role === 'shipper' ? 0.2 + 0.5 * rng.next() : 0.1,
    });
  },

  contacts(rng: Random, customer: FreightCustomer): ContactRow[] {
    const count = rng.chance(0.45) ? 2 : 1;
    const titles = customer.role === 'shipper' ? shipperTitles : consigneeTitles;
    return companyContacts(rng, customer, count, (person) => ({
      title: rng.pick(titles),
      email: rng.chance(0.92) ? `${person.localPart}@${customer.domain}` : null,
      phone: rng.chance(0.6) ? officePhone(rng) : mobilePhone(rng),
    }));
  },

  *transactions(rng: Random, customer: FreightCustomer, times: readonly number[], context): Generator<TransactionRow> {
    const occurred = times.map((t) => atLocalHours(rng, t, 9, 19, context.asOf, true, false)).sort((a, b) => a - b);
    let seq = 0;
    for (const at of occurred) {
      seq += 1;
      const mode = weighted(rng, customer.modeWeights);
      const spread = purchaseSpread(rng, 3);
      const size = customer.spend * spread;
      const season = seasonality[hkMonth(at)] ?? 1;
      const exporting = customer.role === 'shipper';
      const incoterm = exporting
        ? rng.chance(customer.nominatedShare)
          ? weighted(rng, [
              ['FOB', 0.8],
              ['EXW', 0.1],
              ['FCA', 0.1],
            ] as const)
          : weighted(rng, [
              ['CIF', 0.35],
              ['CFR', 0.25],
              ['DAP', 0.25],
              ['DDP', 0.15],
            ] as const)
        : weighted(rng, [
            ['FOB', 0.6],
            ['EXW', 0.25],
            ['FCA', 0.15],
          ] as const);
      // Under FOB/EXW/FCA the overseas buyer's agent nominates the forwarder; otherwise the shipper chose us.
      const channel =
        exporting && (incoterm === 'FOB' || incoterm === 'EXW' || incoterm === 'FCA') ? 'nominated' : 'freehand';
      const attributes: Record<string, AttributeValue> = {};
      let amountHkd: number;
      let quantity: number;
      let unit: 'TEU' | 'kg' | 'cbm';

      if (mode === 'sea_fcl' || mode === 'sea_lcl') {
        const far = rng.chance(0.85)
          ? rng.pick(customer.seaLanes)
          : weighted(rng, exporting ? seaDestinations : seaImportOrigins);
        const origin = exporting ? customer.origin : far.code;
        const destination = exporting ? far.code : 'HKG';
        attributes.lane = `${origin}-${destination}`;
        attributes.origin = origin;
        attributes.destination = destination;
        attributes.carrier = rng.pick(seaCarriers);
        attributes.transit_days = far.seaDays + rng.int(-1, 3);
        if (mode === 'sea_fcl') {
          const container = weighted(rng, containerTypes);
          const containers = Math.min(40, 1 + rng.poisson(Math.max(0, 0.9 * size - 0.4)));
          quantity = containers * container.teu;
          unit = 'TEU';
          const oceanUsd = quantity * far.fclUsdPerTeu * season * (1 + 0.08 * rng.normal());
          amountHkd = oceanUsd * HKD_PER_USD + containers * 2150 + 550; // ocean freight + THC + documents
          attributes.container_type = container.type;
          attributes.containers = containers;
          attributes.service = 'CY/CY';
        } else {
          const cbm = Math.round(clamp(rng.gamma(1.6, 1.6 * Math.sqrt(size)), 0.5, 18) * 100) / 100;
          const dense = rng.chance(0.15);
          const kg = Math.round(cbm * (dense ? 900 + 600 * rng.next() : 150 + 300 * rng.next()));
          const weightBound = kg / 1000 > cbm;
          const revenueTonnes = Math.max(1, weightBound ? kg / 1000 : cbm);
          quantity = weightBound ? kg : cbm;
          unit = weightBound ? 'kg' : 'cbm';
          amountHkd = revenueTonnes * far.lclHkdPerWm * season * (1 + 0.06 * rng.normal()) + 480; // + CFS & docs
          attributes.volume_cbm = cbm;
          attributes.gross_weight_kg = kg;
          attributes.charged_by = weightBound ? 'weight' : 'measurement';
          attributes.service = 'CFS/CFS';
        }
      } else {
        const far = rng.chance(0.85)
          ? rng.pick(customer.airLanes)
          : weighted(rng, exporting ? airDestinations : airImportOrigins);
        const origin = exporting ? 'HKG' : far.code;
        const destination = exporting ? far.code : 'HKG';
        attributes.lane = `${origin}-${destination}`;
        attributes.origin = origin;
        attributes.destination = destination;
        if (mode === 'air') {
          const actualKg = Math.round(20 + rng.gamma(1.3, 220 * size));
          const volumetricKg = Math.round((actualKg / (110 + 250 * rng.next())) * 167);
          const chargeable = Math.ceil(Math.max(actualKg, volumetricKg) * 2) / 2;
          quantity = chargeable;
          unit = 'kg';
          amountHkd = Math.max(chargeable * far.airHkdPerKg * season * (1 + 0.07 * rng.normal()), 650) + 380;
          attributes.gross_weight_kg = actualKg;
          attributes.chargeable_kg = chargeable;
          attributes.carrier = rng.pick(airCarriers);
          attributes.transit_days = far.airDays + rng.int(0, 2);
        } else {
          const kg = Math.ceil((0.5 + rng.gamma(1.1, 5 * Math.sqrt(size))) * 2) / 2;
          quantity = kg;
          unit = 'kg';
          amountHkd = Math.max(kg * expressHkdPerKg[far.region] * (1 + 0.05 * rng.normal()), 180);
          attributes.chargeable_kg = kg;
          attributes.carrier = rng.pick(couriers);
          attributes.transit_days = rng.int(1, 4);
        }
      }
      attributes.incoterm = incoterm;
      attributes.direction = exporting ? 'export' : 'import';
      attributes.commodity = customer.line.commodity;

      const inUsd = customer.billsInUsd && mode !== 'express';
      const amountHkdCents = toCents(amountHkd);
      const amountCents = inUsd ? toCents(amountHkd / HKD_PER_USD) : amountHkdCents;
      if (inUsd) attributes.amount_hkd = (amountHkdCents / 100).toFixed(2);
      const margin = normalAround(rng, marginByMode[mode]);
      yield {
        externalId: `FRT-SHP-${pad(customer.index, 6)}-${pad(seq, 4)}`,
        accountCode: customer.code,
        occurredAt: at,
        amountCents,
        currency: inUsd ? 'USD' : 'HKD',
        quantityMilli: Math.round(quantity * 1000),
        unit,
        productLine: mode,
        channel,
        costCents: costFromMargin(amountCents, margin),
        attributes,
      };
    }
  },
};
