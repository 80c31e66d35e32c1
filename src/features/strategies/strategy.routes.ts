import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorResolver, permission, readErrors, writeErrors } from '../segments/index.js';
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
      {
        config: permission('strategies', 'read'),
        schema: {
          tags,
          summary: 'Strategies, most recently changed first',
          querystring: strategyListQuerySchema,
          response: { 200: strategyListSchema, ...readErrors },
        },
      },
      async (request) => ({ items: await strategies.list(actor(request), request.query) }),
    );
    app.post(
      '/api/strategies',
      {
        config: permission('strategies', 'create'),
        schema: {
          tags,
          summary: 'Save a new strategy (draft, version 1)',
          body: strategyCreateSchema,
          response: { 201: strategySchema, ...writeErrors },
        },
      },
      async (request, reply) => reply.status(201).send(await strategies.create(actor(request), request.body)),
    );
    app.post(
      '/api/strategies/guided-draft',
      {
        config: permission('strategies', 'create'),
        schema: {
          tags,
          summary:
            'The guided builder: a draft pre-filled from the latest analysis, each step and figure explained (nothing is saved)',
          body: guidedDraftRequestSchema,
          response: { 200: guidedDraftSchema, ...readErrors },
        },
      },
      (request) => strategies.guidedDraft(actor(request), request.body),
    );
    app.get(
      '/api/strategies/:id',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags,
          summary: 'One strategy with its document, target segments, comments and the decisions on this version',
          params: strategyIdParamsSchema,
          response: { 200: strategySchema, ...readErrors },
        },
      },
      (request) => strategies.get(actor(request), request.params.id),
    );
    app.put(
      '/api/strategies/:id',
      {
        config: permission('strategies', 'update'),
        schema: {
          tags,
          summary: 'Save a new version (send the version you edited: 409 when stale or when the strategy is approved)',
          params: strategyIdParamsSchema,
          body: strategyUpdateSchema,
          response: { 200: strategySchema, ...writeErrors },
        },
      },
      (request) => strategies.update(actor(request), request.params.id, request.body),
    );
    app.post(
      '/api/strategies/:id/transitions',
      {
        config: permission('strategies', 'update'),
        schema: {
          tags,
          summary:
            'Move through the lifecycle: draft → in_review → approved → retired (approval schedules the cadence tasks)',
          params: strategyIdParamsSchema,
          body: transitionSchema,
          response: { 200: transitionResultSchema, ...writeErrors },
        },
      },
      (request) => strategies.transition(actor(request), request.params.id, request.body),
    );
    app.get(
      '/api/strategies/:id/versions',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags,
          summary: 'Every saved version, newest first',
          params: strategyIdParamsSchema,
          response: { 200: versionListSchema, ...readErrors },
        },
      },
      async (request) => ({ items: await strategies.versions(actor(request), request.params.id) }),
    );
    app.get(
      '/api/strategies/:id/versions/:version',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags,
          summary: 'One version with its document',
          params: versionParamsSchema,
          response: { 200: versionSchema, ...readErrors },
        },
      },
      (request) => strategies.version(actor(request), request.params.id, request.params.version),
    );
    app.get(
      '/api/strategies/:id/diff',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags,
          summary: 'Two versions side by side with the structured list of changes',
          params: strategyIdParamsSchema,
          querystring: diffQuerySchema,
          response: { 200: diffSchema, ...readErrors },
        },
      },
      (request) => strategies.diff(actor(request), request.params.id, request.query.from, request.query.to),
    );
    app.post(
      '/api/strategies/:id/comments',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags,
          summary: "A department's comment (anyone who may read the strategy may comment)",
          params: strategyIdParamsSchema,
          body: commentCreateSchema,
          response: { 201: commentSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await strategies.comment(actor(request), request.params.id, request.body)),
    );
    app.post(
      '/api/strategies/:id/approvals',
      {
        config: permission('strategies', 'update'),
        schema: {
          tags,
          summary: "A department's decision on the version in review: approve or request changes",
          params: strategyIdParamsSchema,
          body: approvalCreateSchema,
          response: { 201: approvalSchema, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await strategies.decide(actor(request), request.params.id, request.body)),
    );
    app.get(
      '/api/strategies/:id/budget',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags,
          summary:
            'Budget lines (cost per contact × cadence × members, programme costs) and the expected return, explained',
          params: strategyIdParamsSchema,
          response: { 200: budgetSchema, ...readErrors },
        },
      },
      (request) => strategies.budget(actor(request), request.params.id),
    );
    app.post(
      '/api/strategies/:id/scenario',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags,
          summary:
            'Downturn scenario: volume −X% re-ranks the target segments and shows the budget effect (nothing is saved)',
          params: strategyIdParamsSchema,
          body: scenarioRequestSchema,
          response: { 200: scenarioSchema, ...readErrors },
        },
      },
      (request) => strategies.scenario(actor(request), request.params.id, request.body),
    );
    app.post(
      '/api/strategies/:id/schedule',
      {
        config: permission('strategies', 'update'),
        schema: {
          tags,
          summary: "Schedule an approved strategy's cadence tasks further ahead (only what is missing is added)",
          params: strategyIdParamsSchema,
          body: scheduleRequestSchema,
          response: { 200: scheduleResultSchema, ...writeErrors },
        },
      },
      (request) => strategies.schedule(actor(request), request.params.id, request.body.months),
    );
    app.get(
      '/api/strategies/:id/export',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags,
          summary: 'The strategy with its budget as JSON, or as a Markdown document (format=md)',
          params: strategyIdParamsSchema,
          querystring: exportQuerySchema,
          response: { 200: strategyExportSchema.or(z.string()), ...readErrors },
        },
      },
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
      {
        config: permission('engagement', 'read'),
        schema: {
          tags: taskTags,
          summary: 'Cadence tasks by due day (mine=true: my tasks), cursor-paginated',
          querystring: taskListQuerySchema,
          response: { 200: taskPageSchema, ...readErrors },
        },
      },
      (request) => tasks.list(actor(request), request.query),
    );
    app.get(
      '/api/tasks/compliance',
      {
        config: permission('engagement', 'read'),
        schema: {
          tags: taskTags,
          summary: "Plan against actual: a strategy's tasks due, done, on time and overdue per segment and owner",
          querystring: complianceQuerySchema,
          response: { 200: complianceSchema, ...readErrors },
        },
      },
      (request) => tasks.compliance(actor(request), request.query),
    );
    app.get(
      '/api/tasks/:id',
      {
        config: permission('engagement', 'read'),
        schema: {
          tags: taskTags,
          summary: 'One task',
          params: taskIdParamsSchema,
          response: { 200: taskSchema, ...readErrors },
        },
      },
      (request) => tasks.get(actor(request), request.params.id),
    );
    app.post(
      '/api/tasks/:id/complete',
      {
        config: permission('engagement', 'update'),
        schema: {
          tags: taskTags,
          summary: "Complete a task (and log the contact in the account's interactions)",
          params: taskIdParamsSchema,
          body: completeTaskSchema,
          response: { 200: taskSchema, ...writeErrors },
        },
      },
      (request) => tasks.complete(actor(request), request.params.id, request.body),
    );

    // ---- Key accounts ----------------------------------------------------------------------------------------
    const keyTags = ['key-accounts'];
    app.get(
      '/api/key-accounts/criteria',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags: keyTags,
          summary: 'The weighted assessment criteria',
          response: { 200: criteriaSchema, ...readErrors },
        },
      },
      async (request) => ({ criteria: await keyAccounts.criteria(actor(request)) }),
    );
    app.put(
      '/api/key-accounts/criteria',
      {
        config: permission('strategies', 'update'),
        schema: {
          tags: keyTags,
          summary: 'Replace the criteria (weights of each axis add up to 1)',
          body: criteriaUpdateSchema,
          response: { 200: criteriaSchema, ...writeErrors },
        },
      },
      async (request) => ({ criteria: await keyAccounts.updateCriteria(actor(request), request.body.criteria) }),
    );
    app.get(
      '/api/key-accounts/matrix',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags: keyTags,
          summary: 'Portfolio matrix: attractiveness against our fit for every assessed account you may see',
          response: { 200: matrixSchema, ...readErrors },
        },
      },
      (request) => keyAccounts.matrix(actor(request)),
    );
    app.get(
      '/api/key-accounts/:accountId',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags: keyTags,
          summary: "The account's current assessment",
          params: accountParamsSchema,
          response: { 200: assessmentSchema, ...readErrors },
        },
      },
      (request) => keyAccounts.get(actor(request), request.params.accountId),
    );
    app.get(
      '/api/key-accounts/:accountId/suggestion',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags: keyTags,
          summary: 'Scores suggested from the data (volume, margin, growth, relationship), explained',
          params: accountParamsSchema,
          response: { 200: suggestionSchema, ...readErrors },
        },
      },
      (request) => keyAccounts.suggestion(actor(request), request.params.accountId),
    );
    app.put(
      '/api/key-accounts/:accountId',
      {
        config: permission('strategies', 'update'),
        schema: {
          tags: keyTags,
          summary: 'Save an assessment (version 0 for the first; history is kept)',
          params: accountParamsSchema,
          body: assessmentInputSchema,
          response: { 200: assessmentSchema, ...writeErrors },
        },
      },
      (request) => keyAccounts.save(actor(request), request.params.accountId, request.body),
    );

    // ---- Market metrics --------------------------------------------------------------------------------------
    const marketTags = ['market-metrics'];
    app.get(
      '/api/market-metrics',
      {
        config: permission('strategies', 'read'),
        schema: {
          tags: marketTags,
          summary:
            "Kotler's decomposition per segment and period (oldest first: the trend), with each factor's formula",
          querystring: marketMetricsQuerySchema,
          response: { 200: marketMetricsSchema, ...readErrors },
        },
      },
      (request) => market.metrics(actor(request), request.query.segmentId),
    );
    app.post(
      '/api/market-metrics/figures',
      {
        config: permission('strategies', 'create'),
        schema: {
          tags: marketTags,
          summary: 'Enter market figures for a segment (or the whole market) and period',
          body: marketFigureInputSchema,
          response: { 201: marketFigureSchema, ...writeErrors },
        },
      },
      async (request, reply) => reply.status(201).send(await market.create(actor(request), request.body)),
    );
    app.put(
      '/api/market-metrics/figures/:id',
      {
        config: permission('strategies', 'update'),
        schema: {
          tags: marketTags,
          summary: 'Change market figures (send the version you edited)',
          params: figureIdParamsSchema,
          body: marketFigureUpdateSchema,
          response: { 200: marketFigureSchema, ...writeErrors },
        },
      },
      (request) => market.update(actor(request), request.params.id, request.body),
    );
    app.delete(
      '/api/market-metrics/figures/:id',
      {
        config: permission('strategies', 'delete'),
        schema: {
          tags: marketTags,
          summary: 'Delete market figures',
          params: figureIdParamsSchema,
          querystring: figureDeleteQuerySchema,
        },
      },
      async (request, reply) => {
        await market.remove(actor(request), request.params.id, request.query.version);
        return reply.status(204).send();
      },
    );
  };
