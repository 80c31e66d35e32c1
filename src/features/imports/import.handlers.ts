import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { RawSql } from '../../db/connect.js';
import { AppError } from '../../shared/errors.js';
import { parseDateOnly } from './dates.rules.js';
import {
  accountRowSchema,
  contactRowSchema,
  interactionRowSchema,
  openColumnPrefix,
  transactionRowSchema,
  type AccountRow,
  type ContactRow,
  type ImportEntity,
  type InteractionRow,
  type Mapping,
  type RawRow,
  type RowProblem,
  type TransactionRow,
} from './import.schema.js';
import {
  accountIdsByCode,
  contactsOfAccounts,
  customFieldDefinitions,
  userIdsByEmail,
  writeAccounts,
  writeContacts,
  writeInteractions,
  newTransactionWriteState,
  resolveTransactionAccounts,
  writeTransactions,
  type AccountOptionalColumn,
  type AccountWrite,
  type ContactOptionalColumn,
  type ContactWrite,
  type CustomFieldDefinition,
  type InteractionOptionalColumn,
  type InteractionWrite,
  type TransactionOptionalColumn,
  type TransactionWrite,
} from './import.repository.js';
import { normaliseDecimal } from './normalise.rules.js';
import { attributeSchema, type AttributeSchema, type AttributeValue } from './packs.schema.js';
import type { Industry } from '../accounts/index.js';

/**
 * One handler per entity: turns a mapped row into a validated value (zod), names its business key, and writes a
 * batch — resolving references by business key (account_code, parent_code, emails) and reporting the rows whose
 * references do not exist. Writers return counts; every rejected row comes back as a problem.
 */
export interface Validated<T> {
  row: number;
  data: T;
  open: Record<string, string>;
}

export interface BatchResult {
  inserted: number;
  updated: number;
  problems: RowProblem[];
}

export interface EntityHandler<T> {
  schema: z.ZodType<T, RawRow>;
  /** The business key, for duplicates within a batch. */
  key(data: T): string;
  keyColumn: string;
  write(raw: RawSql, rows: readonly Validated<T>[]): Promise<BatchResult>;
}

export interface HandlerContext {
  entity: ImportEntity;
  mapping: Mapping;
  timeZone: string;
  /** Canonical column → the header it came from (for the error report). */
  headerOf: (column: string) => string;
  /** Canonical columns the file has. */
  present: ReadonlySet<string>;
  /** Open columns (custom.x, attributes.x) the file has. */
  openColumns: readonly string[];
}

const problem = (
  row: number,
  column: string | null,
  value: string | null | undefined,
  message: string,
): RowProblem => ({
  row,
  column,
  value: value ?? null,
  message,
});

// ------------------------------------------------------------------------------------------------ accounts

function convertCustom(
  definition: CustomFieldDefinition,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string } {
  switch (definition.type) {
    case 'number': {
      const result = normaliseDecimal(text);
      return result.ok ? { ok: true, value: Number(result.value) } : result;
    }
    case 'date': {
      const result = parseDateOnly(text, { order: 'DMY' });
      return result.ok ? { ok: true, value: result.iso } : result;
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (['true', 'yes', 'y', '1', '是', '有'].includes(lower)) return { ok: true, value: true };
      if (['false', 'no', 'n', '0', '否', '沒有', '无'].includes(lower)) return { ok: true, value: false };
      return { ok: false, message: `"${text}" is not yes or no` };
    }
    case 'choice':
      return definition.choices?.includes(text)
        ? { ok: true, value: text }
        : { ok: false, message: `"${text}" is not one of ${(definition.choices ?? []).join(', ')}` };
    default:
      return { ok: true, value: text };
  }
}

/**
 * The `custom.<key>` columns of a file (accounts, contacts): every key must be defined for the entity in
 * custom_field_definitions (else the whole import is refused, naming the unknown keys), and every value is
 * converted by its definition's type. `read` gives a row's values (empty cells left out: they keep what is
 * stored), or null after adding a problem for each bad cell.
 */
