import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema, errorResponses } from '../../shared/api-errors.js';
import { requireActor } from '../auth/index.js';
import { auditExportQuerySchema, auditListQuerySchema, auditPageSchema, auditVerifySchema } from './audit.schema.js';
import type { AuditService } from './audit.service.js';

const auditErrors = { ...errorResponses, 401: errorBodySchema, 403: errorBodySchema } as const;

export const auditRoutes =
  (audit: AuditService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit',
      {
        config: { permission: { resource: 'audit', action: 'read' } },
        schema: {
          tags: ['audit'],
          summary: 'Browse the audit log, newest first, filtered by action, resource, actor, record and time',
          querystring: auditListQuerySchema,
          response: { 200: auditPageSchema, ...auditErrors },
        },
      },
      (request) => audit.list(requireActor(request), request.query),
    );
    app.get(
      '/api/audit/export',
      {
        config: { permission: { resource: 'audit', action: 'export' }, auditedBy: 'service' },
        schema: {
          tags: ['audit'],
          summary: 'Export the (filtered) audit log as CSV; the export is itself recorded',
          querystring: auditExportQuerySchema,
          response: { 200: z.unknown().describe('CSV (UTF-8 with a byte-order mark)'), ...auditErrors },
        },
      },
      async (request, reply) => {
        const { chunks } = await audit.exportCsv(requireActor(request), request.query);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="rapport-audit.csv"')
          .header('cache-control', 'no-store')
          .send(Readable.from(chunks));
      },
    );
    app.get(
      '/api/audit/verify',
      {
        config: { permission: { resource: 'audit', action: 'read' } },
        schema: {
          tags: ['audit'],
          summary: 'Recompute the hash chain of the whole log; names the first entry that was changed or removed',
          response: { 200: auditVerifySchema, ...auditErrors },
        },
      },
      async (request) => {
        requireActor(request);
        return audit.verify();
      },
    );
  };
