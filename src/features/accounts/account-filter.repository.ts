import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { ResolvedAccountFilter, ResolvedCustomCondition } from './account-filter.rules.js';
import type { CustomFieldDefinition } from './account-filter.schema.js';

/**
 * The account filter as one boolean expression over `accounts as a`. Every value — JSON keys included — is a bind
 * parameter. Conditions are written so that the indexes of 0006_account_filters.sql apply: equality on custom
 * fields and needs as jsonb containment (`@>`, GIN jsonb_path_ops), text search as LIKE on the lower-cased
 * search_text column (GIN trigram), tags as array containment (GIN).
 */
export type FilterEB = ExpressionBuilder<DB & { a: DB['accounts'] }, 'a'>;

/** Escapes LIKE wildcards so a search for "50%" finds the text "50%". */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (char) => `\\${char}`);

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

function customCondition(eb: FilterEB, condition: ResolvedCustomCondition): Expression<SqlBool> {
  const key = sql`${condition.key}::text`;
  switch (condition.test) {
    case 'equals':
      return sql<SqlBool>`a.custom @> ${json({ [condition.key]: condition.value })}`;
    case 'one_of':
      return eb.or(condition.values.map((value) => sql<SqlBool>`a.custom @> ${json({ [condition.key]: value })}`));
    case 'contains':
      return sql<SqlBool>`(a.custom ->> ${key}) ilike ${`%${escapeLike(condition.text)}%`}`;
    case 'compare': {
      const operator = sql.raw(condition.operator); // one of four fixed strings (ComparisonOperator), never input
      // A value of another JSON type (a stray text in a number field) is unknown, never a cast error.
      if (condition.type === 'number') {
        return sql<SqlBool>`(case when jsonb_typeof(a.custom -> ${key}) = 'number'
          then (a.custom ->> ${key})::numeric end) ${operator} ${condition.value}::numeric`;
      }
      // Dates are stored as YYYY-MM-DD, which compares correctly as text.
      return sql<SqlBool>`(case when (a.custom ->> ${key}) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
        then a.custom ->> ${key} end) ${operator} ${condition.value}::text`;
    }
  }
}

function factorCondition(factor: ResolvedAccountFilter['factors'][number]): Expression<SqlBool> {
  const bounds = [sql`cf ->> 'factor' = ${factor.factor}::text`];
  const importance = sql`(case when jsonb_typeof(cf -> 'importance') = 'number' then (cf ->> 'importance')::numeric end)`;
  const performance = sql`(case when jsonb_typeof(cf -> 'performance') = 'number' then (cf ->> 'performance')::numeric end)`;
  if (factor.minImportance !== undefined) bounds.push(sql`${importance} >= ${factor.minImportance}`);
  if (factor.maxPerformance !== undefined) bounds.push(sql`${performance} <= ${factor.maxPerformance}`);
  if (factor.minGap !== undefined) bounds.push(sql`${importance} - ${performance} >= ${factor.minGap}`);
  // Factor names match exactly (as the needs form stores them), so the containment test added beside this one can
  // narrow the rows through the GIN index on needs; the exists(…) then checks the bounds on that same factor.
  return sql<SqlBool>`exists (select 1 from jsonb_array_elements(case when jsonb_typeof(a.needs -> 'choiceFactors') = 'array'
    then a.needs -> 'choiceFactors' else '[]'::jsonb end) as cf where ${sql.join(bounds, sql` and `)})`;
}

export function accountFilterWhere(eb: FilterEB, filter: ResolvedAccountFilter): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (!filter.includeArchived) conditions.push(eb('a.archived_at', 'is', null));
  if (filter.q) {
    // search_text is lower(code, English name, Chinese name) (0006): one LIKE, one trigram index.
    conditions.push(sql<SqlBool>`a.search_text like lower(${`%${escapeLike(filter.q)}%`})`);
  }
  if (filter.status.length > 0) conditions.push(eb('a.status', 'in', filter.status));
  if (filter.kind.length > 0) conditions.push(eb('a.kind', 'in', filter.kind));
  if (filter.industry.length > 0) conditions.push(eb('a.industry', 'in', filter.industry));
  if (filter.owner.length > 0) conditions.push(eb('a.owner_id', 'in', filter.owner));
  if (filter.tags.length > 0) {
    conditions.push(sql<SqlBool>`a.tags @> array[${sql.join(filter.tags.map((tag) => sql`${tag}::text`))}]`);
  }
  if (filter.accountCode) conditions.push(eb('a.code', '=', filter.accountCode));
  if (filter.group) {
    const parent = eb.selectFrom('accounts as g').select('g.id').where('g.code', '=', filter.group);
    conditions.push(eb.or([eb('a.id', '=', parent), eb('a.parent_id', '=', parent)]));
  }
  if (filter.source) conditions.push(eb('a.source', '=', filter.source));
  if (filter.createdFrom) conditions.push(eb('a.created_at', '>=', sql<Date>`${filter.createdFrom}::date`));
  if (filter.createdTo) conditions.push(eb('a.created_at', '<', sql<Date>`${filter.createdTo}::date + 1`));
  for (const condition of filter.custom) conditions.push(customCondition(eb, condition));
  if (filter.services.length > 0) conditions.push(sql<SqlBool>`a.needs @> ${json({ servicesUsed: filter.services })}`);
  for (const factor of filter.factors) {
    conditions.push(sql<SqlBool>`a.needs @> ${json({ choiceFactors: [{ factor: factor.factor }] })}`);
    conditions.push(factorCondition(factor));
  }
  return eb.and(conditions);
}

/** The custom fields defined for accounts, by key. */
export async function listCustomFieldDefinitions(db: Kysely<DB>): Promise<CustomFieldDefinition[]> {
  const rows = await db
    .selectFrom('custom_field_definitions')
    .select(['key', 'label_en', 'label_zh', 'type', 'choices'])
    .where('entity', '=', 'accounts')
    .orderBy('key')
    .execute();
  return rows.map((row) => ({
    key: row.key,
    labelEn: row.label_en,
    labelZh: row.label_zh,
    type: row.type,
    choices: row.choices,
  }));
}