async function customColumns(
  raw: RawSql,
  entity: 'accounts' | 'contacts',
  context: HandlerContext,
): Promise<{
  keys: readonly string[];
  read(row: Validated<unknown>, problems: RowProblem[]): Record<string, unknown> | null;
}> {
  const keys = context.openColumns.map((column) => column.slice('custom.'.length));
  if (keys.length === 0) return { keys, read: () => ({}) };
  const definitions = new Map((await customFieldDefinitions(raw, entity)).map((d) => [d.key, d]));
  const unknown = keys.filter((key) => !definitions.has(key));
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `Unknown ${entity} custom field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: define ${unknown.length > 1 ? 'them' : 'it'} first` +
        (definitions.size > 0 ? ` (defined: ${[...definitions.keys()].join(', ')})` : ''),
      { unknownCustomFields: unknown },
    );
  }
  return {
    keys,
    read(row, problems) {
      const values: Record<string, unknown> = {};
      let bad = false;
      for (const key of keys) {
        const text = row.open[`custom.${key}`]?.trim() ?? '';
        if (text === '') continue;
        const result = convertCustom(definitions.get(key)!, text);
        if (!result.ok) {
          problems.push(problem(row.row, context.headerOf(`custom.${key}`), text, result.message));
          bad = true;
        } else values[key] = result.value;
      }
      return bad ? null : values;
    },
  };
}

async function accountHandler(raw: RawSql, context: HandlerContext): Promise<EntityHandler<AccountRow>> {
  const custom = await customColumns(raw, 'accounts', context);
  const present = new Set<AccountOptionalColumn>();
  for (const column of ['name_zh', 'kind', 'industry', 'parent_code', 'tags', 'status', 'source'] as const) {
    if (context.present.has(column)) present.add(column);
  }
  if (context.present.has('owner_email')) present.add('owner_id');
  if (context.present.has('services_used') || context.present.has('requirements')) present.add('needs');
  if (custom.keys.length > 0) present.add('custom');
  const defaultIndustry = context.mapping.defaults.industry ?? 'freight';

  return {
    schema: accountRowSchema(),
    key: (data) => data.account_code,
    keyColumn: 'account_code',
    async write(raw, rows) {
      const problems: RowProblem[] = [];
      const owners = await userIdsByEmail(
        raw,
        rows.flatMap((r) => (r.data.owner_email ? [r.data.owner_email] : [])),
      );
      const parents = await accountIdsByCode(
        raw,
        rows.flatMap((r) => (r.data.parent_code ? [r.data.parent_code] : [])),
      );
      const ready = new Map<string, { row: Validated<AccountRow>; write: AccountWrite }>();
      for (const row of rows) {
        const { data } = row;
        if (data.owner_email && !owners.has(data.owner_email)) {
          problems.push(
            problem(
              row.row,
              context.headerOf('owner_email'),
              data.owner_email,
              `no user has the email ${data.owner_email}`,
            ),
          );
          continue;
        }
        const values = custom.read(row, problems);
        if (values === null) continue;
        const needs: Record<string, unknown> = {};
        if (data.services_used) needs.servicesUsed = data.services_used;
        if (data.requirements) needs.requirements = data.requirements;
        ready.set(data.account_code, {
          row,
          write: {
            code: data.account_code,
            name_en: data.name,
            name_zh: data.name_zh,
            kind: data.kind,
            industry: data.industry,
            parent_code: data.parent_code,
            owner_id: data.owner_email ? owners.get(data.owner_email)! : null,
            tags: data.tags,
            status: data.status,
            source: data.source,
            needs,
            custom: values,
          },
        });
      }
      // Parents first: depth 0 has no parent or one already stored; depth n's parent is in this batch at n - 1.
      const depth = new Map<string, number | null>();
      const depthOf = (code: string, trail: Set<string>): number | null => {
        if (depth.has(code)) return depth.get(code)!;
        const entry = ready.get(code);
        if (!entry) return null;
        const parent = entry.write.parent_code;
        let result: number | null;
        if (parent === null || (parents.has(parent) && !ready.has(parent))) result = 0;
        else if (trail.has(parent)) result = null;
        else if (ready.has(parent)) {
          trail.add(code);
          const parentDepth = depthOf(parent, trail);
          result = parentDepth === null ? null : parentDepth + 1;
        } else result = null;
        depth.set(code, result);
        return result;
      };
      const levels: AccountWrite[][] = [];
      for (const [code, entry] of ready) {
        const level = depthOf(code, new Set());
        if (level === null) {
          const parent = entry.write.parent_code ?? '';
          const message = ready.has(parent)
            ? `parent account ${parent} could not be imported (rejected, or the parents form a cycle)`
            : `parent account ${parent} does not exist (import it first, or include it in the file)`;
          problems.push(problem(entry.row.row, context.headerOf('parent_code'), parent, message));
          continue;
        }
        (levels[level] ??= []).push(entry.write);
      }
      let inserted = 0;
      let updated = 0;
      for (const level of levels) {
        if (!level) continue;
        const counts = await writeAccounts(raw, level, present, defaultIndustry);
        inserted += counts.inserted;
        updated += counts.updated;
      }
      return { inserted, updated, problems };
    },
  };
}

