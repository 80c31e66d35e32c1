import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { resolveCustomCondition, type FieldTypes } from './account-filter.rules.js';
import type { CustomCondition } from './account-filter.schema.js';

const fields: FieldTypes = new Map([
  ['region', { type: 'text', choices: null }],
  ['credit_terms', { type: 'number', choices: null }],
  ['since', { type: 'date', choices: null }],
  ['vip', { type: 'boolean', choices: null }],
  ['tier', { type: 'choice', choices: ['bronze', 'gold'] }],
] as const);

const resolve = (key: string, op: CustomCondition['op'], ...values: string[]) =>
  resolveCustomCondition({ key, op, values }, fields);

const refusal = (key: string, op: CustomCondition['op'], ...values: string[]) => {
  try {
    resolve(key, op, ...values);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('validation_failed');
    expect(appError.details).toEqual({ parameter: `custom.${key}` });
    return appError.message;
  }
  throw new Error('expected a refusal');
};

describe('custom conditions typed by their field definitions', () => {
  it.each([
    [['region', 'eq', 'Kowloon'], [{ key: 'region', test: 'equals', value: 'Kowloon' }]],
    [['region', 'contains', 'kow'], [{ key: 'region', test: 'contains', text: 'kow' }]],
    [['region', 'true'], [{ key: 'region', test: 'equals', value: 'true' }]],
    [['credit_terms', 'eq', '30'], [{ key: 'credit_terms', test: 'equals', value: 30 }]],
    [
      ['credit_terms', 'gte', '30.5'],
      [{ key: 'credit_terms', test: 'compare', type: 'number', operator: '>=', value: 30.5 }],
    ],
    [
      ['credit_terms', 'between', '30', '60'],
      [
        { key: 'credit_terms', test: 'compare', type: 'number', operator: '>=', value: 30 },
        { key: 'credit_terms', test: 'compare', type: 'number', operator: '<=', value: 60 },
      ],
    ],
    [
      ['since', 'lt', '2024-02-29'],
      [{ key: 'since', test: 'compare', type: 'date', operator: '<', value: '2024-02-29' }],
    ],
    [['vip', 'true'], [{ key: 'vip', test: 'equals', value: true }]],
    [['vip', 'false'], [{ key: 'vip', test: 'equals', value: false }]],
    [['vip', 'eq', 'false'], [{ key: 'vip', test: 'equals', value: false }]],
    [['tier', 'eq', 'gold'], [{ key: 'tier', test: 'equals', value: 'gold' }]],
    [['tier', 'in', 'gold', 'bronze'], [{ key: 'tier', test: 'one_of', values: ['gold', 'bronze'] }]],
  ] as const)('%j → %j', ([key, op, ...values], expected) => {
    expect(resolve(key, op, ...values)).toEqual(expected);
  });

  it.each([
    [['colour', 'eq', 'red'], 'no custom field "colour" is defined'],
    [['credit_terms', 'gte', 'thirty'], '"thirty" is not a number'],
    [['credit_terms', 'contains', '3'], 'contains does not apply to a number field'],
    [['credit_terms', 'between', '60', '30'], 'the low end is above the high end'],
    [['since', 'gt', '2024-02-30'], 'not a date YYYY-MM-DD'],
    [['since', 'gt', '31/01/2024'], 'not a date YYYY-MM-DD'],
    [['vip', 'eq', 'maybe'], 'eq does not apply to a boolean field'],
    [['tier', 'eq', 'silver'], '"silver" is not one of bronze, gold'],
    [['tier', 'in', 'gold', 'tin'], '"tin" is not one of bronze, gold'],
    [['region', 'gt', 'a'], 'gt does not apply to a text field (use eq, contains)'],
  ] as const)('refuses %j: %s', ([key, op, ...values], message) => {
    const text = refusal(key, op, ...values);
    expect(text).toContain(`Invalid query parameter custom.${key}`);
    expect(text).toContain(message);
  });
});
