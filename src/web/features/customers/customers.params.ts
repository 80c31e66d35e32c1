import type { AccountSort, Industry } from '../../../features/accounts/account.schema.js';

/**
 * The customers list's filters live in the URL (?q=&industry=&sort=&order=), so a list can be
 * bookmarked and Back returns to it. Parsing is forgiving: a bad value falls back to the default.
 */
export type SortOrder = 'asc' | 'desc';

export interface AccountFilters {
  q: string;
  industry: Industry | null;
  sort: AccountSort;
  order: SortOrder;
}

export const industries = ['freight', 'automotive', 'retail'] as const satisfies readonly Industry[];
export const sortColumns = ['code', 'name', 'created'] as const satisfies readonly AccountSort[];
export const pageSize = 50;

export const defaultFilters: AccountFilters = { q: '', industry: null, sort: 'name', order: 'asc' };

/** Newest first is what people want from a date column; names and codes read A→Z. */
export const defaultOrderFor = (sort: AccountSort): SortOrder => (sort === 'created' ? 'desc' : 'asc');

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;

export function filtersFromSearch(search: URLSearchParams): AccountFilters {
  const sort = oneOf(sortColumns, search.get('sort')) ?? defaultFilters.sort;
  return {
    q: search.get('q') ?? '',
    industry: oneOf(industries, search.get('industry')),
    sort,
    order: oneOf(['asc', 'desc'] as const, search.get('order')) ?? defaultOrderFor(sort),
  };
}

/** Only what differs from the defaults goes into the URL. */
export function filtersToSearch(filters: AccountFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.q) search.set('q', filters.q);
  if (filters.industry) search.set('industry', filters.industry);
  if (filters.sort !== defaultFilters.sort) search.set('sort', filters.sort);
  if (filters.order !== defaultOrderFor(filters.sort)) search.set('order', filters.order);
  return search;
}

/** Clicking the sorted column flips its order; clicking another sorts by it in its natural order. */
export function toggleSort(filters: AccountFilters, column: AccountSort): AccountFilters {
  if (filters.sort === column) return { ...filters, order: filters.order === 'asc' ? 'desc' : 'asc' };
  return { ...filters, sort: column, order: defaultOrderFor(column) };
}

/** The GET /api/accounts parameters for one page. */
export function listParams(filters: AccountFilters, cursor: string | null, limit = pageSize) {
  const q = filters.q.trim();
  return {
    q: q || undefined,
    industry: filters.industry ?? undefined,
    sort: filters.sort,
    order: filters.order,
    limit,
    cursor: cursor ?? undefined,
  };
}

/** The export of the list as it is filtered (GET /api/exports/accounts streams CSV or XLSX with the same filters). */
export function exportHref(filters: AccountFilters, format: 'csv' | 'xlsx'): string {
  const search = new URLSearchParams({ format });
  const q = filters.q.trim();
  if (q) search.set('q', q);
  if (filters.industry) search.set('industry', filters.industry);
  return `/api/exports/accounts?${search.toString()}`;
}
