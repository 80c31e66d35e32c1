import type { Role } from '../auth/index.js';
import type {
  Approval,
  Budget,
  BudgetLine,
  CadenceItem,
  CadenceUnit,
  ChurnSensitivity,
  Department,
  Explanation,
  ExpectedReturn,
  Scenario,
  SegmentBudget,
  StrategyDocument,
  StrategyStatus,
  TargetPlan,
} from './strategy.schema.js';

/**
 * Pure rules of strategy documents: the lifecycle, the budget arithmetic, the expected return from a retention
 * improvement, and the downturn scenario. No I/O; the service feeds in the segments' member facts.
 */

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle: draft → in_review → approved → retired (and back from review to draft)

export const transitions: Readonly<Record<StrategyStatus, readonly StrategyStatus[]>> = {
  draft: ['in_review', 'retired'],
  in_review: ['draft', 'approved', 'retired'],
  approved: ['retired'],
  retired: [],
};

/** Content may change while a strategy is drafted or reviewed; approved and retired strategies are frozen. */
export const isEditable = (status: StrategyStatus): boolean => status === 'draft' || status === 'in_review';

/** Who may give the final approval (the matrix grants the action; approving is a manager's decision). */
export const approverRoles: readonly Role[] = ['admin', 'manager'];

export interface TransitionContext {
  document: StrategyDocument;
  /** Decisions on the version being approved. */
  approvals: readonly Pick<Approval, 'department' | 'decision'>[];
  role: Role;
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string; details?: Record<string, unknown> };

/** The latest decision of each department (approvals in the order given). */
export function latestDecisions(
  approvals: TransitionContext['approvals'],
): Map<Department, 'approve' | 'request_changes'> {
  const latest = new Map<Department, 'approve' | 'request_changes'>();
  for (const approval of approvals) latest.set(approval.department, approval.decision);
  return latest;
}

