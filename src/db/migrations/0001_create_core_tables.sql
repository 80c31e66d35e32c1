-- Core tables of the customer data bank: users (owners), accounts, contacts, transactions.
-- Money is numeric (never float); times are timestamptz (UTC); industry-specific fields live in attributes.

create table users (
  id bigint generated always as identity primary key,
  email text not null unique,
  display_name text not null,
  role text not null default 'sales',
  team text,
  created_at timestamptz not null default now()
);

create table accounts (
  id bigint generated always as identity primary key,
  code text not null unique check (length(code) between 1 and 64),
  name_en text not null check (length(name_en) between 1 and 300),
  name_zh text,
  kind text not null default 'company' check (kind in ('company', 'person')),
  industry text not null check (industry in ('freight', 'automotive', 'retail')),
  parent_id bigint references accounts (id),
  owner_id bigint references users (id),
  created_at timestamptz not null default now(),
  check (parent_id is null or parent_id <> id)
);
create index accounts_parent_idx on accounts (parent_id) where parent_id is not null;
create index accounts_owner_idx on accounts (owner_id);
create index accounts_name_en_idx on accounts (name_en, id);
create index accounts_created_idx on accounts (created_at, id);

create table contacts (
  id bigint generated always as identity primary key,
  account_id bigint not null references accounts (id) on delete cascade,
  name text not null,
  title text,
  email text,
  phone text,
  created_at timestamptz not null default now()
);
create index contacts_account_idx on contacts (account_id);

create table transactions (
  id bigint generated always as identity primary key,
  external_id text not null unique,
  account_id bigint not null references accounts (id),
  occurred_at timestamptz not null,
  amount numeric(18, 2) not null,
  currency char(3) not null default 'HKD',
  quantity numeric(18, 3),
  unit text,
  product_line text,
  channel text,
  cost numeric(18, 2),
  attributes jsonb not null default '{}'::jsonb
);
create index transactions_account_time_idx on transactions (account_id, occurred_at);
create index transactions_time_idx on transactions (occurred_at);

-- Application settings (business time zone, demo state): one row per key.
create table settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
