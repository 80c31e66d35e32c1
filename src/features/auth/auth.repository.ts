import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import { escapeLikeText } from './auth.rules.js';
import type { ApiToken, Language, Role, Team, User, UserListQuery } from './auth.schema.js';
import { authDb } from './auth.tables.js';

/** SQL of users, teams, sessions and API tokens. Secrets arrive here already hashed. */
const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export interface UserRecord extends User {
  passwordHash: string | null;
  failedLogins: number;
  lockedUntilAt: Date | null;
}

const userColumns = [
  'u.id',
  'u.email',
  'u.display_name',
  'u.role',
  'u.team',
  'u.language',
  'u.active',
  'u.password_hash',
  'u.failed_logins',
  'u.locked_until',
  'u.created_at',
] as const;

interface UserRow {
  id: number;
  email: string;
  display_name: string;
  role: string;
  team: string | null;
  language: Language;
  active: boolean;
  password_hash: string | null;
  failed_logins: number;
  locked_until: Date | null;
  created_at: Date;
}

const toUserRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  role: row.role as Role,
  team: row.team,
  language: row.language,
  active: row.active,
  hasPassword: row.password_hash !== null,
  lockedUntil: iso(row.locked_until),
  createdAt: iso(row.created_at) ?? '',
  passwordHash: row.password_hash,
  failedLogins: row.failed_logins,
  lockedUntilAt: row.locked_until === null ? null : new Date(row.locked_until),
});

export const publicUser = (record: UserRecord): User => ({
  id: record.id,
  email: record.email,
  displayName: record.displayName,
  role: record.role,
  team: record.team,
  language: record.language,
  active: record.active,
  hasPassword: record.hasPassword,
  lockedUntil: record.lockedUntil,
  createdAt: record.createdAt,
});

export async function findUserByEmail(db: Kysely<DB>, email: string): Promise<UserRecord | null> {
  const row = await authDb(db)
    .selectFrom('users as u')
    .select(userColumns)
    .where(sql<SqlBool>`lower(u.email) = ${email.toLowerCase()}`)
    .executeTakeFirst();
  return row ? toUserRecord(row) : null;
}

export async function findUserById(
  db: Kysely<DB>,
  id: number,
  scope?: RawBuilder<SqlBool>,
): Promise<UserRecord | null> {
  let builder = authDb(db).selectFrom('users as u').select(userColumns).where('u.id', '=', id);
  if (scope) builder = builder.where(scope);
  const row = await builder.executeTakeFirst();
  return row ? toUserRecord(row) : null;
}

export async function listUsers(
  db: Kysely<DB>,
  query: UserListQuery,
  scope: RawBuilder<SqlBool>,
): Promise<UserRecord[]> {
  let builder = authDb(db).selectFrom('users as u').select(userColumns).where(scope);
  if (query.q) {
    const pattern = `%${escapeLikeText(query.q)}%`;
    builder = builder.where((eb) => eb.or([eb('u.email', 'ilike', pattern), eb('u.display_name', 'ilike', pattern)]));
  }
  if (query.role) builder = builder.where('u.role', '=', query.role);
  if (query.team) builder = builder.where('u.team', '=', query.team);
  if (query.active) builder = builder.where('u.active', '=', query.active === 'true');
  const rows = await builder.orderBy('u.email').limit(5000).execute();
  return rows.map(toUserRecord);
}

