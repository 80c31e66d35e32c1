import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { describeEachDatabase, type TestDatabase } from '../../testing/databases.js';
import { insertAccount } from '../../testing/factories.js';
import { createImportService, type ImportService } from './import.service.js';

const dir = mkdtempSync(join(tmpdir(), 'rapport-attributes-'));

describeEachDatabase('transaction attributes by industry pack', (use) => {
  let database: TestDatabase;
  let service: ImportService;
  beforeAll(async () => {
    database = use();
    await insertAccount(database.db, { code: 'FWD-1', industry: 'freight' });
    await insertAccount(database.db, { code: 'CAR-1', industry: 'automotive' });
    service = createImportService({ database, clock: fixedClock('2026-11-24T02:00:00Z'), batchSize: 2 });
  });

  it('checks each row against its account industry pack, reports the bad attribute cells, keeps unnamed keys', async () => {
    const path = join(dir, `attributes-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(
      path,
      [
        'transaction_id,account_code,occurred_at,amount,貿易條款,櫃型,里數,attributes.po_number',
        'A-1,FWD-1,31/12/2025,100,fob,40hq,,PO-77',
        'A-2,FWD-1,31/12/2025,100,boat,40HQ,,',
        'A-3,CAR-1,31/12/2025,100,,,"45,210",',
        'A-4,CAR-1,31/12/2025,100,,,-3,',
        'A-5,NO-SUCH,31/12/2025,100,boat,,,',
      ].join('\n'),
    );
    const result = await service.runImport({ filePath: path, entity: 'transactions', errorsFile: 'beside' });
    expect(result).toMatchObject({ inserted: 2, rejected: 3, status: 'completed' });
    const rows = await database.db
      .selectFrom('transactions')
      .select(['external_id', 'attributes'])
      .where('external_id', 'in', ['A-1', 'A-3'])
      .orderBy('external_id')
      .execute();
    expect(rows).toEqual([
      { external_id: 'A-1', attributes: { incoterm: 'FOB', container_type: '40HQ', po_number: 'PO-77' } },
      { external_id: 'A-3', attributes: { mileage_km: 45210 } },
    ]);
    const report = readFileSync(result.errorsFile!, 'utf8');
    expect(report).toContain('3,貿易條款,boat,"incoterm ""boat"" is not a known Incoterm');
    expect(report).toContain('(freight attribute)');
    expect(report).toMatch(/5,里數,'-3,mileage_km -3 is outside .*\(automotive attribute\)/);
    expect(report).toContain('6,account_code,NO-SUCH,account NO-SUCH does not exist');

    const again = await service.runImport({ filePath: path, entity: 'transactions' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 3 });
  });
});
