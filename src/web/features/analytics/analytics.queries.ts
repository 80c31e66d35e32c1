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
import { ApiError, apiGet, isApiError, parseErrorBody } from '../../api.js';

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

/** The session's CSRF token (from /api/auth/me), sent back on writes; null when not signed in with a cookie. */
let csrfToken: string | null = null;

/** Forgets the cached CSRF token (after signing out; between tests). */
export function forgetCsrfToken(): void {
  csrfToken = null;
}

async function sessionCsrfToken(doFetch: typeof fetch, refresh: boolean): Promise<string | null> {
  if (csrfToken !== null && !refresh) return csrfToken;
  try {
    csrfToken = (await apiGet<{ csrfToken: string | null }>('/api/auth/me', {}, { fetch: doFetch })).csrfToken;
  } catch {
    csrfToken = null; // not signed in (or no sign-in at all): the write goes without, and the API says why
  }
  return csrfToken;
}

/**
 * POST /api/analytics/runs. api.ts only reads; this is the one write of the analytics pages, with the same error
 * handling (the server's {code, message}, or network_error / bad_response). A cookie session's writes carry the
 * X-CSRF-Token header; a 403 with a stale token (signed in again elsewhere) is retried once with a fresh one.
 */
export async function runAnalysis(
  request: RunRequestInput,
  doFetch: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<AnalysisRun> {
  const send = async (refresh: boolean): Promise<Response> => {
    const token = await sessionCsrfToken(doFetch, refresh);
    try {
      return await doFetch('/api/analytics/runs', {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          ...(token ? { 'x-csrf-token': token } : {}),
        },
        body: JSON.stringify(request),
      });
    } catch {
      throw new ApiError({ code: 'network_error', message: 'The server cannot be reached.' }, 0);
    }
  };
  let response = await send(false);
  if (response.status === 403 && csrfToken !== null) response = await send(true);
  const text = await response.text();
  if (!response.ok) throw new ApiError(parseErrorBody(response.status, response.statusText, text), response.status);
  try {
    return JSON.parse(text) as AnalysisRun;
  } catch {
    throw new ApiError(
      { code: 'bad_response', message: `HTTP ${response.status}: the response is not JSON.` },
      response.status,
    );
  }
}

/** After a new run: it is the latest of its kind; lists, customer pages and account cards are out of date. */
export function afterRun(queryClient: QueryClient, run: AnalysisRun): Promise<void> {
  queryClient.setQueryData(analyticsKeys.latest(run.kind), run);
  queryClient.setQueryData(analyticsKeys.run(run.id), run);
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: analyticsKeys.runs(run.kind) }),
    queryClient.invalidateQueries({ queryKey: ['analytics', 'account'] }),
  ]).then(() => undefined);
}
