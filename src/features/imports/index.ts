export * from './import.schema.js';
export { createImportService, type ImportService, type RunImportInput, type ImportProgress } from './import.service.js';
export { importRoutes } from './import.routes.js';
export { registerImportCommands } from './import.commands.js';
