import type { Random } from '../shared/random.js';
import {
  atLocalHours,
  clamp,
  companyContacts,
  costFromMargin,
  extendBase,
  normalAround,
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
import {
  companyName,
  fleetLines,
  mobilePhone,
  officePhone,
  personalEmail,
  personName,
  subsidiaryName,
  type BusinessLine,
} from './names.js';

/**
 * A multi-franchise Hong Kong dealer group (Toyota, Mercedes-Benz, BYD, and approved pre-owned Tesla):
 * private buyers and some fleet companies. A customer's first visit is usually a vehicle sale; after that
 * the workshop sees them for periodic maintenance, tyres, repairs and bodywork until they drift away.
 * Prices are Hong Kong list prices including first registration tax, in HKD.
 */
type Tier = 1 | 2 | 3;
type Powertrain = 'petrol' | 'hybrid' | 'ev' | 'diesel';

interface Model {
  readonly brand: string;
  readonly model: string;
  readonly powertrain: Powertrain;
  readonly price: readonly [number, number];
  readonly tier: Tier;
  readonly fleet: boolean;
  readonly showroom: string;
  /** Tesla sells new cars itself; the dealer group sells them pre-owned only. */
  readonly preOwnedOnly?: boolean;
}

const TOYOTA = 'Kowloon Bay';
const MERCEDES = 'Wan Chai';
const EV_CENTRE = 'Tsuen Wan';

const models: readonly Model[] = [
  {
    brand: 'Toyota',
    model: 'Alphard',
    powertrain: 'hybrid',
    price: [760_000, 980_000],
    tier: 3,
    fleet: true,
    showroom: TOYOTA,
  },
  {
    brand: 'Toyota',
    model: 'Noah',
    powertrain: 'hybrid',
    price: [320_000, 380_000],
    tier: 2,
    fleet: false,
    showroom: TOYOTA,
  },
  {
    brand: 'Toyota',
    model: 'Corolla Cross',
    powertrain: 'hybrid',
    price: [250_000, 290_000],
    tier: 1,
    fleet: false,
    showroom: TOYOTA,
  },
  {
    brand: 'Toyota',
    model: 'Hiace',
    powertrain: 'diesel',
    price: [360_000, 420_000],
    tier: 1,
    fleet: true,
    showroom: TOYOTA,
  },
  {
    brand: 'Toyota',
    model: 'Coaster',
    powertrain: 'diesel',
    price: [1_100_000, 1_300_000],
    tier: 2,
    fleet: true,
    showroom: TOYOTA,
  },
  {
    brand: 'Tesla',
    model: 'Model Y',
    powertrain: 'ev',
    price: [230_000, 330_000],
    tier: 2,
    fleet: false,
    showroom: EV_CENTRE,
    preOwnedOnly: true,
  },
  {
    brand: 'Tesla',
    model: 'Model 3',
    powertrain: 'ev',
    price: [180_000, 260_000],
    tier: 1,
    fleet: false,
    showroom: EV_CENTRE,
    preOwnedOnly: true,
  },
  {
    brand: 'BYD',
    model: 'Atto 3',
    powertrain: 'ev',
    price: [229_000, 259_000],
    tier: 1,
    fleet: false,
    showroom: EV_CENTRE,
  },
  {
    brand: 'BYD',
    model: 'Seal',
    powertrain: 'ev',
    price: [289_000, 339_000],
    tier: 2,
    fleet: false,
    showroom: EV_CENTRE,
  },
  {
    brand: 'BYD',
    model: 'Dolphin',
    powertrain: 'ev',
    price: [179_000, 199_000],
    tier: 1,
    fleet: false,
    showroom: EV_CENTRE,
  },
  { brand: 'BYD', model: 'T3', powertrain: 'ev', price: [260_000, 290_000], tier: 1, fleet: true, showroom: EV_CENTRE },
  {
    brand: 'Mercedes-Benz',
    model: 'C-Class',
    powertrain: 'petrol',
    price: [450_000, 560_000],
    tier: 2,
    fleet: false,
    showroom: MERCEDES,
  },
  {
    brand: 'Mercedes-Benz',
    model: 'GLC',
    powertrain: 'hybrid',
    price: [590_000, 720_000],
    tier: 3,
    fleet: false,
    showroom: MERCEDES,
  },
  {
    brand: 'Mercedes-Benz',
    model: 'E-Class',
    powertrain: 'petrol',
    price: [680_000, 880_000],
    tier: 3,
    fleet: true,
    showroom: MERCEDES,
  },
  {
    brand: 'Mercedes-Benz',
    model: 'EQE',
    powertrain: 'ev',
    price: [700_000, 820_000],
    tier: 3,
    fleet: false,
    showroom: MERCEDES,
  },
  {
    brand: 'Mercedes-Benz',
    model: 'Vito',
    powertrain: 'diesel',
    price: [420_000, 500_000],
    tier: 2,
    fleet: true,
    showroom: MERCEDES,
  },
];
const privateModels = models.filter((m) => !m.fleet || m.model === 'Alphard' || m.model === 'E-Class');
const fleetModels = models.filter((m) => m.fleet);

type ServiceType = 'periodic_maintenance' | 'tyres' | 'repair' | 'bodywork' | 'annual_inspection';
const serviceTypes: readonly (readonly [ServiceType, number])[] = [
  ['periodic_maintenance', 0.55],
  ['tyres', 0.12],
  ['repair', 0.17],
  ['bodywork', 0.09],
  ['annual_inspection', 0.07],
];
/** Typical bill (HKD, tier-1 car), its Gamma shape, and the workshop margin (mean, sd). */
const serviceEconomics: Record<ServiceType, { mean: number; shape: number; margin: readonly [number, number] }> = {
  periodic_maintenance: { mean: 2_600, shape: 8, margin: [0.45, 0.06] },
  tyres: { mean: 5_200, shape: 6, margin: [0.25, 0.05] },
  repair: { mean: 6_500, shape: 1.3, margin: [0.4, 0.08] },
  bodywork: { mean: 12_000, shape: 1.5, margin: [0.38, 0.08] },
  annual_inspection: { mean: 1_200, shape: 10, margin: [0.5, 0.05] },
};
const tierCost: Record<Tier, number> = { 1: 1, 2: 1.35, 3: 2.1 };
const workshops = ['Kowloon Bay Service Centre', 'Chai Wan Service Centre', 'Tsuen Wan Service Centre'];

const users: readonly UserRow[] = [
  staffUser('Vincent Chan', 'manager', 'Sales Management'),
  staffUser('Cherry Lam', 'sales', 'Toyota Showroom Kowloon Bay'),
  staffUser('Jason Yip', 'sales', 'Mercedes-Benz Showroom Wan Chai'),
  staffUser('Mandy Kwok', 'sales', 'EV Centre Tsuen Wan'),
  staffUser('Peter Siu', 'sales', 'Fleet Sales'),
  staffUser('Grace Mok', 'sales', 'After-Sales'),
];
const manager = users[0]!.email;
const showroomOwner: Record<string, string> = {
  [TOYOTA]: users[1]!.email,
  [MERCEDES]: users[2]!.email,
  [EV_CENTRE]: users[3]!.email,
};
const fleetSales = users[4]!.email;
const afterSales = users[5]!.email;

export interface AutomotiveCustomer extends PackCustomer {
  /** The car the customer bought, or brought in for service. */
  readonly vehicle: Model;
  readonly serviceOnly: boolean;
  /** Vehicles a fleet runs (1 for a private buyer). */
  readonly fleetSize: number;
  readonly line: BusinessLine | null;
  readonly domain: string | null;
  readonly person: { readonly short: string; readonly localPart: string } | null;
}

function chooseModel(rng: Random, spend: number, fleet: boolean): Model {
  if (fleet) return rng.pick(fleetModels);
  const tier: Tier = weighted(rng, [
    [1, clamp(1.2 - 0.5 * spend, 0.1, 1)],
    [2, 0.7],
    [3, clamp(0.12 * spend * spend, 0.03, 1.5)],
  ] as const);
  const options = privateModels.filter((m) => m.tier === tier);
  return rng.pick(options.length > 0 ? options : privateModels);
}

export const automotivePack: IndustryPack<AutomotiveCustomer> = {
  industry: 'automotive',
  prefix: 'AUT',
  companyShare: 0.12,
  // Workshop visits ~2 a year while the car stays with the dealer; fleets far more often.
  process: { r: 2.2, alpha: 1.2, a: 1.3, b: 9, q: 1.6, keyShare: 0.004, keySpend: [2, 4], keyRate: 2 },
  users,
  groupOwnerEmail: fleetSales,
  groupContactTitle: 'Group Fleet Manager',

  describe(rng: Random, base: CustomerBase): AutomotiveCustomer {
    const company = base.kind === 'company';
    const fleetSize = company ? Math.min(60, 2 + Math.round(rng.gamma(1.2, 5 * base.spend))) : 1;
    const vehicle = chooseModel(rng, base.spend, company);
    const serviceOnly = rng.chance(0.12);
    let nameEn: string;
    let nameZh: string;
    let line: BusinessLine | null = null;
    let domain: string | null = null;
    let person: AutomotiveCustomer['person'] = null;
    if (company) {
      line = rng.pick(fleetLines);
      const name = base.group ? subsidiaryName(rng, line, base.group.brand) : companyName(rng, line);
      nameEn = name.en;
      nameZh = name.zh;
      domain = name.domain;
    } else {
      const name = personName(rng);
      nameEn = name.en;
      nameZh = name.zh;
      person = { short: name.short, localPart: name.localPart };
    }
    const ownerEmail = base.key
      ? manager
      : company
        ? fleetSales
        : serviceOnly
          ? afterSales
          : (showroomOwner[vehicle.showroom] ?? manager);
    return extendBase(base, {
      // Fleets book a workshop slot per vehicle, so their visit rate scales with the fleet.
      rate: base.rate * Math.pow(fleetSize, 0.8),
      nameEn,
      nameZh,
      ownerEmail,
      vehicle,
      serviceOnly,
      fleetSize,
      line,
      domain,
      person,
    });
  },

  contacts(rng: Random, customer: AutomotiveCustomer): ContactRow[] {
    if (customer.person) {
      const name = { ...customer.person, en: customer.nameEn, zh: customer.nameZh ?? '' };
      return [
        {
          accountCode: customer.code,
          name: customer.person.short,
          title: null,
          email: rng.chance(0.75) ? personalEmail(rng, name) : null,
          phone: mobilePhone(rng),
          createdAt: customer.createdAt,
        },
      ];
    }
    const count = rng.chance(0.5) ? 2 : 1;
    return companyContacts(rng, customer, count, (person) => ({
      title: rng.pick(['Fleet Manager', 'Administration Manager', 'Director', 'Procurement Officer']),
      email: `${person.localPart}@${customer.domain ?? 'fleet.example'}`,
      phone: rng.chance(0.5) ? officePhone(rng) : mobilePhone(rng),
    }));
  },

  *transactions(
    rng: Random,
    customer: AutomotiveCustomer,
    times: readonly number[],
    context,
  ): Generator<TransactionRow> {
    const company = customer.kind === 'company';
    let vehicle = customer.vehicle;
    let boughtAt = customer.acquiredAt - (customer.serviceOnly ? rng.int(1, 6) * YEAR_MS * 0.5 : 0);
    const kmPerYear = company ? 35_000 + 20_000 * rng.next() : 7_000 + 9_000 * rng.next();
    let lastMileage = 0;
    let seq = 0;
    for (let i = 0; i < times.length; i += 1) {
      const t = times[i]!;
      seq += 1;
      const sale = i === 0 ? !customer.serviceOnly : rng.chance(company ? 0.15 : 0.03);
      const attributes: Record<string, AttributeValue> = {};
      if (sale) {
        if (i > 0) vehicle = chooseModel(rng, customer.spend * purchaseSpread(rng, 4), company);
        const at = atLocalHours(rng, t, 10, 20, context.asOf);
        boughtAt = at;
        lastMileage = 0;
        const preOwned = vehicle.preOwnedOnly === true || rng.chance(0.12);
        const vehicles = company ? 1 + Math.min(20, rng.poisson(customer.fleetSize / 6)) : 1;
        const list = vehicle.price[0] + rng.next() * (vehicle.price[1] - vehicle.price[0]);
        const unitPrice = list * (preOwned && !vehicle.preOwnedOnly ? 0.55 + 0.25 * rng.next() : 1);
        const discount = company ? 0.03 + 0.04 * rng.next() : 0.03 * rng.next();
        const amountCents = toCents(Math.round(unitPrice * vehicles * (1 - discount)));
        const margin = normalAround(rng, preOwned ? [0.12, 0.04] : [0.07, 0.025]);
        attributes.brand = vehicle.brand;
        attributes.model = vehicle.model;
        attributes.powertrain = vehicle.powertrain;
        attributes.condition = preOwned ? 'pre-owned' : 'new';
        attributes.showroom = vehicle.showroom;
        attributes.financing = company
          ? weighted(rng, [
              ['lease', 0.5],
              ['hire_purchase', 0.3],
              ['cash', 0.2],
            ] as const)
          : weighted(rng, [
              ['hire_purchase', 0.45],
              ['cash', 0.5],
              ['lease', 0.05],
            ] as const);
        attributes.trade_in = !company && i > 0 && rng.chance(0.6);
        attributes.vehicles = vehicles;
        yield {
          externalId: `AUT-SAL-${pad(customer.index, 6)}-${pad(seq, 4)}`,
          accountCode: customer.code,
          occurredAt: at,
          amountCents,
          currency: 'HKD',
          quantityMilli: vehicles * 1000,
          unit: 'vehicle',
          productLine: 'vehicle_sale',
          channel: company ? 'fleet_desk' : vehicle.powertrain === 'ev' && rng.chance(0.25) ? 'online' : 'showroom',
          costCents: costFromMargin(amountCents, margin),
          attributes,
        };
        continue;
      }
      const at = atLocalHours(rng, t, 8, 18, context.asOf, true, true);
      const ageYears = Math.max(0, (at - boughtAt) / YEAR_MS);
      const type: ServiceType =
        ageYears < 1
          ? weighted(
              rng,
              serviceTypes.filter(([s]) => s !== 'annual_inspection' && s !== 'tyres'),
            )
          : weighted(rng, serviceTypes);
      const economics = serviceEconomics[type];
      const evDiscount = vehicle.powertrain === 'ev' && type === 'periodic_maintenance' ? 0.6 : 1;
      const vehiclesInVisit = company ? 1 + Math.min(5, rng.poisson(0.4)) : 1;
      const bill =
        rng.gamma(economics.shape, economics.mean / economics.shape) *
        tierCost[vehicle.tier] *
        evDiscount *
        vehiclesInVisit;
      const amountCents = toCents(Math.max(380, Math.round(bill / 10) * 10));
      attributes.service_type = type;
      attributes.brand = vehicle.brand;
      attributes.model = vehicle.model;
      // The odometer only goes up (a visit soon after another adds a little).
      lastMileage = Math.max(lastMileage + 100, Math.round((ageYears * kmPerYear + rng.next() * 2_000) / 100) * 100);
      attributes.mileage_km = lastMileage;
      attributes.workshop = rng.pick(workshops);
      attributes.vehicles = vehiclesInVisit;
      yield {
        externalId: `AUT-SVC-${pad(customer.index, 6)}-${pad(seq, 4)}`,
        accountCode: customer.code,
        occurredAt: at,
        amountCents,
        currency: 'HKD',
        quantityMilli: 1000,
        unit: 'visit',
        productLine: 'service',
        channel: 'workshop',
        costCents: costFromMargin(amountCents, normalAround(rng, economics.margin)),
        attributes,
      };
    }
  },
};
