import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createAuthTestApp, type AuthTestApp } from '../../testing/auth.js';
import { databaseKinds } from '../../testing/databases.js';
import { insertAccount } from '../../testing/factories.js';
import { fixedClock } from '../../shared/clock.js';
import { importRoutes } from './import.routes.js';
import { createImportService, type ImportService } from './import.service.js';

/** The import routes behind the real security plugin, with a signed-in admin (and other roles where said). */
interface TestApp {
  app: AuthTestApp['app'];
  database: AuthTestApp['database'];
  harness: AuthTestApp;
  inject: AuthTestApp['app']['inject'];
  close(): Promise<void>;
}

async function createTestApp(kind: (typeof databaseKinds)[number]): Promise<TestApp> {
  let service: ImportService | null = null;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the service's methods are closures, not this-bound
  const lazy = new Proxy({} as ImportService, { get: (_target, key) => service![key as keyof ImportService] });
  const harness = await createAuthTestApp(kind, { routes: importRoutes(lazy) });
  service = createImportService({ database: harness.database, clock: fixedClock('2026-11-24T02:00:00Z') });
  const admin = await harness.user('admin');
  const inject = ((options: Record<string, unknown>) =>
    harness.app.inject({
      ...options,
      headers: { ...admin.headers, ...((options.headers as Record<string, string>) ?? {}) },
    })) as unknown as AuthTestApp['app']['inject'];
  return { app: harness.app, database: harness.database, harness, inject, close: () => harness.close() };
}

