import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceFile } from '../../src/testing/reference-data.js';
import { runRapport, tempDataDir } from './support.js';

/** `rapport analyze` in file mode, spawned as a user runs it. */
describe('rapport analyze (file mode)', { timeout: 60_000 }, () => {
  it('fits BG/NBD on the CDNOW summary and prints the published parameters as JSON', async () => {
    const result = await runRapport([
      'analyze',
      'clv',
      '--summary',
      referenceFile('cdnow', 'cdnow_customers_summary.csv'),
      '--model',
      'bgnbd',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const fit = JSON.parse(result.stdout) as {
      model: string;
      n: number;
      params: Record<string, number>;
      logLikelihood: number;
      standardErrors: Record<string, number>;
    };
    expect(Object.keys(fit)).toEqual(['model', 'n', 'params', 'logLikelihood', 'standardErrors']);
    expect(fit.model).toBe('bgnbd');
    expect(fit.n).toBe(2357);
    // Fader, Hardie & Lee (2005) / lifetimes: r 0.24259, α 4.41353, a 0.79289, b 2.42575, LL −9582.4256 (4 significant digits)
    const published = { r: 0.24259, alpha: 4.41353, a: 0.79289, b: 2.42575 };
    for (const [name, value] of Object.entries(published)) {
      expect(Number(fit.params[name]?.toPrecision(4)), name).toBe(Number(value.toPrecision(4)));
    }
    expect(Number(fit.logLikelihood.toPrecision(4))).toBe(-9582);
    expect(fit.logLikelihood).toBeCloseTo(-9582.4256, 3);
    expect(Object.keys(fit.standardErrors)).toEqual(['r', 'alpha', 'a', 'b']);
    expect(fit.standardErrors.r).toBeGreaterThan(0);
  });

  it('fits Gamma-Gamma on the summary with monetary values', async () => {
    const result = await runRapport([
      'analyze',
      'clv',
      '--summary',
      referenceFile('cdnow', 'cdnow_customers_summary_with_transactions.csv'),
      '--model',
      'gamma-gamma',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const fit = JSON.parse(result.stdout) as { n: number; params: Record<string, number>; logLikelihood: number };
    expect(fit.n).toBe(946);
    expect(Number(fit.params.p?.toPrecision(4))).toBe(6.249);
    expect(Number(fit.params.q?.toPrecision(4))).toBe(3.745);
    expect(Number(fit.params.v?.toPrecision(4))).toBe(15.45);
    expect(fit.logLikelihood).toBeCloseTo(-4055.9232, 3);
  });

  it('scores RFM from a transactions file and prints every customer with the API fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-analyze-'));
    const file = join(dir, 'transactions.csv');
    writeFileSync(
      file,
      [
        'customer_id,occurred_at,amount',
        'C1,2026-01-05,120.50',
        'C1,2026-02-10,80',
        'C1,2026-02-10 18:30,20', // same day: merged
        'C1,2026-03-01,200',
        'C2,2026-01-20,50',
        'C3,2026-02-14T10:00:00+08:00,300',
        'C3,2026-03-20,100',
        'C4,2026-03-25,40',
        '',
      ].join('\n'),
    );
    const result = await runRapport(['analyze', 'rfm', '--transactions', file, '--as-of', '2026-03-31', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as {
      kind: string;
      asOf: string;
      results: { customers: number };
      customers: Record<string, unknown>[];
    };
    expect(output).toMatchObject({ kind: 'rfm', asOf: '2026-03-31', results: { customers: 4 } });
    expect(output.customers.map((c) => c.customerId)).toEqual(['C1', 'C2', 'C3', 'C4']);
    expect(output.customers[0]).toMatchObject({
      customerId: 'C1',
      accountCode: 'C1',
      frequency: 2, // 5 Jan, 10 Feb, 1 Mar
      recency: 55,
      T: 85,
      monetaryValue: 150, // (100 + 200) / 2
      totalValue: 420.5,
      sinceLast: 30,
      rScore: expect.any(Number),
      fScore: expect.any(Number),
      mScore: expect.any(Number),
      rfmSegment: expect.any(String),
    });
    for (const key of ['pAlive', 'clv', 'churnClass', 'churnReason', 'abcClass', 'cohort']) {
      expect(output.customers[0], key).toHaveProperty(key);
    }
  });

  it('refuses bad input with one clear line and a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-analyze-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'customer_id,occurred_at,amount\nC1,yesterday,10\n');
    const cases: [string[], RegExp][] = [
      [['analyze', 'rfm', '--transactions', bad], /line 2: occurred_at "yesterday" is not a date/],
      [['analyze', 'rfm', '--transactions', join(dir, 'missing.csv')], /does not exist/],
      [['analyze', 'clv', '--summary', bad, '--model', 'bgnbd'], /no frequency column/],
      [['analyze', 'clv', '--summary', bad, '--model', 'weibull'], /--model/],
      [['analyze', 'rfm', '--model', 'bgnbd', '--data-dir', tempDataDir()], /--model does not apply to analyze rfm/],
      [['analyze', 'abc', '--thresholds', '0.9,0.5', '--data-dir', tempDataDir()], /--thresholds/],
      [['analyze', 'rfm', '--as-of', '2026-02-31', '--data-dir', tempDataDir()], /--as-of/],
    ];
    for (const [args, message] of cases) {
      const result = await runRapport(args);
      expect(result.code, args.join(' ')).not.toBe(0);
      const lines = result.stderr.trim().split('\n');
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const unknown = await runRapport(['analyze', 'magic']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/rapport: Command-argument value 'magic' is invalid for argument 'kind'/);
  }, 60_000);

  it('runs on the database and stores the run (embedded PGlite)', async () => {
    const dataDir = tempDataDir();
    const dir = mkdtempSync(join(tmpdir(), 'rapport-analyze-'));
    const result = await runRapport(
      ['analyze', 'cohorts', '--as-of', '2026-03-31', '--json', '--data-dir', dataDir],
      {},
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout) as {
      run: { id: number; kind: string; status: string; customerCount: number };
    };
    expect(output.run).toMatchObject({ kind: 'cohorts', status: 'completed', customerCount: 0 });
  });
});
