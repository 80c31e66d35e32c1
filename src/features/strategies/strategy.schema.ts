import { z } from 'zod';
import { isoDateSchema } from '../../shared/iso-date.js';

/** PostgreSQL text and jsonb cannot hold NUL characters: refused as input rather than failing in the database. */
const noNul = (text: string): boolean => !text.includes('\u0000');
const NO_NUL = 'must not contain NUL characters';
const MAX_ID = Number.MAX_SAFE_INTEGER;
const MAX_VERSION = 2_147_483_647;

/**
 * Shapes of strategy documents (requirements C1–C7), shared by the API, the CLI and the web app's guided builder.
 *
 * A strategy has a context (market role, objectives, horizon) and target segments in priority order; per target:
 * objective, value proposition, tailor-made services, tactics, channels, contact cadence, loyalty programme, focus
 * groups, service pledges, departments, programme costs, the retention improvement it aims for, and KPIs. Budgets
 * and expected returns are computed from the document and the segment's members (strategy.rules.ts), never stored.
 */
export const strategyStatusSchema = z.enum(['draft', 'in_review', 'approved', 'retired']);
export type StrategyStatus = z.infer<typeof strategyStatusSchema>;

export const marketRoleSchema = z.enum(['leader', 'challenger', 'follower', 'nicher']);
export type MarketRole = z.infer<typeof marketRoleSchema>;

export const departmentSchema = z.enum([
  'sales',
  'operations',
  'customer_service',
  'marketing',
  'finance',
  'management',
]);
export type Department = z.infer<typeof departmentSchema>;

export const contactKindSchema = z.enum(['call', 'visit', 'review_meeting', 'email']);
export type ContactKind = z.infer<typeof contactKindSchema>;

export const channelSchema = z.enum([
  'phone',
  'email',
  'visit',
  'meeting',
  'whatsapp',
  'wechat',
  'event',
  'newsletter',
]);
export type Channel = z.infer<typeof channelSchema>;

export const cadenceUnitSchema = z.enum(['week', 'month', 'quarter', 'year']);
export type CadenceUnit = z.infer<typeof cadenceUnitSchema>;

export const strategyIndustrySchema = z.enum(['freight', 'automotive', 'retail']);
export type StrategyIndustry = z.infer<typeof strategyIndustrySchema>;

export const strategyDateSchema = isoDateSchema;

const text = (max = 2000) => z.string().trim().min(1).max(max);
const money = z.number().min(0).max(1e12).describe('HKD');

export const cadenceItemSchema = z
  .object({
    kind: contactKindSchema,
    every: z.number().int().min(1).max(52).describe('Once every N units'),
    unit: cadenceUnitSchema,
    costPerContact: money.describe('HKD per contact (time and travel)'),
    label: z.string().trim().max(120).refine(noNul, NO_NUL).optional().describe('e.g. "Monthly review meeting"'),
  })
  .strict();
export type CadenceItem = z.infer<typeof cadenceItemSchema>;

export const loyaltyProgrammeSchema = z
  .object({
    name: text(120),
    tiers: z
      .array(z.object({ name: text(60), qualification: text(300), benefits: z.array(text(300)).max(20) }).strict())
      .min(1)
      .max(10),
  })
  .strict();

export const focusGroupSchema = z
  .object({ topic: text(300), participants: z.number().int().min(1).max(100), plannedOn: isoDateSchema.nullable() })
  .strict();

export const pledgeSchema = z
  .object({
    text: text(300).describe('e.g. "Every complaint answered within 2 working days"'),
    measure: z.string().trim().max(200).refine(noNul, NO_NUL).nullable().describe('How it is measured'),
    target: z.string().trim().max(100).refine(noNul, NO_NUL).nullable(),
  })
  .strict();

export const kpiMetricSchema = z.enum([
  'retention_rate',
  'churn_rate',
  'revenue',
  'revenue_growth',
  'clv',
  'cadence_compliance',
  'share_of_wallet',
  'nps',
  'csat',
  'complaint_resolution_days',
  'custom',
]);
export const kpiSchema = z
  .object({
    name: text(120),
    metric: kpiMetricSchema,
    target: z.number().finite(),
    unit: z.string().trim().max(20).refine(noNul, NO_NUL).describe('%, HKD, days, score …'),
    reviewOn: isoDateSchema,
  })
  .strict();
export type Kpi = z.infer<typeof kpiSchema>;

export const programmeCostSchema = z.object({ label: text(120), amount: money }).strict();

