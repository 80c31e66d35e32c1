import type {
  ConditionValue,
  CustomFieldInfo,
  FieldValueType,
  SegmentCondition,
  SegmentField,
  SegmentFieldInfo,
  SegmentIndustry,
  SegmentOperator,
  SegmentRule,
  SegmentTemplate,
} from './segment-rule.schema.js';

/**
 * Pure rules of segments: the field catalogue (the allow-list a rule may name), semantic validation of a rule,
 * which analysis runs a rule reads, and the default segments of each industry pack.
 */

// ---------------------------------------------------------------------------------------------------------------
// Operators per value type

const nullOps: SegmentOperator[] = ['is_null', 'is_not_null'];
const enumOps: SegmentOperator[] = ['eq', 'neq', 'in', 'not_in'];
const numberOps: SegmentOperator[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between'];
const dateOps: SegmentOperator[] = ['gt', 'gte', 'lt', 'lte', 'between', 'within_last_days'];
const tagOps: SegmentOperator[] = ['has_any', 'has_all', 'has_none', 'is_empty', 'is_not_empty'];

/** Operators each custom field type allows (custom fields are typed by custom_field_definitions). */
export const customOperators: Readonly<Record<CustomFieldInfo['type'], SegmentOperator[]>> = {
  text: [...enumOps, 'contains', ...nullOps],
  choice: [...enumOps, ...nullOps],
  number: [...numberOps, ...nullOps],
  date: [...dateOps, ...nullOps],
  boolean: ['is_true', 'is_false', ...nullOps],
};

type FieldInfo = Omit<SegmentFieldInfo, 'field'>;

const field = (
  group: SegmentFieldInfo['group'],
  label: string,
  valueType: FieldValueType,
  operators: SegmentOperator[],
  description: string,
  extra: Partial<Pick<SegmentFieldInfo, 'values' | 'needsKey' | 'hasPeriod' | 'analysisKind'>> = {},
): FieldInfo => ({
  group,
  label,
  valueType,
  operators,
  description,
  values: extra.values ?? null,
  needsKey: extra.needsKey ?? false,
  hasPeriod: extra.hasPeriod ?? false,
  analysisKind: extra.analysisKind ?? null,
});

export const ABC_CLASSES = ['A', 'B', 'C'] as const;
export const CHURN_CLASSES = ['active', 'declining', 'at_risk', 'lost'] as const;
/** Default period of activity conditions without one. */
export const DEFAULT_ACTIVITY_DAYS = 365;

/** The allow-list: every field a rule may name, its type and operators. Nothing else reaches SQL. */
export const fieldCatalogue: Readonly<Record<SegmentField, FieldInfo>> = {
  'account.industry': field('account', 'Industry', 'enum', enumOps, 'Industry pack of the account', {
    values: ['freight', 'automotive', 'retail'],
  }),
  'account.kind': field('account', 'Kind', 'enum', enumOps, 'Company or person', { values: ['company', 'person'] }),
  'account.status': field('account', 'Status', 'enum', enumOps, 'Prospect, active or lost', {
    values: ['prospect', 'active', 'lost'],
  }),
  'account.tags': field('account', 'Tags', 'tags', tagOps, 'Tags on the account'),
  'account.source': field(
    'account',
    'Source',
    'text',
    [...enumOps, 'contains', ...nullOps],
    'Where the account came from',
  ),
  'account.owner': field('account', 'Owner', 'user', [...enumOps, ...nullOps], 'Owner (user id); is_null: no owner'),
  'account.owner_team': field(
    'account',
    "Owner's team",
    'text',
    [...enumOps, ...nullOps],
    "Team of the account's owner",
  ),
  'account.parent': field(
    'account',
    'Customer group',
    'account',
    [...enumOps, ...nullOps],
    'Parent account (group); is_null: not in a group',
  ),
  'account.created': field('account', 'Created', 'date', dateOps, 'Day the account was opened (business time zone)'),
  'needs.services_used': field(
    'needs',
    'Services used',
    'tags',
    tagOps,
    'Needs profile: services, lanes, models, categories',
  ),
  'needs.choice_importance': field(
    'needs',
    'Choice factor importance',
    'number',
    [...numberOps, ...nullOps],
    'Needs profile: importance (1–5) of the choice factor named by key',
    { needsKey: true },
  ),
  'needs.choice_performance': field(
    'needs',
    'Our performance on a choice factor',
    'number',
    [...numberOps, ...nullOps],
    'Needs profile: our performance (1–5) on the choice factor named by key',
    { needsKey: true },
  ),
  'needs.choice_gap': field(
    'needs',
    'Performance gap on a choice factor',
    'number',
    [...numberOps, ...nullOps],
    'Importance − our performance on the choice factor named by key (positive: we under-deliver)',
    { needsKey: true },
  ),
  custom: field('custom', 'Custom field', 'text', [], 'A custom field named by key; operators depend on its type', {
    needsKey: true,
  }),
  'analysis.abc_class': field('analysis', 'ABC class', 'enum', [...enumOps, ...nullOps], 'Latest ABC run', {
    values: [...ABC_CLASSES],
    analysisKind: 'abc',
  }),
  'analysis.rfm_segment': field('analysis', 'RFM segment', 'text', [...enumOps, ...nullOps], 'Latest RFM run', {
    analysisKind: 'rfm',
  }),
  'analysis.r_score': field(
    'analysis',
    'RFM recency score',
    'number',
    [...numberOps, ...nullOps],
    '1–5, latest RFM run',
    {
      analysisKind: 'rfm',
    },
  ),
  'analysis.f_score': field(
    'analysis',
    'RFM frequency score',
    'number',
    [...numberOps, ...nullOps],
    '1–5, latest RFM run',
    {
      analysisKind: 'rfm',
    },
  ),
  'analysis.m_score': field(
    'analysis',
    'RFM monetary score',
    'number',
    [...numberOps, ...nullOps],
    '1–5, latest RFM run',
    {
      analysisKind: 'rfm',
    },
  ),
  'analysis.clv': field('analysis', 'Customer lifetime value', 'number', [...numberOps, ...nullOps], 'Latest CLV run', {
    analysisKind: 'clv',
  }),
  'analysis.p_alive': field('analysis', 'P(alive)', 'number', [...numberOps, ...nullOps], '0–1, latest CLV run', {
    analysisKind: 'clv',
  }),
  'analysis.revenue_at_risk': field(
    'analysis',
    'Revenue at risk',
    'number',
    [...numberOps, ...nullOps],
    'CLV × (1 − P(alive)), latest CLV run',
    { analysisKind: 'clv' },
  ),
  'analysis.expected_purchases': field(
    'analysis',
    'Expected purchases',
    'number',
    [...numberOps, ...nullOps],
    'Over the CLV horizon, latest CLV run',
    { analysisKind: 'clv' },
  ),
  'analysis.churn_class': field('analysis', 'Churn class', 'enum', [...enumOps, ...nullOps], 'Latest churn run', {
    values: [...CHURN_CLASSES],
    analysisKind: 'churn',
  }),
  'activity.revenue': field('activity', 'Revenue', 'number', numberOps, 'Σ amount over the period', {
    hasPeriod: true,
  }),
  'activity.volume': field(
    'activity',
    'Volume',
    'number',
    numberOps,
    'Σ quantity over the period (unit: only that unit)',
    {
      hasPeriod: true,
    },
  ),
  'activity.margin': field('activity', 'Gross margin', 'number', numberOps, 'Σ (amount − cost) over the period', {
    hasPeriod: true,
  }),
  'activity.transactions': field(
    'activity',
    'Transactions',
    'number',
    numberOps,
    'Number of transactions in the period',
    {
      hasPeriod: true,
    },
  ),
  'activity.lanes': field('activity', 'Lanes', 'number', numberOps, 'Distinct lanes (attributes.lane) in the period', {
    hasPeriod: true,
  }),
  'activity.product_lines': field(
    'activity',
    'Product lines',
    'number',
    numberOps,
    'Distinct product lines in the period',
    {
      hasPeriod: true,
    },
  ),
  'activity.days_since_last': field(
    'activity',
    'Days since last purchase',
    'number',
    [...numberOps, ...nullOps],
    'Whole days from the last purchase to the as-of date; is_null: never bought',
  ),
};

export const catalogueList = (): SegmentFieldInfo[] =>
  (Object.entries(fieldCatalogue) as [SegmentField, FieldInfo][]).map(([name, info]) => ({ field: name, ...info }));

// ---------------------------------------------------------------------------------------------------------------
// Validation

export interface RuleIssue {
  /** Path inside the rule, e.g. ['rules', 1, 'value']. */
  path: (string | number)[];
  message: string;
}

export const RULE_LIMITS = { depth: 8, conditions: 60 } as const;

const noValueOps = new Set<SegmentOperator>([
  'is_null',
  'is_not_null',
  'is_empty',
  'is_not_empty',
  'is_true',
  'is_false',
]);
const listOps = new Set<SegmentOperator>(['in', 'not_in', 'has_any', 'has_all', 'has_none']);

const isDateText = (value: unknown): value is string => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

/** Checks one scalar against a value type; returns a message or null. */
function scalarProblem(
  valueType: FieldValueType | 'choice',
  value: unknown,
  allowed: readonly string[] | null,
): string | null {
  switch (valueType) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'user':
    case 'account':
      return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
        ? null
        : 'must be an id (a positive whole number)';
    case 'date':
      return isDateText(value) ? null : 'must be a date YYYY-MM-DD';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'enum':
    case 'choice':
      if (typeof value !== 'string') return 'must be text';
      return allowed && !allowed.includes(value) ? `must be one of ${allowed.join(', ')}` : null;
    case 'text':
    case 'tags':
      return typeof value === 'string' && value.length > 0 ? null : 'must be non-empty text';
  }
}

