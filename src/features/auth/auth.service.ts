import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import {
  countTeamMembers,
  deleteTeam,
  findSessionByHash,
  findToken,
  findTokenByHash,
  findUserByEmail,
  findUserById,
  insertSession,
  insertTeam,
  insertToken,
  insertUserRow,
  listTeams,
  listTokens,
  listUsers,
  publicUser,
  revokeSession,
  revokeToken,
  revokeUserSessions,
  revokeUserTokens,
  setLoginFailures,
  setPasswordHash,
  setUserActive,
  teamExists,
  touchSession,
  touchToken,
  updateUserRow,
  type UserRecord,
} from './auth.repository.js';
import {
  afterFailedLogin,
  assertPasswordAcceptable,
  authPolicy,
  isLocked,
  needsTouch,
  sessionAlive,
  sessionExpiry,
  signInFailedMessage,
  tokenAlive,
  tokenPrefix,
} from './auth.rules.js';
import {
  passwordSchema,
  type Actor,
  type ApiToken,
  type CreatedToken,
  type CreateUserBody,
  type Language,
  type LoginBody,
  type Me,
  type ProfileBody,
  type Role,
  type Team,
  type UpdateUserBody,
  type User,
  type UserListQuery,
} from './auth.schema.js';
import {
  argon2Hasher,
  csrfTokenFor,
  newApiToken,
  newSessionToken,
  sha256Hex,
  type PasswordHasher,
} from './auth.secrets.js';
import { buildActor, requireScope, roleWithin } from './permissions.rules.js';
import { ownerScopeWhere, userScopeWhere } from './scope.repository.js';

/**
 * Records an audit entry, inside `db` when it is a transaction: the audit feature's AuditService.record,
 * passed in by compose.ts. (Declared here, structurally, so that auth does not import audit, which imports auth.)
 */
export interface AuditRecord {
  actor: Actor;
  action: string;
  resource: string;
  recordIds?: readonly (string | number)[];
  recordCount?: number;
  details?: Readonly<Record<string, string | number | boolean | null | readonly string[] | readonly number[]>>;
}
export type AuditRecorder = (input: AuditRecord, db?: Kysely<DB>) => Promise<number>;

export interface Origin {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  /** The cookie value (shown to the browser only). */
  sessionToken: string;
  me: Me;
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  team?: string | null;
  /** null: the user cannot sign in until a password is set (e.g. token-only integration users). */
  password: string | null;
  language?: Language;
}

export interface AuthService {
  login(body: LoginBody, origin: Origin): Promise<SignedIn>;
  logout(actor: Actor): Promise<void>;
  /** The actor of a session cookie, or null when the session is unknown, ended, expired or its user inactive. */
  authenticateSession(sessionToken: string, origin: Origin): Promise<Actor | null>;
  /** The actor of an API token, or null when the token is unknown, revoked, expired or its user inactive. */
  authenticateToken(token: string, origin: Origin): Promise<Actor | null>;
  csrfTokenFor(sessionToken: string): string;
  me(actor: Actor, csrfToken: string | null): Promise<Me>;
  updateProfile(actor: Actor, body: ProfileBody): Promise<User>;
  changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void>;

  listUsers(actor: Actor, query: UserListQuery): Promise<User[]>;
  getUser(actor: Actor, id: number): Promise<User>;
  findUserByEmail(actor: Actor, email: string): Promise<User>;
  createUser(actor: Actor, user: NewUser | CreateUserBody): Promise<User>;
  updateUser(actor: Actor, id: number, body: UpdateUserBody): Promise<User>;
  /** Deactivates the user and, in the same transaction, ends every session and revokes every token. */
  deactivateUser(actor: Actor, id: number): Promise<{ user: User; sessionsEnded: number; tokensRevoked: number }>;
  reactivateUser(actor: Actor, id: number): Promise<User>;
  resetPassword(actor: Actor, id: number, password: string): Promise<void>;

  listTeams(actor: Actor): Promise<Team[]>;
  createTeam(actor: Actor, name: string): Promise<Team>;
  deleteTeam(actor: Actor, name: string): Promise<void>;

