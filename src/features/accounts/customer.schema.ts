import { z } from 'zod';
import { accountKindSchema, accountStatusSchema, industrySchema } from './account.schema.js';

/**
 * Shapes of the customer data bank's editing and of the customer 360 page: account profiles (create, edit,
 * archive with optimistic concurrency), contacts, interactions, relationship activities, the 360 overview
 * (group, monthly series, transactions page, timeline), duplicates and merges. Shared by the API and the web app.
 */
export type AccountStatusValue = z.infer<typeof accountStatusSchema>;

const isoDateTime = z.string().describe('ISO 8601 timestamp');
const decimalString = z
  .string()
  .trim()
  .regex(/^-?\d{1,16}(\.\d{1,2})?$/, 'must be a decimal number with at most 2 decimals');

// ---------------------------------------------------------------------------------------------------------
// Needs profile: services used, stated requirements, choice factors (importance vs our performance, 1–5).

export const choiceFactorSchema = z.object({
  factor: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .describe('price, transit_time, reliability, coverage, service, … or free text'),
  importance: z.number().int().min(1).max(5),
  performance: z.number().int().min(1).max(5),
});
export type ChoiceFactor = z.infer<typeof choiceFactorSchema>;

export const needsSchema = z.object({
  servicesUsed: z.array(z.string().trim().min(1).max(100)).max(50),
  requirements: z.string().max(4000).nullable(),
  choiceFactors: z.array(choiceFactorSchema).max(20),
});
export type Needs = z.infer<typeof needsSchema>;

export const needsInputSchema = z.object({
  servicesUsed: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  requirements: z.string().trim().max(4000).nullable().default(null),
  choiceFactors: z.array(choiceFactorSchema).max(20).default([]),
});

// ---------------------------------------------------------------------------------------------------------
// Account profile.

export const accountRefSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  nameEn: z.string(),
  nameZh: z.string().nullable(),
  archived: z.boolean(),
});
export type AccountRef = z.infer<typeof accountRefSchema>;

export const accountProfileSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  nameEn: z.string(),
  nameZh: z.string().nullable(),
  kind: accountKindSchema,
  industry: industrySchema,
  parentId: z.number().int().nullable(),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  status: accountStatusSchema,
  source: z.string().nullable(),
  tags: z.array(z.string()),
  needs: needsSchema,
  custom: z.record(z.string(), z.unknown()),
  archivedAt: isoDateTime.nullable(),
  version: z.number().int().describe('send it back when editing: a stale version answers 409'),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type AccountProfile = z.infer<typeof accountProfileSchema>;

const tagsInput = z.array(z.string().trim().min(1).max(60)).max(50);
const code = z
  .string()
  .trim()
  .min(1)
  .max(64)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f]+$/, 'must not contain control characters');

/** The fields a user edits; the same for create (code, nameEn and industry required) and edit (all optional). */
const editableAccountFields = {
  nameEn: z.string().trim().min(1).max(300),
  nameZh: z.string().trim().max(300).nullable(),
  kind: accountKindSchema,
  industry: industrySchema,
  parentId: z.number().int().positive().nullable(),
  ownerId: z.number().int().positive().nullable(),
  status: accountStatusSchema,
  source: z.string().trim().max(200).nullable(),
  tags: tagsInput,
  needs: needsInputSchema,
};

export const accountCreateSchema = z.object({
  code,
  ...editableAccountFields,
  nameZh: editableAccountFields.nameZh.optional(),
  kind: editableAccountFields.kind.optional(),
  parentId: editableAccountFields.parentId.optional(),
  ownerId: editableAccountFields.ownerId.optional(),
  status: editableAccountFields.status.optional(),
  source: editableAccountFields.source.optional(),
  tags: editableAccountFields.tags.optional(),
  needs: editableAccountFields.needs.optional(),
});
export type AccountCreateInput = z.infer<typeof accountCreateSchema>;

