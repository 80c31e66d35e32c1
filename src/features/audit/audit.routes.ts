import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readErrors, route } from '../../shared/route.js';
import { requireActor } from '../auth/index.js';
import { auditExportQuerySchema, auditListQuerySchema, auditPageSchema, auditVerifySchema } from './audit.schema.js';
import type { AuditService } from './audit.service.js';

export const auditRoutes =
  (audit: AuditService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit',
      route({
        access: { permission: { resource: 'audit', action: 'read' } },
        tags: ['audit'],
        summary: 'Browse the audit log, newest first, filtered by action, resource, actor, record and time',
        querystring: auditListQuerySchema,
        response: { 200: auditPageSchema },
        errors: readErrors,
      }),
      (request) => audit.list(requireActor(request), request.query),
    );
    app.get(
      '/api/audit/export',
      route({
        access: { permission: { resource: 'audit', action: 'export' }, auditedBy: 'service' },
        tags: ['audit'],
        summary: 'Export the (filtered) audit log as CSV; the export is itself recorded',
        querystring: auditExportQuerySchema,
        response: { 200: z.unknown().describe('CSV (UTF-8 with a byte-order mark)') },
        errors: readErrors,
      }),
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
      route({
        access: { permission: { resource: 'audit', action: 'read' } },
        tags: ['audit'],
        summary: 'Recompute the hash chain of the whole log; names the first entry that was changed or removed',
        response: { 200: auditVerifySchema },
        errors: readErrors,
      }),
      async (request) => {
        requireActor(request);
        return audit.verify();
      },
    );
  };
