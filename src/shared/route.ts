import type { FastifyContextConfig } from 'fastify';
import type { z } from 'zod';
import { errorBodySchema, errorResponses } from './api-errors.js';

/** What a signed-in read can answer besides its result: the catalogue's 400/404/500 plus 401 and 403. */
export const readErrors = { ...errorResponses, 401: errorBodySchema, 403: errorBodySchema } as const;
/** A write can also answer 409 (stale version, name taken). */
export const writeErrors = { ...readErrors, 409: errorBodySchema } as const;

type Responses = Readonly<Record<number, z.ZodType>>;

/** One route's declaration: its access, the OpenAPI description and the schemas Fastify validates against. */
export interface RouteDeclaration {
  /**
   * What the security plugin (src/server/plugins/auth.ts) checks, exactly one of `{ permission }`,
   * `{ signedIn: true }` or `{ public: true }` (none, or two, and the route is refused), with `auditedBy` or
   * `rateLimit` beside it. It becomes the route's `config`, where the plugin reads it from.
   */
  access: Partial<FastifyContextConfig>;
  tags: readonly string[];
  summary: string;
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  /** The answers on success by status, e.g. `{ 201: thingSchema }`. */
  response?: Responses;
  /** The error answers, merged into `response`: usually readErrors or writeErrors. */
  errors?: Responses;
}

type ResponseOf<D extends RouteDeclaration> = D extends { response: infer R }
  ? D extends { errors: infer E }
    ? { response: R & E }
    : { response: R }
  : D extends { errors: infer E }
    ? { response: E }
    : unknown;

/** The options Fastify's `app.get(url, options, handler)` (and post, put…) takes, with their exact types. */
export interface RouteOptions<D extends RouteDeclaration> {
  config: D['access'];
  schema: Omit<D, 'access' | 'response' | 'errors'> & ResponseOf<D>;
}

/**
 * The options of one route: its access in `config`, its schemas with the error answers merged into `schema`.
 * Fastify stays in sight: the route is still `app.get(url, route({...}), handler)`, the handler Fastify's own,
 * typed from these schemas by the zod type provider, and the options are Fastify's, so the OpenAPI document is
 * what it was with them written out.
 *
 *     app.post(
 *       '/api/segments',
 *       route({ access: permission('segments', 'create'), tags, summary: 'Save a segment rule',
 *               body: segmentCreateSchema, response: { 201: segmentSchema }, errors: writeErrors }),
 *       async (request, reply) => reply.status(201).send(await segments.create(actor(request), request.body)),
 *     );
 *
 * The accounts and imports routes can adopt it route by route: their `config: read('accounts')` or
 * `write('accounts', 'update')` becomes `access`, the schema's fields move up a level, `...readErrors` or
 * `...writeErrors` leaves the response for `errors` (their local error sets are these two: import them from here).
 * Comparing /api/openapi.json before and after shows nothing else moved.
 */
export function route<D extends RouteDeclaration>(declaration: D): RouteOptions<D> {
  const { access, response, errors, ...schema } = declaration;
  // No response at all stays without one (a 204 answered by hand), so the document does not grow an empty entry.
  const responses = response === undefined && errors === undefined ? {} : { response: { ...response, ...errors } };
  return { config: access, schema: { ...schema, ...responses } } as RouteOptions<D>;
}
