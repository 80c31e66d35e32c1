import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { describeEachDatabase, type TestDatabase } from '../../testing/databases.js';
import { insertAccount, insertUser } from '../../testing/factories.js';
import { systemActor } from '../auth/index.js';
import { createImportService, type ExportRequest, type ImportService } from './import.service.js';
import { emptyAccountFilter } from '../accounts/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rapport-import-'));
let fileNo = 0;
const file = (content: string | Buffer, ext = 'csv'): string => {
  fileNo += 1;
  const path = join(dir, `file-${fileNo}.${ext}`);
  writeFileSync(path, content);
  return path;
};

const accountsCsv = [
  'Customer Code,Company Name,中文名稱,Parent,Owner,Tags,Status,Services',
  'GRP-1,Pacific Star Group,太平洋之星集團,,mei.ling@forwarder.hk,key;group,active,sea;air',
  'ACC-1,Harbour Link Logistics,港聯物流,GRP-1,,,prospect,',
  'ACC-2,"Kowloon Auto Parts, Ltd.",九龍汽車零件,ACC-1,,,,',
  'ACC-3,Orphan Trading,,NO-SUCH,,,,',
  ',Missing Code Ltd,,,,,,',
  'ACC-4,Bad Status Ltd,,,,,sleeping,',
  'ACC-5,Unknown Owner Ltd,,,nobody@forwarder.hk,,,',
].join('\r\n');

const transactionsCsv = (amount = '1,200.50') =>
  [
    '交易編號,客戶編號,日期,金額,貨幣,數量,單位',
    `TX-1,ACC-1,31/12/2025 14:30,"${amount}",HKD,2,TEU`,
    'TX-2,ACC-1,2026-01-05,799.50,,1,TEU',
    'TX-3,GRP-1,05/01/2026,(100.00),USD,,',
    'TX-4,NO-SUCH,05/01/2026,100,,,',
    'TX-5,ACC-1,31/02/2026,100,,,',
    'TX-6,ACC-1,2026-01-07,abc,,,',
    'TX-7,ACC-2,12/31/2025,5,,,',
  ].join('\n');

