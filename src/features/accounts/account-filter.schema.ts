import { z } from 'zod';
import { accountKindSchema, accountStatusSchema, industrySchema } from './account.schema.js';

/**
 * The one account filter: the account list (API and web), the export of accounts (API, CLI `--filter`) and the web
 * list's URL all speak it. Its query-string form, documented in docs/lists.md:
 *
 *   q=text                       code, English or Chinese name contains the text
 *   status=active,prospect       any of (also kind, industry, owner = user ids)
 *   tag=vip,key                  has all of the tags
 *   account_code=FF-0002         the account with this code
 *   group=FF-0001                the group's parent account and its members (by the parent's code)
 *   source=…  created_from=YYYY-MM-DD  created_to=YYYY-MM-DD (inclusive)  include_archived=true
 *   custom.<key>=<op>:<value>    eq, contains (text); eq, gt, gte, lt, lte, between:a..b (number, date);
 *                                true / false (boolean); in:a|b (choice). A bare value means eq.
 *   needs.service=sea,air        services used include all of them
 *   needs.factor.<factor>=min_importance:4,max_performance:2,min_gap:2
 *
 * Parsing here is syntax only; whether a custom key exists and its value fits the field's type is decided against
 * the custom field definitions (account-filter.rules.ts), which live in the database.
 */

export const customOperatorSchema = z.enum([
  'eq',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'in',
  'true',
  'false',
]);
export type CustomOperator = z.infer<typeof customOperatorSchema>;

/** A custom-field condition as written: the values are still text (the field's type is not known yet). */
export interface CustomCondition {
  key: string;
  op: CustomOperator;
  values: string[];
}

/** A choice factor of the needs profile with bounds: importance ≥, performance ≤, importance − performance ≥. */
export interface FactorCondition {
  factor: string;
  minImportance?: number;
  maxPerformance?: number;
  minGap?: number;
}

export interface AccountFilter {
  q?: string;
  status: z.infer<typeof accountStatusSchema>[];
  kind: z.infer<typeof accountKindSchema>[];
  industry: z.infer<typeof industrySchema>[];
  owner: number[];
  tags: string[];
  accountCode?: string;
  group?: string;
  source?: string;
  createdFrom?: string;
  createdTo?: string;
  includeArchived: boolean;
  custom: CustomCondition[];
  services: string[];
  factors: FactorCondition[];
}

export const emptyAccountFilter: AccountFilter = {
  status: [],
  kind: [],
  industry: [],
  owner: [],
  tags: [],
  includeArchived: false,
  custom: [],
  services: [],
  factors: [],
};

const customKeyPattern = /^[a-z][a-z0-9_]{0,62}$/;
const isoDate = z.iso.date('must be a date YYYY-MM-DD');
/** A query-string value: one text, or the same key repeated (?status=a&status=b); commas separate values too. */
const listText = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(',')))
  .transform((items) => items.map((item) => item.trim()).filter((item) => item !== ''));
/** Each value checked by item; an error names the parameter (not its position) and the value. */
const listOf = <Output>(item: z.ZodType<Output, string>) =>
  listText.transform((items, ctx) => {
    if (items.length > 50) {
      ctx.addIssue({ code: 'custom', message: 'at most 50 values' });
      return z.NEVER;
    }
    const parsed: Output[] = [];
    for (const value of items) {
      const result = item.safeParse(value);
      if (!result.success) {
        ctx.addIssue({ code: 'custom', message: `"${value}": ${result.error.issues[0]?.message ?? 'invalid'}` });
        return z.NEVER;
      }
      parsed.push(result.data);
    }
    return parsed;
  });
const oneText = (max: number) => z.string().trim().max(max);

/** The fixed query parameters of the filter (custom.* and needs.* keys are open, parsed below). */
export const accountFilterFields = {
  q: oneText(200).optional().describe('Text search over the code and the English and Chinese names'),
  status: listOf(accountStatusSchema).optional().describe('Any of: prospect, active, lost (comma-separated)'),
  kind: listOf(accountKindSchema).optional().describe('Any of: company, person'),
  industry: listOf(industrySchema).optional().describe('Any of: freight, automotive, retail'),
  owner: listOf(
    z
      .string()
      .regex(/^[1-9][0-9]{0,15}$/, 'must be user ids')
      .transform(Number),
  )
    .optional()
    .describe('Owner user ids, any of'),
  tag: listOf(z.string().max(60)).optional().describe('Has all of these tags'),
  account_code: z.string().max(64).optional().describe('The account with this code, exactly (not trimmed)'),
  group: oneText(64).optional().describe("Code of a group's parent account: the parent and its members"),
  source: oneText(200).optional().describe('Source, exactly'),
  created_from: isoDate.optional().describe('Created on or after this day (YYYY-MM-DD)'),
  created_to: isoDate.optional().describe('Created on or before this day (YYYY-MM-DD)'),
  include_archived: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('Include archived accounts'),
};

