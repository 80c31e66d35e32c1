import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../compose.js';
import { accountRoutes, customerRoutes } from '../features/accounts/index.js';
import { auditRoutes } from '../features/audit/index.js';
import { authRoutes } from '../features/auth/index.js';
import { importRoutes } from '../features/imports/index.js';
import { analyticsRoutes } from '../features/analytics/index.js';
import { segmentRoutes } from '../features/segments/index.js';
import { strategyRoutes } from '../features/strategies/index.js';
import { healthRoutes } from './health.routes.js';
import { registerSecurity } from './plugins/auth.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerWebAndFallback } from './plugins/web.js';

export interface BuildAppOptions {
  /** pino level; 'silent' in tests. */
  logLevel?: string;
  /** Serve the built web app from this folder (default: the config's). */
  webDistDir?: string | null;
}

/** Builds the Fastify app without listening, so tests can inject() requests. */
export async function buildApp(context: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: options.logLevel ?? context.config.logLevel },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // First, so that every route below is authenticated and authorised against its declared permission.
  await registerSecurity(app, { auth: context.services.auth, audit: context.services.audit.record });
  await registerOpenApi(app);
  await app.register(healthRoutes(context.database));
  await app.register(authRoutes(context.services.auth));
  await app.register(auditRoutes(context.services.audit));
  await app.register(accountRoutes(context.services.accounts));
  await app.register(customerRoutes(context.services.customers));
  await app.register(importRoutes(context.services.imports));
  await app.register(analyticsRoutes(context.services.analytics));
  await app.register(segmentRoutes(context.services.segments));
  await app.register(strategyRoutes(context.services.strategies));
  const webDir = options.webDistDir === undefined ? context.config.webDistDir : options.webDistDir;
  await registerWebAndFallback(app, webDir);
  return app;
}
