import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  actions,
  allows,
  csrfHeaderName,
  isSessionFormat,
  isUnsafeMethod,
  originOf,
  parseAuthorization,
  resources,
  safeEqual,
  sensitiveFields,
  sessionCookieName,
  clearSessionCookie,
  type Actor,
  type AuditRecorder,
  type AuthService,
  type RouteAccess,
} from '../../features/auth/index.js';
import { auditScope } from '../../features/audit/index.js';
import { AppError } from '../../shared/errors.js';

/**
 * Security of every request: headers (helmet), cookies, the sign-in rate limit, authentication (session
 * cookie or Bearer token) and authorisation against the permission each route declares in its options.
 *
 * Order of answers: no or invalid credentials → 401; a route without a declaration → 403 (deny by default);
 * the role lacks the action → 403; a cookie-authenticated write without the CSRF header → 403. Record scope
 * (a record outside it → 404) and field masks are applied by the services with the request's Actor.
 * Everything runs in onRequest, before the body is even parsed, so a refused request does nothing.
 *
 * Paths outside /api answered with GET or HEAD are the static web app and public; every /api route must declare.
 * No CORS: the API answers same-origin browsers and token clients only.
 */
export interface RouteAccessEntry {
  method: string;
  url: string;
  /** null: the route declares nothing and is refused. 'web': a static file of the web app. */
  access: RouteAccess | 'web' | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after the plugin, with its declared access (for the deny-by-default test). */
    routeAccess: RouteAccessEntry[];
  }
}

export interface SecurityOptions {
  auth: AuthService;
  /** Records the successful writes, imports and exports of routes whose service does not (see auditedBy). */
  audit?: AuditRecorder;
}

/** Record ids named by a request: its path parameters (id, name…) and the id of what it created. */
function recordIdsOf(request: FastifyRequest, payload: unknown): string[] {
  const ids: string[] = [];
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(params)) {
    if ((typeof value === 'string' || typeof value === 'number') && key !== 'entity' && String(value).length <= 100)
      ids.push(String(value));
  }
  if (typeof payload === 'string' && payload.length <= 65_536 && payload.startsWith('{')) {
    try {
      const body = JSON.parse(payload) as Record<string, unknown>;
      for (const key of ['id', 'importId']) {
        const value = body[key];
        if ((typeof value === 'number' || typeof value === 'string') && !ids.includes(String(value)))
          ids.push(String(value));
      }
    } catch {
      // not JSON: nothing to add
    }
  }
  return ids;
}

const isResource = (value: unknown): boolean =>
  typeof value === 'string' && (resources as readonly string[]).includes(value);
const isAction = (value: unknown): boolean =>
  typeof value === 'string' && (actions as readonly string[]).includes(value);

/** The access a route's config declares; more than one declaration, or a malformed one, counts as none. */
export function accessOf(
  config: Partial<FastifyContextConfig> | undefined,
  url: string,
  method: string,
): RouteAccessEntry['access'] {
  const declared: RouteAccess[] = [];
  if (config?.public === true) declared.push({ public: true });
  if (config?.signedIn === true) declared.push({ signedIn: true });
  const permission = config?.permission;
  if (permission !== undefined) {
    if (!isResource(permission.resource) || !isAction(permission.action)) return null;
    declared.push({ permission: { resource: permission.resource, action: permission.action } });
  }
  if (declared.length === 1) return declared[0] ?? null;
  if (declared.length > 1) return null;
  if (!url.startsWith('/api') && (method === 'GET' || method === 'HEAD')) return 'web';
  return null;
}

const unauthenticated = (reply: FastifyReply, message: string): AppError => {
  void reply.header('www-authenticate', 'Bearer realm="rapport"');
  return new AppError('unauthenticated', message);
};

/** The Origin of a browser request must be this server (a second guard beside the CSRF token). */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    // Both through URL, so a default port (:80, :443) compares equal to none.
    return new URL(origin).host === new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return false;
  }
}

async function authenticate(request: FastifyRequest, reply: FastifyReply, auth: AuthService): Promise<Actor> {
  const origin = originOf(request);
  const authorization = parseAuthorization(request.headers.authorization);
  if (authorization.kind === 'malformed') {
    throw unauthenticated(reply, 'The Authorization header must be "Bearer <API token>".');
  }
  if (authorization.kind === 'bearer') {
    const actor = await auth.authenticateToken(authorization.token, origin);
    if (!actor) throw unauthenticated(reply, 'The API token is not valid: unknown, revoked or expired.');
    return actor;
  }
  const sessionToken = request.cookies[sessionCookieName];
  if (sessionToken === undefined || sessionToken === '') throw unauthenticated(reply, 'Sign in first.');
  const actor = isSessionFormat(sessionToken) ? await auth.authenticateSession(sessionToken, origin) : null;
  if (!actor) {
    clearSessionCookie(request, reply);
    throw unauthenticated(reply, 'Your session has ended. Sign in again.');
  }
  const csrfToken = auth.csrfTokenFor(sessionToken);
  if (isUnsafeMethod(request.method)) {
    const sent = request.headers[csrfHeaderName];
    if (typeof sent !== 'string' || !safeEqual(sent, csrfToken) || !sameOrigin(request)) {
      throw new AppError('forbidden', 'This change needs the X-CSRF-Token header of your session (from /api/auth/me).');
    }
  }
  request.csrfToken = csrfToken;
  return actor;
}

