import { z } from 'zod';
import { parseDateTime, type DateOptions } from './dates.rules.js';
import { normaliseDecimal, normaliseEmail, normalisePhone, splitList } from './normalise.rules.js';

/** Shapes of the import feature: entities, canonical columns, mappings, row schemas and API bodies. */
export const importEntitySchema = z.enum(['accounts', 'contacts', 'transactions', 'interactions']);
export type ImportEntity = z.infer<typeof importEntitySchema>;

export const exportEntitySchema = z.enum(['accounts', 'contacts', 'transactions']);
export type ExportEntity = z.infer<typeof exportEntitySchema>;

export interface ColumnSpec {
  name: string;
  required: boolean;
  description: string;
  /** Header spellings accepted when guessing a mapping, English and Chinese (traditional and simplified). */
  synonyms: readonly string[];
}

const col = (name: string, required: boolean, description: string, synonyms: readonly string[]): ColumnSpec => ({
  name,
  required,
  description,
  synonyms,
});

const accountCode = col('account_code', true, 'Business code of the account (unique)', [
  'code',
  'account code',
  'account no',
  'account number',
  'account id',
  'customer code',
  'customer no',
  'customer number',
  'customer id',
  'client code',
  'client no',
  'client id',
  'cust code',
  'cust no',
  'acct code',
  'acct no',
  '客戶編號',
  '客戶代碼',
  '客戶號',
  '客戶號碼',
  '客户编号',
  '客户代码',
  '編號',
  '帳戶編號',
  '賬戶編號',
  '公司編號',
]);

