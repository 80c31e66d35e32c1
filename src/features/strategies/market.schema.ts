import { z } from 'zod';
import { isoDateSchema } from '../../shared/iso-date.js';

/** PostgreSQL text and jsonb cannot hold NUL characters: refused as input rather than failing in the database. */
const noNul = (text: string): boolean => !text.includes('\u0000');
const NO_NUL = 'must not contain NUL characters';
const MAX_ID = Number.MAX_SAFE_INTEGER;
const MAX_VERSION = 2_147_483_647;

/**
 * Market metrics (requirement B6, 515B): Kotler's decomposition of market share into customer penetration, loyalty,
 * selectivity and price selectivity, per segment and period, from Rapport's own transactions and the market figures
 * the user enters.
 */

const figureFields = {
  segmentId: z.number().int().positive().max(MAX_ID).nullable().describe('null: the whole market'),
  periodFrom: isoDateSchema,
  periodTo: isoDateSchema,
  marketCustomers: z.number().int().min(1).max(MAX_VERSION).describe('Customers buying the category in the market'),
  marketValue: z.number().gt(0).max(1e17).describe('Market purchases of the category in the period, HKD'),
  averageCompetitorPrice: z.number().gt(0).max(1e13).describe('Average competitor price per unit (volumeUnit), HKD'),
  volumeUnit: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .nullable()
    .describe('Unit of volume and price (TEU, kg, vehicle); null: per transaction'),
  shareOfWallet: z
    .number()
    .gt(0)
    .max(1)
    .nullable()
    .describe("Our share of our customers' category purchases (surveys); null: unknown"),
  source: z.string().trim().max(300).refine(noNul, NO_NUL).nullable(),
};

export const marketFigureInputSchema = z
  .object(figureFields)
  .strict()
  .refine((f) => f.periodFrom <= f.periodTo, {
    message: 'periodFrom must not be after periodTo',
    path: ['periodFrom'],
  });
export type MarketFigureInput = z.infer<typeof marketFigureInputSchema>;

export const marketFigureUpdateSchema = z
  .object({ version: z.number().int().min(1).max(MAX_VERSION), ...figureFields })
  .strict()
  .refine((f) => f.periodFrom <= f.periodTo, {
    message: 'periodFrom must not be after periodTo',
    path: ['periodFrom'],
  });
export type MarketFigureUpdate = z.infer<typeof marketFigureUpdateSchema>;

export const marketFigureSchema = z.object({
  id: z.number().int(),
  ...figureFields,
  segmentName: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MarketFigure = z.infer<typeof marketFigureSchema>;

export const factorSchema = z.object({
  key: z.enum(['penetration', 'loyalty', 'selectivity', 'priceSelectivity', 'loyaltyTimesSelectivity', 'marketShare']),
  name: z.string(),
  value: z.number().nullable(),
  formula: z.string(),
  computation: z.string().describe('The formula with this period’s figures'),
});
export type Factor = z.infer<typeof factorSchema>;

export const marketMetricsRowSchema = z.object({
  figure: marketFigureSchema,
  own: z.object({
    customers: z.number().int().describe('Our customers in the segment who bought in the period'),
    value: z.number().describe('Their purchases from us, HKD'),
    volume: z.number().describe('In volumeUnit, or transactions'),
    averagePrice: z.number().nullable(),
  }),
  factors: z.array(factorSchema),
  marketShare: z.number().nullable().describe('Our value / market value'),
  check: z.number().nullable().describe('The product of the four factors (equals the market share)'),
  warnings: z.array(z.string()),
});
export type MarketMetricsRow = z.infer<typeof marketMetricsRowSchema>;

export const marketMetricsQuerySchema = z.object({
  segmentId: z.coerce
    .number()
    .int()
    .positive()
    .max(MAX_ID)
    .optional()
    .describe('Omit for every segment and the whole market'),
});
export const marketMetricsSchema = z.object({
  rows: z.array(marketMetricsRowSchema).describe('Oldest period first: the trend'),
  formulas: z.array(z.object({ key: z.string(), name: z.string(), formula: z.string() })),
});
export type MarketMetrics = z.infer<typeof marketMetricsSchema>;

export const figureIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) });
export const figureDeleteQuerySchema = z.object({ version: z.coerce.number().int().min(1).max(MAX_VERSION) });
