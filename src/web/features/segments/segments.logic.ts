import type { EChartsOption } from 'echarts';
import type {
  SegmentCondition,
  SegmentFieldInfo,
  SegmentOperator,
  SegmentRule,
} from '../../../features/segments/segment-rule.schema.js';
import type { SegmentSnapshot } from '../../../features/segments/segment.schema.js';

/** Pure helpers of the segments pages: the size and value over time chart. */

export interface HistoryText {
  members: string;
  revenue: string;
  formatDay: (iso: string) => string;
  formatMoney: (value: number) => string;
}

/** Snapshots oldest first, as the chart's x axis reads them. */
export const chronological = (snapshots: readonly SegmentSnapshot[]): SegmentSnapshot[] =>
  [...snapshots].sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.id - b.id);

/** Members (bars, left axis) and 12-month revenue (line, right axis) per snapshot. */
export function historyOption(snapshots: readonly SegmentSnapshot[], text: HistoryText): EChartsOption {
  const ordered = chronological(snapshots);
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 72, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: ordered.map((snapshot) => text.formatDay(snapshot.takenAt)) },
    yAxis: [
      { type: 'value', minInterval: 1, name: text.members },
      { type: 'value', name: text.revenue, axisLabel: { formatter: (value: number) => text.formatMoney(value) } },
    ],
    series: [
      {
        type: 'bar',
        name: text.members,
        barMaxWidth: 40,
        data: ordered.map((snapshot) => snapshot.memberCount),
        itemStyle: { color: '#12b886' },
      },
      {
        type: 'line',
        name: text.revenue,
        yAxisIndex: 1,
        data: ordered.map((snapshot) => snapshot.revenue12m),
        itemStyle: { color: '#228be6' },
      },
    ],
  };
}

// ---- The rule editor: flat and/or groups of conditions (each may be negated) ⇄ the API's rule tree ----------

export interface DraftCondition {
  field: SegmentFieldInfo['field'];
  operator: SegmentOperator;
  /** As typed: a number or text, or the chosen values of a list operator. */
  value: string | string[];
  negate: boolean;
}

export interface DraftRule {
  combinator: 'and' | 'or';
  conditions: DraftCondition[];
}

const noValue: ReadonlySet<SegmentOperator> = new Set([
  'is_empty',
  'is_not_empty',
  'is_null',
  'is_not_null',
  'is_true',
  'is_false',
]);
const listValue: ReadonlySet<SegmentOperator> = new Set(['in', 'not_in', 'has_any', 'has_all', 'has_none']);

export const takesValue = (operator: SegmentOperator): boolean => !noValue.has(operator);
export const takesList = (operator: SegmentOperator): boolean => listValue.has(operator);

/** A new condition on a field: its first operator, and an empty value of the right shape. */
export function newCondition(info: SegmentFieldInfo): DraftCondition {
  const operator = info.operators[0] ?? 'eq';
  return { field: info.field, operator, value: takesList(operator) ? [] : '', negate: false };
}

/** The fields the editor offers: those that need no key (custom fields, choice factors are for the API). */
export const editableFields = (fields: readonly SegmentFieldInfo[]): SegmentFieldInfo[] =>
  fields.filter((info) => !info.needsKey);

/** One condition as the API's node, or null while it is incomplete (no value yet, a number that is not one). */
export function conditionNode(draft: DraftCondition, info: SegmentFieldInfo | undefined): SegmentRule | null {
  if (!info) return null;
  const node: SegmentCondition = { kind: 'condition', field: draft.field, operator: draft.operator };
  if (takesValue(draft.operator)) {
    if (takesList(draft.operator)) {
      const items = Array.isArray(draft.value) ? draft.value : draft.value.split(',').map((item) => item.trim());
      const values = items.filter((item) => item.length > 0);
      if (values.length === 0) return null;
      node.value = info.valueType === 'number' ? values.map(Number) : values;
    } else {
      const text = (Array.isArray(draft.value) ? (draft.value[0] ?? '') : draft.value).trim();
      if (text === '') return null;
      if (info.valueType === 'number' || draft.operator === 'within_last_days') {
        const number = Number(text);
        if (!Number.isFinite(number)) return null;
        node.value = number;
      } else node.value = text;
    }
  }
  return draft.negate ? { kind: 'not', rule: node } : node;
}

/** The draft as the API's rule, or null when no condition is complete yet. */
export function toRule(draft: DraftRule, fields: readonly SegmentFieldInfo[]): SegmentRule | null {
  const byField = new Map(fields.map((info) => [info.field, info]));
  const nodes = draft.conditions.flatMap((condition) => conditionNode(condition, byField.get(condition.field)) ?? []);
  if (nodes.length === 0) return null;
  return { kind: draft.combinator, rules: nodes };
}
