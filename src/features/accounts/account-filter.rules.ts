import { AppError } from '../../shared/errors.js';
import type {
  AccountFilter,
  CustomCondition,
  CustomFieldDefinition,
  CustomFieldType,
  CustomOperator,
} from './account-filter.schema.js';

/**
 * Custom-field conditions checked against the fields' typed definitions: the key must be defined, the operator must
 * fit the type and the value must be one of the type (a number, a YYYY-MM-DD day, a defined choice). What comes out
 * is what the repository turns into SQL; anything else is a 400 naming the parameter.
 */
export type ComparisonOperator = '>' | '>=' | '<' | '<=';

export type ResolvedCustomCondition =
  | { key: string; test: 'equals'; value: string | number | boolean }
  | { key: string; test: 'one_of'; values: string[] }
  | { key: string; test: 'contains'; text: string }
  | { key: string; test: 'compare'; type: 'number' | 'date'; operator: ComparisonOperator; value: number | string };

export type ResolvedAccountFilter = Omit<AccountFilter, 'custom'> & { custom: ResolvedCustomCondition[] };

export type FieldTypes = ReadonlyMap<string, Pick<CustomFieldDefinition, 'type' | 'choices'>>;

/** Operators each custom field type takes (docs/lists.md lists the same). */
export const customOperatorsByType: Readonly<Record<CustomFieldType, readonly CustomOperator[]>> = {
  text: ['eq', 'contains'],
  number: ['eq', 'gt', 'gte', 'lt', 'lte', 'between'],
  date: ['eq', 'gt', 'gte', 'lt', 'lte', 'between'],
  boolean: ['true', 'false'],
  choice: ['eq', 'in'],
};

const comparison: Partial<Record<CustomOperator, ComparisonOperator>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

const invalid = (key: string, message: string) =>
  new AppError('validation_failed', `Invalid query parameter custom.${key}: ${message}`, {
    parameter: `custom.${key}`,
  });

function typedValue(key: string, type: CustomFieldType, text: string, choices: readonly string[] | null) {
  if (type === 'number') {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw invalid(key, `"${text}" is not a number`);
    return value;
  }
  if (type === 'date') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    const day = match ? new Date(`${text}T00:00:00Z`) : null;
    if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text)
      throw invalid(key, `"${text}" is not a date YYYY-MM-DD`);
    return text;
  }
  if (type === 'choice' && choices && !choices.includes(text))
    throw invalid(key, `"${text}" is not one of ${choices.join(', ')}`);
  return text;
}

export function resolveCustomCondition(condition: CustomCondition, fields: FieldTypes): ResolvedCustomCondition[] {
  const { key } = condition;
  const definition = fields.get(key);
  if (!definition) throw invalid(key, `no custom field "${key}" is defined for accounts`);
  const { type, choices } = definition;
  // "custom.note=true" on a text field means the text "true", not a boolean test.
  const op = (condition.op === 'true' || condition.op === 'false') && type !== 'boolean' ? 'eq' : condition.op;
  const values = op !== condition.op ? [condition.op] : condition.values;
  if (type === 'boolean' && op === 'eq' && (values[0] === 'true' || values[0] === 'false'))
    return [{ key, test: 'equals', value: values[0] === 'true' }];
  if (!customOperatorsByType[type].includes(op))
    throw invalid(key, `${op} does not apply to a ${type} field (use ${customOperatorsByType[type].join(', ')})`);
  const first = values[0] ?? '';
  switch (op) {
    case 'true':
    case 'false':
      return [{ key, test: 'equals', value: op === 'true' }];
    case 'contains':
      return [{ key, test: 'contains', text: first }];
    case 'in':
      return [{ key, test: 'one_of', values: values.map((value) => String(typedValue(key, type, value, choices))) }];
    case 'between': {
      const low = typedValue(key, type, first, choices);
      const high = typedValue(key, type, values[1] ?? '', choices);
      if (low > high) throw invalid(key, `between ${first}..${values[1] ?? ''}: the low end is above the high end`);
      const kind = type === 'number' ? 'number' : 'date';
      return [
        { key, test: 'compare', type: kind, operator: '>=', value: low },
        { key, test: 'compare', type: kind, operator: '<=', value: high },
      ];
    }
    case 'eq':
      return [{ key, test: 'equals', value: typedValue(key, type, first, choices) }];
    default: {
      const operator = comparison[op];
      if (!operator) throw invalid(key, `${op} is not an operator`);
      return [
        {
          key,
          test: 'compare',
          type: type === 'number' ? 'number' : 'date',
          operator,
          value: typedValue(key, type, first, choices),
        },
      ];
    }
  }
}

/** The filter with its custom conditions typed; throws validation_failed naming the first bad one. */
export function resolveAccountFilter(filter: AccountFilter, fields: FieldTypes): ResolvedAccountFilter {
  return { ...filter, custom: filter.custom.flatMap((condition) => resolveCustomCondition(condition, fields)) };
}
