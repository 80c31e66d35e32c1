import type { z } from 'zod';
import type { Industry } from '../accounts/index.js';
import { decimal, fail, NULL, ok, rowSchema, text, vocabulary, type Converter, type RawRow } from './import.schema.js';

/**
 * Industry packs: the attributes a transaction of each industry may carry (`attributes.<key>` columns of a
 * transactions import), each with its type, range or vocabulary (English and Chinese words). A row is checked
 * against the pack of its account's industry; a key no pack names is kept as given (text, or a number when it
 * reads as one), so a firm's own extra columns are never refused.
 */
export type AttributeValue = string | number | boolean;

const number =
  (min: number, max: number, integer = false): Converter<number | null> =>
  (cell) => {
    const result = decimal(cell);
    if (!result.ok) return result;
    if (result.value === null) return NULL;
    const value = Number(result.value);
    if (integer && !Number.isInteger(value)) return fail(`"${cell?.trim() ?? ''}" is not a whole number`);
    return value < min || value > max ? fail(`${value} is outside ${min}–${max}`) : ok(value);
  };

const booleanWords: Record<string, boolean> = {
  true: true,
  yes: true,
  y: true,
  '1': true,
  是: true,
  有: true,
  false: false,
  no: false,
  n: false,
  '0': false,
  否: false,
  無: false,
  没有: false,
  沒有: false,
};
const flag: Converter<boolean | null> = (cell) => {
  const trimmed = cell?.trim() ?? '';
  if (trimmed === '') return NULL;
  const found = booleanWords[trimmed.toLowerCase()];
  return found === undefined ? fail(`"${trimmed}" is not yes or no`) : ok(found);
};

/** Upper-cased text matching a pattern (port codes, container types, VINs). */
const coded =
  (pattern: RegExp, what: string): Converter<string | null> =>
  (cell) => {
    const trimmed = cell?.trim().toUpperCase() ?? '';
    if (trimmed === '') return NULL;
    return pattern.test(trimmed) ? ok(trimmed) : fail(`"${cell?.trim() ?? ''}" is not ${what}`);
  };

const name = text(200);
const port = coded(/^[A-Z]{3}([A-Z]{2})?$/, 'a port or airport code (HKG, USLAX)');

const freight = {
  mode: vocabulary(
    {
      seafcl: 'sea_fcl',
      fcl: 'sea_fcl',
      整櫃: 'sea_fcl',
      sealcl: 'sea_lcl',
      lcl: 'sea_lcl',
      拼箱: 'sea_lcl',
      air: 'air',
      airfreight: 'air',
      空運: 'air',
      express: 'express',
      courier: 'express',
      快遞: 'express',
      road: 'road',
      truck: 'road',
      陸運: 'road',
      rail: 'rail',
      鐵路: 'rail',
    },
    'freight mode',
  ),
  lane: coded(/^[A-Z]{3,5}-[A-Z]{3,5}$/, 'a lane (origin-destination, e.g. HKG-LAX)'),
  origin: port,
  destination: port,
  carrier: name,
  transit_days: number(0, 180, true),
  container_type: coded(/^(20|40|45)(GP|DC|HQ|HC|RF|RH|OT|FR|TK)$/, 'a container type (20GP, 40HQ, 40RF, …)'),
  containers: number(0, 9999, true),
  service: text(40),
  gross_weight_kg: number(0, 1e7),
  volume_cbm: number(0, 1e5),
  chargeable_kg: number(0, 1e7),
  charged_by: vocabulary(
    { weight: 'weight', 重量: 'weight', measurement: 'measurement', volume: 'measurement', 體積: 'measurement' },
    'basis',
  ),
  incoterm: vocabulary(
    Object.fromEntries(
      ['EXW', 'FCA', 'FAS', 'FOB', 'CFR', 'CIF', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'DAT'].map((term) => [
        term.toLowerCase(),
        term,
      ]),
    ),
    'known Incoterm',
  ),
  direction: vocabulary(
    {
      export: 'export',
      出口: 'export',
      import: 'import',
      進口: 'import',
      入口: 'import',
      crosstrade: 'cross_trade',
      轉口: 'cross_trade',
    },
    'direction',
  ),
  commodity: name,
  /** HKD equivalent of a foreign-currency charge. */
  amount_hkd: number(-1e12, 1e12),
};