/** A multipart/form-data body by hand (what a browser's FormData sends). */
function multipart(fields: Record<string, string>, file?: { name: string; content: string | Buffer }) {
  const boundary = `----rapport${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
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
    const response = await t.inject({ url: `/api/imports/${id}` });
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
      const response = await t.inject({
        method: 'POST',
        url: '/api/imports',
        ...multipart({ entity: 'transactions' }, { name: 'sales.csv', content: csv }),
      });
      expect(response.statusCode).toBe(202);
      const started = response.json<{ importId: number; fileName: string }>();
      expect(started).toMatchObject({ fileName: 'sales.csv' });
      const done = await waitFor(t, started.importId);
      expect(done).toMatchObject({
        status: 'completed',
        inserted: 2,
        rejected: 2,
        rowsDone: 4,
        errorsFile: `/api/imports/${started.importId}/errors`,
      });

      const history = await t.inject({ url: '/api/imports' });
      expect(history.json<{ items: { importId: number }[] }>().items[0]?.importId).toBe(started.importId);

      const errors = await t.inject({ url: `/api/imports/${started.importId}/errors` });
      expect(errors.statusCode).toBe(200);
      expect(errors.headers['content-type']).toContain('text/csv');
      const lines = errors.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines).toEqual([
        'row,column,value,message',
        `3,Amount,"'=HYPERLINK(""http://evil"")","amount ""=HYPERLINK(""http://evil"")"" is not a number"`,
        '4,Customer Code,NOPE,account NOPE does not exist',
      ]);

      const again = await t.inject({
        method: 'POST',
        url: '/api/imports',
        ...multipart({ entity: 'transactions' }, { name: 'sales.csv', content: csv }),
      });
      expect(await waitFor(t, again.json<{ importId: number }>().importId)).toMatchObject({
        inserted: 0,
        unchanged: 2,
        rejected: 2,
      });
    });

    it('previews an upload with the guessed mapping and refuses bad requests clearly', async () => {
      const preview = await t.inject({
        method: 'POST',
        url: '/api/imports/preview',
        ...multipart({ entity: 'transactions' }, { name: 'sales.csv', content: csv }),
      });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toMatchObject({
        format: 'csv',
        delimiter: ',',
        mapping: {
          columns: {
            'Invoice No': 'transaction_id',
            'Customer Code': 'account_code',
            Date: 'occurred_at',
            Amount: 'amount',
          },
        },
        missingRequired: [],
        problems: [{ row: 3, column: 'Amount' }],
      });
      const noEntity = await t.inject({
        method: 'POST',
        url: '/api/imports',
        ...multipart({}, { name: 'a.csv', content: csv }),
      });
      expect(noEntity.statusCode).toBe(400);
      expect(noEntity.json()).toMatchObject({ code: 'validation_failed', details: { parameter: 'entity' } });
      const noFile = await t.inject({ method: 'POST', url: '/api/imports', ...multipart({ entity: 'accounts' }) });
      expect(noFile.statusCode).toBe(400);
      const noColumns = await t.inject({
        method: 'POST',
        url: '/api/imports',
        ...multipart({ entity: 'accounts' }, { name: 'a.csv', content: 'foo,bar\n1,2\n' }),
      });
      expect(noColumns.statusCode).toBe(400);
      expect(noColumns.json<{ message: string }>().message).toContain('account_code');
      expect((await t.inject({ url: '/api/imports/999999' })).statusCode).toBe(404);
    });

    it('saves, reuses, renames and deletes column mappings', async () => {
      const body = {
        name: 'Old ERP',
        entity: 'transactions',
        mapping: { columns: { 'Inv#': 'transaction_id', Cust: 'account_code', When: 'occurred_at', HKD: 'amount' } },
      };
      const created = await t.inject({ method: 'POST', url: '/api/import-mappings', payload: body });
      expect(created.statusCode).toBe(201);
      const id = created.json<{ id: number }>().id;
      expect((await t.inject({ method: 'POST', url: '/api/import-mappings', payload: body })).statusCode).toBe(409);
      const file = 'Inv#,Cust,When,HKD\nM-1,RT-1,2026-02-01,10\n';
      const run = await t.inject({
        method: 'POST',
        url: '/api/imports',
        ...multipart({ entity: 'transactions', mappingId: String(id) }, { name: 'erp.csv', content: file }),
      });
      expect(await waitFor(t, run.json<{ importId: number }>().importId)).toMatchObject({ inserted: 1 });
      const renamed = await t.inject({
        method: 'PUT',
        url: `/api/import-mappings/${id}`,
        payload: { ...body, name: 'ERP 2019' },
      });
      expect(renamed.json()).toMatchObject({ name: 'ERP 2019', mapping: { dateFormat: 'DMY' } });
      expect((await t.inject({ url: '/api/import-mappings' })).json<{ items: unknown[] }>().items).toHaveLength(1);
      expect((await t.inject({ method: 'DELETE', url: `/api/import-mappings/${id}` })).statusCode).toBe(204);
      expect((await t.inject({ url: `/api/import-mappings/${id}` })).statusCode).toBe(404);
    });

    it('refuses without credentials, and a role without the import or export permission', async () => {
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/imports' });
      expect(anonymous.statusCode).toBe(401);
      const viewer = await t.harness.user('viewer');
      const upload = multipart({ entity: 'transactions' }, { name: 'sales.csv', content: csv });
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: upload.payload,
        headers: { ...upload.headers, ...viewer.headers },
      });
      expect(refused.statusCode).toBe(403);
      const analyst = await t.harness.user('analyst');
      const accounts = multipart({ entity: 'accounts' }, { name: 'a.csv', content: 'account_code,name\nX,Y\n' });
      const noAccountImport = await t.app.inject({
        method: 'POST',
        url: '/api/imports',
        payload: accounts.payload,
        headers: { ...accounts.headers, ...analyst.headers },
      });
      expect(noAccountImport.statusCode).toBe(403);
      expect(noAccountImport.json<{ message: string }>().message).toContain('import accounts');
    });

    it('scopes the history, progress and error report by who started each import: own, team, all; 404 outside', async () => {
      const { harness } = t;
      const north = await harness.user('analyst', { team: 'North' });
      const south = await harness.user('analyst', { team: 'South' });
      const manager = await harness.user('manager', { team: 'North' });
      const auditor = await harness.user('auditor');
      const sales = await harness.user('sales', { team: 'North' });
      const as =
        (user: { headers: Record<string, string> }) =>
        (options: { method?: 'GET' | 'POST'; url: string; payload?: Buffer; headers?: Record<string, string> }) =>
          harness.app.inject({ ...options, headers: { ...user.headers, ...(options.headers ?? {}) } });
      const upload = async (user: { headers: Record<string, string> }, name: string, prefix: string) => {
        const content = csv.replace(/R-(\d)/g, `${prefix}-$1`);
        const response = await as(user)({
          method: 'POST',
          url: '/api/imports',
          ...multipart({ entity: 'transactions' }, { name, content }),
        });
        expect(response.statusCode).toBe(202);
        const id = response.json<{ importId: number }>().importId;
        for (let i = 0; i < 200; i += 1) {
          const body = (await as(user)({ url: `/api/imports/${id}` })).json<{ status: string }>();
          if (body.status !== 'running') break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        return id;
      };
      const northId = await upload(north, 'north.csv', 'N');
      const southId = await upload(south, 'south.csv', 'S');
      // An import from the command line belongs to no one.
      const cli = await t.database.db
        .insertInto('imports')
        .values({ entity: 'accounts', file_name: 'cli.csv', file_hash: 'cli', format: 'csv', mapping: '{}' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const cliId = Number(cli.id);

      const ids = async (user: { headers: Record<string, string> }) => {
        const response = await as(user)({ url: '/api/imports?limit=500' });
        expect(response.statusCode).toBe(200);
        return response.json<{ items: { importId: number; startedBy: { id: number; name: string } | null }[] }>().items;
      };
      // own: the analyst's imports only, with who started them.
      expect(await ids(north)).toEqual([
        expect.objectContaining({ importId: northId, startedBy: { id: north.user.id, name: north.user.displayName } }),
      ]);
      expect((await ids(south)).map((item) => item.importId)).toEqual([southId]);
      // team: the manager sees the North analyst's import, not the South one's nor the command line's.
      expect((await ids(manager)).map((item) => item.importId)).toEqual([northId]);
      // all: every import, the command line's with no one as its starter.
      for (const user of [auditor]) {
        const items = await ids(user);
        expect(items.map((item) => item.importId)).toEqual(expect.arrayContaining([northId, southId, cliId]));
        expect(items.find((item) => item.importId === cliId)?.startedBy).toBeNull();
      }
      const adminItems = (await t.inject({ url: '/api/imports?limit=500' })).json<{ items: { importId: number }[] }>()
        .items;
      expect(adminItems.map((item) => item.importId)).toEqual(expect.arrayContaining([northId, southId, cliId]));

      // Outside the scope an import answers exactly as one that does not exist.
      const missing = await as(north)({ url: '/api/imports/999999' });
      expect(missing.json()).toEqual({ code: 'not_found', message: 'Import 999999 does not exist.' });
      for (const [user, id] of [
        [north, southId],
        [north, cliId],
        [south, northId],
        [manager, southId],
        [manager, cliId],
      ] as const) {
        for (const url of [`/api/imports/${id}`, `/api/imports/${id}/errors`]) {
          const response = await as(user)({ url });
          expect(response.statusCode, url).toBe(404);
          expect(response.json()).toEqual({ code: 'not_found', message: `Import ${id} does not exist.` });
        }
      }
      for (const [user, id] of [
        [north, northId],
        [manager, northId],
        [auditor, southId],
        [auditor, cliId],
      ] as const) {
        expect((await as(user)({ url: `/api/imports/${id}` })).statusCode).toBe(200);
      }
      expect((await as(manager)({ url: `/api/imports/${northId}/errors` })).statusCode).toBe(200);
      // A role without imports at all is refused.
      expect((await as(sales)({ url: '/api/imports' })).statusCode).toBe(403);
    });

    it('exports CSV and XLSX with formula-like cells neutralised and no formulas', async () => {
      const response = await t.inject({ url: '/api/exports/accounts?format=csv&q=calc' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-disposition']).toContain('accounts.csv');
      const lines = response.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^RT-1,'=cmd\|calc Trading,/);

      const transactions = await t.inject({ url: '/api/exports/transactions?format=csv&account_code=RT-1' });
      expect(transactions.body).toContain('R-4,RT-1,2026-01-01T16:00:00.000Z,-20,HKD');

      const xlsx = await t.inject({ url: '/api/exports/accounts?format=xlsx&q=calc' });
      expect(xlsx.statusCode).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const cell = workbook.worksheets[0]!.getRow(2).getCell(2);
      expect(cell.value).toBe("'=cmd|calc Trading");
      expect(cell.formula).toBeUndefined();
      expect((await t.inject({ url: '/api/exports/users' })).statusCode).toBe(404);

      // A role whose contacts are masked gets empty email and phone columns.
      await t.database.db
        .insertInto('contacts')
        .values({
          account_id: (
            await t.database.db.selectFrom('accounts').select('id').where('code', '=', 'RT-1').executeTakeFirstOrThrow()
          ).id,
          name: 'Karen',
          email: 'karen@x.hk',
          phone: '+85291234567',
        })
        .execute();
      const full = await t.inject({ url: '/api/exports/contacts' });
      expect(full.body).toContain("karen@x.hk,'+85291234567");
    });
  });
}
