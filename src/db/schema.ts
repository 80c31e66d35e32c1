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

// ---- Segments and strategies (0005) ------------------------------------------------------------------------------

type Json<T = unknown> = ColumnType<T, string, string>;
type Industry = 'freight' | 'automotive' | 'retail';
type StrategyStatus = 'draft' | 'in_review' | 'approved' | 'retired';

export interface SegmentsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  industry: Industry | null;
  template_key: string | null;
  rule: Json;
  created_by: number | null;
  archived_at: NullableTimestamp;
  version: Counter;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SegmentSnapshotsTable {
  id: Generated<number>;
  segment_id: number;
  taken_at: Timestamp;
  trigger: 'analysis_run' | 'manual' | 'strategy_approval';
  analysis_run_id: number | null;
  run_ids: Json;
  as_of: ColumnType<string, string, string>;
  member_count: number;
  entered_count: number;
  left_count: number;
  total_clv: Numeric;
  revenue_12m: ColumnType<string, string | number | undefined, string | number>;
}

export interface SegmentSnapshotMembersTable {
  snapshot_id: number;
  account_id: number;
}

export interface KeyAccountCriteriaTable {
  key: string;
  axis: 'attractiveness' | 'fit';
  label_en: string;
  label_zh: string | null;
  weight: ColumnType<string, string | number, string | number>;
  source: 'volume' | 'margin' | 'growth' | 'relationship' | 'manual';
  position: Counter;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface KeyAccountAssessmentsTable {
  id: Generated<number>;
  account_id: number;
  assessed_on: ColumnType<string, string, string>;
  relationship_stage: 'transactional' | 'preferred' | 'partner';
  scores: Json;
  criteria: Json;
  attractiveness: number;
  fit: number;
  notes: Json;
  version: Counter;
  assessed_by: number | null;
  created_at: CreatedAt;
}

export interface MarketFiguresTable {
  id: Generated<number>;
  segment_id: number | null;
  period_from: ColumnType<string, string, string>;
  period_to: ColumnType<string, string, string>;
  market_customers: number;
  market_value: ColumnType<string, string | number, string | number>;
  average_competitor_price: ColumnType<string, string | number, string | number>;
  volume_unit: string | null;
  share_of_wallet: number | null;
  source: string | null;
  version: Counter;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface StrategiesTable {
  id: Generated<number>;
  title: string;
  industry: Industry | null;
  status: ColumnType<StrategyStatus, StrategyStatus | undefined, StrategyStatus>;
  document: Json;
  version: Counter;
  created_by: number | null;
  approved_at: NullableTimestamp;
  approved_by: number | null;
  retired_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface StrategyVersionsTable {
  strategy_id: number;
  version: number;
  change: 'create' | 'save' | 'transition';
  status: StrategyStatus;
  title: string;
  document: Json;
  note: string | null;
  saved_by: number | null;
  saved_at: Timestamp;
}

export interface StrategyCommentsTable {
  id: Generated<number>;
  strategy_id: number;
  version: number;
  department: string;
  body: string;
  author_id: number | null;
  created_at: Timestamp;
}

export interface StrategyApprovalsTable {
  id: Generated<number>;
  strategy_id: number;
  version: number;
  department: string;
  decision: 'approve' | 'request_changes';
  note: string | null;
  decided_by: number | null;
  decided_at: Timestamp;
}

export interface StrategyTasksTable {
  id: Generated<number>;
  strategy_id: number;
  strategy_version: number;
  segment_id: number | null;
  account_id: number;
  owner_id: number | null;
  kind: 'call' | 'visit' | 'review_meeting' | 'email';
  purpose: ColumnType<'cadence' | 'remedial', 'cadence' | 'remedial' | undefined, 'cadence' | 'remedial'>;
  title: string;
  due_on: ColumnType<string, string, string>;
  status: ColumnType<
    'open' | 'done' | 'cancelled',
    'open' | 'done' | 'cancelled' | undefined,
    'open' | 'done' | 'cancelled'
  >;
  completed_at: NullableTimestamp;
  completed_by: number | null;
  outcome: string | null;
  interaction_id: number | null;
  created_at: CreatedAt;
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
  segments: SegmentsTable;
  segment_snapshots: SegmentSnapshotsTable;
  segment_snapshot_members: SegmentSnapshotMembersTable;
  key_account_criteria: KeyAccountCriteriaTable;
  key_account_assessments: KeyAccountAssessmentsTable;
  market_figures: MarketFiguresTable;
  strategies: StrategiesTable;
  strategy_versions: StrategyVersionsTable;
  strategy_comments: StrategyCommentsTable;
  strategy_approvals: StrategyApprovalsTable;
  strategy_tasks: StrategyTasksTable;
}
