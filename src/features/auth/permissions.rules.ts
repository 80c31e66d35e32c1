import { AppError } from '../../shared/errors.js';
import {
  actions,
  resources,
  roles,
  type Action,
  type Actor,
  type FieldClass,
  type Grants,
  type PermissionDeclaration,
  type Resource,
  type Role,
  type Scope,
  type Via,
} from './auth.schema.js';

/**
 * The role matrix: the one place that says who may do what. Pure data and pure functions; the auth plugin
 * enforces the action, services enforce the scope and the field masks, and docs/permissions.md is generated
 * from this file (scripts/generate-permissions-doc.ts; a test fails when the document is stale).
 *
 * Scopes: own = records of accounts the user owns (for records without an account: created by the user;
 * for users and tokens: the user's own), team = the same for everyone in the user's team, all = every record.
 * Imports write whatever the file holds (owners included), so the import action is granted with scope all only.
 * An import itself (the history, its progress and error report: imports.read) belongs to the user who started it:
 * own = imports the user started, team = started by the user's team, all = every import, the command line's too.
 */
type Row = Partial<Record<Action, Scope>>;

const grant = (scope: Scope, ...list: Action[]): Row => Object.fromEntries(list.map((action) => [action, scope]));
const crud: Action[] = ['read', 'create', 'update', 'delete'];
const everything: Action[] = [...actions];

const adminGrants: Grants = Object.fromEntries(
  resources.map((resource) => [
    resource,
    resource === 'audit' ? grant('all', 'read', 'export') : grant('all', ...everything),
  ]),
);

const ownTokens: Row = grant('own', 'read', 'create', 'delete');

export const roleMatrix: Readonly<Record<Role, Grants>> = {
  admin: adminGrants,
  manager: {
    accounts: grant('team', ...crud, 'export'),
    contacts: grant('team', ...crud, 'export'),
    transactions: grant('team', 'read', 'create', 'update', 'export'),
    interactions: grant('team', ...crud, 'export'),
    imports: grant('team', 'read'),
    analytics: grant('all', 'read', 'create', 'export'),
    segments: grant('all', ...crud, 'export'),
    strategies: grant('all', ...crud, 'export'),
    engagement: grant('all', ...crud, 'export'),
    complaints: grant('team', ...crud, 'export'),
    surveys: grant('all', ...crud, 'export'),
    kpis: grant('all', 'read', 'create', 'update'),
    reports: grant('all', 'read', 'create', 'export'),
    privacy: grant('team', 'read'),
    settings: grant('all', 'read'),
    users: grant('team', 'read'),
    teams: grant('all', 'read'),
    tokens: ownTokens,
  },
  analyst: {
    accounts: grant('all', 'read', 'export'),
    contacts: grant('all', 'read', 'export'),
    transactions: grant('all', 'read', 'export', 'import'),
    interactions: grant('all', 'read'),
    imports: { read: 'own', create: 'all' },
    analytics: grant('all', ...crud, 'export'),
    segments: grant('all', ...crud, 'export'),
    strategies: grant('all', 'read', 'create', 'update'),
    engagement: grant('all', 'read'),
    complaints: grant('all', 'read'),
    surveys: grant('all', 'read', 'export'),
    kpis: grant('all', ...crud),
    reports: grant('all', ...crud, 'export'),
    settings: grant('all', 'read'),
    teams: grant('all', 'read'),
    tokens: ownTokens,
  },
  sales: {
    accounts: { read: 'team', create: 'own', update: 'own', export: 'own' },
    contacts: grant('own', ...crud, 'export'),
    transactions: grant('own', 'read'),
    interactions: grant('own', 'read', 'create', 'update'),
    analytics: grant('own', 'read'),
    segments: grant('all', 'read'),
    strategies: grant('all', 'read'),
    engagement: grant('own', 'read', 'create', 'update'),
    complaints: grant('own', 'read', 'create', 'update'),
    surveys: grant('own', 'read'),
    kpis: grant('all', 'read'),
    reports: grant('own', 'read'),
    settings: grant('all', 'read'),
    teams: grant('all', 'read'),
    tokens: ownTokens,
  },
  service: {
    accounts: grant('team', 'read'),
    contacts: grant('team', 'read', 'create', 'update'),
    transactions: grant('team', 'read'),
    interactions: grant('team', 'read', 'create', 'update'),
    engagement: grant('team', 'read'),
    complaints: grant('team', ...crud, 'export'),
    surveys: grant('team', 'read', 'create'),
    kpis: grant('all', 'read'),
    reports: grant('team', 'read'),
    settings: grant('all', 'read'),
    teams: grant('all', 'read'),
    tokens: ownTokens,
  },
  marketing: {
    accounts: grant('all', 'read', 'export'),
    contacts: grant('all', 'read', 'export'),
    transactions: grant('all', 'read'),
    interactions: grant('all', 'read'),
    analytics: grant('all', 'read'),
    segments: grant('all', ...crud, 'export'),
    strategies: grant('all', ...crud),
    engagement: grant('all', ...crud, 'export'),
    complaints: grant('all', 'read'),
    surveys: grant('all', ...crud, 'export'),
    kpis: grant('all', 'read'),
    reports: grant('all', 'read', 'create', 'export'),
    settings: grant('all', 'read'),
    teams: grant('all', 'read'),
    tokens: ownTokens,
  },
  privacy_officer: {
    accounts: grant('all', 'read', 'update', 'export'),
    contacts: grant('all', 'read', 'update', 'delete', 'export'),
    transactions: grant('all', 'read'),
    interactions: grant('all', 'read', 'delete'),
    complaints: grant('all', 'read'),
    surveys: grant('all', 'read'),
    privacy: grant('all', ...crud, 'export'),
    settings: grant('all', 'read'),
    users: grant('all', 'read'),
    teams: grant('all', 'read'),
    tokens: ownTokens,
    audit: grant('all', 'read', 'export'),
  },
  auditor: {
    ...Object.fromEntries(
      resources
        .filter((resource) => resource !== 'audit' && resource !== 'tokens')
        .map((resource) => [resource, grant('all', 'read')]),
    ),
    tokens: { read: 'all', create: 'own', delete: 'own' },
    audit: grant('all', 'read', 'export'),
  },
  viewer: {
    accounts: grant('team', 'read'),
    analytics: grant('all', 'read'),
    segments: grant('all', 'read'),
    strategies: grant('all', 'read'),
    kpis: grant('all', 'read'),
    reports: grant('all', 'read'),
    settings: grant('all', 'read'),
    teams: grant('all', 'read'),
    tokens: ownTokens,
  },
};

