import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, seedDemoUsers } from '../../src/features/auth/index.js';
import { hasChromium, launchBrowser, screenshotDir, seedAccounts, startApp, type RunningApp } from './support.js';

/**
 * The pages that were API-only, and navigation by role, in a real browser: a customer-service user sees no
 * analytics, segments or strategy areas (and a friendly panel if they open one by URL); the analyst sees the
 * key-account matrix of the assessed accounts; the admin enters market figures and reads Kotler's decomposition of
 * the test data's sales; and creates an API token on the profile page (shown once, usable), then revokes it.
 */
const demo = (role: string) => ({ email: `${role}@demo.rapport.hk`, password: demoPassword });
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe.skipIf(!hasChromium)('role-aware navigation and the planning pages in the browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let ids = new Map<string, number>();
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };

  const signIn = async (page: Page, who: { email: string; password: string }, path: string) => {
    await page.goto(`${running.baseUrl}${path}`);
    await page.waitForURL('**/sign-in?next=*');
    await page.getByTestId('sign-in-email').fill(who.email);
    await page.getByTestId('sign-in-password').fill(who.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL(`**${path}`);
  };

  /** The admin's session over fetch, for setting up what the pages read. */
  const adminCall = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const login = await fetch(`${running.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(demo('admin')),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    expect(response.ok, `${method} ${path}: ${text}`).toBe(true);
    return JSON.parse(text) as unknown;
  };

  beforeAll(async () => {
    running = await startApp(async (db) => {
      ids = await seedAccounts(db, 5);
      await seedDemoUsers({ db });
      const recent = (code: string, n: number, amount: string) => ({
        external_id: `REC-${code}-${n}`,
        account_id: ids.get(code) ?? 0,
        occurred_at: daysAgo(20 + n * 30),
        amount,
      });
      await db
        .insertInto('transactions')
        .values([recent('FF-0001', 1, '400000'), recent('FF-0001', 2, '200000'), recent('FF-0003', 1, '150000')])
        .execute();
    });
    browser = await launchBrowser();
    // Three assessments: every attractiveness criterion scored a, every fit criterion f.
    const { criteria } = (await adminCall('GET', '/api/key-accounts/criteria')) as {
      criteria: { key: string; axis: 'attractiveness' | 'fit' }[];
    };
    const assess = async (code: string, a: number, f: number, stage: string) => {
      const scores = Object.fromEntries(criteria.map((c) => [c.key, c.axis === 'attractiveness' ? a : f]));
      await adminCall('PUT', `/api/key-accounts/${ids.get(code)}`, { version: 0, relationshipStage: stage, scores });
    };
    await assess('FF-0001', 5, 4, 'partner');
    await assess('FF-0003', 4, 2, 'preferred');
    await assess('FF-0002', 2, 2, 'transactional');
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await running?.close();
  });

  it('shows customer service only the areas its role may read, and a friendly panel on the others', async () => {
    const page = await newPage();
    await signIn(page, demo('service'), '/customers');
    await expect.poll(() => page.getByTestId('nav-customers').count()).toBe(1);
    const nav = await page.getByRole('navigation', { name: 'Main navigation' }).innerText();
    for (const shown of ['Customers', 'Engagement', 'Complaints']) expect(nav).toContain(shown);
    for (const hidden of ['analytics', 'segments', 'strategies', 'keyAccounts', 'market', 'privacy']) {
      expect(await page.getByTestId(`nav-${hidden}`).count(), hidden).toBe(0);
    }
    await page.goto(`${running.baseUrl}/analytics`);
    await expect.poll(() => page.getByTestId('no-access').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('no-access').innerText()).toContain('Customer service');
    await page.screenshot({ path: join(screenshotDir, 'no-access-service-en.png'), fullPage: true });
  });

  it('shows the analyst the key-account matrix: the chart and the assessed accounts with their scores', async () => {
    const page = await newPage();
    await signIn(page, demo('analyst'), '/customers');
    await page.getByTestId('nav-keyAccounts').click();
    await page.waitForURL('**/key-accounts');
    await expect.poll(() => page.getByTestId('key-account-row').count(), { timeout: 15_000 }).toBe(3);
    expect(await page.getByTestId('key-account-matrix').count()).toBe(1);
    const rows = await page.getByTestId('key-account-row').allInnerTexts();
    expect(rows[0]).toMatch(/FF-0001.*Pacific Harbour Logistics/);
    expect(rows[0]).toMatch(/5\s+4\s+Strategic\s+Partner\s+600,000\.00/i);
    expect(rows[1]).toMatch(/FF-0003.*4\s+2\s+Development\s+Preferred supplier\s+150,000\.00/i);
    expect(rows[2]).toMatch(/FF-0002.*2\s+2\s+Maintenance\s+Transactional/i);
    const count = (quadrant: string) =>
      page.getByTestId(`quadrant-${quadrant}`).getByTestId('quadrant-count').innerText();
    expect([await count('key_strategic'), await count('key_development'), await count('key_status')]).toEqual([
      '1',
      '1',
      '0',
    ]);
    await page.screenshot({ path: join(screenshotDir, 'key-accounts-en.png'), fullPage: true });
  });

  it("lets the admin enter market figures and read the share's decomposition from the sales", async () => {
    const page = await newPage();
    await signIn(page, demo('admin'), '/market');
    await expect.poll(() => page.getByTestId('market-empty').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('market-form-from').fill('2025-01-01');
    await page.getByTestId('market-form-to').fill('2025-12-31');
    await page.getByTestId('market-form-customers').fill('40');
    await page.getByTestId('market-form-value').fill('12990000');
    await page.getByTestId('market-form-price').fill('5000');
    await page.getByTestId('market-form-save').click();
    // Pacific Harbour bought 1,299,000 in 2025: one customer of 40, a tenth of the market's value.
    await expect.poll(() => page.getByTestId('market-row').count(), { timeout: 15_000 }).toBe(1);
    const row = page.getByTestId('market-row');
    expect(await row.innerText()).toContain('1 / 40');
    expect(await row.innerText()).toContain('1,299,000.00');
    expect(await row.getByTestId('market-penetration').innerText()).toBe('2.5%');
    // Without a share of wallet: Cl × Cs = (3 / 1) / (2,341.2 / 40) and Ps = (1,299,000 / 3) / (12,990,000 / 2,341.2).
    expect(await row.getByTestId('market-loyaltyTimesSelectivity').innerText()).toBe('0.0513');
    expect(await row.getByTestId('market-priceSelectivity').innerText()).toBe('78');
    expect(await row.getByTestId('market-marketShare').innerText()).toBe('10%');
    expect(await page.getByTestId('market-chart').count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'market-metrics-en.png'), fullPage: true });
  });

  it('creates an API token on the profile page, shows it once, and revokes it', async () => {
    const page = await newPage();
    await signIn(page, demo('marketing'), '/profile');
    await page.getByTestId('token-name').fill('Monthly report script');
    await page.getByTestId('token-create').click();
    await expect.poll(() => page.getByTestId('token-secret').count()).toBe(1);
    const secret = (await page.getByTestId('token-secret').innerText()).trim();
    expect(await page.getByTestId('token-copy').count()).toBe(1);
    const asToken = () =>
      fetch(`${running.baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } }).then((r) => r.status);
    expect(await asToken()).toBe(200);
    const row = page.getByTestId('token-row').filter({ hasText: 'Monthly report script' });
    await expect.poll(() => row.count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'profile-tokens-en.png'), fullPage: true });
    await page.getByTestId('token-dismiss').click();
    expect(await page.getByTestId('token-secret').count()).toBe(0);
    await row.getByTestId('token-revoke').click();
    await expect.poll(() => row.getByTestId('token-revoked').count()).toBe(1);
    expect(await asToken()).toBe(401);
  });
});