/** The canonical columns of each entity; `custom.<key>` (accounts, contacts) and `attributes.<key>` (transactions) are open. */
export const entityColumns: Record<ImportEntity, readonly ColumnSpec[]> = {
  accounts: [
    accountCode,
    col('name', true, 'English (or only) name', [
      'name',
      'name en',
      'english name',
      'company name',
      'customer name',
      'account name',
      'client name',
      '名稱',
      '客戶名稱',
      '公司名稱',
      '英文名稱',
      '英文名',
      '客户名称',
      '公司名称',
    ]),
    col('name_zh', false, 'Chinese name', [
      'chinese name',
      'name zh',
      'name chinese',
      '中文名稱',
      '中文名',
      '中文名称',
      '公司中文名稱',
    ]),
    col('kind', false, 'company or person (公司 / 個人)', [
      'kind',
      'type',
      'customer type',
      'account type',
      '類型',
      '客戶類型',
      '类型',
    ]),
    col('industry', false, 'freight, automotive or retail (default: the mapping default, else freight)', [
      'industry',
      'sector',
      '行業',
      '行业',
    ]),
    col('parent_code', false, 'account_code of the parent (customer group)', [
      'parent',
      'parent code',
      'parent account',
      'group',
      'group code',
      'parent customer code',
      '母公司',
      '母公司編號',
      '集團',
      '集團編號',
      '上級客戶',
      '上級客戶編號',
      '集团编号',
    ]),
    col('owner_email', false, 'Email of the owning user (must exist)', [
      'owner',
      'owner email',
      'account manager',
      'sales rep',
      'salesperson',
      'sales',
      '負責人',
      '負責人電郵',
      '銷售員',
      '营业员',
      '负责人',
    ]),
    col('tags', false, 'Tags, separated by ; or ,', ['tags', 'tag', 'labels', '標籤', '标签']),
    col('status', false, 'prospect, active or lost (潛在 / 活躍 / 流失)', ['status', 'stage', '狀態', '状态']),
    col('source', false, 'Where the account came from (referral, trade fair, …)', [
      'source',
      'lead source',
      '來源',
      '来源',
    ]),
    col('services_used', false, 'Needs profile: services used, separated by ;', [
      'services',
      'services used',
      'service used',
      'lanes',
      'products used',
      '使用服務',
      '服務',
      '服务',
    ]),
    col('requirements', false, 'Needs profile: stated requirements', [
      'requirements',
      'needs',
      'stated requirements',
      '要求',
      '需求',
      '客戶要求',
    ]),
  ],
  contacts: [
    accountCode,
    col('name', false, 'Full name (one of name, email, phone is required)', [
      'name',
      'contact',
      'contact name',
      'full name',
      'person',
      '姓名',
      '聯絡人',
      '聯絡人姓名',
      '联系人',
      '名稱',
    ]),
    col('title', false, 'Job title', ['title', 'job title', 'position', 'role', '職位', '職銜', '职位']),
    col('email', false, 'Email address (stored lower-case)', [
      'email',
      'e-mail',
      'email address',
      'e-mail address',
      'mail',
      '電郵',
      '電郵地址',
      '電子郵件',
      '郵箱',
      '邮箱',
      '电子邮件',
    ]),
    col('phone', false, 'Phone number (stored as E.164; without a country code read as Hong Kong)', [
      'phone',
      'tel',
      'telephone',
      'mobile',
      'phone number',
      'mobile number',
      'contact number',
      '電話',
      '電話號碼',
      '手提電話',
      '手機',
      '聯絡電話',
      '电话',
      '手机',
    ]),
    col('language', false, 'Preferred language: en, zh-Hant, zh-Hans (English / 廣東話 / 普通話 accepted)', [
      'language',
      'preferred language',
      'lang',
      '語言',
      '偏好語言',
      '语言',
    ]),
    col('channels', false, 'Preferred channels: email, phone, whatsapp, wechat, sms, visit; separated by ;', [
      'channels',
      'preferred channels',
      'preferred channel',
      'channel',
      '聯絡方式',
      '偏好渠道',
      '联系方式',
    ]),
  ],
  transactions: [
    col('transaction_id', true, 'Business id of the transaction (invoice, job or shipment number; unique)', [
      'transaction id',
      'transaction no',
      'txn id',
      'id',
      'invoice',
      'invoice no',
      'invoice number',
      'order no',
      'order id',
      'order number',
      'job no',
      'job number',
      'shipment id',
      'shipment no',
      'reference',
      'ref',
      'receipt no',
      '交易編號',
      '單號',
      '發票號碼',
      '發票編號',
      '訂單編號',
      '提單號',
      '工作編號',
      '收據編號',
      '交易编号',
      '单号',
    ]),
    accountCode,
    col('occurred_at', true, 'Date or date and time (ISO or day-first 31/12/2025 14:30)', [
      'date',
      'occurred at',
      'transaction date',
      'invoice date',
      'order date',
      'datetime',
      'date time',
      'time',
      'timestamp',
      'shipment date',
      'etd',
      '日期',
      '交易日期',
      '時間',
      '發票日期',
      '日期時間',
      '时间',
      '交易日期时间',
    ]),
    col('amount', true, 'Amount (revenue), decimal; 1,234.50 and (1,234.50) accepted', [
      'amount',
      'total',
      'revenue',
      'value',
      'sales',
      'net amount',
      'invoice amount',
      'total amount',
      '金額',
      '總額',
      '銷售額',
      '收入',
      '營業額',
      '金额',
      '总额',
    ]),
    col('currency', false, 'ISO currency code (default HKD)', [
      'currency',
      'ccy',
      'cur',
      '貨幣',
      '幣種',
      '货币',
      '币种',
    ]),
    col('quantity', false, 'Volume (TEU, chargeable kg, vehicles, items)', [
      'quantity',
      'qty',
      'volume',
      'units',
      '數量',
      '数量',
    ]),
    col('unit', false, 'Unit of the quantity (TEU, kg, vehicle, item)', [
      'unit',
      'uom',
      'unit of measure',
      '單位',
      '单位',
    ]),
    col('product_line', false, 'Product line or service (sea, air, service visit, …)', [
      'product',
      'product line',
      'service',
      'service type',
      'mode',
      'category',
      '產品',
      '產品線',
      '服務類別',
      '产品',
      '类别',
    ]),
    col('channel', false, 'Sales channel', ['channel', 'sales channel', '渠道', '銷售渠道']),
    col('cost', false, 'Cost (for margin), decimal', ['cost', 'cost amount', '成本']),
  ],
  interactions: [
    col('interaction_id', false, 'Business id (re-imports update by it; without it a key is derived from the row)', [
      'interaction id',
      'activity id',
      'log id',
      'record id',
      '記錄編號',
      '活動編號',
    ]),
    accountCode,
    col('occurred_at', true, 'Date or date and time', [
      'date',
      'occurred at',
      'datetime',
      'time',
      '日期',
      '時間',
      '日期時間',
    ]),
    col('channel', true, 'phone, email, visit, meeting, whatsapp, wechat or event (電話, 電郵, 拜訪, 會議, 活動)', [
      'channel',
      'type',
      'method',
      'medium',
      '渠道',
      '方式',
      '類型',
      '聯絡方式',
    ]),
    col('direction', false, 'inbound or outbound (default outbound)', ['direction', 'in out', '方向']),
    col('subject', false, 'Subject', ['subject', 'topic', 'title', '主題', '標題', '主题']),
    col('notes', false, 'Notes', [
      'notes',
      'note',
      'remarks',
      'comments',
      'details',
      'content',
      '備註',
      '內容',
      '記錄',
      '备注',
    ]),
    col('user_email', false, 'Email of the user who had the interaction (must exist)', [
      'user',
      'user email',
      'by',
      'staff',
      'staff email',
      'sales rep',
      '負責人',
      '跟進人',
      '職員',
      '跟进人',
    ]),
    col('contact_emails', false, "Emails of the account's contacts present, separated by ;", [
      'contacts',
      'contact emails',
      'contact email',
      'attendees',
      '聯絡人電郵',
      '出席者',
    ]),
  ],
};

