import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import {
  accountScopeWhere,
  actorScope,
  canSee,
  maskRecord,
  ownerScopeWhere,
  requireScope,
  type Action,
  type Actor,
  type Resource,
} from '../auth/index.js';
import {
  contactIdsOfAccount,
  accountIdByCode,
  ancestorIds,
  deleteActivityRow,
  dominant,
  findActivity,
  findContact,
  findGroup,
  findInteraction,
  findMergedInto,
  findProfile,
  insertAccountRow,
  insertActivityRow,
  insertContactRow,
  insertInteractionRow,
  listActivities,
  listContacts,
  listInteractions,
  listMergeEvents,
  monthlySeries,
  transactionPage,
  transactionTotals,
  updateAccountRow,
  updateContactRow,
  updateInteractionRow,
  userAllowed,
  type AccountValues,
  type ContactValues,
  type InteractionValues,
  type StoredContact,
} from './customer.repository.js';
import {
  addMonths,
  blankToNull,
  changedFields,
  combinePairs,
  conflictsOf,
  fillMonths,
  mergeAccountFields,
  mergeContactFields,
  monthOf,
  normaliseContactEmail,
  normaliseContactPhone,
} from './customer.rules.js';
import type {
  AccountCreateInput,
  AccountProfile,
  AccountUpdateInput,
  Activity,
  ActivityCreateInput,
  Contact,
  ContactCreateInput,
  ContactUpdateInput,
  CustomerOverview,
  DuplicatePair,
  DuplicateQuery,
  Interaction,
  InteractionCreateInput,
  InteractionUpdateInput,
  MergeRequest,
  MergeResult,
  StaleEditDetails,
  Timeline,
  TimelineQuery,
  TransactionPage,
  TransactionPageQuery,
} from './customer.schema.js';
import {
  accountCandidates,
  accountRecords,
  accountSnapshot,
  contactCandidates,
  contactRecords,
  contactSnapshot,
  insertMerge,
  moveAccountHistory,
  moveContactReferences,
} from './duplicate.repository.js';

/**
 * Use cases of the customer data bank beyond the list: create, edit and archive accounts, contacts and
 * interactions (optimistic concurrency: a stale version answers 409 with the conflicting fields and the stored
 * record), relationship activities, the 360 overview, duplicates and merges. Every use case takes the Actor:
 * an account outside its read scope does not exist (404); a readable account outside the scope of the action
 * answers 403. Every write records an audit entry in its own transaction.
 */
export interface CustomerService {
  overview(actor: Actor, id: number): Promise<CustomerOverview>;
  createAccount(actor: Actor, input: AccountCreateInput): Promise<AccountProfile>;
  updateAccount(actor: Actor, id: number, input: AccountUpdateInput): Promise<AccountProfile>;
  setAccountArchived(actor: Actor, id: number, version: number, archived: boolean): Promise<AccountProfile>;
  transactions(actor: Actor, accountId: number, query: TransactionPageQuery): Promise<TransactionPage>;
  timeline(actor: Actor, accountId: number, query: TimelineQuery): Promise<Timeline>;
  listContacts(actor: Actor, accountId: number, includeArchived: boolean): Promise<Contact[]>;
  createContact(actor: Actor, accountId: number, input: ContactCreateInput): Promise<Contact>;
  updateContact(actor: Actor, id: number, input: ContactUpdateInput): Promise<Contact>;
  setContactArchived(actor: Actor, id: number, version: number, archived: boolean): Promise<Contact>;
  createInteraction(actor: Actor, accountId: number, input: InteractionCreateInput): Promise<Interaction>;
  updateInteraction(actor: Actor, id: number, input: InteractionUpdateInput): Promise<Interaction>;
  setInteractionArchived(actor: Actor, id: number, version: number, archived: boolean): Promise<Interaction>;
  createActivity(actor: Actor, accountId: number, input: ActivityCreateInput): Promise<Activity>;
  deleteActivity(actor: Actor, id: number): Promise<void>;
  duplicates(actor: Actor, query: DuplicateQuery): Promise<DuplicatePair[]>;
  mergeAccounts(actor: Actor, request: MergeRequest): Promise<MergeResult>;
  mergeContacts(actor: Actor, request: MergeRequest): Promise<MergeResult>;
}

export interface CustomerServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  /** Calendar months of the revenue chart (default Asia/Hong_Kong). */
  timeZone?: string;
  /** Months in the revenue chart (default 24). */
  months?: number;
}

