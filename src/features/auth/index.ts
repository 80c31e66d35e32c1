export * from './auth.schema.js';
export {
  allows,
  actorScope,
  assertFieldsUsable,
  buildActor,
  canSee,
  fieldVisibility,
  maskRecord,
  renderPermissionsDoc,
  requireScope,
  roleMatrix,
  roleWithin,
  scopeCovers,
  scopeFor,
  sensitiveFields,
  systemActor,
  visibleColumns,
  type SensitiveField,
} from './permissions.rules.js';
export { accountScopeWhere, creatorScopeWhere, ownerScopeWhere, userScopeWhere } from './scope.repository.js';
export { authPolicy, isUnsafeMethod, parseAuthorization, isSessionFormat, signInFailedMessage } from './auth.rules.js';
export { argon2Hasher, safeEqual, type PasswordHasher } from './auth.secrets.js';
export {
  actorResolver,
  clearSessionCookie,
  csrfHeaderName,
  permission,
  originOf,
  requireActor,
  sessionCookieName,
  setSessionCookie,
} from './auth.http.js';
export {
  createAuthService,
  type AuditRecord,
  type AuditRecorder,
  type AuthService,
  type NewUser,
  type Origin,
} from './auth.service.js';
export { authRoutes, type AuthRouteOptions } from './auth.routes.js';
export { seedDemoUsers, demoPassword, type DemoSignIn } from './demo-users.service.js';
export { registerAuthCommands, type WithAuthService } from './auth.commands.js';
