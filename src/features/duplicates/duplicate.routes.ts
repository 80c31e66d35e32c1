import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema, errorResponses } from '../../shared/api-errors.js';
import {
  duplicateListSchema,
  duplicateQuerySchema,
  mergeInputSchema,
  mergeRecordSchema,
  mergeResultSchema,
} from './duplicate.schema.js';
import type { DuplicateService } from './duplicate.service.js';

const responses = { ...errorResponses, 401: errorBodySchema, 403: errorBodySchema, 409: errorBodySchema };

/** GET /api/duplicates/{accounts,contacts}, POST /api/merges/{accounts,contacts}, GET /api/merges/{entity}/:survivorId. */
export const duplicateRoutes =
  (duplicates: DuplicateService): FastifyPluginAsyncZod =>
  async (app) => {
    for (const entity of ['accounts', 'contacts'] as const) {
      app.get(
        `/api/duplicates/${entity}`,
        {
          config: { permission: { resource: entity, action: 'read' } },
          schema: {
            tags: ['duplicates'],
            summary: `Likely duplicate ${entity}: same email or phone, similar names (pg_trgm), with the reasons`,
            querystring: duplicateQuerySchema,
            response: { 200: duplicateListSchema, ...responses },
          },
        },
        async (request) => ({ items: await duplicates.find(entity, request.query) }),
      );
      app.post(
        `/api/merges/${entity}`,
        {
          config: { permission: { resource: entity, action: 'update' } },
          schema: {
            tags: ['duplicates'],
            summary: `Merge two ${entity}: the survivor keeps the history; 409 when either changed since it was read`,
            body: mergeInputSchema,
            response: { 200: mergeResultSchema, ...responses },
          },
        },
        (request) => duplicates.merge(entity, request.body, request.actor?.userId ?? null),
      );
      app.get(
        `/api/merges/${entity}/:survivorId`,
        {
          config: { permission: { resource: entity, action: 'read' } },
          schema: {
            tags: ['duplicates'],
            summary: 'Merges into this record, newest first (for its timeline)',
            params: z.object({ survivorId: z.coerce.number().int().positive() }),
            response: { 200: z.object({ items: z.array(mergeRecordSchema) }), ...responses },
          },
        },
        async (request) => ({ items: await duplicates.history(entity, request.params.survivorId) }),
      );
    }
  };