// ------------------------------------------------------------------------------------------------ contacts

const contactKey = (data: ContactRow): string =>
  data.email
    ? `${data.account_code}|e:${data.email}`
    : data.phone
      ? `${data.account_code}|p:${data.phone}`
      : `${data.account_code}|n:${(data.name ?? '').toLowerCase()}`;

async function contactHandler(raw: RawSql, context: HandlerContext): Promise<EntityHandler<ContactRow>> {
  const present = new Set<ContactOptionalColumn>(
    (['name', 'title', 'email', 'phone', 'language', 'channels'] as const).filter((column) =>
      context.present.has(column),
    ),
  );
  const custom = await customColumns(raw, 'contacts', context);
  if (custom.keys.length > 0) present.add('custom');
  return {
    schema: contactRowSchema(),
    key: contactKey,
    keyColumn: 'email',
    async write(raw, rows) {
      const problems: RowProblem[] = [];
      const accounts = await accountIdsByCode(
        raw,
        rows.map((r) => r.data.account_code),
      );
      const existing = await contactsOfAccounts(raw, [...accounts.values()]);
      const byEmail = new Map<string, number>();
      const byPhone = new Map<string, number>();
      const byName = new Map<string, number>();
      for (const contact of existing) {
        const account = Number(contact.account_id);
        const id = Number(contact.id);
        if (contact.email) {
          if (!byEmail.has(`${account}|${contact.email.toLowerCase()}`))
            byEmail.set(`${account}|${contact.email.toLowerCase()}`, id);
        } else if (contact.phone) {
          if (!byPhone.has(`${account}|${contact.phone}`)) byPhone.set(`${account}|${contact.phone}`, id);
        } else if (contact.name && !byName.has(`${account}|${contact.name.toLowerCase()}`)) {
          byName.set(`${account}|${contact.name.toLowerCase()}`, id);
        }
      }
      const writes: ContactWrite[] = [];
      for (const row of rows) {
        const { data } = row;
        const accountId = accounts.get(data.account_code);
        if (accountId === undefined) {
          problems.push(
            problem(
              row.row,
              context.headerOf('account_code'),
              data.account_code,
              `account ${data.account_code} does not exist`,
            ),
          );
          continue;
        }
        const values = custom.read(row, problems);
        if (values === null) continue;
        const id = data.email
          ? byEmail.get(`${accountId}|${data.email}`)
          : data.phone
            ? byPhone.get(`${accountId}|${data.phone}`)
            : byName.get(`${accountId}|${(data.name ?? '').toLowerCase()}`);
        writes.push({
          id: id ?? null,
          account_id: accountId,
          name: data.name,
          title: data.title,
          email: data.email,
          phone: data.phone,
          language: data.language,
          channels: data.channels,
          custom: values,
        });
      }
      const counts = await writeContacts(raw, writes, present);
      return { ...counts, problems };
    },
  };
}