export const accountUpdateSchema = z
  .object({
    version: z.number().int().positive().describe('the version you edited'),
    code: code.optional(),
    nameEn: editableAccountFields.nameEn.optional(),
    nameZh: editableAccountFields.nameZh.optional(),
    kind: editableAccountFields.kind.optional(),
    industry: editableAccountFields.industry.optional(),
    parentId: editableAccountFields.parentId.optional(),
    ownerId: editableAccountFields.ownerId.optional(),
    status: editableAccountFields.status.optional(),
    source: editableAccountFields.source.optional(),
    tags: editableAccountFields.tags.optional(),
    needs: editableAccountFields.needs.optional(),
  })
  .strict();
export type AccountUpdateInput = z.infer<typeof accountUpdateSchema>;

export const versionBodySchema = z.object({ version: z.number().int().positive() });
export type VersionBody = z.infer<typeof versionBodySchema>;

/** One field a stale edit would have overwritten: what you sent and what is stored now. */
export const fieldChangeSchema = z.object({
  field: z.string(),
  yours: z.unknown(),
  current: z.unknown(),
});
export type FieldChange = z.infer<typeof fieldChangeSchema>;

/** details of a 409 on a stale edit. */
export const staleEditDetailsSchema = z.object({
  currentVersion: z.number().int(),
  yourVersion: z.number().int(),
  updatedAt: isoDateTime,
  conflicts: z.array(fieldChangeSchema).describe('fields you changed whose stored value differs from yours'),
  current: z.record(z.string(), z.unknown()).describe('the record as stored now'),
});
export type StaleEditDetails = z.infer<typeof staleEditDetailsSchema>;

// ---------------------------------------------------------------------------------------------------------
// Contacts.

export const contactLanguageSchema = z.enum(['en', 'zh-Hant', 'zh-Hans']);
export const contactChannelSchema = z.enum(['email', 'phone', 'whatsapp', 'wechat', 'sms', 'visit', 'mail']);

export const contactSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  name: z.string().nullable(),
  title: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable().describe('E.164'),
  language: z.string().nullable(),
  channels: z.array(z.string()),
  archivedAt: isoDateTime.nullable(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  masked: z.array(z.string()).describe('fields hidden from your role (shown as null)'),
});
export type Contact = z.infer<typeof contactSchema>;

const contactFields = {
  name: z.string().trim().max(300).nullable(),
  title: z.string().trim().max(200).nullable(),
  email: z.string().trim().max(254).nullable().describe('stored lower-case'),
  phone: z.string().trim().max(40).nullable().describe('stored as E.164; without a country code read as Hong Kong'),
  language: contactLanguageSchema.nullable(),
  channels: z.array(contactChannelSchema).max(7),
};
export const contactCreateSchema = z.object({
  name: contactFields.name.optional(),
  title: contactFields.title.optional(),
  email: contactFields.email.optional(),
  phone: contactFields.phone.optional(),
  language: contactFields.language.optional(),
  channels: contactFields.channels.optional(),
});
export type ContactCreateInput = z.infer<typeof contactCreateSchema>;
export const contactUpdateSchema = contactCreateSchema.extend({ version: z.number().int().positive() }).strict();
export type ContactUpdateInput = z.infer<typeof contactUpdateSchema>;

export const contactListSchema = z.object({ items: z.array(contactSchema) });
export const contactListQuerySchema = z.object({
  include_archived: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});

// ---------------------------------------------------------------------------------------------------------
// Interactions and relationship activities.

export const interactionChannelSchema = z.enum(['phone', 'email', 'visit', 'meeting', 'whatsapp', 'wechat', 'event']);
export type InteractionChannel = z.infer<typeof interactionChannelSchema>;
export const interactionDirectionSchema = z.enum(['inbound', 'outbound']);