/**
 * Whether the value fits the operator and the value type: no value for is_null & co., a list for in / has_any & co.,
 * [low, high] for between, a whole number of days for within_last_days, else one scalar.
 */
export function valueProblem(
  operator: SegmentOperator,
  valueType: FieldValueType | 'choice',
  value: ConditionValue | undefined,
  allowed: readonly string[] | null = null,
): RuleIssue | null {
  const at = (message: string, index?: number): RuleIssue => ({
    path: index === undefined ? ['value'] : ['value', index],
    message,
  });
  if (noValueOps.has(operator)) return value === undefined ? null : at(`takes no value with ${operator}`);
  if (value === undefined) return at(`is required with ${operator}`);
  if (operator === 'within_last_days') {
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 36_600
      ? null
      : at('must be a whole number of days');
  }
  if (listOps.has(operator) || operator === 'between') {
    if (!Array.isArray(value)) return at(operator === 'between' ? 'must be [low, high]' : 'must be a list');
    if (operator === 'between' && value.length !== 2) return at('must be [low, high]');
    if (value.length === 0) return at('must not be empty');
    const itemType = valueType === 'tags' ? 'text' : valueType;
    for (const [index, item] of value.entries()) {
      const problem = scalarProblem(itemType, item, allowed);
      if (problem) return at(problem, index);
    }
    if (operator === 'between' && (value[0] ?? 0) > (value[1] ?? 0)) return at('low must not be above high');
    return null;
  }
  if (Array.isArray(value)) return at(`must be one value with ${operator}`);
  if (operator === 'contains')
    return typeof value === 'string' && value.length > 0 ? null : at('must be non-empty text');
  const problem = scalarProblem(valueType, value, allowed);
  return problem ? at(problem) : null;
}

