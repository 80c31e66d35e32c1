import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, seedDemoUsers } from '../../src/features/auth/index.js';
import { hasChromium, launchBrowser, screenshotDir, seedAccounts, startApp, type RunningApp } from './support.js';

/**
 * Sign-in, roles and administration in a real browser: each demo role sees what its role allows, a deactivated
 * user is signed out at once, the profile's language follows the user to the next sign-in, sign-out ends it all.
 */
const demo = (role: string) => ({ email: `${role}@demo.rapport.hk`, password: demoPassword });

describe.skipIf(!hasChromium)('sign-in and administration in the browser', () => {
  let running: RunningApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 860 } });
    contexts.push(context);
    return context.newPage();
  };

  const signIn = async (page: Page, who: { email: string; password: string }, path = '/customers') => {
    await page.goto(`${running.baseUrl}${path}`);
    await page.waitForURL('**/sign-in?next=*');
    await page.getByTestId('sign-in-email').fill(who.email);
    await page.getByTestId('sign-in-password').fill(who.password);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL(`**${path}`);
  };

  beforeAll(async () => {
    running = await startApp(async (db) => {
      await seedAccounts(db, 5);
      await seedDemoUsers({ db });
    });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await running?.close();
  });

  it('shows a viewer no user administration, only the teams', async () => {
    const page = await newPage();
    await signIn(page, demo('viewer'), '/admin');
    await expect.poll(() => page.getByTestId('admin-tab-teams').count()).toBe(1);
    expect(await page.getByTestId('admin-tab-users').count()).toBe(0);
    expect(await page.getByTestId('admin-tab-audit').count()).toBe(0);
    expect(await page.getByTestId('user-menu').innerText()).toBe('Demo viewer');
  });

  it('lets the admin see every user and deactivate one, whose open session ends at once', async () => {
    const sales = await newPage();
    await signIn(sales, demo('sales'));
    const admin = await newPage();
    await signIn(admin, demo('admin'), '/admin');
    await expect.poll(() => admin.getByTestId('user-row').count()).toBeGreaterThanOrEqual(9);
    const row = admin.getByTestId('user-row').filter({ hasText: 'sales@demo.rapport.hk' });
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => row.innerText()).toMatch(/deactivated/i); // the badge is upper-cased by CSS
    await admin.screenshot({ path: join(screenshotDir, 'admin-users-en.png'), fullPage: true });
    // The sales user's next page load finds the session gone and lands on the sign-in page.
    await sales.reload();
    await sales.waitForURL('**/sign-in?next=*');
    await sales.getByTestId('sign-in-email').fill(demo('sales').email);
    await sales.getByTestId('sign-in-password').fill(demoPassword);
    await sales.getByTestId('sign-in-submit').click();
    await expect.poll(() => sales.getByTestId('sign-in-error').count()).toBe(1);
  });

  it('shows auditors the audit log, with the deactivation in it and an export link', async () => {
    const page = await newPage();
    await signIn(page, demo('auditor'), '/admin');
    await expect.poll(() => page.getByTestId('admin-tab-audit').count()).toBe(1);
    await page.getByTestId('admin-tab-audit').click();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('audit-table').innerText()).toContain('deactivate');
    expect(await page.getByTestId('audit-export').getAttribute('href')).toBe('/api/audit/export');
    await page.screenshot({ path: join(screenshotDir, 'admin-audit-en.png'), fullPage: true });
  });

  it('remembers my language in my profile, and signing out returns to the sign-in page', async () => {
    const page = await newPage();
    await signIn(page, demo('marketing'));
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-profile').click();
    await page.waitForURL('**/profile');
    await page.getByTestId('profile-language').getByText('繁體中文').click();
    await expect.poll(() => page.getByTestId('profile-saved').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hant-HK');
    await page.screenshot({ path: join(screenshotDir, 'profile-zh-Hant.png'), fullPage: true });
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/sign-in');
    // Back to English on this computer; signing in brings the saved language back.
    await page.getByTestId('sign-in-form').getByText('English', { exact: true }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByTestId('sign-in-email').fill(demo('marketing').email);
    await page.getByTestId('sign-in-password').fill(demoPassword);
    await page.getByTestId('sign-in-submit').click();
    await page.waitForURL('**/customers');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-Hant-HK');
    expect((await page.request.get(`${running.baseUrl}/api/auth/me`)).status()).toBe(200);
  });
});
