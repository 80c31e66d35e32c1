import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../features/segments/segment.schema.js';
import type { StrategyDocument, TargetPlan } from '../../../features/strategies/strategy.schema.js';
import {
  documentChanged,
  linesToList,
  listToLines,
  move,
  orderTargets,
  prefilledTargets,
  toCreatePayload,
  toggle,
  updateCadence,
  updateKpi,
  updateProgrammeCost,
  updateTarget,
} from './strategies.logic.js';
import { approvalState, showValue } from './strategies.review.js';

const segment = (id: number, templateKey: string | null, archivedAt: string | null = null): Segment =>
  ({ id, name: `S${id}`, templateKey, archivedAt, memberCount: 3 }) as Segment;

const plan = (segmentId: number): TargetPlan => ({
  segmentId,
  objective: 'Keep them',
  valueProposition: '',
  services: [],
  tactics: ['Weekly call'],
  channels: ['phone'],
  cadence: [{ kind: 'call', every: 1, unit: 'week', costPerContact: 50 }],
  loyaltyProgramme: null,
  focusGroups: [],
  pledges: [],
  departments: [],
  programmeCosts: [{ label: 'Events', amount: 1000 }],
  retentionImprovement: 0.05,
  kpis: [{ name: 'Retention', metric: 'retention_rate', target: 90, unit: '%', reviewOn: '2026-12-31' }],
});

const document: StrategyDocument = {
  context: {
    marketRole: 'challenger',
    objectives: [],
    horizonMonths: 12,
    startsOn: null,
    annualDiscountRate: 0.1,
    notes: null,
  },
  targets: [plan(1), plan(2)],
  review: { requiredDepartments: ['sales'], reviewDates: [] },
};

describe('the guided builder form state', () => {
  it('pre-selects the A-class and at-risk segments, A-class first, skipping archived ones', () => {
    const segments = [
      segment(5, 'freight.at_risk_key_accounts'),
      segment(6, 'freight.one_lane_smes'),
      segment(7, 'freight.a_class_shippers'),
      segment(8, 'freight.a_class_shippers', '2026-01-01T00:00:00Z'),
      segment(9, null),
    ];
    expect(prefilledTargets(segments)).toEqual([7, 5]);
    expect(prefilledTargets([])).toEqual([]);
  });

  it('moves, adds and removes targets in priority order', () => {
    expect(move([1, 2, 3], 2, -1)).toEqual([1, 3, 2]);
    expect(move([1, 2, 3], 0, 1)).toEqual([2, 1, 3]);
    expect(move([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
    expect(move([1, 2, 3], 2, 1)).toEqual([1, 2, 3]);
    expect(toggle([1, 2], 2)).toEqual([1]);
    expect(toggle([1, 2], 4)).toEqual([1, 2, 4]);
  });

  it('turns text areas into lists and back', () => {
    expect(linesToList(' a \n\n b\n')).toEqual(['a', 'b']);
    expect(listToLines(['a', 'b'])).toBe('a\nb');
  });

  it('edits one target, its cadence, KPIs and programme costs without touching the others', () => {
    const edited = updateTarget(document, 2, (target) =>
      updateProgrammeCost(updateKpi(updateCadence(target, 0, { every: 2, unit: 'month' }), 0, { target: 95 }), 0, 2500),
    );
    expect(edited.targets[0]).toBe(document.targets[0]);
    expect(edited.targets[1]?.cadence[0]).toMatchObject({ kind: 'call', every: 2, unit: 'month', costPerContact: 50 });
    expect(edited.targets[1]?.kpis[0]?.target).toBe(95);
    expect(edited.targets[1]?.programmeCosts[0]).toEqual({ label: 'Events', amount: 2500 });
    expect(documentChanged(document, edited)).toBe(true);
    expect(documentChanged(document, structuredClone(document))).toBe(false);
  });

  it('orders the targets as chosen and builds the create payload', () => {
    const ordered = orderTargets(document, [2, 1]);
    expect(ordered.targets.map((t) => t.segmentId)).toEqual([2, 1]);
    expect(orderTargets(document, [2]).targets.map((t) => t.segmentId)).toEqual([2, 1]);
    expect(toCreatePayload('  Key accounts ', 'freight', ordered)).toEqual({
      title: 'Key accounts',
      industry: 'freight',
      document: ordered,
    });
  });
});

describe('the review panel', () => {
  it('shows each required department with its latest decision', () => {
    const approval = (
      id: number,
      department: 'sales' | 'finance',
      decision: 'approve' | 'request_changes',
      at: string,
    ) => ({
      id,
      version: 2,
      department,
      decision,
      note: null,
      decidedBy: 1,
      decidedByName: 'M',
      decidedAt: at,
    });
    expect(
      approvalState(
        ['sales', 'finance', 'operations'],
        [
          approval(1, 'sales', 'request_changes', '2026-01-01T00:00:00Z'),
          approval(2, 'sales', 'approve', '2026-01-02T00:00:00Z'),
          approval(3, 'finance', 'request_changes', '2026-01-02T00:00:00Z'),
        ],
      ),
    ).toEqual([
      { department: 'sales', decision: 'approve' },
      { department: 'finance', decision: 'request_changes' },
      { department: 'operations', decision: null },
    ]);
  });

  it('shows diff values as short text', () => {
    expect(showValue(undefined)).toBe('');
    expect(showValue('weekly')).toBe('weekly');
    expect(showValue(3)).toBe('3');
    expect(showValue({ a: 'x'.repeat(300) })).toHaveLength(158);
  });
});
