import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { addDays } from './calendar.rules.js';
import { DEFAULT_ACTIVITY_DAYS, type CustomDefinition } from './segment.rules.js';
import type {
  ActivityPeriod,
  ConditionValue,
  SegmentCondition,
  SegmentField,
  SegmentOperator,
  SegmentRule,
} from './segment.schema.js';

/**
 * Compiles a segment rule to a Kysely boolean expression over `accounts as a`. Every value of the rule becomes a
 * bind parameter; identifiers and operators come from the fixed maps below (the catalogue), never from the rule.
 * Analysis conditions read the latest completed run of their kind (its id a parameter too); activity conditions
 * aggregate the account's transactions over calendar days in the business time zone.
 *
 * Null semantics: a customer without a value (no run yet, not in the run, no custom value) matches neither
 * `eq` nor `in`, but does match `neq` and `not_in` ("not A" includes the unclassified) and `is_null`.
 */
export type MemberDB = DB & { a: DB['accounts'] };
export type MemberEB = ExpressionBuilder<MemberDB, 'a'>;

export type AnalysisRunKind = 'abc' | 'rfm' | 'clv' | 'churn';
export type RunIds = Readonly<Record<AnalysisRunKind, number | null>>;

export interface CompileContext {
  /** The as-of day (YYYY-MM-DD) of "last N days" and "days since last". */
  asOf: string;
  timeZone: string;
  /** The latest completed run of each kind (null: none yet, so its fields are unknown for everyone). */
  runIds: RunIds;
  /** Types of the account custom fields (the service has checked every custom condition against them). */
  customFields: ReadonlyMap<string, CustomDefinition>;
}

type Operand = Expression<unknown>;
type NumberOrText = string | number;

const dayStart = (date: string, timeZone: string): RawBuilder<Date> =>
  sql<Date>`(${date}::date::timestamp at time zone ${timeZone})`;
const nextDayStart = (date: string, timeZone: string): RawBuilder<Date> =>
  sql<Date>`((${date}::date + 1)::timestamp at time zone ${timeZone})`;

/** LIKE wildcards in a search are text. */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export const resolvePeriod = (period: ActivityPeriod | undefined, asOf: string): { from: string; to: string } => {
  if (period && 'from' in period) return { from: period.from, to: period.to };
  const days = period?.lastDays ?? DEFAULT_ACTIVITY_DAYS;
  return { from: addDays(asOf, -(days - 1)), to: asOf };
};

/** Column of analysis_customer_results per analysis field, and the run kind it comes from. */
const analysisColumn = {
  'analysis.abc_class': ['abc', 'abc_class', 'text'],
  'analysis.rfm_segment': ['rfm', 'rfm_segment', 'text'],
  'analysis.r_score': ['rfm', 'r_score', 'number'],
  'analysis.f_score': ['rfm', 'f_score', 'number'],
  'analysis.m_score': ['rfm', 'm_score', 'number'],
  'analysis.clv': ['clv', 'clv', 'number'],
  'analysis.p_alive': ['clv', 'p_alive', 'number'],
  'analysis.revenue_at_risk': ['clv', 'revenue_at_risk', 'number'],
  'analysis.expected_purchases': ['clv', 'expected_purchases', 'number'],
  'analysis.churn_class': ['churn', 'churn_class', 'text'],
} as const satisfies Partial<Record<SegmentField, readonly [AnalysisRunKind, string, 'text' | 'number']>>;

type AnalysisField = keyof typeof analysisColumn;
const isAnalysisField = (name: SegmentField): name is AnalysisField => name in analysisColumn;

function analysisOperand(eb: MemberEB, name: AnalysisField, runIds: RunIds): Operand {
  const [kind, column, type] = analysisColumn[name];
  const runId = runIds[kind];
  if (runId === null) return sql`null`;
  const value = eb
    .selectFrom('analysis_customer_results as r')
    .select(`r.${column}` as 'r.abc_class')
    .where('r.run_id', '=', runId)
    .whereRef('r.account_id', '=', 'a.id');
  // abc_class is char(1): compare as text; numbers as numeric so that 3.5 compares with a smallint score.
  return type === 'number' ? sql`(${value})::numeric` : sql`(${value})::text`;
}

