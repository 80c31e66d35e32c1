import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { AccountDetail, AccountPage } from '../../../features/accounts/account.schema.js';
import { apiGet } from '../../api.js';
import { listParams, type AccountFilters } from './customers.params.js';

/** TanStack Query definitions for the accounts API, shared by the list and the detail page. */
export const accountKeys = {
  all: ['accounts'] as const,
  list: (filters: AccountFilters) => ['accounts', 'list', filters] as const,
  detail: (id: number) => ['accounts', 'detail', id] as const,
};

export const accountListQuery = (filters: AccountFilters) =>
  infiniteQueryOptions({
    queryKey: accountKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      apiGet<AccountPage>('/api/accounts', listParams(filters, pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export const accountDetailQuery = (id: number) =>
  queryOptions({
    queryKey: accountKeys.detail(id),
    queryFn: ({ signal }) => apiGet<AccountDetail>(`/api/accounts/${id}`, {}, { signal }),
  });