export const interactionSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  channel: interactionChannelSchema,
  direction: interactionDirectionSchema,
  subject: z.string().nullable(),
  notes: z.string().nullable(),
  occurredAt: isoDateTime,
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  contactIds: z.array(z.number().int()),
  archivedAt: isoDateTime.nullable(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Interaction = z.infer<typeof interactionSchema>;

const occurredAt = z.iso.datetime({ offset: true }).describe('ISO 8601 with an offset or Z');
export const interactionCreateSchema = z.object({
  channel: interactionChannelSchema,
  direction: interactionDirectionSchema.default('outbound'),
  subject: z.string().trim().max(500).nullable().optional(),
  notes: z.string().trim().max(20_000).nullable().optional(),
  occurredAt,
  contactIds: z.array(z.number().int().positive()).max(50).default([]),
});
export type InteractionCreateInput = z.infer<typeof interactionCreateSchema>;
export const interactionUpdateSchema = z
  .object({
    version: z.number().int().positive(),
    channel: interactionChannelSchema.optional(),
    direction: interactionDirectionSchema.optional(),
    subject: z.string().trim().max(500).nullable().optional(),
    notes: z.string().trim().max(20_000).nullable().optional(),
    occurredAt: occurredAt.optional(),
    contactIds: z.array(z.number().int().positive()).max(50).optional(),
  })
  .strict();
export type InteractionUpdateInput = z.infer<typeof interactionUpdateSchema>;

export const activityKindSchema = z.enum(['gift', 'souvenir', 'event']);
export const activitySchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  kind: activityKindSchema,
  description: z.string(),
  value: z.string().nullable().describe('decimal string'),
  currency: z.string(),
  occurredOn: z.string().describe('YYYY-MM-DD'),
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  createdAt: isoDateTime,
});
export type Activity = z.infer<typeof activitySchema>;
export const activityCreateSchema = z.object({
  kind: activityKindSchema,
  description: z.string().trim().min(1).max(1000),
  value: decimalString.nullable().optional(),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code')
    .default('HKD'),
  occurredOn: z.iso.date().describe('YYYY-MM-DD'),
});
export type ActivityCreateInput = z.infer<typeof activityCreateSchema>;

// ---------------------------------------------------------------------------------------------------------
// The 360 overview, transactions page and timeline.

export const monthlyPointSchema = z.object({
  month: z.string().describe('YYYY-MM in the business time zone'),
  revenue: z.string().describe('decimal string'),
  transactions: z.number().int(),
  volume: z.string().nullable().describe('sum of quantities in volumeUnit (freight), decimal string'),
});
export type MonthlyPoint = z.infer<typeof monthlyPointSchema>;

export const customerOverviewSchema = z.object({
  account: accountProfileSchema,
  mergedInto: accountRefSchema
    .nullable()
    .describe('the survivor, when this (archived) account was merged into another'),
  group: z.object({
    parent: accountRefSchema.nullable(),
    siblings: z.array(accountRefSchema).describe('other members of the parent group (first 50)'),
    siblingCount: z.number().int(),
    members: z.array(accountRefSchema).describe("this account's own members (first 50)"),
    memberCount: z.number().int(),
  }),
  contacts: z.array(contactSchema).nullable().describe('null when your role may not read contacts'),
  monthly: z
    .object({
      from: z.string().describe('YYYY-MM'),
      to: z.string().describe('YYYY-MM'),
      currency: z.string().describe('the currency most of the revenue is in'),
      mixedCurrencies: z.boolean(),
      volumeUnit: z.string().nullable().describe('the unit of the volume series (freight: the most used unit)'),
      points: z.array(monthlyPointSchema),
    })
    .nullable()
    .describe('null when your role may not read transactions'),
  totals: z
    .object({
      transactionCount: z.number().int(),
      revenue: z.string(),
      firstTransactionAt: isoDateTime.nullable(),
      lastTransactionAt: isoDateTime.nullable(),
    })
    .nullable(),
  permissions: z.object({
    edit: z.boolean(),
    logInteraction: z.boolean(),
    addActivity: z.boolean(),
    editContacts: z.boolean(),
    readTransactions: z.boolean(),
    readInteractions: z.boolean(),
  }),
});
export type CustomerOverview = z.infer<typeof customerOverviewSchema>;

export const transactionItemSchema = z.object({
  id: z.number().int(),
  externalId: z.string(),
  occurredAt: isoDateTime,
  amount: z.string(),
  currency: z.string(),
  quantity: z.string().nullable(),
  unit: z.string().nullable(),
  productLine: z.string().nullable(),
  channel: z.string().nullable(),
  cost: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
});
export type TransactionItem = z.infer<typeof transactionItemSchema>;

