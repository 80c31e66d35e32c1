import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, seedDemoUsers } from '../../src/features/auth/index.js';
import {
  hasChromium,
  launchBrowser,
  namedAccounts,
  screenshotDir,
  seedAccounts,
  startApp,
  type RunningApp,
} from './support.js';

/**
 * The customers flow in a real browser against the real server: list, search, sort, load more,
 * open an account, switch to 繁體中文 (remembered across a reload), errors and an unbuilt area.
 */
const fillerAccounts = 50;
/** The demo admin (seedDemoUsers): admins see every account. */
const demoAdmin = { email: 'admin@demo.rapport.hk', password: demoPassword };
const totalAccounts = namedAccounts.length + fillerAccounts;

describe.skipIf(!hasChromium)('customers in the browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const rows = () => page.getByTestId('customer-row');
  const headerTexts = () => page.locator('[data-testid="customers-table"] thead th').allInnerTexts();

  beforeAll(async () => {
    running = await startApp(async (db) => {
      await seedAccounts(db, fillerAccounts);
      await seedDemoUsers({ db });
      // One custom field and a needs profile for the filter panel.
      await sql`insert into custom_field_definitions (entity, key, label_en, label_zh, type)
        values ('accounts', 'credit_terms', 'Credit terms (days)', '信貸期（日）', 'number')`.execute(db);
      await sql`update accounts set custom = '{"credit_terms": 60}', status = 'prospect',
        needs = '{"servicesUsed": ["sea"], "requirements": null, "choiceFactors": []}'
        where code in ('FF-0002', 'FF-0003')`.execute(db);
      await sql`update accounts set custom = '{"credit_terms": 30}' where code = 'FF-0001'`.execute(db);
    });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 860 } });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.close();
  });

  it('sends a visitor to the sign-in page, which answers a wrong password generically', async () => {
    await page.goto(running.baseUrl);
    await page.waitForURL('**/sign-in?next=*');
    await expect.poll(() => page.title()).toBe('Sign in · Rapport');
    await page.getByTestId('sign-in-email').fill(demoAdmin.email);
    await page.getByTestId('sign-in-password').fill('not the password');
    await page.getByTestId('sign-in-submit').click();
    await expect
      .poll(() => page.getByTestId('sign-in-error').innerText())
      .toContain('e-mail or password is not correct');
    await page.screenshot({ path: join(screenshotDir, 'sign-in-en.png') });
  });

  it('opens on the customers list in English, sorted by name, 50 to a page', async () => {
    await page.getByTestId('sign-in-password').fill(demoAdmin.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL('**/customers');
    await expect.poll(() => rows().count()).toBe(50);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => page.title()).toBe('Customers · Rapport');
    expect(await headerTexts()).toEqual(
      ['Code ▲', 'English name ▲', 'Chinese name', 'Industry', 'Group', 'Owner', 'Created ↕'].map((text) =>
        text.replace(' ▲', ' ↕').replace('English name ↕', 'English name ▲'),
      ),
    );
    const nav = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(nav).toEqual([
      'Customers',
      'Analytics',
      'Segments',
      'Strategies',
      'Key accounts',
      'Market metrics',
      'Engagement',
      'Complaints',
      'Surveys',
      'KPIs',
      'Reports',
      'Privacy',
      'Admin',
    ]);
    // Sorted by English name: "Alice Cheung" comes first.
    expect(await rows().first().innerText()).toContain('Alice Cheung');
    await expect.poll(() => page.getByTestId('customers-count').innerText()).toBe('50 customers shown');
  });

  it('loads the next page with the cursor', async () => {
    await page.getByTestId('load-more').click();
    await expect.poll(() => rows().count()).toBe(totalAccounts);
    expect(await page.getByTestId('load-more').count()).toBe(0);
    expect(await page.getByText('All matching customers are shown.').count()).toBe(1);
  });

  it('searches (debounced) over English and Chinese names, and sorts by code', async () => {
    await page.getByTestId('customer-search').fill('葵涌');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await rows().first().innerText()).toContain('Kwai Chung Container Services');
    expect(page.url()).toContain(`q=${encodeURIComponent('葵涌')}`);

    await page.getByTestId('customer-search').fill('FF-');
    await expect.poll(() => rows().count()).toBe(3);
    await page.getByRole('button', { name: /^Code/ }).click();
    await page.getByRole('button', { name: /^Code/ }).click(); // second click: descending
    await expect.poll(() => rows().first().innerText()).toContain('FF-0003');
    expect(page.url()).toContain('sort=code');
    expect(page.url()).toContain('order=desc');
    // Kwai Chung and Tsing Yi belong to the Pacific Harbour group.
    expect(await rows().nth(1).innerText()).toMatch(/FF-0002[\s\S]*FF-0001[\s\S]*Chan Tai Man/);
  });

  it('filters by industry', async () => {
    await page.getByTestId('customer-search').fill('');
    await page.getByTestId('industry-filter').click();
    await page.getByRole('option', { name: 'Retail' }).click();
    await expect.poll(() => rows().count()).toBe(2);
    expect(page.url()).toContain('industry=retail');
    expect(await rows().allInnerTexts()).toEqual([
      expect.stringContaining('RT-0002'),
      expect.stringContaining('RT-0001'),
    ]);
  });

  it('filters by status, a custom field and a service in the filter panel; the export link carries the filter', async () => {
    await page.goto(`${running.baseUrl}/customers`);
    await expect.poll(() => rows().count()).toBe(50);
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('filter-custom-credit_terms-from').fill('45');
    await page.getByTestId('filter-services').fill('sea');
    await page.getByTestId('filters-apply').click();
    await expect.poll(() => rows().count()).toBe(2);
    expect(await rows().allInnerTexts()).toEqual([
      expect.stringContaining('Kwai Chung Container Services'),
      expect.stringContaining('FF-0003'),
    ]);
    expect(page.url()).toContain(`custom.credit_terms=${encodeURIComponent('gte:45')}`);
    expect(page.url()).toContain('needs.service=sea');
    expect(await page.getByTestId('filters-toggle').innerText()).toBe('Filters (2)');
    await page.getByTestId('export-menu').click();
    const href = await page.getByTestId('export-xlsx').getAttribute('href');
    expect(href).toBe('/api/exports/accounts?format=xlsx&custom.credit_terms=gte%3A45&needs.service=sea');
    await page.keyboard.press('Escape');
    await page.screenshot({ path: join(screenshotDir, 'customers-filtered-en.png'), fullPage: true });

    // A bookmarked filtered list opens as it was; Clear + Apply shows every customer again.
    await page.goto(`${running.baseUrl}/customers?status=prospect&custom.credit_terms=lte:60`);
    await expect.poll(() => rows().count()).toBe(2);
    expect(await page.getByTestId('filter-panel').count()).toBe(1);
    await page.getByTestId('filters-clear').click();
    await page.getByTestId('filters-apply').click();
    await expect.poll(() => rows().count()).toBe(50);
    await page.waitForURL(/\/customers$/);
  });

  it('opens an account with its group and transaction totals, and goes back to the same list', async () => {
    await page.goto(`${running.baseUrl}/customers?q=Pacific`);
    await expect.poll(() => rows().count()).toBe(1);
    await rows().first().click();
    await page.waitForURL(/\/customers\/\d+$/);
    await expect.poll(() => page.getByTestId('account-name').innerText()).toBe('Pacific Harbour Logistics Ltd');
    expect(await page.getByTestId('account-transactions').innerText()).toBe('3');
    expect(await page.getByTestId('account-revenue').innerText()).toBe('1,299,000.00');
    expect(await page.getByText('Group members').locator('..').innerText()).toContain('2');
    await page.screenshot({ path: join(screenshotDir, 'account-en.png'), fullPage: true });
    await page.getByRole('link', { name: /Back to customers/ }).click();
    await page.waitForURL(/\/customers\?q=Pacific$/);
    expect(await page.getByTestId('customer-search').inputValue()).toBe('Pacific');
  });

  it('switches to 繁體中文: navigation, headers and <html lang> in Chinese, remembered after a reload', async () => {
    await page.goto(`${running.baseUrl}/customers`);
    await expect.poll(() => rows().count()).toBe(50);
    await page.screenshot({ path: join(screenshotDir, 'customers-en.png'), fullPage: true });

    await page.getByText('繁體中文').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-Hant-HK');
    const nav = await page.getByRole('navigation').getByRole('link').allInnerTexts();
    expect(nav).toEqual([
      '客戶',
      '分析',
      '客群',
      '策略',
      '重點客戶',
      '市場指標',
      '客戶互動',
      '投訴',
      '問卷調查',
      '關鍵績效指標',
      '報告',
      '私隱',
      '管理',
    ]);
    expect(await headerTexts()).toEqual([
      '編號 ↕',
      '英文名稱 ▲',
      '中文名稱',
      '行業',
      '所屬集團',
      '負責人',
      '建立日期 ↕',
    ]);
    expect(await page.getByRole('heading', { level: 2 }).innerText()).toBe('客戶');
    expect(await page.getByTestId('customers-count').innerText()).toBe('顯示 50 個客戶');
    expect(await page.getByText('載入更多').count()).toBe(1);
    await expect.poll(() => page.title()).toBe('客戶 · Rapport');
    expect(await rows().first().innerText()).toContain('汽車'); // Alice Cheung, automotive
    expect(await page.evaluate(() => localStorage.getItem('rapport.language'))).toBe('zh-Hant');
    await page.screenshot({ path: join(screenshotDir, 'customers-zh-Hant.png'), fullPage: true });

    await page.reload();
    await expect.poll(() => rows().count()).toBe(50);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hant-HK');
    expect(await headerTexts()).toContain('中文名稱');

    await page.getByTestId('customer-search').fill('太平洋');
    await expect.poll(() => rows().count()).toBe(1);
    await rows().first().click();
    await expect.poll(() => page.getByTestId('account-name').innerText()).toBe('Pacific Harbour Logistics Ltd');
    expect(await page.getByText('營業額', { exact: true }).count()).toBe(1);
    expect(await page.getByText('貨運代理', { exact: true }).count()).toBe(1);
    expect(await page.getByTestId('account-revenue').innerText()).toBe('1,299,000.00');
    await page.screenshot({ path: join(screenshotDir, 'account-zh-Hant.png'), fullPage: true });
  });

  it('shows an unbuilt area as "not built yet" with what it will hold', async () => {
    await page.getByRole('navigation').getByRole('link', { name: '投訴' }).click();
    await page.waitForURL('**/complaints');
    await expect.poll(() => page.getByRole('heading', { level: 2 }).innerText()).toBe('投訴');
    expect(await page.getByText('尚未推出', { exact: true }).count()).toBe(1);
    expect(await page.getByText(/服務水平協議/).count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'complaints-zh-Hant.png') });
  });

  it("shows the API's message when an account does not exist", async () => {
    await page.goto(`${running.baseUrl}/customers/999999`);
    await expect.poll(() => page.getByRole('alert').count()).toBe(1);
    expect(await page.getByRole('alert').innerText()).toContain('未能載入此客戶');
    expect(await page.getByTestId('error-message').innerText()).toBe('Account 999999 does not exist.');
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('Could not load this account');
    await page.waitForTimeout(400); // let the language switch's indicator finish sliding
    await page.screenshot({ path: join(screenshotDir, 'account-missing-en.png') });
  });

  it('on a phone, puts the navigation behind the menu button', async () => {
    const phone = await browser.newContext({ locale: 'zh-HK', viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      // A new browser context has no session: sign in through the API into its cookie jar.
      expect((await phone.request.post(`${running.baseUrl}/api/auth/login`, { data: demoAdmin })).status()).toBe(200);
      const small = await phone.newPage();
      // The collapsed navbar is slid off-screen, not hidden: check that the link is inside the viewport.
      const navOnScreen = async () => {
        const box = await small.getByTestId('nav-analytics').boundingBox();
        return box !== null && box.x >= 0;
      };
      await small.goto(`${running.baseUrl}/customers`);
      // No remembered choice in this context: the browser's zh-HK picks Traditional Chinese.
      await expect.poll(() => small.locator('html').getAttribute('lang')).toBe('zh-Hant-HK');
      await expect.poll(() => small.getByTestId('customer-row').count()).toBe(50);
      expect(await navOnScreen()).toBe(false);
      await small.screenshot({ path: join(screenshotDir, 'phone-customers-zh-Hant.png') });
      await small.getByRole('button', { name: '顯示或隱藏選單' }).click();
      await expect.poll(navOnScreen).toBe(true);
      await small.screenshot({ path: join(screenshotDir, 'phone-menu-zh-Hant.png') });
      await small.getByTestId('nav-analytics').click();
      await small.waitForURL('**/analytics');
      await expect.poll(navOnScreen).toBe(false);
      await small.waitForTimeout(400); // the navbar's slide-out transition
      await small.screenshot({ path: join(screenshotDir, 'phone-analytics-zh-Hant.png') });
    } finally {
      await phone.close();
    }
  });
});