const resourceName = (resource: Resource): string => resource.replace('_', ' ');

const notFound = (id: number): AppError => new AppError('not_found', `Account ${id} does not exist.`);

function stale(
  kind: string,
  id: number,
  current: Record<string, unknown> & { version: number; updatedAt: string },
  yours: Record<string, unknown>,
  yourVersion: number,
): AppError {
  const details: StaleEditDetails = {
    currentVersion: current.version,
    yourVersion,
    updatedAt: current.updatedAt,
    conflicts: conflictsOf(yours, current),
    current,
  };
  return new AppError(
    'conflict',
    `${kind} ${id} was changed by someone else (now version ${current.version}, yours ${yourVersion}); reload and try again.`,
    details,
  );
}

/** Both records live and as the user saw them (when they sent the versions); else 409 saying which changed. */
function checkMergeable(
  noun: 'Account' | 'Contact',
  survivor: { id: number; version: number; archivedAt: string | null },
  merged: { id: number; version: number; archivedAt: string | null },
  request: MergeRequest,
): void {
  for (const record of [survivor, merged]) {
    if (record.archivedAt !== null)
      throw new AppError('conflict', `${noun} ${record.id} is archived (merged already?).`);
  }
  const changed = [
    { id: survivor.id, yours: request.survivorVersion, current: survivor.version },
    { id: merged.id, yours: request.mergedVersion, current: merged.version },
  ].filter((entry) => entry.yours !== undefined && entry.yours !== entry.current);
  if (changed.length > 0) {
    throw new AppError(
      'conflict',
      `${noun} ${changed.map((entry) => entry.id).join(' and ')} changed since you looked at it; reload and try again.`,
      { changed },
    );
  }
}

/** Fields of an account edit in the profile's shape, with text trimmed (empty optional text → null). */
function accountFields(input: Omit<AccountUpdateInput, 'version'>): Partial<AccountProfile> {
  const fields: Partial<AccountProfile> = {};
  if (input.code !== undefined) fields.code = input.code;
  if (input.nameEn !== undefined) fields.nameEn = input.nameEn;
  if (input.nameZh !== undefined) fields.nameZh = blankToNull(input.nameZh) ?? null;
  if (input.kind !== undefined) fields.kind = input.kind;
  if (input.industry !== undefined) fields.industry = input.industry;
  if (input.parentId !== undefined) fields.parentId = input.parentId;
  if (input.ownerId !== undefined) fields.ownerId = input.ownerId;
  if (input.status !== undefined) fields.status = input.status;
  if (input.source !== undefined) fields.source = blankToNull(input.source) ?? null;
  if (input.tags !== undefined) fields.tags = [...new Set(input.tags)];
  if (input.needs !== undefined) {
    fields.needs = {
      servicesUsed: [...new Set(input.needs.servicesUsed)],
      requirements: blankToNull(input.needs.requirements) ?? null,
      choiceFactors: input.needs.choiceFactors,
    };
  }
  return fields;
}

/**
 * Copies the fields a write actually sets (not undefined) to their column names, so an update writes only what
 * the user changed.
 */
function definedColumns<F extends object, V extends object>(
  fields: Partial<F>,
  columns: { [K in keyof F]?: keyof V },
): V {
  const values: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(columns) as [string, string][]) {
    const value = (fields as Record<string, unknown>)[field];
    if (value !== undefined) values[column] = value;
  }
  return values as V;
}

const accountValues = (fields: Partial<AccountProfile>): AccountValues =>
  definedColumns<AccountProfile, AccountValues>(fields, {
    code: 'code',
    nameEn: 'name_en',
    nameZh: 'name_zh',
    kind: 'kind',
    industry: 'industry',
    parentId: 'parent_id',
    ownerId: 'owner_id',
    status: 'status',
    source: 'source',
    tags: 'tags',
    needs: 'needs',
    custom: 'custom',
  });

function contactFields(input: ContactCreateInput): Partial<StoredContact> {
  const fields: Partial<StoredContact> = {};
  const name = blankToNull(input.name);
  if (name !== undefined) fields.name = name;
  const title = blankToNull(input.title);
  if (title !== undefined) fields.title = title;
  const email = blankToNull(input.email);
  if (email !== undefined) {
    if (email === null) fields.email = null;
    else {
      const result = normaliseContactEmail(email);
      if (!result.ok)
        throw new AppError('validation_failed', `Invalid email: ${result.message}`, { parameter: 'email' });
      fields.email = result.value;
    }
  }
  const phone = blankToNull(input.phone);
  if (phone !== undefined) {
    if (phone === null) fields.phone = null;
    else {
      const result = normaliseContactPhone(phone);
      if (!result.ok)
        throw new AppError('validation_failed', `Invalid phone: ${result.message}`, { parameter: 'phone' });
      fields.phone = result.value;
    }
  }
  if (input.language !== undefined) fields.language = input.language;
  if (input.channels !== undefined) fields.channels = [...new Set(input.channels)];
  return fields;
}

const contactValues = (fields: Partial<StoredContact>): ContactValues =>
  definedColumns<StoredContact, ContactValues>(fields, {
    name: 'name',
    title: 'title',
    email: 'email',
    phone: 'phone',
    language: 'language',
    channels: 'channels',
  });

function interactionFields(input: Omit<InteractionUpdateInput, 'version'>): Partial<Interaction> {
  const fields: Partial<Interaction> = {};
  if (input.channel !== undefined) fields.channel = input.channel;
  if (input.direction !== undefined) fields.direction = input.direction;
  if (input.subject !== undefined) fields.subject = blankToNull(input.subject) ?? null;
  if (input.notes !== undefined) fields.notes = blankToNull(input.notes) ?? null;
  if (input.occurredAt !== undefined) fields.occurredAt = new Date(input.occurredAt).toISOString();
  if (input.contactIds !== undefined) fields.contactIds = [...new Set(input.contactIds)].sort((a, b) => a - b);
  return fields;
}

const interactionValues = (fields: Partial<Interaction>): InteractionValues =>
  definedColumns<Interaction, InteractionValues>(fields, {
    channel: 'channel',
    direction: 'direction',
    subject: 'subject',
    notes: 'notes',
    occurredAt: 'occurred_at',
    contactIds: 'contact_ids',
  });

export function createCustomerService({
  db,
  clock,
  timeZone = 'Asia/Hong_Kong',
  months = 24,
}: CustomerServiceDeps): CustomerService {
  /** Where-clause on `ownerColumn` for (resource, action); 403 when the role lacks the action. */
  const scopeOf = (actor: Actor, resource: Resource, action: Action, ownerColumn = 'a.owner_id') =>
    accountScopeWhere(actor, action, { resource, ownerColumn });

  /** The account as the actor may read it (404 otherwise), and — when given — within (resource, action) (403). */
  async function accountFor(
    actor: Actor,
    id: number,
    need?: { resource: Resource; action: Action; db?: Kysely<DB>; lock?: boolean },
  ): Promise<AccountProfile> {
    const handle = need?.db ?? db;
    const account = await findProfile(handle, id, scopeOf(actor, 'accounts', 'read'), need?.lock ?? false);
    if (!account) throw notFound(id);
    if (need) await assertCovers(actor, id, need.resource, need.action, handle);
    return account;
  }

  async function covers(
    actor: Actor,
    accountId: number,
    resource: Resource,
    action: Action,
    handle: Kysely<DB> = db,
  ): Promise<boolean> {
    if (actorScope(actor, resource, action) === null) return false;
    const row = await handle
      .selectFrom('accounts as a')
      .select('a.id')
      .where('a.id', '=', accountId)
      .where(scopeOf(actor, resource, action))
      .executeTakeFirst();
    return row !== undefined;
  }

  async function assertCovers(
    actor: Actor,
    accountId: number,
    resource: Resource,
    action: Action,
    handle: Kysely<DB> = db,
  ) {
    requireScope(actor, resource, action);
    if (!(await covers(actor, accountId, resource, action, handle))) {
      throw new AppError(
        'forbidden',
        `Your role (${actor.role}) may ${action} ${resourceName(resource)} only of accounts within its ${actorScope(actor, resource, action) ?? ''} scope; account ${accountId} is outside it.`,
      );
    }
  }

  /** A new owner must exist and be within the scope of the action (sales: themselves; managers: their team). */
  async function checkOwner(actor: Actor, ownerId: number, action: Action, handle: Kysely<DB>) {
    const scope = requireScope(actor, 'accounts', action);
    if (await userAllowed(handle, ownerId, ownerScopeWhere(actor, scope, 'u.id'))) return;
    if (!(await userAllowed(handle, ownerId, sql<boolean>`true`))) {
      throw new AppError('validation_failed', `User ${ownerId} does not exist.`, { parameter: 'ownerId' });
    }
    throw new AppError('forbidden', `Your role (${actor.role}) may not give accounts to user ${ownerId}.`);
  }

  async function checkParent(actor: Actor, id: number | null, parentId: number, handle: Kysely<DB>) {
    const parent = await findProfile(handle, parentId, scopeOf(actor, 'accounts', 'read'));
    if (!parent)
      throw new AppError('validation_failed', `Parent account ${parentId} does not exist.`, { parameter: 'parentId' });
    if (id !== null && (await ancestorIds(handle, parentId)).includes(id)) {
      throw new AppError(
        'validation_failed',
        `Account ${parentId} belongs to this account's group: it cannot be its parent.`,
        {
          parameter: 'parentId',
        },
      );
    }
  }

  async function checkCode(code: string, id: number | null, handle: Kysely<DB>) {
    const existing = await accountIdByCode(handle, code);
    if (existing !== null && existing !== id) {
      throw new AppError('conflict', `The code ${code} is already used by another account.`, {
        parameter: 'code',
        accountId: existing,
      });
    }
  }

  const present = (actor: Actor, contact: StoredContact): Contact => {
    const { record, masked } = maskRecord(actor, contact, { email: 'contacts.email', phone: 'contacts.phone' });
    return { ...record, masked };
  };

  /** The contact (404 outside the read scope) and the 403 check of the action on its account. */
  async function contactFor(actor: Actor, id: number, action: Action, handle: Kysely<DB>, lock = false) {
    const contact = await findContact(handle, id, scopeOf(actor, 'contacts', 'read'), lock);
    if (!contact) throw new AppError('not_found', `Contact ${id} does not exist.`);
    if (action !== 'read') await assertCovers(actor, contact.accountId, 'contacts', action, handle);
    return contact;
  }

  async function interactionFor(actor: Actor, id: number, action: Action, handle: Kysely<DB>, lock = false) {
    const interaction = await findInteraction(handle, id, scopeOf(actor, 'interactions', 'read'), lock);
    if (!interaction) throw new AppError('not_found', `Interaction ${id} does not exist.`);
    if (action !== 'read') await assertCovers(actor, interaction.accountId, 'interactions', action, handle);
    return interaction;
  }

  async function checkContactIds(accountId: number, ids: readonly number[], handle: Kysely<DB>) {
    const found = await contactIdsOfAccount(handle, accountId, ids);
    const missing = ids.filter((id) => !found.includes(id));
    if (missing.length > 0) {
      throw new AppError(
        'validation_failed',
        `Contacts ${missing.join(', ')} are not contacts of account ${accountId}.`,
        {
          parameter: 'contactIds',
        },
      );
    }
  }

  return {
    async overview(actor, id) {
      const account = await accountFor(actor, id);
      const groupScope = (column: string) => accountScopeWhere(actor, 'read', { ownerColumn: column });
      const [group, canReadContacts, canReadTransactions, canReadInteractions, edit, logInteraction, editContacts] =
        await Promise.all([
          findGroup(db, account, groupScope),
          covers(actor, id, 'contacts', 'read'),
          covers(actor, id, 'transactions', 'read'),
          covers(actor, id, 'interactions', 'read'),
          covers(actor, id, 'accounts', 'update'),
          covers(actor, id, 'interactions', 'create'),
          covers(actor, id, 'contacts', 'create'),
        ]);
      const mergedInto = account.archivedAt !== null ? await findMergedInto(db, id, groupScope) : null;
      const contacts = canReadContacts
        ? (await listContacts(db, id, false)).map((contact) => present(actor, contact))
        : null;
      let monthly: CustomerOverview['monthly'] = null;
      let totals: CustomerOverview['totals'] = null;
      if (canReadTransactions) {
        totals = await transactionTotals(db, id);
        let to = monthOf(clock.now(), timeZone);
        if (
          totals.lastTransactionAt &&
          monthOf(new Date(totals.lastTransactionAt), timeZone) < addMonths(to, 1 - months)
        ) {
          to = monthOf(new Date(totals.lastTransactionAt), timeZone); // a dormant account: its last active months
        }
        const from = addMonths(to, 1 - months);
        const [currency, unit] = await Promise.all([dominant(db, id, 'currency'), dominant(db, id, 'unit')]);
        const withVolume = account.industry === 'freight' && unit.value !== null;
        const volumeUnit = withVolume ? unit.value : null;
        const rows = await monthlySeries(db, id, {
          fromMonth: from,
          toMonthExclusive: addMonths(to, 1),
          timeZone,
          unit: volumeUnit,
          currency: currency.value ?? 'HKD',
        });
        monthly = {
          from,
          to,
          currency: currency.value ?? 'HKD',
          mixedCurrencies: currency.distinct > 1,
          volumeUnit,
          points: fillMonths(from, to, rows, withVolume),
        };
      }
      return {
        account,
        mergedInto,
        group,
        contacts,
        monthly,
        totals,
        permissions: {
          edit,
          logInteraction,
          addActivity: logInteraction,
          editContacts,
          readTransactions: canReadTransactions,
          readInteractions: canReadInteractions,
        },
      };
    },

    async createAccount(actor, input) {
      requireScope(actor, 'accounts', 'create');
      const at = clock.now();
      const fields = accountFields(input);
      const ownerId = input.ownerId === undefined ? actor.userId : input.ownerId;
      const id = await db.transaction().execute(async (trx) => {
        await checkCode(input.code, null, trx);
        if (input.parentId != null) await checkParent(actor, null, input.parentId, trx);
        if (ownerId !== null) await checkOwner(actor, ownerId, 'create', trx);
        else if (requireScope(actor, 'accounts', 'create') !== 'all') {
          throw new AppError('validation_failed', 'An account you create must have an owner.', {
            parameter: 'ownerId',
          });
        }
        const created = await insertAccountRow(
          trx,
          {
            ...accountValues(fields),
            code: input.code,
            name_en: input.nameEn,
            industry: input.industry,
            owner_id: ownerId,
          },
          at,
        );
        await recordAudit(trx, clock, {
          actor,
          action: 'create',
          resource: 'accounts',
          recordIds: [created],
          details: { fields: Object.keys(fields) },
        });
        return created;
      });
      return accountFor(actor, id);
    },

    async updateAccount(actor, id, input) {
      requireScope(actor, 'accounts', 'update');
      const { version, ...rest } = input;
      const fields = accountFields(rest);
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await accountFor(actor, id, { resource: 'accounts', action: 'update', db: trx, lock: true });
        if (current.version !== version) throw stale('Account', id, current, fields, version);
        const changed = changedFields(fields, current);
        if (changed.length === 0) return current;
        if (fields.code !== undefined && fields.code !== current.code) await checkCode(fields.code, id, trx);
        if (fields.parentId != null && fields.parentId !== current.parentId)
          await checkParent(actor, id, fields.parentId, trx);
        if (fields.ownerId != null && fields.ownerId !== current.ownerId)
          await checkOwner(actor, fields.ownerId, 'update', trx);
        if (
          fields.ownerId === null &&
          current.ownerId !== null &&
          requireScope(actor, 'accounts', 'update') !== 'all'
        ) {
          throw new AppError('forbidden', `Your role (${actor.role}) may not leave an account without an owner.`);
        }
        const changes = Object.fromEntries(
          changed.map((key) => [key, fields[key as keyof AccountProfile]]),
        ) as Partial<AccountProfile>;
        const next = await updateAccountRow(trx, id, version, accountValues(changes), at);
        if (next === null) throw stale('Account', id, current, fields, version);
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'accounts',
          recordIds: [id],
          details: { version: next, fields: changed },
        });
        const saved = await findProfile(trx, id, sql<boolean>`true`);
        if (!saved) throw notFound(id);
        return saved;
      });
    },

    async setAccountArchived(actor, id, version, archived) {
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await accountFor(actor, id, { resource: 'accounts', action: 'update', db: trx, lock: true });
        if (current.version !== version)
          throw stale('Account', id, current, { archivedAt: archived ? 'archived' : null }, version);
        if ((current.archivedAt !== null) === archived) return current;
        const next = await updateAccountRow(trx, id, version, { archived_at: archived ? at : null }, at);
        if (next === null) throw stale('Account', id, current, {}, version);
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'accounts',
          recordIds: [id],
          details: { version: next, fields: ['archivedAt'], archived },
        });
        const saved = await findProfile(trx, id, sql<boolean>`true`);
        if (!saved) throw notFound(id);
        return saved;
      });
    },

    async transactions(actor, accountId, query) {
      await accountFor(actor, accountId, { resource: 'transactions', action: 'read' });
      const { items, total } = await transactionPage(db, accountId, {
        offset: (query.page - 1) * query.pageSize,
        limit: query.pageSize,
      });
      const hideCost = !canSee(actor, 'transactions.cost');
      return {
        items: hideCost ? items.map((item) => ({ ...item, cost: null })) : items,
        page: query.page,
        pageSize: query.pageSize,
        total,
        masked: hideCost ? ['cost'] : [],
      };
    },

    async timeline(actor, accountId, query) {
      await accountFor(actor, accountId);
      const readable = await covers(actor, accountId, 'interactions', 'read');
      const [interactions, activities, merges] = await Promise.all([
        readable
          ? listInteractions(db, accountId, { limit: query.limit, includeArchived: query.include_archived })
          : null,
        readable ? listActivities(db, accountId, query.limit) : null,
        listMergeEvents(db, accountId, query.limit),
      ]);
      return { interactions, activities, merges };
    },

    async listContacts(actor, accountId, includeArchived) {
      await accountFor(actor, accountId, { resource: 'contacts', action: 'read' });
      return (await listContacts(db, accountId, includeArchived)).map((contact) => present(actor, contact));
    },

    async createContact(actor, accountId, input) {
      const fields = contactFields(input);
      if (!fields.name && !fields.email && !fields.phone) {
        throw new AppError('validation_failed', 'A contact needs a name, an email or a phone.', { parameter: 'name' });
      }
      const at = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        await accountFor(actor, accountId, { resource: 'contacts', action: 'create', db: trx });
        const created = await insertContactRow(trx, accountId, contactValues(fields), at);
        await recordAudit(trx, clock, {
          actor,
          action: 'create',
          resource: 'contacts',
          recordIds: [created],
          details: { accountId, fields: Object.keys(fields) },
        });
        return created;
      });
      return present(actor, await contactFor(actor, id, 'read', db));
    },

    async updateContact(actor, id, input) {
      const { version, ...rest } = input;
      const fields = contactFields(rest);
      const at = clock.now();
      const saved = await db.transaction().execute(async (trx) => {
        const current = await contactFor(actor, id, 'update', trx, true);
        if (current.version !== version) throw stale('Contact', id, present(actor, current), fields, version);
        // A field the role cannot see cannot be changed either (it would be a blind overwrite).
        const hidden = present(actor, current).masked.filter((key) => fields[key as keyof StoredContact] !== undefined);
        if (hidden.length > 0)
          throw new AppError('forbidden', `Your role (${actor.role}) may not change ${hidden.join(', ')}.`);
        const changed = changedFields(fields, current);
        if (changed.length === 0) return current;
        const next = { ...current, ...fields };
        if (!next.name && !next.email && !next.phone) {
          throw new AppError('validation_failed', 'A contact needs a name, an email or a phone.', {
            parameter: 'name',
          });
        }
        const changes = Object.fromEntries(changed.map((key) => [key, fields[key as keyof StoredContact]]));
        const newVersion = await updateContactRow(trx, id, version, contactValues(changes), at);
        if (newVersion === null) throw stale('Contact', id, present(actor, current), fields, version);
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'contacts',
          recordIds: [id],
          details: { version: newVersion, fields: changed },
        });
        return findContact(trx, id, sql<boolean>`true`);
      });
      if (!saved) throw new AppError('not_found', `Contact ${id} does not exist.`);
      return present(actor, saved);
    },

    async setContactArchived(actor, id, version, archived) {
      const at = clock.now();
      const saved = await db.transaction().execute(async (trx) => {
        const current = await contactFor(actor, id, 'update', trx, true);
        if (current.version !== version) throw stale('Contact', id, present(actor, current), {}, version);
        if ((current.archivedAt !== null) === archived) return current;
        const next = await updateContactRow(trx, id, version, { archived_at: archived ? at : null }, at);
        if (next === null) throw stale('Contact', id, present(actor, current), {}, version);
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'contacts',
          recordIds: [id],
          details: { version: next, fields: ['archivedAt'], archived },
        });
        return findContact(trx, id, sql<boolean>`true`);
      });
      if (!saved) throw new AppError('not_found', `Contact ${id} does not exist.`);
      return present(actor, saved);
    },

    async createInteraction(actor, accountId, input) {
      const fields = interactionFields(input);
      const at = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        await accountFor(actor, accountId, { resource: 'interactions', action: 'create', db: trx });
        await checkContactIds(accountId, fields.contactIds ?? [], trx);
        const created = await insertInteractionRow(
          trx,
          accountId,
          actor.userId,
          {
            ...interactionValues(fields),
            channel: input.channel,
            occurred_at: new Date(input.occurredAt).toISOString(),
          },
          at,
        );
        await recordAudit(trx, clock, {
          actor,
          action: 'create',
          resource: 'interactions',
          recordIds: [created],
          details: { accountId, channel: input.channel },
        });
        return created;
      });
      return interactionFor(actor, id, 'read', db);
    },

    async updateInteraction(actor, id, input) {
      const { version, ...rest } = input;
      const fields = interactionFields(rest);
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await interactionFor(actor, id, 'update', trx, true);
        if (current.version !== version) throw stale('Interaction', id, current, fields, version);
        const changed = changedFields(fields, current);
        if (changed.length === 0) return current;
        if (fields.contactIds) await checkContactIds(current.accountId, fields.contactIds, trx);
        const changes = Object.fromEntries(changed.map((key) => [key, fields[key as keyof Interaction]]));
        const next = await updateInteractionRow(trx, id, version, interactionValues(changes), at);
        if (next === null) throw stale('Interaction', id, current, fields, version);
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'interactions',
          recordIds: [id],
          details: { version: next, fields: changed },
        });
        const saved = await findInteraction(trx, id, sql<boolean>`true`);
        if (!saved) throw new AppError('not_found', `Interaction ${id} does not exist.`);
        return saved;
      });
    },

    async setInteractionArchived(actor, id, version, archived) {
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await interactionFor(actor, id, 'update', trx, true);
        if (current.version !== version) throw stale('Interaction', id, current, {}, version);
        if ((current.archivedAt !== null) === archived) return current;
        const next = await updateInteractionRow(trx, id, version, { archived_at: archived ? at : null }, at);
        if (next === null) throw stale('Interaction', id, current, {}, version);
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'interactions',
          recordIds: [id],
          details: { version: next, fields: ['archivedAt'], archived },
        });
        const saved = await findInteraction(trx, id, sql<boolean>`true`);
        if (!saved) throw new AppError('not_found', `Interaction ${id} does not exist.`);
        return saved;
      });
    },

    async createActivity(actor, accountId, input) {
      const at = clock.now();
      const id = await db.transaction().execute(async (trx) => {
        await accountFor(actor, accountId, { resource: 'interactions', action: 'create', db: trx });
        const created = await insertActivityRow(
          trx,
          {
            accountId,
            kind: input.kind,
            description: input.description,
            value: input.value ?? null,
            currency: input.currency,
            occurredOn: input.occurredOn,
            userId: actor.userId,
          },
          at,
        );
        await recordAudit(trx, clock, {
          actor,
          action: 'create',
          resource: 'relationship_activities',
          recordIds: [created],
          details: { accountId, kind: input.kind },
        });
        return created;
      });
      const activity = await findActivity(db, id, sql<boolean>`true`);
      if (!activity) throw new AppError('not_found', `Activity ${id} does not exist.`);
      return activity;
    },

    async deleteActivity(actor, id) {
      await db.transaction().execute(async (trx) => {
        const activity = await findActivity(trx, id, scopeOf(actor, 'interactions', 'read'));
        if (!activity) throw new AppError('not_found', `Activity ${id} does not exist.`);
        await assertCovers(actor, activity.accountId, 'interactions', 'delete', trx);
        await deleteActivityRow(trx, id);
        await recordAudit(trx, clock, {
          actor,
          action: 'delete',
          resource: 'relationship_activities',
          recordIds: [id],
          details: { accountId: activity.accountId, kind: activity.kind },
        });
      });
    },

    async duplicates(actor, query) {
      const resource: Resource = query.entity;
      requireScope(actor, resource, 'read');
      const scope = (column: string) => accountScopeWhere(actor, 'read', { resource, ownerColumn: column });
      const candidates =
        query.entity === 'accounts' ? await accountCandidates(db, scope) : await contactCandidates(db, scope);
      const ids = [...new Set(candidates.flatMap((candidate) => [candidate.a, candidate.b]))];
      const records = query.entity === 'accounts' ? await accountRecords(db, ids) : await contactRecords(db, ids);
      const pairs = combinePairs(query.entity, candidates, records, query.threshold, query.limit);
      const seesPersonal = canSee(actor, 'contacts.email');
      return seesPersonal
        ? pairs
        : pairs.map((pair) => ({
            ...pair,
            reasons: pair.reasons.map((reason) =>
              reason.kind === 'email' || reason.kind === 'phone' ? { ...reason, value: null } : reason,
            ),
          }));
    },

    async mergeAccounts(actor, request) {
      const { survivorId, mergedId } = request;
      if (survivorId === mergedId)
        throw new AppError('validation_failed', 'An account cannot be merged into itself.', { parameter: 'mergedId' });
      requireScope(actor, 'accounts', 'delete');
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        // Lock in id order, so two merges of the same pair cannot deadlock.
        const [first, second] = survivorId < mergedId ? [survivorId, mergedId] : [mergedId, survivorId];
        await findProfile(trx, first, sql<boolean>`true`, true);
        await findProfile(trx, second, sql<boolean>`true`, true);
        const survivor = await accountFor(actor, survivorId, { resource: 'accounts', action: 'update', db: trx });
        const merged = await accountFor(actor, mergedId, { resource: 'accounts', action: 'delete', db: trx });
        checkMergeable('Account', survivor, merged, request);
        const moved = await moveAccountHistory(trx, mergedId, survivorId);
        const fill = mergeAccountFields(survivor, merged, survivorId);
        // The survivor was a member of the merged account: it takes the merged account's place in the group.
        if (survivor.parentId === mergedId) fill.parentId = merged.parentId !== survivorId ? merged.parentId : null;
        if (fill.parentId != null && (await ancestorIds(trx, fill.parentId)).includes(survivorId)) delete fill.parentId;
        const snapshot = await accountSnapshot(trx, mergedId);
        const changes = accountValues(fill);
        if (Object.keys(changes).length > 0 || Object.values(moved).some((count) => count > 0)) {
          await updateAccountRow(trx, survivorId, survivor.version, changes, at);
        }
        // Archived, never deleted: other features may still point at it, and its page says where it went.
        await updateAccountRow(trx, mergedId, merged.version, { archived_at: at }, at);
        const mergeId = await insertMerge(trx, {
          entity: 'accounts',
          survivorId,
          mergedId,
          snapshot: { label: `${merged.code} ${merged.nameEn}`, moved, record: snapshot },
          reason: request.reason ?? null,
          mergedBy: actor.userId,
          at,
        });
        await recordAudit(trx, clock, {
          actor,
          action: 'merge',
          resource: 'accounts',
          recordIds: [survivorId, mergedId],
          details: {
            mergeId,
            filled: Object.keys(fill),
            ...Object.fromEntries(Object.entries(moved).map(([key, count]) => [`moved_${key}`, count])),
          },
        });
        return { mergeId, survivorId, mergedId, moved };
      });
    },

    async mergeContacts(actor, request) {
      const { survivorId, mergedId } = request;
      if (survivorId === mergedId)
        throw new AppError('validation_failed', 'A contact cannot be merged into itself.', { parameter: 'mergedId' });
      requireScope(actor, 'contacts', 'delete');
      const at = clock.now();
      return db.transaction().execute(async (trx) => {
        const [first, second] = survivorId < mergedId ? [survivorId, mergedId] : [mergedId, survivorId];
        await findContact(trx, first, sql<boolean>`true`, true);
        await findContact(trx, second, sql<boolean>`true`, true);
        const survivor = await contactFor(actor, survivorId, 'update', trx);
        const merged = await contactFor(actor, mergedId, 'delete', trx);
        checkMergeable('Contact', survivor, merged, request);
        if (!canSee(actor, 'contacts.email')) {
          throw new AppError(
            'forbidden',
            `Your role (${actor.role}) cannot see contact details, so it may not merge contacts.`,
          );
        }
        const interactions = await moveContactReferences(trx, mergedId, survivorId);
        const fill = mergeContactFields(survivor, merged);
        const snapshot = await contactSnapshot(trx, mergedId);
        await updateContactRow(trx, survivorId, survivor.version, contactValues(fill), at);
        await updateContactRow(trx, mergedId, merged.version, { archived_at: at }, at);
        const moved = { interactions };
        const mergeId = await insertMerge(trx, {
          entity: 'contacts',
          survivorId,
          mergedId,
          snapshot: { label: merged.name ?? `#${mergedId}`, moved, record: snapshot },
          reason: request.reason ?? null,
          mergedBy: actor.userId,
          at,
        });
        await recordAudit(trx, clock, {
          actor,
          action: 'merge',
          resource: 'contacts',
          recordIds: [survivorId, mergedId],
          details: { mergeId, filled: Object.keys(fill), moved_interactions: interactions },
        });
        return { mergeId, survivorId, mergedId, moved };
      });
    },
  };
}
