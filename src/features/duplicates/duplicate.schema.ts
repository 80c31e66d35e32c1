import { z } from 'zod';

/** Shapes of the duplicates feature: likely duplicate accounts and contacts, and merges. */
export const duplicateEntitySchema = z.enum(['accounts', 'contacts']);
export type DuplicateEntity = z.infer<typeof duplicateEntitySchema>;

export const duplicateQuerySchema = z.object({
  accountId: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('only pairs involving this account (accounts) or contacts of it'),
  minSimilarity: z.coerce
    .number()
    .min(0.3)
    .max(1)
    .default(0.6)
    .describe('pg_trgm similarity of names counted as similar'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type DuplicateQuery = z.infer<typeof duplicateQuerySchema>;

export const duplicateRecordSchema = z.object({
  id: z.number().int(),
  label: z.string().describe('code and name (accounts) or name and email (contacts)'),
  version: z.number().int(),
});

export const duplicatePairSchema = z.object({
  a: duplicateRecordSchema,
  b: duplicateRecordSchema,
  reasons: z.array(z.string()).describe('why the pair looks like one customer, e.g. "same contact email karen@x.hk"'),
  score: z.number().describe('1 per exact match, plus name similarity'),
});
export type DuplicatePair = z.infer<typeof duplicatePairSchema>;

export const duplicateListSchema = z.object({ items: z.array(duplicatePairSchema) });

export const mergeInputSchema = z.object({
  survivorId: z.number().int().positive(),
  mergedId: z.number().int().positive(),
  survivorVersion: z.number().int().positive().optional().describe('version the user saw; a different one answers 409'),
  mergedVersion: z.number().int().positive().optional(),
  reason: z.string().trim().max(500).optional(),
});
export type MergeInput = z.infer<typeof mergeInputSchema>;

export const mergeResultSchema = z.object({
  mergeId: z.number().int(),
  entity: duplicateEntitySchema,
  survivorId: z.number().int(),
  mergedId: z.number().int(),
  moved: z.record(z.string(), z.number().int()).describe('rows moved to the survivor, per table'),
  survivorVersion: z.number().int(),
});
export type MergeResult = z.infer<typeof mergeResultSchema>;

export const mergeRecordSchema = z.object({
  mergeId: z.number().int(),
  entity: duplicateEntitySchema,
  survivorId: z.number().int(),
  mergedId: z.number().int(),
  merged: z.record(z.string(), z.unknown()).describe('the merged record as it was'),
  reason: z.string().nullable(),
  mergedBy: z.number().int().nullable(),
  mergedAt: z.string(),
});
export type MergeRecord = z.infer<typeof mergeRecordSchema>;