type Issue = { path: string; message: string };

/** custom.credit_terms=gte:30 → { key, op: 'gte', values: ['30'] }; a bare value means eq (true/false on booleans). */
export function parseCustomCondition(key: string, raw: string): CustomCondition | Issue {
  const path = `custom.${key}`;
  if (!customKeyPattern.test(key)) return { path, message: `"${key}" is not a custom field key` };
  const colon = raw.indexOf(':');
  const head = colon >= 0 ? raw.slice(0, colon) : raw;
  const parsedOp = customOperatorSchema.safeParse(head);
  if (raw === 'true' || raw === 'false') return { key, op: raw, values: [] };
  if (colon < 0 || !parsedOp.success) return { key, op: 'eq', values: [raw] };
  const op = parsedOp.data;
  const rest = raw.slice(colon + 1);
  if (op === 'true' || op === 'false') return { path, message: `${op} takes no value (write custom.${key}=${op})` };
  if (op === 'between') {
    const parts = rest.split('..');
    if (parts.length !== 2 || parts.some((part) => part.trim() === ''))
      return { path, message: 'between needs two values: between:low..high' };
    return { key, op, values: parts.map((part) => part.trim()) };
  }
  if (op === 'in') {
    const values = rest
      .split('|')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    if (values.length === 0) return { path, message: 'in needs at least one value: in:a|b' };
    return { key, op, values };
  }
  if (rest.trim() === '') return { path, message: `${op} needs a value: ${op}:value` };
  return { key, op, values: [rest.trim()] };
}

const factorBounds = { min_importance: 'minImportance', max_performance: 'maxPerformance', min_gap: 'minGap' } as const;

/** needs.factor.price=min_importance:4,min_gap:2 → { factor: 'price', minImportance: 4, minGap: 2 }. */
export function parseFactorCondition(factor: string, raw: string): FactorCondition | Issue {
  const path = `needs.factor.${factor}`;
  if (factor.trim() === '' || factor.length > 60) return { path, message: 'names no choice factor' };
  const condition: FactorCondition = { factor: factor.trim() };
  for (const part of raw.split(',')) {
    const [name = '', value = ''] = part.split(':').map((item) => item.trim());
    const field = name in factorBounds ? factorBounds[name as keyof typeof factorBounds] : undefined;
    const number = Number(value);
    const limit = name === 'min_gap' ? 4 : 5;
    const low = name === 'min_gap' ? -4 : 1;
    if (!field) return { path, message: `"${part}" is not min_importance:N, max_performance:N or min_gap:N` };
    if (value === '' || !Number.isInteger(number) || number < low || number > limit)
      return { path, message: `${name} must be a whole number from ${low} to ${limit}` };
    condition[field] = number;
  }
  return condition;
}

const isIssue = (value: object): value is Issue => 'message' in value;

/** Parses the open keys (custom.*, needs.*) of a query string; any other unknown key is an error naming it. */
function parseOpenKeys(
  raw: Record<string, unknown>,
  known: ReadonlySet<string>,
): { custom: CustomCondition[]; services: string[]; factors: FactorCondition[] } | Issue {
  const custom: CustomCondition[] = [];
  const services: string[] = [];
  const factors: FactorCondition[] = [];
  for (const [name, given] of Object.entries(raw)) {
    if (known.has(name) || (typeof given !== 'string' && !Array.isArray(given))) continue;
    const values: string[] = Array.isArray(given) ? given.filter((item) => typeof item === 'string') : [given];
    for (const value of values) {
      if (name.startsWith('custom.')) {
        const parsed = parseCustomCondition(name.slice('custom.'.length), value.trim());
        if (isIssue(parsed)) return parsed;
        custom.push(parsed);
      } else if (name === 'needs.service') {
        const items = value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '');
        if (items.some((item) => item.length > 100))
          return { path: name, message: 'a service is at most 100 characters' };
        services.push(...items);
      } else if (name.startsWith('needs.factor.')) {
        const parsed = parseFactorCondition(name.slice('needs.factor.'.length), value);
        if (isIssue(parsed)) return parsed;
        factors.push(parsed);
      } else {
        return { path: name, message: `unknown filter "${name}" (see docs/lists.md)` };
      }
    }
  }
  if (custom.length + factors.length > 20) return { path: 'custom', message: 'at most 20 custom and factor filters' };
  return { custom, services, factors };
}

type FixedOutput = z.output<z.ZodObject<typeof accountFilterFields>>;

