import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from '../../db/schema.js';
import { memberWhere, resolvePeriod, type CompileContext, type MemberEB } from './segment.query.js';
import type { CustomDefinition } from './segment.rules.js';
import type { SegmentRule } from './segment.schema.js';

/** Compile-only Kysely (no database): the SQL text and parameters a rule becomes. */
const db = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const context: CompileContext = {
  asOf: '2026-06-30',
  timeZone: 'Asia/Hong_Kong',
  runIds: { abc: 11, rfm: 12, clv: null, churn: 14 },
  customFields: new Map<string, CustomDefinition>([
    ['tier', { key: 'tier', type: 'text', choices: null }],
    ['since', { key: 'since', type: 'date', choices: null }],
  ]),
};

const compile = (rule: SegmentRule) =>
  db
    .selectFrom('accounts as a')
    .select('a.id')
    .where((eb) => memberWhere(eb as unknown as MemberEB, rule, context))
    .compile();

const hostile = "x'); drop table accounts; --";

describe('compileRule', () => {
  it('binds every value as a parameter and never interpolates user text', () => {
    const rule: SegmentRule = {
      kind: 'and',
      rules: [
        { kind: 'condition', field: 'account.source', operator: 'eq', value: hostile },
        { kind: 'condition', field: 'account.tags', operator: 'has_any', value: [hostile, 'key'] },
        { kind: 'condition', field: 'needs.services_used', operator: 'has_all', value: [hostile] },
        { kind: 'condition', field: 'needs.choice_gap', operator: 'gte', value: 2, key: "price'--" },
        { kind: 'condition', field: 'custom', operator: 'contains', value: '50%_off', key: 'tier' },
        { kind: 'condition', field: 'analysis.rfm_segment', operator: 'in', value: ['champions', hostile] },
        { kind: 'condition', field: 'activity.volume', operator: 'gte', value: 10, unit: hostile },
      ],
    };
    const { sql, parameters } = compile(rule);
    expect(sql).not.toContain('drop table');
    expect(sql).not.toContain("price'");
    expect(sql).not.toContain('champions');
    expect(sql).not.toContain('50%');
    expect(parameters).toEqual(
      expect.arrayContaining([hostile, 'key', "price'--", '%50\\%\\_off%', 'champions', 12, 10]),
    );
    expect(parameters.filter((p) => p === hostile)).toHaveLength(5);
    // Placeholders only: $1 … $n, as many as parameters.
    const placeholders = new Set(sql.match(/\$\d+/g));
    expect(placeholders.size).toBe(parameters.length);
  });

  it('reads the latest run of the kind as a parameter and an unknown value when there is none', () => {
    const abc = compile({ kind: 'condition', field: 'analysis.abc_class', operator: 'eq', value: 'A' });
    expect(abc.sql).toContain('"analysis_customer_results" as "r"');
    expect(abc.sql).toContain('"r"."run_id" = $');
    expect(abc.parameters).toEqual([11, 'A']);
    const clv = compile({ kind: 'condition', field: 'analysis.clv', operator: 'gte', value: 1000 });
    expect(clv.sql).not.toContain('analysis_customer_results');
    expect(clv.sql).toMatch(/null\s*>=\s*\$1/);
  });

  it('compiles and / or / not into the matching SQL connectives, null-safe under not', () => {
    const { sql } = compile({
      kind: 'or',
      rules: [
        { kind: 'condition', field: 'account.kind', operator: 'eq', value: 'company' },
        {
          kind: 'not',
          rule: { kind: 'condition', field: 'account.status', operator: 'in', value: ['lost', 'prospect'] },
        },
      ],
    });
    expect(sql).toContain('"a"."archived_at" is null');
    expect(sql).toMatch(/"a"\."kind" = \$1 or not coalesce\("a"\."status" in \(\$2, \$3\), false\)/);
  });

  it('counts neq and not_in as matching an unknown value', () => {
    const { sql } = compile({ kind: 'condition', field: 'analysis.churn_class', operator: 'not_in', value: ['lost'] });
    expect(sql).toMatch(/is null or .* not in \(\$\d\)/);
    expect(compile({ kind: 'condition', field: 'account.source', operator: 'neq', value: 'web' }).sql).toContain(
      'is distinct from',
    );
  });

  it('measures activity over calendar days of the business time zone', () => {
    const { sql, parameters } = compile({
      kind: 'condition',
      field: 'activity.lanes',
      operator: 'eq',
      value: 1,
      period: { lastDays: 365 },
    });
    expect(sql).toContain("count(distinct t.attributes ->> 'lane')");
    expect(sql).toContain('at time zone');
    expect(parameters).toEqual(expect.arrayContaining(['2025-07-01', '2026-06-30', 'Asia/Hong_Kong', 1]));
    expect(resolvePeriod({ from: '2026-01-01', to: '2026-03-31' }, '2026-06-30')).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
    });
    expect(resolvePeriod(undefined, '2026-06-30')).toEqual({ from: '2025-07-01', to: '2026-06-30' });
  });

  it('compares custom dates as YYYY-MM-DD text, guarded against other values', () => {
    const { sql, parameters } = compile({
      kind: 'condition',
      field: 'custom',
      key: 'since',
      operator: 'within_last_days',
      value: 30,
    });
    expect(sql).toContain("~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'");
    expect(parameters).toEqual(expect.arrayContaining(['since', '2026-05-31', '2026-06-30']));
  });
});
