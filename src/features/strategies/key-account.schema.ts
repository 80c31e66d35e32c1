import { z } from 'zod';

/** PostgreSQL text and jsonb cannot hold NUL characters: refused as input rather than failing in the database. */
const noNul = (text: string): boolean => !text.includes('\u0000');
const NO_NUL = 'must not contain NUL characters';
const MAX_ID = Number.MAX_SAFE_INTEGER;
const MAX_VERSION = 2_147_483_647;

/**
 * Key-account assessment (requirement B7, 408B): the customer's attractiveness to us against our fit for them, each
 * a weighted mean of 1–5 scores on editable criteria; the relationship stage; the advantages and disadvantages of a
 * closer relationship for both sides as structured notes. The portfolio matrix places every assessed account.
 */
export const axisSchema = z.enum(['attractiveness', 'fit']);
export const criterionSourceSchema = z.enum(['volume', 'margin', 'growth', 'relationship', 'manual']);
export const relationshipStageSchema = z.enum(['transactional', 'preferred', 'partner']);
export type RelationshipStage = z.infer<typeof relationshipStageSchema>;

export const criterionSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lower-case key such as strategic_fit'),
    axis: axisSchema,
    labelEn: z.string().trim().min(1).max(120).refine(noNul, NO_NUL),
    labelZh: z.string().trim().max(120).refine(noNul, NO_NUL).nullable(),
    weight: z.number().min(0).max(1),
    source: criterionSourceSchema.describe('Where a suggested score comes from; manual: the assessor scores it'),
  })
  .strict();
export type Criterion = z.infer<typeof criterionSchema>;

export const criteriaSchema = z.object({ criteria: z.array(criterionSchema) });
export const criteriaUpdateSchema = z
  .object({
    criteria: z
      .array(criterionSchema)
      .min(2)
      .max(20)
      .superRefine((list, context) => {
        const keys = new Set<string>();
        list.forEach((criterion, index) => {
          if (keys.has(criterion.key))
            context.addIssue({ code: 'custom', path: [index, 'key'], message: 'is used twice' });
          keys.add(criterion.key);
        });
        for (const axis of axisSchema.options) {
          const sum = list.filter((c) => c.axis === axis).reduce((total, c) => total + c.weight, 0);
          if (Math.abs(sum - 1) > 0.001) {
            context.addIssue({
              code: 'custom',
              path: [],
              message: `the ${axis} weights must add up to 1 (they add up to ${sum.toFixed(3)})`,
            });
          }
        }
      }),
  })
  .strict();

const note = z
  .object({
    text: z.string().trim().min(1).max(1000).refine(noNul, NO_NUL),
    category: z.string().trim().max(60).refine(noNul, NO_NUL).nullable(),
  })
  .strict();
export const assessmentNotesSchema = z
  .object({
    ourAdvantages: z.array(note).max(30).default([]),
    ourDisadvantages: z.array(note).max(30).default([]),
    theirAdvantages: z.array(note).max(30).default([]),
    theirDisadvantages: z.array(note).max(30).default([]),
  })
  .strict();
export type AssessmentNotes = z.infer<typeof assessmentNotesSchema>;

export const scoreSchema = z.number().min(1).max(5);

export const assessmentInputSchema = z
  .object({
    version: z
      .number()
      .int()
      .min(0)
      .max(MAX_VERSION)
      .describe('Version of the assessment you edited; 0 for the first one'),
    relationshipStage: relationshipStageSchema,
    scores: z.record(z.string(), scoreSchema).describe('Criterion key → 1–5; suggested scores fill the gaps'),
    notes: assessmentNotesSchema.prefault({}),
  })
  .strict();
export type AssessmentInput = z.infer<typeof assessmentInputSchema>;

export const quadrantSchema = z.enum(['key_strategic', 'key_development', 'key_maintenance', 'key_status']);
export type Quadrant = z.infer<typeof quadrantSchema>;

export const assessmentSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  accountCode: z.string(),
  accountName: z.string(),
  assessedOn: z.string(),
  relationshipStage: relationshipStageSchema,
  scores: z.record(z.string(), z.number()),
  criteria: z.array(criterionSchema).describe('The criteria in force when it was saved'),
  attractiveness: z.number().describe('1–5'),
  fit: z.number().describe('1–5'),
  quadrant: quadrantSchema,
  notes: assessmentNotesSchema,
  version: z.number().int(),
  assessedBy: z.number().int().nullable(),
  createdAt: z.string(),
});
export type Assessment = z.infer<typeof assessmentSchema>;

export const suggestionSchema = z.object({
  accountId: z.number().int(),
  scores: z.record(z.string(), z.number().nullable()).describe('null: scored by the assessor'),
  figures: z.object({
    revenue12m: z.number(),
    revenuePrior12m: z.number(),
    margin12m: z.number().nullable(),
    marginRate: z.number().nullable(),
    growth: z.number().nullable(),
    revenuePercentile: z.number().nullable(),
    marginRatePercentile: z.number().nullable(),
  }),
  explanations: z.array(z.object({ criterion: z.string(), text: z.string() })),
  masked: z.array(z.string()).describe('Figures hidden from your role (commercial data), as opposed to empty'),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const matrixPointSchema = z.object({
  accountId: z.number().int(),
  accountCode: z.string(),
  accountName: z.string(),
  attractiveness: z.number(),
  fit: z.number(),
  quadrant: quadrantSchema,
  relationshipStage: relationshipStageSchema,
  revenue12m: z.number(),
  assessedOn: z.string(),
});
export const matrixSchema = z.object({
  midpoint: z.number().describe('Scores above it are high (3 on the 1–5 scale)'),
  points: z.array(matrixPointSchema),
  quadrants: z.array(z.object({ quadrant: quadrantSchema, accounts: z.number().int(), advice: z.string() })),
});
export type PortfolioMatrix = z.infer<typeof matrixSchema>;

export const accountParamsSchema = z.object({ accountId: z.coerce.number().int().positive().max(MAX_ID) });
