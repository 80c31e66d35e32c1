import { addDays, addMonths } from '../segments/index.js';
import { computeBudget, explain, type SegmentFigures } from './strategy.rules.js';
import type {
  Budget,
  BuilderStep,
  CadenceItem,
  Department,
  Explanation,
  GuidedDraftRequest,
  Kpi,
  MarketRole,
  StrategyDocument,
  StrategyIndustry,
  TargetPlan,
} from './strategy.schema.js';

/**
 * The guided strategy builder (requirement C3, the "coach" of 108799L6): from the latest analysis it walks the
 * standards' checklist — classify, assess, choose targets, set tactics, budget, KPIs, review — and pre-fills a draft,
 * explaining each figure with a message key, its values and an English text, so that a junior can defend the draft.
 * Pure: the service gathers the facts.
 */
export type AnalysisKind = 'abc' | 'rfm' | 'clv' | 'churn';

export interface BuilderSegment {
  segmentId: number;
  name: string;
  templateKey: string | null;
  members: number;
  totalClv: number | null;
  meanPAlive: number | null;
  revenue12m: number;
  /** Share of members per ABC class (of all members). */
  classShare: Readonly<Record<'A' | 'B' | 'C', number>>;
  /** Share of members per churn class (of all members). */
  churnShare: Readonly<Record<'active' | 'declining' | 'at_risk' | 'lost', number>>;
  withoutOwner: number;
}

export interface BuilderInput {
  request: GuidedDraftRequest;
  today: string;
  runs: Readonly<Record<AnalysisKind, { runId: number; asOf: string } | null>>;
  segments: readonly BuilderSegment[];
  keyAccounts: { assessed: number; aClassUnassessed: number; byQuadrant: Readonly<Record<string, number>> };
}

export interface BuilderOutput {
  title: string;
  industry: StrategyIndustry;
  document: StrategyDocument;
  steps: { step: BuilderStep; status: 'done' | 'attention'; explanations: Explanation[] }[];
  budget: Budget;
}

export type Playbook = 'key' | 'rescue' | 'develop' | 'maintain' | 'winback';

const pct = (share: number): string => `${Math.round(share * 100)}%`;
const hkd = (value: number): string => `HKD ${Math.round(value).toLocaleString('en')}`;

/** Which playbook fits a segment, and why (the first rule that holds). */
export function choosePlaybook(segment: BuilderSegment): { playbook: Playbook; reason: Explanation } {
  const { classShare: c, churnShare: h } = segment;
  const atRisk = h.at_risk + h.declining;
  const values = { segment: segment.name, aShare: c.A, abShare: c.A + c.B, atRiskShare: atRisk, lostShare: h.lost };
  if (h.lost >= 0.5) {
    return {
      playbook: 'winback',
      reason: explain(
        'builder.tactics.winback',
        values,
        `${segment.name}: ${pct(h.lost)} of the members are lost customers — a win-back playbook.`,
      ),
    };
  }
  if (atRisk >= 0.4) {
    return {
      playbook: 'rescue',
      reason: explain(
        'builder.tactics.rescue',
        values,
        `${segment.name}: ${pct(atRisk)} are at risk or declining — a rescue playbook with remedial calls.`,
      ),
    };
  }
  if (c.A >= 0.5) {
    return {
      playbook: 'key',
      reason: explain(
        'builder.tactics.key',
        values,
        `${segment.name}: ${pct(c.A)} are ABC class A — the key-account playbook (monthly review meeting, weekly call).`,
      ),
    };
  }
  if (c.A + c.B >= 0.5) {
    return {
      playbook: 'develop',
      reason: explain(
        'builder.tactics.develop',
        values,
        `${segment.name}: ${pct(c.A + c.B)} are class A or B — a development playbook.`,
      ),
    };
  }
  return {
    playbook: 'maintain',
    reason: explain(
      'builder.tactics.maintain',
      values,
      `${segment.name}: mostly class C — serve efficiently (quarterly newsletter).`,
    ),
  };
}

