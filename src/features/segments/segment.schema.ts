import { z } from 'zod';
import { segmentIndustrySchema, segmentRuleNodeSchema, segmentTemplateSchema } from './segment-rule.schema.js';
import { validateRule } from './segment.rules.js';

/** PostgreSQL text and jsonb cannot hold NUL characters: refused as input rather than failing in the database. */
const noNul = (text: string): boolean => !text.includes('\u0000');
const NO_NUL = 'must not contain NUL characters';
const MAX_ID = Number.MAX_SAFE_INTEGER;
const MAX_VERSION = 2_147_483_647;

export * from './segment-rule.schema.js';

/**
 * Shapes of the segments feature, shared by the API, the CLI and the web app (the guided rule editor). The rule tree
 * itself is in segment-rule.schema.ts; requests carry it through segmentRuleSchema, which adds the semantic checks.
 */
/** A rule as a request carries it: the structure, then the semantic checks (operators, values, depth). */
export const segmentRuleSchema = segmentRuleNodeSchema.superRefine((rule, context) => {
  for (const issue of validateRule(rule))
    context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

// ---------------------------------------------------------------------------------------------------------------
// Segments

const nameSchema = z.string().trim().min(1).max(120).refine(noNul, NO_NUL);

export const segmentCreateSchema = z
  .object({
    name: nameSchema,
    description: z.string().trim().max(2000).refine(noNul, NO_NUL).nullable().optional(),
    industry: segmentIndustrySchema.nullable().optional(),
    rule: segmentRuleSchema,
  })
  .strict();
export type SegmentCreate = z.infer<typeof segmentCreateSchema>;

export const segmentUpdateSchema = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .max(MAX_VERSION)
      .describe('The version you edited (optimistic concurrency): 409 when stale'),
    name: nameSchema.optional(),
    description: z.string().trim().max(2000).refine(noNul, NO_NUL).nullable().optional(),
    industry: segmentIndustrySchema.nullable().optional(),
    rule: segmentRuleSchema.optional(),
  })
  .strict();
export type SegmentUpdate = z.infer<typeof segmentUpdateSchema>;

export const runRefsSchema = z
  .record(z.string(), z.number().int().nullable())
  .describe('Analysis run read per kind (null: no completed run of that kind yet)');

export const segmentSnapshotSchema = z.object({
  id: z.number().int(),
  segmentId: z.number().int(),
  takenAt: z.string(),
  trigger: z.enum(['analysis_run', 'manual', 'strategy_approval']),
  analysisRunId: z.number().int().nullable(),
  runIds: runRefsSchema,
  asOf: z.string(),
  memberCount: z.number().int(),
  entered: z.number().int(),
  left: z.number().int(),
  totalClv: z.number().nullable().describe('Σ CLV of the members (latest CLV run); null without one'),
  revenue12m: z.number().describe('Σ revenue of the members over the 12 months up to the as-of date'),
});
export type SegmentSnapshot = z.infer<typeof segmentSnapshotSchema>;

export const segmentSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string().nullable(),
  industry: segmentIndustrySchema.nullable(),
  templateKey: z.string().nullable(),
  rule: segmentRuleNodeSchema,
  version: z.number().int(),
  createdBy: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable().describe('Deleted segments stay readable by id (strategies may name them)'),
  memberCount: z.number().int().describe('Members now, among the accounts you may see'),
  lastSnapshot: segmentSnapshotSchema.nullable(),
});
export type Segment = z.infer<typeof segmentSchema>;

export const segmentListQuerySchema = z.object({
  industry: segmentIndustrySchema.optional(),
  q: z.string().trim().max(120).refine(noNul, NO_NUL).optional(),
});
export type SegmentListQuery = z.infer<typeof segmentListQuerySchema>;
export const segmentListSchema = z.object({ items: z.array(segmentSchema) });

export const segmentIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) });
export const snapshotParamsSchema = z.object({
  id: z.coerce.number().int().positive().max(MAX_ID),
  snapshotId: z.coerce.number().int().positive().max(MAX_ID),
});
export const segmentDeleteQuerySchema = z.object({
  version: z.coerce.number().int().min(1).max(MAX_VERSION).describe('The version you saw: 409 when stale'),
});

export const segmentMemberSchema = z.object({
  accountId: z.number().int(),
  code: z.string(),
  nameEn: z.string(),
  nameZh: z.string().nullable(),
  industry: segmentIndustrySchema,
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  abcClass: z.enum(['A', 'B', 'C']).nullable(),
  rfmSegment: z.string().nullable(),
  clv: z.number().nullable(),
  pAlive: z.number().nullable(),
  churnClass: z.enum(['active', 'declining', 'at_risk', 'lost']).nullable(),
});
export type SegmentMember = z.infer<typeof segmentMemberSchema>;

export const memberListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type MemberListQuery = z.infer<typeof memberListQuerySchema>;
export const memberPageSchema = z.object({ items: z.array(segmentMemberSchema), nextCursor: z.string().nullable() });

export const previewRequestSchema = z
  .object({
    rule: segmentRuleSchema,
    limit: z.number().int().min(0).max(100).default(20).describe('How many of the first members to return'),
  })
  .strict();
export type PreviewRequest = z.infer<typeof previewRequestSchema>;

export const previewSchema = z.object({
  count: z.number().int().describe('Members among the accounts you may see'),
  members: z.array(segmentMemberSchema),
  runIds: runRefsSchema,
  asOf: z.string(),
});
export type Preview = z.infer<typeof previewSchema>;

export const snapshotListSchema = z.object({ items: z.array(segmentSnapshotSchema) });

export const snapshotChangesSchema = z.object({
  snapshot: segmentSnapshotSchema,
  previousSnapshotId: z.number().int().nullable(),
  entered: z.array(segmentMemberSchema),
  left: z.array(segmentMemberSchema),
});
export type SnapshotChanges = z.infer<typeof snapshotChangesSchema>;

export const templateListSchema = z.object({ items: z.array(segmentTemplateSchema) });
export const templateQuerySchema = z.object({ industry: segmentIndustrySchema.optional() });
export const installDefaultsSchema = z.object({ industry: segmentIndustrySchema }).strict();
export const installedDefaultsSchema = z.object({
  created: z.array(segmentSchema),
  existing: z.array(z.string()).describe('Template keys already installed'),
});
