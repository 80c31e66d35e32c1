import { z } from 'zod';
import { isoDateSchema } from '../../shared/iso-date.js';

/**
 * Shapes of the analytics feature (ABC/Pareto, customer groups, RFM, churn, cohorts, lifetime value), shared by the
 * API, the CLI and the web app. Parameter schemas fill in every default, so a stored run records exactly what it ran.
 */
export const analysisKindSchema = z.enum(['abc', 'groups', 'rfm', 'churn', 'cohorts', 'clv']);
export type AnalysisKind = z.infer<typeof analysisKindSchema>;

export { isoDateSchema };

export const timeZoneSchema = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Asia/Hong_Kong');

export const DEFAULT_TIME_ZONE = 'Asia/Hong_Kong';

/** Time unit of recency, T and durations: 'day', or 'week' = days / 7 (the CDNOW summary convention). */
export const timeUnitSchema = z.enum(['day', 'week']);
export type TimeUnit = z.infer<typeof timeUnitSchema>;

export const abcClassSchema = z.enum(['A', 'B', 'C']);
export type AbcClass = z.infer<typeof abcClassSchema>;

export const churnClassSchema = z.enum(['active', 'declining', 'at_risk', 'lost']);
export type ChurnClass = z.infer<typeof churnClassSchema>;

/** What ABC ranks customers by: revenue (Σ amount), gross margin (Σ amount − cost) or volume (Σ quantity). */
export const abcMeasureSchema = z.enum(['revenue', 'margin', 'volume']);
export type AbcMeasure = z.infer<typeof abcMeasureSchema>;

export const thresholdsSchema = z
  .object({
    a: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.8)
      .describe('Class A: customers up to this cumulative share (and the one crossing it)'),
    b: z.number().gt(0).lt(1).default(0.95).describe('Class B: up to this cumulative share; C is the rest'),
  })
  .refine((t) => t.a < t.b, { message: 'a must be below b', path: ['b'] });
export type Thresholds = z.infer<typeof thresholdsSchema>;

const common = {
  timeZone: timeZoneSchema
    .optional()
    .describe('Time zone of calendar days and months (default: the business time zone, RAPPORT_TIME_ZONE)'),
};

export const abcParametersSchema = z
  .object({
    ...common,
    measure: abcMeasureSchema.default('revenue'),
    volumeUnit: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .optional()
      .describe('Only quantities in this unit (TEU, kg, vehicles, baskets)'),
    from: isoDateSchema.optional().describe('First day of the period (default: 12 months before the last)'),
    to: isoDateSchema.optional().describe('Last day of the period (default: the as-of date)'),
    thresholds: thresholdsSchema.prefault({}),
    compare: z.boolean().default(true).describe('Compare with the period of the same length just before (movers)'),
  })
  .strict()
  .refine((p) => !p.from || !p.to || p.from <= p.to, { message: 'from must not be after to', path: ['from'] });
export type AbcParameters = z.infer<typeof abcParametersSchema>;

/** One line of the RFM score map: the first line whose ranges hold the customer's scores names the segment. */
export const scoreRangeSchema = z
  .tuple([z.number().int().min(1).max(5), z.number().int().min(1).max(5)])
  .refine(([low, high]) => low <= high, 'range must be [low, high] with low ≤ high');
export const rfmSegmentRuleSchema = z.object({
  segment: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lower-case slug such as at_risk'),
  r: scoreRangeSchema,
  f: scoreRangeSchema,
  m: scoreRangeSchema,
});
export type RfmSegmentRule = z.infer<typeof rfmSegmentRuleSchema>;

export const rfmParametersSchema = z
  .object({
    ...common,
    unit: timeUnitSchema.default('day'),
    segmentMap: z
      .array(rfmSegmentRuleSchema)
      .min(1)
      .max(60)
      .optional()
      .describe('Ordered score map (default: the built-in one)'),
  })
  .strict();
export type RfmParameters = z.infer<typeof rfmParametersSchema>;

const severeClass = churnClassSchema.exclude(['active']);
/** Editable churn rules; the most severe class whose rule fires wins, and its reason is recorded. */
export const churnRuleSchema = z.discriminatedUnion('rule', [
  z
    .object({
      rule: z.literal('inactive_rhythm'),
      class: severeClass,
      multiplier: z
        .number()
        .gt(0)
        .max(100)
        .describe("No purchase for more than this many times the customer's usual gap"),
      minDays: z.number().int().min(0).max(3650).default(0).describe('… and at least this many days'),
    })
    .strict(),
  z.object({ rule: z.literal('inactive_days'), class: severeClass, days: z.number().int().min(1).max(3650) }).strict(),
  z
    .object({
      rule: z.literal('volume_drop'),
      class: severeClass,
      percent: z.number().gt(0).max(100).describe('Down at least this many percent against the prior window'),
    })
    .strict(),
  z.object({ rule: z.literal('p_alive_below'), class: severeClass, p: z.number().gt(0).lt(1) }).strict(),
]);
export type ChurnRule = z.infer<typeof churnRuleSchema>;

