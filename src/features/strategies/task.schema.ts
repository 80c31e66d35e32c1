import { z } from 'zod';
import { contactKindSchema } from './strategy.schema.js';

/** PostgreSQL text and jsonb cannot hold NUL characters: refused as input rather than failing in the database. */
const noNul = (text: string): boolean => !text.includes('\u0000');
const NO_NUL = 'must not contain NUL characters';
const MAX_ID = Number.MAX_SAFE_INTEGER;

/** Cadence tasks (requirement D1): what approved strategies ask account owners to do, and whether they did. */
export const taskStatusSchema = z.enum(['open', 'done', 'cancelled']);
export const taskPurposeSchema = z.enum(['cadence', 'remedial']);

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const booleanFlag = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .describe('true or false');

export const taskSchema = z.object({
  id: z.number().int(),
  strategyId: z.number().int(),
  strategyTitle: z.string(),
  segmentId: z.number().int().nullable(),
  segmentName: z.string().nullable(),
  accountId: z.number().int(),
  accountCode: z.string(),
  accountName: z.string(),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  kind: contactKindSchema,
  purpose: taskPurposeSchema,
  title: z.string(),
  dueOn: z.string(),
  status: taskStatusSchema,
  overdue: z.boolean(),
  completedAt: z.string().nullable(),
  completedBy: z.number().int().nullable(),
  outcome: z.string().nullable(),
  interactionId: z.number().int().nullable(),
});
export type Task = z.infer<typeof taskSchema>;

export const taskListQuerySchema = z.object({
  mine: booleanFlag.optional().describe('Only tasks for accounts I own ("my tasks")'),
  status: taskStatusSchema.optional(),
  strategyId: z.coerce.number().int().positive().max(MAX_ID).optional(),
  segmentId: z.coerce.number().int().positive().max(MAX_ID).optional(),
  ownerId: z.coerce.number().int().positive().max(MAX_ID).optional(),
  purpose: taskPurposeSchema.optional(),
  dueFrom: isoDate.optional(),
  dueTo: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});
export type TaskListQuery = z.infer<typeof taskListQuerySchema>;
export const taskPageSchema = z.object({ items: z.array(taskSchema), nextCursor: z.string().nullable() });

export const taskIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) });

export const completeTaskSchema = z
  .object({
    outcome: z.string().trim().max(2000).refine(noNul, NO_NUL).optional(),
    logInteraction: z.boolean().default(true).describe("Also log the contact in the account's interaction log"),
  })
  .strict();
export type CompleteTask = z.infer<typeof completeTaskSchema>;

export const complianceQuerySchema = z.object({
  strategyId: z.coerce.number().int().positive().max(MAX_ID),
  from: isoDate.optional().describe('Default: the strategy start'),
  to: isoDate.optional().describe('Default: today'),
});
export type ComplianceQuery = z.infer<typeof complianceQuerySchema>;

export const complianceRowSchema = z.object({
  segmentId: z.number().int().nullable(),
  segmentName: z.string().nullable(),
  ownerId: z.number().int().nullable(),
  ownerName: z.string().nullable(),
  planned: z.number().int().describe('Tasks due in the period'),
  done: z.number().int(),
  onTime: z.number().int().describe('Done on or before the due day'),
  overdue: z.number().int().describe('Still open after the due day'),
  interactions: z
    .number()
    .int()
    .describe('Contacts logged by the owner with these accounts in the period (tasks or not)'),
  compliance: z.number().nullable().describe('done / planned'),
  onTimeRate: z.number().nullable().describe('on time / planned'),
});
export type ComplianceRow = z.infer<typeof complianceRowSchema>;

export const complianceSchema = z.object({
  strategyId: z.number().int(),
  from: z.string(),
  to: z.string(),
  bySegment: z.array(complianceRowSchema),
  byOwner: z.array(complianceRowSchema),
  total: complianceRowSchema,
});
export type Compliance = z.infer<typeof complianceSchema>;