export const transactionPageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TransactionPageQuery = z.infer<typeof transactionPageQuerySchema>;

export const transactionPageSchema = z.object({
  items: z.array(transactionItemSchema),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  masked: z.array(z.string()),
});
export type TransactionPage = z.infer<typeof transactionPageSchema>;

export const mergeEventSchema = z.object({
  id: z.number().int(),
  entity: z.enum(['accounts', 'contacts']),
  survivorId: z.number().int(),
  mergedId: z.number().int(),
  mergedLabel: z.string().describe('code and name (accounts) or name (contacts) of the merged record'),
  moved: z.record(z.string(), z.number().int()).describe('rows moved to the survivor, by kind'),
  reason: z.string().nullable(),
  mergedBy: z.string().nullable(),
  mergedAt: isoDateTime,
});
export type MergeEvent = z.infer<typeof mergeEventSchema>;

export const timelineQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  include_archived: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});
export type TimelineQuery = z.infer<typeof timelineQuerySchema>;

export const timelineSchema = z.object({
  interactions: z.array(interactionSchema).nullable().describe('newest first; null when your role may not read them'),
  activities: z.array(activitySchema).nullable(),
  merges: z.array(mergeEventSchema),
});
export type Timeline = z.infer<typeof timelineSchema>;

// ---------------------------------------------------------------------------------------------------------
// Duplicates and merges.

export const duplicateEntitySchema = z.enum(['accounts', 'contacts']);
export type DuplicateEntity = z.infer<typeof duplicateEntitySchema>;

export const duplicateReasonSchema = z.object({
  kind: z.enum(['email', 'phone', 'name_en', 'name_zh', 'name']),
  value: z.string().nullable().describe('the shared email or phone (null when your role may not see it)'),
  similarity: z.number().nullable().describe('name similarity 0–1 (pg_trgm)'),
});
export type DuplicateReason = z.infer<typeof duplicateReasonSchema>;

export const duplicateRecordSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int().describe('the account itself, or the contact’s account'),
  code: z.string().describe('account code (for a contact: its account’s code)'),
  name: z.string().nullable(),
  nameZh: z.string().nullable(),
  detail: z.string().nullable().describe('contacts: the account name; accounts: the industry'),
  transactions: z.number().int(),
  contacts: z.number().int(),
  interactions: z.number().int(),
  createdAt: isoDateTime,
});
export type DuplicateRecord = z.infer<typeof duplicateRecordSchema>;

export const duplicatePairSchema = z.object({
  entity: duplicateEntitySchema,
  a: duplicateRecordSchema,
  b: duplicateRecordSchema,
  reasons: z.array(duplicateReasonSchema),
  score: z.number().describe('1 for a shared email or phone, else the best name similarity'),
});
export type DuplicatePair = z.infer<typeof duplicatePairSchema>;

export const duplicateQuerySchema = z.object({
  entity: duplicateEntitySchema.default('accounts'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  threshold: z.coerce.number().min(0.3).max(1).default(0.6).describe('minimum name similarity'),
});
export type DuplicateQuery = z.infer<typeof duplicateQuerySchema>;

export const duplicateListSchema = z.object({ items: z.array(duplicatePairSchema) });

export const mergeRequestSchema = z.object({
  survivorId: z.number().int().positive(),
  mergedId: z.number().int().positive(),
  survivorVersion: z.number().int().positive().optional().describe('the version you saw; another one answers 409'),
  mergedVersion: z.number().int().positive().optional(),
  reason: z.string().trim().max(500).nullable().optional(),
});
export type MergeRequest = z.infer<typeof mergeRequestSchema>;

export const mergeResultSchema = z.object({
  mergeId: z.number().int(),
  survivorId: z.number().int(),
  mergedId: z.number().int(),
  moved: z.record(z.string(), z.number().int()),
});
export type MergeResult = z.infer<typeof mergeResultSchema>;

export const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });
