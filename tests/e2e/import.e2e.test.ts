import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, seedDemoUsers } from '../../src/features/auth/index.js';
import { hasChromium, launchBrowser, screenshotDir, seedAccounts, startApp, type RunningApp } from './support.js';

/**
 * The import wizard in a real browser: a freight system's CSV with a Chinese header and a few bad rows is
 * uploaded, one column mapped by hand and the mapping saved, the problems seen on their cells, the import run,
 * the counts and the error report checked; the corrected file, imported with the saved mapping, adds the fixed
 * rows and updates the changed one without a single duplicate. The history lists both.
 */
const demoAdmin = { email: 'admin@demo.rapport.hk', password: demoPassword };

const header = 'Job No,客戶編號,Inv Date,金額 (HKD),TEU,Service,Remarks';
const firstFile = [
  header,
  'JOB-1001,FF-0001,05/01/2026,"12,500.00",2,sea,',
  'JOB-1002,FF-0002,12/01/2026,8800,1,sea,',
  'JOB-1003,FF-0003,20/01/2026,"3,200.50",,air,urgent',
  'JOB-1004,FF-0001,31/02/2026,4100,1,sea,bad date',
  'JOB-1005,FF-0002,03/02/2026,abc,1,sea,bad amount',
  'JOB-1006,NOPE-9,10/02/2026,990,1,sea,unknown customer',
  'JOB-1007,FF-0003,15/02/2026,15000,3,sea,',
  'JOB-1008,FF-0001,28/02/2026,"22,000",4,sea,',
].join('\r\n');
// The three bad rows fixed, JOB-1008's amount changed, the rest as before.
const fixedFile = [
  header,
  'JOB-1001,FF-0001,05/01/2026,"12,500.00",2,sea,',
  'JOB-1002,FF-0002,12/01/2026,8800,1,sea,',
  'JOB-1003,FF-0003,20/01/2026,"3,200.50",,air,urgent',
  'JOB-1004,FF-0001,28/02/2026,4100,1,sea,date fixed',
  'JOB-1005,FF-0002,03/02/2026,5600,1,sea,amount fixed',
  'JOB-1006,FF-0002,10/02/2026,990,1,sea,customer fixed',
  'JOB-1007,FF-0003,15/02/2026,15000,3,sea,',
  'JOB-1008,FF-0001,28/02/2026,"23,500",4,sea,re-invoiced',
].join('\r\n');

describe.skipIf(!hasChromium)('the import wizard in the browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const shot = async (name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
  };
  const choose = async (testId: string, option: string | RegExp) => {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option }).click();
  };
  const upload = (name: string, content: string) =>
    page
      .locator('input[type="file"]')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content, 'utf8') });
  const count = (testId: string) => page.getByTestId(testId).innerText();
  const jobRows = async () =>
    Number(
      (
        await sql<{ n: number }>`select count(*)::int as n from transactions where external_id like 'JOB-%'`.execute(
          running.db,
        )
      ).rows[0]?.n,
    );

  beforeAll(async () => {
    running = await startApp(async (db) => {
      await seedAccounts(db, 0);
      await seedDemoUsers({ db });
    });
    browser = await launchBrowser();
    context = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.close();
  });

  it('opens from the customers list after signing in', async () => {
    await page.goto(`${running.baseUrl}/customers`);
    await page.waitForURL('**/sign-in?next=*');
    await page.getByTestId('sign-in-email').fill(demoAdmin.email);
    await page.getByTestId('sign-in-password').fill(demoAdmin.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL('**/customers');
    await page.getByTestId('open-import').click();
    await page.waitForURL('**/customers/import');
    await expect.poll(() => page.getByRole('heading', { level: 2 }).innerText()).toBe('Import');
    await expect.poll(() => page.title()).toBe('Import · Rapport');
  });

  it('reads the file and guesses the columns from English and Chinese headers; one is mapped by hand', async () => {
    await upload('freight-jobs-2026.csv', firstFile);
    await page.getByTestId('import-read').click();
    await expect.poll(() => page.getByTestId('mapping-row').count()).toBe(7);
    // 客戶編號 was recognised as the customer code, 金額 (HKD) as the amount; Inv Date and TEU were not.
    expect(await page.getByTestId('mapping-select-1').inputValue()).toBe('Customer code (account_code) *');
    expect(await page.getByTestId('mapping-select-3').inputValue()).toBe('Amount (amount) *');
    expect(await page.getByTestId('mapping-select-2').inputValue()).toBe('Not imported');
    expect(await page.getByTestId('mapping-missing').innerText()).toContain('Date (occurred_at)');
    expect(await page.getByTestId('import-preview').isDisabled()).toBe(true);
    await shot('import-mapping-guessed-en.png');

    await choose('mapping-select-2', 'Date (occurred_at) *');
    await choose('mapping-select-4', 'Quantity (volume) (quantity)');
    expect(await page.getByTestId('mapping-missing').count()).toBe(0);
    expect(await page.getByTestId('mapping-summary').innerText()).toBe('6 columns will be imported, 1 left out.');

    await page.getByTestId('mapping-name').fill('Freight system jobs');
    await page.getByTestId('mapping-save').click();
    await expect.poll(() => page.getByTestId('mapping-saved').innerText()).toBe('Saved as “Freight system jobs”.');
    await shot('import-mapping-en.png');
  });

  it('previews the first rows with each problem on its cell', async () => {
    await page.getByTestId('import-preview').click();
    await expect.poll(() => page.getByTestId('preview-row').count()).toBe(8);
    expect(await page.getByTestId('preview-summary').innerText()).toContain('2 of the first 8 rows have problems');
    const bad = page.locator('[data-testid="preview-table"] td[data-problem]');
    expect(await bad.count()).toBe(2);
    expect(await bad.nth(0).getAttribute('data-problem')).toMatch(/31/);
    expect(await bad.nth(0).innerText()).toBe('31/02/2026');
    expect(await bad.nth(1).innerText()).toBe('abc');
    expect(await page.getByTestId('preview-problems').locator('tbody tr').count()).toBe(2);
    await bad.nth(0).hover();
    await expect.poll(() => page.getByRole('tooltip').count()).toBe(1);
    await shot('import-preview-en.png');
  });

  it('runs the import and shows the counts and the error report', async () => {
    await page.getByTestId('import-run-button').click();
    await expect.poll(() => page.getByTestId('import-status').textContent(), { timeout: 20_000 }).toBe('Completed');
    expect(await count('result-inserted')).toBe('5');
    expect(await count('result-updated')).toBe('0');
    expect(await count('result-unchanged')).toBe('0');
    expect(await count('result-rejected')).toBe('3');
    await shot('import-result-en.png');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('error-report').click()]);
    const report = await readFile(await download.path(), 'utf8');
    const lines = report
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('row,column,value,message');
    expect(lines).toHaveLength(4);
    expect(report).toContain('5,Inv Date,31/02/2026,');
    expect(report).toContain('6,金額 (HKD),abc,');
    expect(report).toMatch(/7,客戶編號,NOPE-9,.*NOPE-9/);
    expect(await jobRows()).toBe(5);
  });

  it('imports the corrected file with the saved mapping: the fixed rows are added, the changed one updated, no duplicates', async () => {
    await page.getByTestId('import-again').click();
    await upload('freight-jobs-2026-fixed.csv', fixedFile);
    await choose('import-saved-mapping', 'Freight system jobs');
    await page.getByTestId('import-read').click();
    await expect.poll(() => page.getByTestId('mapping-row').count()).toBe(7);
    expect(await page.getByTestId('mapping-select-2').inputValue()).toBe('Date (occurred_at) *');
    expect(await page.getByTestId('mapping-select-4').inputValue()).toBe('Quantity (volume) (quantity)');
    await page.getByTestId('import-preview').click();
    await expect.poll(() => page.getByTestId('preview-summary').innerText()).toBe('The first 8 rows have no problems.');
    await page.getByTestId('import-run-button').click();
    await expect.poll(() => page.getByTestId('import-status').textContent(), { timeout: 20_000 }).toBe('Completed');
    expect(await count('result-inserted')).toBe('3');
    expect(await count('result-updated')).toBe('1');
    expect(await count('result-unchanged')).toBe('4');
    expect(await count('result-rejected')).toBe('0');
    expect(await page.getByTestId('error-report').count()).toBe(0);
    await shot('import-fixed-result-en.png');
    expect(await jobRows()).toBe(8);
    const amount = await sql<{
      amount: string;
    }>`select amount::text from transactions where external_id = 'JOB-1008'`.execute(running.db);
    expect(amount.rows[0]?.amount).toBe('23500.00');
  });

  it('lists both imports in the history, newest first, in English and Traditional Chinese', async () => {
    await page.goto(`${running.baseUrl}/customers/imports`);
    await expect.poll(() => page.getByTestId('import-row').count()).toBe(2);
    const rows = (await page.getByTestId('import-row').allInnerTexts()).map((row) => row.replace(/\s+/g, ' '));
    // Who started each import (the signed-in demo admin), then the file and what it did.
    expect(rows[0]).toMatch(/Demo admin freight-jobs-2026-fixed\.csv Transactions Completed 3 1 4 0 —$/i);
    expect(rows[1]).toMatch(/Demo admin freight-jobs-2026\.csv Transactions Completed 5 0 0 3 Download$/i);
    await shot('import-history-en.png');
    await page.getByText('繁體中文').click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).innerText()).toBe('匯入紀錄');
    expect(await page.getByTestId('import-row').first().innerText()).toContain('已完成');
    await shot('import-history-zh-Hant.png');
    await page.getByTestId('import-row').nth(1).click();
    await page.waitForURL(/\/customers\/imports\/\d+$/);
    await expect.poll(() => count('result-rejected')).toBe('3');
    expect(await page.getByTestId('error-report').innerText()).toBe('下載錯誤報告（CSV）');
  });

  it('exports the customers list with its search as CSV', async () => {
    await page.goto(`${running.baseUrl}/customers?q=Pacific`);
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(1);
    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toBe('accounts.csv');
    const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^account_code,name,name_zh,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^FF-0001,Pacific Harbour Logistics Ltd,太平洋海港物流有限公司,/);
  });

  it('walks the wizard in Traditional Chinese', async () => {
    await page.goto(`${running.baseUrl}/customers/import`);
    await expect.poll(() => page.getByRole('heading', { level: 2 }).innerText()).toBe('匯入');
    await upload('freight-jobs-2026.csv', firstFile);
    await page.getByTestId('import-read').click();
    await expect.poll(() => page.getByTestId('mapping-row').count()).toBe(7);
    expect(await page.getByTestId('mapping-select-1').inputValue()).toBe('客戶編號 (account_code) *');
    expect(await page.getByTestId('mapping-missing').innerText()).toContain(
      '請為以下欄位選擇檔案中的一欄：日期 (occurred_at)',
    );
    await choose('mapping-use-saved', 'Freight system jobs');
    expect(await page.getByTestId('mapping-select-2').inputValue()).toBe('日期 (occurred_at) *');
    await shot('import-mapping-zh-Hant.png');
    await page.getByTestId('import-preview').click();
    await expect.poll(() => page.getByTestId('preview-summary').innerText()).toContain('首 8 行中有 2 行有問題');
    await shot('import-preview-zh-Hant.png');
    await page.getByText('English', { exact: true }).click();
  });
});