/** Which sensitive field classes a role may see (and therefore filter, sort, count and export by). */
export const fieldVisibility: Readonly<Record<Role, Readonly<Record<FieldClass, boolean>>>> = {
  admin: { personal: true, commercial: true },
  manager: { personal: true, commercial: true },
  analyst: { personal: false, commercial: true },
  sales: { personal: true, commercial: false },
  service: { personal: true, commercial: false },
  marketing: { personal: true, commercial: false },
  privacy_officer: { personal: true, commercial: false },
  auditor: { personal: false, commercial: false },
  viewer: { personal: false, commercial: false },
};

/** The sensitive fields of the data bank, by "<resource>.<field>". Features add theirs here. */
export const sensitiveFields = {
  'contacts.email': 'personal',
  'contacts.phone': 'personal',
  'transactions.cost': 'commercial',
  'transactions.margin': 'commercial',
} as const satisfies Record<string, FieldClass>;
export type SensitiveField = keyof typeof sensitiveFields;

const scopeRank: Record<Scope, number> = { own: 1, team: 2, all: 3 };

export const scopeFor = (role: Role, resource: Resource, action: Action): Scope | null =>
  roleMatrix[role][resource]?.[action] ?? null;

/** The scope the actor has for (resource, action), or null when the action is not allowed at all. */
export const actorScope = (actor: Actor, resource: Resource, action: Action): Scope | null =>
  actor.grants[resource]?.[action] ?? null;

export const allows = (actor: Actor, permission: PermissionDeclaration): boolean =>
  actorScope(actor, permission.resource, permission.action) !== null;

/** The scope, or a forbidden error naming what is missing (the plugin checks first; services check again). */
export function requireScope(actor: Actor, resource: Resource, action: Action): Scope {
  const scope = actorScope(actor, resource, action);
  if (!scope) throw new AppError('forbidden', `Your role (${actor.role}) may not ${action} ${resource}.`);
  return scope;
}

/** Whether a record related to the actor this way falls inside the scope (own ⊂ team ⊂ all). */
export function scopeCovers(scope: Scope, relation: 'own' | 'team' | 'other'): boolean {
  if (scope === 'all') return true;
  if (scope === 'team') return relation !== 'other';
  return relation === 'own';
}

/** True when every grant and visible field class of `inner` is also held, at least as widely, by `outer`. */
export function roleWithin(inner: Role, outer: Role): boolean {
  for (const resource of resources) {
    for (const action of actions) {
      const want = scopeFor(inner, resource, action);
      if (!want) continue;
      const have = scopeFor(outer, resource, action);
      if (!have || scopeRank[have] < scopeRank[want]) return false;
    }
  }
  const inside = fieldVisibility[inner];
  const outside = fieldVisibility[outer];
  return (!inside.personal || outside.personal) && (!inside.commercial || outside.commercial);
}

export interface ActorInput {
  userId: number | null;
  role: Role;
  team: string | null;
  via: Via;
  ip?: string | null;
  userAgent?: string | null;
  sessionId?: number;
  tokenId?: number;
}

export function buildActor(input: ActorInput): Actor {
  return {
    userId: input.userId,
    role: input.role,
    team: input.team,
    via: input.via,
    grants: roleMatrix[input.role],
    sees: fieldVisibility[input.role],
    origin: { ip: input.ip ?? null, userAgent: input.userAgent ?? null },
    ...(input.sessionId === undefined ? {} : { sessionId: input.sessionId }),
    ...(input.tokenId === undefined ? {} : { tokenId: input.tokenId }),
  };
}