describeEachDatabase('import service', (use) => {
  let service: ImportService;
  let database: TestDatabase;
  beforeAll(async () => {
    database = use();
    await database.db
      .insertInto('users')
      .values({ email: 'mei.ling@forwarder.hk', display_name: 'Mei Ling Chan' })
      .execute();
    await insertUser(database.db, 'Other User');
    service = createImportService({ database, clock: fixedClock('2026-11-24T02:00:00Z'), batchSize: 3 });
  });

  it('imports accounts with parents by code and reports every bad row with row, column and message', async () => {
    const path = file(accountsCsv);
    const result = await service.runImport({ filePath: path, entity: 'accounts', errorsFile: 'beside' });
    expect(result).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, rejected: 4, status: 'completed' });
    const accounts = await database.db
      .selectFrom('accounts as a')
      .leftJoin('accounts as p', 'p.id', 'a.parent_id')
      .select(['a.code', 'a.name_en', 'a.name_zh', 'p.code as parent', 'a.tags', 'a.status', 'a.needs'])
      .orderBy('a.code')
      .execute();
    expect(accounts.map((a) => [a.code, a.parent])).toEqual([
      ['ACC-1', 'GRP-1'],
      ['ACC-2', 'ACC-1'],
      ['GRP-1', null],
    ]);
    expect(accounts[2]).toMatchObject({
      name_zh: '太平洋之星集團',
      tags: ['key', 'group'],
      needs: { servicesUsed: ['sea', 'air'] },
    });
    expect(accounts[0]?.status).toBe('prospect');
    expect(accounts[1]?.name_en).toBe('Kowloon Auto Parts, Ltd.');

    const report = readFileSync(result.errorsFile!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(report[0]).toBe('row,column,value,message');
    expect(report.slice(1)).toEqual([
      '5,Parent,NO-SUCH,"parent account NO-SUCH does not exist (import it first, or include it in the file)"',
      '6,Customer Code,,account_code is required',
      '7,Status,sleeping,"status ""sleeping"" is not a status (prospect, active, lost)"',
      '8,Owner,nobody@forwarder.hk,no user has the email nobody@forwarder.hk',
    ]);
  });

  it('changes nothing when the same file is imported again, and updates a changed row', async () => {
    const again = await service.runImport({ filePath: file(accountsCsv), entity: 'accounts' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 4 });
    const changed = accountsCsv.replace('Harbour Link Logistics', 'Harbour Link Logistics (HK)');
    const third = await service.runImport({ filePath: file(changed), entity: 'accounts' });
    expect(third).toMatchObject({ inserted: 0, updated: 1, unchanged: 2, rejected: 4 });
    const row = await database.db
      .selectFrom('accounts')
      .select(['name_en', 'version'])
      .where('code', '=', 'ACC-1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name_en: 'Harbour Link Logistics (HK)', version: 2 });
  });

  it('imports transactions by business key, with Chinese headers and Hong Kong dates', async () => {
    const first = await service.runImport({ filePath: file(transactionsCsv()), entity: 'transactions' });
    expect(first).toMatchObject({ inserted: 3, updated: 0, unchanged: 0, rejected: 4 });
    const rows = await database.db
      .selectFrom('transactions')
      .select(['external_id', 'amount', 'currency', 'occurred_at', 'quantity', 'unit'])
      .orderBy('external_id')
      .execute();
    expect(rows.map((r) => [r.external_id, r.amount, r.currency])).toEqual([
      ['TX-1', '1200.50', 'HKD'],
      ['TX-2', '799.50', 'HKD'],
      ['TX-3', '-100.00', 'USD'],
    ]);
    expect(new Date(rows[0]!.occurred_at).toISOString()).toBe('2025-12-31T06:30:00.000Z');
    expect(new Date(rows[2]!.occurred_at).toISOString()).toBe('2026-01-04T16:00:00.000Z');

    const errors = [];
    for await (const chunk of await service.errorReport(systemActor(), first.importId!)) errors.push(chunk);
    const lines = errors
      .join('')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe('5,客戶編號,NO-SUCH,account NO-SUCH does not exist');
    expect(lines[2]).toBe('6,日期,31/02/2026,occurred_at day 31 does not exist in 2026-02');
    expect(lines[3]).toBe('7,金額,abc,"amount ""abc"" is not a number"');
    expect(lines[4]).toContain('8,日期,12/31/2025,"occurred_at');
    expect(lines[4]).toContain('set dateFormat to MDY');

    const again = await service.runImport({ filePath: file(transactionsCsv()), entity: 'transactions' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3, rejected: 4 });
    const changed = await service.runImport({ filePath: file(transactionsCsv('1,300.00')), entity: 'transactions' });
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 2, rejected: 4 });
  });

  it('imports contacts by account code, normalising emails and phones, and finds them again', async () => {
    const csv = [
      'account_code;name;email;phone;language;channels',
      'ACC-1;Karen Chan;Karen.Chan@HarbourLink.hk;9123 4567;廣東話;email;',
      'ACC-1;Front Desk;;+852 2345 6789;;',
      'ACC-1;Ivy Ho;ivy@harbourlink.hk;12;;',
      'NO-SUCH;Tom Lee;tom@x.hk;;;',
      'ACC-2;;;;;',
    ].join('\n');
    const first = await service.runImport({ filePath: file(csv), entity: 'contacts' });
    expect(first).toMatchObject({ inserted: 2, rejected: 3 });
    const contacts = await database.db
      .selectFrom('contacts')
      .select(['name', 'email', 'phone', 'language'])
      .orderBy('id')
      .execute();
    expect(contacts).toEqual([
      { name: 'Karen Chan', email: 'karen.chan@harbourlink.hk', phone: '+85291234567', language: 'zh-Hant' },
      { name: 'Front Desk', email: null, phone: '+85223456789', language: null },
    ]);
    const again = await service.runImport({
      filePath: file(csv.replace('Karen Chan', 'Karen Chan Wai-man')),
      entity: 'contacts',
    });
    expect(again).toMatchObject({ inserted: 0, updated: 1, unchanged: 1, rejected: 3 });
  });

  it('imports contacts with custom fields: guessed by key or label, typed, merged, unchanged on re-import', async () => {
    await database.db
      .insertInto('custom_field_definitions')
      .values([
        { entity: 'contacts', key: 'birthday', label_en: 'Birthday', label_zh: '生日', type: 'date' },
        { entity: 'contacts', key: 'vip', label_en: 'VIP', label_zh: '貴賓', type: 'boolean' },
        {
          entity: 'contacts',
          key: 'hobby',
          label_en: 'Hobby',
          label_zh: '興趣',
          type: 'choice',
          choices: ['golf', 'hiking'],
        },
        { entity: 'contacts', key: 'shoe_size', label_en: 'Shoe size (EU)', label_zh: null, type: 'number' },
        { entity: 'accounts', key: 'region', label_en: 'Region', label_zh: '地區', type: 'text' },
      ])
      .execute();
    await insertAccount(database.db, { code: 'CF-1' });
    const csv = [
      'account_code,name,email,生日,VIP,custom.hobby,shoe_size,地區',
      'CF-1,Sam Wong,sam@kowloonauto.hk,31/01/1980,是,golf,42',
      'CF-1,Amy Lau,amy@kowloonauto.hk,,no,,',
      'CF-1,Bad Date,bad.date@kowloonauto.hk,31/02/1980,yes,,',
      'CF-1,Bad Hobby,bad.hobby@kowloonauto.hk,,,chess,',
      'CF-1,Bad Size,bad.size@kowloonauto.hk,,,,large',
    ].join('\n');
    const preview = await service.preview({ filePath: file(csv), entity: 'contacts' });
    expect(preview.mapping.columns).toMatchObject({
      生日: 'custom.birthday',
      VIP: 'custom.vip',
      'custom.hobby': 'custom.hobby',
      shoe_size: 'custom.shoe_size',
      // A label of an accounts field means nothing for contacts.
      地區: null,
    });
    const first = await service.runImport({ filePath: file(csv), entity: 'contacts', errorsFile: 'beside' });
    expect(first).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejected: 3 });
    const stored = await database.db
      .selectFrom('contacts')
      .select(['name', 'custom'])
      .where('email', 'in', ['sam@kowloonauto.hk', 'amy@kowloonauto.hk'])
      .orderBy('name')
      .execute();
    expect(stored).toEqual([
      { name: 'Amy Lau', custom: { vip: false } },
      { name: 'Sam Wong', custom: { birthday: '1980-01-31', vip: true, hobby: 'golf', shoe_size: 42 } },
    ]);
    const report = readFileSync(first.errorsFile!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(report.slice(1)).toEqual([
      '4,生日,31/02/1980,day 31 does not exist in 1980-02',
      '5,custom.hobby,chess,"""chess"" is not one of golf, hiking"',
      '6,shoe_size,large,"""large"" is not a number"',
    ]);

    const again = await service.runImport({ filePath: file(csv), entity: 'contacts' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 3 });

    // A file with only some custom columns changes those keys and keeps the others.
    const changed = await service.runImport({
      filePath: file('account_code,email,Hobby\nCF-1,sam@kowloonauto.hk,hiking\nCF-1,amy@kowloonauto.hk,\n'),
      entity: 'contacts',
    });
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 1, rejected: 0 });
    const sam = await database.db
      .selectFrom('contacts')
      .select(['custom', 'version'])
      .where('email', '=', 'sam@kowloonauto.hk')
      .executeTakeFirstOrThrow();
    expect(sam).toEqual({ custom: { birthday: '1980-01-31', vip: true, hobby: 'hiking', shoe_size: 42 }, version: 2 });

    await expect(
      service.runImport({ filePath: file('account_code,name,custom.colour\nCF-1,X,red\n'), entity: 'contacts' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('Unknown contacts custom field colour: define it first'),
      details: { unknownCustomFields: ['colour'] },
    });
  });

  it('imports interactions and derives a key when the file has none', async () => {
    const csv = [
      'account_code,date,channel,subject,contact_emails',
      'ACC-1,2026-02-01 10:00,電話,Rate review,karen.chan@harbourlink.hk',
      'ACC-1,2026-02-02,visit,Site visit,',
      'ACC-1,2026-02-03,fax,Old school,',
    ].join('\n');
    const first = await service.runImport({ filePath: file(csv), entity: 'interactions' });
    expect(first).toMatchObject({ inserted: 2, rejected: 1 });
    const again = await service.runImport({ filePath: file(csv), entity: 'interactions' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 1 });
  });

  it('reads UTF-16 and Big5 files and XLSX workbooks', async () => {
    const csv = 'account_code\tname\tname_zh\nB5-1\tBig Five Ltd\t大五有限公司\n';
    const big5 = await service.runImport({ filePath: file(iconv.encode(csv, 'big5')), entity: 'accounts' });
    expect(big5).toMatchObject({ inserted: 1, rejected: 0 });
    const utf16 = await service.runImport({
      filePath: file(
        Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(csv.replace('B5-1', 'U16-1'), 'utf-16le')]),
      ),
      entity: 'accounts',
    });
    expect(utf16).toMatchObject({ inserted: 1, rejected: 0 });
    const names = await database.db
      .selectFrom('accounts')
      .select('name_zh')
      .where('code', 'in', ['B5-1', 'U16-1'])
      .execute();
    expect(names.map((n) => n.name_zh)).toEqual(['大五有限公司', '大五有限公司']);

    // Its own accounts, so the test passes alone too (-t), not only after the tests above.
    await insertAccount(database.db, { code: 'XLA-1' });
    await insertAccount(database.db, { code: 'XLA-2' });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sales');
    sheet.addRow(['Invoice No', 'Customer Code', 'Invoice Date', 'Amount (HKD)']);
    sheet.addRow(['XL-1', 'XLA-1', new Date(Date.UTC(2026, 2, 1, 9, 15)), 1500]);
    sheet.addRow(['XL-2', 'XLA-2', '02/03/2026', { formula: '1+1', result: 2 }]);
    sheet.addRow([]);
    sheet.addRow(['XL-3', 'NO-SUCH', '2026-03-03', 3]);
    // A file of this run's own (not one fixed path that the PGlite and PostgreSQL runs both write).
    const path = file(Buffer.from(await workbook.xlsx.writeBuffer()), 'xlsx');
    const xlsx = await service.runImport({ filePath: path, entity: 'transactions' });
    expect(xlsx).toMatchObject({ inserted: 2, rejected: 1 });
    const rows = await database.db
      .selectFrom('transactions')
      .select(['external_id', 'amount', 'occurred_at'])
      .where('external_id', 'like', 'XL-%')
      .orderBy('external_id')
      .execute();
    expect(rows.map((r) => [r.external_id, r.amount, new Date(r.occurred_at).toISOString()])).toEqual([
      ['XL-1', '1500.00', '2026-03-01T01:15:00.000Z'],
      ['XL-2', '2.00', '2026-03-01T16:00:00.000Z'],
    ]);
    const again = await service.runImport({ filePath: path, entity: 'transactions' });
    expect(again).toMatchObject({ inserted: 0, unchanged: 2, rejected: 1 });
  });

  it('dry-runs without storing anything, and refuses a file without the required columns', async () => {
    const before = await database.db
      .selectFrom('transactions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const csv = 'transaction_id,account_code,occurred_at,amount\nDRY-1,ACC-1,2026-01-01,5\nDRY-2,NOPE,2026-01-01,5\n';
    const dry = await service.runImport({ filePath: file(csv), entity: 'transactions', dryRun: true });
    expect(dry).toMatchObject({ importId: null, dryRun: true, inserted: 1, rejected: 1 });
    const after = await database.db
      .selectFrom('transactions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    await expect(
      service.runImport({ filePath: file('code,amount\nA,1\n'), entity: 'transactions' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('transaction_id'),
    });
  });

  it('reports a duplicate key within a batch and keeps the later row', async () => {
    const csv = 'transaction_id,account_code,occurred_at,amount\nDUP-1,ACC-1,2026-01-01,5\nDUP-1,ACC-1,2026-01-01,6\n';
    const result = await service.runImport({ filePath: file(csv), entity: 'transactions' });
    expect(result).toMatchObject({ inserted: 1, rejected: 1 });
    const row = await database.db
      .selectFrom('transactions')
      .select('amount')
      .where('external_id', '=', 'DUP-1')
      .executeTakeFirstOrThrow();
    expect(row.amount).toBe('6.00');
  });

  it('previews the first rows with the guessed mapping and the problems', async () => {
    const preview = await service.preview({ filePath: file(transactionsCsv()), entity: 'transactions' });
    expect(preview.mapping.columns).toMatchObject({
      交易編號: 'transaction_id',
      客戶編號: 'account_code',
      日期: 'occurred_at',
      金額: 'amount',
    });
    expect(preview.missingRequired).toEqual([]);
    expect(preview.rows).toHaveLength(7);
    expect(preview.problems.map((p) => p.row)).toEqual([6, 7, 8]);
    expect(preview.dateOrder).toBe('conflicting');
  });

  it('exports accounts and transactions as CSV and XLSX that import again unchanged', async () => {
    const { PassThrough } = await import('node:stream');
    const collect = async (entity: 'accounts' | 'transactions', format: 'csv' | 'xlsx') => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      const request: ExportRequest =
        entity === 'accounts'
          ? { entity, filter: emptyAccountFilter }
          : { entity, query: { format, include_archived: false } };
      await service.exportTo(request, format, out);
      return Buffer.concat(chunks);
    };
    const csv = await collect('transactions', 'csv');
    const text = csv.toString('utf8');
    expect(text).toContain('transaction_id,account_code,occurred_at,amount');
    expect(text).toContain('-100');
    const reimport = await service.runImport({ filePath: file(csv), entity: 'transactions' });
    expect(reimport.rejected).toBe(0);
    expect(reimport.inserted + reimport.updated).toBe(0);
    const xlsx = await collect('accounts', 'xlsx');
    const reimportXlsx = await service.runImport({ filePath: file(xlsx, 'xlsx'), entity: 'accounts' });
    expect(reimportXlsx).toMatchObject({ inserted: 0, updated: 0, rejected: 0 });
  });
});
