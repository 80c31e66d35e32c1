export * from './duplicate.schema.js';
export { createDuplicateService, type DuplicateService } from './duplicate.service.js';
export { duplicateRoutes } from './duplicate.routes.js';
