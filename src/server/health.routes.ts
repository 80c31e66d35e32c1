import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Database } from '../db/connect.js';
import { migrationStatus } from '../db/migrate.js';
import { errorResponses } from '../shared/api-errors.js';
import { AppError } from '../shared/errors.js';
import { appVersion } from '../shared/version.js';

export const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgres']),
  version: z.string(),
  migrations: z.object({
    applied: z.number().int(),
    pending: z.number().int(),
    latest: z.string().nullable(),
  }),
});

export const healthRoutes =
  (database: Database): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/health',
      {
        config: { public: true },
        schema: {
          tags: ['system'],
          summary: 'Liveness and database state',
          response: { 200: healthSchema, 503: errorResponses[500] },
        },
      },
      async () => {
        const statuses = await migrationStatus(database).catch(() => {
          throw new AppError('database_unavailable', 'The database does not answer.');
        });
        const applied = statuses.filter((status) => status.state === 'applied');
        return {
          status: 'ok' as const,
          database: database.kind,
          version: appVersion,
          migrations: {
            applied: applied.length,
            pending: statuses.length - applied.length,
            latest: applied.at(-1)?.name ?? null,
          },
        };
      },
    );
  };
