import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import type { AppConfig } from '../config/env.js';
import { AppError } from '../shared/errors.js';
import { acquireDataDirLock, type DataDirLock } from './lock.js';
import type { DB } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** Plain SQL for migrations: multi-statement text, in one transaction. */
export interface RawSql {
  exec(sqlText: string): Promise<void>;
  query<R>(sqlText: string, params?: unknown[]): Promise<R[]>;
  /** COPY of CSV text (no header) into table(columns) inside this transaction; returns rows loaded. */
  copyCsv(table: string, columns: readonly string[], csvText: string): Promise<number>;
}

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<DB>;
  /** Runs fn in one transaction on a raw connection (multi-statement SQL allowed). */
  rawTransaction<T>(fn: (raw: RawSql) => Promise<T>): Promise<T>;
  /** Bulk load CSV text (no header) into table(columns) with COPY; returns rows loaded. */
  copyCsv(table: string, columns: readonly string[], chunks: AsyncIterable<string>): Promise<number>;
  close(): Promise<void>;
}

const INT8_OID = 20;
const quoteIdent = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new AppError('internal', `Unsafe SQL identifier ${name}`);
  return `"${name}"`;
};
const copyStatement = (table: string, columns: readonly string[], source: string): string =>
  `copy ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) from ${source} with (format csv)`;

export async function openDatabase(database: AppConfig['database']): Promise<Database> {
  return database.kind === 'pglite' ? openPglite(database.dataDir) : openPostgres(database.url, database.schema);
}

/** In-memory PGlite, for tests and file-mode analysis: no lock, nothing on disk. */
export async function openMemoryPglite(): Promise<Database> {
  return wrapPglite(await PGlite.create({ extensions: { pg_trgm }, parsers: { [INT8_OID]: Number } }), null);
}

async function openPglite(dataDir: string): Promise<Database> {
  const lock = acquireDataDirLock(dataDir);
  try {
    const client = await PGlite.create({
      dataDir: join(dataDir, 'pgdata'),
      extensions: { pg_trgm },
      parsers: { [INT8_OID]: Number },
    });
    return wrapPglite(client, lock);
  } catch (error) {
    lock.release();
    throw new AppError(
      'database_unavailable',
      `Cannot open the embedded database in ${dataDir}: ${(error as Error).message}`,
    );
  }
}

function wrapPglite(client: PGlite, lock: DataDirLock | null): Database {
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
  let closed = false;
  return {
    kind: 'pglite',
    db,
    rawTransaction: (fn) =>
      client.transaction((tx) =>
        fn({
          exec: async (sqlText) => {
            await tx.exec(sqlText);
          },
          query: async <R>(sqlText: string, params: unknown[] = []) => (await tx.query<R>(sqlText, params)).rows,
          copyCsv: async (table, columns, csvText) =>
            csvText.length === 0
              ? 0
              : ((
                  await tx.query(copyStatement(table, columns, `'/dev/blob'`), [], {
                    blob: new Blob([csvText]),
                  })
                ).affectedRows ?? 0),
        }),
      ),
    copyCsv: async (table, columns, chunks) => {
      let rows = 0;
      for await (const chunk of chunks) {
        if (chunk.length === 0) continue;
        const result = await client.query(copyStatement(table, columns, `'/dev/blob'`), [], {
          blob: new Blob([chunk]),
        });
        rows += result.affectedRows ?? 0;
      }
      return rows;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
        // Kysely closes the client only if it ever opened a connection; raw-only use (migrations, imports) did not.
        if (!client.closed) await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openPostgres(url: string, schema: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    options: `-c search_path=${quoteIdent(schema)},public`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
        oid === INT8_OID ? Number : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  try {
    const client = await pool.connect();
    try {
      await client.query(`create schema if not exists ${quoteIdent(schema)}`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = (error as Error).message || (error as NodeJS.ErrnoException).code || 'connection refused';
    throw new AppError('database_unavailable', `Cannot connect to the PostgreSQL server: ${reason}`);
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    kind: 'postgres',
    db,
    rawTransaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          exec: async (sqlText) => {
            await client.query(sqlText);
          },
          query: async <R>(sqlText: string, params: unknown[] = []) =>
            (await client.query(sqlText, params)).rows as R[],
          copyCsv: async (table, columns, csvText) => {
            if (csvText.length === 0) return 0;
            const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin')));
            await pipeline(Readable.from([csvText]), stream);
            return Number(stream.rowCount);
          },
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    copyCsv: async (table, columns, chunks) => {
      const client = await pool.connect();
      try {
        const stream = client.query(copyFrom(copyStatement(table, columns, 'stdin')));
        await pipeline(Readable.from(chunks), stream);
        return Number(stream.rowCount);
      } finally {
        client.release();
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
