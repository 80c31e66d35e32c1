import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor, type Page } from '../../shared/page.js';
import { cursorValue, findAccountDetail, listAccounts } from './account.repository.js';
import type { AccountDetail, AccountListQuery, AccountSummary } from './account.schema.js';

export interface AccountService {
  listAccounts(query: AccountListQuery): Promise<Page<AccountSummary>>;
  getAccount(id: number): Promise<AccountDetail>;
}

export function createAccountService({ db }: { db: Kysely<DB> }): AccountService {
  return {
    async listAccounts(query) {
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !after) {
        throw new AppError('validation_failed', 'Invalid query parameter cursor: not a cursor this API returned', {
          parameter: 'cursor',
        });
      }
      const rows = await listAccounts(db, query, after);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const items = page.map(({ createdKey: _createdKey, ...summary }) => summary);
      const nextCursor =
        rows.length > query.limit && last ? encodeCursor({ v: cursorValue(last, query.sort), id: last.id }) : null;
      return { items, nextCursor };
    },
    async getAccount(id) {
      const account = await findAccountDetail(db, id);
      if (!account) throw new AppError('not_found', `Account ${id} does not exist.`);
      return account;
    },
  };
}
