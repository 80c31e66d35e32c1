import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema, errorResponses } from '../../shared/api-errors.js';
import { requireActor, type Action, type Resource } from '../auth/index.js';
import {
  accountCreateSchema,
  accountProfileSchema,
  accountUpdateSchema,
  activityCreateSchema,
  activitySchema,
  contactCreateSchema,
  contactListQuerySchema,
  contactListSchema,
  contactSchema,
  contactUpdateSchema,
  customerOverviewSchema,
  duplicateListSchema,
  duplicateQuerySchema,
  idParamsSchema,
  interactionCreateSchema,
  interactionSchema,
  interactionUpdateSchema,
  mergeRequestSchema,
  mergeResultSchema,
  timelineQuerySchema,
  timelineSchema,
  transactionPageQuerySchema,
  transactionPageSchema,
  versionBodySchema,
} from './customer.schema.js';
import type { CustomerService } from './customer.service.js';

const readErrors = { ...errorResponses, 401: errorBodySchema, 403: errorBodySchema } as const;
const writeErrors = { ...readErrors, 409: errorBodySchema } as const;

/** The route's permission for the auth plugin; writes record their own audit entries in their transaction. */
const read = (resource: Resource) => ({ permission: { resource, action: 'read' as Action } });
const write = (resource: Resource, action: Action) => ({
  permission: { resource, action },
  auditedBy: 'service' as const,
});

/**
 * The data bank's editing and the customer 360 page: /api/accounts/:id/overview|transactions|timeline|contacts|
 * interactions|activities, account create/edit/archive, contacts and interactions by id, duplicates and merges.
 * A stale edit answers 409 with { currentVersion, conflicts, current } in details.
 */
