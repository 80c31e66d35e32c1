import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../shared/api-errors.js';
import { route, writeErrors } from '../../shared/route.js';
import { clearSessionCookie, originOf, requireActor, setSessionCookie } from './auth.http.js';
import {
  changePasswordBodySchema,
  createdTokenSchema,
  createTeamBodySchema,
  createTokenBodySchema,
  createUserBodySchema,
  loginBodySchema,
  meSchema,
  profileBodySchema,
  resetPasswordBodySchema,
  teamListSchema,
  teamNameParamsSchema,
  teamSchema,
  tokenIdParamsSchema,
  tokenListSchema,
  tokenSchema,
  updateUserBodySchema,
  userIdParamsSchema,
  userListQuerySchema,
  userListSchema,
  userSchema,
} from './auth.schema.js';
import type { AuthService } from './auth.service.js';

/** Answered by hand with reply.code(204); its errors are still writeErrors. */
const noContent = { 204: z.null().describe('No content') } as const;

export interface AuthRouteOptions {
  /** Sign-in attempts per client address and window (the account lockout applies on top). */
  loginRateLimit?: { max: number; timeWindowMs: number };
}

export const authRoutes =
  (auth: AuthService, options: AuthRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const loginLimit = options.loginRateLimit ?? { max: 10, timeWindowMs: 60_000 };

    app.post(
      '/api/auth/login',
      route({
        access: { public: true, rateLimit: { max: loginLimit.max, timeWindow: loginLimit.timeWindowMs } },
        tags: ['auth'],
        summary: 'Sign in with e-mail and password: sets the session cookie, returns the user and the CSRF token',
        body: loginBodySchema,
        response: { 200: meSchema, 429: errorBodySchema },
        errors: writeErrors,
      }),
      async (request, reply) => {
        const { sessionToken, me } = await auth.login(request.body, originOf(request));
        setSessionCookie(request, reply, sessionToken);
        return me;
      },
    );
    app.post(
      '/api/auth/logout',
      route({
        access: { signedIn: true },
        tags: ['auth'],
        summary: 'Sign out: ends this session',
        response: noContent,
        errors: writeErrors,
      }),
      async (request, reply) => {
        await auth.logout(requireActor(request));
        clearSessionCookie(request, reply);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/api/auth/me',
      route({
        access: { signedIn: true },
        tags: ['auth'],
        summary: 'The signed-in user, their role, grants and field visibility',
        response: { 200: meSchema },
        errors: writeErrors,
      }),
      (request) => auth.me(requireActor(request), request.csrfToken),
    );
    app.patch(
      '/api/auth/me',
      route({
        access: { signedIn: true },
        tags: ['auth'],
        summary: 'Change my display name or language',
        body: profileBodySchema,
        response: { 200: userSchema },
        errors: writeErrors,
      }),
      (request) => auth.updateProfile(requireActor(request), request.body),
    );
    app.post(
      '/api/auth/password',
      route({
        access: { signedIn: true },
        tags: ['auth'],
        summary: 'Change my password (ends my other sessions)',
        body: changePasswordBodySchema,
        response: noContent,
        errors: writeErrors,
      }),
      async (request, reply) => {
        await auth.changePassword(requireActor(request), request.body.currentPassword, request.body.newPassword);
        return reply.code(204).send(null);
      },
    );

    // ── Users ──
    app.get(
      '/api/users',
      route({
        access: { permission: { resource: 'users', action: 'read' } },
        tags: ['users'],
        summary: 'List users (in scope)',
        querystring: userListQuerySchema,
        response: { 200: userListSchema },
        errors: writeErrors,
      }),
      async (request) => ({ items: await auth.listUsers(requireActor(request), request.query) }),
    );
    app.post(
      '/api/users',
      route({
        access: { permission: { resource: 'users', action: 'create' }, auditedBy: 'service' },
        tags: ['users'],
        summary: 'Create a user with an initial password',
        body: createUserBodySchema,
        response: { 201: userSchema },
        errors: writeErrors,
      }),
      async (request, reply) => reply.code(201).send(await auth.createUser(requireActor(request), request.body)),
    );
    app.get(
      '/api/users/:id',
      route({
        access: { permission: { resource: 'users', action: 'read' } },
        tags: ['users'],
        summary: 'One user',
        params: userIdParamsSchema,
        response: { 200: userSchema },
        errors: writeErrors,
      }),
      (request) => auth.getUser(requireActor(request), request.params.id),
    );
    app.patch(
      '/api/users/:id',
      route({
        access: { permission: { resource: 'users', action: 'update' }, auditedBy: 'service' },
        tags: ['users'],
        summary: "Change a user's name, role or team",
        params: userIdParamsSchema,
        body: updateUserBodySchema,
        response: { 200: userSchema },
        errors: writeErrors,
      }),
      (request) => auth.updateUser(requireActor(request), request.params.id, request.body),
    );
    app.post(
      '/api/users/:id/deactivate',
      route({
        access: { permission: { resource: 'users', action: 'update' }, auditedBy: 'service' },
        tags: ['users'],
        summary: 'Deactivate a user: ends all their sessions and revokes all their tokens at once',
        params: userIdParamsSchema,
        response: { 200: userSchema },
        errors: writeErrors,
      }),
      async (request) => (await auth.deactivateUser(requireActor(request), request.params.id)).user,
    );
    app.post(
      '/api/users/:id/reactivate',
      route({
        access: { permission: { resource: 'users', action: 'update' }, auditedBy: 'service' },
        tags: ['users'],
        summary: 'Reactivate a user',
        params: userIdParamsSchema,
        response: { 200: userSchema },
        errors: writeErrors,
      }),
      (request) => auth.reactivateUser(requireActor(request), request.params.id),
    );
    app.post(
      '/api/users/:id/password',
      route({
        access: { permission: { resource: 'users', action: 'update' }, auditedBy: 'service' },
        tags: ['users'],
        summary: "Set a user's password (ends their sessions)",
        params: userIdParamsSchema,
        body: resetPasswordBodySchema,
        response: noContent,
        errors: writeErrors,
      }),
      async (request, reply) => {
        await auth.resetPassword(requireActor(request), request.params.id, request.body.password);
        return reply.code(204).send(null);
      },
    );

    // ── Teams ──
    app.get(
      '/api/teams',
      route({
        access: { permission: { resource: 'teams', action: 'read' } },
        tags: ['users'],
        summary: 'Teams with their active member counts',
        response: { 200: teamListSchema },
        errors: writeErrors,
      }),
      async (request) => ({ items: await auth.listTeams(requireActor(request)) }),
    );
    app.post(
      '/api/teams',
      route({
        access: { permission: { resource: 'teams', action: 'create' }, auditedBy: 'service' },
        tags: ['users'],
        summary: 'Create a team',
        body: createTeamBodySchema,
        response: { 201: teamSchema },
        errors: writeErrors,
      }),
      async (request, reply) => reply.code(201).send(await auth.createTeam(requireActor(request), request.body.name)),
    );
    app.delete(
      '/api/teams/:name',
      route({
        access: { permission: { resource: 'teams', action: 'delete' }, auditedBy: 'service' },
        tags: ['users'],
        summary: 'Delete a team without members',
        params: teamNameParamsSchema,
        response: noContent,
        errors: writeErrors,
      }),
      async (request, reply) => {
        await auth.deleteTeam(requireActor(request), request.params.name);
        return reply.code(204).send(null);
      },
    );

    // ── API tokens ──
    app.get(
      '/api/tokens',
      route({
        access: { permission: { resource: 'tokens', action: 'read' } },
        tags: ['tokens'],
        summary: 'API tokens (in scope; never the secrets)',
        response: { 200: tokenListSchema },
        errors: writeErrors,
      }),
      async (request) => ({ items: await auth.listTokens(requireActor(request)) }),
    );
    app.post(
      '/api/tokens',
      route({
        access: { permission: { resource: 'tokens', action: 'create' }, auditedBy: 'service' },
        tags: ['tokens'],
        summary: 'Create an API token for myself; the secret is in this response only',
        body: createTokenBodySchema,
        response: { 201: createdTokenSchema },
        errors: writeErrors,
      }),
      async (request, reply) => {
        const { name, role, expiresInDays } = request.body;
        const created = await auth.createToken(requireActor(request), {
          name,
          role,
          expiresInMs: expiresInDays * 86_400_000,
        });
        return reply.code(201).header('cache-control', 'no-store').send(created);
      },
    );
    app.delete(
      '/api/tokens/:id',
      route({
        access: { permission: { resource: 'tokens', action: 'delete' }, auditedBy: 'service' },
        tags: ['tokens'],
        summary: 'Revoke an API token',
        params: tokenIdParamsSchema,
        response: { 200: tokenSchema },
        errors: writeErrors,
      }),
      (request) => auth.revokeToken(requireActor(request), request.params.id),
    );
  };
