import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { readErrors, route, writeErrors } from '../../shared/route.js';
import { actorResolver, permission } from '../auth/index.js';
import {
  accountParamsSchema,
  assessmentInputSchema,
  assessmentSchema,
  criteriaSchema,
  criteriaUpdateSchema,
  matrixSchema,
  suggestionSchema,
} from './key-account.schema.js';
import type { KeyAccountService } from './key-account.service.js';
import {
  figureDeleteQuerySchema,
  figureIdParamsSchema,
  marketFigureInputSchema,
  marketFigureSchema,
  marketFigureUpdateSchema,
  marketMetricsQuerySchema,
  marketMetricsSchema,
} from './market.schema.js';
import type { MarketService } from './market.service.js';
import {
  approvalCreateSchema,
  approvalSchema,
  budgetSchema,
  commentCreateSchema,
  commentSchema,
  diffQuerySchema,
  diffSchema,
  exportQuerySchema,
  guidedDraftRequestSchema,
  guidedDraftSchema,
  scenarioRequestSchema,
  scenarioSchema,
  scheduleRequestSchema,
  scheduleResultSchema,
  strategyCreateSchema,
  strategyExportSchema,
  strategyIdParamsSchema,
  strategyListQuerySchema,
  strategyListSchema,
  strategySchema,
  strategyUpdateSchema,
  transitionResultSchema,
  transitionSchema,
  versionListSchema,
  versionParamsSchema,
  versionSchema,
} from './strategy.schema.js';
import type { StrategyService } from './strategy.service.js';
import {
  complianceQuerySchema,
  complianceSchema,
  completeTaskSchema,
  taskIdParamsSchema,
  taskListQuerySchema,
  taskPageSchema,
  taskSchema,
} from './task.schema.js';
import type { TaskService } from './task.service.js';

export interface StrategyServices {
  strategies: StrategyService;
  tasks: TaskService;
  keyAccounts: KeyAccountService;
  market: MarketService;
}

/**
 * /api/strategies…, /api/tasks…, /api/key-accounts…, /api/market-metrics…: thin adapters over the services. Every
 * route declares its permission; tasks are engagement records.
 */
