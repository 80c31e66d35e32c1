import type { AccountRow, ContactRow, TransactionRow, UserRow } from './model.js';

/**
 * CSV encoding of the demo rows for PostgreSQL's COPY … (format csv): unquoted empty = NULL, quoted empty
 * = empty text; fields with a comma, quote, line break or backslash are quoted with doubled quotes (a
 * backslash is quoted too, so a lone `\.` can never be read as the end-of-data marker). Money and
 * quantities are written from integers, so the text is exact ("12.30", never "12.300000001").
 */
export type CsvValue = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n\\]/;

export function csvText(text: string): string {
  if (text.includes('\u0000')) throw new RangeError('PostgreSQL text cannot hold a NUL character');
  if (text === '' || NEEDS_QUOTES.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return csvText(value);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

export const csvRow = (values: readonly CsvValue[]): string => `${values.map(csvField).join(',')}\n`;

/** Integer minor units → exact decimal text with `scale` places: (-1234, 2) → "-12.34". */
export function scaledText(units: number, scale: number): string {
  if (!Number.isSafeInteger(units)) throw new RangeError(`not a whole number of units: ${units}`);
  const sign = units < 0 ? '-' : '';
  const digits = String(Math.abs(units)).padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

export const centsText = (cents: number): string => scaledText(cents, 2);
export const isoTime = (ms: number): string => new Date(ms).toISOString();

export interface IdLookup {
  account(code: string): number;
  user(email: string): number;
}

export const userColumns = ['email', 'display_name', 'role', 'team'] as const;
export const encodeUser = (row: UserRow): string => csvRow([row.email, row.displayName, row.role, row.team]);

export const accountColumns = [
  'code',
  'name_en',
  'name_zh',
  'kind',
  'industry',
  'parent_id',
  'owner_id',
  'created_at',
] as const;
export const encodeAccount = (row: AccountRow, ids: IdLookup): string =>
  csvRow([
    row.code,
    row.nameEn,
    row.nameZh,
    row.kind,
    row.industry,
    row.parentCode === null ? null : ids.account(row.parentCode),
    row.ownerEmail === null ? null : ids.user(row.ownerEmail),
    isoTime(row.createdAt),
  ]);

export const contactColumns = ['account_id', 'name', 'title', 'email', 'phone', 'created_at'] as const;
export const encodeContact = (row: ContactRow, ids: IdLookup): string =>
  csvRow([ids.account(row.accountCode), row.name, row.title, row.email, row.phone, isoTime(row.createdAt)]);

export const transactionColumns = [
  'external_id',
  'account_id',
  'occurred_at',
  'amount',
  'currency',
  'quantity',
  'unit',
  'product_line',
  'channel',
  'cost',
  'attributes',
] as const;
const SAFE_JSON_TEXT = /^[\w .,\-/&()+:]*$/;

/**
 * JSON of a flat attribute object, already quoted as one CSV field: the same text as quoting
 * `JSON.stringify(attributes)`, in one pass (this runs once per transaction row).
 */
export function csvJson(attributes: Readonly<Record<string, unknown>>): string {
  let out = '"{';
  let separator = '';
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    const name = SAFE_JSON_TEXT.test(key) ? key : JSON.stringify(key).slice(1, -1).replace(/"/g, '""');
    let text: string;
    if (typeof value === 'string')
      text = SAFE_JSON_TEXT.test(value) ? `""${value}""` : JSON.stringify(value).replace(/"/g, '""');
    else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : 'null';
    else if (typeof value === 'boolean') text = value ? 'true' : 'false';
    else if (value === null) text = 'null';
    else text = JSON.stringify(value).replace(/"/g, '""');
    out += `${separator}""${name}"":${text}`;
    separator = ',';
  }
  return `${out}}"`;
}

const nullableText = (text: string | null): string => (text === null ? '' : csvText(text));

// Hand-unrolled: this runs once per transaction row (a million times for the large demo).
export const encodeTransaction = (row: TransactionRow, ids: IdLookup): string =>
  `${csvText(row.externalId)},${ids.account(row.accountCode)},${isoTime(row.occurredAt)},${centsText(row.amountCents)},${
    row.currency
  },${row.quantityMilli === null ? '' : scaledText(row.quantityMilli, 3)},${nullableText(row.unit)},${csvText(
    row.productLine,
  )},${nullableText(row.channel)},${row.costCents === null ? '' : centsText(row.costCents)},${csvJson(row.attributes)}\n`;

/** Lookups backed by maps; a missing key is a bug in the generator, so it throws. */
export function mapLookup(accounts: ReadonlyMap<string, number>, users: ReadonlyMap<string, number>): IdLookup {
  return {
    account: (code) => {
      const id = accounts.get(code);
      if (id === undefined) throw new Error(`demo: no account id for ${code}`);
      return id;
    },
    user: (email) => {
      const id = users.get(email);
      if (id === undefined) throw new Error(`demo: no user id for ${email}`);
      return id;
    },
  };
}

export interface ChunkPlan<T> {
  /** Number of items (customers) to cover, indexed 1 … total. */
  readonly total: number;
  /** Items per CSV chunk. */
  readonly chunkSize: number;
  /** Rows of items [from, to). */
  rows(from: number, to: number): Iterable<T>;
  encode(row: T): string;
  /** Called after each chunk is encoded, with the items and rows it holds. */
  onChunk?(items: number, rows: number): void;
}

export interface ChunkOptions {
  /** Split the chunks round-robin between `parts` parallel streams; this stream takes `part`. */
  readonly part?: number;
  readonly parts?: number;
  /** Join encoded chunks until they hold at least this many characters (fewer, larger COPY statements). */
  readonly minChars?: number;
  /** Stops the stream (it throws) when aborted, e.g. because a parallel stream failed. */
  readonly signal?: AbortSignal;
}

/**
 * CSV text, encoded `chunkSize` items at a time, lazily as COPY consumes it: memory stays at about one
 * chunk however large the data set (small chunks also keep the garbage young and cheap to collect).
 */
export async function* csvChunks<T>(plan: ChunkPlan<T>, options: ChunkOptions = {}): AsyncGenerator<string> {
  const { part = 0, parts = 1, minChars = 0, signal } = options;
  let pending: string[] = [];
  let pendingChars = 0;
  let chunkNumber = 0;
  for (let from = 1; from <= plan.total; from += plan.chunkSize, chunkNumber += 1) {
    if (chunkNumber % parts !== part) continue;
    signal?.throwIfAborted();
    const to = Math.min(plan.total + 1, from + plan.chunkSize);
    let text = '';
    let rows = 0;
    for (const row of plan.rows(from, to)) {
      text += plan.encode(row);
      rows += 1;
    }
    plan.onChunk?.(to - from, rows);
    if (rows === 0) continue;
    pending.push(text);
    pendingChars += text.length;
    if (pendingChars >= minChars) {
      yield pending.length === 1 ? text : pending.join('');
      pending = [];
      pendingChars = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}
