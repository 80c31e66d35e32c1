-- Users who sign in (issue 5): passwords (argon2id hashes), roles, teams, server-side sessions, API tokens,
-- and the append-only audit log. Secrets are never stored: sessions and tokens keep only a SHA-256 of the
-- random value the client holds, passwords only their argon2id hash.

-- Users: the role is one of the nine of src/features/auth/permissions.rules.ts; e-mail addresses are kept in
-- lower case by the application and are unique regardless of case.
alter table users
  add column password_hash text,
  add column active boolean not null default true,
  add column language text not null default 'en' check (language in ('en', 'zh-Hant')),
  add column failed_logins integer not null default 0,
  add column locked_until timestamptz,
  add column deactivated_at timestamptz,
  add column password_changed_at timestamptz,
  add constraint users_role_check check (
    role in ('admin', 'manager', 'analyst', 'sales', 'service', 'marketing', 'privacy_officer', 'auditor', 'viewer')
  );
create unique index users_email_lower_idx on users (lower(email));
create index users_team_idx on users (team) where team is not null;

-- Teams: the unit of "team" scope. users.team holds the name (no foreign key, so older rows and other
-- features that write users keep working); the teams that users already name are created here.
create table teams (
  name text primary key check (length(name) between 1 and 100),
  created_at timestamptz not null default now()
);
insert into teams (name) select distinct team from users where team is not null and length(team) between 1 and 100;

-- Browser sessions: the cookie holds a random token, the table its SHA-256 (hex). Revoked sessions are kept
-- (revoked_at) until they expire, so "who was signed in when" stays answerable.
create table auth_sessions (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  ip text,
  user_agent text
);
create index auth_sessions_user_idx on auth_sessions (user_id) where revoked_at is null;

-- API tokens for integrations (Authorization: Bearer): shown once, stored as SHA-256, scoped to a role that
-- may not exceed the owner's, always expiring.
create table api_tokens (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  prefix text not null,
  role text not null check (
    role in ('admin', 'manager', 'analyst', 'sales', 'service', 'marketing', 'privacy_officer', 'auditor', 'viewer')
  ),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index api_tokens_user_idx on api_tokens (user_id) where revoked_at is null;

-- The audit log: who (actor_user_id, actor_role, via), what (action, resource, record_ids, details), when
-- (occurred_at) and from where (ip, user_agent) — never personal values. Each row carries
-- hash = sha256(prev_hash + canonical row content), so a changed, removed or reordered row breaks the chain
-- (`rapport audit verify`). The application only inserts; the triggers below refuse UPDATE, DELETE and TRUNCATE
-- for every role. Only the table owner can get past them, deliberately (`alter table … disable trigger`), and
-- the hash chain then shows it.
create table audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  actor_user_id bigint,
  actor_role text,
  via text not null check (via in ('session', 'token', 'cli', 'system', 'anonymous')),
  action text not null check (length(action) between 1 and 40),
  resource text not null check (length(resource) between 1 and 40),
  record_ids jsonb not null default '[]'::jsonb check (jsonb_typeof(record_ids) = 'array'),
  record_count integer not null default 0,
  ip text,
  user_agent text,
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null unique check (hash ~ '^[0-9a-f]{64}$')
);
create index audit_log_time_idx on audit_log (occurred_at desc, id desc);
create index audit_log_actor_idx on audit_log (actor_user_id, id desc);
create index audit_log_resource_idx on audit_log (resource, action, id desc);
create index audit_log_records_idx on audit_log using gin (record_ids);

create function audit_log_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = '42501';
end;
$$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_change();