export const targetPlanSchema = z
  .object({
    segmentId: z.number().int().positive().max(MAX_ID),
    objective: text(1000),
    valueProposition: z.string().trim().max(2000).refine(noNul, NO_NUL),
    services: z.array(text(300)).max(30).describe('Tailor-made services'),
    tactics: z.array(text(300)).max(30),
    channels: z.array(channelSchema).max(8),
    cadence: z.array(cadenceItemSchema).max(10),
    loyaltyProgramme: loyaltyProgrammeSchema.nullable(),
    focusGroups: z.array(focusGroupSchema).max(20),
    pledges: z.array(pledgeSchema).max(20),
    departments: z.array(departmentSchema).max(6).describe('Departments involved besides the account owners'),
    programmeCosts: z.array(programmeCostSchema).max(30),
    retentionImprovement: z
      .number()
      .min(0)
      .max(0.5)
      .describe('Retention the plan aims to add, in points of the yearly rate (0.05 = +5 points)'),
    kpis: z.array(kpiSchema).max(20),
  })
  .strict();
export type TargetPlan = z.infer<typeof targetPlanSchema>;

export const strategyDocumentSchema = z
  .object({
    context: z
      .object({
        marketRole: marketRoleSchema,
        objectives: z.array(text(500)).max(20),
        horizonMonths: z.number().int().min(1).max(36).default(12).describe('Period the budget covers'),
        startsOn: isoDateSchema.nullable().default(null).describe('First day (default: the day it is approved)'),
        annualDiscountRate: z.number().min(0).max(0.5).default(0.1).describe('For the expected return'),
        notes: z.string().trim().max(4000).refine(noNul, NO_NUL).nullable().default(null),
      })
      .strict(),
    targets: z
      .array(targetPlanSchema)
      .max(20)
      .describe('Target segments, highest priority first')
      .refine(
        (targets) => new Set(targets.map((t) => t.segmentId)).size === targets.length,
        'a segment may be a target only once',
      ),
    review: z
      .object({
        requiredDepartments: z.array(departmentSchema).max(6).describe('Departments whose approval is needed'),
        reviewDates: z.array(isoDateSchema).max(24),
      })
      .strict(),
  })
  .strict();
export type StrategyDocument = z.infer<typeof strategyDocumentSchema>;
export type StrategyDocumentInput = z.input<typeof strategyDocumentSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Strategies

export const strategyCreateSchema = z
  .object({
    title: text(200),
    industry: strategyIndustrySchema.nullable().optional(),
    document: strategyDocumentSchema,
  })
  .strict();
export type StrategyCreate = z.infer<typeof strategyCreateSchema>;

export const strategyUpdateSchema = z
  .object({
    version: z
      .number()
      .int()
      .min(1)
      .max(MAX_VERSION)
      .describe('The version you edited: 409 when someone saved in between'),
    title: text(200).optional(),
    document: strategyDocumentSchema.optional(),
    note: z.string().trim().max(500).optional().describe('What changed (kept with the version)'),
  })
  .strict();
export type StrategyUpdate = z.infer<typeof strategyUpdateSchema>;

export const transitionSchema = z
  .object({
    version: z.number().int().min(1).max(MAX_VERSION),
    to: strategyStatusSchema,
    note: z.string().trim().max(500).optional(),
    scheduleMonths: z
      .number()
      .int()
      .min(1)
      .max(12)
      .default(3)
      .describe('On approval: schedule cadence tasks for this many months ahead'),
  })
  .strict();
export type TransitionRequest = z.infer<typeof transitionSchema>;

export const commentCreateSchema = z.object({ department: departmentSchema, body: text(4000) }).strict();
export const approvalCreateSchema = z
  .object({
    version: z.number().int().min(1).max(MAX_VERSION).describe('The version reviewed'),
    department: departmentSchema,
    decision: z.enum(['approve', 'request_changes']),
    note: z.string().trim().max(1000).refine(noNul, NO_NUL).optional(),
  })
  .strict();
export type ApprovalCreate = z.infer<typeof approvalCreateSchema>;

export const commentSchema = z.object({
  id: z.number().int(),
  version: z.number().int(),
  department: departmentSchema,
  body: z.string(),
  authorId: z.number().int().nullable(),
  authorName: z.string().nullable(),
  createdAt: z.string(),
});
export type Comment = z.infer<typeof commentSchema>;

export const approvalSchema = z.object({
  id: z.number().int(),
  version: z.number().int(),
  department: departmentSchema,
  decision: z.enum(['approve', 'request_changes']),
  note: z.string().nullable(),
  decidedBy: z.number().int().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string(),
});
export type Approval = z.infer<typeof approvalSchema>;