function activityOperand(condition: SegmentCondition, context: CompileContext): Operand {
  const { timeZone } = context;
  if (condition.field === 'activity.days_since_last') {
    return sql`(${context.asOf}::date - (select max((t.occurred_at at time zone ${timeZone})::date) from transactions t
      where t.account_id = a.id and t.occurred_at < ${nextDayStart(context.asOf, timeZone)}))::numeric`;
  }
  const { from, to } = resolvePeriod(condition.period, context.asOf);
  const aggregate = (() => {
    switch (condition.field) {
      case 'activity.revenue':
        return sql`coalesce(sum(t.amount), 0)`;
      case 'activity.volume':
        return condition.unit === undefined
          ? sql`coalesce(sum(t.quantity), 0)`
          : sql`coalesce(sum(t.quantity) filter (where t.unit = ${condition.unit}::text), 0)`;
      case 'activity.margin':
        return sql`coalesce(sum(t.amount - t.cost) filter (where t.cost is not null), 0)`;
      case 'activity.transactions':
        return sql`count(*)`;
      case 'activity.lanes':
        return sql`count(distinct t.attributes ->> 'lane')`;
      default:
        return sql`count(distinct t.product_line)`;
    }
  })();
  return sql`(select ${aggregate} from transactions t where t.account_id = a.id
    and t.occurred_at >= ${dayStart(from, timeZone)} and t.occurred_at < ${nextDayStart(to, timeZone)})::numeric`;
}

/** The needs profile's services as text[] (tolerant of a missing or malformed profile). */
const servicesUsed = sql`array(select jsonb_array_elements_text(case when jsonb_typeof(a.needs -> 'servicesUsed') = 'array'
  then a.needs -> 'servicesUsed' else '[]'::jsonb end))`;

function choiceFactor(key: string, part: 'importance' | 'performance'): RawBuilder<unknown> {
  return sql`(select case when jsonb_typeof(cf -> ${part}::text) = 'number' then (cf ->> ${part}::text)::numeric end
    from jsonb_array_elements(case when jsonb_typeof(a.needs -> 'choiceFactors') = 'array'
      then a.needs -> 'choiceFactors' else '[]'::jsonb end) as cf
    where lower(cf ->> 'factor') = lower(${key}::text) limit 1)`;
}

function customOperand(key: string, definition: CustomDefinition): Operand {
  const json = sql`(a.custom -> ${key}::text)`;
  const text = sql`(a.custom ->> ${key}::text)`;
  switch (definition.type) {
    case 'number':
      return sql`(case when jsonb_typeof(${json}) = 'number' then (${text})::numeric
        when jsonb_typeof(${json}) = 'string' and ${text} ~ '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$' then trim(${text})::numeric end)`;
    case 'date':
      // YYYY-MM-DD compares correctly as text; anything else is unknown.
      return sql`(case when ${text} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then left(${text}, 10) end)`;
    case 'boolean':
      return sql`(case when lower(${text}) in ('true', 'yes', 'y', '1') then true
        when lower(${text}) in ('false', 'no', 'n', '0') then false end)`;
    default:
      return text;
  }
}

function scalarOperand(eb: MemberEB, condition: SegmentCondition, context: CompileContext): Operand {
  const name = condition.field;
  if (isAnalysisField(name)) return analysisOperand(eb, name, context.runIds);
  if (name.startsWith('activity.')) return activityOperand(condition, context);
  switch (name) {
    case 'account.industry':
      return eb.ref('a.industry');
    case 'account.kind':
      return eb.ref('a.kind');
    case 'account.status':
      return eb.ref('a.status');
    case 'account.source':
      return eb.ref('a.source');
    case 'account.owner':
      return eb.ref('a.owner_id');
    case 'account.parent':
      return eb.ref('a.parent_id');
    case 'account.owner_team':
      return eb.selectFrom('users as ou').select('ou.team').whereRef('ou.id', '=', 'a.owner_id');
    case 'account.created':
      return sql`(a.created_at at time zone ${context.timeZone})::date`;
    case 'needs.choice_importance':
      return choiceFactor(condition.key ?? '', 'importance');
    case 'needs.choice_performance':
      return choiceFactor(condition.key ?? '', 'performance');
    case 'needs.choice_gap':
      return sql`(${choiceFactor(condition.key ?? '', 'importance')} - ${choiceFactor(condition.key ?? '', 'performance')})`;
    case 'custom': {
      const definition = context.customFields.get(condition.key ?? '');
      // The service checks custom keys first; an unknown one here is a programming error, not user input.
      if (!definition) throw new Error(`custom field ${condition.key ?? ''} was not checked against its definition`);
      return customOperand(condition.key ?? '', definition);
    }
    default:
      throw new Error(`field ${name} has no scalar operand`);
  }
}

const list = (value: ConditionValue | undefined): NumberOrText[] =>
  Array.isArray(value) ? value : value === undefined || typeof value === 'boolean' ? [] : [value];
const one = (value: ConditionValue | undefined): NumberOrText => {
  if (Array.isArray(value) || value === undefined || typeof value === 'boolean') throw new Error('expected one value');
  return value;
};

