export * from './account.schema.js';
export { createAccountService, type AccountService } from './account.service.js';
export { accountRoutes } from './account.routes.js';
