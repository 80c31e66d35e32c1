import type { ColumnType, Generated, Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/**
 * Kysely's view of the tables and columns migration 0004 adds for sign-in (users' password columns, teams,
 * sessions, API tokens). Kept beside the feature and joined onto the shared DB type with withTables, so the
 * feature does not have to edit src/db/schema.ts while other features change it.
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface AuthUserColumns {
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  language: ColumnType<'en' | 'zh-Hant', 'en' | 'zh-Hant' | undefined, 'en' | 'zh-Hant'>;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: NullableTimestamp;
  deactivated_at: NullableTimestamp;
  password_changed_at: NullableTimestamp;
}

export interface TeamsTable {
  name: string;
  created_at: CreatedAt;
}

export interface AuthSessionsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  role: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuthTables {
  users: AuthUserColumns;
  teams: TeamsTable;
  auth_sessions: AuthSessionsTable;
  api_tokens: ApiTokensTable;
}

export type AuthDB = DB & AuthTables;

/** The same connection, typed with the auth tables (a type-level view, like Kysely's withTables). */
export const authDb = (db: Kysely<DB>): Kysely<AuthDB> => db;
