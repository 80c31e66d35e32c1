import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { CustomFieldDefinition } from '../../../features/accounts/account-filter.schema.js';
import type { AccountDetail, AccountPage } from '../../../features/accounts/account.schema.js';
import type {
  AccountCreateInput,
  AccountProfile,
  AccountUpdateInput,
  Activity,
  ActivityCreateInput,
  Contact,
  ContactCreateInput,
  ContactUpdateInput,
  CustomerOverview,
  DuplicateEntity,
  DuplicatePair,
  Interaction,
  InteractionCreateInput,
  MergeRequest,
  MergeResult,
  Timeline,
  TransactionPage,
} from '../../../features/accounts/customer.schema.js';
import { apiGet, apiSend } from '../../api.js';
import { listParams, type AccountFilters } from './customers.params.js';

/** TanStack Query definitions for the accounts API: the list, the detail, the 360 page, duplicates and writes. */
export const accountKeys = {
  all: ['accounts'] as const,
  list: (filters: AccountFilters) => ['accounts', 'list', filters] as const,
  customFields: ['accounts', 'custom-fields'] as const,
  detail: (id: number) => ['accounts', 'detail', id] as const,
  overview: (id: number) => ['accounts', 'overview', id] as const,
  transactions: (id: number, page: number) => ['accounts', 'transactions', id, page] as const,
  timeline: (id: number) => ['accounts', 'timeline', id] as const,
  duplicates: (entity: DuplicateEntity) => ['accounts', 'duplicates', entity] as const,
};

export const accountListQuery = (filters: AccountFilters) =>
  infiniteQueryOptions({
    queryKey: accountKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      apiGet<AccountPage>('/api/accounts', listParams(filters, pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** The custom fields a list can filter on (they change rarely: kept fresh for five minutes). */
export const customFieldsQuery = () =>
  queryOptions({
    queryKey: accountKeys.customFields,
    queryFn: ({ signal }) => apiGet<{ items: CustomFieldDefinition[] }>('/api/custom-fields/accounts', {}, { signal }),
    staleTime: 5 * 60_000,
  });

export const accountDetailQuery = (id: number) =>
  queryOptions({
    queryKey: accountKeys.detail(id),
    queryFn: ({ signal }) => apiGet<AccountDetail>(`/api/accounts/${id}`, {}, { signal }),
  });

export const overviewQuery = (id: number) =>
  queryOptions({
    queryKey: accountKeys.overview(id),
    queryFn: ({ signal }) => apiGet<CustomerOverview>(`/api/accounts/${id}/overview`, {}, { signal }),
  });

export const transactionPageSize = 10;

export const transactionsQuery = (id: number, page: number) =>
  queryOptions({
    queryKey: accountKeys.transactions(id, page),
    queryFn: ({ signal }) =>
      apiGet<TransactionPage>(`/api/accounts/${id}/transactions`, { page, pageSize: transactionPageSize }, { signal }),
  });

export const timelineQuery = (id: number) =>
  queryOptions({
    queryKey: accountKeys.timeline(id),
    queryFn: ({ signal }) => apiGet<Timeline>(`/api/accounts/${id}/timeline`, { limit: 200 }, { signal }),
  });

export const duplicatesQuery = (entity: DuplicateEntity) =>
  queryOptions({
    queryKey: accountKeys.duplicates(entity),
    queryFn: ({ signal }) => apiGet<{ items: DuplicatePair[] }>('/api/duplicates', { entity, limit: 200 }, { signal }),
  });

export const createAccount = (input: Partial<AccountCreateInput>) =>
  apiSend<AccountProfile>('POST', '/api/accounts', input);

export const updateAccount = (id: number, input: Partial<AccountUpdateInput> & { version: number }) =>
  apiSend<AccountProfile>('PATCH', `/api/accounts/${id}`, input);

export const setArchived = (id: number, version: number, archived: boolean) =>
  apiSend<AccountProfile>('POST', `/api/accounts/${id}/${archived ? 'archive' : 'restore'}`, { version });

export const logInteraction = (accountId: number, input: Partial<InteractionCreateInput>) =>
  apiSend<Interaction>('POST', `/api/accounts/${accountId}/interactions`, input);

export const addActivity = (accountId: number, input: Partial<ActivityCreateInput>) =>
  apiSend<Activity>('POST', `/api/accounts/${accountId}/activities`, input);

export const merge = (entity: DuplicateEntity, request: MergeRequest) =>
  apiSend<MergeResult>('POST', `/api/${entity}/merge`, request);

export const createContact = (accountId: number, input: ContactCreateInput) =>
  apiSend<Contact>('POST', `/api/accounts/${accountId}/contacts`, input);

export const updateContact = (id: number, input: ContactUpdateInput) =>
  apiSend<Contact>('PATCH', `/api/contacts/${id}`, input);

export const setContactArchived = (id: number, version: number, archived: boolean) =>
  apiSend<Contact>('POST', `/api/contacts/${id}/${archived ? 'archive' : 'restore'}`, { version });