const cadences: Readonly<Record<Playbook, CadenceItem[]>> = {
  key: [
    { kind: 'review_meeting', every: 1, unit: 'month', costPerContact: 1200, label: 'Monthly review meeting' },
    { kind: 'call', every: 1, unit: 'week', costPerContact: 120, label: 'Weekly call' },
  ],
  rescue: [
    { kind: 'call', every: 2, unit: 'week', costPerContact: 120, label: 'Call every two weeks' },
    { kind: 'visit', every: 1, unit: 'quarter', costPerContact: 800, label: 'Quarterly visit' },
  ],
  develop: [
    { kind: 'call', every: 1, unit: 'month', costPerContact: 120, label: 'Monthly call' },
    { kind: 'visit', every: 1, unit: 'quarter', costPerContact: 800, label: 'Quarterly visit' },
  ],
  maintain: [{ kind: 'email', every: 1, unit: 'quarter', costPerContact: 5, label: 'Quarterly newsletter' }],
  winback: [
    { kind: 'email', every: 1, unit: 'quarter', costPerContact: 5, label: 'Quarterly win-back offer' },
    { kind: 'call', every: 2, unit: 'quarter', costPerContact: 120, label: 'Half-yearly call' },
  ],
};

const services: Readonly<Record<StrategyIndustry, Readonly<Record<Playbook, string[]>>>> = {
  freight: {
    key: [
      'Dedicated account team',
      'Guaranteed space allocation on their main lanes',
      'Proactive exception alerts and weekly KPI report',
    ],
    rescue: ['Service recovery review of recent shipments', 'Rate review on their main lanes'],
    develop: [
      'Additional lanes and modes (air, LCL, express) at an introductory rate',
      'Customs and warehousing bundle',
    ],
    maintain: ['Online booking and tracking', 'Standard rate sheet per quarter'],
    winback: ['Welcome-back rate on their former lanes'],
  },
  automotive: {
    key: [
      'Dedicated fleet manager',
      'Priority workshop slots and courtesy vehicles',
      'Fleet service plan with fixed prices',
    ],
    rescue: ['Free vehicle health check', 'Service recovery call by the workshop manager'],
    develop: ['Service plan and extended warranty offer', 'Trade-in valuation ahead of the replacement cycle'],
    maintain: ['Service reminders', 'Online booking'],
    winback: ['Welcome-back service voucher'],
  },
  retail: {
    key: ['Personal shopping service', 'Early access to new collections', 'Member-only events'],
    rescue: ['Personalised offer on favourite categories', 'Service recovery for recent complaints'],
    develop: ['Cross-category recommendations', 'Bonus points on a second category'],
    maintain: ['Newsletter with seasonal offers', 'Self-service returns'],
    winback: ['We-miss-you voucher'],
  },
};

const pledges: Readonly<Record<StrategyIndustry, { text: string; measure: string; target: string }[]>> = {
  freight: [
    {
      text: 'Every complaint answered within 2 working days',
      measure: 'complaint first response time',
      target: '≤ 2 working days',
    },
    { text: 'Rate quotations within 4 working hours', measure: 'quotation response time', target: '≤ 4 hours' },
  ],
  automotive: [
    {
      text: 'Every complaint answered within 2 working days',
      measure: 'complaint first response time',
      target: '≤ 2 working days',
    },
    { text: 'Service appointment within 3 working days', measure: 'days to first free slot', target: '≤ 3 days' },
  ],
  retail: [
    {
      text: 'Every complaint answered within 2 working days',
      measure: 'complaint first response time',
      target: '≤ 2 working days',
    },
    { text: 'Refunds processed within 5 working days', measure: 'refund lead time', target: '≤ 5 days' },
  ],
};

const objectives: Readonly<Record<Playbook, (name: string) => string>> = {
  key: (name) => `Keep every ${name} account and grow our share of their business.`,
  rescue: (name) => `Bring the ${name} back to their usual rhythm before they leave.`,
  develop: (name) => `Develop our share of wallet with the ${name}: more services per customer.`,
  maintain: (name) => `Serve the ${name} efficiently and keep the relationship warm at a low cost to serve.`,
  winback: (name) => `Win back the most valuable of the ${name}.`,
};

