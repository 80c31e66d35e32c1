import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readErrors, route, writeErrors } from '../../shared/route.js';
import { actorResolver, permission } from '../auth/index.js';
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

export const segmentRoutes =
  (segments: SegmentService): FastifyPluginAsyncZod =>
  async (app) => {
    const actor = actorResolver(app);
    const tags = ['segments'];

    app.get(
      '/api/segments',
      route({
        access: permission('segments', 'read'),
        tags,
        summary: 'Saved segments with their live member counts and last snapshot',
        querystring: segmentListQuerySchema,
        response: { 200: segmentListSchema },
        errors: readErrors,
      }),
      async (request) => ({ items: await segments.list(actor(request), request.query) }),
    );
    app.post(
      '/api/segments',
      route({
        access: permission('segments', 'create'),
        tags,
        summary: 'Save a segment rule',
        body: segmentCreateSchema,
        response: { 201: segmentSchema },
        errors: writeErrors,
      }),
      async (request, reply) => reply.status(201).send(await segments.create(actor(request), request.body)),
    );
    app.get(
      '/api/segments/fields',
      route({
        access: permission('segments', 'read'),
        tags,
        summary: 'The fields a rule may name, their operators and values (for the rule editor)',
        response: { 200: fieldCatalogueSchema },
        errors: readErrors,
      }),
      (request) => segments.fields(actor(request)),
    );
    app.get(
      '/api/segments/templates',
      route({
        access: permission('segments', 'read'),
        tags,
        summary: 'Default segments of the industry packs, as templates',
        querystring: templateQuerySchema,
        response: { 200: templateListSchema },
        errors: readErrors,
      }),
      async (request) => ({ items: await segments.templates(actor(request), request.query.industry) }),
    );
    app.post(
      '/api/segments/defaults',
      route({
        access: permission('segments', 'create'),
        tags,
        summary: "Create an industry pack's default segments (once each)",
        body: installDefaultsSchema,
        response: { 201: installedDefaultsSchema },
        errors: writeErrors,
      }),
      async (request, reply) =>
        reply.status(201).send(await segments.installDefaults(actor(request), request.body.industry)),
    );
    app.post(
      '/api/segments/preview',
      route({
        access: permission('segments', 'read'),
        tags,
        summary: 'Live member count and the first members of a rule (nothing is saved)',
        body: previewRequestSchema,
        response: { 200: previewSchema },
        errors: readErrors,
      }),
      (request) => segments.preview(actor(request), request.body),
    );
    app.post(
      '/api/segments/snapshots',
      route({
        access: permission('segments', 'update'),
        tags,
        summary: 'Snapshot the membership of every segment now',
        response: { 201: snapshotListSchema },
        errors: writeErrors,
      }),
      async (request, reply) => reply.status(201).send({ items: await segments.snapshotAll(actor(request)) }),
    );
    app.get(
      '/api/segments/:id',
      route({
        access: permission('segments', 'read'),
        tags,
        summary: 'One segment with its rule, member count and last snapshot',
        params: segmentIdParamsSchema,
        response: { 200: segmentSchema },
        errors: readErrors,
      }),
      (request) => segments.get(actor(request), request.params.id),
    );
    app.put(
      '/api/segments/:id',
      route({
        access: permission('segments', 'update'),
        tags,
        summary: 'Change a segment (send the version you edited: 409 when someone saved in between)',
        params: segmentIdParamsSchema,
        body: segmentUpdateSchema,
        response: { 200: segmentSchema },
        errors: writeErrors,
      }),
      (request) => segments.update(actor(request), request.params.id, request.body),
    );
    app.delete(
      '/api/segments/:id',
      route({
        access: permission('segments', 'delete'),
        tags,
        summary: 'Delete a segment (its snapshots stay readable; strategies naming it keep working)',
        params: segmentIdParamsSchema,
        querystring: segmentDeleteQuerySchema,
      }),
      async (request, reply) => {
        await segments.remove(actor(request), request.params.id, request.query.version);
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/segments/:id/members',
      route({
        access: permission('segments', 'read'),
        tags,
        summary: 'Members now (accounts you may see), with class, RFM segment, CLV, P(alive), churn class',
        params: segmentIdParamsSchema,
        querystring: memberListQuerySchema,
        response: { 200: memberPageSchema },
        errors: readErrors,
      }),
      (request) => segments.members(actor(request), request.params.id, request.query),
    );
    app.get(
      '/api/segments/:id/snapshots',
      route({
        access: permission('segments', 'read'),
        tags,
        summary: 'Membership history: size, value, entered and left per snapshot (newest first)',
        params: segmentIdParamsSchema,
        response: { 200: snapshotListSchema },
        errors: readErrors,
      }),
      async (request) => ({ items: await segments.history(actor(request), request.params.id) }),
    );
    app.post(
      '/api/segments/:id/snapshots',
      route({
        access: permission('segments', 'update'),
        tags,
        summary: 'Snapshot this segment now',
        params: segmentIdParamsSchema,
        response: { 201: segmentSnapshotSchema },
        errors: writeErrors,
      }),
      async (request, reply) => reply.status(201).send(await segments.snapshot(actor(request), request.params.id)),
    );
    app.get(
      '/api/segments/:id/snapshots/:snapshotId',
      route({
        access: permission('segments', 'read'),
        tags,
        summary: 'Who entered and who left at a snapshot (against the one before)',
        params: snapshotParamsSchema,
        response: { 200: snapshotChangesSchema },
        errors: readErrors,
      }),
      (request) => segments.changes(actor(request), request.params.id, request.params.snapshotId),
    );
  };
