import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebIfStale } from '../../scripts/build-web-if-stale.js';
import { createServices, type AppContext } from '../../src/compose.js';
import { loadConfig } from '../../src/config/env.js';
import { seedDemo, type DemoIndustry } from '../../src/demo/index.js';
import { demoPassword, seedDemoUsers } from '../../src/features/auth/index.js';
import { buildApp } from '../../src/server/app.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing/databases.js';
import { hasChromium, launchBrowser, screenshotDir } from './support.js';

/**
 * The analytics area in a real browser against the real server, on seeded demo data: the empty state and the first
 * run from the page, the other analyses run through the API, then the Pareto chart with its A/B/C classes, the RFM
 * grid, the CLV table with P(alive), churn reasons, the cohort heatmap, 繁體中文, and a customer's Analytics card.
 */
interface DemoApp {
  baseUrl: string;
  close(): Promise<void>;
}

/** The demo analyst (seedDemoUsers): analysts may read and run analyses (auth's role matrix). */
const analyst = { email: 'analyst@demo.rapport.hk', password: demoPassword };

/** The real server over an in-memory PGlite holding a demo industry pack (seedDemo needs the Database itself). */
async function startDemoApp(industry: DemoIndustry, customers: number): Promise<DemoApp> {
  await buildWebIfStale({ quiet: true });
  const database: TestDatabase = await createTestDatabase('pglite');
  let app: FastifyInstance | undefined;
  try {
    await seedDemo(database, { industry, customers, seed: 7 });
    const config = loadConfig({}, {});
    const context: AppContext = {
      config,
      database,
      clock: systemClock,
      services: createServices(database, systemClock, config),
      migrationsApplied: [],
      close: () => database.dispose(),
    };
    await seedDemoUsers(database);
    app = await buildApp(context, { logLevel: 'silent', webDistDir: context.config.webDistDir });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const server = app;
    return {
      baseUrl,
      close: async () => {
        await server.close();
        await database.dispose();
      },
    };
  } catch (error) {
    await app?.close();
    await database.dispose();
    throw error;
  }
}

/** Signs the analyst in through the API: the session cookie and its CSRF token, for writes from the test. */
async function signIn(baseUrl: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(analyst),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const body = (await response.json()) as { csrfToken: string | null };
  return { cookie, csrf: body.csrfToken ?? '' };
}

