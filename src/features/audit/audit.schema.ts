import { z } from 'zod';

/**
 * Shapes of the audit log. An entry says who (actor), what (action on resource, record ids), when and from
 * where — never the personal values themselves: details carry field names, counts and filters only.
 */
/** How the actor was authenticated (the same values as auth's viaSchema; a test keeps them equal). */
export const auditViaSchema = z.enum(['session', 'token', 'cli', 'system', 'anonymous']);

export const knownAuditActions = [
  'create',
  'update',
  'delete',
  'merge',
  'import',
  'export',
  'read_personal',
  'sign_in',
  'sign_in_failed',
  'sign_out',
  'lockout',
  'password_change',
  'password_reset',
  'deactivate',
  'reactivate',
  'token_create',
  'token_revoke',
] as const;

export const auditActionSchema = z.string().regex(/^[a-z][a-z_]{0,39}$/, 'must be a lower-case action name');
export const auditResourceSchema = z.string().regex(/^[a-z][a-z_]{0,39}$/, 'must be a lower-case resource name');

export type AuditDetailValue = string | number | boolean | null | readonly string[] | readonly number[];
export type AuditDetails = Readonly<Record<string, AuditDetailValue>>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  occurredAt: z.string(),
  actorUserId: z.number().int().nullable(),
  actorName: z.string().nullable(),
  actorRole: z.string().nullable(),
  via: auditViaSchema,
  action: z.string(),
  resource: z.string(),
  recordIds: z.array(z.string()),
  recordCount: z.number().int(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const isoDateTime = z
  .string()
  .max(40)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date or date-time');

export const auditFilterSchema = z.object({
  action: auditActionSchema.optional(),
  resource: auditResourceSchema.optional(),
  actorUserId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1)
    .optional(),
  recordId: z
    .string()
    .refine(
      (value) => ![...value].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127),
      'must not contain control characters',
    )
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('Entries that name this record id'),
  from: isoDateTime.optional().describe('Entries at or after this time'),
  to: isoDateTime.optional().describe('Entries before this time'),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditListQuerySchema = auditFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const auditPageSchema = z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
export type AuditPage = z.infer<typeof auditPageSchema>;

export const auditExportQuerySchema = auditFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
});
export type AuditExportQuery = z.infer<typeof auditExportQuerySchema>;

export const auditVerifySchema = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  headHash: z.string().nullable(),
  brokenAt: z.number().int().nullable(),
  reason: z.string().nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifySchema>;