const tactics: Readonly<Record<Playbook, string[]>> = {
  key: [
    'Monthly review meeting on service performance and plans',
    'Weekly call by the account owner',
    'Quarterly business review with operations',
  ],
  rescue: [
    'Remedial call within 2 working days (scheduled on approval)',
    'Root-cause review of recent complaints and service failures',
    'Tailored retention offer approved by sales management',
  ],
  develop: ['Needs review against the services they do not use yet', 'Introductory offers on a second service'],
  maintain: ['Quarterly newsletter', 'Self-service tools promoted in every contact'],
  winback: ['Win-back offer by e-mail', 'Call to the former decision maker'],
};

const channels: Readonly<Record<Playbook, TargetPlan['channels']>> = {
  key: ['meeting', 'phone', 'visit', 'email'],
  rescue: ['phone', 'visit', 'email'],
  develop: ['phone', 'visit', 'email'],
  maintain: ['newsletter', 'email'],
  winback: ['email', 'phone'],
};

const departments: Readonly<Record<Playbook, Department[]>> = {
  key: ['sales', 'operations', 'customer_service'],
  rescue: ['sales', 'customer_service'],
  develop: ['sales', 'marketing'],
  maintain: ['marketing', 'customer_service'],
  winback: ['sales', 'marketing'],
};

const roleObjective: Readonly<Record<MarketRole, string>> = {
  leader: 'Defend our share: keep the most valuable customers and raise the cost of switching.',
  challenger: 'Win share in our target segments with service the market leader does not offer.',
  follower: 'Keep our customers profitably: follow market prices and differentiate on service.',
  nicher: 'Be the specialist our target segments cannot replace.',
};

function kpisFor(playbook: Playbook, segment: BuilderSegment, reviewOn: string): Kpi[] {
  const atRisk = segment.churnShare.at_risk + segment.churnShare.declining;
  const list: Kpi[] = [
    { name: 'Retention rate', metric: 'retention_rate', target: playbook === 'key' ? 95 : 85, unit: '%', reviewOn },
    { name: 'Cadence compliance', metric: 'cadence_compliance', target: 90, unit: '%', reviewOn },
  ];
  if (playbook === 'rescue') {
    list.push({ name: 'At-risk share', metric: 'churn_rate', target: Math.round(atRisk * 50), unit: '%', reviewOn });
  } else if (playbook === 'key' || playbook === 'develop') {
    list.push({ name: 'Revenue growth', metric: 'revenue_growth', target: 5, unit: '%', reviewOn });
  }
  return list;
}

function loyaltyFor(playbook: Playbook, industry: StrategyIndustry): TargetPlan['loyaltyProgramme'] {
  if (playbook !== 'key') return null;
  const benefit = services[industry].key[1] ?? 'Priority service';
  return {
    name: 'Key account programme',
    tiers: [
      { name: 'Gold', qualification: 'ABC class A', benefits: [benefit, 'Named account team'] },
      {
        name: 'Platinum',
        qualification: 'Class A two years running and partner stage',
        benefits: [benefit, 'Joint yearly plan', 'Executive sponsor'],
      },
    ],
  };
}

const PROGRAMME_COST_PER_MEMBER: Readonly<Record<Playbook, number>> = {
  key: 2000,
  rescue: 1000,
  develop: 500,
  maintain: 0,
  winback: 300,
};

/** Value at stake used to rank the candidate segments: Σ CLV, or the last 12 months' revenue without a CLV run. */
const valueAtStake = (segment: BuilderSegment): number => segment.totalClv ?? segment.revenue12m;

