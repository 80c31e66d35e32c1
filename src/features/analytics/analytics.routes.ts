import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../shared/api-errors.js';
import { route } from '../../shared/route.js';
import { requireActor } from '../auth/index.js';
import {
  accountAnalyticsSchema,
  accountIdParamsSchema,
  analysisRunSchema,
  customerListQuerySchema,
  customerPageSchema,
  kindParamsSchema,
  runIdParamsSchema,
  runListQuerySchema,
  runPageSchema,
  runRequestSchema,
} from './analytics.schema.js';
import type { AnalyticsService } from './analytics.service.js';

/**
 * Routes of the analytics engine. Each declares its permission on the 'analytics' resource for the auth plugin
 * (running an analysis is 'create', reading runs and results is 'read').
 */
export const analyticsRoutes =
  (analytics: AnalyticsService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/analytics/runs',
      route({
        access: { permission: { resource: 'analytics', action: 'create' } },
        tags: ['analytics'],
        summary: 'Run an analysis (abc, groups, rfm, churn, cohorts, clv) on the database and store it',
        body: runRequestSchema,
        response: { 201: analysisRunSchema },
        errors: errorResponses,
      }),
      async (request, reply) => {
        const run = await analytics.run(request.body);
        return reply.status(201).send(run);
      },
    );
    app.get(
      '/api/analytics/runs',
      route({
        access: { permission: { resource: 'analytics', action: 'read' } },
        tags: ['analytics'],
        summary: 'Stored analysis runs, newest first, optionally of one kind',
        querystring: runListQuerySchema,
        response: { 200: runPageSchema },
        errors: errorResponses,
      }),
      (request) => analytics.listRuns(request.query, requireActor(request)),
    );
    app.get(
      '/api/analytics/runs/:id',
      route({
        access: { permission: { resource: 'analytics', action: 'read' } },
        tags: ['analytics'],
        summary: 'One run with its parameters and aggregate results',
        params: runIdParamsSchema,
        response: { 200: analysisRunSchema },
        errors: errorResponses,
      }),
      (request) => analytics.getRun(request.params.id, requireActor(request)),
    );
    app.get(
      '/api/analytics/runs/:id/customers',
      route({
        access: { permission: { resource: 'analytics', action: 'read' } },
        tags: ['analytics'],
        summary: "A run's per-customer results: sortable, filterable, cursor-paginated",
        params: runIdParamsSchema,
        querystring: customerListQuerySchema,
        response: { 200: customerPageSchema },
        errors: errorResponses,
      }),
      (request) => analytics.listRunCustomers(request.params.id, request.query, requireActor(request)),
    );
    app.get(
      '/api/analytics/latest/:kind',
      route({
        access: { permission: { resource: 'analytics', action: 'read' } },
        tags: ['analytics'],
        summary: 'The latest completed run of a kind',
        params: kindParamsSchema,
        response: { 200: analysisRunSchema },
        errors: errorResponses,
      }),
      (request) => analytics.latest(request.params.kind, requireActor(request)),
    );
    app.get(
      '/api/accounts/:id/analytics',
      route({
        access: { permission: { resource: 'analytics', action: 'read' } },
        tags: ['analytics', 'accounts'],
        summary: "This customer's ABC class, group class, RFM segment, CLV, P(alive), churn class and reason, cohort",
        params: accountIdParamsSchema,
        response: { 200: accountAnalyticsSchema },
        errors: errorResponses,
      }),
      (request) => analytics.accountAnalytics(request.params.id, requireActor(request)),
    );
  };