async function runAnalysis(baseUrl: string, kind: string, parameters: Record<string, unknown> = {}): Promise<void> {
  const session = await signIn(baseUrl);
  const response = await fetch(`${baseUrl}/api/analytics/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify({ kind, parameters }),
  });
  expect(response.status, `${kind}: ${await response.clone().text()}`).toBe(201);
}

const canvasIn = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"] canvas`);
const count = (text: string) => Number(text.replace(/[^\d]/g, ''));

describe.skipIf(!hasChromium)('analytics in the browser (400 freight customers)', () => {
  let running: DemoApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    running = await startDemoApp('freight', 400);
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.close();
  });

  it('signs the analyst in, then opens on the ABC tab with an empty state and runs the first analysis', async () => {
    await page.goto(`${running.baseUrl}/analytics`);
    await page.waitForURL('**/sign-in?next=*');
    await page.getByTestId('sign-in-email').fill(analyst.email);
    await page.getByTestId('sign-in-password').fill(analyst.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL('**/analytics/abc');
    await expect.poll(() => page.getByTestId('analysis-empty').count()).toBe(1);
    expect(await page.getByTestId('analysis-empty').innerText()).toContain('No ABC / Pareto analysis has been run yet');
    await expect.poll(() => page.title()).toBe('ABC / Pareto · Analytics · Rapport');
    const tabs = await page.getByRole('tab').allInnerTexts();
    expect(tabs).toEqual(['ABC / Pareto', 'Customer groups', 'RFM', 'Lifetime value', 'Churn', 'Cohorts']);
    await page.screenshot({ path: join(screenshotDir, 'analytics-empty-en.png'), fullPage: true });

    expect(await page.getByTestId('run-analysis').innerText()).toBe('Run the first analysis');
    await page.getByTestId('run-analysis').click();
    await expect.poll(() => canvasIn(page, 'pareto-chart').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('analysis-empty').count()).toBe(0);
    expect(await page.getByTestId('run-analysis').innerText()).toBe('Run again');
  });

  it('shows the Pareto curve, the A/B/C counts adding up to the customers, concentration and movers', async () => {
    const classCounts = await page
      .locator('[data-testid="abc-classes"] [data-testid="abc-class-count"]')
      .allInnerTexts();
    expect(classCounts).toHaveLength(3);
    const customers = count(await page.getByTestId('abc-customers').innerText());
    expect(customers).toBeGreaterThan(100);
    expect(classCounts.map(count).reduce((a, b) => a + b, 0)).toBe(customers);
    expect(classCounts.map(count).every((n) => n > 0)).toBe(true);
    expect(await page.getByTestId('abc-top20').innerText()).toMatch(/^\d+(\.\d)?%$/);
    expect(Number(await page.getByTestId('abc-gini').innerText())).toBeGreaterThan(0.3);
    expect(await page.getByTestId('run-as-of').innerText()).toMatch(/^As of \d{1,2} \w{3} \d{4}$/);
    expect(await page.getByTestId('abc-movers').innerText()).toContain('New (no value before)');
    // The chart is drawn: the canvas has a size and the container its accessible name.
    const box = await canvasIn(page, 'pareto-chart').first().boundingBox();
    expect(box?.width).toBeGreaterThan(400);
    expect(await page.getByTestId('pareto-chart').getAttribute('aria-label')).toBe('Pareto curve');
    // Customers by class, filtered to A.
    await expect.poll(() => page.getByTestId('abc-table-row').count()).toBe(50);
    await page.getByTestId('abc-class-filter').getByText('Class A').click();
    await expect.poll(() => page.getByTestId('abc-table-row').count()).toBe(count(classCounts[0] ?? ''));
    expect(await page.getByTestId('abc-table-row').first().innerText()).toMatch(/\t1\t/); // rank 1 first
    await page.getByTestId('abc-class-filter').getByText('All').click();
    await page.waitForTimeout(300); // the tooltip-free chart settles
    await page.screenshot({ path: join(screenshotDir, 'analytics-abc-en.png'), fullPage: true });
  });

  it('runs again with other parameters (gross margin) and keeps both runs in the history', async () => {
    await page.getByTestId('abc-measure').getByText('Gross margin').click();
    await page.getByTestId('run-analysis').click();
    await expect.poll(() => page.getByText('Total gross margin').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('run-history').click();
    await expect.poll(() => page.getByRole('option').count()).toBe(2);
    await page.keyboard.press('Escape');
  });

  it('runs the other analyses through the API', async () => {
    for (const kind of ['groups', 'rfm', 'churn', 'cohorts', 'clv']) await runAnalysis(running.baseUrl, kind);
  }, 60_000);

  it('shows customer groups with their members', async () => {
    await page.getByRole('tab', { name: 'Customer groups' }).click();
    await page.waitForURL('**/analytics/groups');
    await expect.poll(() => canvasIn(page, 'pareto-chart').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('groups-table-row').count()).toBe(50);
    expect(await page.getByTestId('abc-customers').locator('..').innerText()).toMatch(
      /groups? with more than one member/,
    );
    const toggles = page.getByTestId('toggle-members');
    await expect.poll(() => toggles.count()).toBeGreaterThan(0);
    await toggles.first().click();
    await expect.poll(() => page.locator('[data-testid="group-members"] tbody tr').count()).toBeGreaterThan(1);
    await expect.poll(() => page.getByTestId('group-members').innerText()).toMatch(/FRT-\d+/);
    await page.screenshot({ path: join(screenshotDir, 'analytics-groups-en.png'), fullPage: true });
  });

  it('shows the RFM grid, named segments and the score map legend', async () => {
    await page.getByRole('tab', { name: 'RFM' }).click();
    await page.waitForURL('**/analytics/rfm');
    await expect.poll(() => canvasIn(page, 'rfm-grid').count()).toBeGreaterThan(0);
    expect(count(await page.getByTestId('rfm-customers').innerText())).toBe(400);
    const segments = await page.getByTestId('rfm-segment').allInnerTexts();
    expect(segments).toContain('Champions');
    expect(await page.getByTestId('rfm-legend').innerText()).toContain('Bought recently, buy often and spend the most');
    await page.getByTestId('rfm-segment').filter({ hasText: 'Champions' }).click();
    await expect
      .poll(async () =>
        (await page.getByTestId('rfm-table-row').allInnerTexts()).every((row) => row.includes('Champions')),
      )
      .toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'analytics-rfm-en.png'), fullPage: true });
  });

  it('shows lifetime value: fitted parameters, the holdout chart, P(alive) per customer and the warnings in plain words', async () => {
    await page.getByRole('tab', { name: 'Lifetime value' }).click();
    await page.waitForURL('**/analytics/clv');
    await expect.poll(() => page.getByTestId('clv-table-row').count()).toBe(50);
    expect(await canvasIn(page, 'clv-calibration').count()).toBeGreaterThan(0);
    const fit = await page.getByTestId('clv-fit').first().innerText();
    expect(fit).toMatch(/α/);
    expect(fit).toMatch(/Standard error/);
    const headers = await page.locator('[data-testid="clv-table"] thead th').allInnerTexts();
    expect(headers.join('|')).toMatch(/P\(alive\).*Expected purchases \(12 months\).*CLV.*Revenue at risk/);
    const firstRow = await page.getByTestId('clv-table-row').first().innerText();
    expect(firstRow).toMatch(/\d+(\.\d)?%/); // P(alive)
    // The freight demo's spend is heavy-tailed (Gamma-Gamma q ≤ 1): said plainly, and the CLVs say where spend comes from.
    expect(await page.getByTestId('analysis-warnings').innerText()).toMatch(/q = [\d.]+ ≤ 1/);
    expect(await page.getByTestId('clv-spend-source').innerText()).toContain(
      "each customer's own average purchase value",
    );
    expect(await page.locator('[data-testid="clv-table"] th[aria-sort="descending"]').innerText()).toContain('CLV');
    expect(firstRow.split('\t').at(-2)).toMatch(/^[\d,]+\.\d\d$/);
    // Sort by P(alive), lowest first.
    await page.getByRole('button', { name: /^P\(alive\)/ }).click();
    await page.getByRole('button', { name: /^P\(alive\)/ }).click();
    await expect
      .poll(() => page.locator('[data-testid="clv-table"] th[aria-sort="ascending"]').innerText())
      .toContain('P(alive)');
    await page.screenshot({ path: join(screenshotDir, 'analytics-clv-en.png'), fullPage: true });
  });

  it('shows churn classes as a chart, the rules, and each customer with the reason', async () => {
    await page.getByRole('tab', { name: 'Churn' }).click();
    await page.waitForURL('**/analytics/churn');
    await expect.poll(() => canvasIn(page, 'churn-chart').count()).toBeGreaterThan(0);
    const classes = await page.locator('[data-testid="churn-classes"] [data-testid="churn-class"]').allTextContents();
    expect(classes).toEqual(['Active', 'Declining', 'At risk', 'Lost']);
    expect(await page.getByTestId('churn-rule').count()).toBe(4);
    const reasons = await page.getByTestId('churn-reason').allInnerTexts();
    expect(reasons.length).toBe(50);
    expect(
      reasons.every((reason) => /^(No purchase for|Last purchase|Revenue down|Probability of still)/.test(reason)),
    ).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'analytics-churn-en.png'), fullPage: true });
  });

  it('shows the cohort heatmap, by customers and by revenue', async () => {
    await page.getByRole('tab', { name: 'Cohorts' }).click();
    await page.waitForURL('**/analytics/cohorts');
    await expect.poll(() => canvasIn(page, 'cohort-heatmap').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshotDir, 'analytics-cohorts-en.png'), fullPage: true });
    await page.getByTestId('cohort-measure').getByText('Revenue').click();
    await expect.poll(() => page.getByText(/as a share of their first month/).count()).toBe(1);
  });

  it('switches to 繁體中文: tabs, classes, RFM, CLV and churn reasons in Chinese', async () => {
    await page.getByText('繁體中文').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-Hant-HK');
    expect(await page.getByRole('tab').allInnerTexts()).toEqual([
      'ABC 分類／帕累托分析',
      '客戶集團',
      'RFM 分析',
      '客戶生命週期價值',
      '客戶流失',
      '同期群留存',
    ]);
    expect(await page.getByRole('heading', { level: 2 }).innerText()).toBe('分析');
    expect(await page.getByText('按首次購買月份的留存率').count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'analytics-cohorts-zh-Hant.png'), fullPage: true });

    await page.getByRole('tab', { name: 'ABC 分類／帕累托分析' }).click();
    await expect.poll(() => canvasIn(page, 'pareto-chart').count()).toBeGreaterThan(0);
    expect(await page.getByText('帕累托曲線').count()).toBeGreaterThan(0);
    expect(await page.getByText('堅尼系數').count()).toBe(1);
    expect(await page.getByTestId('abc-classes').innerText()).toContain('價值佔比');
    await page.screenshot({ path: join(screenshotDir, 'analytics-abc-zh-Hant.png'), fullPage: true });

    await page.getByRole('tab', { name: 'RFM 分析' }).click();
    await expect.poll(() => canvasIn(page, 'rfm-grid').count()).toBeGreaterThan(0);
    expect(await page.getByText('近期性 × 頻率').count()).toBe(1);
    expect(await page.getByTestId('rfm-segment').allInnerTexts()).toContain('冠軍客戶');
    await page.screenshot({ path: join(screenshotDir, 'analytics-rfm-zh-Hant.png'), fullPage: true });

    await page.getByRole('tab', { name: '客戶生命週期價值' }).click();
    await expect.poll(() => page.getByTestId('clv-table-row').count()).toBe(50);
    expect(await page.locator('[data-testid="clv-table"] thead').innerText()).toContain('存活概率');
    await page.screenshot({ path: join(screenshotDir, 'analytics-clv-zh-Hant.png'), fullPage: true });

    await page.getByRole('tab', { name: '客戶流失' }).click();
    await expect.poll(() => page.getByTestId('churn-reason').count()).toBe(50);
    const reasons = await page.getByTestId('churn-reason').allInnerTexts();
    expect(reasons.every((reason) => /沒有購買|上次購買|下跌|存活概率/.test(reason))).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'analytics-churn-zh-Hant.png'), fullPage: true });
  });

  it("shows a customer's analytics card: ABC class, RFM segment, CLV, P(alive) and churn with its reason", async () => {
    await page.getByRole('tab', { name: 'ABC 分類／帕累托分析' }).click();
    await expect.poll(() => page.getByTestId('abc-table-row').count()).toBe(50);
    await page.getByTestId('abc-table-row').first().getByRole('link').click();
    await page.waitForURL(/\/customers\/\d+$/);
    const card = page.getByTestId('account-analytics');
    await expect.poll(() => card.count()).toBe(1);
    await expect.poll(() => page.getByTestId('card-abc').innerText()).toContain('A');
    expect(await page.getByTestId('card-abc').innerText()).toContain('排名 1');
    expect(await page.getByTestId('card-rfm').innerText()).toMatch(/R \d · F \d · M \d/);
    expect(await page.getByTestId('card-p-alive').innerText()).toMatch(/%$/);
    expect(await page.getByTestId('card-churn-reason').innerText()).toMatch(/沒有購買|上次購買|下跌|存活概率/);
    await page.screenshot({ path: join(screenshotDir, 'account-analytics-zh-Hant.png'), fullPage: true });

    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => card.textContent()).toContain('Churn class and reason');
    expect(await page.getByTestId('card-churn-reason').innerText()).toMatch(
      /^(No purchase for|Last purchase|Revenue down|Probability)/,
    );
    await page.waitForTimeout(400); // the language switch's indicator
    await page.screenshot({ path: join(screenshotDir, 'account-analytics-en.png'), fullPage: true });
  });
});