const automotive = {
  brand: name,
  model: name,
  vin: coded(/^[A-HJ-NPR-Z0-9]{17}$/, 'a 17-character VIN'),
  powertrain: vocabulary(
    {
      petrol: 'petrol',
      gasoline: 'petrol',
      汽油: 'petrol',
      diesel: 'diesel',
      柴油: 'diesel',
      hybrid: 'hybrid',
      混能: 'hybrid',
      phev: 'phev',
      pluginhybrid: 'phev',
      ev: 'ev',
      electric: 'ev',
      bev: 'ev',
      電動: 'ev',
    },
    'powertrain',
  ),
  condition: vocabulary(
    { new: 'new', 新車: 'new', preowned: 'pre-owned', used: 'pre-owned', 二手: 'pre-owned' },
    'condition',
  ),
  showroom: name,
  financing: vocabulary(
    {
      cash: 'cash',
      現金: 'cash',
      lease: 'lease',
      租賃: 'lease',
      hirepurchase: 'hire_purchase',
      hp: 'hire_purchase',
      分期: 'hire_purchase',
      私家車貸款: 'hire_purchase',
    },
    'financing',
  ),
  trade_in: flag,
  vehicles: number(0, 10_000, true),
  service_type: vocabulary(
    {
      periodicmaintenance: 'periodic_maintenance',
      maintenance: 'periodic_maintenance',
      service: 'periodic_maintenance',
      保養: 'periodic_maintenance',
      tyres: 'tyres',
      tires: 'tyres',
      輪胎: 'tyres',
      repair: 'repair',
      維修: 'repair',
      bodywork: 'bodywork',
      body: 'bodywork',
      鈑金: 'bodywork',
      噴油: 'bodywork',
      annualinspection: 'annual_inspection',
      inspection: 'annual_inspection',
      驗車: 'annual_inspection',
      warranty: 'warranty',
      保用: 'warranty',
      recall: 'recall',
      召回: 'recall',
    },
    'service type',
  ),
  mileage_km: number(0, 3_000_000, true),
  workshop: name,
  amount_hkd: number(-1e12, 1e12),
};

const retail = {
  store: name,
  department: name,
  payment: vocabulary(
    {
      cash: 'cash',
      現金: 'cash',
      octopus: 'octopus',
      八達通: 'octopus',
      visa: 'visa',
      mastercard: 'mastercard',
      master: 'mastercard',
      amex: 'amex',
      americanexpress: 'amex',
      unionpay: 'unionpay',
      銀聯: 'unionpay',
      alipayhk: 'alipayhk',
      alipay: 'alipayhk',
      支付寶: 'alipayhk',
      wechatpay: 'wechat_pay_hk',
      wechatpayhk: 'wechat_pay_hk',
      微信支付: 'wechat_pay_hk',
      payme: 'payme',
      fps: 'fps',
      轉數快: 'fps',
    },
    'payment method',
  ),
  promotion: flag,
  member_tier: text(40),
  items: number(0, 100_000, true),
};

/** Other headers a pack attribute is known by in exports (English and Chinese), besides its own key. */
export const attributeSynonyms: Record<string, readonly string[]> = {
  mode: ['freight mode', 'transport mode', 'shipment mode', '運輸方式', '貨運方式'],
  lane: ['trade lane', 'route', '航線', '路線'],
  origin: ['pol', 'port of loading', 'origin port', '起運港', '起運地'],
  destination: ['pod', 'port of discharge', 'destination port', '目的港', '目的地'],
  carrier: ['shipping line', 'airline', '船公司', '航空公司', '承運人'],
  transit_days: ['transit time', '運輸時間', '航程'],
  container_type: ['container', 'ctnr type', '櫃型', '貨櫃類型'],
  containers: ['no of containers', 'container count', '櫃數'],
  gross_weight_kg: ['gross weight', 'gw', 'weight kg', '毛重'],
  volume_cbm: ['volume', 'cbm', 'measurement', '體積', '立方'],
  chargeable_kg: ['chargeable weight', 'cw', '計費重量'],
  incoterm: ['incoterms', 'trade term', '貿易條款'],
  direction: ['import export', '進出口'],
  commodity: ['goods', 'cargo', '貨物', '貨品'],
  brand: ['make', '品牌', '車廠'],
  model: ['vehicle model', '型號', '車型'],
  vin: ['chassis no', 'vin no', '車架號碼'],
  powertrain: ['fuel type', 'fuel', '動力', '燃料'],
  condition: ['new used', '新舊'],
  financing: ['payment plan', '付款方式'],
  trade_in: ['trade in', '舊車折價', '以舊換新'],
  service_type: ['job type', 'service', '服務類別', '維修類別'],
  mileage_km: ['mileage', 'odometer', 'km', '里數', '公里數'],
  workshop: ['service centre', 'service center', '車房', '維修中心'],
  store: ['shop', 'branch', '分店', '店舖'],
  department: ['category', 'dept', '部門', '類別'],
  payment: ['payment method', 'tender', '付款方法'],
  promotion: ['promo', 'on promotion', '推廣', '優惠'],
  member_tier: ['tier', 'membership tier', '會員級別'],
};

export const industryPacks: Record<Industry, Record<string, Converter<AttributeValue | null>>> = {
  freight,
  automotive,
  retail,
};

const numericText = /^-?\d+(\.\d+)?$/;
const free = text(1000);
/** An attribute no pack names: text, or a number when it reads as one. */
const unnamed: Converter<AttributeValue | null> = (cell) => {
  const result = free(cell);
  if (!result.ok) return result;
  if (result.value === null) return NULL;
  return numericText.test(result.value) && result.value.length < 16 ? ok(Number(result.value)) : result;
};

export type AttributeSchema = z.ZodType<Record<string, AttributeValue | null>, RawRow>;

/** The zod schema of the attribute keys a file has, for one industry's pack. */
export function attributeSchema(industry: Industry, keys: readonly string[]): AttributeSchema {
  const pack = industryPacks[industry];
  return rowSchema(Object.fromEntries(keys.map((key) => [key, pack[key] ?? unnamed])));
}

/** Every attribute key some pack names. */
export const packAttributeKeys: ReadonlySet<string> = new Set(
  Object.values(industryPacks).flatMap((pack) => Object.keys(pack)),
);
