import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebIfStale } from '../../scripts/build-web-if-stale.js';
import { createServices, type AppContext } from '../../src/compose.js';
import { loadConfig } from '../../src/config/env.js';
import type { DB } from '../../src/db/schema.js';
import { seedDemo } from '../../src/demo/index.js';
import { demoPassword, seedDemoUsers } from '../../src/features/auth/index.js';
import { buildApp } from '../../src/server/app.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing/databases.js';
import { hasChromium, launchBrowser, screenshotDir } from './support.js';

/**
 * The strategy builder in a real browser against the real server, on seeded freight demo data with its analyses run
 * and the default segments installed: the demo manager builds a strategy for the A-class and at-risk segments with
 * the guided builder, sees its budget and expected return, sends it for review, records the departments' approvals,
 * approves it (scheduling the cadence), sees it in 繁體中文; the demo sales user, owning the A-class accounts, finds
 * the tasks in My tasks, completes one and sees the compliance chart.
 */
interface DemoApp {
  baseUrl: string;
  db: Kysely<DB>;
  close(): Promise<void>;
}

const manager = { email: 'manager@demo.rapport.hk', password: demoPassword };
const sales = { email: 'sales@demo.rapport.hk', password: demoPassword };
const analyst = { email: 'analyst@demo.rapport.hk', password: demoPassword };

async function startDemoApp(): Promise<DemoApp> {
  await buildWebIfStale({ quiet: true });
  const database: TestDatabase = await createTestDatabase('pglite');
  let app: FastifyInstance | undefined;
  try {
    await seedDemo(database, { industry: 'freight', customers: 150, seed: 5 });
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
      db: database.db,
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

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(baseUrl: string, user: { email: string; password: string }): Promise<Session> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const body = (await response.json()) as { csrfToken: string | null };
  return { cookie, csrf: body.csrfToken ?? '' };
}

async function call<T>(baseUrl: string, session: Session, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      cookie: session.cookie,
      ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrf }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  expect(response.ok, `${method} ${path}: ${text}`).toBe(true);
  return JSON.parse(text) as T;
}

async function signInOnPage(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.getByTestId('sign-in-email').fill(user.email);
  await page.getByTestId('sign-in-password').fill(user.password);
  await page.getByTestId('sign-in-submit').click();
}

