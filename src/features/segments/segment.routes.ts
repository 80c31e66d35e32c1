import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema, errorResponses } from '../../shared/api-errors.js';
import { requireActor, systemActor, type Actor, type PermissionDeclaration } from '../auth/index.js';
import {
  fieldCatalogueSchema,
  installDefaultsSchema,
  installedDefaultsSchema,
  memberListQuerySchema,
  memberPageSchema,
  previewRequestSchema,
  previewSchema,
  segmentCreateSchema,
  segmentDeleteQuerySchema,
  segmentIdParamsSchema,
  segmentListQuerySchema,
  segmentListSchema,
  segmentSchema,
  segmentSnapshotSchema,
  segmentUpdateSchema,
  snapshotChangesSchema,
  snapshotListSchema,
  snapshotParamsSchema,
  templateListSchema,
  templateQuerySchema,
} from './segment.schema.js';
import type { SegmentService } from './segment.service.js';

/** Every error a write can answer: the catalogue's 400/404/500 plus 401, 403 and 409 (stale version, name taken). */
export const writeErrors = {
  ...errorResponses,
  401: errorBodySchema,
  403: errorBodySchema,
  409: errorBodySchema,
} as const;
export const readErrors = { ...errorResponses, 401: errorBodySchema, 403: errorBodySchema } as const;

/**
 * The request's Actor. When the security plugin (src/server/plugins/auth.ts) is registered it has authenticated
 * the request and checked the route's permission: the actor is required. Until it is wired into the app, requests
 * act as the system actor, exactly as the routes without authentication do.
 */
export function actorResolver(app: FastifyInstance): (request: FastifyRequest) => Actor {
  const secured = app.hasRequestDecorator('actor');
  return (request) => (secured ? requireActor(request) : systemActor('system', request.headers['user-agent'] ?? null));
}

export const permission = (resource: PermissionDeclaration['resource'], action: PermissionDeclaration['action']) => ({
  permission: { resource, action },
});

export const segmentRoutes =
  (segments: SegmentService): FastifyPluginAsyncZod =>
  async (app) => {
    const actor = actorResolver(app);
    const tags = ['segments'];

    app.get(
      '/api/segments',
      {
        config: permission('segments', 'read'),
        schema: {
          tags,
          summary: 'Saved segments with their live member counts and last snapshot',
          querystring: segmentListQuerySchema,
          response: { 200: segmentListSchema, ...readErrors },
        },
      },
      async (request) => ({ items: await segments.list(actor(request), request.query) }),
    );
    app.post(
      '/api/segments',
      {
        config: permission('segments', 'create'),
        schema: {
          tags,
          summary: 'Save a segment rule',
          body: segmentCreateSchema,
          response: { 201: segmentSchema, ...writeErrors },
        },
      },
      async (request, reply) => reply.status(201).send(await segments.create(actor(request), request.body)),
    );
    app.get(
      '/api/segments/fields',
      {
        config: permission('segments', 'read'),
        schema: {
          tags,
          summary: 'The fields a rule may name, their operators and values (for the rule editor)',
          response: { 200: fieldCatalogueSchema, ...readErrors },
        },
      },
      (request) => segments.fields(actor(request)),
    );
    app.get(
      '/api/segments/templates',
      {
        config: permission('segments', 'read'),
        schema: {
          tags,
          summary: 'Default segments of the industry packs, as templates',
          querystring: templateQuerySchema,
          response: { 200: templateListSchema, ...readErrors },
        },
      },
      async (request) => ({ items: await segments.templates(actor(request), request.query.industry) }),
    );
    app.post(
      '/api/segments/defaults',
      {
        config: permission('segments', 'create'),
        schema: {
          tags,
          summary: "Create an industry pack's default segments (once each)",
          body: installDefaultsSchema,
          response: { 201: installedDefaultsSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await segments.installDefaults(actor(request), request.body.industry)),
    );
    app.post(
      '/api/segments/preview',
      {
        config: permission('segments', 'read'),
        schema: {
          tags,
          summary: 'Live member count and the first members of a rule (nothing is saved)',
          body: previewRequestSchema,
          response: { 200: previewSchema, ...readErrors },
        },
      },
      (request) => segments.preview(actor(request), request.body),
    );
    app.post(
      '/api/segments/snapshots',
      {
        config: permission('segments', 'update'),
        schema: {
          tags,
          summary: 'Snapshot the membership of every segment now',
          response: { 201: snapshotListSchema, ...writeErrors },
        },
      },
      async (request, reply) => reply.status(201).send({ items: await segments.snapshotAll(actor(request)) }),
    );
    app.get(
      '/api/segments/:id',
      {
        config: permission('segments', 'read'),
        schema: {
          tags,
          summary: 'One segment with its rule, member count and last snapshot',
          params: segmentIdParamsSchema,
          response: { 200: segmentSchema, ...readErrors },
        },
      },
      (request) => segments.get(actor(request), request.params.id),
    );
    app.put(
      '/api/segments/:id',
      {
        config: permission('segments', 'update'),
        schema: {
          tags,
          summary: 'Change a segment (send the version you edited: 409 when someone saved in between)',
          params: segmentIdParamsSchema,
          body: segmentUpdateSchema,
          response: { 200: segmentSchema, ...writeErrors },
        },
      },
      (request) => segments.update(actor(request), request.params.id, request.body),
    );
    app.delete(
      '/api/segments/:id',
      {
        config: permission('segments', 'delete'),
        schema: {
          tags,
          summary: 'Delete a segment (its snapshots stay readable; strategies naming it keep working)',
          params: segmentIdParamsSchema,
          querystring: segmentDeleteQuerySchema,
        },
      },
      async (request, reply) => {
        await segments.remove(actor(request), request.params.id, request.query.version);
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/segments/:id/members',
      {
        config: permission('segments', 'read'),
        schema: {
          tags,
          summary: 'Members now (accounts you may see), with class, RFM segment, CLV, P(alive), churn class',
          params: segmentIdParamsSchema,
          querystring: memberListQuerySchema,
          response: { 200: memberPageSchema, ...readErrors },
        },
      },
      (request) => segments.members(actor(request), request.params.id, request.query),
    );
    app.get(
      '/api/segments/:id/snapshots',
      {
        config: permission('segments', 'read'),
        schema: {
          tags,
          summary: 'Membership history: size, value, entered and left per snapshot (newest first)',
          params: segmentIdParamsSchema,
          response: { 200: snapshotListSchema, ...readErrors },
        },
      },
      async (request) => ({ items: await segments.history(actor(request), request.params.id) }),
    );
    app.post(
      '/api/segments/:id/snapshots',
      {
        config: permission('segments', 'update'),
        schema: {
          tags,
          summary: 'Snapshot this segment now',
          params: segmentIdParamsSchema,
          response: { 201: segmentSnapshotSchema, ...writeErrors },
        },
      },
      async (request, reply) => reply.status(201).send(await segments.snapshot(actor(request), request.params.id)),
    );
    app.get(
      '/api/segments/:id/snapshots/:snapshotId',
      {
        config: permission('segments', 'read'),
        schema: {
          tags,
          summary: 'Who entered and who left at a snapshot (against the one before)',
          params: snapshotParamsSchema,
          response: { 200: snapshotChangesSchema, ...readErrors },
        },
      },
      (request) => segments.changes(actor(request), request.params.id, request.params.snapshotId),
    );
  };
