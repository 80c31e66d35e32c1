import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely's view of the tables the migrations create. Keep in step with src/db/migrations.
 * bigint ids are parsed to JS numbers by both drivers (safe below 2^53); numeric stays a string.
 */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  role: Generated<string>;
  team: string | null;
  created_at: CreatedAt;
}

export interface AccountsTable {
  id: Generated<number>;
  code: string;
  name_en: string;
  name_zh: string | null;
  kind: ColumnType<'company' | 'person', 'company' | 'person' | undefined, 'company' | 'person'>;
  industry: 'freight' | 'automotive' | 'retail';
  parent_id: number | null;
  owner_id: number | null;
  created_at: CreatedAt;
}

export interface ContactsTable {
  id: Generated<number>;
  account_id: number;
  name: string;
  title: string | null;
  email: string | null;
  phone: string | null;
  created_at: CreatedAt;
}

export interface TransactionsTable {
  id: Generated<number>;
  external_id: string;
  account_id: number;
  occurred_at: ColumnType<Date, Date | string, Date | string>;
  amount: ColumnType<string, string | number, string | number>;
  currency: Generated<string>;
  quantity: ColumnType<string | null, string | number | null, string | number | null>;
  unit: string | null;
  product_line: string | null;
  channel: string | null;
  cost: ColumnType<string | null, string | number | null, string | number | null>;
  attributes: ColumnType<
    Record<string, unknown>,
    string | Record<string, unknown> | undefined,
    string | Record<string, unknown>
  >;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MigrationsTable {
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

export interface DB {
  users: UsersTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
  transactions: TransactionsTable;
  settings: SettingsTable;
  rapport_migrations: MigrationsTable;
}
