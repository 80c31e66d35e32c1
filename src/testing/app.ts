import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/env.js';
import { createServices, type AppContext } from '../compose.js';
import type { DatabaseKind } from '../db/connect.js';
import { buildApp } from '../server/app.js';
import { fixedClock, type Clock } from '../shared/clock.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  context: AppContext;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real app on a throwaway database, for inject() route tests. */
export async function createTestApp(
  kind: DatabaseKind,
  clock: Clock = fixedClock('2026-11-24T02:00:00Z'),
): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  const context: AppContext = {
    config: loadConfig({}, {}),
    database,
    clock,
    services: createServices(database, clock),
    migrationsApplied: [],
    close: () => database.dispose(),
  };
  const app = await buildApp(context, { logLevel: 'silent', webDistDir: null });
  return {
    app,
    context,
    database,
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}