export const strategyRoutes =
  ({ strategies, tasks, keyAccounts, market }: StrategyServices): FastifyPluginAsyncZod =>
  async (app) => {
    const actor = actorResolver(app);

    // ---- Strategies ------------------------------------------------------------------------------------------
    const tags = ['strategies'];
    app.get(
      '/api/strategies',
      route({
        access: permission('strategies', 'read'),
        tags,
        summary: 'Strategies, most recently changed first',
        querystring: strategyListQuerySchema,
        response: { 200: strategyListSchema },
        errors: readErrors,
      }),
      async (request) => ({ items: await strategies.list(actor(request), request.query) }),
    );
    app.post(
      '/api/strategies',
      route({
        access: permission('strategies', 'create'),
        tags,
        summary: 'Save a new strategy (draft, version 1)',
        body: strategyCreateSchema,
        response: { 201: strategySchema },
        errors: writeErrors,
      }),
      async (request, reply) => reply.status(201).send(await strategies.create(actor(request), request.body)),
    );
    app.post(
      '/api/strategies/guided-draft',
      route({
        access: permission('strategies', 'create'),
        tags,
        summary:
          'The guided builder: a draft pre-filled from the latest analysis, each step and figure explained (nothing is saved)',
        body: guidedDraftRequestSchema,
        response: { 200: guidedDraftSchema },
        errors: readErrors,
      }),
      (request) => strategies.guidedDraft(actor(request), request.body),
    );
    app.get(
      '/api/strategies/:id',
      route({
        access: permission('strategies', 'read'),
        tags,
        summary: 'One strategy with its document, target segments, comments and the decisions on this version',
        params: strategyIdParamsSchema,
        response: { 200: strategySchema },
        errors: readErrors,
      }),
      (request) => strategies.get(actor(request), request.params.id),
    );
    app.put(
      '/api/strategies/:id',
      route({
        access: permission('strategies', 'update'),
        tags,
        summary: 'Save a new version (send the version you edited: 409 when stale or when the strategy is approved)',
        params: strategyIdParamsSchema,
        body: strategyUpdateSchema,
        response: { 200: strategySchema },
        errors: writeErrors,
      }),
      (request) => strategies.update(actor(request), request.params.id, request.body),
    );
    app.post(
      '/api/strategies/:id/transitions',
      route({
        access: permission('strategies', 'update'),
        tags,
        summary:
          'Move through the lifecycle: draft → in_review → approved → retired (approval schedules the cadence tasks)',
        params: strategyIdParamsSchema,
        body: transitionSchema,
        response: { 200: transitionResultSchema },
        errors: writeErrors,
      }),
      (request) => strategies.transition(actor(request), request.params.id, request.body),
    );
    app.get(
      '/api/strategies/:id/versions',
      route({
        access: permission('strategies', 'read'),
        tags,
        summary: 'Every saved version, newest first',
        params: strategyIdParamsSchema,
        response: { 200: versionListSchema },
        errors: readErrors,
      }),
      async (request) => ({ items: await strategies.versions(actor(request), request.params.id) }),
    );
    app.get(
      '/api/strategies/:id/versions/:version',
      route({
        access: permission('strategies', 'read'),
        tags,
        summary: 'One version with its document',
        params: versionParamsSchema,
        response: { 200: versionSchema },
        errors: readErrors,
      }),
      (request) => strategies.version(actor(request), request.params.id, request.params.version),
    );
    app.get(
      '/api/strategies/:id/diff',
      route({
        access: permission('strategies', 'read'),
        tags,
        summary: 'Two versions side by side with the structured list of changes',
        params: strategyIdParamsSchema,
        querystring: diffQuerySchema,
        response: { 200: diffSchema },
        errors: readErrors,
      }),
      (request) => strategies.diff(actor(request), request.params.id, request.query.from, request.query.to),
    );
    app.post(
      '/api/strategies/:id/comments',
      route({
        access: permission('strategies', 'read'),
        tags,
        summary: "A department's comment (anyone who may read the strategy may comment)",
        params: strategyIdParamsSchema,
        body: commentCreateSchema,
        response: { 201: commentSchema },
        errors: writeErrors,
      }),
      async (request, reply) =>
        reply.status(201).send(await strategies.comment(actor(request), request.params.id, request.body)),
    );
    app.post(
      '/api/strategies/:id/approvals',
      route({
        access: permission('strategies', 'update'),
        tags,
        summary: "A department's decision on the version in review: approve or request changes",
        params: strategyIdParamsSchema,
        body: approvalCreateSchema,
        response: { 201: approvalSchema },
        errors: writeErrors,
      }),
      async (request, reply) =>
        reply.status(201).send(await strategies.decide(actor(request), request.params.id, request.body)),
    );
    app.get(
      '/api/strategies/:id/budget',
      route({
        access: permission('strategies', 'read'),
        tags,
        summary:
          'Budget lines (cost per contact × cadence × members, programme costs) and the expected return, explained',
        params: strategyIdParamsSchema,
        response: { 200: budgetSchema },
        errors: readErrors,
      }),
      (request) => strategies.budget(actor(request), request.params.id),
    );
    app.post(
      '/api/strategies/:id/scenario',
      route({
        access: permission('strategies', 'read'),
        tags,
        summary:
          'Downturn scenario: volume −X% re-ranks the target segments and shows the budget effect (nothing is saved)',
        params: strategyIdParamsSchema,
        body: scenarioRequestSchema,
        response: { 200: scenarioSchema },
        errors: readErrors,
      }),
      (request) => strategies.scenario(actor(request), request.params.id, request.body),
    );
    app.post(
      '/api/strategies/:id/schedule',
      route({
        access: permission('strategies', 'update'),
        tags,
        summary: "Schedule an approved strategy's cadence tasks further ahead (only what is missing is added)",
        params: strategyIdParamsSchema,
        body: scheduleRequestSchema,
        response: { 200: scheduleResultSchema },
        errors: writeErrors,
      }),
      (request) => strategies.schedule(actor(request), request.params.id, request.body.months),
    );
    app.get(
      '/api/strategies/:id/export',
      route({
        access: permission('strategies', 'read'),
        tags,
        summary: 'The strategy with its budget as JSON, or as a Markdown document (format=md)',
        params: strategyIdParamsSchema,
        querystring: exportQuerySchema,
        response: { 200: strategyExportSchema.or(z.string()) },
        errors: readErrors,
      }),
      async (request, reply) => {
        if (request.query.format === 'md') {
          const markdown = await strategies.exportMarkdown(actor(request), request.params.id);
          return reply.type('text/markdown; charset=utf-8').send(markdown);
        }
        return strategies.exportJson(actor(request), request.params.id);
      },
    );

    // ---- Tasks -----------------------------------------------------------------------------------------------
    const taskTags = ['tasks'];
    app.get(
      '/api/tasks',
      route({
        access: permission('engagement', 'read'),
        tags: taskTags,
        summary: 'Cadence tasks by due day (mine=true: my tasks), cursor-paginated',
        querystring: taskListQuerySchema,
        response: { 200: taskPageSchema },
        errors: readErrors,
      }),
      (request) => tasks.list(actor(request), request.query),
    );
    app.get(
      '/api/tasks/compliance',
      route({
        access: permission('engagement', 'read'),
        tags: taskTags,
        summary: "Plan against actual: a strategy's tasks due, done, on time and overdue per segment and owner",
        querystring: complianceQuerySchema,
        response: { 200: complianceSchema },
        errors: readErrors,
      }),
      (request) => tasks.compliance(actor(request), request.query),
    );
    app.get(
      '/api/tasks/:id',
      route({
        access: permission('engagement', 'read'),
        tags: taskTags,
        summary: 'One task',
        params: taskIdParamsSchema,
        response: { 200: taskSchema },
        errors: readErrors,
      }),
      (request) => tasks.get(actor(request), request.params.id),
    );
    app.post(
      '/api/tasks/:id/complete',
      route({
        access: permission('engagement', 'update'),
        tags: taskTags,
        summary: "Complete a task (and log the contact in the account's interactions)",
        params: taskIdParamsSchema,
        body: completeTaskSchema,
        response: { 200: taskSchema },
        errors: writeErrors,
      }),
      (request) => tasks.complete(actor(request), request.params.id, request.body),
    );

    // ---- Key accounts ----------------------------------------------------------------------------------------
    const keyTags = ['key-accounts'];
    app.get(
      '/api/key-accounts/criteria',
      route({
        access: permission('strategies', 'read'),
        tags: keyTags,
        summary: 'The weighted assessment criteria',
        response: { 200: criteriaSchema },
        errors: readErrors,
      }),
      async (request) => ({ criteria: await keyAccounts.criteria(actor(request)) }),
    );
    app.put(
      '/api/key-accounts/criteria',
      route({
        access: permission('strategies', 'update'),
        tags: keyTags,
        summary: 'Replace the criteria (weights of each axis add up to 1)',
        body: criteriaUpdateSchema,
        response: { 200: criteriaSchema },
        errors: writeErrors,
      }),
      async (request) => ({ criteria: await keyAccounts.updateCriteria(actor(request), request.body.criteria) }),
    );
    app.get(
      '/api/key-accounts/matrix',
      route({
        access: permission('strategies', 'read'),
        tags: keyTags,
        summary: 'Portfolio matrix: attractiveness against our fit for every assessed account you may see',
        response: { 200: matrixSchema },
        errors: readErrors,
      }),
      (request) => keyAccounts.matrix(actor(request)),
    );
    app.get(
      '/api/key-accounts/:accountId',
      route({
        access: permission('strategies', 'read'),
        tags: keyTags,
        summary: "The account's current assessment",
        params: accountParamsSchema,
        response: { 200: assessmentSchema },
        errors: readErrors,
      }),
      (request) => keyAccounts.get(actor(request), request.params.accountId),
    );
    app.get(
      '/api/key-accounts/:accountId/suggestion',
      route({
        access: permission('strategies', 'read'),
        tags: keyTags,
        summary: 'Scores suggested from the data (volume, margin, growth, relationship), explained',
        params: accountParamsSchema,
        response: { 200: suggestionSchema },
        errors: readErrors,
      }),
      (request) => keyAccounts.suggestion(actor(request), request.params.accountId),
    );
    app.put(
      '/api/key-accounts/:accountId',
      route({
        access: permission('strategies', 'update'),
        tags: keyTags,
        summary: 'Save an assessment (version 0 for the first; history is kept)',
        params: accountParamsSchema,
        body: assessmentInputSchema,
        response: { 200: assessmentSchema },
        errors: writeErrors,
      }),
      (request) => keyAccounts.save(actor(request), request.params.accountId, request.body),
    );

    // ---- Market metrics --------------------------------------------------------------------------------------
    const marketTags = ['market-metrics'];
    app.get(
      '/api/market-metrics',
      route({
        access: permission('strategies', 'read'),
        tags: marketTags,
        summary: "Kotler's decomposition per segment and period (oldest first: the trend), with each factor's formula",
        querystring: marketMetricsQuerySchema,
        response: { 200: marketMetricsSchema },
        errors: readErrors,
      }),
      (request) => market.metrics(actor(request), request.query.segmentId),
    );
    app.post(
      '/api/market-metrics/figures',
      route({
        access: permission('strategies', 'create'),
        tags: marketTags,
        summary: 'Enter market figures for a segment (or the whole market) and period',
        body: marketFigureInputSchema,
        response: { 201: marketFigureSchema },
        errors: writeErrors,
      }),
      async (request, reply) => reply.status(201).send(await market.create(actor(request), request.body)),
    );
    app.put(
      '/api/market-metrics/figures/:id',
      route({
        access: permission('strategies', 'update'),
        tags: marketTags,
        summary: 'Change market figures (send the version you edited)',
        params: figureIdParamsSchema,
        body: marketFigureUpdateSchema,
        response: { 200: marketFigureSchema },
        errors: writeErrors,
      }),
      (request) => market.update(actor(request), request.params.id, request.body),
    );
    app.delete(
      '/api/market-metrics/figures/:id',
      route({
        access: permission('strategies', 'delete'),
        tags: marketTags,
        summary: 'Delete market figures',
        params: figureIdParamsSchema,
        querystring: figureDeleteQuerySchema,
      }),
      async (request, reply) => {
        await market.remove(actor(request), request.params.id, request.query.version);
        return reply.status(204).send();
      },
    );
  };