export const customerRoutes =
  (customers: CustomerService): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['customers'];

    app.get(
      '/api/accounts/:id/overview',
      {
        config: read('accounts'),
        schema: {
          tags,
          summary:
            'The customer 360: profile and needs, group, contacts, monthly revenue (and volume) and what you may do',
          params: idParamsSchema,
          response: { 200: customerOverviewSchema, ...readErrors },
        },
      },
      (request) => customers.overview(requireActor(request), request.params.id),
    );
    app.post(
      '/api/accounts',
      {
        config: write('accounts', 'create'),
        schema: {
          tags,
          summary: 'Create an account',
          body: accountCreateSchema,
          response: { 201: accountProfileSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await customers.createAccount(requireActor(request), request.body)),
    );
    app.patch(
      '/api/accounts/:id',
      {
        config: write('accounts', 'update'),
        schema: {
          tags,
          summary:
            'Edit an account: send the version you edited and the fields you changed (409 when someone saved first)',
          params: idParamsSchema,
          body: accountUpdateSchema,
          response: { 200: accountProfileSchema, ...writeErrors },
        },
      },
      (request) => customers.updateAccount(requireActor(request), request.params.id, request.body),
    );
    for (const [path, archived] of [
      ['archive', true],
      ['restore', false],
    ] as const) {
      app.post(
        `/api/accounts/:id/${path}`,
        {
          config: write('accounts', 'update'),
          schema: {
            tags,
            summary: archived
              ? 'Archive an account (hidden from duplicates; history kept)'
              : 'Restore an archived account',
            params: idParamsSchema,
            body: versionBodySchema,
            response: { 200: accountProfileSchema, ...writeErrors },
          },
        },
        (request) =>
          customers.setAccountArchived(requireActor(request), request.params.id, request.body.version, archived),
      );
    }
    app.get(
      '/api/accounts/:id/transactions',
      {
        config: read('transactions'),
        schema: {
          tags,
          summary: "One page of an account's transactions, newest first",
          params: idParamsSchema,
          querystring: transactionPageQuerySchema,
          response: { 200: transactionPageSchema, ...readErrors },
        },
      },
      (request) => customers.transactions(requireActor(request), request.params.id, request.query),
    );
    app.get(
      '/api/accounts/:id/timeline',
      {
        config: read('accounts'),
        schema: {
          tags,
          summary: "An account's interactions, relationship activities and merges, newest first",
          params: idParamsSchema,
          querystring: timelineQuerySchema,
          response: { 200: timelineSchema, ...readErrors },
        },
      },
      (request) => customers.timeline(requireActor(request), request.params.id, request.query),
    );

    // ---- Contacts -------------------------------------------------------------------------------------------
    app.get(
      '/api/accounts/:id/contacts',
      {
        config: read('contacts'),
        schema: {
          tags,
          summary: "An account's contacts (email and phone masked for roles that may not see them)",
          params: idParamsSchema,
          querystring: contactListQuerySchema,
          response: { 200: contactListSchema, ...readErrors },
        },
      },
      async (request) => ({
        items: await customers.listContacts(requireActor(request), request.params.id, request.query.include_archived),
      }),
    );
    app.post(
      '/api/accounts/:id/contacts',
      {
        config: write('contacts', 'create'),
        schema: {
          tags,
          summary: 'Add a contact (email lower-cased, phone to E.164 with Hong Kong as the default region)',
          params: idParamsSchema,
          body: contactCreateSchema,
          response: { 201: contactSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await customers.createContact(requireActor(request), request.params.id, request.body)),
    );
    app.patch(
      '/api/contacts/:id',
      {
        config: write('contacts', 'update'),
        schema: {
          tags,
          summary: 'Edit a contact (send its version)',
          params: idParamsSchema,
          body: contactUpdateSchema,
          response: { 200: contactSchema, ...writeErrors },
        },
      },
      (request) => customers.updateContact(requireActor(request), request.params.id, request.body),
    );

    // ---- Interactions and relationship activities ------------------------------------------------------------
    app.post(
      '/api/accounts/:id/interactions',
      {
        config: write('interactions', 'create'),
        schema: {
          tags,
          summary: 'Log an interaction (by you)',
          params: idParamsSchema,
          body: interactionCreateSchema,
          response: { 201: interactionSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await customers.createInteraction(requireActor(request), request.params.id, request.body)),
    );
    app.patch(
      '/api/interactions/:id',
      {
        config: write('interactions', 'update'),
        schema: {
          tags,
          summary: 'Edit an interaction (send its version)',
          params: idParamsSchema,
          body: interactionUpdateSchema,
          response: { 200: interactionSchema, ...writeErrors },
        },
      },
      (request) => customers.updateInteraction(requireActor(request), request.params.id, request.body),
    );
    for (const [path, archived] of [
      ['archive', true],
      ['restore', false],
    ] as const) {
      app.post(
        `/api/contacts/:id/${path}`,
        {
          config: write('contacts', 'update'),
          schema: {
            tags,
            summary: `${archived ? 'Archive' : 'Restore'} a contact`,
            params: idParamsSchema,
            body: versionBodySchema,
            response: { 200: contactSchema, ...writeErrors },
          },
        },
        (request) =>
          customers.setContactArchived(requireActor(request), request.params.id, request.body.version, archived),
      );
      app.post(
        `/api/interactions/:id/${path}`,
        {
          config: write('interactions', 'update'),
          schema: {
            tags,
            summary: `${archived ? 'Archive' : 'Restore'} an interaction`,
            params: idParamsSchema,
            body: versionBodySchema,
            response: { 200: interactionSchema, ...writeErrors },
          },
        },
        (request) =>
          customers.setInteractionArchived(requireActor(request), request.params.id, request.body.version, archived),
      );
    }
    app.post(
      '/api/accounts/:id/activities',
      {
        config: write('interactions', 'create'),
        schema: {
          tags,
          summary: 'Record a relationship activity: a gift, souvenir or social event, with its value',
          params: idParamsSchema,
          body: activityCreateSchema,
          response: { 201: activitySchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await customers.createActivity(requireActor(request), request.params.id, request.body)),
    );
    app.delete(
      '/api/activities/:id',
      {
        config: write('interactions', 'delete'),
        schema: {
          tags,
          summary: 'Delete a relationship activity',
          params: idParamsSchema,
          response: { 204: z.null().describe('No content'), ...writeErrors },
        },
      },
      async (request, reply) => {
        await customers.deleteActivity(requireActor(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    // ---- Duplicates and merges ---------------------------------------------------------------------------------
    app.get(
      '/api/duplicates',
      {
        config: read('accounts'),
        schema: {
          tags,
          summary:
            'Likely duplicate accounts or contacts: the same email or phone, or similar names (pg_trgm), with the reasons',
          querystring: duplicateQuerySchema,
          response: { 200: duplicateListSchema, ...readErrors },
        },
      },
      async (request) => ({ items: await customers.duplicates(requireActor(request), request.query) }),
    );
    app.post(
      '/api/accounts/merge',
      {
        config: write('accounts', 'delete'),
        schema: {
          tags,
          summary:
            'Merge an account into another: the survivor keeps transactions, contacts, interactions and activities; the merge shows on its timeline',
          body: mergeRequestSchema,
          response: { 200: mergeResultSchema, ...writeErrors },
        },
      },
      (request) => customers.mergeAccounts(requireActor(request), request.body),
    );
    app.post(
      '/api/contacts/merge',
      {
        config: write('contacts', 'delete'),
        schema: {
          tags,
          summary:
            "Merge a contact into another: interactions naming it name the survivor; the survivor's empty fields are filled",
          body: mergeRequestSchema,
          response: { 200: mergeResultSchema, ...writeErrors },
        },
      },
      (request) => customers.mergeContacts(requireActor(request), request.body),
    );
  };