describe.skipIf(!hasChromium)('lifetime value in the browser (300 retail customers)', () => {
  let running: DemoApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    running = await startDemoApp('retail', 300);
    await runAnalysis(running.baseUrl, 'clv', { margin: 0.4 });
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    expect((await context.request.post(`${running.baseUrl}/api/auth/login`, { data: analyst })).status()).toBe(200);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('lists customers by CLV, highest first, with money figures', async () => {
    await page.goto(`${running.baseUrl}/analytics/clv`);
    await expect.poll(() => page.getByTestId('clv-table-row').count()).toBe(50);
    expect(await page.getByTestId('clv-total').innerText()).toMatch(/^[\d,]+\.\d\d$/);
    expect(await page.locator('[data-testid="clv-table"] th[aria-sort="descending"]').innerText()).toContain('CLV');
    const rows = await page.getByTestId('clv-table-row').allInnerTexts();
    const clv = (row: string) => Number((row.split('\t').at(-2) ?? '').replaceAll(',', ''));
    expect(clv(rows[0] ?? '')).toBeGreaterThan(0);
    expect(clv(rows[0] ?? '')).toBeGreaterThanOrEqual(clv(rows[1] ?? ''));
    expect(await page.getByTestId('clv-no-spend').count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir, 'analytics-clv-retail-en.png'), fullPage: true });
  });
});
