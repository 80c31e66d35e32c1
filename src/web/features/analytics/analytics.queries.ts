import { infiniteQueryOptions, queryOptions, type QueryClient } from '@tanstack/react-query';
import type {
  AccountAnalytics,
  AnalysisKind,
  AnalysisRun,
  AnalysisRunSummary,
  CustomerResult,
  CustomerSort,
  RunRequestInput,
} from '../../../features/analytics/analytics.schema.js';
import { apiGet, apiSend, isApiError, type RequestOptions } from '../../api.js';

/** TanStack Query definitions for the analytics API: runs, their customers, and one account's figures. */
export const analyticsKeys = {
  all: ['analytics'] as const,
  latest: (kind: AnalysisKind) => ['analytics', 'latest', kind] as const,
  run: (id: number) => ['analytics', 'run', id] as const,
  runs: (kind: AnalysisKind) => ['analytics', 'runs', kind] as const,
  customers: (runId: number, filters: CustomerFilters) => ['analytics', 'customers', runId, filters] as const,
  account: (accountId: number) => ['analytics', 'account', accountId] as const,
};

export interface CustomerFilters {
  sort: CustomerSort;
  order: 'asc' | 'desc';
  abcClass?: string | undefined;
  segment?: string | undefined;
  churnClass?: string | undefined;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const customerPageSize = 50;

/** The latest completed run of a kind, or null when none has been run yet (the API's 404). */
export const latestRunQuery = (kind: AnalysisKind) =>
  queryOptions({
    queryKey: analyticsKeys.latest(kind),
    queryFn: async ({ signal }) => {
      try {
        return await apiGet<AnalysisRun>(`/api/analytics/latest/${kind}`, {}, { signal });
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
  });

export const runQuery = (id: number) =>
  queryOptions({
    queryKey: analyticsKeys.run(id),
    queryFn: ({ signal }) => apiGet<AnalysisRun>(`/api/analytics/runs/${id}`, {}, { signal }),
    staleTime: Number.POSITIVE_INFINITY, // a stored run never changes
  });

/** The last runs of a kind (for the history picker). */
export const runListQuery = (kind: AnalysisKind) =>
  queryOptions({
    queryKey: analyticsKeys.runs(kind),
    queryFn: ({ signal }) => apiGet<Page<AnalysisRunSummary>>('/api/analytics/runs', { kind, limit: 20 }, { signal }),
  });

export const runCustomersQuery = (runId: number, filters: CustomerFilters) =>
  infiniteQueryOptions({
    queryKey: analyticsKeys.customers(runId, filters),
    queryFn: ({ pageParam, signal }) =>
      apiGet<Page<CustomerResult>>(
        `/api/analytics/runs/${runId}/customers`,
        { ...filters, limit: customerPageSize, cursor: pageParam },
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: Number.POSITIVE_INFINITY,
  });

export const accountAnalyticsQuery = (accountId: number) =>
  queryOptions({
    queryKey: analyticsKeys.account(accountId),
    queryFn: ({ signal }) => apiGet<AccountAnalytics>(`/api/accounts/${accountId}/analytics`, {}, { signal }),
  });

/** POST /api/analytics/runs: runs one analysis and stores it (apiSend adds the session's CSRF header). */
export const runAnalysis = (request: RunRequestInput, options: RequestOptions = {}): Promise<AnalysisRun> =>
  apiSend<AnalysisRun>('POST', '/api/analytics/runs', request, options);

/** After a new run: it is the latest of its kind; lists, customer pages and account cards are out of date. */
export function afterRun(queryClient: QueryClient, run: AnalysisRun): Promise<void> {
  queryClient.setQueryData(analyticsKeys.latest(run.kind), run);
  queryClient.setQueryData(analyticsKeys.run(run.id), run);
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: analyticsKeys.runs(run.kind) }),
    queryClient.invalidateQueries({ queryKey: ['analytics', 'account'] }),
  ]).then(() => undefined);
}
