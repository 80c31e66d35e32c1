import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type FastifyPluginAsyncZod,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { DatabaseKind } from '../db/connect.js';
import { auditRoutes, createAuditService, type AuditService } from '../features/audit/index.js';
import {
  authRoutes,
  createAuthService,
  type AuthRouteOptions,
  type AuthService,
  type Role,
  type User,
} from '../features/auth/index.js';
import { registerSecurity } from '../server/plugins/auth.js';
import { registerErrorHandling } from '../server/plugins/errors.js';
import type { Clock } from '../shared/clock.js';
import { systemActor } from '../features/auth/index.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/** A clock tests can move: sessions, tokens and lockouts expire by it. */
export interface MutableClock extends Clock {
  advance(ms: number): void;
  set(at: Date | string): void;
}

export function mutableClock(start: Date | string = '2026-11-24T02:00:00Z'): MutableClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (at) => {
      current = new Date(at).getTime();
    },
  };
}

export const testPassword = 'correct horse battery staple';

let sequence = 0;

export interface SignedInUser {
  user: User;
  /** Bearer token of the user's role. */
  token: string;
  headers: { authorization: string };
}

export interface AuthTestApp {
  app: FastifyInstance;
  database: TestDatabase;
  clock: MutableClock;
  auth: AuthService;
  audit: AuditService;
  /** A new user of this role (and team) with a password and a Bearer token of the same role. */
  user(role: Role, options?: { team?: string | null; email?: string; password?: string }): Promise<SignedInUser>;
  /** Signs in through the API; returns the Cookie header and the CSRF token. */
  signIn(email: string, password?: string): Promise<{ cookie: string; csrf: string; response: LightMyRequestResponse }>;
  close(): Promise<void>;
}

/**
 * The security plugin, the auth and audit routes and any extra routes on a throwaway database — the route
 * tier of the auth feature, independent of the rest of the app.
 */
export async function createAuthTestApp(
  kind: DatabaseKind,
  options: { routes?: FastifyPluginAsyncZod; clock?: MutableClock; authRoutes?: AuthRouteOptions } = {},
): Promise<AuthTestApp> {
  const database = await createTestDatabase(kind);
  const clock = options.clock ?? mutableClock();
  const audit = createAuditService({ db: database.db, clock });
  const auth = createAuthService({ db: database.db, clock, audit: audit.record });
  const app = Fastify({ logger: { level: 'silent' }, bodyLimit: 1024 * 1024 }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await registerSecurity(app, { auth, audit: audit.record });
  await app.register(authRoutes(auth, options.authRoutes ?? { loginRateLimit: { max: 1000, timeWindowMs: 60_000 } }));
  await app.register(auditRoutes(audit));
  if (options.routes) await app.register(options.routes);
  await app.ready();

  const admin = systemActor('system');
  const ensureTeam = async (team: string) => {
    const teams = await auth.listTeams(admin);
    if (!teams.some((item) => item.name === team)) await auth.createTeam(admin, team);
  };

  const harness: AuthTestApp = {
    app,
    database,
    clock,
    auth,
    audit,
    async user(role, userOptions = {}) {
      sequence += 1;
      const team = userOptions.team === undefined ? null : userOptions.team;
      if (team) await ensureTeam(team);
      const user = await auth.createUser(admin, {
        email: userOptions.email ?? `${role}.${sequence}@test.rapport.hk`,
        displayName: `${role} ${sequence}`,
        role,
        team,
        password: userOptions.password ?? testPassword,
      });
      const created = await auth.createToken(admin, { name: 'test', role, expiresInMs: 86_400_000, userId: user.id });
      return { user, token: created.token, headers: { authorization: `Bearer ${created.token}` } };
    },
    async signIn(email, password = testPassword) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
      const setCookie = response.cookies.find((c) => c.name === 'rapport_session');
      const body = response.json<{ csrfToken: string | null }>();
      return { cookie: setCookie ? `rapport_session=${setCookie.value}` : '', csrf: body.csrfToken ?? '', response };
    },
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
  return harness;
}