function conditionIssues(condition: SegmentCondition): RuleIssue[] {
  const info = fieldCatalogue[condition.field];
  const issues: RuleIssue[] = [];
  if (info.needsKey && condition.key === undefined)
    issues.push({ path: ['key'], message: `is required for ${condition.field}` });
  if (!info.needsKey && condition.key !== undefined)
    issues.push({ path: ['key'], message: `does not apply to ${condition.field}` });
  if (!info.hasPeriod && condition.period !== undefined) {
    issues.push({ path: ['period'], message: `does not apply to ${condition.field}` });
  }
  if (condition.unit !== undefined && condition.field !== 'activity.volume') {
    issues.push({ path: ['unit'], message: 'applies to activity.volume only' });
  }
  if (condition.field === 'custom') {
    // The operator and value depend on the custom field's type: checked against its definition (customIssues).
    const known = new Set(Object.values(customOperators).flat());
    if (!known.has(condition.operator))
      issues.push({ path: ['operator'], message: `is not an operator of custom fields` });
    return issues;
  }
  if (!info.operators.includes(condition.operator)) {
    issues.push({ path: ['operator'], message: `must be one of ${info.operators.join(', ')} for ${condition.field}` });
    return issues;
  }
  const problem = valueProblem(condition.operator, info.valueType, condition.value, info.values);
  if (problem) issues.push(problem);
  return issues;
}

