export * from './account.schema.js';
export * from './account-filter.schema.js';
export { createAccountService, prepareAccountFilter, type AccountService } from './account.service.js';
export { accountFilterWhere, type FilterEB } from './account-filter.repository.js';
export type { ResolvedAccountFilter } from './account-filter.rules.js';
export { accountRoutes } from './account.routes.js';
export * from './customer.schema.js';
export { createCustomerService, type CustomerService } from './customer.service.js';
export { customerRoutes } from './customer.routes.js';