  listTokens(actor: Actor): Promise<ApiToken[]>;
  createToken(
    actor: Actor,
    input: { name: string; role?: Role | undefined; expiresInMs: number; userId?: number },
  ): Promise<CreatedToken>;
  revokeToken(actor: Actor, id: number): Promise<ApiToken>;
}

export interface AuthServiceDeps {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditRecorder;
  hasher?: PasswordHasher;
}

const anonymous = (origin: Origin): Actor =>
  buildActor({
    userId: null,
    role: 'viewer',
    team: null,
    via: 'anonymous',
    ip: origin.ip,
    userAgent: origin.userAgent,
  });

const notFoundUser = (id: number | string) => new AppError('not_found', `User ${id} does not exist.`);

export function createAuthService({ db, clock, audit, hasher = argon2Hasher }: AuthServiceDeps): AuthService {
  // Unknown e-mails are checked against this hash too, so a failure takes as long whether the user exists or not.
  let dummyHash: Promise<string> | undefined;
  const timingDummy = () => (dummyHash ??= hasher.hash('rapport timing equaliser, never a password'));

  const actorOf = (
    user: UserRecord,
    via: 'session' | 'token',
    origin: Origin,
    extra: { sessionId?: number; tokenId?: number; role?: Role },
  ) =>
    buildActor({
      userId: user.id,
      role: extra.role ?? user.role,
      team: user.team,
      via,
      ip: origin.ip,
      userAgent: origin.userAgent,
      ...extra,
    });

  const meOf = (actor: Actor, user: UserRecord, csrfToken: string | null): Me => ({
    user: publicUser(user),
    role: actor.role,
    via: actor.via,
    grants: actor.grants,
    sees: { ...actor.sees },
    csrfToken,
  });

  const requireUserInScope = async (
    actor: Actor,
    id: number,
    action: 'read' | 'update' | 'delete',
  ): Promise<UserRecord> => {
    const user = await findUserById(db, id, userScopeWhere(actor, action, 'u'));
    if (!user) throw notFoundUser(id);
    return user;
  };

  /** Nobody hands out or edits a role wider than their own. */
  const assertRoleGrantable = (actor: Actor, role: Role) => {
    if (!roleWithin(role, actor.role)) {
      throw new AppError('forbidden', `Your role (${actor.role}) may not grant the role ${role}.`);
    }
  };

  const assertTeamInScope = (actor: Actor, scope: 'own' | 'team' | 'all', team: string | null | undefined) => {
    if (scope === 'all') return;
    if (scope === 'team' && actor.team !== null && team === actor.team) return;
    throw new AppError('forbidden', `Your role (${actor.role}) may manage users of your own team only.`);
  };

  const assertTeamKnown = async (team: string | null | undefined) => {
    if (team && !(await teamExists(db, team))) {
      throw new AppError('validation_failed', `Team "${team}" does not exist: create it first.`, { parameter: 'team' });
    }
  };

  const service: AuthService = {
    async login(body, origin) {
      const now = clock.now();
      const user = await findUserByEmail(db, body.email);
      if (!user?.passwordHash || !user.active) {
        await hasher.verify(await timingDummy(), body.password);
        await audit({
          actor: user ? { ...anonymous(origin), userId: user.id } : anonymous(origin),
          action: 'sign_in_failed',
          resource: 'users',
          recordIds: user ? [user.id] : [],
          details: { reason: user ? (user.active ? 'no_password' : 'inactive') : 'unknown_user' },
        });
        throw new AppError('unauthenticated', signInFailedMessage);
      }
      const locked = isLocked(user.lockedUntilAt, now);
      const passwordOk = await hasher.verify(user.passwordHash, body.password);
      if (locked || !passwordOk) {
        const failure = { actor: { ...anonymous(origin), userId: user.id }, resource: 'users', recordIds: [user.id] };
        if (locked) {
          await audit({ ...failure, action: 'sign_in_failed', details: { reason: 'locked' } });
        } else {
          const next = afterFailedLogin(user.failedLogins, now);
          await db.transaction().execute(async (trx) => {
            await setLoginFailures(trx, user.id, next.failedLogins, next.lockedUntil);
            await audit({ ...failure, action: 'sign_in_failed', details: { reason: 'password' } }, trx);
            if (next.lockedUntil) {
              await audit({ ...failure, action: 'lockout', details: { minutes: authPolicy.lockoutMinutes } }, trx);
            }
          });
        }
        throw new AppError('unauthenticated', signInFailedMessage);
      }
      const sessionToken = newSessionToken();
      const sessionId = await db.transaction().execute(async (trx) => {
        if (user.failedLogins > 0 || user.lockedUntilAt) await setLoginFailures(trx, user.id, 0, null);
        const id = await insertSession(trx, {
          userId: user.id,
          tokenHash: sha256Hex(sessionToken),
          now,
          expiresAt: sessionExpiry(now),
          ip: origin.ip,
          userAgent: origin.userAgent?.slice(0, 300) ?? null,
        });
        const actor = actorOf(user, 'session', origin, { sessionId: id });
        await audit({ actor, action: 'sign_in', resource: 'users', recordIds: [user.id] }, trx);
        return id;
      });
      const actor = actorOf(user, 'session', origin, { sessionId });
      return {
        sessionToken,
        me: meOf(
          actor,
          { ...user, failedLogins: 0, lockedUntilAt: null, lockedUntil: null },
          csrfTokenFor(sessionToken),
        ),
      };
    },

    async logout(actor) {
      if (actor.sessionId === undefined) return;
      const sessionId = actor.sessionId;
      await db.transaction().execute(async (trx) => {
        await revokeSession(trx, sessionId, clock.now());
        await audit(
          { actor, action: 'sign_out', resource: 'users', recordIds: actor.userId === null ? [] : [actor.userId] },
          trx,
        );
      });
    },

    async authenticateSession(sessionToken, origin) {
      const found = await findSessionByHash(db, sha256Hex(sessionToken));
      const now = clock.now();
      if (!found || !found.user.active || !sessionAlive(found.session, now)) return null;
      if (needsTouch(found.session.lastSeenAt, now)) await touchSession(db, found.session.id, now);
      return actorOf(found.user, 'session', origin, { sessionId: found.session.id });
    },

    async authenticateToken(token, origin) {
      const found = await findTokenByHash(db, sha256Hex(token));
      const now = clock.now();
      if (!found || !found.user.active) return null;
      const times = {
        expiresAt: new Date(found.token.expiresAt),
        revokedAt: found.token.revokedAt ? new Date(found.token.revokedAt) : null,
      };
      if (!tokenAlive(times, now)) return null;
      // A token never acts above its owner's current role (the owner may have been given a narrower one since).
      if (!roleWithin(found.token.role, found.user.role)) return null;
      if (needsTouch(found.token.lastUsedAt ? new Date(found.token.lastUsedAt) : null, now)) {
        await touchToken(db, found.token.id, now);
      }
      return actorOf(found.user, 'token', origin, { tokenId: found.token.id, role: found.token.role });
    },

    csrfTokenFor,

    async me(actor, csrfToken) {
      if (actor.userId === null) throw new AppError('unauthenticated', 'Sign in first.');
      const user = await findUserById(db, actor.userId);
      if (!user) throw new AppError('unauthenticated', 'Sign in first.');
      return meOf(actor, user, csrfToken);
    },

    async updateProfile(actor, body) {
      if (actor.userId === null) throw new AppError('unauthenticated', 'Sign in first.');
      const userId = actor.userId;
      await db.transaction().execute(async (trx) => {
        await updateUserRow(trx, userId, body);
        await audit(
          { actor, action: 'update', resource: 'users', recordIds: [userId], details: { fields: Object.keys(body) } },
          trx,
        );
      });
      const user = await findUserById(db, userId);
      if (!user) throw new AppError('unauthenticated', 'Sign in first.');
      return publicUser(user);
    },

    async changePassword(actor, currentPassword, newPassword) {
      if (actor.userId === null) throw new AppError('unauthenticated', 'Sign in first.');
      const user = await findUserById(db, actor.userId);
      if (!user?.passwordHash || !(await hasher.verify(user.passwordHash, currentPassword))) {
        throw new AppError('forbidden', 'The current password is not correct.');
      }
      assertPasswordAcceptable(newPassword, user.email);
      const hashed = await hasher.hash(newPassword);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await setPasswordHash(trx, user.id, hashed, now);
        const ended = await revokeUserSessions(trx, user.id, now, actor.sessionId);
        await audit(
          {
            actor,
            action: 'password_change',
            resource: 'users',
            recordIds: [user.id],
            details: { otherSessionsEnded: ended },
          },
          trx,
        );
      });
    },

    async listUsers(actor, query) {
      return (await listUsers(db, query, userScopeWhere(actor, 'read', 'u'))).map(publicUser);
    },

    async getUser(actor, id) {
      return publicUser(await requireUserInScope(actor, id, 'read'));
    },

    async findUserByEmail(actor, email) {
      const user = await findUserByEmail(db, email);
      // Lookups by natural key go through the same scope as lookups by id.
      if (!user || !(await findUserById(db, user.id, userScopeWhere(actor, 'read', 'u')))) throw notFoundUser(email);
      return publicUser(user);
    },

    async createUser(actor, input) {
      const scope = requireScope(actor, 'users', 'create');
      const email = input.email.trim().toLowerCase();
      const team = input.team ?? null;
      assertRoleGrantable(actor, input.role);
      assertTeamInScope(actor, scope, team);
      await assertTeamKnown(team);
      if (input.password !== null) {
        passwordSchema.parse(input.password);
        assertPasswordAcceptable(input.password, email);
      }
      if (await findUserByEmail(db, email))
        throw new AppError('conflict', 'A user with this e-mail address already exists.');
      const passwordHash = input.password === null ? null : await hasher.hash(input.password);
      const id = await db.transaction().execute(async (trx) => {
        const newId = await insertUserRow(trx, {
          email,
          displayName: input.displayName.trim(),
          role: input.role,
          team,
          passwordHash,
          language: input.language ?? 'en',
        });
        await audit(
          { actor, action: 'create', resource: 'users', recordIds: [newId], details: { role: input.role, team } },
          trx,
        );
        return newId;
      });
      const user = await findUserById(db, id);
      if (!user) throw notFoundUser(id);
      return publicUser(user);
    },

    async updateUser(actor, id, body) {
      const scope = requireScope(actor, 'users', 'update');
      const user = await requireUserInScope(actor, id, 'update');
      assertRoleGrantable(actor, user.role);
      if (body.role !== undefined && body.role !== user.role) {
        if (actor.userId === id) throw new AppError('forbidden', 'You may not change your own role.');
        assertRoleGrantable(actor, body.role);
      }
      if (body.team !== undefined) {
        assertTeamInScope(actor, scope, body.team);
        await assertTeamKnown(body.team);
      }
      await db.transaction().execute(async (trx) => {
        await updateUserRow(trx, id, body);
        const details = {
          fields: Object.keys(body),
          ...(body.role ? { role: body.role } : {}),
          ...(body.team !== undefined ? { team: body.team } : {}),
        };
        await audit({ actor, action: 'update', resource: 'users', recordIds: [id], details }, trx);
      });
      return publicUser((await findUserById(db, id)) ?? user);
    },

    async deactivateUser(actor, id) {
      requireScope(actor, 'users', 'update');
      const user = await requireUserInScope(actor, id, 'update');
      assertRoleGrantable(actor, user.role);
      if (actor.userId === id) throw new AppError('forbidden', 'You may not deactivate yourself.');
      const now = clock.now();
      const counts = await db.transaction().execute(async (trx) => {
        await setUserActive(trx, id, false, now);
        const sessionsEnded = await revokeUserSessions(trx, id, now);
        const tokensRevoked = await revokeUserTokens(trx, id, now);
        await audit(
          {
            actor,
            action: 'deactivate',
            resource: 'users',
            recordIds: [id],
            details: { sessionsEnded, tokensRevoked },
          },
          trx,
        );
        return { sessionsEnded, tokensRevoked };
      });
      return { user: { ...publicUser(user), active: false }, ...counts };
    },

    async reactivateUser(actor, id) {
      requireScope(actor, 'users', 'update');
      const user = await requireUserInScope(actor, id, 'update');
      assertRoleGrantable(actor, user.role);
      await db.transaction().execute(async (trx) => {
        await setUserActive(trx, id, true, clock.now());
        await audit({ actor, action: 'reactivate', resource: 'users', recordIds: [id] }, trx);
      });
      return { ...publicUser(user), active: true, lockedUntil: null };
    },

    async resetPassword(actor, id, password) {
      requireScope(actor, 'users', 'update');
      const user = await requireUserInScope(actor, id, 'update');
      assertRoleGrantable(actor, user.role);
      passwordSchema.parse(password);
      assertPasswordAcceptable(password, user.email);
      const hashed = await hasher.hash(password);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await setPasswordHash(trx, id, hashed, now);
        const sessionsEnded = await revokeUserSessions(trx, id, now, actor.userId === id ? actor.sessionId : undefined);
        await audit(
          { actor, action: 'password_reset', resource: 'users', recordIds: [id], details: { sessionsEnded } },
          trx,
        );
      });
    },

    async listTeams(actor) {
      requireScope(actor, 'teams', 'read');
      return listTeams(db);
    },

    async createTeam(actor, name) {
      requireScope(actor, 'teams', 'create');
      const trimmed = name.trim();
      await db.transaction().execute(async (trx) => {
        if (!(await insertTeam(trx, trimmed))) throw new AppError('conflict', `Team "${trimmed}" already exists.`);
        await audit({ actor, action: 'create', resource: 'teams', recordIds: [trimmed] }, trx);
      });
      return { name: trimmed, members: await countTeamMembers(db, trimmed), createdAt: clock.now().toISOString() };
    },

    async deleteTeam(actor, name) {
      requireScope(actor, 'teams', 'delete');
      if ((await countTeamMembers(db, name)) > 0) {
        throw new AppError('conflict', `Team "${name}" still has members: move them to another team first.`);
      }
      await db.transaction().execute(async (trx) => {
        if (!(await deleteTeam(trx, name))) throw new AppError('not_found', `Team "${name}" does not exist.`);
        await audit({ actor, action: 'delete', resource: 'teams', recordIds: [name] }, trx);
      });
    },

    async listTokens(actor) {
      const scope = requireScope(actor, 'tokens', 'read');
      return listTokens(db, ownerScopeWhere(actor, scope, 't.user_id'));
    },

    async createToken(actor, input) {
      const scope = requireScope(actor, 'tokens', 'create');
      const userId = input.userId ?? actor.userId;
      if (userId === null)
        throw new AppError('validation_failed', 'Name the user the token acts for.', { parameter: 'email' });
      const owner = await findUserById(db, userId, ownerScopeWhere(actor, scope, 'u.id'));
      if (!owner) throw notFoundUser(userId);
      if (!owner.active) throw new AppError('conflict', 'The user is deactivated.');
      const role = input.role ?? (owner.id === actor.userId ? actor.role : owner.role);
      assertRoleGrantable(actor, role);
      if (!roleWithin(role, owner.role)) {
        throw new AppError(
          'forbidden',
          `A token may not carry a role (${role}) wider than its user's (${owner.role}).`,
        );
      }
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + input.expiresInMs);
      const secret = newApiToken();
      const token = await db.transaction().execute(async (trx) => {
        const created = await insertToken(trx, {
          userId: owner.id,
          name: input.name.trim(),
          tokenHash: sha256Hex(secret),
          prefix: secret.slice(0, tokenPrefix.length + 6),
          role,
          now,
          expiresAt,
        });
        await audit(
          {
            actor,
            action: 'token_create',
            resource: 'tokens',
            recordIds: [created.id],
            details: { userId: owner.id, role, expiresAt: expiresAt.toISOString() },
          },
          trx,
        );
        return created;
      });
      return { ...token, token: secret };
    },

    async revokeToken(actor, id) {
      const scope = requireScope(actor, 'tokens', 'delete');
      const token = await findToken(db, id, ownerScopeWhere(actor, scope, 't.user_id'));
      if (!token) throw new AppError('not_found', `Token ${id} does not exist.`);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await revokeToken(trx, id, now);
        await audit(
          { actor, action: 'token_revoke', resource: 'tokens', recordIds: [id], details: { userId: token.userId } },
          trx,
        );
      });
      return { ...token, revokedAt: token.revokedAt ?? now.toISOString() };
    },
  };
  return service;
}