export const churnParametersSchema = z
  .object({
    ...common,
    unit: timeUnitSchema
      .default('day')
      .describe('Unit of the recency, T and since-last figures stored (rules count days)'),
    rules: z.array(churnRuleSchema).min(1).max(20).optional().describe('Rules (default: the built-in set)'),
    windowDays: z.number().int().min(7).max(730).default(90).describe('Window of the volume comparison'),
    volumeMeasure: z.enum(['revenue', 'volume']).default('revenue'),
    volumeUnit: z.string().trim().min(1).max(32).optional(),
    fallbackGapDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(90)
      .describe('Usual gap when no customer has bought twice (otherwise the median gap of repeat customers)'),
  })
  .strict();
export type ChurnParameters = z.infer<typeof churnParametersSchema>;

export const cohortParametersSchema = z
  .object({
    ...common,
    from: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
      .optional()
      .describe('First cohort month (default: 23 months before the as-of month)'),
  })
  .strict();
export type CohortParameters = z.infer<typeof cohortParametersSchema>;

export const clvModelSchema = z.enum(['bgnbd', 'pareto-nbd']);
export type ClvModel = z.infer<typeof clvModelSchema>;

export const clvParametersSchema = z
  .object({
    ...common,
    model: clvModelSchema.default('bgnbd'),
    unit: timeUnitSchema.default('week'),
    horizonMonths: z.number().int().min(1).max(120).default(12),
    discountRate: z.number().min(0).max(1).default(0.01).describe('Per month, as in lifetimes'),
    margin: z.number().gt(0).max(1).default(1).describe('Share of revenue kept (1 = revenue CLV)'),
    holdoutDays: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .optional()
      .describe('Holdout of the calibration check (default: a third of the observed span, at most 273 days; 0 = none)'),
  })
  .strict();
export type ClvParameters = z.infer<typeof clvParametersSchema>;

export const parametersSchemaByKind = {
  abc: abcParametersSchema,
  groups: abcParametersSchema,
  rfm: rfmParametersSchema,
  churn: churnParametersSchema,
  cohorts: cohortParametersSchema,
  clv: clvParametersSchema,
} as const;

const runRequest = <K extends AnalysisKind, S extends z.ZodType<unknown, object>>(kind: K, parameters: S) =>
  z
    .object({
      kind: z.literal(kind),
      asOf: isoDateSchema.optional().describe('Last day observed (default: today in the business time zone)'),
      parameters: parameters.prefault({} as z.input<S>),
    })
    .strict();