function toAccountFilter(fixed: FixedOutput, open: Pick<AccountFilter, 'custom' | 'services' | 'factors'>) {
  const filter: AccountFilter = {
    status: fixed.status ?? [],
    kind: fixed.kind ?? [],
    industry: fixed.industry ?? [],
    owner: fixed.owner ?? [],
    tags: fixed.tag ?? [],
    includeArchived: fixed.include_archived,
    ...open,
  };
  if (fixed.q) filter.q = fixed.q;
  if (fixed.account_code) filter.accountCode = fixed.account_code;
  if (fixed.group) filter.group = fixed.group;
  if (fixed.source) filter.source = fixed.source;
  if (fixed.created_from) filter.createdFrom = fixed.created_from;
  if (fixed.created_to) filter.createdTo = fixed.created_to;
  return filter;
}

const openValue = z.union([z.string(), z.array(z.string())]);

/**
 * A query-string schema: the filter's parameters plus `extra` (sort and page, or the export format), parsed into
 * `{ filter, ...extra }`. Unknown parameters answer 400 naming them.
 */
export function withAccountFilter<Extra extends z.ZodRawShape>(extra: Extra) {
  const known = new Set([...Object.keys(accountFilterFields), ...Object.keys(extra)]);
  return z
    .object({ ...accountFilterFields, ...extra })
    .catchall(openValue)
    .transform((raw, ctx) => {
      const open = parseOpenKeys(raw, known);
      if (isIssue(open)) {
        ctx.addIssue({ code: 'custom', path: [open.path], message: open.message });
        return z.NEVER;
      }
      const fixed = raw as unknown as FixedOutput;
      const rest: Record<string, unknown> = {};
      for (const name of Object.keys(extra)) rest[name] = (raw as Record<string, unknown>)[name];
      return { ...(rest as z.output<z.ZodObject<Extra>>), filter: toAccountFilter(fixed, open) };
    });
}

/** The filter alone (the CLI's --filter key=value pairs). */
export const accountFilterSchema = withAccountFilter({}).transform(({ filter }) => filter);

/**
 * The filter's query-string form, the inverse of the parse: only what is set, in a stable order — the web list
 * writes it into its URL and the export link, so a bookmarked or exported list is the list on screen.
 */
export function accountFilterToParams(filter: AccountFilter): [string, string][] {
  const params: [string, string][] = [];
  const list = (name: string, values: readonly (string | number)[]) => {
    if (values.length > 0) params.push([name, values.join(',')]);
  };
  if (filter.q) params.push(['q', filter.q]);
  list('status', filter.status);
  list('kind', filter.kind);
  list('industry', filter.industry);
  list('owner', filter.owner);
  list('tag', filter.tags);
  if (filter.accountCode) params.push(['account_code', filter.accountCode]);
  if (filter.group) params.push(['group', filter.group]);
  if (filter.source) params.push(['source', filter.source]);
  if (filter.createdFrom) params.push(['created_from', filter.createdFrom]);
  if (filter.createdTo) params.push(['created_to', filter.createdTo]);
  if (filter.includeArchived) params.push(['include_archived', 'true']);
  for (const condition of filter.custom) {
    const value =
      condition.op === 'true' || condition.op === 'false'
        ? condition.op
        : condition.op === 'between'
          ? `between:${condition.values.join('..')}`
          : condition.op === 'in'
            ? `in:${condition.values.join('|')}`
            : `${condition.op}:${condition.values[0] ?? ''}`;
    params.push([`custom.${condition.key}`, value]);
  }
  list('needs.service', filter.services);
  for (const factor of filter.factors) {
    const bounds: string[] = [];
    if (factor.minImportance !== undefined) bounds.push(`min_importance:${factor.minImportance}`);
    if (factor.maxPerformance !== undefined) bounds.push(`max_performance:${factor.maxPerformance}`);
    if (factor.minGap !== undefined) bounds.push(`min_gap:${factor.minGap}`);
    params.push([`needs.factor.${factor.factor}`, bounds.join(',')]);
  }
  return params;
}

// ---------------------------------------------------------------------------------------------------------
// The list and the export of accounts, and the custom field definitions the filter panel offers.

export const accountSortSchema = z.enum(['name', 'code', 'created', 'updated', 'status']);
export type AccountSort = z.infer<typeof accountSortSchema>;

export const accountListQuerySchema = withAccountFilter({
  sort: accountSortSchema.default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
});
export type AccountListQuery = z.output<typeof accountListQuerySchema>;

export const accountExportQuerySchema = withAccountFilter({ format: z.enum(['csv', 'xlsx']).default('csv') });
export type AccountExportQuery = z.output<typeof accountExportQuerySchema>;

export const customFieldTypeSchema = z.enum(['text', 'number', 'date', 'boolean', 'choice']);
export type CustomFieldType = z.infer<typeof customFieldTypeSchema>;

export const customFieldDefinitionSchema = z.object({
  key: z.string(),
  labelEn: z.string(),
  labelZh: z.string().nullable(),
  type: customFieldTypeSchema,
  choices: z.array(z.string()).nullable(),
});
export type CustomFieldDefinition = z.infer<typeof customFieldDefinitionSchema>;

export const customFieldListSchema = z.object({ items: z.array(customFieldDefinitionSchema) });
