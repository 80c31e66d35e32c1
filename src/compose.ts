import type { AppConfig } from './config/env.js';
import { openDatabase, type Database } from './db/connect.js';
import { migrate } from './db/migrate.js';
import {
  createAccountService,
  createCustomerService,
  type AccountService,
  type CustomerService,
} from './features/accounts/index.js';
import { createAuditService, type AuditService } from './features/audit/index.js';
import { createAuthService, type AuthService } from './features/auth/index.js';
import { createAnalyticsService, type AnalyticsService } from './features/analytics/index.js';
import { createImportService, type ImportService } from './features/imports/index.js';
import { createSegmentService, withSegmentSnapshots, type SegmentService } from './features/segments/index.js';
import { createStrategyServices, type StrategyServices } from './features/strategies/index.js';
import { systemClock, type Clock } from './shared/clock.js';

/**
 * The one wiring point: config → database → services. The server and the CLI both start here,
 * so they can never disagree on how the app is put together.
 */
export interface Services {
  audit: AuditService;
  auth: AuthService;
  accounts: AccountService;
  customers: CustomerService;
  imports: ImportService;
  analytics: AnalyticsService;
  segments: SegmentService;
  strategies: StrategyServices;
}

export interface AppContext {
  config: AppConfig;
  database: Database;
  clock: Clock;
  services: Services;
  migrationsApplied: string[];
  close(): Promise<void>;
}

/** What of the configuration the services themselves need. */
export type ServiceSettings = Pick<AppConfig, 'timeZone'>;

/**
 * Every service that reads calendar days or months gets the business time zone (RAPPORT_TIME_ZONE) from here,
 * so no caller has to pass it per call.
 */
export function createServices(database: Database, clock: Clock, { timeZone }: ServiceSettings): Services {
  const db = database.db;
  const audit = createAuditService({ db, clock });
  const segments = createSegmentService({ db, clock, timeZone });
  return {
    audit,
    auth: createAuthService({ db, clock, audit: audit.record }),
    accounts: createAccountService({ db }),
    customers: createCustomerService({ db, clock, timeZone }),
    imports: createImportService({ database, clock, timeZone }),
    // Every stored analysis run snapshots the segments' membership (who entered, who left).
    analytics: withSegmentSnapshots(createAnalyticsService({ database, clock, timeZone }), segments),
    segments,
    strategies: createStrategyServices({ db, clock, segments, timeZone }),
  };
}

export async function composeApp(config: AppConfig, clock: Clock = systemClock): Promise<AppContext> {
  const database = await openDatabase(config.database);
  try {
    const migrationsApplied = await migrate(database);
    return {
      config,
      database,
      clock,
      services: createServices(database, clock, config),
      migrationsApplied,
      close: () => database.close(),
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