// -------------------------------------------------------------------------------------------- transactions

function transactionHandler(context: HandlerContext): EntityHandler<TransactionRow> {
  const present = new Set<TransactionOptionalColumn>(
    (['currency', 'quantity', 'unit', 'product_line', 'channel', 'cost'] as const).filter((column) =>
      context.present.has(column),
    ),
  );
  const attributeKeys = context.openColumns.map((column) => column.slice('attributes.'.length));
  if (attributeKeys.length > 0) present.add('attributes');
  const defaultCurrency = context.mapping.defaults.currency?.toUpperCase() ?? 'HKD';
  const state = newTransactionWriteState();
  const packSchemas = new Map<Industry, AttributeSchema>();
  const packSchema = (industry: Industry): AttributeSchema => {
    let schema = packSchemas.get(industry);
    if (!schema) packSchemas.set(industry, (schema = attributeSchema(industry, attributeKeys)));
    return schema;
  };

  /** The row's attributes checked against its account's industry pack; problems name the attribute's column. */
  const checkAttributes = (row: Validated<TransactionRow>, problems: RowProblem[]) => {
    if (attributeKeys.length === 0) return null;
    const account = state.accounts.get(row.data.account_code);
    const cells: RawRow = {};
    for (const key of attributeKeys) cells[key] = row.open[`attributes.${key}`];
    // Without a known account the row is reported as such by the writer; its attributes wait for that fix.
    if (!account) return {};
    const parsed = packSchema(account.industry).safeParse(cells);
    if (parsed.success) {
      const attributes: Record<string, AttributeValue> = {};
      for (const [key, value] of Object.entries(parsed.data)) if (value !== null) attributes[key] = value;
      return attributes;
    }
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      problems.push(
        problem(
          row.row,
          context.headerOf(`attributes.${key}`),
          cells[key] ?? null,
          `${key} ${issue.message} (${account.industry} attribute)`,
        ),
      );
    }
    return null;
  };

  return {
    schema: transactionRowSchema({ date: { order: context.mapping.dateFormat, timeZone: context.timeZone } }),
    key: (data) => data.transaction_id,
    keyColumn: 'transaction_id',
    async write(raw, rows) {
      if (attributeKeys.length > 0) {
        await resolveTransactionAccounts(
          raw,
          rows.map((row) => row.data.account_code),
          state,
        );
      }
      const problems: RowProblem[] = [];
      const writes: TransactionWrite[] = [];
      for (const row of rows) {
        const { data } = row;
        const attributes = checkAttributes(row, problems);
        if (attributes === null && attributeKeys.length > 0) continue;
        writes.push({
          row: row.row,
          external_id: data.transaction_id,
          account_code: data.account_code,
          occurred_at: data.occurred_at,
          amount: data.amount,
          currency: data.currency,
          quantity: data.quantity,
          unit: data.unit,
          product_line: data.product_line,
          channel: data.channel,
          cost: data.cost,
          attributes,
        });
      }
      const result = await writeTransactions(raw, writes, present, defaultCurrency, state);
      const missing = new Set(result.missingAccountRows);
      for (const row of rows) {
        if (missing.has(row.row))
          problems.push(
            problem(
              row.row,
              context.headerOf('account_code'),
              row.data.account_code,
              `account ${row.data.account_code} does not exist`,
            ),
          );
      }
      return { inserted: result.inserted, updated: result.updated, problems };
    },
  };
}

// -------------------------------------------------------------------------------------------- interactions