/** Every semantic problem of a rule (structure is zod's): operators, values, keys, depth and size. */
export function validateRule(rule: SegmentRule): RuleIssue[] {
  const issues: RuleIssue[] = [];
  let conditions = 0;
  const walk = (node: SegmentRule, path: (string | number)[], depth: number): void => {
    if (depth > RULE_LIMITS.depth) {
      issues.push({ path, message: `nests deeper than ${RULE_LIMITS.depth} levels` });
      return;
    }
    if (node.kind === 'and' || node.kind === 'or') {
      node.rules.forEach((child, index) => walk(child, [...path, 'rules', index], depth + 1));
    } else if (node.kind === 'not') {
      walk(node.rule, [...path, 'rule'], depth + 1);
    } else {
      conditions += 1;
      for (const issue of conditionIssues(node))
        issues.push({ path: [...path, ...issue.path], message: issue.message });
    }
  };
  walk(rule, [], 1);
  if (conditions > RULE_LIMITS.conditions)
    issues.push({ path: [], message: `has more than ${RULE_LIMITS.conditions} conditions` });
  return issues;
}

/** Every condition of a rule with its path (depth first). */
export function conditionsOf(
  rule: SegmentRule,
  path: (string | number)[] = [],
): { condition: SegmentCondition; path: (string | number)[] }[] {
  if (rule.kind === 'and' || rule.kind === 'or')
    return rule.rules.flatMap((child, index) => conditionsOf(child, [...path, 'rules', index]));
  if (rule.kind === 'not') return conditionsOf(rule.rule, [...path, 'rule']);
  return [{ condition: rule, path }];
}

export interface CustomDefinition {
  key: string;
  type: CustomFieldInfo['type'];
  choices: string[] | null;
}

/** Custom-field conditions checked against the definitions: the key exists, the operator and value fit its type. */
export function customIssues(rule: SegmentRule, definitions: ReadonlyMap<string, CustomDefinition>): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const { condition, path } of conditionsOf(rule)) {
    if (condition.field !== 'custom' || condition.key === undefined) continue;
    const definition = definitions.get(condition.key);
    if (!definition) {
      issues.push({ path: [...path, 'key'], message: `no account custom field is called ${condition.key}` });
      continue;
    }
    const allowed = customOperators[definition.type];
    if (!allowed.includes(condition.operator)) {
      issues.push({
        path: [...path, 'operator'],
        message: `must be one of ${allowed.join(', ')} for a ${definition.type} field`,
      });
      continue;
    }
    const valueType: FieldValueType | 'choice' = definition.type;
    const problem = valueProblem(
      condition.operator,
      valueType,
      condition.value,
      definition.type === 'choice' ? definition.choices : null,
    );
    if (problem) issues.push({ path: [...path, ...problem.path], message: problem.message });
  }
  return issues;
}

/** The analysis kinds whose latest run a rule reads. */
export function analysisKindsOf(rule: SegmentRule): ('abc' | 'rfm' | 'clv' | 'churn')[] {
  const kinds = new Set<'abc' | 'rfm' | 'clv' | 'churn'>();
  for (const { condition } of conditionsOf(rule)) {
    const kind = fieldCatalogue[condition.field].analysisKind;
    if (kind) kinds.add(kind);
  }
  return [...kinds].sort();
}

export const formatIssuePath = (prefix: string, path: readonly (string | number)[]): string =>
  [prefix, ...path.map(String)].filter((part) => part !== '').join('.');

// ---------------------------------------------------------------------------------------------------------------
// Default segments of the industry packs

const cond = (
  fieldName: SegmentField,
  operator: SegmentOperator,
  value?: ConditionValue,
  extra: Partial<Pick<SegmentCondition, 'key' | 'period' | 'unit'>> = {},
): SegmentCondition => ({
  kind: 'condition',
  field: fieldName,
  operator,
  ...(value === undefined ? {} : { value }),
  ...extra,
});
const and = (...rules: SegmentRule[]): SegmentRule => ({ kind: 'and', rules });
const or = (...rules: SegmentRule[]): SegmentRule => ({ kind: 'or', rules });

