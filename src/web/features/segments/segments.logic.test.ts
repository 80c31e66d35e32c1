import { describe, expect, it } from 'vitest';
import type { SegmentFieldInfo } from '../../../features/segments/segment-rule.schema.js';
import type { SegmentSnapshot } from '../../../features/segments/segment.schema.js';
import {
  chronological,
  editableFields,
  historyOption,
  newCondition,
  takesList,
  takesValue,
  toRule,
  type DraftRule,
} from './segments.logic.js';

const snapshot = (id: number, takenAt: string, memberCount: number, revenue12m: number): SegmentSnapshot => ({
  id,
  segmentId: 1,
  takenAt,
  trigger: 'analysis_run',
  analysisRunId: null,
  runIds: {},
  asOf: takenAt,
  memberCount,
  entered: 0,
  left: 0,
  totalClv: null,
  revenue12m,
});

describe('the segment history chart', () => {
  it('shows members as bars and revenue as a line, oldest first', () => {
    const snapshots = [snapshot(2, '2026-07-01T00:00:00Z', 12, 900), snapshot(1, '2026-06-01T00:00:00Z', 10, 800)];
    expect(chronological(snapshots).map((s) => s.id)).toEqual([1, 2]);
    const option = historyOption(snapshots, {
      members: 'Members',
      revenue: 'Revenue',
      formatDay: (iso) => iso.slice(0, 10),
      formatMoney: String,
    }) as { xAxis: { data: string[] }; series: { type: string; data: number[] }[] };
    expect(option.xAxis.data).toEqual(['2026-06-01', '2026-07-01']);
    expect(option.series.map((s) => [s.type, s.data])).toEqual([
      ['bar', [10, 12]],
      ['line', [800, 900]],
    ]);
  });
});

describe('the rule editor', () => {
  const info = (
    field: SegmentFieldInfo['field'],
    valueType: SegmentFieldInfo['valueType'],
    operators: SegmentFieldInfo['operators'],
    values: string[] | null = null,
    needsKey = false,
  ): SegmentFieldInfo => ({
    field,
    group: 'analysis',
    label: field,
    valueType,
    operators,
    values,
    needsKey,
    hasPeriod: false,
    analysisKind: null,
    description: '',
  });
  const fields = [
    info('analysis.abc_class', 'enum', ['in', 'not_in', 'eq'], ['A', 'B', 'C']),
    info('analysis.clv', 'number', ['gte', 'lt', 'is_null']),
    info('custom', 'text', ['eq'], null, true),
  ];

  it('offers the fields that need no key, and starts a condition with its first operator', () => {
    expect(editableFields(fields).map((f) => f.field)).toEqual(['analysis.abc_class', 'analysis.clv']);
    expect(newCondition(fields[0]!)).toEqual({ field: 'analysis.abc_class', operator: 'in', value: [], negate: false });
    expect(newCondition(fields[1]!)).toEqual({ field: 'analysis.clv', operator: 'gte', value: '', negate: false });
  });

  it('builds the API rule from complete conditions, negating where asked', () => {
    const draft: DraftRule = {
      combinator: 'or',
      conditions: [
        { field: 'analysis.abc_class', operator: 'in', value: ['A'], negate: false },
        { field: 'analysis.clv', operator: 'gte', value: ' 50000 ', negate: true },
        { field: 'analysis.clv', operator: 'lt', value: 'lots', negate: false },
        { field: 'analysis.clv', operator: 'is_null', value: '', negate: false },
      ],
    };
    expect(toRule(draft, fields)).toEqual({
      kind: 'or',
      rules: [
        { kind: 'condition', field: 'analysis.abc_class', operator: 'in', value: ['A'] },
        { kind: 'not', rule: { kind: 'condition', field: 'analysis.clv', operator: 'gte', value: 50000 } },
        { kind: 'condition', field: 'analysis.clv', operator: 'is_null' },
      ],
    });
    expect(toRule({ combinator: 'and', conditions: [] }, fields)).toBeNull();
    expect(
      toRule(
        { combinator: 'and', conditions: [{ field: 'analysis.abc_class', operator: 'in', value: [], negate: false }] },
        fields,
      ),
    ).toBeNull();
    expect(takesValue('is_true')).toBe(false);
    expect(takesList('has_any')).toBe(true);
  });
});
