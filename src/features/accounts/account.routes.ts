import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorBodySchema, errorResponses } from '../../shared/api-errors.js';
import { requireActor } from '../auth/index.js';
import { accountListQuerySchema, customFieldListSchema } from './account-filter.schema.js';
import { accountDetailSchema, accountIdParamsSchema, accountPageSchema } from './account.schema.js';
import type { AccountService } from './account.service.js';

export const accountRoutes =
  (accounts: AccountService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/accounts',
      {
        config: { permission: { resource: 'accounts', action: 'read' } },
        schema: {
          tags: ['accounts'],
          summary:
            'List accounts (customers): filtered by any column, custom field and needs (docs/lists.md), sortable, cursor-paginated',
          querystring: accountListQuerySchema,
          response: { 200: accountPageSchema, ...errorResponses, 401: errorBodySchema, 403: errorBodySchema },
        },
      },
      (request) => accounts.listAccounts(requireActor(request), request.query),
    );
    app.get(
      '/api/custom-fields/accounts',
      {
        config: { permission: { resource: 'accounts', action: 'read' } },
        schema: {
          tags: ['accounts'],
          summary: 'The custom fields defined for accounts (key, labels, type, choices): what a list can filter on',
          response: { 200: customFieldListSchema, ...errorResponses, 401: errorBodySchema, 403: errorBodySchema },
        },
      },
      (request) => accounts.listCustomFields(requireActor(request)),
    );
    app.get(
      '/api/accounts/:id',
      {
        config: { permission: { resource: 'accounts', action: 'read' } },
        schema: {
          tags: ['accounts'],
          summary: 'One account with its group, contacts and transaction totals',
          params: accountIdParamsSchema,
          response: { 200: accountDetailSchema, ...errorResponses, 401: errorBodySchema, 403: errorBodySchema },
        },
      },
      (request) => accounts.getAccount(requireActor(request), request.params.id),
    );
  };
