import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases.js';
import { mutableClock } from '../../testing/auth.js';
import { insertAccount } from '../../testing/factories.js';
import { createAuditService } from '../audit/index.js';
import { signInFailedMessage } from './auth.rules.js';
import { createAuthService, type AuthService } from './auth.service.js';
import { seedDemoUsers, demoPassword } from './demo-users.service.js';
import { buildActor, systemActor } from './permissions.rules.js';
import { accountScopeWhere, userScopeWhere } from './scope.repository.js';
import type { Role } from './auth.schema.js';

const password = 'correct horse battery staple';
const origin = { ip: '192.0.2.10', userAgent: 'Vitest' };
const hour = 3_600_000;
const admin = systemActor('system');

describeEachDatabase('auth service', (use) => {
  const clock = mutableClock('2026-11-24T02:00:00Z');
  let auth: AuthService;
  let n = 0;
  const newUser = async (role: Role, team: string | null = null) => {
    n += 1;
    return auth.createUser(admin, { email: `User.${n}@Example.HK`, displayName: `User ${n}`, role, team, password });
  };

  beforeAll(async () => {
    const { db } = use();
    const audit = createAuditService({ db, clock });
    auth = createAuthService({ db, clock, audit: audit.record });
    await auth.createTeam(admin, 'Sea Freight');
    await auth.createTeam(admin, 'Air Freight');
  });

  it('stores only an argon2id hash of the password and lower-cases the e-mail', async () => {
    const user = await newUser('sales');
    expect(user.email).toBe(`user.${n}@example.hk`);
    const row = await sql<{ password_hash: string }>`select password_hash from users where id = ${user.id}`.execute(
      use().db,
    );
    expect(row.rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.rows[0]!.password_hash).not.toContain(password);
    await expect(
      newUser('sales').then(() =>
        auth.createUser(admin, { email: user.email.toUpperCase(), displayName: 'x', role: 'sales', password }),
      ),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('signs in with any case of the e-mail and keeps only a hash of the session token', async () => {
    const user = await newUser('analyst');
    const signedIn = await auth.login({ email: user.email.toUpperCase(), password }, origin);
    expect(signedIn.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signedIn.me).toMatchObject({
      user: { id: user.id },
      role: 'analyst',
      via: 'session',
      sees: { personal: false, commercial: true },
    });
    const stored = await sql<{
      token_hash: string;
      ip: string;
    }>`select token_hash, ip from auth_sessions where user_id = ${user.id}`.execute(use().db);
    expect(stored.rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]!.token_hash).not.toBe(signedIn.sessionToken);
    expect(stored.rows[0]!.ip).toBe(origin.ip);
    const actor = await auth.authenticateSession(signedIn.sessionToken, origin);
    expect(actor).toMatchObject({ userId: user.id, role: 'analyst', via: 'session' });
  });

  it('answers every sign-in failure with the same message', async () => {
    const user = await newUser('sales');
    const inactive = await newUser('sales');
    await auth.deactivateUser(admin, inactive.id);
    const failures = [
      () => auth.login({ email: 'nobody@example.hk', password }, origin),
      () => auth.login({ email: user.email, password: 'wrong password!' }, origin),
      () => auth.login({ email: inactive.email, password }, origin),
    ];
    for (const failure of failures)
      await expect(failure()).rejects.toMatchObject({ code: 'unauthenticated', message: signInFailedMessage });
  });

  it('locks an account after five failures for fifteen minutes, even for the right password, then lets it in', async () => {
    const user = await newUser('sales');
    for (let i = 0; i < 5; i += 1)
      await expect(auth.login({ email: user.email, password: 'wrong password!' }, origin)).rejects.toMatchObject({
        code: 'unauthenticated',
      });
    await expect(auth.login({ email: user.email, password }, origin)).rejects.toMatchObject({
      message: signInFailedMessage,
    });
    expect((await auth.getUser(admin, user.id)).lockedUntil).toBe('2026-11-24T02:15:00.000Z');
    clock.advance(15 * 60_000);
    await expect(auth.login({ email: user.email, password }, origin)).resolves.toMatchObject({
      me: { user: { id: user.id, lockedUntil: null } },
    });
    clock.set('2026-11-24T02:00:00Z');
  });

  it('ends a session when it is idle for twelve hours', async () => {
    const user = await newUser('viewer');
    const { sessionToken } = await auth.login({ email: user.email, password }, origin);
    clock.advance(11 * hour);
    expect(await auth.authenticateSession(sessionToken, origin)).not.toBeNull(); // also touches last_seen_at
    clock.advance(11 * hour);
    expect(await auth.authenticateSession(sessionToken, origin)).not.toBeNull();
    clock.advance(12 * hour);
    expect(await auth.authenticateSession(sessionToken, origin)).toBeNull();
    clock.set('2026-11-24T02:00:00Z');
  });

  it('ends a session on sign-out and refuses unknown session tokens', async () => {
    const user = await newUser('viewer');
    const { sessionToken } = await auth.login({ email: user.email, password }, origin);
    const actor = (await auth.authenticateSession(sessionToken, origin))!;
    await auth.logout(actor);
    expect(await auth.authenticateSession(sessionToken, origin)).toBeNull();
    expect(await auth.authenticateSession('x'.repeat(43), origin)).toBeNull();
  });

  it('shows an API token once, stores its hash, and refuses it after it expires or is revoked', async () => {
    const user = await newUser('manager', 'Air Freight');
    const me = buildActor({ userId: user.id, role: 'manager', team: 'Air Freight', via: 'session' });
    const created = await auth.createToken(me, { name: 'BI export', role: 'viewer', expiresInMs: 2 * hour });
    expect(created.token).toMatch(/^rpt_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      role: 'viewer',
      prefix: created.token.slice(0, 10),
      expiresAt: '2026-11-24T04:00:00.000Z',
    });
    const stored = await sql<{
      token_hash: string;
    }>`select token_hash from api_tokens where id = ${created.id}`.execute(use().db);
    expect(stored.rows[0]!.token_hash).not.toContain(created.token.slice(4));
    expect((await auth.listTokens(me)).map((t) => t.id)).toContain(created.id);
    expect(JSON.stringify(await auth.listTokens(me))).not.toContain(created.token);

    expect(await auth.authenticateToken(created.token, origin)).toMatchObject({
      userId: user.id,
      role: 'viewer',
      team: 'Air Freight',
      via: 'token',
    });
    clock.advance(2 * hour);
    expect(await auth.authenticateToken(created.token, origin)).toBeNull();
    clock.set('2026-11-24T02:00:00Z');

    const second = await auth.createToken(me, { name: 'second', expiresInMs: hour });
    expect(second.role).toBe('manager');
    await auth.revokeToken(me, second.id);
    expect(await auth.authenticateToken(second.token, origin)).toBeNull();
  });

  it('never gives a token a role wider than its user, and drops tokens wider than a narrowed role', async () => {
    const user = await newUser('manager', 'Air Freight');
    const me = buildActor({ userId: user.id, role: 'manager', team: 'Air Freight', via: 'session' });
    await expect(auth.createToken(me, { name: 'x', role: 'admin', expiresInMs: hour })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(auth.createToken(me, { name: 'x', role: 'auditor', expiresInMs: hour })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const token = await auth.createToken(me, { name: 'x', expiresInMs: hour });
    await auth.updateUser(admin, user.id, { role: 'viewer' });
    expect(await auth.authenticateToken(token.token, origin)).toBeNull();
  });

  it('deactivating a user ends all their sessions and revokes all their tokens at once', async () => {
    const user = await newUser('sales', 'Sea Freight');
    const sessions = [
      await auth.login({ email: user.email, password }, origin),
      await auth.login({ email: user.email, password }, origin),
    ];
    const tokens = [
      await auth.createToken(admin, { name: 'a', expiresInMs: hour, userId: user.id }),
      await auth.createToken(admin, { name: 'b', expiresInMs: hour, userId: user.id }),
    ];
    const result = await auth.deactivateUser(admin, user.id);
    expect(result).toMatchObject({ sessionsEnded: 2, tokensRevoked: 2, user: { active: false } });
    for (const s of sessions) expect(await auth.authenticateSession(s.sessionToken, origin)).toBeNull();
    for (const t of tokens) expect(await auth.authenticateToken(t.token, origin)).toBeNull();
    const open = await sql<{ n: number }>`
      select (select count(*) from auth_sessions where user_id = ${user.id} and revoked_at is null)
           + (select count(*) from api_tokens where user_id = ${user.id} and revoked_at is null) as n`.execute(
      use().db,
    );
    expect(Number(open.rows[0]!.n)).toBe(0);
    // Reactivation does not bring the old sessions or tokens back.
    await auth.reactivateUser(admin, user.id);
    for (const t of tokens) expect(await auth.authenticateToken(t.token, origin)).toBeNull();
  });

  it('changing one\u2019s password ends one\u2019s other sessions', async () => {
    const user = await newUser('service');
    const a = await auth.login({ email: user.email, password }, origin);
    const b = await auth.login({ email: user.email, password }, origin);
    const actor = (await auth.authenticateSession(a.sessionToken, origin))!;
    await expect(auth.changePassword(actor, 'not it at all', 'a new long passphrase')).rejects.toMatchObject({
      code: 'forbidden',
    });
    await auth.changePassword(actor, password, 'a new long passphrase');
    expect(await auth.authenticateSession(a.sessionToken, origin)).not.toBeNull();
    expect(await auth.authenticateSession(b.sessionToken, origin)).toBeNull();
    await expect(auth.login({ email: user.email, password }, origin)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    await expect(auth.login({ email: user.email, password: 'a new long passphrase' }, origin)).resolves.toBeTruthy();
  });

  it('keeps managers to their team and nobody above their own role', async () => {
    const manager = await newUser('manager', 'Sea Freight');
    const mate = await newUser('sales', 'Sea Freight');
    const stranger = await newUser('sales', 'Air Freight');
    const actor = buildActor({ userId: manager.id, role: 'manager', team: 'Sea Freight', via: 'session' });
    const visible = (await auth.listUsers(actor, {})).map((u) => u.id);
    expect(visible).toEqual(expect.arrayContaining([manager.id, mate.id]));
    expect(visible).not.toContain(stranger.id);
    await expect(auth.getUser(actor, stranger.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(auth.findUserByEmail(actor, stranger.email)).rejects.toMatchObject({ code: 'not_found' });
    await expect(auth.updateUser(actor, mate.id, { displayName: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    const adminUser = await newUser('admin');
    const adminActor = buildActor({ userId: adminUser.id, role: 'admin', team: null, via: 'session' });
    await expect(auth.updateUser(adminActor, adminUser.id, { role: 'viewer' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(auth.deactivateUser(adminActor, adminUser.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      auth.createUser(adminActor, {
        email: 'team@x.hk',
        displayName: 'x',
        role: 'sales',
        team: 'No Such Team',
        password,
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('records sign-ins, failures and administration in the audit log without personal values', async () => {
    const rows = await sql<{
      action: string;
      details: unknown;
      record_ids: unknown;
    }>`select action, details, record_ids from audit_log`.execute(use().db);
    const actions = new Set(rows.rows.map((row) => row.action));
    for (const action of [
      'create',
      'sign_in',
      'sign_in_failed',
      'lockout',
      'sign_out',
      'token_create',
      'token_revoke',
      'deactivate',
      'password_change',
      'update',
    ]) {
      expect(actions).toContain(action);
    }
    const text = JSON.stringify(rows.rows);
    expect(text).not.toMatch(/@example\.hk/i);
    expect(text).not.toContain(password);
    expect((await createAuditService({ db: use().db, clock }).verify()).ok).toBe(true);
  });

  it('creates teams once and deletes only empty ones', async () => {
    await auth.createTeam(admin, 'Customs Brokerage');
    await expect(auth.createTeam(admin, 'Customs Brokerage')).rejects.toMatchObject({ code: 'conflict' });
    await expect(auth.deleteTeam(admin, 'Sea Freight')).rejects.toMatchObject({ code: 'conflict' });
    await auth.deleteTeam(admin, 'Customs Brokerage');
    await expect(auth.deleteTeam(admin, 'Customs Brokerage')).rejects.toMatchObject({ code: 'not_found' });
    expect((await auth.listTeams(admin)).find((t) => t.name === 'Sea Freight')?.members).toBeGreaterThan(0);
  });
});

describeEachDatabase('record scope as SQL', (use) => {
  const ids: Record<'own' | 'team' | 'other' | 'unowned', number> = { own: 0, team: 0, other: 0, unowned: 0 };
  let me = 0;
  beforeAll(async () => {
    const { db } = use();
    const clock = mutableClock();
    const auth = createAuthService({ db, clock, audit: createAuditService({ db, clock }).record });
    await auth.createTeam(admin, 'Sea Freight');
    await auth.createTeam(admin, 'Air Freight');
    const mk = (email: string, team: string) =>
      auth.createUser(admin, { email, displayName: email, role: 'sales', team, password: null });
    me = (await mk('me@x.hk', 'Sea Freight')).id;
    const mate = (await mk('mate@x.hk', 'Sea Freight')).id;
    const stranger = (await mk('stranger@x.hk', 'Air Freight')).id;
    ids.own = (await insertAccount(db, { owner_id: me })).id;
    ids.team = (await insertAccount(db, { owner_id: mate })).id;
    ids.other = (await insertAccount(db, { owner_id: stranger })).id;
    ids.unowned = (await insertAccount(db, {})).id;
  });

  const visible = async (role: Role, action: 'read' | 'update', team: string | null = 'Sea Freight') => {
    const actor = buildActor({ userId: me, role, team, via: 'token' });
    const rows = await use()
      .db.selectFrom('accounts as a')
      .select('a.id')
      .where(accountScopeWhere(actor, action, { ownerColumn: 'a.owner_id' }))
      .execute();
    const seen = new Set(rows.map((r) => r.id));
    return (['own', 'team', 'other', 'unowned'] as const).filter((k) => seen.has(ids[k]));
  };

  it('own → the accounts the user owns', async () => {
    expect(await visible('sales', 'update')).toEqual(['own']);
  });
  it('team → the accounts of everyone in the team', async () => {
    expect(await visible('sales', 'read')).toEqual(['own', 'team']);
    expect(await visible('manager', 'update')).toEqual(['own', 'team']);
  });
  it('team without a team → own', async () => {
    expect(await visible('manager', 'read', null)).toEqual(['own']);
  });
  it('all → every account, owned or not', async () => {
    expect(await visible('analyst', 'read')).toEqual(['own', 'team', 'other', 'unowned']);
  });
  it('no grant → forbidden before any SQL runs', async () => {
    await expect(visible('viewer', 'update')).rejects.toMatchObject({ code: 'forbidden' });
  });
  it('users: team scope is the team', async () => {
    const actor = buildActor({ userId: me, role: 'manager', team: 'Sea Freight', via: 'token' });
    const rows = await use()
      .db.selectFrom('users')
      .select('email')
      .where(userScopeWhere(actor, 'read'))
      .orderBy('email')
      .execute();
    expect(rows.map((r) => r.email)).toEqual(['mate@x.hk', 'me@x.hk']);
  });
});

describe('demo users', () => {
  describeEachDatabase('seedDemoUsers', (use) => {
    it('creates one user per role with the shared password, once', async () => {
      const database = use();
      const first = await seedDemoUsers(database);
      expect(first.password).toBe(demoPassword);
      expect(first.users.map((u) => u.email)).toContain('privacy-officer@demo.rapport.hk');
      expect(first.users).toHaveLength(9);
      expect(first.users.every((u) => u.created)).toBe(true);
      const again = await seedDemoUsers(database);
      expect(again.users.every((u) => !u.created)).toBe(true);
      const clock = mutableClock();
      const auth = createAuthService({
        db: database.db,
        clock,
        audit: createAuditService({ db: database.db, clock }).record,
      });
      await expect(
        auth.login({ email: 'auditor@demo.rapport.hk', password: demoPassword }, origin),
      ).resolves.toMatchObject({ me: { role: 'auditor' } });
    });
  });
});
