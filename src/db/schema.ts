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
  tags: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<AccountStatus, AccountStatus | undefined, AccountStatus>;
  source: ColumnType<string | null, string | null | undefined, string | null>;
  needs: JsonColumn;
  custom: JsonColumn;
  archived_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  version: ColumnType<number, number | undefined, number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type AccountStatus = 'prospect' | 'active' | 'lost';
type JsonColumn = ColumnType<
  Record<string, unknown>,
  string | Record<string, unknown> | undefined,
  string | Record<string, unknown>
>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Counter = ColumnType<number, number | undefined, number>;
type ImportEntity = 'accounts' | 'contacts' | 'transactions' | 'interactions';

export interface ContactsTable {
  id: Generated<number>;
  account_id: number;
  /** Nullable since 0003: a contact may be known by email or phone only. */
  name: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  created_at: CreatedAt;
  language: ColumnType<string | null, string | null | undefined, string | null>;
  channels: ColumnType<string[], string[] | undefined, string[]>;
  custom: JsonColumn;
  archived_at: NullableTimestamp;
  version: Counter;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CustomFieldDefinitionsTable {
  id: Generated<number>;
  entity: 'accounts' | 'contacts';
  key: string;
  label_en: string;
  label_zh: string | null;
  type: 'text' | 'number' | 'date' | 'boolean' | 'choice';
  choices: string[] | null;
  created_at: CreatedAt;
}

export interface InteractionsTable {
  id: Generated<number>;
  external_id: string | null;
  account_id: number;
  channel: 'phone' | 'email' | 'visit' | 'meeting' | 'whatsapp' | 'wechat' | 'event';
  direction: ColumnType<'inbound' | 'outbound', 'inbound' | 'outbound' | undefined, 'inbound' | 'outbound'>;
  subject: string | null;
  notes: string | null;
  occurred_at: Timestamp;
  user_id: number | null;
  contact_ids: ColumnType<number[], number[] | undefined, number[]>;
  archived_at: NullableTimestamp;
  version: Counter;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RelationshipActivitiesTable {
  id: Generated<number>;
  account_id: number;
  kind: 'gift' | 'souvenir' | 'event';
  description: string;
  value: ColumnType<string | null, string | number | null, string | number | null>;
  currency: Generated<string>;
  occurred_on: ColumnType<Date, Date | string, Date | string>;
  user_id: number | null;
  created_at: CreatedAt;
}

export interface ImportsTable {
  id: Generated<number>;
  entity: ImportEntity;
  file_name: string;
  file_hash: string;
  file_size: Counter;
  format: 'csv' | 'xlsx';
  mapping: JsonColumn;
  status: ColumnType<
    'running' | 'completed' | 'failed',
    'running' | 'completed' | 'failed' | undefined,
    'running' | 'completed' | 'failed'
  >;
  checkpoint: Counter;
  bytes_done: Counter;
  inserted: Counter;
  updated: Counter;
  unchanged: Counter;
  rejected: Counter;
  errors_file: string | null;
  failure: string | null;
  created_by: number | null;
  started_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  finished_at: NullableTimestamp;
}

export interface ImportErrorsTable {
  id: Generated<number>;
  import_id: number;
  row_number: number;
  column_name: string | null;
  value: string | null;
  message: string;
}

export interface ImportMappingsTable {
  id: Generated<number>;
  name: string;
  entity: ImportEntity;
  mapping: JsonColumn;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface MergesTable {
  id: Generated<number>;
  entity: 'accounts' | 'contacts';
  survivor_id: number;
  merged_id: number;
  merged_snapshot: JsonColumn;
  reason: string | null;
  merged_by: number | null;
  merged_at: CreatedAt;
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

export type AnalysisKind = 'abc' | 'groups' | 'rfm' | 'churn' | 'cohorts' | 'clv';

export interface AnalysisRunsTable {
  id: Generated<number>;
  kind: AnalysisKind;
  as_of: ColumnType<string, string, string>;
  status: ColumnType<'running' | 'completed' | 'failed', 'running' | 'completed' | 'failed' | undefined>;
  parameters: ColumnType<unknown, string, string>;
  results: ColumnType<unknown, string | undefined, string>;
  customer_count: ColumnType<number, number | undefined, number>;
  duration_ms: number | null;
  error: string | null;
  created_at: CreatedAt;
  completed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

type Numeric = ColumnType<string | null, string | number | null | undefined, string | number | null>;

export interface AnalysisCustomerResultsTable {
  run_id: number;
  account_id: number;
  value: Numeric;
  rank: number | null;
  share: number | null;
  cumulative_share: number | null;
  abc_class: 'A' | 'B' | 'C' | null;
  previous_class: 'A' | 'B' | 'C' | null;
  frequency: number | null;
  recency: number | null;
  t: number | null;
  monetary_value: Numeric;
  total_value: Numeric;
  since_last: number | null;
  r_score: number | null;
  f_score: number | null;
  m_score: number | null;
  rfm_segment: string | null;
  p_alive: number | null;
  expected_purchases: number | null;
  expected_spend: Numeric;
  clv: Numeric;
  revenue_at_risk: Numeric;
  churn_class: 'active' | 'declining' | 'at_risk' | 'lost' | null;
  churn_reason: string | null;
  cohort: ColumnType<string | null, string | null | undefined, string | null>;
  details: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface DB {
  users: UsersTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
  transactions: TransactionsTable;
  settings: SettingsTable;
  rapport_migrations: MigrationsTable;
  custom_field_definitions: CustomFieldDefinitionsTable;
  interactions: InteractionsTable;
  relationship_activities: RelationshipActivitiesTable;
  imports: ImportsTable;
  import_errors: ImportErrorsTable;
  import_mappings: ImportMappingsTable;
  merges: MergesTable;
  analysis_runs: AnalysisRunsTable;
  analysis_customer_results: AnalysisCustomerResultsTable;
}