export const strategySummarySchema = z.object({
  id: z.number().int(),
  title: z.string(),
  industry: strategyIndustrySchema.nullable(),
  status: strategyStatusSchema,
  version: z.number().int(),
  targetCount: z.number().int(),
  createdBy: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  approvedAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
});
export type StrategySummary = z.infer<typeof strategySummarySchema>;

export const strategySchema = strategySummarySchema.extend({
  document: strategyDocumentSchema,
  approvedBy: z.number().int().nullable(),
  nextStatuses: z.array(strategyStatusSchema).describe('Where the lifecycle may go from here'),
  editable: z.boolean(),
  segments: z.array(
    z.object({ id: z.number().int(), name: z.string(), archived: z.boolean(), memberCount: z.number().int() }),
  ),
  comments: z.array(commentSchema),
  approvals: z.array(approvalSchema).describe('Decisions on the current version'),
});
export type Strategy = z.infer<typeof strategySchema>;

export const strategyListQuerySchema = z.object({ status: strategyStatusSchema.optional() });
export const strategyListSchema = z.object({ items: z.array(strategySummarySchema) });
export const strategyIdParamsSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ID) });
export const versionParamsSchema = z.object({
  id: z.coerce.number().int().positive().max(MAX_ID),
  version: z.coerce.number().int().positive().max(MAX_VERSION),
});

export const versionSummarySchema = z.object({
  version: z.number().int(),
  change: z.enum(['create', 'save', 'transition']),
  status: strategyStatusSchema,
  title: z.string(),
  note: z.string().nullable(),
  savedBy: z.number().int().nullable(),
  savedByName: z.string().nullable(),
  savedAt: z.string(),
});
export type VersionSummary = z.infer<typeof versionSummarySchema>;
export const versionSchema = versionSummarySchema.extend({ document: strategyDocumentSchema });
export type StrategyVersion = z.infer<typeof versionSchema>;
export const versionListSchema = z.object({ items: z.array(versionSummarySchema) });