export function buildGuidedDraft(input: BuilderInput): BuilderOutput {
  const { request, today } = input;
  const industry = request.industry;
  const steps: BuilderOutput['steps'] = [];

  // 1. Classify: which analyses the draft stands on.
  const classify: Explanation[] = [];
  let missingRuns = false;
  for (const kind of ['abc', 'rfm', 'clv', 'churn'] as const) {
    const run = input.runs[kind];
    if (run) {
      classify.push(
        explain(
          'builder.classify.run',
          { kind, runId: run.runId, asOf: run.asOf },
          `Latest ${kind.toUpperCase()} run: #${run.runId} as of ${run.asOf}.`,
        ),
      );
    } else {
      missingRuns = true;
      classify.push(
        explain(
          'builder.classify.missing',
          { kind },
          `No ${kind.toUpperCase()} run yet: run it first (Analytics), or the draft misses its figures.`,
        ),
      );
    }
  }
  steps.push({ step: 'classify', status: missingRuns ? 'attention' : 'done', explanations: classify });

  // 2. Assess: key accounts.
  const assess: Explanation[] = [
    explain(
      'builder.assess.assessed',
      { assessed: input.keyAccounts.assessed, ...input.keyAccounts.byQuadrant },
      `${input.keyAccounts.assessed} key accounts assessed (attractiveness against our fit).`,
    ),
  ];
  if (input.keyAccounts.aClassUnassessed > 0) {
    assess.push(
      explain(
        'builder.assess.unassessed',
        { count: input.keyAccounts.aClassUnassessed },
        `${input.keyAccounts.aClassUnassessed} class A customers have no key-account assessment yet: assess them before approval.`,
      ),
    );
  }
  steps.push({
    step: 'assess',
    status: input.keyAccounts.aClassUnassessed > 0 ? 'attention' : 'done',
    explanations: assess,
  });

  // 3. Targets: rank by value at stake; segments without members are left out.
  const candidates = [...input.segments].sort((a, b) => valueAtStake(b) - valueAtStake(a) || a.segmentId - b.segmentId);
  const chosen = candidates.filter((s) => s.members > 0).slice(0, request.maxTargets);
  const targetsExplained: Explanation[] = candidates.map((segment) => {
    const rank = chosen.indexOf(segment);
    const values = {
      segment: segment.name,
      members: segment.members,
      totalClv: segment.totalClv,
      revenue12m: Math.round(segment.revenue12m),
      priority: rank >= 0 ? rank + 1 : null,
    };
    if (segment.members === 0)
      return explain('builder.targets.empty', values, `${segment.name}: no members now — left out.`);
    const measure =
      segment.totalClv === null ? `revenue ${hkd(segment.revenue12m)} (no CLV run)` : `Σ CLV ${hkd(segment.totalClv)}`;
    return rank >= 0
      ? explain(
          'builder.targets.chosen',
          values,
          `Priority ${rank + 1}: ${segment.name} — ${segment.members} members, ${measure}.`,
        )
      : explain(
          'builder.targets.skipped',
          values,
          `${segment.name} (${measure}) is below the ${request.maxTargets} most valuable segments.`,
        );
  });
  steps.push({ step: 'targets', status: chosen.length > 0 ? 'done' : 'attention', explanations: targetsExplained });

  // 4. Tactics: a playbook per target.
  const reviewOn = addMonths(today, 3);
  const tacticsExplained: Explanation[] = [];
  const targets: TargetPlan[] = chosen.map((segment) => {
    const { playbook, reason } = choosePlaybook(segment);
    tacticsExplained.push(reason);
    if (segment.withoutOwner > 0) {
      tacticsExplained.push(
        explain(
          'builder.tactics.withoutOwner',
          { segment: segment.name, count: segment.withoutOwner },
          `${segment.name}: ${segment.withoutOwner} members have no owner; their tasks stay unassigned.`,
        ),
      );
    }
    const perMember = PROGRAMME_COST_PER_MEMBER[playbook];
    return {
      segmentId: segment.segmentId,
      objective: objectives[playbook](segment.name),
      valueProposition: services[industry][playbook].join('; '),
      services: [...services[industry][playbook]],
      tactics: [...tactics[playbook]],
      channels: [...channels[playbook]],
      cadence: cadences[playbook].map((item) => ({ ...item })),
      loyaltyProgramme: loyaltyFor(playbook, industry),
      focusGroups:
        playbook === 'key' || playbook === 'rescue'
          ? [
              {
                topic: `What ${segment.name} expect from us next year`,
                participants: Math.min(8, Math.max(3, segment.members)),
                plannedOn: addDays(today, 60),
              },
            ]
          : [],
      pledges: pledges[industry].map((pledge) => ({ ...pledge })),
      departments: [...departments[playbook]],
      programmeCosts:
        perMember > 0
          ? [
              {
                label: `${playbook === 'key' ? 'Programme benefits' : 'Offers'} (HKD ${perMember} per member)`,
                amount: perMember * segment.members,
              },
            ]
          : [],
      retentionImprovement: request.retentionImprovement,
      kpis: kpisFor(playbook, segment, reviewOn),
    };
  });
  steps.push({ step: 'tactics', status: targets.length > 0 ? 'done' : 'attention', explanations: tacticsExplained });

  const document: StrategyDocument = {
    context: {
      marketRole: request.marketRole,
      objectives: [
        roleObjective[request.marketRole],
        ...chosen.slice(0, 2).map((segment) => objectives[choosePlaybook(segment).playbook](segment.name)),
      ],
      horizonMonths: request.horizonMonths,
      startsOn: null,
      annualDiscountRate: 0.1,
      notes: null,
    },
    targets,
    review: {
      requiredDepartments: ['sales', 'customer_service', 'finance'],
      reviewDates: Array.from({ length: Math.max(1, Math.floor(request.horizonMonths / 3)) }, (_, k) =>
        addMonths(today, 3 * (k + 1)),
      ),
    },
  };

  // 5. Budget and expected return.
  const figures = new Map<number, SegmentFigures>(
    chosen.map((s) => [
      s.segmentId,
      { segmentId: s.segmentId, name: s.name, members: s.members, totalClv: s.totalClv, meanPAlive: s.meanPAlive },
    ]),
  );
  const budget = computeBudget(document, figures, { strategyId: null, asOf: today });
  steps.push({
    step: 'budget',
    status: budget.expectedReturn === null ? 'attention' : 'done',
    explanations: [
      ...budget.explanations,
      explain(
        'builder.budget.total',
        { total: budget.total, expectedReturn: budget.expectedReturn, roi: budget.roi },
        `Total budget ${hkd(budget.total)} over ${request.horizonMonths} months` +
          (budget.expectedReturn === null
            ? '.'
            : `; expected return ${hkd(budget.expectedReturn)} (ROI ${budget.roi === null ? '—' : pct(budget.roi)}).`),
      ),
    ],
  });

  // 6. KPIs.
  steps.push({
    step: 'kpis',
    status: 'done',
    explanations: targets.map((target) => {
      const name = chosen.find((s) => s.segmentId === target.segmentId)?.name ?? '';
      return explain(
        'builder.kpis.target',
        { segment: name, kpis: target.kpis.length, reviewOn },
        `${name}: ${target.kpis.map((k) => `${k.name} ${k.target}${k.unit}`).join(', ')} — first review on ${reviewOn}.`,
      );
    }),
  });

  // 7. Review.
  steps.push({
    step: 'review',
    status: 'attention',
    explanations: [
      explain(
        'builder.review.departments',
        {
          departments: document.review.requiredDepartments.join(', '),
          firstReview: document.review.reviewDates[0] ?? null,
        },
        `Save the draft, then send it for review: ${document.review.requiredDepartments.join(', ')} approve it; reviews every quarter from ${document.review.reviewDates[0] ?? reviewOn}.`,
      ),
    ],
  });

  const title =
    request.title ?? `${industry.charAt(0).toUpperCase()}${industry.slice(1)} customer strategy ${today.slice(0, 4)}`;
  return { title, industry, document, steps, budget };
}