/** Without an interaction_id, the key is derived from what the row says, so the same row imports once. */
export const derivedInteractionId = (data: InteractionRow): string =>
  `h:${createHash('sha1')
    .update(
      [
        data.account_code,
        data.occurred_at,
        data.channel,
        data.direction ?? '',
        data.subject ?? '',
        data.notes ?? '',
        data.user_email ?? '',
      ].join('\u0001'),
    )
    .digest('hex')}`;

function interactionHandler(context: HandlerContext): EntityHandler<InteractionRow> {
  const present = new Set<InteractionOptionalColumn>(
    (['direction', 'subject', 'notes'] as const).filter((column) => context.present.has(column)),
  );
  if (context.present.has('user_email')) present.add('user_id');
  if (context.present.has('contact_emails')) present.add('contact_ids');
  return {
    schema: interactionRowSchema({ date: { order: context.mapping.dateFormat, timeZone: context.timeZone } }),
    key: (data) => data.interaction_id ?? derivedInteractionId(data),
    keyColumn: 'interaction_id',
    async write(raw, rows) {
      const problems: RowProblem[] = [];
      const accounts = await accountIdsByCode(
        raw,
        rows.map((r) => r.data.account_code),
      );
      const users = await userIdsByEmail(
        raw,
        rows.flatMap((r) => (r.data.user_email ? [r.data.user_email] : [])),
      );
      const contacts = present.has('contact_ids') ? await contactsOfAccounts(raw, [...accounts.values()]) : [];
      const contactByEmail = new Map(
        contacts.filter((c) => c.email).map((c) => [`${Number(c.account_id)}|${c.email!.toLowerCase()}`, Number(c.id)]),
      );
      const writes: InteractionWrite[] = [];
      for (const row of rows) {
        const { data } = row;
        const accountId = accounts.get(data.account_code);
        if (accountId === undefined) {
          problems.push(
            problem(
              row.row,
              context.headerOf('account_code'),
              data.account_code,
              `account ${data.account_code} does not exist`,
            ),
          );
          continue;
        }
        if (data.user_email && !users.has(data.user_email)) {
          problems.push(
            problem(
              row.row,
              context.headerOf('user_email'),
              data.user_email,
              `no user has the email ${data.user_email}`,
            ),
          );
          continue;
        }
        const contactIds: number[] = [];
        const missing = (data.contact_emails ?? []).filter((email) => {
          const id = contactByEmail.get(`${accountId}|${email}`);
          if (id !== undefined) contactIds.push(id);
          return id === undefined;
        });
        if (missing.length > 0) {
          problems.push(
            problem(
              row.row,
              context.headerOf('contact_emails'),
              missing.join('; '),
              `no contact of ${data.account_code} has the email ${missing.join(', ')}`,
            ),
          );
          continue;
        }
        writes.push({
          external_id: data.interaction_id ?? derivedInteractionId(data),
          account_id: accountId,
          occurred_at: data.occurred_at,
          channel: data.channel,
          direction: data.direction,
          subject: data.subject,
          notes: data.notes,
          user_id: data.user_email ? users.get(data.user_email)! : null,
          contact_ids: data.contact_emails ? contactIds : null,
        });
      }
      const counts = await writeInteractions(raw, writes, present);
      return { ...counts, problems };
    },
  };
}

export async function createHandler(raw: RawSql, context: HandlerContext): Promise<EntityHandler<unknown>> {
  const prefix = openColumnPrefix[context.entity];
  if (!prefix && context.openColumns.length > 0) {
    throw new AppError(
      'validation_failed',
      `${context.entity} have no open columns (${context.openColumns.join(', ')}).`,
    );
  }
  switch (context.entity) {
    case 'accounts':
      return await accountHandler(raw, context);
    case 'contacts':
      return await contactHandler(raw, context);
    case 'transactions':
      return transactionHandler(context);
    case 'interactions':
      return interactionHandler(context);
  }
}
