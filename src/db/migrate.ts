import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { AppError } from '../shared/errors.js';
import type { Database, RawSql } from './connect.js';

/**
 * Forward-only plain-SQL migrations. Each file in migrations/ (NNNN_verb_object.sql) runs once, in a
 * transaction, and its SHA-256 is recorded; a file changed after it was applied is refused, because
 * the databases that already ran it would silently differ from new ones.
 */
export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

export interface MigrationStatus {
  name: string;
  state: 'applied' | 'pending' | 'changed';
  appliedAt: string | null;
}

const migrationsDir = new URL('./migrations/', import.meta.url);
const MIGRATION_LOCK_KEY = 7_250_611; // advisory lock: two servers starting at once apply each file once

export function readMigrationFiles(dir: URL = migrationsDir): MigrationFile[] {
  return readdirSync(dir)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      const sql = readFileSync(new URL(name, dir), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const ensureTable = (raw: RawSql): Promise<void> =>
  raw.exec(`create table if not exists rapport_migrations (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`);

interface AppliedRow {
  name: string;
  checksum: string;
  applied_at: Date;
}

const readApplied = (raw: RawSql): Promise<AppliedRow[]> =>
  raw.query<AppliedRow>('select name, checksum, applied_at from rapport_migrations order by name');

function compare(files: MigrationFile[], applied: AppliedRow[]): MigrationStatus[] {
  const byName = new Map(applied.map((row) => [row.name, row]));
  const statuses: MigrationStatus[] = files.map((file) => {
    const row = byName.get(file.name);
    if (!row) return { name: file.name, state: 'pending', appliedAt: null };
    return {
      name: file.name,
      state: row.checksum === file.checksum ? 'applied' : 'changed',
      appliedAt: new Date(row.applied_at).toISOString(),
    };
  });
  return statuses;
}

export async function migrationStatus(database: Database, files = readMigrationFiles()): Promise<MigrationStatus[]> {
  return database.rawTransaction(async (raw) => {
    await ensureTable(raw);
    return compare(files, await readApplied(raw));
  });
}

/** Applies every pending migration; returns the names applied now. */
export async function migrate(database: Database, files = readMigrationFiles()): Promise<string[]> {
  try {
    return await database.rawTransaction(async (raw) => {
      await raw.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await ensureTable(raw);
      const statuses = compare(files, await readApplied(raw));
      const changed = statuses.filter((status) => status.state === 'changed').map((status) => status.name);
      if (changed.length > 0) {
        throw new AppError(
          'migration_failed',
          `Migration ${changed.join(', ')} was changed after it was applied. Migrations are forward-only: restore the file and add a new migration instead.`,
          { changed },
        );
      }
      const pending = files.filter((file) => statuses.find((status) => status.name === file.name)?.state === 'pending');
      for (const file of pending) {
        await applyOne(raw, file);
      }
      return pending.map((file) => file.name);
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('migration_failed', `Migration failed: ${(error as Error).message}`);
  }
}

async function applyOne(raw: RawSql, file: MigrationFile): Promise<void> {
  try {
    await raw.exec(file.sql);
  } catch (error) {
    throw new AppError('migration_failed', `Migration ${file.name} failed: ${(error as Error).message}`, {
      migration: file.name,
    });
  }
  await raw.query('insert into rapport_migrations (name, checksum) values ($1, $2)', [file.name, file.checksum]);
}
