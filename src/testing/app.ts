import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../config/env.js';
import { createServices, type AppContext } from '../compose.js';
import type { DatabaseKind } from '../db/connect.js';
import { systemActor, type Role, type User } from '../features/auth/index.js';
import { buildApp } from '../server/app.js';
import { fixedClock, type Clock } from '../shared/clock.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export type Inject = (options: InjectOptions | string) => Promise<LightMyRequestResponse>;

export interface SignedInTestUser {
  user: User;
  /** Bearer token of the user's role. */
  token: string;
  /** inject() with this user's `Authorization: Bearer` header (unless the request sets its own). */
  inject: Inject;
}

export interface TestApp {
  app: FastifyInstance;
  context: AppContext;
  database: TestDatabase;
  /** The user the app was created for (role `options.role`, default admin). */
  user: User;
  token: string;
  /** inject() as that user. `t.app.inject()` sends no credentials (401 on every non-public route). */
  inject: Inject;
  /** Another user, of any role and team, with their own inject(). */
  as(role: Role, options?: { team?: string | null }): Promise<SignedInTestUser>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** The role of the user `t.inject()` acts as (default admin). */
  role?: Role;
  team?: string | null;
  clock?: Clock;
}

let sequence = 0;

/** The real app on a throwaway database, for inject() route tests, with a signed-in user of the chosen role. */
export async function createTestApp(kind: DatabaseKind, options: TestAppOptions | Clock = {}): Promise<TestApp> {
  const settings: TestAppOptions = 'now' in options ? { clock: options } : options;
  const clock = settings.clock ?? fixedClock('2026-11-24T02:00:00Z');
  const database = await createTestDatabase(kind);
  const config = loadConfig({}, {});
  const context: AppContext = {
    config,
    database,
    clock,
    services: createServices(database, clock, config),
    migrationsApplied: [],
    close: () => database.dispose(),
  };
  const app = await buildApp(context, { logLevel: 'silent', webDistDir: null });
  const auth = context.services.auth;
  const system = systemActor('system');

  const as = async (role: Role, userOptions: { team?: string | null } = {}): Promise<SignedInTestUser> => {
    sequence += 1;
    const team = userOptions.team ?? null;
    if (team && !(await auth.listTeams(system)).some((existing) => existing.name === team)) {
      await auth.createTeam(system, team);
    }
    const user = await auth.createUser(system, {
      email: `${role.replace('_', '-')}.${sequence}@test.rapport.hk`,
      displayName: `Test ${role} ${sequence}`,
      role,
      team,
      password: null,
    });
    const { token } = await auth.createToken(system, { name: 'test', expiresInMs: 365 * 86_400_000, userId: user.id });
    const inject: Inject = (request) => {
      const base: InjectOptions = typeof request === 'string' ? { url: request } : request;
      const headers = { authorization: `Bearer ${token}`, ...(base.headers ?? {}) };
      return app.inject({ ...base, headers });
    };
    return { user, token, inject };
  };

  const main = await as(settings.role ?? 'admin', { team: settings.team ?? null });
  return {
    app,
    context,
    database,
    user: main.user,
    token: main.token,
    inject: main.inject,
    as,
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}
