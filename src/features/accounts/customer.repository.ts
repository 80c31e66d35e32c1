import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { readNeeds } from './customer.rules.js';
import type {
  AccountProfile,
  AccountRef,
  Activity,
  Contact,
  Interaction,
  MergeEvent,
  MonthlyPoint,
  Needs,
  TransactionItem,
} from './customer.schema.js';

/**
 * SQL of the data bank's editing and of the 360 page. Every read that can cross the record scope takes the
 * scope as a where-clause on the account's owner (`a.owner_id`), built by the service with auth's
 * accountScopeWhere. Values are always bound parameters.
 */
export type Scope = Expression<SqlBool>;

const iso = (value: Date | string): string => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

// ---------------------------------------------------------------------------------------------------------
// Accounts.

function profileQuery(db: Kysely<DB>) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('users as u', 'u.id', 'a.owner_id')
    .select([
      'a.id',
      'a.code',
      'a.name_en',
      'a.name_zh',
      'a.kind',
      'a.industry',
      'a.parent_id',
      'a.owner_id',
      'u.display_name as owner_name',
      'a.status',
      'a.source',
      'a.tags',
      'a.needs',
      'a.custom',
      'a.archived_at',
      'a.version',
      'a.created_at',
      'a.updated_at',
    ]);
}

type ProfileRow = Awaited<ReturnType<ReturnType<typeof profileQuery>['executeTakeFirstOrThrow']>>;