export const openColumnPrefix: Record<ImportEntity, string | null> = {
  accounts: 'custom.',
  contacts: 'custom.',
  transactions: 'attributes.',
  interactions: null,
};

// ----------------------------------------------------------------------------------------------------------
// Mapping: header in the file → canonical column (null: not imported), plus reading options.

export const dateFormatSchema = z.enum(['DMY', 'MDY']);
export const encodingSchema = z.enum(['auto', 'utf-8', 'utf-16le', 'utf-16be', 'big5', 'gb18030', 'windows-1252']);

export const mappingSchema = z.object({
  columns: z
    .record(z.string(), z.string().max(100).nullable())
    .describe('header in the file → canonical column name (or null to skip the column)'),
  dateFormat: dateFormatSchema.default('DMY').describe('how to read 01/02/2025: DMY (Hong Kong, default) or MDY'),
  timeZone: z
    .string()
    .max(64)
    .optional()
    .describe('time zone of dates without an offset (default: the business time zone)'),
  encoding: encodingSchema.default('auto'),
  delimiter: z.enum([',', ';', '\t', '|']).optional().describe('CSV delimiter (default: sniffed)'),
  sheet: z.string().max(100).optional().describe('XLSX worksheet name (default: the first)'),
  defaults: z
    .object({
      industry: z.enum(['freight', 'automotive', 'retail']).optional(),
      currency: z.string().length(3).optional(),
    })
    .default({}),
});
export type Mapping = z.infer<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;

// ----------------------------------------------------------------------------------------------------------
// Row schemas. A raw row is { canonical column: cell text }; a column the file does not have is absent.

export type RawRow = Record<string, string | undefined>;

/**
 * A cell converter: the cell's text (undefined when the file has no such column) → a value or a message.
 * A row schema is one zod object of optional strings whose transform runs the converters, so a row is one
 * zod parse (fast: 200k rows/s and more) and every problem is a zod issue with the column as its path.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; message: string };
export type Converter<T> = (cell: string | undefined) => Result<T>;
export type Output<F> = { [K in keyof F]: F[K] extends Converter<infer T> ? T : never };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });
export const NULL: Result<null> = { ok: true, value: null };

/** Trimmed text, empty → null. */
export const text =
  (max: number): Converter<string | null> =>
  (cell) => {
    if (cell === undefined) return NULL;
    const trimmed = cell.trim();
    if (trimmed === '') return NULL;
    return trimmed.length > max ? fail(`is longer than ${max} characters`) : ok(trimmed);
  };

export function required<T>(converter: Converter<T | null>): Converter<T> {
  return (cell) => {
    const result = converter(cell);
    if (!result.ok) return result;
    return result.value === null ? fail('is required') : (result as Result<T>);
  };
}

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f]/;
const requiredCode = required(text(64));
const code: Converter<string> = (cell) => {
  const result = requiredCode(cell);
  return result.ok && controlCharacters.test(result.value) ? fail('contains control characters') : result;
};