/** The trusted in-process actor (CLI commands, demo seeding, jobs): admin rights, recorded as such. */
export const systemActor = (via: 'cli' | 'system' = 'system', userAgent: string | null = null): Actor =>
  buildActor({ userId: null, role: 'admin', team: null, via, userAgent });

// ── Field masks ────────────────────────────────────────────────────────────────────────────────────────────

export const canSee = (actor: Actor, field: SensitiveField): boolean => actor.sees[sensitiveFields[field]];

/**
 * A copy of the record with each masked field set to null, and the names masked (so a client can tell
 * "hidden" from "empty"). `fields` maps the record's property names to the sensitive field they hold.
 */
export function maskRecord<T extends Record<string, unknown>>(
  actor: Actor,
  record: T,
  fields: Partial<Record<keyof T & string, SensitiveField>>,
): { record: T; masked: string[] } {
  const copy: Record<string, unknown> = { ...record };
  const masked: string[] = [];
  for (const [property, field] of Object.entries(fields) as [string, SensitiveField][]) {
    if (!canSee(actor, field)) {
      copy[property] = null;
      masked.push(property);
    }
  }
  return { record: copy as T, masked };
}

/**
 * Refuses (403) a filter, sort, search or count over a field the actor may not see — a count of rows whose
 * e-mail matches would reveal the e-mail as surely as showing it.
 */
export function assertFieldsUsable(actor: Actor, used: readonly SensitiveField[], purpose = 'filter or sort by'): void {
  const hidden = used.filter((field) => !canSee(actor, field));
  if (hidden.length > 0) {
    throw new AppError('forbidden', `Your role (${actor.role}) may not ${purpose} ${hidden.join(', ')}.`, {
      fields: hidden,
    });
  }
}

/** The export columns the actor may receive: masked columns are left out entirely. */
export function visibleColumns<C extends { field?: SensitiveField }>(actor: Actor, columns: readonly C[]): C[] {
  return columns.filter((column) => !column.field || canSee(actor, column.field));
}

// ── docs/permissions.md ───────────────────────────────────────────────────────────────────────────────────

const roleLabel: Record<Role, string> = {
  admin: 'Admin',
  manager: 'Manager',
  analyst: 'Analyst',
  sales: 'Sales',
  service: 'Service',
  marketing: 'Marketing',
  privacy_officer: 'Privacy officer',
  auditor: 'Auditor',
  viewer: 'Viewer',
};

/** The Markdown of docs/permissions.md, generated from roleMatrix, fieldVisibility and sensitiveFields. */
export function renderPermissionsDoc(): string {
  const lines: string[] = [
    '# Permissions',
    '',
    '<!-- Generated from src/features/auth/permissions.rules.ts by `node --import tsx scripts/generate-permissions-doc.ts`. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    'Every API route declares the permission it needs (a resource and an action); a route without a declaration is refused.',
    'A role either lacks the action (the API answers **403**) or holds it with a scope:',
    '',
    '- **own**: records of accounts the user owns (for records without an account: created by the user; for users and tokens: the user\u2019s own),',
    '- **team**: the same for everyone in the user\u2019s team (a user without a team has own scope),',
    '- **all**: every record.',
    '',
    'A record outside the scope answers **404**, exactly as a record that does not exist. A request without',
    'credentials answers **401**. API tokens carry a role that may not exceed their owner\u2019s.',
    '',
    `Roles: ${roles.map((role) => `\`${role}\``).join(', ')}. Actions: ${actions.map((action) => `\`${action}\``).join(', ')}.`,
    '',
    '## Role matrix',
    '',
  ];
  for (const resource of resources) {
    lines.push(`### ${resource}`, '');
    lines.push(`| Role | ${actions.join(' | ')} |`);
    lines.push(`| --- | ${actions.map(() => ':---:').join(' | ')} |`);
    for (const role of roles) {
      const cells = actions.map((action) => scopeFor(role, resource, action) ?? '—');
      lines.push(`| ${roleLabel[role]} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('## Field masks', '');
  lines.push(
    'Sensitive fields are hidden (returned as `null` and listed in `masked`, left out of exports) from roles that',
    'may not see their class. Filtering, sorting, searching or counting by a hidden field answers **403**, never a count.',
    '',
  );
  lines.push('| Field | Class |', '| --- | --- |');
  for (const [field, fieldClass] of Object.entries(sensitiveFields)) lines.push(`| \`${field}\` | ${fieldClass} |`);
  lines.push('', '| Role | personal | commercial |', '| --- | :---: | :---: |');
  for (const role of roles) {
    const sees = fieldVisibility[role];
    lines.push(
      `| ${roleLabel[role]} | ${sees.personal ? 'visible' : 'masked'} | ${sees.commercial ? 'visible' : 'masked'} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
