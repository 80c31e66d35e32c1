import { z } from 'zod';

/** Shapes of the accounts feature, shared by the API, the CLI and the web app. */
export const industrySchema = z.enum(['freight', 'automotive', 'retail']);
export type Industry = z.infer<typeof industrySchema>;

export const accountKindSchema = z.enum(['company', 'person']);

export const accountSortSchema = z.enum(['name', 'code', 'created']);
export type AccountSort = z.infer<typeof accountSortSchema>;

export const accountListQuerySchema = z.object({
  q: z.string().trim().max(200).optional().describe('Text search over the code and the English and Chinese names'),
  industry: industrySchema.optional(),
  sort: accountSortSchema.default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
});
export type AccountListQuery = z.infer<typeof accountListQuerySchema>;

export const accountSummarySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  nameEn: z.string(),
  nameZh: z.string().nullable(),
  kind: accountKindSchema,
  industry: industrySchema,
  parentId: z.number().int().nullable(),
  parentCode: z.string().nullable(),
  ownerName: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601 timestamp'),
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

export const accountPageSchema = z.object({
  items: z.array(accountSummarySchema),
  nextCursor: z.string().nullable(),
});
export type AccountPage = z.infer<typeof accountPageSchema>;

export const accountDetailSchema = accountSummarySchema.extend({
  parentName: z.string().nullable(),
  memberCount: z.number().int().describe('Accounts whose parent is this account (customer group members)'),
  contactCount: z.number().int(),
  totals: z.object({
    transactionCount: z.number().int(),
    revenue: z.string().describe('Sum of amounts, decimal string'),
    firstTransactionAt: z.string().nullable(),
    lastTransactionAt: z.string().nullable(),
  }),
});
export type AccountDetail = z.infer<typeof accountDetailSchema>;

export const accountIdParamsSchema = z.object({ id: z.coerce.number().int().positive() });