function normalised<T>(fn: (value: string) => Result<T>): Converter<T | null> {
  const read = text(10_000);
  return (cell) => {
    const result = read(cell);
    if (!result.ok) return result;
    return result.value === null ? NULL : fn(result.value);
  };
}

/** A closed vocabulary with English and Chinese words for each value. */
export function vocabulary<T extends string>(words: Record<string, T>, label: string): Converter<T | null> {
  const allowed = [...new Set(Object.values(words))].join(', ');
  const read = text(100);
  return (cell) => {
    const result = read(cell);
    if (!result.ok) return result;
    if (result.value === null) return NULL;
    const found = words[result.value.toLowerCase().replace(/[\s_-]+/g, '')];
    return found === undefined ? fail(`"${result.value}" is not a ${label} (${allowed})`) : ok(found);
  };
}

export const decimal = normalised(normaliseDecimal);
const email = normalised(normaliseEmail);
const phone = normalised(normalisePhone);
const longText = text(10_000);
const list: Converter<string[] | null> = (cell) => {
  const result = longText(cell);
  if (!result.ok) return result;
  return result.value === null ? NULL : ok(splitList(result.value));
};

const kindWords = {
  company: 'company',
  person: 'person',
  individual: 'person',
  公司: 'company',
  企業: 'company',
  個人: 'person',
  个人: 'person',
} as const;
const industryWords = {
  freight: 'freight',
  logistics: 'freight',
  物流: 'freight',
  貨運: 'freight',
  automotive: 'automotive',
  auto: 'automotive',
  car: 'automotive',
  汽車: 'automotive',
  汽车: 'automotive',
  retail: 'retail',
  零售: 'retail',
} as const;
const statusWords = {
  prospect: 'prospect',
  lead: 'prospect',
  potential: 'prospect',
  潛在: 'prospect',
  潜在: 'prospect',
  潛在客戶: 'prospect',
  active: 'active',
  customer: 'active',
  existing: 'active',
  活躍: 'active',
  現有: 'active',
  活跃: 'active',
  lost: 'lost',
  churned: 'lost',
  inactive: 'lost',
  流失: 'lost',
  已流失: 'lost',
} as const;
const channelWords = {
  phone: 'phone',
  call: 'phone',
  tel: 'phone',
  telephone: 'phone',
  電話: 'phone',
  电话: 'phone',
  email: 'email',
  mail: 'email',
  電郵: 'email',
  郵件: 'email',
  邮件: 'email',
  visit: 'visit',
  拜訪: 'visit',
  探訪: 'visit',
  拜访: 'visit',
  meeting: 'meeting',
  會議: 'meeting',
  会议: 'meeting',
  開會: 'meeting',
  whatsapp: 'whatsapp',
  wechat: 'wechat',
  weixin: 'wechat',
  微信: 'wechat',
  event: 'event',
  活動: 'event',
  活动: 'event',
  飯局: 'event',
} as const;
const directionWords = {
  inbound: 'inbound',
  in: 'inbound',
  incoming: 'inbound',
  來電: 'inbound',
  收: 'inbound',
  入: 'inbound',
  outbound: 'outbound',
  out: 'outbound',
  outgoing: 'outbound',
  去電: 'outbound',
  發: 'outbound',
  出: 'outbound',
} as const;
const languageWords = {
  en: 'en',
  english: 'en',
  英文: 'en',
  英語: 'en',
  zh: 'zh-Hant',
  zhhant: 'zh-Hant',
  zhhk: 'zh-Hant',
  cantonese: 'zh-Hant',
  chinese: 'zh-Hant',
  中文: 'zh-Hant',
  廣東話: 'zh-Hant',
  粵語: 'zh-Hant',
  繁體中文: 'zh-Hant',
  zhhans: 'zh-Hans',
  zhcn: 'zh-Hans',
  mandarin: 'zh-Hans',
  putonghua: 'zh-Hans',
  普通話: 'zh-Hans',
  普通话: 'zh-Hans',
  簡體中文: 'zh-Hans',
} as const;
const contactChannelWords: Record<string, string> = {
  email: 'email',
  電郵: 'email',
  phone: 'phone',
  call: 'phone',
  電話: 'phone',
  whatsapp: 'whatsapp',
  wechat: 'wechat',
  微信: 'wechat',
  sms: 'sms',
  短訊: 'sms',
  visit: 'visit',
  拜訪: 'visit',
  mail: 'mail',
  郵寄: 'mail',
};

const contactChannels: Converter<string[] | null> = (cell) => {
  const items = list(cell);
  if (!items.ok || items.value === null) return items;
  const out: string[] = [];
  for (const item of items.value) {
    const found = contactChannelWords[item.toLowerCase()];
    if (!found)
      return fail(`"${item}" is not a channel (${[...new Set(Object.values(contactChannelWords))].join(', ')})`);
    if (!out.includes(found)) out.push(found);
  }
  return ok(out);
};

const emailList: Converter<string[] | null> = (cell) => {
  const items = list(cell);
  if (!items.ok || items.value === null) return items;
  const out: string[] = [];
  for (const item of items.value) {
    const result = normaliseEmail(item);
    if (!result.ok) return result;
    out.push(result.value);
  }
  return ok(out);
};

const currencyText = text(10);
const currencyCode = /^[A-Z]{3}$/;
const currency: Converter<string | null> = (cell) => {
  if (cell !== undefined && currencyCode.test(cell)) return ok(cell); // the usual case, without the rewrites
  const result = currencyText(cell);
  if (!result.ok || result.value === null) return result;
  const upper = result.value
    .toUpperCase()
    .replace(/^HK\$$/, 'HKD')
    .replace(/^US\$$/, 'USD')
    .replace(/^RMB$/, 'CNY');
  return /^[A-Z]{3}$/.test(upper) ? ok(upper) : fail(`"${result.value}" is not a 3-letter currency code`);
};

const requiredDateText = required(text(100));
const dateTime =
  (options: DateOptions): Converter<string> =>
  (cell) => {
    const result = requiredDateText(cell);
    if (!result.ok) return result;
    const parsed = parseDateTime(result.value, options);
    return parsed.ok ? ok(parsed.iso) : fail(parsed.message);
  };

/** One zod object schema over the raw row; the transform converts every column and reports each bad one. */
export function rowSchema<F extends Record<string, Converter<unknown>>>(
  fields: F,
  check?: (row: Output<F>) => { column: keyof F & string; message: string } | null,
): z.ZodType<Output<F>, RawRow> {
  const keys = Object.keys(fields) as (keyof F & string)[];
  const shape = Object.fromEntries(keys.map((key) => [key, z.string().optional()]));
  return z.object(shape).transform((raw, ctx) => {
    const out: Record<string, unknown> = {};
    let bad = false;
    for (const key of keys) {
      const result = fields[key]!(raw[key]);
      if (result.ok) out[key] = result.value;
      else {
        bad = true;
        ctx.addIssue({ code: 'custom', path: [key], message: result.message });
      }
    }
    if (bad) return z.NEVER;
    const problem = check?.(out as Output<F>);
    if (problem) {
      ctx.addIssue({ code: 'custom', path: [problem.column], message: problem.message });
      return z.NEVER;
    }
    return out as Output<F>;
  });
}

export interface RowSchemaOptions {
  date: DateOptions;
}

const accountFields = {
  account_code: code,
  name: required(text(300)),
  name_zh: text(300),
  kind: vocabulary(kindWords, 'kind'),
  industry: vocabulary(industryWords, 'industry'),
  parent_code: text(64),
  owner_email: email,
  tags: list,
  status: vocabulary(statusWords, 'status'),
  source: text(200),
  services_used: list,
  requirements: text(4000),
};
export type AccountRow = Output<typeof accountFields>;

export const accountRowSchema = () =>
  rowSchema(accountFields, (row) =>
    row.parent_code !== null && row.parent_code === row.account_code
      ? { column: 'parent_code', message: 'an account cannot be its own parent' }
      : null,
  );

const contactFields = {
  account_code: code,
  name: text(300),
  title: text(200),
  email,
  phone,
  language: vocabulary(languageWords, 'language'),
  channels: contactChannels,
};
export type ContactRow = Output<typeof contactFields>;

export const contactRowSchema = () =>
  rowSchema(contactFields, (row) =>
    row.name === null && row.email === null && row.phone === null
      ? { column: 'name', message: 'a contact needs a name, an email or a phone' }
      : null,
  );

