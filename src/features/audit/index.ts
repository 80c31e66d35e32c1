export * from './audit.schema.js';
export { csvBom, csvCell, csvLine, neutralizeFormula } from './audit.rules.js';
export {
  auditScope,
  createAuditService,
  recordAudit,
  maxRecordIdsPerEntry,
  type AuditInput,
  type AuditService,
} from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
export { registerAuditCommands, type WithAuditService } from './audit.commands.js';
