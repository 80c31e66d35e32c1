import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { seedDemo } from '../../src/demo/index.js';
import { createAnalyticsService, runRequestSchema } from '../../src/features/analytics/index.js';
import { systemActor } from '../../src/features/auth/index.js';
import { createSegmentService, seedDefaultSegments } from '../../src/features/segments/index.js';
import { createStrategyServices, guidedDraftRequestSchema } from '../../src/features/strategies/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { runRapport, tempDataDir } from './support.js';

/**
 * `rapport segments list|show` and `rapport strategy list|show|export`, spawned as a user runs them, on an embedded
 * database prepared with the freight demo, analyses, the default segments and a drafted strategy.
 */
// Each spawn opens the embedded database (a few seconds on a busy machine): generous time per test.
describe('rapport segments and strategy', { timeout: 180_000 }, () => {
  const dataDir = tempDataDir();
  const counts = new Map<string, number>();
  let strategyId = 0;
  let aClassId = 0;

  beforeAll(async () => {
    const database = await openDatabase(loadConfig({ dataDir }).database);
    try {
      await migrate(database);
      await seedDemo(database, { industry: 'freight', customers: 150, seed: 4 });
      const analytics = createAnalyticsService({ database, clock: systemClock });
      for (const kind of ['abc', 'churn', 'clv'] as const) await analytics.run(runRequestSchema.parse({ kind }));
      const created = await seedDefaultSegments(database, 'freight');
      for (const segment of created) counts.set(segment.name, segment.memberCount);
      const aClass = created.find((s) => s.templateKey === 'freight.a_class_shippers')!;
      const atRisk = created.find((s) => s.templateKey === 'freight.at_risk_key_accounts')!;
      aClassId = aClass.id;
      const segments = createSegmentService({ db: database.db, clock: systemClock });
      const { strategies } = createStrategyServices({ db: database.db, clock: systemClock, segments });
      const actor = systemActor('system');
      const draft = await strategies.guidedDraft(
        actor,
        guidedDraftRequestSchema.parse({
          industry: 'freight',
          segmentIds: [aClass.id, atRisk.id],
          title: 'Freight key accounts',
        }),
      );
      strategyId = (
        await strategies.create(actor, { title: draft.title, industry: 'freight', document: draft.document })
      ).id;
    } finally {
      await database.close();
    }
  }, 180_000);

  it('lists segments with their member counts, as a table and as JSON', async () => {
    const table = await runRapport(['segments', 'list', '--data-dir', dataDir]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/ID\s+Name\s+Industry\s+Members/);
    expect(table.stdout).toContain('A-class shippers');
    const json = await runRapport(['segments', 'list', '--json', '--data-dir', dataDir]);
    expect(json.code, json.stderr).toBe(0);
    const { items } = JSON.parse(json.stdout) as { items: { name: string; memberCount: number }[] };
    expect(items.map((s) => [s.name, s.memberCount]).sort()).toEqual([...counts].sort());
    expect(items.find((s) => s.name === 'A-class shippers')!.memberCount).toBeGreaterThan(0);
    const bad = await runRapport(['segments', 'list', '--industry', 'banking', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--industry');
  });

  it('shows one segment: rule, members and snapshot history', async () => {
    const text = await runRapport(['segments', 'show', String(aClassId), '--members', '5', '--data-dir', dataDir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Segment');
    expect(text.stdout).toContain('analysis.abc_class eq "A"');
    expect(text.stdout).toContain('(first 5 of');
    const json = await runRapport(['segments', 'show', String(aClassId), '--json', '--data-dir', dataDir]);
    const body = JSON.parse(json.stdout) as {
      segment: { memberCount: number };
      members: unknown[];
      snapshots: { trigger: string }[];
    };
    expect(body.segment.memberCount).toBe(counts.get('A-class shippers'));
    expect(body.members).toHaveLength(Math.min(20, body.segment.memberCount));
    // The analyses ran outside the app: the first read took the snapshot they missed.
    expect(body.snapshots.map((s) => s.trigger)).toEqual(['analysis_run']);
    const missing = await runRapport(['segments', 'show', '987654', '--json', '--data-dir', dataDir]);
    expect(missing.code).toBe(4);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: 'not_found', message: 'Segment 987654 does not exist.' },
    });
    const notANumber = await runRapport(['segments', 'show', 'abc', '--data-dir', dataDir]);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toBe('rapport: Invalid argument ID: must be a positive whole number\n');
  });

  it('lists and shows strategies', async () => {
    const list = await runRapport(['strategy', 'list', '--json', '--data-dir', dataDir]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({
      items: [{ id: strategyId, title: 'Freight key accounts', status: 'draft', targetCount: 2 }],
    });
    const table = await runRapport(['strategy', 'list', '--status', 'draft', '--data-dir', dataDir]);
    expect(table.stdout).toContain('Freight key accounts');
    expect((await runRapport(['strategy', 'list', '--status', 'done', '--data-dir', dataDir])).code).toBe(2);
    const show = await runRapport(['strategy', 'show', String(strategyId), '--data-dir', dataDir]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`Strategy ${strategyId}: Freight key accounts`);
    expect(show.stdout).toContain('Monthly review meeting, Weekly call');
    expect(show.stdout).toMatch(/Budget over 12 months: HKD [\d,]+/);
    const json = await runRapport(['strategy', 'show', String(strategyId), '--json', '--data-dir', dataDir]);
    const body = JSON.parse(json.stdout) as {
      strategy: { id: number };
      budget: { total: number; segments: unknown[] };
    };
    expect(body.strategy.id).toBe(strategyId);
    expect(body.budget.segments).toHaveLength(2);
    expect(body.budget.total).toBeGreaterThan(0);
  });

  it('exports a strategy as Markdown or JSON', async () => {
    const markdown = await runRapport(['strategy', 'export', String(strategyId), '--data-dir', dataDir]);
    expect(markdown.code, markdown.stderr).toBe(0);
    expect(markdown.stdout.startsWith('# Freight key accounts\n')).toBe(true);
    expect(markdown.stdout).toContain('## 1. A-class shippers');
    expect(markdown.stdout).toContain('| **Total** |');
    const json = await runRapport([
      'strategy',
      'export',
      String(strategyId),
      '--format',
      'json',
      '--data-dir',
      dataDir,
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      strategy: { id: strategyId, status: 'draft' },
      budget: { strategyId },
    });
    const wrapped = await runRapport([
      'strategy',
      'export',
      String(strategyId),
      '--format',
      'md',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(JSON.parse(wrapped.stdout)).toMatchObject({
      format: 'md',
      content: expect.stringContaining('# Freight key accounts'),
    });
    const bad = await runRapport(['strategy', 'export', String(strategyId), '--format', 'pdf', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format');
    expect((await runRapport(['strategy', 'show', '987654', '--data-dir', dataDir])).code).toBe(4);
  });
});