describe.skipIf(!hasChromium)('the strategy builder in the browser (150 freight customers)', () => {
  let running: DemoApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let strategyUrl = '';

  beforeAll(async () => {
    running = await startDemoApp();
    const analystSession = await signIn(running.baseUrl, analyst);
    for (const kind of ['abc', 'rfm', 'churn', 'clv']) {
      await call(running.baseUrl, analystSession, 'POST', '/api/analytics/runs', { kind, parameters: {} });
    }
    const managerSession = await signIn(running.baseUrl, manager);
    const installed = await call<{ created: { id: number; templateKey: string | null }[] }>(
      running.baseUrl,
      managerSession,
      'POST',
      '/api/segments/defaults',
      { industry: 'freight' },
    );
    // The demo sales user owns the A-class accounts, so approval gives them tasks.
    const aClass = installed.created.find((segment) => segment.templateKey === 'freight.a_class_shippers');
    expect(aClass).toBeDefined();
    const members = await call<{ items: { accountId: number }[] }>(
      running.baseUrl,
      managerSession,
      'GET',
      `/api/segments/${aClass?.id}/members?limit=500`,
    );
    expect(members.items.length).toBeGreaterThan(0);
    const salesUser = await running.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', sales.email)
      .executeTakeFirstOrThrow();
    await running.db
      .updateTable('accounts')
      .set({ owner_id: salesUser.id })
      .where(
        'id',
        'in',
        members.items.map((member) => member.accountId),
      )
      .execute();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await running?.close();
  });

  it('lets the manager build a strategy for the A-class and at-risk segments with the guided builder', async () => {
    await page.goto(`${running.baseUrl}/strategies`);
    await page.waitForURL('**/sign-in?next=*');
    await signInOnPage(page, manager);
    await page.waitForURL('**/strategies');
    await expect.poll(() => page.getByTestId('strategies-empty').count()).toBe(1);
    await expect.poll(() => page.title()).toBe('Strategies · Rapport');
    await page.getByTestId('new-strategy').click();
    await page.waitForURL('**/strategies/new');

    // Classify: the analysis figures with their explanations.
    await expect.poll(() => page.getByTestId('builder-notes-classify').count(), { timeout: 30_000 }).toBe(1);
    expect((await page.getByTestId('builder-notes-classify').innerText()).length).toBeGreaterThan(20);
    await page.screenshot({ path: join(screenshotDir, 'strategy-builder-classify-en.png'), fullPage: true });

    // Targets: A-class and at-risk ticked, in that order.
    await page.getByTestId('builder-next').click();
    const rows = page.getByTestId('builder-target-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    const first = await rows.nth(0).innerText();
    const second = await rows.nth(1).innerText();
    expect(first.trim()).toMatch(/^1\s/);
    expect(first).toMatch(/A-class/i);
    expect(second).toMatch(/at-risk/i);
    expect(await rows.nth(0).getByRole('checkbox').isChecked()).toBe(true);
    expect(await rows.nth(1).getByRole('checkbox').isChecked()).toBe(true);
    expect(await rows.nth(2).getByRole('checkbox').isChecked()).toBe(false);
    await page.screenshot({ path: join(screenshotDir, 'strategy-builder-targets-en.png'), fullPage: true });

    // Tactics and cadence per target.
    await page.getByTestId('builder-next').click();
    await expect.poll(() => page.getByTestId('builder-target-plan').count()).toBe(2);
    expect(await page.getByTestId('cadence-editor').count()).toBe(2);
    await page.screenshot({ path: join(screenshotDir, 'strategy-builder-tactics-en.png'), fullPage: true });

    // Budget and expected return.
    await page.getByTestId('builder-next').click();
    await expect.poll(() => page.getByTestId('budget-total').count()).toBe(1);
    expect(await page.getByTestId('budget-total').innerText()).toMatch(/^HK\$ [\d,]+\.\d\d$/);
    expect(await page.getByTestId('expected-return').innerText()).toMatch(/^HK\$ [\d,]+\.\d\d$/);
    expect(await page.locator('[data-testid="budget-table"] tbody tr').count()).toBe(2);
    await page.screenshot({ path: join(screenshotDir, 'strategy-builder-budget-en.png'), fullPage: true });

    // KPIs, then review and save.
    await page.getByTestId('builder-next').click();
    await page.getByTestId('builder-next').click();
    await page.getByTestId('builder-title').fill('Freight key accounts 2027');
    await page.screenshot({ path: join(screenshotDir, 'strategy-builder-review-en.png'), fullPage: true });
    await page.getByTestId('builder-save').click();
    await page.waitForURL(/\/strategies\/\d+$/);
    strategyUrl = page.url();
    await expect.poll(() => page.getByTestId('strategy-title').innerText()).toBe('Freight key accounts 2027');
    expect(await page.getByTestId('strategy-status').first().textContent()).toBe('Draft');
    expect(await page.getByTestId('strategy-target').count()).toBe(2);
    await expect.poll(() => page.getByTestId('budget-total').count()).toBe(1);
    expect(await page.getByTestId('expected-return').innerText()).toMatch(/^HK\$ [\d,]+\.\d\d$/);
    await expect.poll(() => page.locator('[data-testid="scenario-table"] tbody tr').count()).toBe(2);
    await page.screenshot({ path: join(screenshotDir, 'strategy-draft-en.png'), fullPage: true });
  }, 120_000);

  it('sends it for review, records the approvals, and approves it (scheduling the tasks)', async () => {
    await page.getByTestId('transition-in_review').click();
    await expect.poll(() => page.getByTestId('strategy-status').first().textContent()).toBe('In review');
    await expect.poll(() => page.getByTestId('review-panel').count()).toBe(1);
    await page.getByTestId('review-comment').fill('Weekly calls for the top ten only.');
    await page.getByTestId('review-comment-add').click();
    await expect
      .poll(() => page.getByTestId('review-panel').innerText())
      .toContain('Weekly calls for the top ten only.');
    const departments = await page.getByTestId('review-department').count();
    for (let i = 0; i < departments; i++) {
      const button = page.locator('[data-testid^="approve-department-"]').first();
      await button.click();
      await expect.poll(() => page.locator('[data-testid^="approve-department-"]').count()).toBe(departments - i - 1);
    }
    await page.getByTestId('transition-approved').click();
    await expect.poll(() => page.getByTestId('strategy-status').first().textContent()).toBe('Approved');
    expect(await page.getByTestId('schedule-result').innerText()).toMatch(/Approved: [1-9]\d* tasks scheduled/);
    await expect.poll(() => page.locator('[data-testid="version-list"] tbody tr').count()).toBeGreaterThan(2);
    expect(await page.getByTestId('version-diff').count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'strategy-approved-en.png'), fullPage: true });
  }, 60_000);

  it('lists the segments with live member counts, and a segment with its history and members', async () => {
    await page.goto(`${running.baseUrl}/segments`);
    await expect.poll(() => page.getByTestId('segment-row').count()).toBeGreaterThan(2);
    const counts = await page.getByTestId('segment-member-count').allInnerTexts();
    expect(counts.some((text) => Number(text) > 0)).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'segments-en.png'), fullPage: true });
    await page.getByRole('link', { name: 'A-class shippers' }).click();
    await page.waitForURL(/\/segments\/\d+$/);
    await expect.poll(() => page.locator('[data-testid="segment-members"] tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="segment-history-chart"] canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(screenshotDir, 'segment-detail-en.png'), fullPage: true });
    // The rule editor: one condition, the live member count from the preview, then save.
    await page.goto(`${running.baseUrl}/segments/new`);
    await expect.poll(() => page.getByTestId('rule-count').innerText()).toContain('Add a complete condition');
    await page.getByTestId('rule-add').click();
    const condition = page.getByTestId('rule-condition').first();
    await condition.getByLabel('Value', { exact: true }).click();
    await page.getByRole('option', { name: 'freight' }).click();
    await expect
      .poll(() => page.getByTestId('rule-count').innerText(), { timeout: 15_000 })
      .toMatch(/^\d+ members match$/);
    await page.getByTestId('segment-name').fill('All freight accounts');
    await page.screenshot({ path: join(screenshotDir, 'segment-rule-editor-en.png'), fullPage: true });
    await page.getByTestId('segment-save').click();
    await page.waitForURL(/\/segments\/\d+$/);
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().innerText()).toBe('All freight accounts');
    await page.goto(strategyUrl);
    await expect.poll(() => page.getByTestId('strategy-status').first().textContent()).toBe('Approved');
  }, 60_000);

  it('reads in 繁體中文', async () => {
    await page.getByText('繁體中文').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-Hant-HK');
    await expect.poll(() => page.getByTestId('strategy-status').first().textContent()).toBe('已批核');
    expect(await page.getByText('預算及預期回報').count()).toBe(1);
    expect(await page.getByText('版本及版本比較').count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'strategy-approved-zh-Hant.png'), fullPage: true });
    await page.getByText('English').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
  }, 60_000);

  it('gives the sales owner their tasks in My tasks, with compliance', async () => {
    expect(strategyUrl).not.toBe('');
    const salesContext = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    try {
      const salesPage = await salesContext.newPage();
      await salesPage.goto(`${running.baseUrl}/engagement`);
      await salesPage.waitForURL('**/sign-in?next=*');
      await signInOnPage(salesPage, sales);
      await salesPage.waitForURL('**/engagement');
      const taskRows = salesPage.getByTestId('task-row');
      await expect.poll(() => taskRows.count(), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await taskRows.first().innerText()).toContain('Freight key accounts 2027');
      await expect.poll(() => salesPage.locator('[data-testid="compliance-chart"] canvas').count()).toBeGreaterThan(0);
      await salesPage.screenshot({ path: join(screenshotDir, 'my-tasks-en.png'), fullPage: true });
      const firstTask = await taskRows.first().innerText();
      await salesPage.getByTestId('task-complete').first().click();
      await expect.poll(() => taskRows.first().innerText()).not.toBe(firstTask);
      await salesPage.getByText('Done', { exact: true }).first().click();
      await expect.poll(() => taskRows.count()).toBe(1);
      expect(await taskRows.first().textContent()).toContain('Completed');
      await salesPage.getByText('繁體中文').click();
      await expect.poll(() => salesPage.getByRole('heading', { level: 2 }).first().innerText()).toBe('我的任務');
      await salesPage.screenshot({ path: join(screenshotDir, 'my-tasks-zh-Hant.png'), fullPage: true });
    } finally {
      await salesContext.close();
    }
  }, 60_000);
});
