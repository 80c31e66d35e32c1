import { z } from 'zod';

/** Shapes of the accounts feature, shared by the API, the CLI and the web app. */
export const industrySchema = z.enum(['freight', 'automotive', 'retail']);
export type Industry = z.infer<typeof industrySchema>;

export const accountKindSchema = z.enum(['company', 'person']);

export const accountStatusSchema = z.enum(['prospect', 'active', 'lost']);

export const accountSummarySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  nameEn: z.string(),
  nameZh: z.string().nullable(),
  kind: accountKindSchema,
  industry: industrySchema,
  status: accountStatusSchema,
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