const toProfile = (row: ProfileRow): AccountProfile => ({
  id: row.id,
  code: row.code,
  nameEn: row.name_en,
  nameZh: row.name_zh,
  kind: row.kind,
  industry: row.industry,
  parentId: row.parent_id,
  ownerId: row.owner_id,
  ownerName: row.owner_name,
  status: row.status,
  source: row.source,
  tags: row.tags,
  needs: readNeeds(row.needs),
  custom: row.custom,
  archivedAt: isoOrNull(row.archived_at),
  version: row.version,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

export async function findProfile(
  db: Kysely<DB>,
  id: number,
  scope: Scope,
  lock = false,
): Promise<AccountProfile | null> {
  let query = profileQuery(db).where('a.id', '=', id).where(scope);
  if (lock) query = query.forUpdate('a');
  const row = await query.executeTakeFirst();
  return row ? toProfile(row) : null;
}

export async function accountIdByCode(db: Kysely<DB>, code: string): Promise<number | null> {
  const row = await db.selectFrom('accounts').select('id').where('code', '=', code).executeTakeFirst();
  return row?.id ?? null;
}

/** The ids of an account's ancestors (parent, grandparent, …), to refuse a parent that would make a cycle. */
export async function ancestorIds(db: Kysely<DB>, id: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive up(id, parent_id, depth) as (
      select id, parent_id, 0 from accounts where id = ${id}
      union all
      select a.id, a.parent_id, up.depth + 1 from accounts as a join up on a.id = up.parent_id where up.depth < 100
    )
    select id from up`.execute(db);
  return result.rows.map((row) => Number(row.id));
}

/** Whether a user exists and the where-clause (on `u.id`) lets the actor give it accounts. */
export async function userAllowed(db: Kysely<DB>, userId: number, scope: Scope): Promise<boolean> {
  const row = await db
    .selectFrom('users as u')
    .select('u.id')
    .where('u.id', '=', userId)
    .where(scope)
    .executeTakeFirst();
  return row !== undefined;
}

export interface AccountValues {
  code?: string;
  name_en?: string;
  name_zh?: string | null;
  kind?: 'company' | 'person';
  industry?: 'freight' | 'automotive' | 'retail';
  parent_id?: number | null;
  owner_id?: number | null;
  status?: 'prospect' | 'active' | 'lost';
  source?: string | null;
  tags?: string[];
  needs?: Needs;
  custom?: Record<string, unknown>;
  archived_at?: Date | null;
}

const jsonb = (value: unknown) => sql<Record<string, unknown>>`${JSON.stringify(value)}::jsonb`;

function accountSet(values: AccountValues) {
  const { needs, custom, tags, ...rest } = values;
  return {
    ...rest,
    ...(tags !== undefined ? { tags: sql<string[]>`${tags}::text[]` } : {}),
    ...(needs !== undefined ? { needs: jsonb(needs) } : {}),
    ...(custom !== undefined ? { custom: jsonb(custom) } : {}),
  };
}

export async function insertAccountRow(
  db: Kysely<DB>,
  values: AccountValues & { code: string; name_en: string; industry: 'freight' | 'automotive' | 'retail' },
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('accounts')
    .values({
      ...accountSet(values),
      code: values.code,
      name_en: values.name_en,
      industry: values.industry,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Writes the values when the version still matches; the new version, or null when someone else saved first. */
export async function updateAccountRow(
  db: Kysely<DB>,
  id: number,
  version: number,
  values: AccountValues,
  at: Date,
): Promise<number | null> {
  const row = await db
    .updateTable('accounts')
    .set({ ...accountSet(values), version: sql<number>`version + 1`, updated_at: at })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Group: parent, siblings and members, each within the read scope.

const refColumns = ['g.id', 'g.code', 'g.name_en', 'g.name_zh', 'g.archived_at'] as const;
const toRef = (row: {
  id: number;
  code: string;
  name_en: string;
  name_zh: string | null;
  archived_at: Date | null;
}): AccountRef => ({
  id: row.id,
  code: row.code,
  nameEn: row.name_en,
  nameZh: row.name_zh,
  archived: row.archived_at !== null,
});

export async function findGroup(
  db: Kysely<DB>,
  account: { id: number; parentId: number | null },
  scope: (alias: string) => Scope,
): Promise<{
  parent: AccountRef | null;
  siblings: AccountRef[];
  siblingCount: number;
  members: AccountRef[];
  memberCount: number;
}> {
  const list = async (parentId: number) => {
    const base = db
      .selectFrom('accounts as g')
      .where('g.parent_id', '=', parentId)
      .where('g.id', '<>', account.id)
      .where(scope('g.owner_id'));
    const [rows, count] = await Promise.all([
      base.select(refColumns).orderBy('g.name_en').orderBy('g.id').limit(50).execute(),
      base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toRef), count: Number(count.n) };
  };
  let parent: AccountRef | null = null;
  let siblings = { items: [] as AccountRef[], count: 0 };
  if (account.parentId !== null) {
    const row = await db
      .selectFrom('accounts as g')
      .select(refColumns)
      .where('g.id', '=', account.parentId)
      .where(scope('g.owner_id'))
      .executeTakeFirst();
    parent = row ? toRef(row) : null;
    siblings = await list(account.parentId);
  }
  const members = await list(account.id);
  return {
    parent,
    siblings: siblings.items,
    siblingCount: siblings.count,
    members: members.items,
    memberCount: members.count,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Transactions: totals, monthly series, one page.

export async function transactionTotals(db: Kysely<DB>, accountId: number) {
  const row = await db
    .selectFrom('transactions')
    .where('account_id', '=', accountId)
    .select([
      sql<number>`count(*)::int`.as('count'),
      sql<string>`coalesce(sum(amount), 0)::text`.as('revenue'),
      sql<Date | null>`min(occurred_at)`.as('first_at'),
      sql<Date | null>`max(occurred_at)`.as('last_at'),
    ])
    .executeTakeFirstOrThrow();
  return {
    transactionCount: Number(row.count),
    revenue: row.revenue,
    firstTransactionAt: row.first_at ? iso(row.first_at) : null,
    lastTransactionAt: row.last_at ? iso(row.last_at) : null,
  };
}

/** The most used value of a column among the account's transactions (currency, unit of the quantities). */
export async function dominant(
  db: Kysely<DB>,
  accountId: number,
  column: 'currency' | 'unit',
): Promise<{ value: string | null; distinct: number }> {
  const rows = await db
    .selectFrom('transactions')
    .where('account_id', '=', accountId)
    .where(column, 'is not', null)
    .$if(column === 'unit', (query) => query.where('quantity', 'is not', null))
    .select([sql<string>`${sql.ref(column)}::text`.as('value'), sql<number>`count(*)::int`.as('n')])
    .groupBy(column)
    .orderBy('n', 'desc')
    .orderBy(column)
    .execute();
  return { value: rows[0]?.value?.trim() ?? null, distinct: rows.length };
}

/**
 * Revenue, count and volume (quantities in `unit`) per calendar month of the business time zone, for the months
 * from `fromMonth` to `toMonth` (YYYY-MM, inclusive). Months without transactions are absent.
 */
export async function monthlySeries(
  db: Kysely<DB>,
  accountId: number,
  range: { fromMonth: string; toMonthExclusive: string; timeZone: string; unit: string | null; currency: string },
): Promise<MonthlyPoint[]> {
  const { fromMonth, toMonthExclusive, timeZone, unit, currency } = range;
  const result = await sql<{ month: string; revenue: string; n: number; volume: string | null }>`
    select to_char(date_trunc('month', occurred_at at time zone ${timeZone}), 'YYYY-MM') as month,
           coalesce(sum(amount) filter (where currency = ${currency}), 0)::numeric(18, 2)::text as revenue,
           count(*)::int as n,
           (sum(quantity) filter (where unit = ${unit}))::text as volume
    from transactions
    where account_id = ${accountId}
      and occurred_at >= (${`${fromMonth}-01`}::timestamp at time zone ${timeZone})
      and occurred_at < (${`${toMonthExclusive}-01`}::timestamp at time zone ${timeZone})
    group by 1
    order by 1`.execute(db);
  return result.rows.map((row) => ({
    month: row.month,
    revenue: row.revenue,
    transactions: Number(row.n),
    volume: row.volume,
  }));
}

export async function transactionPage(
  db: Kysely<DB>,
  accountId: number,
  page: { offset: number; limit: number },
): Promise<{ items: TransactionItem[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('transactions')
      .where('account_id', '=', accountId)
      .select([
        'id',
        'external_id',
        'occurred_at',
        'amount',
        'currency',
        'quantity',
        'unit',
        'product_line',
        'channel',
        'cost',
        'attributes',
      ])
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    db
      .selectFrom('transactions')
      .where('account_id', '=', accountId)
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    items: rows.map((row) => ({
      id: row.id,
      externalId: row.external_id,
      occurredAt: iso(row.occurred_at),
      amount: row.amount,
      currency: row.currency.trim(),
      quantity: row.quantity,
      unit: row.unit,
      productLine: row.product_line,
      channel: row.channel,
      cost: row.cost,
      attributes: row.attributes ?? {},
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Contacts.

function contactQuery(db: Kysely<DB>) {
  return db
    .selectFrom('contacts as c')
    .innerJoin('accounts as a', 'a.id', 'c.account_id')
    .select([
      'c.id',
      'c.account_id',
      'c.name',
      'c.title',
      'c.email',
      'c.phone',
      'c.language',
      'c.channels',
      'c.archived_at',
      'c.version',
      'c.created_at',
      'c.updated_at',
    ]);
}
type ContactRow = Awaited<ReturnType<ReturnType<typeof contactQuery>['executeTakeFirstOrThrow']>>;
export type StoredContact = Omit<Contact, 'masked'>;

const toContact = (row: ContactRow): StoredContact => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  title: row.title,
  email: row.email,
  phone: row.phone,
  language: row.language,
  channels: row.channels,
  archivedAt: isoOrNull(row.archived_at),
  version: row.version,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

export async function listContacts(
  db: Kysely<DB>,
  accountId: number,
  includeArchived: boolean,
): Promise<StoredContact[]> {
  const rows = await contactQuery(db)
    .where('c.account_id', '=', accountId)
    .$if(!includeArchived, (query) => query.where('c.archived_at', 'is', null))
    .orderBy(sql`c.archived_at is not null`)
    .orderBy(sql`lower(coalesce(c.name, c.email, c.phone))`)
    .orderBy('c.id')
    .limit(500)
    .execute();
  return rows.map(toContact);
}

export async function findContact(
  db: Kysely<DB>,
  id: number,
  scope: Scope,
  lock = false,
): Promise<StoredContact | null> {
  let query = contactQuery(db).where('c.id', '=', id).where(scope);
  if (lock) query = query.forUpdate('c');
  const row = await query.executeTakeFirst();
  return row ? toContact(row) : null;
}

export interface ContactValues {
  name?: string | null;
  title?: string | null;
  email?: string | null;
  phone?: string | null;
  language?: string | null;
  channels?: string[];
  archived_at?: Date | null;
}

const contactSet = ({ channels, ...rest }: ContactValues) => ({
  ...rest,
  ...(channels !== undefined ? { channels: sql<string[]>`${channels}::text[]` } : {}),
});

export async function insertContactRow(
  db: Kysely<DB>,
  accountId: number,
  values: ContactValues,
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('contacts')
    .values({
      ...contactSet(values),
      account_id: accountId,
      name: values.name ?? null,
      title: values.title ?? null,
      email: values.email ?? null,
      phone: values.phone ?? null,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateContactRow(
  db: Kysely<DB>,
  id: number,
  version: number,
  values: ContactValues,
  at: Date,
): Promise<number | null> {
  const row = await db
    .updateTable('contacts')
    .set({ ...contactSet(values), version: sql<number>`version + 1`, updated_at: at })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

/** Of the given contact ids, those that belong to the account. */
export async function contactIdsOfAccount(
  db: Kysely<DB>,
  accountId: number,
  ids: readonly number[],
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('contacts')
    .select('id')
    .where('account_id', '=', accountId)
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------------------------------------------------
// Interactions.

function interactionQuery(db: Kysely<DB>) {
  return db
    .selectFrom('interactions as i')
    .innerJoin('accounts as a', 'a.id', 'i.account_id')
    .leftJoin('users as u', 'u.id', 'i.user_id')
    .select([
      'i.id',
      'i.account_id',
      'i.channel',
      'i.direction',
      'i.subject',
      'i.notes',
      'i.occurred_at',
      'i.user_id',
      'u.display_name as user_name',
      'i.contact_ids',
      'i.archived_at',
      'i.version',
      'i.created_at',
      'i.updated_at',
    ]);
}
type InteractionRow = Awaited<ReturnType<ReturnType<typeof interactionQuery>['executeTakeFirstOrThrow']>>;

const toInteraction = (row: InteractionRow): Interaction => ({
  id: row.id,
  accountId: row.account_id,
  channel: row.channel,
  direction: row.direction,
  subject: row.subject,
  notes: row.notes,
  occurredAt: iso(row.occurred_at),
  userId: row.user_id,
  userName: row.user_name,
  contactIds: row.contact_ids.map(Number),
  archivedAt: isoOrNull(row.archived_at),
  version: row.version,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

export async function listInteractions(
  db: Kysely<DB>,
  accountId: number,
  options: { limit: number; includeArchived: boolean },
): Promise<Interaction[]> {
  const rows = await interactionQuery(db)
    .where('i.account_id', '=', accountId)
    .$if(!options.includeArchived, (query) => query.where('i.archived_at', 'is', null))
    .orderBy('i.occurred_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map(toInteraction);
}

export async function findInteraction(
  db: Kysely<DB>,
  id: number,
  scope: Scope,
  lock = false,
): Promise<Interaction | null> {
  let query = interactionQuery(db).where('i.id', '=', id).where(scope);
  if (lock) query = query.forUpdate('i');
  const row = await query.executeTakeFirst();
  return row ? toInteraction(row) : null;
}

export interface InteractionValues {
  channel?: Interaction['channel'];
  direction?: Interaction['direction'];
  subject?: string | null;
  notes?: string | null;
  occurred_at?: Date | string;
  contact_ids?: number[];
  archived_at?: Date | null;
}

const interactionSet = ({ contact_ids, ...rest }: InteractionValues) => ({
  ...rest,
  ...(contact_ids !== undefined ? { contact_ids: sql<number[]>`${contact_ids}::bigint[]` } : {}),
});

export async function insertInteractionRow(
  db: Kysely<DB>,
  accountId: number,
  userId: number | null,
  values: InteractionValues & { channel: Interaction['channel']; occurred_at: Date | string },
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('interactions')
    .values({
      ...interactionSet(values),
      channel: values.channel,
      occurred_at: values.occurred_at,
      account_id: accountId,
      user_id: userId,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateInteractionRow(
  db: Kysely<DB>,
  id: number,
  version: number,
  values: InteractionValues,
  at: Date,
): Promise<number | null> {
  const row = await db
    .updateTable('interactions')
    .set({ ...interactionSet(values), version: sql<number>`version + 1`, updated_at: at })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Relationship activities.

function activityQuery(db: Kysely<DB>) {
  return db
    .selectFrom('relationship_activities as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .select([
      'r.id',
      'r.account_id',
      'r.kind',
      'r.description',
      'r.value',
      'r.currency',
      sql<string>`to_char(r.occurred_on, 'YYYY-MM-DD')`.as('occurred_on'),
      'r.user_id',
      'u.display_name as user_name',
      'r.created_at',
    ]);
}
type ActivityRow = Awaited<ReturnType<ReturnType<typeof activityQuery>['executeTakeFirstOrThrow']>>;

const toActivity = (row: ActivityRow): Activity => ({
  id: row.id,
  accountId: row.account_id,
  kind: row.kind,
  description: row.description,
  value: row.value,
  currency: row.currency.trim(),
  occurredOn: row.occurred_on,
  userId: row.user_id,
  userName: row.user_name,
  createdAt: iso(row.created_at),
});

export async function listActivities(db: Kysely<DB>, accountId: number, limit: number): Promise<Activity[]> {
  const rows = await activityQuery(db)
    .where('r.account_id', '=', accountId)
    .orderBy('r.occurred_on', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toActivity);
}

export async function findActivity(db: Kysely<DB>, id: number, scope: Scope): Promise<Activity | null> {
  const row = await activityQuery(db).where('r.id', '=', id).where(scope).executeTakeFirst();
  return row ? toActivity(row) : null;
}

export async function insertActivityRow(
  db: Kysely<DB>,
  values: {
    accountId: number;
    kind: Activity['kind'];
    description: string;
    value: string | null;
    currency: string;
    occurredOn: string;
    userId: number | null;
  },
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('relationship_activities')
    .values({
      account_id: values.accountId,
      kind: values.kind,
      description: values.description,
      value: values.value,
      currency: values.currency,
      occurred_on: values.occurredOn,
      user_id: values.userId,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteActivityRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('relationship_activities').where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------------------
// Merges shown on a survivor's timeline: the account's own merges and those of its contacts.

function mergeLabel(
  entity: 'accounts' | 'contacts',
  mergedId: number,
  snapshot: { label?: unknown; code?: unknown; name_en?: unknown; name?: unknown },
): string {
  if (typeof snapshot.label === 'string') return snapshot.label;
  if (entity === 'accounts' && typeof snapshot.code === 'string') {
    return typeof snapshot.name_en === 'string' ? `${snapshot.code} ${snapshot.name_en}` : snapshot.code;
  }
  if (entity === 'contacts' && typeof snapshot.name === 'string') return snapshot.name;
  return `#${mergedId}`;
}

/** The account this one was last merged into (within the read scope), or null. */
export async function findMergedInto(
  db: Kysely<DB>,
  id: number,
  scope: (ownerColumn: string) => Scope,
): Promise<AccountRef | null> {
  const row = await db
    .selectFrom('merges as m')
    .innerJoin('accounts as g', 'g.id', 'm.survivor_id')
    .select(refColumns)
    .where('m.entity', '=', 'accounts')
    .where('m.merged_id', '=', id)
    .where(scope('g.owner_id'))
    .orderBy('m.merged_at', 'desc')
    .orderBy('m.id', 'desc')
    .executeTakeFirst();
  return row ? toRef(row) : null;
}

export async function listMergeEvents(db: Kysely<DB>, accountId: number, limit: number): Promise<MergeEvent[]> {
  const rows = await db
    .selectFrom('merges as m')
    .leftJoin('users as u', 'u.id', 'm.merged_by')
    .select([
      'm.id',
      'm.entity',
      'm.survivor_id',
      'm.merged_id',
      'm.merged_snapshot',
      'm.reason',
      'u.display_name as merged_by',
      'm.merged_at',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('m.entity', '=', 'accounts'), eb('m.survivor_id', '=', accountId)]),
        eb.and([
          eb('m.entity', '=', 'contacts'),
          eb('m.survivor_id', 'in', eb.selectFrom('contacts').select('id').where('account_id', '=', accountId)),
        ]),
      ]),
    )
    .orderBy('m.merged_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => {
    // Snapshots written by this feature carry a label; those of the duplicates feature are the merged row itself.
    const snapshot = row.merged_snapshot as {
      label?: unknown;
      moved?: unknown;
      code?: unknown;
      name_en?: unknown;
      name?: unknown;
    };
    const moved: Record<string, number> = {};
    if (typeof snapshot.moved === 'object' && snapshot.moved !== null) {
      for (const [key, value] of Object.entries(snapshot.moved as Record<string, unknown>)) {
        if (typeof value === 'number') moved[key] = value;
      }
    }
    return {
      id: row.id,
      entity: row.entity,
      survivorId: row.survivor_id,
      mergedId: row.merged_id,
      mergedLabel: mergeLabel(row.entity, row.merged_id, snapshot),
      moved,
      reason: row.reason,
      mergedBy: row.merged_by,
      mergedAt: iso(row.merged_at),
    };
  });
}
