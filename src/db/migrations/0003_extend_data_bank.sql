-- The customer data bank (issue 3, requirements A1–A3, D7): richer accounts and contacts, interactions,
-- relationship activities, custom fields, and the bookkeeping of imports (checkpoints, errors, saved mappings)
-- and of merges. Every editable row carries version (optimistic concurrency) and updated_at.

-- In public, so every schema on the search path (tenants, throwaway test schemas) sees its operator classes.
create extension if not exists pg_trgm with schema public;
do $$
begin
  if exists (select 1 from pg_extension e join pg_namespace n on n.oid = e.extnamespace
             where e.extname = 'pg_trgm' and n.nspname <> 'public') then
    execute 'alter extension pg_trgm set schema public';
  end if;
end $$;

-- Accounts: tags, status, source, needs profile, custom field values, archive flag, version.
alter table accounts
  add column tags text[] not null default '{}',
  add column status text not null default 'active' check (status in ('prospect', 'active', 'lost')),
  add column source text,
  -- { "servicesUsed": ["sea", "air", "HKG-LAX"], "requirements": "…",
  --   "choiceFactors": [{ "factor": "price", "importance": 1-5, "performance": 1-5 }] }
  add column needs jsonb not null default '{}'::jsonb,
  add column custom jsonb not null default '{}'::jsonb,
  add column archived_at timestamptz,
  add column version integer not null default 1,
  add column updated_at timestamptz not null default now();
create index accounts_status_idx on accounts (status);
create index accounts_tags_idx on accounts using gin (tags);
create index accounts_name_en_trgm_idx on accounts using gin (name_en gin_trgm_ops);
create index accounts_name_zh_trgm_idx on accounts using gin (name_zh gin_trgm_ops);

-- Typed definitions of custom fields; values live in <entity>.custom as { key: value }.
create table custom_field_definitions (
  id bigint generated always as identity primary key,
  entity text not null check (entity in ('accounts', 'contacts')),
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  label_en text not null,
  label_zh text,
  type text not null check (type in ('text', 'number', 'date', 'boolean', 'choice')),
  choices text[],
  created_at timestamptz not null default now(),
  unique (entity, key)
);

-- Contacts: email (imports store it lower case) and phone (E.164), language, channels, archive flag, version.
-- A contact is found again by (account, email); without an email by (account, phone); without both by name.
alter table contacts
  alter column name drop not null,
  add column language text,
  add column channels text[] not null default '{}',
  add column custom jsonb not null default '{}'::jsonb,
  add column archived_at timestamptz,
  add column version integer not null default 1,
  add column updated_at timestamptz not null default now(),
  add constraint contacts_identified_check check (name is not null or email is not null or phone is not null);
-- Not unique: older data may hold the same address twice at one account (found by the duplicates check).
create index contacts_account_email_idx on contacts (account_id, email) where email is not null;
create index contacts_account_phone_idx on contacts (account_id, phone) where phone is not null;
create index contacts_email_idx on contacts (email) where email is not null;
create index contacts_phone_idx on contacts (phone) where phone is not null;

-- Interactions: calls, emails, visits, meetings, chats and events with an account.
create table interactions (
  id bigint generated always as identity primary key,
  external_id text unique,
  account_id bigint not null references accounts (id),
  channel text not null check (channel in ('phone', 'email', 'visit', 'meeting', 'whatsapp', 'wechat', 'event')),
  direction text not null default 'outbound' check (direction in ('inbound', 'outbound')),
  subject text,
  notes text,
  occurred_at timestamptz not null,
  user_id bigint references users (id),
  contact_ids bigint[] not null default '{}',
  archived_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index interactions_account_time_idx on interactions (account_id, occurred_at);

-- Relationship activities (seed 212B): gifts, souvenirs and social events per account.
create table relationship_activities (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts (id),
  kind text not null check (kind in ('gift', 'souvenir', 'event')),
  description text not null,
  value numeric(18, 2),
  currency char(3) not null default 'HKD',
  occurred_on date not null,
  user_id bigint references users (id),
  created_at timestamptz not null default now()
);
create index relationship_activities_account_idx on relationship_activities (account_id, occurred_on);

-- Imports: one row per run. checkpoint = data rows committed; it moves in the same transaction as the rows,
-- so a killed import resumes exactly where its last commit ended.
create table imports (
  id bigint generated always as identity primary key,
  entity text not null check (entity in ('accounts', 'contacts', 'transactions', 'interactions')),
  file_name text not null,
  file_hash text not null,
  file_size bigint not null default 0,
  format text not null check (format in ('csv', 'xlsx')),
  mapping jsonb not null,
  status text not null default 'running' check (status in ('running', 'completed', 'failed')),
  checkpoint bigint not null default 0,
  bytes_done bigint not null default 0,
  inserted bigint not null default 0,
  updated bigint not null default 0,
  unchanged bigint not null default 0,
  rejected bigint not null default 0,
  errors_file text,
  failure text,
  created_by bigint references users (id),
  started_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz
);
create index imports_unfinished_idx on imports (file_hash, entity) where status <> 'completed';
create index imports_started_idx on imports (started_at desc, id desc);

-- Row-level problems of an import (the error report), written with the batch they belong to.
create table import_errors (
  id bigint generated always as identity primary key,
  import_id bigint not null references imports (id) on delete cascade,
  row_number bigint not null,
  column_name text,
  value text,
  message text not null
);
create index import_errors_import_idx on import_errors (import_id, row_number, id);

-- Column mappings saved for reuse (header → canonical column, date format, encoding, …).
create table import_mappings (
  id bigint generated always as identity primary key,
  name text not null unique check (length(name) between 1 and 100),
  entity text not null check (entity in ('accounts', 'contacts', 'transactions', 'interactions')),
  mapping jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Merges of duplicate accounts or contacts: the merged row's snapshot, kept for the survivor's timeline.
create table merges (
  id bigint generated always as identity primary key,
  entity text not null check (entity in ('accounts', 'contacts')),
  survivor_id bigint not null,
  merged_id bigint not null,
  merged_snapshot jsonb not null,
  reason text,
  merged_by bigint references users (id),
  merged_at timestamptz not null default now()
);
create index merges_survivor_idx on merges (entity, survivor_id);
