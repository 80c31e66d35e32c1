import { z } from 'zod';
import { isoDateSchema } from '../../shared/iso-date.js';

/** PostgreSQL text and jsonb cannot hold NUL characters: refused as input rather than failing in the database. */
const noNul = (text: string): boolean => !text.includes('\u0000');
const NO_NUL = 'must not contain NUL characters';

/**
 * The segment rule tree and the field catalogue's shapes (the vocabulary segment.rules.ts and segment.schema.ts
 * share; segment.schema.ts re-exports everything here).
 *
 * A segment rule is a tree: `and` / `or` groups of rules, `not` of one rule, and conditions. A condition names a
 * field from the fixed catalogue (segment.rules.ts: account attributes, needs profile, custom fields, analysis
 * results, activity over a period), an operator the field allows, and a value of the field's type. Only the
 * catalogue's fields exist; a rule compiles to parameterised SQL and never carries SQL text.
 */
export const segmentIndustrySchema = z.enum(['freight', 'automotive', 'retail']);
export type SegmentIndustry = z.infer<typeof segmentIndustrySchema>;

export const segmentFieldSchema = z.enum([
  // account attributes
  'account.industry',
  'account.kind',
  'account.status',
  'account.tags',
  'account.source',
  'account.owner',
  'account.owner_team',
  'account.parent',
  'account.created',
  // needs profile (accounts.needs)
  'needs.services_used',
  'needs.choice_importance',
  'needs.choice_performance',
  'needs.choice_gap',
  // custom fields (accounts.custom, typed by custom_field_definitions)
  'custom',
  // results of the latest completed analysis run of each kind
  'analysis.abc_class',
  'analysis.rfm_segment',
  'analysis.r_score',
  'analysis.f_score',
  'analysis.m_score',
  'analysis.clv',
  'analysis.p_alive',
  'analysis.revenue_at_risk',
  'analysis.expected_purchases',
  'analysis.churn_class',
  // transactions over a period
  'activity.revenue',
  'activity.volume',
  'activity.margin',
  'activity.transactions',
  'activity.lanes',
  'activity.product_lines',
  'activity.days_since_last',
]);
export type SegmentField = z.infer<typeof segmentFieldSchema>;

export const segmentOperatorSchema = z.enum([
  'eq',
  'neq',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'within_last_days',
  'contains',
  'has_any',
  'has_all',
  'has_none',
  'is_empty',
  'is_not_empty',
  'is_null',
  'is_not_null',
  'is_true',
  'is_false',
]);
export type SegmentOperator = z.infer<typeof segmentOperatorSchema>;

const scalar = z.union([z.string().max(200).refine(noNul, NO_NUL), z.number(), z.boolean()]);
export const conditionValueSchema = z.union([
  scalar,
  z.array(z.union([z.string().max(200).refine(noNul, NO_NUL), z.number()])).max(500),
]);
export type ConditionValue = z.infer<typeof conditionValueSchema>;

export const segmentDateSchema = isoDateSchema;

/** The period an activity condition measures: the last N days up to the as-of date, or fixed dates. */
export const activityPeriodSchema = z.union([
  z.object({ lastDays: z.number().int().min(1).max(3660) }).strict(),
  z
    .object({ from: isoDateSchema, to: isoDateSchema })
    .strict()
    .refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['from'] }),
]);
export type ActivityPeriod = z.infer<typeof activityPeriodSchema>;

export interface SegmentCondition {
  kind: 'condition';
  field: SegmentField;
  operator: SegmentOperator;
  value?: ConditionValue | undefined;
  /** Custom field key, or the choice factor of needs.choice_* conditions. */
  key?: string | undefined;
  /** activity.* conditions: the period measured (default: the last 365 days). */
  period?: ActivityPeriod | undefined;
  /** activity.volume: only quantities in this unit (TEU, kg, vehicle, items). */
  unit?: string | undefined;
}
export type SegmentRule =
  | { kind: 'and'; rules: SegmentRule[] }
  | { kind: 'or'; rules: SegmentRule[] }
  | { kind: 'not'; rule: SegmentRule }
  | SegmentCondition;

export const segmentConditionSchema = z
  .object({
    kind: z.literal('condition'),
    field: segmentFieldSchema,
    operator: segmentOperatorSchema,
    value: conditionValueSchema.optional(),
    key: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,62}$/, 'must be a field key or a choice factor such as transit_time')
      .optional(),
    period: activityPeriodSchema.optional(),
    unit: z.string().trim().min(1).max(32).refine(noNul, NO_NUL).optional(),
  })
  .strict();

/**
 * The recursive rule. Semantic checks (operator allowed for the field, value of the right type, nesting depth)
 * are in segment.rules.ts (validateRule) and run as part of segmentRuleSchema.
 */
export const segmentRuleNodeSchema: z.ZodType<SegmentRule> = z
  .lazy(() =>
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('and'), rules: z.array(segmentRuleNodeSchema).min(1).max(50) }).strict(),
      z.object({ kind: z.literal('or'), rules: z.array(segmentRuleNodeSchema).min(1).max(50) }).strict(),
      z.object({ kind: z.literal('not'), rule: segmentRuleNodeSchema }).strict(),
      segmentConditionSchema,
    ]),
  )
  .meta({ id: 'SegmentRule' });

// ---------------------------------------------------------------------------------------------------------------
// The field catalogue (for the rule editor)

export const fieldValueTypeSchema = z.enum(['enum', 'text', 'number', 'date', 'tags', 'boolean', 'user', 'account']);
export type FieldValueType = z.infer<typeof fieldValueTypeSchema>;

export const fieldGroupSchema = z.enum(['account', 'needs', 'custom', 'analysis', 'activity']);

export const segmentFieldInfoSchema = z.object({
  field: segmentFieldSchema,
  group: fieldGroupSchema,
  label: z.string(),
  valueType: fieldValueTypeSchema,
  operators: z.array(segmentOperatorSchema),
  values: z.array(z.string()).nullable().describe('Allowed values of an enum field'),
  needsKey: z.boolean().describe('The condition names a key (custom field, choice factor)'),
  hasPeriod: z.boolean().describe('The condition takes a period (default: the last 365 days)'),
  analysisKind: z.enum(['abc', 'rfm', 'clv', 'churn']).nullable().describe('The analysis run the value comes from'),
  description: z.string(),
});
export type SegmentFieldInfo = z.infer<typeof segmentFieldInfoSchema>;

export const customFieldInfoSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(['text', 'number', 'date', 'boolean', 'choice']),
  choices: z.array(z.string()).nullable(),
  operators: z.array(segmentOperatorSchema),
});
export type CustomFieldInfo = z.infer<typeof customFieldInfoSchema>;

export const fieldCatalogueSchema = z.object({
  fields: z.array(segmentFieldInfoSchema),
  customFields: z.array(customFieldInfoSchema),
  latestRuns: z
    .record(z.string(), z.object({ runId: z.number().int(), asOf: z.string() }).nullable())
    .describe('Latest completed run per analysis kind that conditions read'),
});
export type FieldCatalogue = z.infer<typeof fieldCatalogueSchema>;

export const segmentTemplateSchema = z.object({
  key: z.string(),
  industry: segmentIndustrySchema,
  name: z.string(),
  description: z.string(),
  rule: segmentRuleNodeSchema,
});
export type SegmentTemplate = z.infer<typeof segmentTemplateSchema>;
