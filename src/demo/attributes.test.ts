import { describe, expect, it } from 'vitest';
import { attributeSchema, industryPacks } from '../features/imports/packs.schema.js';
import { createDemoGenerator } from './generate.js';
import type { DemoIndustry } from './model.js';

/** The demo data speaks each industry pack: every attribute it writes is one the pack names and accepts. */
describe.each(['freight', 'automotive', 'retail'] as const)('demo %s transactions', (industry: DemoIndustry) => {
  const generator = createDemoGenerator({ industry, customers: 200, seed: 11, asOf: new Date('2025-06-30T00:00:00Z') });
  const rows = [...generator.transactions(1, 201)];

  it('use only attributes the pack names', () => {
    const keys = new Set(rows.flatMap((row) => Object.keys(row.attributes)));
    expect([...keys].filter((key) => !(key in industryPacks[industry]))).toEqual([]);
  });

  it('pass the pack when read back from a CSV (as text)', () => {
    const keys = [...new Set(rows.flatMap((row) => Object.keys(row.attributes)))];
    const schema = attributeSchema(industry, keys);
    const failures = rows
      .map((row) => schema.safeParse(Object.fromEntries(keys.map((key) => [key, String(row.attributes[key] ?? '')]))))
      .filter((result) => !result.success);
    expect(failures.map((failure) => failure.error?.issues[0]?.message).slice(0, 3)).toEqual([]);
  });
});