/** Resources whose records hold personal data (the classes of sensitiveFields): their lists are read-outs. */
const personalResources = new Set(
  Object.entries(sensitiveFields)
    .filter(([, fieldClass]) => fieldClass === 'personal')
    .map(([field]) => field.split('.')[0]),
);

export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  /**
   * A list of records holding personal data, answered to a role that sees personal data, is a bulk read-out:
   * recorded with the ids of the records (never their values).
   */
  const recordPersonalReadOut = async (request: FastifyRequest, status: number, payload: unknown): Promise<void> => {
    const permission = request.routeOptions.config?.permission;
    const actor = request.actor;
    if (!options.audit || !permission || !actor || status !== 200 || !actor.sees.personal) return;
    if (!personalResources.has(permission.resource) || typeof payload !== 'string' || !payload.startsWith('{')) return;
    let items: unknown;
    try {
      items = (JSON.parse(payload) as { items?: unknown }).items;
    } catch {
      return;
    }
    if (!Array.isArray(items) || items.length < 2) return;
    const ids = (items as unknown[]).flatMap((item) => {
      const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined;
      return typeof id === 'number' || typeof id === 'string' ? [String(id)] : [];
    });
    try {
      await options.audit({
        actor,
        action: 'read_personal',
        resource: permission.resource,
        recordIds: ids,
        recordCount: items.length,
        details: { route: `${request.method} ${request.routeOptions.url ?? ''}` },
      });
    } catch (error) {
      request.log.error({ err: error }, 'audit entry could not be written');
    }
  };

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"], // Mantine injects its CSS variables at run time
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        'base-uri': ["'self'"],
        'upgrade-insecure-requests': null, // served over plain HTTP on localhost; HSTS applies once on HTTPS
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError(
        'rate_limited',
        `Too many attempts. Try again in ${Math.max(1, Math.ceil(context.ttl / 1000))} seconds.`,
      ),
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  const registry: RouteAccessEntry[] = [];
  app.decorate('routeAccess', registry);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // Read when asked: onRoute hooks of child contexts (e.g. the public API docs) may still set the config.
      registry.push({
        method,
        url: route.url,
        get access() {
          return accessOf(route.config, route.url, method);
        },
      });
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return; // the not-found handler answers the same for everyone
    const config = request.routeOptions.config;
    // A change is about to be served: the audit safety net below needs to know whether its service records it.
    if (config?.permission && config.permission.action !== 'read') auditScope.enterWith({ recorded: false });
    const access = accessOf(config, request.routeOptions.url ?? request.url, request.method);
    if (access === 'web' || (access !== null && 'public' in access)) return;
    const actor = await authenticate(request, reply, options.auth);
    request.actor = actor;
    if (access === null) {
      request.log.error({ route: request.routeOptions.url, method: request.method }, 'route declares no permission');
      throw new AppError('forbidden', 'This route declares no permission, so it is refused.');
    }
    if ('permission' in access && !allows(actor, access.permission)) {
      throw new AppError(
        'forbidden',
        `Your role (${actor.role}) may not ${access.permission.action} ${access.permission.resource}.`,
      );
    }
  });

  // The audit safety net: every successful create, update, delete, import or export is recorded, even when the
  // route's service does not record it itself (a service that calls recordAudit, or config.auditedBy: 'service',
  // says it does).
  const audit = options.audit;
  if (audit) {
    app.addHook('onSend', async (request, reply, payload) => {
      const config = request.routeOptions.config;
      const permission = config?.permission;
      if (permission?.action === 'read') {
        await recordPersonalReadOut(request, reply.statusCode, payload);
        return payload;
      }
      if (!permission || config.auditedBy === 'service') return payload;
      if (!request.actor || reply.statusCode >= 400 || auditScope.getStore()?.recorded) return payload;
      const entity = (request.params as Record<string, unknown> | undefined)?.entity;
      try {
        await audit({
          actor: request.actor,
          action: permission.action,
          resource: typeof entity === 'string' && /^[a-z_]{1,40}$/.test(entity) ? entity : permission.resource,
          recordIds: recordIdsOf(request, payload),
          details: { route: `${request.method} ${request.routeOptions.url ?? ''}`, status: reply.statusCode },
        });
      } catch (error) {
        request.log.error({ err: error }, 'audit entry could not be written');
      }
      return payload;
    });
  }
}
