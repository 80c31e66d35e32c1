import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../src/db/schema.js';
import { demoPassword, seedDemoUsers } from '../../src/features/auth/index.js';
import { hasChromium, launchBrowser, screenshotDir, startApp, type RunningApp } from './support.js';

/**
 * The customer 360 page in a real browser: profile and needs with the choice-factor chart, the monthly revenue
 * and volume chart, transactions by page, group and contacts; an interaction logged in two clicks lands on the
 * timeline; an edit that crosses someone else's shows what they changed and reloads; the page in 繁體中文; a
 * likely duplicate merged from the duplicates page shows on the survivor's timeline.
 */
const demoAdmin = { email: 'admin@demo.rapport.hk', password: demoPassword };
const day = 86_400_000;

interface Seeded {
  main: number;
  duplicateA: number;
  duplicateB: number;
}

async function seed(db: Kysely<DB>): Promise<Seeded> {
  await seedDemoUsers({ db });
  const owner = await db
    .insertInto('users')
    .values({ email: 'chan.tai.man@example.hk', display_name: 'Chan Tai Man', team: 'Sea Freight' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const account = (values: {
    code: string;
    name_en: string;
    name_zh: string | null;
    parent_id?: number;
    needs?: Record<string, unknown>;
    tags?: string[];
  }) =>
    db
      .insertInto('accounts')
      .values({
        code: values.code,
        name_en: values.name_en,
        name_zh: values.name_zh,
        industry: 'freight',
        owner_id: owner.id,
        parent_id: values.parent_id ?? null,
        tags: values.tags ?? [],
        needs: JSON.stringify(values.needs ?? {}),
        created_at: '2024-03-01T02:00:00Z',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const group = await account({ code: 'GRP-0001', name_en: 'Harbour Holdings Group', name_zh: '海港控股集團' });
  const main = await account({
    code: 'FF-0100',
    name_en: 'Victoria Harbour Freight Ltd',
    name_zh: '維港貨運有限公司',
    parent_id: group.id,
    tags: ['key account'],
    needs: {
      servicesUsed: ['sea', 'air', 'HKG-LAX'],
      requirements: 'Weekly sailings to Los Angeles; customs clearance at both ends.',
      choiceFactors: [
        { factor: 'price', importance: 5, performance: 3 },
        { factor: 'transit_time', importance: 4, performance: 4 },
        { factor: 'reliability', importance: 5, performance: 4 },
      ],
    },
  });
  await account({ code: 'FF-0101', name_en: 'Kwun Tong Air Express', name_zh: '觀塘空運快遞', parent_id: group.id });
  await db
    .insertInto('contacts')
    .values([
      {
        account_id: main.id,
        name: 'Chan Mei Ling',
        title: 'Logistics manager',
        email: 'mei.chan@vhf.hk',
        phone: '+85291234567',
        language: 'zh-Hant',
        channels: ['whatsapp', 'email'],
      },
      { account_id: main.id, name: 'Peter Lee', title: 'Finance', email: 'peter.lee@vhf.hk', phone: null },
    ])
    .execute();
  const now = Date.now();
  await db
    .insertInto('transactions')
    .values(
      Array.from({ length: 14 }, (_, i) => ({
        external_id: `VHF-${String(i + 1).padStart(3, '0')}`,
        account_id: main.id,
        occurred_at: new Date(now - (i * 26 + 3) * day).toISOString(),
        amount: String(18_000 + i * 1_250),
        quantity: String(1 + (i % 4)),
        unit: 'TEU',
        product_line: i % 3 === 0 ? 'air' : 'sea',
      })),
    )
    .execute();
  await db
    .insertInto('interactions')
    .values({
      account_id: main.id,
      channel: 'visit',
      subject: 'Warehouse tour in Kwai Chung',
      occurred_at: new Date(now - 40 * day).toISOString(),
      user_id: owner.id,
    })
    .execute();
  await db
    .insertInto('relationship_activities')
    .values({
      account_id: main.id,
      kind: 'gift',
      description: 'Mooncakes for Mid-Autumn',
      value: '880',
      occurred_on: new Date(now - 60 * day).toISOString().slice(0, 10),
    })
    .execute();
  const duplicateA = await account({ code: 'DP-0001', name_en: 'Lantau Logistics Ltd', name_zh: null });
  const duplicateB = await account({ code: 'DP-0002', name_en: 'Lantau Logistics Limited', name_zh: '大嶼山物流' });
  await db
    .insertInto('transactions')
    .values({
      external_id: 'LL-1',
      account_id: duplicateB.id,
      occurred_at: new Date(now - 10 * day).toISOString(),
      amount: '5000',
    })
    .execute();
  return { main: main.id, duplicateA: duplicateA.id, duplicateB: duplicateB.id };
}

describe.skipIf(!hasChromium)('the customer 360 page in the browser', () => {
  let running: RunningApp;
  let ids: Seeded;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const shot = async (name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300); // charts finish drawing
    await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
  };
  const choose = async (testId: string, option: string) => {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };

  beforeAll(async () => {
    running = await startApp(async (db) => {
      ids = await seed(db);
    });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.close();
  });

  it('shows the profile, the needs with the choice-factor chart and the revenue and volume chart', async () => {
    await page.goto(`${running.baseUrl}/customers/${ids.main}`);
    await page.waitForURL('**/sign-in?next=*');
    await page.getByTestId('sign-in-email').fill(demoAdmin.email);
    await page.getByTestId('sign-in-password').fill(demoAdmin.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL(`**/customers/${ids.main}`);
    await expect.poll(() => page.getByTestId('account-name').innerText()).toBe('Victoria Harbour Freight Ltd');
    await expect.poll(() => page.title()).toBe('FF-0100 Victoria Harbour Freight Ltd · Rapport');
    expect(await page.getByTestId('account-status').textContent()).toBe('Active');
    expect(await page.getByTestId('account-transactions').innerText()).toBe('14');
    const needs = await page.getByTestId('needs-card').innerText();
    expect(needs).toContain('HKG-LAX');
    expect(needs).toContain('Weekly sailings to Los Angeles');
    expect(needs).toContain('Where we fall short: Price (−2), Reliability (−1)');
    await expect.poll(() => page.locator('[data-testid="factors-chart"] canvas').count()).toBe(1);
    expect(await page.getByTestId('revenue-card').innerText()).toContain('Monthly revenue and volume');
    await expect.poll(() => page.locator('[data-testid="revenue-chart"] canvas').count()).toBe(1);
    expect(await page.getByTestId('group-card').innerText()).toMatch(/GRP-0001[\s\S]*FF-0101/);
    expect(await page.getByTestId('contacts-table').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('contacts-table').innerText()).toContain('+85291234567');
    expect(await page.getByTestId('later-card').innerText()).toContain('Complaints');
    await shot('customer360-en.png');
  });

  it('pages through the transactions, newest first', async () => {
    const rows = page.getByTestId('transaction-row');
    expect(await rows.count()).toBe(10);
    expect(await rows.first().innerText()).toContain('VHF-001');
    expect(await page.getByTestId('transactions-range').innerText()).toBe('1–10 of 14');
    await page.getByTestId('transactions-pages').getByRole('button', { name: '2' }).click();
    await expect.poll(() => rows.count()).toBe(4);
    expect(await rows.last().innerText()).toContain('VHF-014');
    expect(await page.getByTestId('transactions-range').innerText()).toBe('11–14 of 14');
  });

  it('logs an interaction in two clicks and shows it at the top of the timeline', async () => {
    const interactions = page.getByTestId('timeline-interaction');
    expect(await interactions.count()).toBe(1);
    expect(await page.getByTestId('timeline-activity').count()).toBe(1);
    await page.getByTestId('log-interaction').first().click(); // 1
    await expect.poll(() => page.getByTestId('interaction-save').count()).toBe(1);
    await page.waitForTimeout(300); // the modal's opening transition
    expect(await page.getByTestId('interaction-when').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await page.screenshot({ path: join(screenshotDir, 'customer360-log-interaction-en.png') });
    await page.getByTestId('interaction-save').click(); // 2
    await expect.poll(() => interactions.count()).toBe(2);
    expect(await page.getByTestId('interaction-save').count()).toBe(0);
    const newest = await page.getByTestId('timeline').locator('[data-testid^="timeline-"]').first().innerText();
    expect(newest).toMatch(/Phone[\s\S]*To the customer[\s\S]*Demo admin/i);
  });

  it('adds a contact; the phone is kept as E.164', async () => {
    await page.getByTestId('add-contact').click();
    await page.getByTestId('contact-form-name').fill('Wong Ka Yan');
    await page.getByTestId('contact-form-phone').fill('6123 4567');
    await page.getByTestId('contact-form-save').click();
    await expect.poll(() => page.getByTestId('contacts-table').locator('tbody tr').count()).toBe(3);
    expect(await page.getByTestId('contacts-table').innerText()).toMatch(/Wong Ka Yan[\s\S]*\+85261234567/);
  });

  it('explains an edit that crossed someone else’s, and saves after a reload', async () => {
    await page.getByTestId('edit-account').click();
    await choose('account-form-status', 'Prospect');
    // Meanwhile someone else records the source of this customer.
    const me = await (await page.request.get(`${running.baseUrl}/api/auth/me`)).json();
    const overview = await (await page.request.get(`${running.baseUrl}/api/accounts/${ids.main}/overview`)).json();
    const other = await page.request.patch(`${running.baseUrl}/api/accounts/${ids.main}`, {
      data: { version: overview.account.version, source: 'Trade fair 2026' },
      headers: { 'x-csrf-token': me.csrfToken },
    });
    expect(other.status()).toBe(200);

    await page.getByTestId('account-form-save').click();
    await expect.poll(() => page.getByTestId('edit-conflict').count()).toBe(1);
    expect(await page.getByTestId('edit-conflict').innerText()).toContain('Source: — → Trade fair 2026');
    await page.waitForTimeout(500); // the form scrolls the explanation into view
    await page.screenshot({ path: join(screenshotDir, 'customer360-edit-conflict-en.png') });
    await page.getByTestId('edit-reload').click();
    expect(await page.getByTestId('edit-conflict').count()).toBe(0);
    expect(await page.getByTestId('account-form-status').inputValue()).toBe('Active');
    await choose('account-form-status', 'Prospect');
    await page.getByTestId('account-form-save').click();
    await expect.poll(() => page.getByTestId('account-status').textContent()).toBe('Prospect');
    expect(await page.getByTestId('profile-card').innerText()).toContain('Trade fair 2026');
  });

  it('switches to 繁體中文', async () => {
    await page.getByText('繁體中文').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-Hant-HK');
    const headings = await page.getByRole('heading', { level: 4 }).allInnerTexts();
    expect(headings).toEqual(
      expect.arrayContaining([
        '基本資料',
        '每月營業額及貨量',
        '需要概覽',
        '互動紀錄及關係活動',
        '交易紀錄',
        '聯絡人',
        '客戶集團',
      ]),
    );
    expect(await page.getByTestId('account-status').textContent()).toBe('潛在客戶');
    expect(await page.getByTestId('needs-card').innerText()).toContain('我們未達期望：價格（−2）、可靠程度（−1）');
    expect(await page.getByTestId('timeline').innerText()).toMatch(/電話[\s\S]*拜訪[\s\S]*禮品/);
    expect(await page.getByTestId('log-interaction').first().innerText()).toBe('記錄互動');
    await shot('customer360-zh-Hant.png');
  });

  it('lists the likely duplicate and merges it; the merge shows on the survivor’s timeline', async () => {
    await page.goto(`${running.baseUrl}/customers/duplicates`);
    await expect.poll(() => page.getByTestId('duplicate-pair').count()).toBeGreaterThan(0);
    const pair = page.getByTestId('duplicate-pair').filter({ hasText: 'DP-0001' });
    expect(await pair.getByTestId('duplicate-reason').first().innerText()).toMatch(/英文名稱相似（\d+%）/);
    await shot('duplicates-zh-Hant.png');
    await pair.getByTestId('merge-open').click();
    // DP-0002 has the transaction: suggested as the one to keep.
    expect(await page.getByTestId(`survivor-${ids.duplicateB}`).isChecked()).toBe(true);
    expect(await page.getByTestId('merge-consequence').innerText()).toContain(
      'DP-0001 · Lantau Logistics Ltd 將被封存',
    );
    await page.screenshot({ path: join(screenshotDir, 'duplicates-merge-zh-Hant.png') });
    await page.getByTestId('merge-confirm').click();
    await expect.poll(() => page.getByTestId('duplicate-pair').filter({ hasText: 'DP-0001' }).count()).toBe(0);

    await page.goto(`${running.baseUrl}/customers/${ids.duplicateB}`);
    await expect.poll(() => page.getByTestId('timeline-merge').count()).toBe(1);
    expect(await page.getByTestId('timeline-merge').innerText()).toContain(
      '客戶 DP-0001 Lantau Logistics Ltd 已合併至此客戶。',
    );
    await page.goto(`${running.baseUrl}/customers/${ids.duplicateA}`);
    await expect.poll(() => page.getByTestId('merged-into').count()).toBe(1);
    expect(await page.getByTestId('merged-into').innerText()).toContain('DP-0002 Lantau Logistics Limited');
    expect(await page.getByTestId('account-archived').textContent()).toBe('已封存');
    await shot('customer360-merged-zh-Hant.png');
    await page.getByText('English', { exact: true }).click();
  });
});
