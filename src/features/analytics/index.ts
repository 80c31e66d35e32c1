export * from './analytics.schema.js';
export { createAnalyticsService, type AnalyticsService, type RunProgress } from './analytics.service.js';
export { analyticsRoutes } from './analytics.routes.js';
export { registerAnalyticsCommands } from './analytics.commands.js';
