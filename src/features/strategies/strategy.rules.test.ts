import { describe, expect, it } from 'vitest';
import { buildGuidedDraft, choosePlaybook, type BuilderSegment } from './builder.rules.js';
import { diffDocuments, summariseChanges } from './diff.rules.js';
import {
  checkTransition,
  computeBudget,
  contactsPerYear,
  downturnScenario,
  expectedReturn,
  isEditable,
  retentionMultiple,
  transitions,
  type SegmentFigures,
} from './strategy.rules.js';
import {
  churnSensitivitySchema,
  guidedDraftRequestSchema,
  strategyDocumentSchema,
  type StrategyDocument,
  type StrategyStatus,
  type TargetPlan,
} from './strategy.schema.js';

const target = (segmentId: number, extra: Partial<TargetPlan> = {}): TargetPlan => ({
  segmentId,
  objective: 'Keep them',
  valueProposition: '',
  services: [],
  tactics: [],
  channels: ['phone'],
  cadence: [],
  loyaltyProgramme: null,
  focusGroups: [],
  pledges: [],
  departments: [],
  programmeCosts: [],
  retentionImprovement: 0.05,
  kpis: [],
  ...extra,
});

const documentWith = (
  targets: TargetPlan[],
  requiredDepartments: StrategyDocument['review']['requiredDepartments'] = [],
): StrategyDocument =>
  strategyDocumentSchema.parse({
    context: { marketRole: 'challenger', objectives: [] },
    targets,
    review: { requiredDepartments, reviewDates: [] },
  });

