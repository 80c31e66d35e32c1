-- Segments and the strategy builder (issue 6, requirements B2, B6, B7, C1–C7, D1): saved segment rules and their
-- membership history, key-account assessments, market figures for Kotler's market-share decomposition, strategy
-- documents with versions, comments and approvals, and the cadence tasks an approved strategy schedules.

-- Segments: a saved rule (a JSON tree of and/or/not groups and conditions, validated by the application and
-- compiled to parameterised SQL). template_key names the industry-pack default a segment was created from.
create table segments (
  id bigint generated always as identity primary key,
  name text not null check (length(name) between 1 and 120),
  description text,
  industry text check (industry in ('freight', 'automotive', 'retail')),
  template_key text,
  rule jsonb not null check (jsonb_typeof(rule) = 'object'),
  created_by bigint references users (id),
  archived_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index segments_name_live_idx on segments (lower(name)) where archived_at is null;
create unique index segments_template_live_idx on segments (template_key) where archived_at is null and template_key is not null;

-- Membership snapshots: taken after every analysis run and on demand. The members of each snapshot are kept, so
-- who entered and who left is a set difference with the snapshot before; size and value are stored with it.
create table segment_snapshots (
  id bigint generated always as identity primary key,
  segment_id bigint not null references segments (id) on delete cascade,
  taken_at timestamptz not null,
  trigger text not null check (trigger in ('analysis_run', 'manual', 'strategy_approval')),
  analysis_run_id bigint references analysis_runs (id) on delete set null,
  -- the latest completed run of each kind the rule read: { "abc": 12, "clv": 14, … }
  run_ids jsonb not null default '{}'::jsonb,
  as_of date not null,
  member_count integer not null,
  entered_count integer not null,
  left_count integer not null,
  total_clv numeric,
  revenue_12m numeric not null default 0
);
create index segment_snapshots_segment_idx on segment_snapshots (segment_id, id desc);

create table segment_snapshot_members (
  snapshot_id bigint not null references segment_snapshots (id) on delete cascade,
  account_id bigint not null references accounts (id) on delete cascade,
  primary key (snapshot_id, account_id)
);

-- Key-account assessment (408B): weighted criteria on two axes, editable. source says where a suggested score
-- comes from (the data: volume, margin, growth; the relationship stage) or that the assessor scores it by hand.
create table key_account_criteria (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  axis text not null check (axis in ('attractiveness', 'fit')),
  label_en text not null,
  label_zh text,
  weight numeric(6, 4) not null check (weight >= 0 and weight <= 1),
  source text not null check (source in ('volume', 'margin', 'growth', 'relationship', 'manual')),
  position integer not null default 0,
  updated_at timestamptz not null default now()
);
insert into key_account_criteria (key, axis, label_en, label_zh, weight, source, position) values
  ('volume', 'attractiveness', 'Volume', '業務量', 0.30, 'volume', 1),
  ('margin', 'attractiveness', 'Margin', '利潤率', 0.25, 'margin', 2),
  ('growth', 'attractiveness', 'Growth', '增長', 0.20, 'growth', 3),
  ('payment', 'attractiveness', 'Payment behaviour', '付款紀錄', 0.10, 'manual', 4),
  ('strategic_fit', 'attractiveness', 'Strategic fit', '策略配合', 0.15, 'manual', 5),
  ('capability', 'fit', 'Our capability for their needs', '我們的能力', 0.40, 'manual', 6),
  ('capacity', 'fit', 'Our capacity on their lanes', '我們在其航線的運力', 0.35, 'manual', 7),
  ('relationship', 'fit', 'Relationship stage', '關係階段', 0.25, 'relationship', 8);

-- One row per assessment (history kept); the newest per account is the current one. Scores 1–5 per criterion;
-- attractiveness and fit are the weighted means at the time of saving, with the criteria then in force.
create table key_account_assessments (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  assessed_on date not null,
  relationship_stage text not null check (relationship_stage in ('transactional', 'preferred', 'partner')),
  scores jsonb not null check (jsonb_typeof(scores) = 'object'),
  criteria jsonb not null check (jsonb_typeof(criteria) = 'array'),
  attractiveness double precision not null,
  fit double precision not null,
  -- { "ourAdvantages": [{ "text": …, "category": … }], "ourDisadvantages": […], "theirAdvantages": […], "theirDisadvantages": […] }
  notes jsonb not null default '{}'::jsonb,
  version integer not null default 1,
  assessed_by bigint references users (id),
  created_at timestamptz not null default now()
);
create index key_account_assessments_account_idx on key_account_assessments (account_id, id desc);

-- Market figures the user enters for Kotler's decomposition (515B), per segment (null: the whole market) and period.
create table market_figures (
  id bigint generated always as identity primary key,
  segment_id bigint references segments (id) on delete cascade,
  period_from date not null,
  period_to date not null,
  market_customers integer not null check (market_customers > 0),
  market_value numeric(20, 2) not null check (market_value > 0),
  average_competitor_price numeric(18, 4) not null check (average_competitor_price > 0),
  volume_unit text,
  share_of_wallet double precision check (share_of_wallet > 0 and share_of_wallet <= 1),
  source text,
  version integer not null default 1,
  created_by bigint references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (period_from <= period_to)
);
create unique index market_figures_period_idx on market_figures (coalesce(segment_id, 0), period_from, period_to);

-- Strategy documents: the current document and status; every save and every transition adds a version.
create table strategies (
  id bigint generated always as identity primary key,
  title text not null check (length(title) between 1 and 200),
  industry text check (industry in ('freight', 'automotive', 'retail')),
  status text not null default 'draft' check (status in ('draft', 'in_review', 'approved', 'retired')),
  document jsonb not null check (jsonb_typeof(document) = 'object'),
  version integer not null default 1,
  created_by bigint references users (id),
  approved_at timestamptz,
  approved_by bigint references users (id),
  retired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index strategies_status_idx on strategies (status, id desc);

create table strategy_versions (
  strategy_id bigint not null references strategies (id) on delete cascade,
  version integer not null,
  change text not null check (change in ('create', 'save', 'transition')),
  status text not null check (status in ('draft', 'in_review', 'approved', 'retired')),
  title text not null,
  document jsonb not null,
  note text,
  saved_by bigint references users (id),
  saved_at timestamptz not null,
  primary key (strategy_id, version)
);

-- Review: comments from departments and their approvals (or requests for changes), per version.
create table strategy_comments (
  id bigint generated always as identity primary key,
  strategy_id bigint not null references strategies (id) on delete cascade,
  version integer not null,
  department text not null,
  body text not null check (length(body) between 1 and 4000),
  author_id bigint references users (id),
  created_at timestamptz not null
);
create index strategy_comments_strategy_idx on strategy_comments (strategy_id, id);

create table strategy_approvals (
  id bigint generated always as identity primary key,
  strategy_id bigint not null references strategies (id) on delete cascade,
  version integer not null,
  department text not null,
  decision text not null check (decision in ('approve', 'request_changes')),
  note text,
  decided_by bigint references users (id),
  decided_at timestamptz not null
);
create index strategy_approvals_strategy_idx on strategy_approvals (strategy_id, version, id);

-- Cadence tasks (D1): scheduled when a strategy is approved, for the owner of each member account. purpose
-- 'remedial' marks the extra contact for members whose churn class is at_risk. Scheduling is idempotent.
create table strategy_tasks (
  id bigint generated always as identity primary key,
  strategy_id bigint not null references strategies (id) on delete cascade,
  strategy_version integer not null,
  segment_id bigint references segments (id) on delete set null,
  account_id bigint not null references accounts (id) on delete cascade,
  owner_id bigint references users (id),
  kind text not null check (kind in ('call', 'visit', 'review_meeting', 'email')),
  purpose text not null default 'cadence' check (purpose in ('cadence', 'remedial')),
  title text not null,
  due_on date not null,
  status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  completed_at timestamptz,
  completed_by bigint references users (id),
  outcome text,
  interaction_id bigint references interactions (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (strategy_id, account_id, kind, purpose, due_on)
);
create index strategy_tasks_owner_idx on strategy_tasks (owner_id, status, due_on);
create index strategy_tasks_strategy_idx on strategy_tasks (strategy_id, segment_id, due_on);
