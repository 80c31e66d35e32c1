import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRapport, tempDataDir } from './support.js';

/** `rapport export accounts --filter …` reads the account list's filter (docs/lists.md) and refuses a bad one. */
describe('rapport export with filters', () => {
  it('exports only the accounts the filter selects, and refuses an unknown filter or custom field by name', async () => {
    const dataDir = tempDataDir();
    const csv = join(dataDir, 'accounts.csv');
    writeFileSync(
      csv,
      [
        'account_code,name,name_zh,industry,status,tags,services_used',
        'EX-1,Harbour Sea Freight,海港海運,freight,active,key;vip,sea;air',
        'EX-2,Harbour Air Cargo,海港空運,freight,active,key,air',
        'EX-3,Kowloon Motors,九龍汽車,automotive,prospect,,',
        'EX-4,Lost Shipping,失去航運,freight,lost,key,sea',
      ].join('\n'),
    );
    const imported = await runRapport(['import', csv, '--entity', 'accounts', '--json', '--data-dir', dataDir]);
    expect(imported.code, imported.stderr).toBe(0);

    const out = join(dataDir, 'filtered.csv');
    const exported = await runRapport([
      'export',
      'accounts',
      '--out',
      out,
      '--filter',
      'status=active,lost',
      '--filter',
      'tag=key',
      '--filter',
      'needs.service=sea',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ entity: 'accounts', format: 'csv', rows: 2 });
    const codes = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(codes).toEqual(['EX-1', 'EX-4']);

    const xlsx = join(dataDir, 'search.xlsx');
    const searched = await runRapport([
      'export',
      'accounts',
      '--format',
      'xlsx',
      '--out',
      xlsx,
      '--filter',
      'q=海港',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(searched.code, searched.stderr).toBe(0);
    expect(JSON.parse(searched.stdout)).toMatchObject({ format: 'xlsx', rows: 2 });

    for (const [filter, message] of [
      ['custom.credit_terms=gte:30', 'Invalid query parameter custom.credit_terms: no custom field "credit_terms"'],
      ['colour=red', 'Invalid --filter colour: unknown filter "colour"'],
      ['status=asleep', 'Invalid --filter status: "asleep"'],
    ] as const) {
      const refused = join(dataDir, `refused-${filter.length}.csv`);
      const result = await runRapport([
        'export',
        'accounts',
        '--out',
        refused,
        '--filter',
        filter,
        '--data-dir',
        dataDir,
      ]);
      expect(result.code, filter).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(refused), `${filter} leaves no file`).toBe(false);
    }
  }, 120_000);
});
