import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { AppError } from '../../shared/errors.js';
import type { Action, Actor, Resource, Scope } from './auth.schema.js';
import { actorScope } from './permissions.rules.js';

/**
 * Record scope as SQL: the where-clause that keeps a query inside what the actor may see. Services add it to
 * every read, update and delete (and to lookups by natural key: code, e-mail, phone), so a record outside the
 * scope is simply not found — the route answers 404, exactly as for a record that does not exist.
 *
 *   own  → <ownerColumn> = <actor's user id>
 *   team → <ownerColumn> in (the ids of users in the actor's team)   (no team: as own)
 *   all  → true
 */
export function ownerScopeWhere(actor: Actor, scope: Scope, ownerColumn: string): RawBuilder<SqlBool> {
  if (scope === 'all') return sql<SqlBool>`true`;
  if (actor.userId === null) return sql<SqlBool>`false`;
  const owner = sql.ref(ownerColumn);
  if (scope === 'team' && actor.team !== null) {
    return sql<SqlBool>`${owner} in (select scope_u.id from users as scope_u where scope_u.team = ${actor.team})`;
  }
  return sql<SqlBool>`${owner} = ${actor.userId}`;
}

/** The scope of (resource, action) for the actor, or 403 when the role does not have the action at all. */
function scopeOrForbidden(actor: Actor, resource: Resource, action: Action): Scope {
  const scope = actorScope(actor, resource, action);
  if (!scope) throw new AppError('forbidden', `Your role (${actor.role}) may not ${action} ${resource}.`);
  return scope;
}

/**
 * Where-clause on an account's owner column (default `accounts.owner_id`; pass e.g. 'a.owner_id' for an alias).
 * Use for accounts and for anything that belongs to an account (contacts, transactions, …: pass their
 * resource and join to the account's owner).
 */
export function accountScopeWhere(
  actor: Actor,
  action: Action,
  options: { resource?: Resource; ownerColumn?: string } = {},
): RawBuilder<SqlBool> {
  const scope = scopeOrForbidden(actor, options.resource ?? 'accounts', action);
  return ownerScopeWhere(actor, scope, options.ownerColumn ?? 'accounts.owner_id');
}

/** Where-clause for records owned directly by a user column (created_by, user_id): own / team / all. */
export function creatorScopeWhere(
  actor: Actor,
  resource: Resource,
  action: Action,
  userColumn: string,
): RawBuilder<SqlBool> {
  return ownerScopeWhere(actor, scopeOrForbidden(actor, resource, action), userColumn);
}

/** Where-clause for the users table itself: own = the actor, team = the actor's team. */
export function userScopeWhere(actor: Actor, action: Action, alias = 'users'): RawBuilder<SqlBool> {
  const scope = scopeOrForbidden(actor, 'users', action);
  if (scope === 'all') return sql<SqlBool>`true`;
  if (scope === 'team' && actor.team !== null) return sql<SqlBool>`${sql.ref(`${alias}.team`)} = ${actor.team}`;
  return sql<SqlBool>`${sql.ref(`${alias}.id`)} = ${actor.userId ?? -1}`;
}
