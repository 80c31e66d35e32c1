import type { ImportEntity } from '../../../features/imports/import.schema.js';

/**
 * The canonical columns of each import entity, as the wizard offers them in its column selects. The server's
 * list (entityColumns in import.schema.ts) also carries every synonym and the row converters, which would pull
 * phone metadata into the web bundle; this copy carries only names and whether they are required, and a test
 * keeps it equal to the server's.
 */
export interface WizardColumn {
  name: string;
  required: boolean;
}

const c = (name: string, required = false): WizardColumn => ({ name, required });

export const importEntities = [
  'accounts',
  'contacts',
  'transactions',
  'interactions',
] as const satisfies readonly ImportEntity[];

export const wizardColumns: Record<ImportEntity, readonly WizardColumn[]> = {
  accounts: [
    c('account_code', true),
    c('name', true),
    c('name_zh'),
    c('kind'),
    c('industry'),
    c('parent_code'),
    c('owner_email'),
    c('tags'),
    c('status'),
    c('source'),
    c('services_used'),
    c('requirements'),
  ],
  contacts: [c('account_code', true), c('name'), c('title'), c('email'), c('phone'), c('language'), c('channels')],
  transactions: [
    c('transaction_id', true),
    c('account_code', true),
    c('occurred_at', true),
    c('amount', true),
    c('currency'),
    c('quantity'),
    c('unit'),
    c('product_line'),
    c('channel'),
    c('cost'),
  ],
  interactions: [
    c('interaction_id'),
    c('account_code', true),
    c('occurred_at', true),
    c('channel', true),
    c('direction'),
    c('subject'),
    c('notes'),
    c('user_email'),
    c('contact_emails'),
  ],
};

/** Every canonical column name (the keys of imports.columns.* in the i18n resources). */
export const allColumnNames = [
  ...new Set(Object.values(wizardColumns).flatMap((columns) => columns.map((col) => col.name))),
];

/** Entities whose rows carry a date (the wizard asks how to read 01/02/2025). */
export const datedEntities: ReadonlySet<ImportEntity> = new Set(['transactions', 'interactions']);

/** Open columns (`custom.<key>`, `attributes.<key>`) the server accepts besides the canonical ones. */
export const openPrefix: Record<ImportEntity, string | null> = {
  accounts: 'custom.',
  contacts: 'custom.',
  transactions: 'attributes.',
  interactions: null,
};

/**
 * Industry-pack attributes a transactions column can be imported as (`attributes.<key>`). The server's packs
 * (packs.schema.ts) carry the converters too; this copy carries the keys, and a test keeps the two equal.
 */
export const packAttributes: Record<'freight' | 'automotive' | 'retail', readonly string[]> = {
  freight: [
    'mode',
    'lane',
    'origin',
    'destination',
    'carrier',
    'transit_days',
    'container_type',
    'containers',
    'service',
    'gross_weight_kg',
    'volume_cbm',
    'chargeable_kg',
    'charged_by',
    'incoterm',
    'direction',
    'commodity',
    'amount_hkd',
  ],
  automotive: [
    'brand',
    'model',
    'vin',
    'powertrain',
    'condition',
    'showroom',
    'financing',
    'trade_in',
    'vehicles',
    'service_type',
    'mileage_km',
    'workshop',
    'amount_hkd',
  ],
  retail: ['store', 'department', 'payment', 'promotion', 'member_tier', 'items'],
};