/** Array-valued fields (tags, services used): overlap / containment on text[]. */
function arrayCondition(target: Expression<unknown>, operator: SegmentOperator, value: ConditionValue | undefined) {
  const values = sql`array[${sql.join(list(value).map((item) => sql`${String(item)}::text`))}]::text[]`;
  switch (operator) {
    case 'has_any':
      return sql<SqlBool>`(${target} && ${values})`;
    case 'has_all':
      return sql<SqlBool>`(${target} @> ${values})`;
    case 'has_none':
      return sql<SqlBool>`not (${target} && ${values})`;
    case 'is_empty':
      return sql<SqlBool>`(coalesce(cardinality(${target}), 0) = 0)`;
    case 'is_not_empty':
      return sql<SqlBool>`(coalesce(cardinality(${target}), 0) > 0)`;
    default:
      throw new Error(`operator ${operator} does not apply to a list field`);
  }
}

function scalarCondition(
  eb: MemberEB,
  operand: Operand,
  operator: SegmentOperator,
  value: ConditionValue | undefined,
  context: CompileContext,
  kind: 'date' | 'text' | 'number' | 'boolean',
): Expression<SqlBool> {
  const x = operand;
  switch (operator) {
    case 'eq':
      return eb(x, '=', one(value));
    case 'neq':
      return eb(x, 'is distinct from', one(value));
    case 'in':
      return eb(x, 'in', list(value));
    case 'not_in':
      return eb.or([eb(x, 'is', null), eb(x, 'not in', list(value))]);
    case 'gt':
      return eb(x, '>', one(value));
    case 'gte':
      return eb(x, '>=', one(value));
    case 'lt':
      return eb(x, '<', one(value));
    case 'lte':
      return eb(x, '<=', one(value));
    case 'between': {
      const [low, high] = list(value);
      return eb.between(x, low ?? 0, high ?? 0);
    }
    case 'within_last_days': {
      const days = Number(one(value));
      const from = addDays(context.asOf, -days);
      return kind === 'date' ? eb.and([eb(x, '>=', from), eb(x, '<=', context.asOf)]) : sql<SqlBool>`false`;
    }
    case 'contains':
      return sql<SqlBool>`(${x} ilike ${`%${escapeLike(String(one(value)))}%`})`;
    case 'is_null':
      return eb(x, 'is', null);
    case 'is_not_null':
      return eb(x, 'is not', null);
    case 'is_true':
      return sql<SqlBool>`coalesce(${x} = true, false)`;
    case 'is_false':
      return sql<SqlBool>`coalesce(${x} = false, false)`;
    default:
      throw new Error(`operator ${operator} does not apply to a single value`);
  }
}

function compileCondition(eb: MemberEB, condition: SegmentCondition, context: CompileContext): Expression<SqlBool> {
  if (condition.field === 'account.tags') return arrayCondition(eb.ref('a.tags'), condition.operator, condition.value);
  if (condition.field === 'needs.services_used')
    return arrayCondition(servicesUsed, condition.operator, condition.value);
  const operand = scalarOperand(eb, condition, context);
  const kind =
    condition.field === 'account.created'
      ? 'date'
      : condition.field === 'custom'
        ? ((): 'date' | 'text' | 'number' | 'boolean' => {
            const type = context.customFields.get(condition.key ?? '')?.type ?? 'text';
            return type === 'choice' ? 'text' : type;
          })()
        : 'text';
  // Custom dates compare as text; within_last_days needs date-like operands (account.created or a custom date).
  return scalarCondition(eb, operand, condition.operator, condition.value, context, kind);
}

/** The rule as one boolean expression over `accounts as a`. */
export function compileRule(eb: MemberEB, rule: SegmentRule, context: CompileContext): Expression<SqlBool> {
  switch (rule.kind) {
    case 'and':
      return eb.and(rule.rules.map((child) => compileRule(eb, child, context)));
    case 'or':
      return eb.or(rule.rules.map((child) => compileRule(eb, child, context)));
    case 'not':
      // not (x) is null when x is null: a member either matches the inner rule or it does not.
      return eb.not(sql<SqlBool>`coalesce(${compileRule(eb, rule.rule, context)}, false)`);
    default:
      return compileCondition(eb, rule, context);
  }
}

/** Membership: the rule, plus live (not archived) accounts only. */
export function memberWhere(eb: MemberEB, rule: SegmentRule, context: CompileContext): Expression<SqlBool> {
  return eb.and([eb('a.archived_at', 'is', null), sql<SqlBool>`coalesce(${compileRule(eb, rule, context)}, false)`]);
}