const transactionFields = (options: RowSchemaOptions) => ({
  transaction_id: code,
  account_code: code,
  occurred_at: dateTime(options.date),
  amount: required(decimal),
  currency,
  quantity: decimal,
  unit: text(20),
  product_line: text(100),
  channel: text(100),
  cost: decimal,
});
export type TransactionRow = Output<ReturnType<typeof transactionFields>>;
export const transactionRowSchema = (options: RowSchemaOptions) => rowSchema(transactionFields(options));

const interactionFields = (options: RowSchemaOptions) => ({
  interaction_id: text(64),
  account_code: code,
  occurred_at: dateTime(options.date),
  channel: required(vocabulary(channelWords, 'channel')),
  direction: vocabulary(directionWords, 'direction'),
  subject: text(500),
  notes: text(20_000),
  user_email: email,
  contact_emails: emailList,
});
export type InteractionRow = Output<ReturnType<typeof interactionFields>>;
export const interactionRowSchema = (options: RowSchemaOptions) => rowSchema(interactionFields(options));

// ----------------------------------------------------------------------------------------------------------
// API shapes.

export const importStatusSchema = z.enum(['running', 'completed', 'failed']);

export const importSummarySchema = z.object({
  importId: z.number().int().nullable().describe('null for a dry run (nothing is stored)'),
  entity: importEntitySchema,
  fileName: z.string(),
  status: importStatusSchema,
  dryRun: z.boolean(),
  rowsDone: z.number().int().describe('data rows committed so far (the checkpoint)'),
  bytesDone: z.number().int(),
  fileSize: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  errorsFile: z.string().nullable(),
  failure: z.string().nullable(),
  resumed: z.boolean().describe('true when this run continued an interrupted import'),
  startedBy: z
    .object({ id: z.number().int(), name: z.string() })
    .nullable()
    .describe('the user who started the import; null: the command line'),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const importListSchema = z.object({ items: z.array(importSummarySchema) });

export const importIdParamsSchema = z.object({ id: z.coerce.number().int().positive() });

export const rowProblemSchema = z.object({
  row: z.number().int().describe('row number as a spreadsheet shows it (the header is row 1)'),
  column: z.string().nullable(),
  value: z.string().nullable(),
  message: z.string(),
});
export type RowProblem = z.infer<typeof rowProblemSchema>;

export const previewSchema = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string(),
  delimiter: z.string().nullable(),
  headers: z.array(z.string()),
  mapping: mappingSchema,
  missingRequired: z.array(z.string()),
  unmappedHeaders: z.array(z.string()),
  dateOrder: z.string().nullable().describe('detected order of slashed dates: DMY, MDY, ambiguous, conflicting'),
  rows: z.array(z.object({ row: z.number().int(), values: z.record(z.string(), z.string()) })),
  problems: z.array(rowProblemSchema),
  warnings: z.array(z.string()),
});
export type Preview = z.infer<typeof previewSchema>;

export const savedMappingSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  entity: importEntitySchema,
  mapping: mappingSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SavedMapping = z.infer<typeof savedMappingSchema>;

export const savedMappingInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  entity: importEntitySchema,
  mapping: mappingSchema,
});
export type SavedMappingInput = z.infer<typeof savedMappingInputSchema>;

export const exportFormatSchema = z.enum(['csv', 'xlsx']);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

/** An ISO 8601 date or date-time (checked here, so the database never sees an impossible one such as 2026-13-45). */
const exportDateSchema = z
  .string()
  .max(40)
  .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO 8601 date such as 2026-01-31')
  .refine(
    (value) => !Number.isNaN(Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)),
    'is not a real date',
  );

export const exportQuerySchema = z.object({
  format: exportFormatSchema.default('csv'),
  q: z.string().trim().max(200).optional().describe('text search over codes and names'),
  industry: z.enum(['freight', 'automotive', 'retail']).optional(),
  status: z.enum(['prospect', 'active', 'lost']).optional(),
  tag: z.string().max(100).optional(),
  account_code: z.string().max(64).optional().describe('only rows of this account (contacts, transactions)'),
  from: exportDateSchema.optional().describe('transactions on or after this date (ISO)'),
  to: exportDateSchema.optional().describe('transactions before this date (ISO)'),
  include_archived: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('include archived rows'),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;
