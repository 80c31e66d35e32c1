import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/page.js';
import { accountScopeWhere, type Actor } from '../auth/index.js';
import { listCustomFieldDefinitions } from './account-filter.repository.js';
import { resolveAccountFilter, type ResolvedAccountFilter } from './account-filter.rules.js';
import type { AccountFilter, AccountListQuery, CustomFieldDefinition } from './account-filter.schema.js';
import { cursorValue, findAccountDetail, listAccounts, type AccountScope } from './account.repository.js';
import type { AccountDetail, AccountSummary } from './account.schema.js';

/** Every use case takes the Actor: its record scope decides which accounts exist for it (others answer 404). */
export interface AccountService {
  listAccounts(actor: Actor, query: AccountListQuery): Promise<Page<AccountSummary>>;
  getAccount(actor: Actor, id: number): Promise<AccountDetail>;
  /** The custom fields defined for accounts: the filter panel offers them with the operators of their type. */
  listCustomFields(actor: Actor): Promise<{ items: CustomFieldDefinition[] }>;
}

/** Types the filter's custom conditions against the fields defined now; throws validation_failed on a bad one. */
export async function prepareAccountFilter(db: Kysely<DB>, filter: AccountFilter): Promise<ResolvedAccountFilter> {
  if (filter.custom.length === 0) return { ...filter, custom: [] };
  const definitions = await listCustomFieldDefinitions(db);
  return resolveAccountFilter(filter, new Map(definitions.map((definition) => [definition.key, definition])));
}

const readScope = (actor: Actor): AccountScope => ({
  scope: accountScopeWhere(actor, 'read', { ownerColumn: 'a.owner_id' }),
  parentScope: accountScopeWhere(actor, 'read', { ownerColumn: 'p.owner_id' }),
  memberScope: accountScopeWhere(actor, 'read', { ownerColumn: 'm.owner_id' }),
});

export function createAccountService({ db }: { db: Kysely<DB> }): AccountService {
  return {
    async listAccounts(actor, query) {
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !after) {
        throw new AppError('validation_failed', 'Invalid query parameter cursor: not a cursor this API returned', {
          parameter: 'cursor',
        });
      }
      const filter = await prepareAccountFilter(db, query.filter);
      const request = { filter, sort: query.sort, order: query.order, limit: query.limit };
      const rows = await listAccounts(db, request, after, readScope(actor));
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const items = page.map(({ keys: _keys, ...summary }) => summary);
      const nextCursor =
        rows.length > query.limit && last ? encodeCursor({ v: cursorValue(last, query.sort), id: last.id }) : null;
      return { items, nextCursor };
    },
    async getAccount(actor, id) {
      const account = await findAccountDetail(db, id, readScope(actor));
      if (!account) throw new AppError('not_found', `Account ${id} does not exist.`);
      return account;
    },
    async listCustomFields() {
      return { items: await listCustomFieldDefinitions(db) };
    },
  };
}
