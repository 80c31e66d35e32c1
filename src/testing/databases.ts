import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { testDatabaseUrl } from '../config/env.js';
import { openDatabase, openMemoryPglite, type Database, type DatabaseKind } from '../db/connect.js';
import { migrate } from '../db/migrate.js';

/**
 * The two drivers every database-tier test runs on. PostgreSQL tests get a throwaway schema
 * (dropped afterwards) so that concurrent runs never see each other's data.
 */
export const databaseKinds: readonly DatabaseKind[] = ['pglite', 'postgres'];

export interface TestDatabase extends Database {
  /** Drops the throwaway schema (PostgreSQL) and closes the connection. */
  dispose(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openMemoryPglite();
    await migrate(database);
    return { ...database, dispose: () => database.close() };
  }
  const url = testDatabaseUrl();
  const schema = `rapport_test_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ kind: 'postgres', url, schema });
  await migrate(database);
  return {
    ...database,
    dispose: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs the same suite once per driver; `use()` gives the suite's migrated database. */
export function describeEachDatabase(
  title: string,
  suite: (use: () => TestDatabase, kind: DatabaseKind) => void,
): void {
  for (const kind of databaseKinds) {
    describe(`${title} [${kind}]`, () => {
      let database: TestDatabase | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(kind);
      }, 60_000);
      afterAll(async () => {
        await database?.dispose();
      });
      suite(() => {
        if (!database) throw new Error('test database not ready');
        return database;
      }, kind);
    });
  }
}