export const runRequestSchema = z.discriminatedUnion('kind', [
  runRequest('abc', abcParametersSchema),
  runRequest('groups', abcParametersSchema),
  runRequest('rfm', rfmParametersSchema),
  runRequest('churn', churnParametersSchema),
  runRequest('cohorts', cohortParametersSchema),
  runRequest('clv', clvParametersSchema),
]);
export type RunRequest = z.infer<typeof runRequestSchema>;
export type RunRequestInput = z.input<typeof runRequestSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Results (the run's aggregate figures, stored as jsonb)

export const paretoPointSchema = z.object({ customerShare: z.number(), valueShare: z.number() });
export const classTotalSchema = z.object({
  class: abcClassSchema,
  customers: z.number().int(),
  value: z.number(),
  customerShare: z.number(),
  valueShare: z.number(),
});
export const moverSchema = z.object({
  from: abcClassSchema.nullable().describe('null: no value in the previous period (new)'),
  to: abcClassSchema.nullable().describe('null: no value in this period (dropped out)'),
  customers: z.number().int(),
});

export const abcResultsSchema = z.object({
  measure: abcMeasureSchema,
  volumeUnit: z.string().nullable(),
  period: z.object({ from: z.string(), to: z.string() }),
  previousPeriod: z.object({ from: z.string(), to: z.string() }).nullable(),
  thresholds: z.object({ a: z.number(), b: z.number() }),
  customers: z.number().int(),
  total: z.number(),
  classes: z.array(classTotalSchema),
  concentration: z.object({
    top20Share: z.number().describe('Share of value from the top 20% (⌈0.2·n⌉) of customers'),
    gini: z.number(),
  }),
  curve: z.array(paretoPointSchema),
  movers: z.array(moverSchema),
  groups: z.number().int().nullable().describe('Groups with more than one member (kind groups)'),
  warnings: z.array(z.string()),
});
export type AbcResults = z.infer<typeof abcResultsSchema>;

export const rfmResultsSchema = z.object({
  unit: timeUnitSchema,
  customers: z.number().int(),
  summary: z.object({
    frequencyZeroShare: z.number(),
    meanFrequency: z.number(),
    meanRecency: z.number(),
    meanT: z.number(),
    meanMonetaryValue: z.number().describe('Mean of monetary_value over repeat customers'),
    meanTotalValue: z.number(),
  }),
  segments: z.array(
    z.object({
      segment: z.string(),
      customers: z.number().int(),
      share: z.number(),
      totalValue: z.number(),
      meanSinceLast: z.number(),
      meanFrequency: z.number(),
    }),
  ),
  grid: z.array(
    z.object({ r: z.number().int(), f: z.number().int(), customers: z.number().int(), meanTotalValue: z.number() }),
  ),
  segmentMap: z.array(rfmSegmentRuleSchema),
  warnings: z.array(z.string()),
});
export type RfmResults = z.infer<typeof rfmResultsSchema>;

export const churnResultsSchema = z.object({
  customers: z.number().int(),
  classes: z.array(
    z.object({ class: churnClassSchema, customers: z.number().int(), share: z.number(), totalValue: z.number() }),
  ),
  rules: z.array(churnRuleSchema),
  reasons: z.array(z.object({ class: churnClassSchema, rule: z.string(), customers: z.number().int() })),
  medianGapDays: z.number().nullable(),
  pAliveModel: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type ChurnResults = z.infer<typeof churnResultsSchema>;

export const cohortRowSchema = z.object({
  cohort: z.string().describe('Acquisition month YYYY-MM'),
  size: z.number().int(),
  customers: z
    .array(z.number().int().nullable())
    .describe('Active customers in month k after acquisition; null: not yet observed'),
  revenue: z.array(z.number().nullable()),
  retention: z.array(z.number().nullable()),
  revenueRetention: z.array(z.number().nullable()),
});
export const cohortResultsSchema = z.object({
  from: z.string(),
  to: z.string(),
  partialLastMonth: z.boolean(),
  customers: z.number().int(),
  cohorts: z.array(cohortRowSchema),
  averageRetention: z.array(z.number().nullable()),
  warnings: z.array(z.string()),
});
export type CohortResults = z.infer<typeof cohortResultsSchema>;
export type CohortRow = z.infer<typeof cohortRowSchema>;

export const fitSummarySchema = z.object({
  model: z.string(),
  n: z.number().int(),
  params: z.record(z.string(), z.number()),
  logLikelihood: z.number(),
  standardErrors: z.record(z.string(), z.number().nullable()),
});
export type FitSummary = z.infer<typeof fitSummarySchema>;

export const calibrationPointSchema = z.object({
  frequency: z.number().int().describe('Repeat purchases in calibration (the last bucket is "this many or more")'),
  customers: z.number().int(),
  actual: z.number().describe('Mean repeat purchases in the holdout'),
  predicted: z.number(),
});

export const clvResultsSchema = z.object({
  model: clvModelSchema,
  unit: timeUnitSchema,
  customers: z.number().int(),
  repeatCustomers: z.number().int(),
  purchaseModel: fitSummarySchema,
  spendModel: fitSummarySchema.nullable(),
  spendSource: z
    .enum(['gamma-gamma', 'customer-mean', 'none'])
    .describe(
      "Where expected spend comes from: the Gamma-Gamma model, or (when it is unusable) each customer's own mean",
    ),
  totals: z.object({
    clv: z.number(),
    revenueAtRisk: z.number(),
    expectedPurchases: z.number(),
    meanPAlive: z.number(),
  }),
  calibration: z
    .object({
      calibrationEnd: z.string(),
      holdoutDays: z.number().int(),
      purchaseModel: fitSummarySchema,
      points: z.array(calibrationPointSchema),
    })
    .nullable(),
  warnings: z.array(z.string()),
});
export type ClvResults = z.infer<typeof clvResultsSchema>;

export const resultsSchemaByKind = {
  abc: abcResultsSchema,
  groups: abcResultsSchema,
  rfm: rfmResultsSchema,
  churn: churnResultsSchema,
  cohorts: cohortResultsSchema,
  clv: clvResultsSchema,
} as const;

// ---------------------------------------------------------------------------------------------------------------
// Runs and per-customer results

export const runStatusSchema = z.enum(['running', 'completed', 'failed']);

export const analysisRunSummarySchema = z.object({
  id: z.number().int(),
  kind: analysisKindSchema,
  asOf: z.string().describe('YYYY-MM-DD'),
  status: runStatusSchema,
  parameters: z.record(z.string(), z.unknown()),
  customerCount: z.number().int(),
  durationMs: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type AnalysisRunSummary = z.infer<typeof analysisRunSummarySchema>;

export const analysisRunSchema = analysisRunSummarySchema.extend({
  results: z.record(z.string(), z.unknown()).describe('Aggregate figures; shape per kind (see *ResultsSchema)'),
});
export type AnalysisRun = z.infer<typeof analysisRunSchema>;

export const runPageSchema = z.object({ items: z.array(analysisRunSummarySchema), nextCursor: z.string().nullable() });

export const runListQuerySchema = z.object({
  kind: analysisKindSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type RunListQuery = z.infer<typeof runListQuerySchema>;

export const runIdParamsSchema = z.object({ id: z.coerce.number().int().positive() });
export const kindParamsSchema = z.object({ kind: analysisKindSchema });

export const customerResultSchema = z.object({
  accountId: z.number().int(),
  accountCode: z.string(),
  accountName: z.string(),
  value: z.number().nullable(),
  rank: z.number().int().nullable(),
  share: z.number().nullable(),
  cumulativeShare: z.number().nullable(),
  abcClass: abcClassSchema.nullable(),
  previousClass: abcClassSchema.nullable(),
  frequency: z.number().int().nullable(),
  recency: z.number().nullable(),
  T: z.number().nullable(),
  monetaryValue: z.number().nullable(),
  totalValue: z.number().nullable(),
  sinceLast: z.number().nullable(),
  rScore: z.number().int().nullable(),
  fScore: z.number().int().nullable(),
  mScore: z.number().int().nullable(),
  rfmSegment: z.string().nullable(),
  pAlive: z.number().nullable(),
  expectedPurchases: z.number().nullable(),
  expectedSpend: z.number().nullable(),
  clv: z.number().nullable(),
  revenueAtRisk: z.number().nullable(),
  churnClass: churnClassSchema.nullable(),
  churnReason: z.string().nullable(),
  cohort: z.string().nullable().describe('Acquisition month YYYY-MM'),
  details: z.unknown().nullable(),
});
export type CustomerResult = z.infer<typeof customerResultSchema>;

export const customerSortSchema = z.enum([
  'rank',
  'value',
  'clv',
  'p_alive',
  'revenue_at_risk',
  'total_value',
  'frequency',
  'since_last',
  'code',
]);
export type CustomerSort = z.infer<typeof customerSortSchema>;

export const customerListQuerySchema = z.object({
  sort: customerSortSchema.default('code'),
  order: z.enum(['asc', 'desc']).default('asc'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(500).optional(),
  abcClass: abcClassSchema.optional(),
  segment: z.string().trim().max(40).optional(),
  churnClass: churnClassSchema.optional(),
});
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;

export const customerPageSchema = z.object({ items: z.array(customerResultSchema), nextCursor: z.string().nullable() });

const runRef = {
  runId: z.number().int(),
  asOf: z.string(),
  included: z.boolean().describe('The customer is in that run'),
};
/** This customer's figures from the latest completed run of each kind (null: no run of that kind yet). */
export const accountAnalyticsSchema = z.object({
  accountId: z.number().int(),
  abc: z
    .object({
      ...runRef,
      class: abcClassSchema.nullable(),
      previousClass: abcClassSchema.nullable(),
      value: z.number().nullable(),
      rank: z.number().int().nullable(),
    })
    .nullable(),
  group: z
    .object({
      ...runRef,
      groupAccountId: z.number().int(),
      class: abcClassSchema.nullable(),
      value: z.number().nullable(),
    })
    .nullable(),
  rfm: z
    .object({
      ...runRef,
      rScore: z.number().int().nullable(),
      fScore: z.number().int().nullable(),
      mScore: z.number().int().nullable(),
      segment: z.string().nullable(),
      frequency: z.number().int().nullable(),
      sinceLast: z.number().nullable(),
      totalValue: z.number().nullable(),
    })
    .nullable(),
  clv: z
    .object({
      ...runRef,
      pAlive: z.number().nullable(),
      expectedPurchases: z.number().nullable(),
      expectedSpend: z.number().nullable(),
      clv: z.number().nullable(),
      revenueAtRisk: z.number().nullable(),
    })
    .nullable(),
  churn: z.object({ ...runRef, class: churnClassSchema.nullable(), reason: z.string().nullable() }).nullable(),
  cohort: z.object({ ...runRef, cohort: z.string().nullable() }).nullable(),
});
export type AccountAnalytics = z.infer<typeof accountAnalyticsSchema>;
export const accountIdParamsSchema = z.object({ id: z.coerce.number().int().positive() });

/** File mode: one transaction read from a CSV file. */
export interface TransactionInput {
  customerId: string;
  /** 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM[:SS]' (local time in the time zone) or ISO 8601 with an offset. */
  occurredAt: string;
  amount: string;
}
