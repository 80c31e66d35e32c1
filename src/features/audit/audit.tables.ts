import type { ColumnType, Generated, Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Kysely's view of audit_log (migration 0004), joined onto the shared DB type with withTables. */
export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: ColumnType<Date, Date | string, never>;
  actor_user_id: number | null;
  actor_role: string | null;
  via: string;
  action: string;
  resource: string;
  record_ids: ColumnType<string[], string, never>;
  record_count: number;
  ip: string | null;
  user_agent: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

export interface AuditTables {
  audit_log: AuditLogTable;
}

export type AuditDB = DB & AuditTables;

/** The same connection, typed with audit_log (a type-level view, like Kysely's withTables). */
export const auditDb = (db: Kysely<DB>): Kysely<AuditDB> => db;
