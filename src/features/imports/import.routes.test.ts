import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { databaseKinds } from '../../testing/databases.js';
import { insertAccount } from '../../testing/factories.js';

/** A multipart/form-data body by hand (what a browser's FormData sends). */
function multipart(fields: Record<string, string>, file?: { name: string; content: string | Buffer }) {
  const boundary = `----rapport${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const csv = [
  'Invoice No,Customer Code,Date,Amount',
  'R-1,RT-1,31/12/2025,100.00',
  'R-2,RT-1,01/01/2026,=HYPERLINK("http://evil")',
  'R-3,NOPE,01/01/2026,5',
  'R-4,RT-1,2026-01-02,-20',
].join('\n');

async function waitFor(t: TestApp, id: number) {
  for (let i = 0; i < 200; i += 1) {
    const response = await t.app.inject({ url: `/api/imports/${id}` });
    const body = response.json<{ status: string }>();
    if (body.status !== 'running') return body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('import did not finish');
}

for (const kind of databaseKinds) {
  describe(`imports routes [${kind}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
      await insertAccount(t.database.db, { code: 'RT-1', name_en: '=cmd|calc Trading' });
    });
    afterAll(() => t.close());

    it('uploads a file, imports it in the background, and serves progress, history and the error report', async () => {
      const response = await t.app.inject({ method: 'POST', url: '/api/imports', ...multipart({ entity: 'transactions' }, { name: 'sales.csv', content: csv }) });
      expect(response.statusCode).toBe(202);
      const started = response.json<{ importId: number; fileName: string }>();
      expect(started).toMatchObject({ fileName: 'sales.csv' });
      const done = await waitFor(t, started.importId);
      expect(done).toMatchObject({ status: 'completed', inserted: 2, rejected: 2, rowsDone: 4, errorsFile: `/api/imports/${started.importId}/errors` });

      const history = await t.app.inject({ url: '/api/imports' });
      expect(history.json<{ items: { importId: number }[] }>().items[0]?.importId).toBe(started.importId);

      const errors = await t.app.inject({ url: `/api/imports/${started.importId}/errors` });
      expect(errors.statusCode).toBe(200);
      expect(errors.headers['content-type']).toContain('text/csv');
      const lines = errors.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines).toEqual([
        'row,column,value,message',
        `3,Amount,"'=HYPERLINK(""http://evil"")","amount ""=HYPERLINK(""http://evil"")"" is not a number"`,
        '4,Customer Code,NOPE,account NOPE does not exist',
      ]);

      const again = await t.app.inject({ method: 'POST', url: '/api/imports', ...multipart({ entity: 'transactions' }, { name: 'sales.csv', content: csv }) });
      expect(await waitFor(t, again.json<{ importId: number }>().importId)).toMatchObject({ inserted: 0, unchanged: 2, rejected: 2 });
    });

    it('previews an upload with the guessed mapping and refuses bad requests clearly', async () => {
      const preview = await t.app.inject({ method: 'POST', url: '/api/imports/preview', ...multipart({ entity: 'transactions' }, { name: 'sales.csv', content: csv }) });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toMatchObject({
        format: 'csv',
        delimiter: ',',
        mapping: { columns: { 'Invoice No': 'transaction_id', 'Customer Code': 'account_code', Date: 'occurred_at', Amount: 'amount' } },
        missingRequired: [],
        problems: [{ row: 3, column: 'Amount' }],
      });
      const noEntity = await t.app.inject({ method: 'POST', url: '/api/imports', ...multipart({}, { name: 'a.csv', content: csv }) });
      expect(noEntity.statusCode).toBe(400);
      expect(noEntity.json()).toMatchObject({ code: 'validation_failed', details: { parameter: 'entity' } });
      const noFile = await t.app.inject({ method: 'POST', url: '/api/imports', ...multipart({ entity: 'accounts' }) });
      expect(noFile.statusCode).toBe(400);
      const noColumns = await t.app.inject({ method: 'POST', url: '/api/imports', ...multipart({ entity: 'accounts' }, { name: 'a.csv', content: 'foo,bar\n1,2\n' }) });
      expect(noColumns.statusCode).toBe(400);
      expect(noColumns.json<{ message: string }>().message).toContain('account_code');
      expect((await t.app.inject({ url: '/api/imports/999999' })).statusCode).toBe(404);
    });

    it('saves, reuses, renames and deletes column mappings', async () => {
      const body = { name: 'Old ERP', entity: 'transactions', mapping: { columns: { 'Inv#': 'transaction_id', Cust: 'account_code', When: 'occurred_at', HKD: 'amount' } } };
      const created = await t.app.inject({ method: 'POST', url: '/api/import-mappings', payload: body });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: number }>().id;
      expect((await t.app.inject({ method: 'POST', url: '/api/import-mappings', payload: body })).statusCode).toBe(409);
      const file = 'Inv#,Cust,When,HKD\nM-1,RT-1,2026-02-01,10\n';
      const run = await t.app.inject({ method: 'POST', url: '/api/imports', ...multipart({ entity: 'transactions', mappingId: String(id) }, { name: 'erp.csv', content: file }) });
      expect(await waitFor(t, run.json<{ importId: number }>().importId)).toMatchObject({ inserted: 1 });
      const renamed = await t.app.inject({ method: 'PUT', url: `/api/import-mappings/${id}`, payload: { ...body, name: 'ERP 2019' } });
      expect(renamed.json()).toMatchObject({ name: 'ERP 2019', mapping: { dateFormat: 'DMY' } });
      expect((await t.app.inject({ url: '/api/import-mappings' })).json<{ items: unknown[] }>().items).toHaveLength(1);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/import-mappings/${id}` })).statusCode).toBe(204);
      expect((await t.app.inject({ url: `/api/import-mappings/${id}` })).statusCode).toBe(404);
    });

    it('exports CSV and XLSX with formula-like cells neutralised and no formulas', async () => {
      const response = await t.app.inject({ url: '/api/exports/accounts?format=csv&q=calc' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-disposition']).toContain('accounts.csv');
      const lines = response.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^RT-1,'=cmd\|calc Trading,/);

      const transactions = await t.app.inject({ url: '/api/exports/transactions?format=csv&account_code=RT-1' });
      expect(transactions.body).toContain('R-4,RT-1,2026-01-01T16:00:00.000Z,-20,HKD');

      const xlsx = await t.app.inject({ url: '/api/exports/accounts?format=xlsx&q=calc' });
      expect(xlsx.statusCode).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const cell = workbook.worksheets[0]!.getRow(2).getCell(2);
      expect(cell.value).toBe("'=cmd|calc Trading");
      expect(cell.formula).toBeUndefined();
      expect((await t.app.inject({ url: '/api/exports/users' })).statusCode).toBe(400);
    });
  });
}
