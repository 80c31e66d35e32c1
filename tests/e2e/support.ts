import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { chromium, type Browser } from 'playwright-core';
import { buildWebIfStale } from '../../scripts/build-web-if-stale.js';
import { createServices, type AppContext } from '../../src/compose.js';
import { loadConfig } from '../../src/config/env.js';
import type { DB } from '../../src/db/schema.js';
import { buildApp } from '../../src/server/app.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing/databases.js';

/**
 * Browser-test support: the real server (built web app + API) on a free loopback port over an
 * in-memory PGlite, and Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
export const screenshotDir = process.env.E2E_SCREENSHOT_DIR ?? join(tmpdir(), 'rapport-e2e');

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export async function launchBrowser(): Promise<Browser> {
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export interface RunningApp {
  baseUrl: string;
  db: Kysely<DB>;
  close(): Promise<void>;
}

/** Builds dist/web if it is stale, then serves it and the API from one in-process server. */
export async function startApp(seed: (db: Kysely<DB>) => Promise<void>): Promise<RunningApp> {
  await buildWebIfStale({ quiet: true });
  const database: TestDatabase = await createTestDatabase('pglite');
  let app: FastifyInstance | undefined;
  try {
    await seed(database.db);
    const config = loadConfig({}, {});
    const context: AppContext = {
      config,
      database,
      clock: systemClock,
      services: createServices(database, systemClock, config),
      migrationsApplied: [],
      close: () => database.dispose(),
    };
    app = await buildWebServingApp(context);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const server = app;
    return {
      baseUrl: address,
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

/** The real buildApp serving dist/web, exactly as `rapport serve` does. */
const buildWebServingApp = (context: AppContext): Promise<FastifyInstance> =>
  buildApp(context, { logLevel: 'silent', webDistDir: context.config.webDistDir });

export interface SeededAccount {
  code: string;
  nameEn: string;
  nameZh: string | null;
  industry: 'freight' | 'automotive' | 'retail';
  parent?: string;
  owner?: string;
  createdAt: string;
}

/** A few recognisable Hong Kong accounts across the three industry packs, one group with two members. */
export const namedAccounts: readonly SeededAccount[] = [
  {
    code: 'FF-0001',
    nameEn: 'Pacific Harbour Logistics Ltd',
    nameZh: '太平洋海港物流有限公司',
    industry: 'freight',
    owner: 'Chan Tai Man',
    createdAt: '2024-01-15T02:00:00Z',
  },
  {
    code: 'FF-0002',
    nameEn: 'Kwai Chung Container Services',
    nameZh: '葵涌貨櫃服務',
    industry: 'freight',
    parent: 'FF-0001',
    owner: 'Chan Tai Man',
    createdAt: '2024-03-02T02:00:00Z',
  },
  {
    code: 'FF-0003',
    nameEn: 'Tsing Yi Air Cargo',
    nameZh: '青衣空運',
    industry: 'freight',
    parent: 'FF-0001',
    owner: 'Wong Siu Ling',
    createdAt: '2024-06-20T02:00:00Z',
  },
  {
    code: 'AU-0001',
    nameEn: 'Kowloon Bay Motors',
    nameZh: '九龍灣汽車',
    industry: 'automotive',
    owner: 'Lee Ka Wai',
    createdAt: '2023-11-05T02:00:00Z',
  },
  {
    code: 'AU-0002',
    nameEn: 'Alice Cheung',
    nameZh: '張愛麗',
    industry: 'automotive',
    owner: 'Lee Ka Wai',
    createdAt: '2025-02-10T02:00:00Z',
  },
  {
    code: 'RT-0001',
    nameEn: 'Mong Kok Household Store',
    nameZh: '旺角家品店',
    industry: 'retail',
    owner: 'Wong Siu Ling',
    createdAt: '2024-09-30T02:00:00Z',
  },
  {
    code: 'RT-0002',
    nameEn: 'Causeway Bay Fashion',
    nameZh: null,
    industry: 'retail',
    createdAt: '2025-05-01T02:00:00Z',
  },
];

/** Inserts the named accounts, `filler` more (to need a second page), owners and a few transactions. */
export async function seedAccounts(db: Kysely<DB>, filler = 50): Promise<Map<string, number>> {
  const owners = new Map<string, number>();
  for (const name of new Set(namedAccounts.flatMap((account) => (account.owner ? [account.owner] : [])))) {
    const row = await db
      .insertInto('users')
      .values({ email: `${name.toLowerCase().replaceAll(' ', '.')}@example.hk`, display_name: name })
      .returning('id')
      .executeTakeFirstOrThrow();
    owners.set(name, row.id);
  }
  const ids = new Map<string, number>();
  for (const account of namedAccounts) {
    const row = await db
      .insertInto('accounts')
      .values({
        code: account.code,
        name_en: account.nameEn,
        name_zh: account.nameZh,
        kind: account.code === 'AU-0002' ? 'person' : 'company',
        industry: account.industry,
        parent_id: account.parent ? (ids.get(account.parent) ?? null) : null,
        owner_id: account.owner ? (owners.get(account.owner) ?? null) : null,
        created_at: account.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(account.code, row.id);
  }
  if (filler > 0) {
    await db
      .insertInto('accounts')
      .values(
        Array.from({ length: filler }, (_, i) => ({
          code: `FX-${String(i + 1).padStart(4, '0')}`,
          name_en: `Harbour Trading ${String(i + 1).padStart(2, '0')}`,
          name_zh: `海港貿易${i + 1}`,
          industry: 'freight' as const,
          created_at: `2022-0${(i % 9) + 1}-1${i % 10}T02:00:00Z`,
        })),
      )
      .execute();
  }
  const pacific = ids.get('FF-0001');
  if (pacific !== undefined) {
    await db
      .insertInto('transactions')
      .values([
        { external_id: 'SHP-1', account_id: pacific, occurred_at: '2025-01-10T03:00:00Z', amount: '125000.50' },
        { external_id: 'SHP-2', account_id: pacific, occurred_at: '2025-04-22T03:00:00Z', amount: '1109999.50' },
        { external_id: 'SHP-3', account_id: pacific, occurred_at: '2025-10-01T03:00:00Z', amount: '64000' },
      ])
      .execute();
  }
  return ids;
}