export const diffQuerySchema = z.object({
  from: z.coerce.number().int().positive().max(MAX_VERSION).describe('Older version'),
  to: z.coerce.number().int().positive().max(MAX_VERSION).describe('Newer version'),
});
export const changeSchema = z.object({
  path: z.string().describe('e.g. targets[segment 12].cadence[0].every'),
  change: z.enum(['added', 'removed', 'changed', 'moved']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type DocumentChange = z.infer<typeof changeSchema>;
export const diffSchema = z.object({
  from: versionSchema,
  to: versionSchema,
  changes: z.array(changeSchema),
  summary: z.object({
    added: z.number().int(),
    removed: z.number().int(),
    changed: z.number().int(),
    moved: z.number().int(),
  }),
});
export type VersionDiff = z.infer<typeof diffSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Figures: budget, expected return, downturn scenario, explanations

export const explanationSchema = z.object({
  key: z.string().describe('Message key for the client to translate, e.g. builder.budget.contactLine'),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  text: z.string().describe('The English rendering'),
});
export type Explanation = z.infer<typeof explanationSchema>;

export const budgetLineSchema = z.object({
  segmentId: z.number().int(),
  kind: z.enum(['contact', 'programme']),
  label: z.string(),
  contactKind: contactKindSchema.nullable(),
  costPerContact: z.number().nullable(),
  contactsPerMember: z.number().nullable().describe('Over the horizon'),
  members: z.number().int().nullable(),
  amount: z.number(),
  formula: z.string(),
});
export type BudgetLine = z.infer<typeof budgetLineSchema>;

export const expectedReturnSchema = z.object({
  totalClv: z.number().nullable(),
  baseRetention: z.number().nullable().describe('Mean P(alive) of the members'),
  improvedRetention: z.number().nullable(),
  annualDiscountRate: z.number(),
  upliftFactor: z.number().nullable(),
  expectedReturn: z.number().nullable().describe('Σ CLV × (uplift factor − 1); null without a CLV run'),
  formula: z.string(),
});
export type ExpectedReturn = z.infer<typeof expectedReturnSchema>;

export const segmentBudgetSchema = z.object({
  segmentId: z.number().int(),
  name: z.string(),
  priority: z.number().int(),
  members: z.number().int(),
  contactCost: z.number(),
  programmeCost: z.number(),
  total: z.number(),
  expectedReturn: expectedReturnSchema,
  roi: z.number().nullable().describe('(expected return − budget) / budget'),
});
export type SegmentBudget = z.infer<typeof segmentBudgetSchema>;

export const budgetSchema = z.object({
  strategyId: z.number().int().nullable(),
  horizonMonths: z.number().int(),
  asOf: z.string(),
  lines: z.array(budgetLineSchema),
  segments: z.array(segmentBudgetSchema),
  total: z.number(),
  expectedReturn: z.number().nullable(),
  roi: z.number().nullable(),
  explanations: z.array(explanationSchema),
});
export type Budget = z.infer<typeof budgetSchema>;

export const churnSensitivitySchema = z
  .object({
    active: z.number().min(0).max(5).default(1),
    declining: z.number().min(0).max(5).default(1.5),
    at_risk: z.number().min(0).max(5).default(2),
    lost: z.number().min(0).max(5).default(0.5),
    unclassified: z.number().min(0).max(5).default(1),
  })
  .strict();
export type ChurnSensitivity = z.infer<typeof churnSensitivitySchema>;

export const scenarioRequestSchema = z
  .object({
    volumeDropPercent: z.number().min(0).max(90).describe('Market volume falls by this many percent'),
    sensitivity: churnSensitivitySchema
      .prefault({})
      .describe('Multiplier of the drop per churn class: at-risk customers cut back more'),
  })
  .strict();
export type ScenarioRequest = z.infer<typeof scenarioRequestSchema>;

export const scenarioSegmentSchema = z.object({
  segmentId: z.number().int(),
  name: z.string(),
  baselineRevenue: z.number(),
  scenarioRevenue: z.number(),
  revenueChange: z.number().describe('Share, negative for a fall'),
  budget: z.number(),
  budgetHeldToRevenue: z.number().describe('The budget at the same share of (lower) revenue'),
  expectedReturnBefore: z.number().nullable(),
  expectedReturnAfter: z.number().nullable(),
  roiBefore: z.number().nullable(),
  roiAfter: z.number().nullable(),
  rankBefore: z.number().int(),
  rankAfter: z.number().int(),
});
export const scenarioSchema = z.object({
  volumeDropPercent: z.number(),
  sensitivity: churnSensitivitySchema,
  segments: z.array(scenarioSegmentSchema).describe('In the order of the scenario ranking'),
  totals: z.object({
    baselineRevenue: z.number(),
    scenarioRevenue: z.number(),
    budget: z.number(),
    budgetHeldToRevenue: z.number(),
    expectedReturnBefore: z.number().nullable(),
    expectedReturnAfter: z.number().nullable(),
  }),
  explanations: z.array(explanationSchema),
});
export type Scenario = z.infer<typeof scenarioSchema>;

// ---------------------------------------------------------------------------------------------------------------
// The guided builder

export const builderStepSchema = z.enum(['classify', 'assess', 'targets', 'tactics', 'budget', 'kpis', 'review']);
export type BuilderStep = z.infer<typeof builderStepSchema>;

export const guidedDraftRequestSchema = z
  .object({
    industry: strategyIndustrySchema,
    segmentIds: z
      .array(z.number().int().positive().max(MAX_ID))
      .max(20)
      .optional()
      .describe("Segments to consider (default: the industry's live segments)"),
    maxTargets: z.number().int().min(1).max(20).default(4),
    marketRole: marketRoleSchema.default('challenger'),
    horizonMonths: z.number().int().min(1).max(36).default(12),
    retentionImprovement: z.number().min(0).max(0.5).default(0.05),
    title: z.string().trim().min(1).max(200).refine(noNul, NO_NUL).optional(),
  })
  .strict();
export type GuidedDraftRequest = z.infer<typeof guidedDraftRequestSchema>;

export const guidedDraftSchema = z.object({
  title: z.string(),
  industry: strategyIndustrySchema,
  document: strategyDocumentSchema,
  steps: z.array(
    z.object({
      step: builderStepSchema,
      status: z.enum(['done', 'attention']).describe('attention: the manager should look at this step'),
      explanations: z.array(explanationSchema),
    }),
  ),
  budget: budgetSchema,
});
export type GuidedDraft = z.infer<typeof guidedDraftSchema>;

export const exportQuerySchema = z.object({ format: z.enum(['json', 'md']).default('json') });
export const strategyExportSchema = z.object({ strategy: strategySchema, budget: budgetSchema });
export type StrategyExport = z.infer<typeof strategyExportSchema>;

export const scheduleRequestSchema = z
  .object({ months: z.number().int().min(1).max(12).default(3).describe('Schedule this many months ahead of today') })
  .strict();
export const scheduleResultSchema = z.object({
  created: z.number().int(),
  remedial: z.number().int(),
  unassigned: z.number().int().describe('Tasks for members without an owner'),
  until: z.string(),
});
export type ScheduleResult = z.infer<typeof scheduleResultSchema>;

export const transitionResultSchema = z.object({
  strategy: strategySchema,
  schedule: scheduleResultSchema.nullable().describe('Tasks scheduled on approval'),
});
export type TransitionResult = z.infer<typeof transitionResultSchema>;
