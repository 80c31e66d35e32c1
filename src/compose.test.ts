import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { createServices } from './compose.js';
import { loadConfig } from './config/env.js';
import { cohortResultsSchema } from './features/analytics/index.js';
import { fixedClock } from './shared/clock.js';
import { describeEachDatabase } from './testing/databases.js';
import { insertAccount, insertTransaction } from './testing/factories.js';

/** The business time zone (RAPPORT_TIME_ZONE) reaches the services through compose, with no per-call passing. */
describeEachDatabase('composed services use the configured time zone', (use) => {
  // 31 Jan 20:00 UTC is 1 Feb 04:00 in Hong Kong but still 31 Jan 15:00 in New York.
  const clock = fixedClock('2026-01-31T20:00:00Z');
  beforeAll(async () => {
    const { db } = use();
    const account = await insertAccount(db, { code: 'TZ-1', name_en: 'Time Zone Trading' });
    await insertTransaction(db, account.id, '2026-01-31T20:00:00Z', '100.00');
  });

  const cohortsIn = async (zone: string | undefined) => {
    const config = loadConfig({}, zone ? { RAPPORT_TIME_ZONE: zone } : {});
    const services = createServices(use(), clock, config);
    const run = await services.analytics.run({ kind: 'cohorts', parameters: {} });
    return { run, cohorts: cohortResultsSchema.parse(run.results).cohorts.map((row) => row.cohort) };
  };

  it('files a late-evening purchase under the month of the configured zone', async () => {
    const hongKong = await cohortsIn(undefined);
    expect(hongKong.run.asOf).toBe('2026-02-01');
    expect(hongKong.cohorts).toEqual(['2026-02']);
    expect(hongKong.run.parameters).toMatchObject({ timeZone: 'Asia/Hong_Kong' });

    const newYork = await cohortsIn('America/New_York');
    expect(newYork.run.asOf).toBe('2026-01-31');
    expect(newYork.cohorts).toEqual(['2026-01']);
    expect(newYork.run.parameters).toMatchObject({ timeZone: 'America/New_York' });
  });

  it("keeps a run's own time zone over the configured one", async () => {
    const config = loadConfig({}, { RAPPORT_TIME_ZONE: 'America/New_York' });
    const services = createServices(use(), clock, config);
    const run = await services.analytics.run({ kind: 'cohorts', parameters: { timeZone: 'Asia/Hong_Kong' } });
    expect(cohortResultsSchema.parse(run.results).cohorts.map((row) => row.cohort)).toEqual(['2026-02']);
  });

  it("reads an import's day-first wall-clock times in the configured zone", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-compose-'));
    const imported = async (zone: string, externalId: string) => {
      const path = join(dir, `${externalId}.csv`);
      writeFileSync(path, ['交易編號,客戶編號,日期,金額', `${externalId},TZ-1,05/01/2026 09:00,10.00`].join('\n'));
      const config = loadConfig({}, { RAPPORT_TIME_ZONE: zone });
      const summary = await createServices(use(), clock, config).imports.runImport({
        filePath: path,
        entity: 'transactions',
      });
      expect(summary).toMatchObject({ inserted: 1, rejected: 0 });
      const row = await use()
        .db.selectFrom('transactions')
        .select('occurred_at')
        .where('external_id', '=', externalId)
        .executeTakeFirstOrThrow();
      return new Date(row.occurred_at).toISOString();
    };
    // 5 January 2026, 09:00: UTC+8 in Hong Kong, UTC−5 in New York.
    expect(await imported('Asia/Hong_Kong', 'TZ-HK')).toBe('2026-01-05T01:00:00.000Z');
    expect(await imported('America/New_York', 'TZ-NY')).toBe('2026-01-05T14:00:00.000Z');
  });
});