export async function insertUserRow(
  db: Kysely<DB>,
  user: {
    email: string;
    displayName: string;
    role: Role;
    team: string | null;
    passwordHash: string | null;
    language: Language;
  },
): Promise<number> {
  const row = await authDb(db)
    .insertInto('users')
    .values({
      email: user.email,
      display_name: user.displayName,
      role: user.role,
      team: user.team,
      password_hash: user.passwordHash,
      language: user.language,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUserRow(
  db: Kysely<DB>,
  id: number,
  changes: { displayName?: string; role?: Role; team?: string | null; language?: Language },
): Promise<void> {
  const values = {
    ...(changes.displayName === undefined ? {} : { display_name: changes.displayName }),
    ...(changes.role === undefined ? {} : { role: changes.role }),
    ...(changes.team === undefined ? {} : { team: changes.team }),
    ...(changes.language === undefined ? {} : { language: changes.language }),
  };
  if (Object.keys(values).length === 0) return;
  await authDb(db).updateTable('users').set(values).where('id', '=', id).execute();
}

export async function setPasswordHash(db: Kysely<DB>, id: number, passwordHash: string, now: Date): Promise<void> {
  await authDb(db)
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: now, failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}

export async function setUserActive(db: Kysely<DB>, id: number, active: boolean, now: Date): Promise<void> {
  await authDb(db)
    .updateTable('users')
    .set({ active, deactivated_at: active ? null : now, failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}

export async function setLoginFailures(
  db: Kysely<DB>,
  id: number,
  failedLogins: number,
  lockedUntil: Date | null,
): Promise<void> {
  await authDb(db)
    .updateTable('users')
    .set({ failed_logins: failedLogins, locked_until: lockedUntil })
    .where('id', '=', id)
    .execute();
}

// ── Teams ──────────────────────────────────────────────────────────────────────────────────────────────────

export async function listTeams(db: Kysely<DB>): Promise<Team[]> {
  const rows = await sql<{ name: string; members: number; created_at: Date | null }>`
    select n.name, count(u.id)::int as members, t.created_at
    from (select name from teams union select team as name from users where team is not null) as n
    left join teams as t on t.name = n.name
    left join users as u on u.team = n.name and u.active
    group by n.name, t.created_at
    order by n.name`.execute(db);
  return rows.rows.map((row) => ({ name: row.name, members: row.members, createdAt: iso(row.created_at) }));
}

export async function teamExists(db: Kysely<DB>, name: string): Promise<boolean> {
  const row = await authDb(db).selectFrom('teams').select('name').where('name', '=', name).executeTakeFirst();
  return row !== undefined;
}

export async function insertTeam(db: Kysely<DB>, name: string): Promise<boolean> {
  const rows = await authDb(db)
    .insertInto('teams')
    .values({ name })
    .onConflict((oc) => oc.doNothing())
    .returning('name')
    .execute();
  return rows.length > 0;
}

export async function countTeamMembers(db: Kysely<DB>, name: string): Promise<number> {
  const row = await authDb(db)
    .selectFrom('users')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('team', '=', name)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function deleteTeam(db: Kysely<DB>, name: string): Promise<boolean> {
  const result = await authDb(db).deleteFrom('teams').where('name', '=', name).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

// ── Sessions ───────────────────────────────────────────────────────────────────────────────────────────────

export interface SessionRecord {
  id: number;
  userId: number;
  expiresAt: Date;
  lastSeenAt: Date;
  revokedAt: Date | null;
}

export async function insertSession(
  db: Kysely<DB>,
  session: {
    userId: number;
    tokenHash: string;
    now: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<number> {
  const row = await authDb(db)
    .insertInto('auth_sessions')
    .values({
      user_id: session.userId,
      token_hash: session.tokenHash,
      created_at: session.now,
      last_seen_at: session.now,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findSessionByHash(
  db: Kysely<DB>,
  tokenHash: string,
): Promise<{ session: SessionRecord; user: UserRecord } | null> {
  const row = await authDb(db)
    .selectFrom('auth_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(userColumns)
    .select(['s.id as session_id', 's.expires_at', 's.last_seen_at', 's.revoked_at'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
  return {
    session: {
      id: row.session_id,
      userId: row.id,
      expiresAt: new Date(row.expires_at),
      lastSeenAt: new Date(row.last_seen_at),
      revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    },
    user: toUserRecord(row),
  };
}

export async function touchSession(db: Kysely<DB>, id: number, now: Date): Promise<void> {
  await authDb(db).updateTable('auth_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
}

export async function revokeSession(db: Kysely<DB>, id: number, now: Date): Promise<void> {
  await authDb(db)
    .updateTable('auth_sessions')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of the user (except one, when changing one's own password); returns how many. */
export async function revokeUserSessions(
  db: Kysely<DB>,
  userId: number,
  now: Date,
  exceptId?: number,
): Promise<number> {
  let builder = authDb(db)
    .updateTable('auth_sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptId !== undefined) builder = builder.where('id', '<>', exceptId);
  const result = await builder.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ── API tokens ─────────────────────────────────────────────────────────────────────────────────────────────

const tokenColumns = [
  't.id',
  't.user_id',
  't.name',
  't.prefix',
  't.role',
  't.created_at',
  't.expires_at',
  't.last_used_at',
  't.revoked_at',
] as const;

interface TokenRow {
  id: number;
  user_id: number;
  name: string;
  prefix: string;
  role: string;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const toToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  prefix: row.prefix,
  role: row.role as Role,
  createdAt: iso(row.created_at) ?? '',
  expiresAt: iso(row.expires_at) ?? '',
  lastUsedAt: iso(row.last_used_at),
  revokedAt: iso(row.revoked_at),
});

export async function insertToken(
  db: Kysely<DB>,
  token: { userId: number; name: string; tokenHash: string; prefix: string; role: Role; now: Date; expiresAt: Date },
): Promise<ApiToken> {
  const row = await authDb(db)
    .insertInto('api_tokens')
    .values({
      user_id: token.userId,
      name: token.name,
      token_hash: token.tokenHash,
      prefix: token.prefix,
      role: token.role,
      created_at: token.now,
      expires_at: token.expiresAt,
    })
    .returning(['id', 'user_id', 'name', 'prefix', 'role', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  return toToken(row);
}

export async function findTokenByHash(
  db: Kysely<DB>,
  tokenHash: string,
): Promise<{ token: ApiToken; user: UserRecord } | null> {
  const row = await authDb(db)
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(userColumns)
    .select([
      't.id as token_id',
      't.name',
      't.prefix',
      't.role as token_role',
      't.created_at as token_created_at',
      't.expires_at',
      't.last_used_at',
      't.revoked_at',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
  return {
    token: toToken({
      id: row.token_id,
      user_id: row.id,
      name: row.name,
      prefix: row.prefix,
      role: row.token_role,
      created_at: row.token_created_at,
      expires_at: row.expires_at,
      last_used_at: row.last_used_at,
      revoked_at: row.revoked_at,
    }),
    user: toUserRecord(row),
  };
}

export async function listTokens(db: Kysely<DB>, scope: RawBuilder<SqlBool>): Promise<ApiToken[]> {
  const rows = await authDb(db)
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(tokenColumns)
    .where(scope)
    .orderBy('t.id', 'desc')
    .limit(5000)
    .execute();
  return rows.map(toToken);
}

export async function findToken(db: Kysely<DB>, id: number, scope: RawBuilder<SqlBool>): Promise<ApiToken | null> {
  const row = await authDb(db)
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(tokenColumns)
    .where('t.id', '=', id)
    .where(scope)
    .executeTakeFirst();
  return row ? toToken(row) : null;
}

export async function touchToken(db: Kysely<DB>, id: number, now: Date): Promise<void> {
  await authDb(db).updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
}

export async function revokeToken(db: Kysely<DB>, id: number, now: Date): Promise<void> {
  await authDb(db)
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeUserTokens(db: Kysely<DB>, userId: number, now: Date): Promise<number> {
  const result = await authDb(db)
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