const industryIs = (industry: SegmentIndustry) => cond('account.industry', 'eq', industry);

/**
 * The default segments of each industry pack (requirement A4). The demo seeds them; the rule editor offers them
 * as templates. Keys are stable: a template is installed once.
 */
export const segmentTemplates: readonly SegmentTemplate[] = [
  {
    key: 'freight.a_class_shippers',
    industry: 'freight',
    name: 'A-class shippers',
    description: 'Shippers in ABC class A: the few accounts that bring most of the revenue.',
    rule: and(industryIs('freight'), cond('analysis.abc_class', 'eq', 'A')),
  },
  {
    key: 'freight.at_risk_key_accounts',
    industry: 'freight',
    name: 'At-risk key accounts',
    description: 'Class A or B shippers (or tagged key) whose churn class is at risk or declining.',
    rule: and(
      industryIs('freight'),
      or(cond('analysis.abc_class', 'in', ['A', 'B']), cond('account.tags', 'has_any', ['key'])),
      cond('analysis.churn_class', 'in', ['at_risk', 'declining']),
    ),
  },
  {
    key: 'freight.one_lane_smes',
    industry: 'freight',
    name: 'One-lane SMEs',
    description:
      'Smaller shippers (class B or C) that shipped on exactly one lane in the last 12 months: cross-selling room.',
    rule: and(
      industryIs('freight'),
      cond('account.kind', 'eq', 'company'),
      cond('analysis.abc_class', 'in', ['B', 'C']),
      cond('activity.lanes', 'eq', 1, { period: { lastDays: 365 } }),
    ),
  },
  {
    key: 'freight.lapsed_shippers',
    industry: 'freight',
    name: 'Lapsed shippers',
    description: 'Shippers the churn analysis classes as lost: win-back candidates.',
    rule: and(industryIs('freight'), cond('analysis.churn_class', 'eq', 'lost')),
  },
  {
    key: 'automotive.fleet_accounts',
    industry: 'automotive',
    name: 'Fleet accounts',
    description: 'Company buyers in ABC class A or B: fleet sales and service contracts.',
    rule: and(
      industryIs('automotive'),
      cond('account.kind', 'eq', 'company'),
      cond('analysis.abc_class', 'in', ['A', 'B']),
    ),
  },
  {
    key: 'automotive.loyal_owners',
    industry: 'automotive',
    name: 'Loyal owners',
    description: 'Private owners the RFM analysis names champions or loyal.',
    rule: and(
      industryIs('automotive'),
      cond('account.kind', 'eq', 'person'),
      cond('analysis.rfm_segment', 'in', ['champions', 'loyal']),
    ),
  },
  {
    key: 'automotive.service_lapsers',
    industry: 'automotive',
    name: 'Service lapsers',
    description: 'Owners at risk of leaving: churn class at risk or declining.',
    rule: and(industryIs('automotive'), cond('analysis.churn_class', 'in', ['at_risk', 'declining'])),
  },
  {
    key: 'retail.champions',
    industry: 'retail',
    name: 'Champions',
    description: 'Shoppers who bought recently, often and for much (RFM champions).',
    rule: and(industryIs('retail'), cond('analysis.rfm_segment', 'eq', 'champions')),
  },
  {
    key: 'retail.lapsing_loyalists',
    industry: 'retail',
    name: 'Lapsing loyalists',
    description: "Frequent shoppers who have not been back for a while (RFM can't lose / at risk, or F ≥ 4 and R ≤ 2).",
    rule: and(
      industryIs('retail'),
      or(
        cond('analysis.rfm_segment', 'in', ['cant_lose', 'at_risk']),
        and(cond('analysis.f_score', 'gte', 4), cond('analysis.r_score', 'lte', 2)),
      ),
    ),
  },
  {
    key: 'retail.new_shoppers',
    industry: 'retail',
    name: 'New shoppers',
    description: 'First-time shoppers of the last weeks (RFM new or promising): the second purchase decides.',
    rule: and(industryIs('retail'), cond('analysis.rfm_segment', 'in', ['new', 'promising'])),
  },
];

export const templatesFor = (industry?: SegmentIndustry): SegmentTemplate[] =>
  segmentTemplates.filter((template) => industry === undefined || template.industry === industry);