export function checkTransition(from: StrategyStatus, to: StrategyStatus, context: TransitionContext): TransitionCheck {
  if (from === to) return { ok: false, reason: `The strategy is already ${from}.` };
  if (!transitions[from].includes(to)) {
    const allowed = transitions[from];
    return {
      ok: false,
      reason: `A strategy cannot go from ${from} to ${to}${allowed.length > 0 ? ` (from ${from}: ${allowed.join(', ')})` : ''}.`,
    };
  }
  if (to === 'in_review' && context.document.targets.length === 0) {
    return { ok: false, reason: 'Add at least one target segment before sending the strategy for review.' };
  }
  if (to === 'approved') {
    if (!approverRoles.includes(context.role)) {
      return { ok: false, reason: `Only a ${approverRoles.join(' or ')} may approve a strategy.` };
    }
    const latest = latestDecisions(context.approvals);
    const objecting = [...latest]
      .filter(([, decision]) => decision === 'request_changes')
      .map(([department]) => department);
    if (objecting.length > 0) {
      return {
        ok: false,
        reason: `Changes were requested by ${objecting.join(', ')}.`,
        details: { departments: objecting },
      };
    }
    const missing = context.document.review.requiredDepartments.filter(
      (department) => latest.get(department) !== 'approve',
    );
    if (missing.length > 0) {
      return {
        ok: false,
        reason: `Still waiting for the approval of ${missing.join(', ')}.`,
        details: { departments: missing },
      };
    }
  }
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Budget: cost per contact × contacts per member × members, plus programme costs

const unitsPerYear: Readonly<Record<CadenceUnit, number>> = { week: 52, month: 12, quarter: 4, year: 1 };

/** Contacts per member per year of a cadence item: (units in a year) / every. */
export const contactsPerYear = (item: Pick<CadenceItem, 'every' | 'unit'>): number =>
  unitsPerYear[item.unit] / item.every;

export const roundMoney = (value: number): number => Math.round(value * 100) / 100;
const round = (value: number, digits = 4): number => Number(value.toFixed(digits));

const hkd = (value: number): string => `HKD ${Math.round(value).toLocaleString('en')}`;

export const cadenceLabel = (item: CadenceItem): string => {
  if (item.label) return item.label;
  const kind = item.kind.replace('_', ' ');
  if (item.every === 1) {
    const adverb = { week: 'Weekly', month: 'Monthly', quarter: 'Quarterly', year: 'Yearly' }[item.unit];
    return `${adverb} ${kind}`;
  }
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} every ${item.every} ${item.unit}s`;
};

export const explain = (key: string, values: Explanation['values'], text: string): Explanation => ({
  key,
  values,
  text,
});

/** What the budget and the expected return need to know of a target segment's members. */
export interface SegmentFigures {
  segmentId: number;
  name: string;
  members: number;
  /** Σ CLV of the members (latest CLV run); null without one. */
  totalClv: number | null;
  /** Mean P(alive) of the members with one; null without. */
  meanPAlive: number | null;
}

/**
 * The Gupta–Lehmann retention multiple r / (1 + d − r): the lifetime value of a margin kept with yearly retention r
 * and discount rate d. Raising retention from r to r' multiplies value by multiple(r') / multiple(r).
 */
export const retentionMultiple = (retention: number, discountRate: number): number =>
  retention / (1 + discountRate - retention);

export const RETENTION_BOUNDS = { min: 0.01, max: 0.99 } as const;

export function expectedReturn(
  totalClv: number | null,
  baseRetention: number | null,
  improvement: number,
  annualDiscountRate: number,
): ExpectedReturn {
  const formula =
    'expected return = Σ CLV × (m(r + Δr) / m(r) − 1), m(r) = r / (1 + d − r) (Gupta & Lehmann), r = mean P(alive)';
  if (totalClv === null || baseRetention === null) {
    return {
      totalClv,
      baseRetention,
      improvedRetention: null,
      annualDiscountRate,
      upliftFactor: null,
      expectedReturn: null,
      formula,
    };
  }
  const r = Math.min(Math.max(baseRetention, RETENTION_BOUNDS.min), RETENTION_BOUNDS.max);
  const improved = Math.min(r + improvement, RETENTION_BOUNDS.max);
  const factor = retentionMultiple(improved, annualDiscountRate) / retentionMultiple(r, annualDiscountRate);
  return {
    totalClv: roundMoney(totalClv),
    baseRetention: round(r),
    improvedRetention: round(improved),
    annualDiscountRate,
    upliftFactor: round(factor, 6),
    expectedReturn: roundMoney(totalClv * (factor - 1)),
    formula,
  };
}

const roi = (gain: number | null, cost: number): number | null =>
  gain === null || cost <= 0 ? null : round((gain - cost) / cost);

/** The budget of a strategy: a line per cadence item and programme cost of every target, summed per segment. */
export function computeBudget(
  document: StrategyDocument,
  figures: ReadonlyMap<number, SegmentFigures>,
  meta: { strategyId: number | null; asOf: string },
): Budget {
  const horizon = document.context.horizonMonths;
  const lines: BudgetLine[] = [];
  const segments: SegmentBudget[] = [];
  const explanations: Explanation[] = [];
  document.targets.forEach((target: TargetPlan, index) => {
    const facts = figures.get(target.segmentId) ?? {
      segmentId: target.segmentId,
      name: `Segment ${target.segmentId}`,
      members: 0,
      totalClv: null,
      meanPAlive: null,
    };
    let contactCost = 0;
    for (const item of target.cadence) {
      const perMember = contactsPerYear(item) * (horizon / 12);
      const amount = roundMoney(item.costPerContact * perMember * facts.members);
      contactCost += amount;
      const label = cadenceLabel(item);
      const formula = `${hkd(item.costPerContact)} × ${round(perMember, 2)} contacts × ${facts.members} members`;
      lines.push({
        segmentId: target.segmentId,
        kind: 'contact',
        label,
        contactKind: item.kind,
        costPerContact: item.costPerContact,
        contactsPerMember: round(perMember, 4),
        members: facts.members,
        amount,
        formula,
      });
      explanations.push(
        explain(
          'budget.contactLine',
          {
            segment: facts.name,
            label,
            costPerContact: item.costPerContact,
            contacts: round(perMember, 2),
            members: facts.members,
            amount,
          },
          `${facts.name} — ${label}: ${formula} = ${hkd(amount)} over ${horizon} months.`,
        ),
      );
    }
    let programmeCost = 0;
    for (const cost of target.programmeCosts) {
      programmeCost += cost.amount;
      lines.push({
        segmentId: target.segmentId,
        kind: 'programme',
        label: cost.label,
        contactKind: null,
        costPerContact: null,
        contactsPerMember: null,
        members: null,
        amount: roundMoney(cost.amount),
        formula: 'fixed programme cost',
      });
    }
    const total = roundMoney(contactCost + programmeCost);
    const back = expectedReturn(
      facts.totalClv,
      facts.meanPAlive,
      target.retentionImprovement,
      document.context.annualDiscountRate,
    );
    segments.push({
      segmentId: target.segmentId,
      name: facts.name,
      priority: index + 1,
      members: facts.members,
      contactCost: roundMoney(contactCost),
      programmeCost: roundMoney(programmeCost),
      total,
      expectedReturn: back,
      roi: roi(back.expectedReturn, total),
    });
    explanations.push(
      back.expectedReturn === null
        ? explain(
            'budget.returnUnknown',
            { segment: facts.name },
            `${facts.name}: no CLV run yet, so no expected return.`,
          )
        : explain(
            'budget.expectedReturn',
            {
              segment: facts.name,
              totalClv: back.totalClv,
              baseRetention: back.baseRetention,
              improvedRetention: back.improvedRetention,
              upliftFactor: back.upliftFactor,
              expectedReturn: back.expectedReturn,
            },
            `${facts.name}: Σ CLV ${hkd(back.totalClv ?? 0)}; retention ${Math.round((back.baseRetention ?? 0) * 100)}% → ` +
              `${Math.round((back.improvedRetention ?? 0) * 100)}% multiplies lifetime value by ${back.upliftFactor?.toFixed(3)}: ` +
              `expected return ${hkd(back.expectedReturn)} for a budget of ${hkd(total)}.`,
          ),
    );
  });
  const total = roundMoney(segments.reduce((sum, s) => sum + s.total, 0));
  const returns = segments.map((s) => s.expectedReturn.expectedReturn);
  const totalReturn = returns.some((value) => value !== null)
    ? roundMoney(returns.reduce<number>((sum, value) => sum + (value ?? 0), 0))
    : null;
  return {
    strategyId: meta.strategyId,
    horizonMonths: horizon,
    asOf: meta.asOf,
    lines,
    segments,
    total,
    expectedReturn: totalReturn,
    roi: roi(totalReturn, total),
    explanations,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Downturn scenario: volume falls by X%, at-risk customers cut back more; segments re-ranked by return on budget

export type ChurnBucket = keyof ChurnSensitivity;

export interface ScenarioSegmentInput {
  segmentId: number;
  name: string;
  /** Revenue over the last 12 months by churn class of the members. */
  revenueByClass: Readonly<Partial<Record<ChurnBucket, number>>>;
  budget: number;
  expectedReturn: number | null;
}

export function downturnScenario(
  inputs: readonly ScenarioSegmentInput[],
  volumeDropPercent: number,
  sensitivity: ChurnSensitivity,
): Scenario {
  const drop = volumeDropPercent / 100;
  // Rank by return on budget (highest first; unknown last), then by revenue.
  const rank = (list: readonly { segmentId: number; roi: number | null; revenue: number }[]): Map<number, number> => {
    const order = [...list].sort(
      (a, b) => (b.roi ?? -Infinity) - (a.roi ?? -Infinity) || b.revenue - a.revenue || a.segmentId - b.segmentId,
    );
    return new Map(order.map((item, index) => [item.segmentId, index + 1]));
  };
  const rows = inputs.map((input) => {
    let baseline = 0;
    let scenario = 0;
    for (const [bucket, revenue] of Object.entries(input.revenueByClass) as [ChurnBucket, number][]) {
      baseline += revenue;
      scenario += revenue * Math.max(0, 1 - drop * sensitivity[bucket]);
    }
    const ratio = baseline > 0 ? scenario / baseline : 1 - drop;
    const returnAfter = input.expectedReturn === null ? null : roundMoney(input.expectedReturn * ratio);
    return {
      segmentId: input.segmentId,
      name: input.name,
      baselineRevenue: roundMoney(baseline),
      scenarioRevenue: roundMoney(scenario),
      revenueChange: baseline > 0 ? round(scenario / baseline - 1) : round(-drop),
      budget: roundMoney(input.budget),
      budgetHeldToRevenue: roundMoney(input.budget * ratio),
      expectedReturnBefore: input.expectedReturn,
      expectedReturnAfter: returnAfter,
      roiBefore: roi(input.expectedReturn, input.budget),
      roiAfter: roi(returnAfter, input.budget),
    };
  });
  const before = rank(rows.map((r) => ({ segmentId: r.segmentId, roi: r.roiBefore, revenue: r.baselineRevenue })));
  const after = rank(rows.map((r) => ({ segmentId: r.segmentId, roi: r.roiAfter, revenue: r.scenarioRevenue })));
  const segments = rows
    .map((row) => ({ ...row, rankBefore: before.get(row.segmentId) ?? 0, rankAfter: after.get(row.segmentId) ?? 0 }))
    .sort((a, b) => a.rankAfter - b.rankAfter);
  const sum = (pick: (row: (typeof rows)[number]) => number | null): number | null => {
    const values = rows.map(pick);
    return values.every((value) => value === null)
      ? null
      : roundMoney(values.reduce<number>((total, value) => total + (value ?? 0), 0));
  };
  const totals = {
    baselineRevenue: sum((r) => r.baselineRevenue) ?? 0,
    scenarioRevenue: sum((r) => r.scenarioRevenue) ?? 0,
    budget: sum((r) => r.budget) ?? 0,
    budgetHeldToRevenue: sum((r) => r.budgetHeldToRevenue) ?? 0,
    expectedReturnBefore: sum((r) => r.expectedReturnBefore),
    expectedReturnAfter: sum((r) => r.expectedReturnAfter),
  };
  const explanations: Explanation[] = [
    explain(
      'scenario.model',
      { volumeDropPercent, ...sensitivity },
      `Volume falls ${volumeDropPercent}%; each member's revenue falls ${volumeDropPercent}% × the sensitivity of its churn class ` +
        `(active ${sensitivity.active}, declining ${sensitivity.declining}, at risk ${sensitivity.at_risk}, lost ${sensitivity.lost}, ` +
        `unclassified ${sensitivity.unclassified}); the expected return falls with the segment's revenue; contact costs stay.`,
    ),
    ...segments
      .filter((s) => s.rankAfter !== s.rankBefore)
      .map((s) =>
        explain(
          'scenario.reranked',
          { segment: s.name, rankBefore: s.rankBefore, rankAfter: s.rankAfter, revenueChange: s.revenueChange },
          `${s.name} moves from priority ${s.rankBefore} to ${s.rankAfter}: revenue ${Math.round(s.revenueChange * 100)}%.`,
        ),
      ),
    explain(
      'scenario.budget',
      { budget: totals.budget, budgetHeldToRevenue: totals.budgetHeldToRevenue },
      `Kept at the same share of the lower revenue, the budget would be ${hkd(totals.budgetHeldToRevenue)} instead of ${hkd(totals.budget)}.`,
    ),
  ];
  return { volumeDropPercent, sensitivity, segments, totals, explanations };
}
