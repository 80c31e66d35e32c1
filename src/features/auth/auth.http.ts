import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { Actor, PermissionDeclaration } from './auth.schema.js';
import { authPolicy } from './auth.rules.js';
import { systemActor } from './permissions.rules.js';

/**
 * How routes declare access, and what the auth plugin (src/server/plugins/auth.ts) leaves on the request.
 *
 *   app.get('/api/x', { config: { permission: { resource: 'accounts', action: 'read' } } }, …)
 *   app.post('/api/auth/login', { config: { public: true } }, …)
 *   app.get('/api/auth/me', { config: { signedIn: true } }, …)      // any signed-in user, about themselves
 *
 * A route without one of these is refused (403) and fails the route-declaration test.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    public?: true;
    signedIn?: true;
    permission?: PermissionDeclaration;
    /**
     * 'service': the route's service writes its own, more precise audit entries (in the transaction of the
     * change). Otherwise the auth plugin records every successful request whose permission action is not
     * 'read' (create, update, delete, import, export): who, what, when, from where and the record ids.
     */
    auditedBy?: 'service';
  }
  interface FastifyRequest {
    /** Set by the auth plugin for every route that is not public. */
    actor: Actor | null;
    /** The session's CSRF token when the caller signed in with the cookie; null for tokens. */
    csrfToken: string | null;
  }
}

export const sessionCookieName = 'rapport_session';
export const csrfHeaderName = 'x-csrf-token';

/** The actor of a request the plugin let through (never null on a non-public route). */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated', 'Sign in first.');
  return request.actor;
}

/** A route's permission declaration, for its config (or the `access` of src/shared/route.ts). */
export const permission = (resource: PermissionDeclaration['resource'], action: PermissionDeclaration['action']) => ({
  permission: { resource, action },
});

/**
 * The request's Actor. When the security plugin (src/server/plugins/auth.ts) is registered it has authenticated
 * the request and checked the route's permission: the actor is required. Until it is wired into the app, requests
 * act as the system actor, exactly as the routes without authentication do.
 */
export function actorResolver(app: FastifyInstance): (request: FastifyRequest) => Actor {
  const secured = app.hasRequestDecorator('actor');
  return (request) => (secured ? requireActor(request) : systemActor('system', request.headers['user-agent'] ?? null));
}

export const originOf = (request: FastifyRequest): { ip: string | null; userAgent: string | null } => ({
  ip: request.ip || null,
  userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
});

/** httpOnly, SameSite=Lax, Secure when the request came over HTTPS; lives as long as the session may. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(sessionCookieName, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: authPolicy.sessionAbsoluteHours * 3600,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
  });
}
