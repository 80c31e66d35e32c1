import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, localDate, nextWorkingDay, twelveMonthsTo } from './calendar.rules.js';
import {
  analysisKindsOf,
  catalogueList,
  customIssues,
  RULE_LIMITS,
  segmentTemplates,
  templatesFor,
  validateRule,
  valueProblem,
  type CustomDefinition,
} from './segment.rules.js';
import { previewRequestSchema, segmentCreateSchema, segmentRuleSchema, type SegmentRule } from './segment.schema.js';

const condition = (field: string, operator: string, value?: unknown, extra: Record<string, unknown> = {}) =>
  ({ kind: 'condition', field, operator, ...(value === undefined ? {} : { value }), ...extra }) as SegmentRule;

describe('segment rule validation', () => {
  it('accepts and/or/not trees over every kind of field', () => {
    const rule: SegmentRule = {
      kind: 'and',
      rules: [
        condition('account.industry', 'eq', 'freight'),
        {
          kind: 'or',
          rules: [condition('analysis.abc_class', 'in', ['A', 'B']), condition('account.tags', 'has_any', ['key'])],
        },
        { kind: 'not', rule: condition('analysis.churn_class', 'eq', 'lost') },
        condition('activity.lanes', 'eq', 1, { period: { lastDays: 365 } }),
        condition('activity.volume', 'gte', 10, { unit: 'TEU', period: { from: '2026-01-01', to: '2026-06-30' } }),
        condition('needs.choice_gap', 'gte', 2, { key: 'transit_time' }),
        condition('custom', 'eq', 'gold', { key: 'tier' }),
        condition('account.created', 'within_last_days', 90),
        condition('analysis.p_alive', 'between', [0.2, 0.6]),
        condition('account.owner', 'is_null'),
      ],
    };
    expect(validateRule(rule)).toEqual([]);
    expect(segmentRuleSchema.safeParse(rule).success).toBe(true);
  });

  it.each([
    [
      condition('analysis.abc_class', 'gt', 'A'),
      ['operator'],
      'must be one of eq, neq, in, not_in, is_null, is_not_null for analysis.abc_class',
    ],
    [condition('analysis.abc_class', 'eq', 'D'), ['value'], 'must be one of A, B, C'],
    [condition('analysis.clv', 'gte', '1000'), ['value'], 'must be a number'],
    [condition('analysis.clv', 'between', [5, 1]), ['value'], 'low must not be above high'],
    [condition('analysis.clv', 'between', [1]), ['value'], 'must be [low, high]'],
    [condition('account.tags', 'has_any', []), ['value'], 'must not be empty'],
    [condition('account.tags', 'has_any', 'key'), ['value'], 'must be a list'],
    [condition('account.owner', 'is_null', 3), ['value'], 'takes no value with is_null'],
    [condition('account.owner', 'eq', 1.5), ['value'], 'must be an id (a positive whole number)'],
    [condition('account.created', 'gt', '2026-02-30'), ['value'], 'must be a date YYYY-MM-DD'],
    [condition('analysis.rfm_segment', 'in', ['champions', 3]), ['value', 1], 'must be non-empty text'],
    [condition('needs.choice_gap', 'gte', 2), ['key'], 'is required for needs.choice_gap'],
    [condition('analysis.clv', 'gte', 2, { key: 'x' }), ['key'], 'does not apply to analysis.clv'],
    [condition('analysis.clv', 'gte', 2, { period: { lastDays: 30 } }), ['period'], 'does not apply to analysis.clv'],
    [condition('activity.revenue', 'gte', 2, { unit: 'TEU' }), ['unit'], 'applies to activity.volume only'],
  ])('reports %j at its path', (rule, path, message) => {
    expect(validateRule(rule)).toEqual([{ path, message }]);
  });

  it('gives the path inside nested groups, as the API names it', () => {
    const rule: SegmentRule = {
      kind: 'and',
      rules: [
        condition('account.kind', 'eq', 'company'),
        { kind: 'not', rule: condition('analysis.churn_class', 'eq', 'gone') },
      ],
    };
    expect(validateRule(rule)).toEqual([
      { path: ['rules', 1, 'rule', 'value'], message: expect.stringContaining('must be one of') },
    ]);
    const parsed = segmentCreateSchema.safeParse({ name: 'x', rule });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['rule', 'rules', 1, 'rule', 'value']);
  });

  it('refuses unknown fields, unknown node kinds and extra keys (the allow-list)', () => {
    expect(segmentRuleSchema.safeParse(condition('accounts.name_en; drop table accounts', 'eq', 'x')).success).toBe(
      false,
    );
    expect(segmentRuleSchema.safeParse({ kind: 'xor', rules: [] }).success).toBe(false);
    expect(segmentRuleSchema.safeParse({ ...condition('account.kind', 'eq', 'company'), sql: 'true' }).success).toBe(
      false,
    );
    expect(segmentRuleSchema.safeParse({ kind: 'and', rules: [] }).success).toBe(false);
  });

  it('limits depth and size', () => {
    let deep: SegmentRule = condition('account.kind', 'eq', 'company');
    for (let i = 0; i < RULE_LIMITS.depth; i += 1) deep = { kind: 'not', rule: deep };
    expect(validateRule(deep)[0]?.message).toMatch(/nests deeper/);
    const wide: SegmentRule = {
      kind: 'or',
      rules: Array.from({ length: 50 }, () => ({
        kind: 'and' as const,
        rules: [condition('account.kind', 'eq', 'company'), condition('account.kind', 'eq', 'person')],
      })),
    };
    expect(validateRule(wide).at(-1)?.message).toBe(`has more than ${RULE_LIMITS.conditions} conditions`);
  });

  it('checks custom-field conditions against their definitions', () => {
    const definitions = new Map<string, CustomDefinition>([
      ['tier', { key: 'tier', type: 'choice', choices: ['gold', 'silver'] }],
      ['fleet_size', { key: 'fleet_size', type: 'number', choices: null }],
      ['vip', { key: 'vip', type: 'boolean', choices: null }],
    ]);
    const rule: SegmentRule = {
      kind: 'and',
      rules: [
        condition('custom', 'eq', 'gold', { key: 'tier' }),
        condition('custom', 'gte', 'ten', { key: 'fleet_size' }),
        condition('custom', 'is_true', undefined, { key: 'vip' }),
        condition('custom', 'eq', 'x', { key: 'nope' }),
        condition('custom', 'in', ['bronze'], { key: 'tier' }),
        condition('custom', 'contains', 'x', { key: 'fleet_size' }),
      ],
    };
    expect(customIssues(rule, definitions)).toEqual([
      { path: ['rules', 1, 'value'], message: 'must be a number' },
      { path: ['rules', 3, 'key'], message: 'no account custom field is called nope' },
      { path: ['rules', 4, 'value', 0], message: 'must be one of gold, silver' },
      { path: ['rules', 5, 'operator'], message: expect.stringContaining('for a number field') },
    ]);
  });

  it('knows which analysis runs a rule reads', () => {
    const rule: SegmentRule = {
      kind: 'or',
      rules: [
        condition('analysis.churn_class', 'eq', 'at_risk'),
        condition('analysis.abc_class', 'eq', 'A'),
        condition('analysis.p_alive', 'lt', 0.3),
      ],
    };
    expect(analysisKindsOf(rule)).toEqual(['abc', 'churn', 'clv']);
    expect(analysisKindsOf(condition('account.kind', 'eq', 'company'))).toEqual([]);
  });

  it('checks values against operators', () => {
    expect(valueProblem('within_last_days', 'date', 30)).toBeNull();
    expect(valueProblem('within_last_days', 'date', -1)?.message).toBe('must be a whole number of days');
    expect(valueProblem('eq', 'number', [1])?.message).toBe('must be one value with eq');
    expect(valueProblem('in', 'number', [1, 2])).toBeNull();
  });

  it('has a complete, consistent catalogue', () => {
    const list = catalogueList();
    expect(list.length).toBeGreaterThan(25);
    for (const info of list) {
      if (info.field !== 'custom') expect(info.operators.length, info.field).toBeGreaterThan(0);
      if (info.valueType === 'enum') expect(info.values?.length, info.field).toBeGreaterThan(0);
    }
  });

  it('ships valid default segments for every industry pack, with unique keys', () => {
    expect(new Set(segmentTemplates.map((t) => t.key)).size).toBe(segmentTemplates.length);
    for (const template of segmentTemplates) expect(validateRule(template.rule), template.key).toEqual([]);
    expect(templatesFor('freight').map((t) => t.name)).toEqual(
      expect.arrayContaining(['A-class shippers', 'At-risk key accounts', 'One-lane SMEs']),
    );
    expect(templatesFor('retail').map((t) => t.name)).toEqual(
      expect.arrayContaining(['Champions', 'Lapsing loyalists']),
    );
    expect(templatesFor('automotive').length).toBeGreaterThanOrEqual(3);
  });

  it('defaults the preview limit', () => {
    expect(previewRequestSchema.parse({ rule: condition('account.kind', 'eq', 'company') }).limit).toBe(20);
  });
});

describe('calendar', () => {
  it('does date arithmetic on plain days', () => {
    expect(addDays('2026-02-27', 3)).toBe('2026-03-02');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-03-31', -13)).toBe('2025-02-28');
    expect(daysBetween('2025-12-31', '2026-03-01')).toBe(60);
    expect(twelveMonthsTo('2026-06-30')).toEqual({ from: '2025-07-01', to: '2026-06-30' });
    expect(localDate(new Date('2026-11-24T20:00:00Z'), 'Asia/Hong_Kong')).toBe('2026-11-25');
  });

  it('moves weekends to the Monday after', () => {
    expect(nextWorkingDay('2026-07-04')).toBe('2026-07-06'); // Saturday
    expect(nextWorkingDay('2026-07-05')).toBe('2026-07-06'); // Sunday
    expect(nextWorkingDay('2026-07-06')).toBe('2026-07-06');
  });
});