describe('strategy lifecycle', () => {
  const doc = documentWith([target(1)], ['sales', 'finance']);
  const check = (
    from: StrategyStatus,
    to: StrategyStatus,
    approvals: { department: 'sales' | 'finance'; decision: 'approve' | 'request_changes' }[] = [],
    role: 'manager' | 'analyst' = 'manager',
  ) => checkTransition(from, to, { document: doc, approvals, role });

  it.each([
    ['draft', 'in_review', true],
    ['draft', 'approved', false],
    ['draft', 'retired', true],
    ['in_review', 'draft', true],
    ['in_review', 'retired', true],
    ['approved', 'retired', true],
    ['approved', 'draft', false],
    ['approved', 'in_review', false],
    ['retired', 'draft', false],
    ['retired', 'approved', false],
    ['draft', 'draft', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(check(from, to).ok).toBe(allowed);
  });

  it('approves only with every required department approving, none objecting, by a manager', () => {
    expect(check('in_review', 'approved')).toMatchObject({
      ok: false,
      reason: 'Still waiting for the approval of sales, finance.',
    });
    expect(check('in_review', 'approved', [{ department: 'sales', decision: 'approve' }])).toMatchObject({
      ok: false,
      details: { departments: ['finance'] },
    });
    const both = [
      { department: 'sales', decision: 'approve' },
      { department: 'finance', decision: 'approve' },
    ] as const;
    expect(check('in_review', 'approved', [...both]).ok).toBe(true);
    expect(check('in_review', 'approved', [...both], 'analyst')).toMatchObject({
      ok: false,
      reason: 'Only a admin or manager may approve a strategy.',
    });
    // The latest decision of a department counts.
    expect(
      check('in_review', 'approved', [...both, { department: 'finance', decision: 'request_changes' }]),
    ).toMatchObject({
      ok: false,
      reason: 'Changes were requested by finance.',
    });
    expect(check('in_review', 'approved', [{ department: 'finance', decision: 'request_changes' }, ...both]).ok).toBe(
      true,
    );
  });

  it('needs a target before review and freezes approved and retired strategies', () => {
    expect(
      checkTransition('draft', 'in_review', { document: documentWith([]), approvals: [], role: 'manager' }),
    ).toMatchObject({ ok: false });
    expect(['draft', 'in_review', 'approved', 'retired'].map((s) => isEditable(s as StrategyStatus))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(transitions.retired).toEqual([]);
  });
});

describe('budget arithmetic', () => {
  it('counts contacts per member per year from the cadence', () => {
    expect(contactsPerYear({ every: 1, unit: 'week' })).toBe(52);
    expect(contactsPerYear({ every: 2, unit: 'week' })).toBe(26);
    expect(contactsPerYear({ every: 1, unit: 'month' })).toBe(12);
    expect(contactsPerYear({ every: 1, unit: 'quarter' })).toBe(4);
    expect(contactsPerYear({ every: 2, unit: 'year' })).toBe(0.5);
  });

  it('sums cost per contact × cadence × members plus programme costs, per segment and in total', () => {
    const doc = documentWith([
      target(1, {
        cadence: [
          { kind: 'review_meeting', every: 1, unit: 'month', costPerContact: 1000 },
          { kind: 'call', every: 1, unit: 'week', costPerContact: 100 },
        ],
        programmeCosts: [{ label: 'Events', amount: 20_000 }],
      }),
      target(2, { cadence: [{ kind: 'email', every: 1, unit: 'quarter', costPerContact: 5 }] }),
    ]);
    const figures = new Map<number, SegmentFigures>([
      [1, { segmentId: 1, name: 'A-class', members: 10, totalClv: 1_000_000, meanPAlive: 0.8 }],
      [2, { segmentId: 2, name: 'C-class', members: 400, totalClv: null, meanPAlive: null }],
    ]);
    const budget = computeBudget(doc, figures, { strategyId: 7, asOf: '2026-06-30' });
    // 1000 × 12 × 10 = 120,000; 100 × 52 × 10 = 52,000; + 20,000 = 192,000. 5 × 4 × 400 = 8,000.
    expect(budget.lines.map((l) => l.amount)).toEqual([120_000, 52_000, 20_000, 8_000]);
    expect(budget.segments.map((s) => [s.name, s.priority, s.contactCost, s.programmeCost, s.total])).toEqual([
      ['A-class', 1, 172_000, 20_000, 192_000],
      ['C-class', 2, 8_000, 0, 8_000],
    ]);
    expect(budget.total).toBe(200_000);
    expect(budget.lines[0]?.formula).toBe('HKD 1,000 × 12 contacts × 10 members');
    // Half the horizon, half the contact cost.
    const half = computeBudget({ ...doc, context: { ...doc.context, horizonMonths: 6 } }, figures, {
      strategyId: 7,
      asOf: '2026-06-30',
    });
    expect(half.segments[0]?.contactCost).toBe(86_000);
    expect(half.segments[0]?.programmeCost).toBe(20_000);
    // Expected return only where there is a CLV run; ROI over the whole budget.
    expect(budget.segments[1]?.expectedReturn.expectedReturn).toBeNull();
    const back = budget.segments[0]?.expectedReturn.expectedReturn ?? 0;
    expect(budget.expectedReturn).toBe(back);
    expect(budget.roi).toBeCloseTo((back - 200_000) / 200_000, 4);
    expect(budget.explanations.map((e) => e.key)).toEqual([
      'budget.contactLine',
      'budget.contactLine',
      'budget.expectedReturn',
      'budget.contactLine',
      'budget.returnUnknown',
    ]);
  });
});

describe('expected return', () => {
  it('applies the retention multiple r / (1 + d − r) to the stored CLV', () => {
    expect(retentionMultiple(0.8, 0.1)).toBeCloseTo(0.8 / 0.3, 12);
    const result = expectedReturn(1_000_000, 0.8, 0.05, 0.1);
    // m(0.85) / m(0.80) = (0.85 / 0.25) / (0.8 / 0.3) = 3.4 / 2.6667 = 1.275
    expect(result.upliftFactor).toBeCloseTo(1.275, 6);
    expect(result.expectedReturn).toBe(275_000);
    expect(result.improvedRetention).toBe(0.85);
    expect(expectedReturn(1_000_000, 0.8, 0, 0.1).expectedReturn).toBe(0);
  });

  it('keeps retention inside (0, 1) and is unknown without CLV', () => {
    expect(expectedReturn(100, 0.97, 0.2, 0.1).improvedRetention).toBe(0.99);
    expect(expectedReturn(100, 0, 0.05, 0.1).baseRetention).toBe(0.01);
    expect(expectedReturn(null, 0.8, 0.05, 0.1).expectedReturn).toBeNull();
    expect(expectedReturn(100, null, 0.05, 0.1).upliftFactor).toBeNull();
  });
});

describe('downturn scenario', () => {
  const sensitivity = churnSensitivitySchema.parse({});
  it('cuts revenue by the drop × the churn-class sensitivity and re-ranks by return on budget', () => {
    const scenario = downturnScenario(
      [
        { segmentId: 1, name: 'Key', revenueByClass: { active: 1_000_000 }, budget: 100_000, expectedReturn: 150_000 },
        {
          segmentId: 2,
          name: 'At risk',
          revenueByClass: { at_risk: 800_000, active: 200_000 },
          budget: 100_000,
          expectedReturn: 160_000,
        },
      ],
      20,
      sensitivity,
    );
    const byId = new Map(scenario.segments.map((s) => [s.segmentId, s]));
    // Key: −20%. At risk: 800k × (1 − 0.4) + 200k × 0.8 = 640k: −36%.
    expect(byId.get(1)).toMatchObject({
      baselineRevenue: 1_000_000,
      scenarioRevenue: 800_000,
      revenueChange: -0.2,
      budgetHeldToRevenue: 80_000,
    });
    expect(byId.get(2)).toMatchObject({ scenarioRevenue: 640_000, revenueChange: -0.36, expectedReturnAfter: 102_400 });
    expect(byId.get(2)).toMatchObject({ rankBefore: 1, rankAfter: 2, roiBefore: 0.6, roiAfter: 0.024 });
    expect(byId.get(1)).toMatchObject({ rankBefore: 2, rankAfter: 1, expectedReturnAfter: 120_000, roiAfter: 0.2 });
    expect(scenario.segments.map((s) => s.segmentId)).toEqual([1, 2]);
    expect(scenario.totals).toMatchObject({
      budget: 200_000,
      budgetHeldToRevenue: 144_000,
      scenarioRevenue: 1_440_000,
    });
    expect(scenario.explanations.map((e) => e.key)).toEqual([
      'scenario.model',
      'scenario.reranked',
      'scenario.reranked',
      'scenario.budget',
    ]);
  });

  it('never takes revenue below zero', () => {
    const scenario = downturnScenario(
      [{ segmentId: 1, name: 'x', revenueByClass: { at_risk: 100 }, budget: 10, expectedReturn: null }],
      90,
      sensitivity,
    );
    expect(scenario.segments[0]).toMatchObject({ scenarioRevenue: 0, roiAfter: null });
  });
});

describe('version diff', () => {
  it('reports changed leaves, added and removed targets and priority moves', () => {
    const before = {
      title: 'Plan',
      document: documentWith([
        target(1, { cadence: [{ kind: 'call', every: 1, unit: 'week', costPerContact: 100 }] }),
        target(2),
        target(3),
      ]),
    };
    const after = {
      title: 'Plan 2027',
      document: documentWith([
        target(2),
        target(1, {
          cadence: [{ kind: 'call', every: 2, unit: 'week', costPerContact: 100 }],
          tactics: ['Weekly call'],
        }),
        target(4),
      ]),
    };
    const changes = diffDocuments(before, after);
    expect(changes).toEqual([
      { path: 'title', change: 'changed', before: 'Plan', after: 'Plan 2027' },
      { path: 'document.targets[segment 2].priority', change: 'moved', before: 2, after: 1 },
      { path: 'document.targets[segment 1].priority', change: 'moved', before: 1, after: 2 },
      { path: 'document.targets[segment 1].tactics', change: 'changed', before: [], after: ['Weekly call'] },
      { path: 'document.targets[segment 1].cadence[0].every', change: 'changed', before: 1, after: 2 },
      { path: 'document.targets[segment 4]', change: 'added', after: expect.objectContaining({ segmentId: 4 }) },
      { path: 'document.targets[segment 3]', change: 'removed', before: expect.objectContaining({ segmentId: 3 }) },
    ]);
    expect(summariseChanges(changes)).toEqual({ added: 1, removed: 1, changed: 3, moved: 2 });
    expect(diffDocuments(before, JSON.parse(JSON.stringify(before)))).toEqual([]);
  });

  it('ignores key order and reports added and removed fields', () => {
    expect(diffDocuments({ a: 1, b: { c: 2 } }, { b: { c: 2 }, a: 1 })).toEqual([]);
    expect(diffDocuments({ a: 1 }, { a: 1, b: null })).toEqual([{ path: 'b', change: 'added', after: null }]);
    expect(diffDocuments({ a: [{ x: 1 }] }, { a: [] })).toEqual([
      { path: 'a[0]', change: 'removed', before: { x: 1 } },
    ]);
  });
});

describe('guided builder', () => {
  const segment = (id: number, name: string, extra: Partial<BuilderSegment>): BuilderSegment => ({
    segmentId: id,
    name,
    templateKey: null,
    members: 10,
    totalClv: 100_000,
    meanPAlive: 0.7,
    revenue12m: 50_000,
    classShare: { A: 0, B: 0, C: 1 },
    churnShare: { active: 1, declining: 0, at_risk: 0, lost: 0 },
    withoutOwner: 0,
    ...extra,
  });

  it('chooses the playbook from the members’ classes', () => {
    expect(choosePlaybook(segment(1, 'A', { classShare: { A: 1, B: 0, C: 0 } })).playbook).toBe('key');
    expect(
      choosePlaybook(
        segment(1, 'R', {
          classShare: { A: 1, B: 0, C: 0 },
          churnShare: { active: 0.5, declining: 0.2, at_risk: 0.3, lost: 0 },
        }),
      ).playbook,
    ).toBe('rescue');
    expect(choosePlaybook(segment(1, 'D', { classShare: { A: 0.2, B: 0.4, C: 0.4 } })).playbook).toBe('develop');
    expect(
      choosePlaybook(segment(1, 'L', { churnShare: { active: 0.4, declining: 0, at_risk: 0, lost: 0.6 } })).playbook,
    ).toBe('winback');
    expect(choosePlaybook(segment(1, 'C', {})).playbook).toBe('maintain');
  });

  it('pre-fills a valid draft from the analysis, ranked by value, with a budget and explanations per step', () => {
    const output = buildGuidedDraft({
      request: guidedDraftRequestSchema.parse({ industry: 'freight', maxTargets: 2 }),
      today: '2026-06-30',
      runs: {
        abc: { runId: 1, asOf: '2026-06-30' },
        rfm: { runId: 2, asOf: '2026-06-30' },
        clv: { runId: 4, asOf: '2026-06-30' },
        churn: null,
      },
      segments: [
        segment(5, 'C-class', { totalClv: 50_000, members: 300 }),
        segment(6, 'A-class shippers', { totalClv: 2_000_000, members: 12, classShare: { A: 1, B: 0, C: 0 } }),
        segment(7, 'At-risk key accounts', {
          totalClv: 900_000,
          members: 8,
          classShare: { A: 0.5, B: 0.5, C: 0 },
          churnShare: { active: 0, declining: 0.25, at_risk: 0.75, lost: 0 },
          withoutOwner: 2,
        }),
        segment(8, 'Empty', { totalClv: 9_000_000, members: 0 }),
      ],
      keyAccounts: { assessed: 3, aClassUnassessed: 9, byQuadrant: { key_strategic: 2, key_development: 1 } },
    });
    expect(strategyDocumentSchema.safeParse(output.document).success).toBe(true);
    expect(output.document.targets.map((t) => t.segmentId)).toEqual([6, 7]);
    expect(output.steps.map((s) => [s.step, s.status])).toEqual([
      ['classify', 'attention'],
      ['assess', 'attention'],
      ['targets', 'done'],
      ['tactics', 'done'],
      ['budget', 'done'],
      ['kpis', 'done'],
      ['review', 'attention'],
    ]);
    const [key, rescue] = output.document.targets;
    expect(key?.cadence.map((c) => [c.kind, c.every, c.unit])).toEqual([
      ['review_meeting', 1, 'month'],
      ['call', 1, 'week'],
    ]);
    expect(rescue?.tactics[0]).toMatch(/Remedial call/);
    expect(output.budget.segments.map((s) => s.members)).toEqual([12, 8]);
    // 12 × (1200 × 12 + 120 × 52) + 12 × 2000 = 271,680
    expect(output.budget.segments[0]?.total).toBe(271_680);
    expect(output.budget.expectedReturn).not.toBeNull();
    const targetsStep = output.steps.find((s) => s.step === 'targets');
    expect(targetsStep?.explanations.map((e) => e.key)).toEqual([
      'builder.targets.empty',
      'builder.targets.chosen',
      'builder.targets.chosen',
      'builder.targets.skipped',
    ]);
    expect(output.steps[1]?.explanations[1]).toMatchObject({ key: 'builder.assess.unassessed', values: { count: 9 } });
    expect(output.document.review.reviewDates).toEqual(['2026-09-30', '2026-12-30', '2027-03-30', '2027-06-30']);
    for (const step of output.steps) for (const e of step.explanations) expect(e.text.length).toBeGreaterThan(10);
  });
});
