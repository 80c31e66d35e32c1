import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../shared/api-errors.js';
import {
  accountDetailSchema,
  accountIdParamsSchema,
  accountListQuerySchema,
  accountPageSchema,
} from './account.schema.js';
import type { AccountService } from './account.service.js';

export const accountRoutes =
  (accounts: AccountService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/accounts',
      {
        schema: {
          tags: ['accounts'],
          summary: 'List accounts (customers), searchable, sortable, cursor-paginated',
          querystring: accountListQuerySchema,
          response: { 200: accountPageSchema, ...errorResponses },
        },
      },
      (request) => accounts.listAccounts(request.query),
    );
    app.get(
      '/api/accounts/:id',
      {
        schema: {
          tags: ['accounts'],
          summary: 'One account with its group, contacts and transaction totals',
          params: accountIdParamsSchema,
          response: { 200: accountDetailSchema, ...errorResponses },
        },
      },
      (request) => accounts.getAccount(request.params.id),
    );
  };
