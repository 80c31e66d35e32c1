export * from './account.schema.js';
export { createAccountService, type AccountService } from './account.service.js';
export { accountRoutes } from './account.routes.js';
export * from './customer.schema.js';
export { createCustomerService, type CustomerService } from './customer.service.js';
export { customerRoutes } from './customer.routes.js';
