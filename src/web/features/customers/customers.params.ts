import {
  accountFilterSchema,
  accountFilterToParams,
  emptyAccountFilter,
  type AccountFilter,
  type AccountSort,
} from '../../../features/accounts/account-filter.schema.js';
import type { Industry } from '../../../features/accounts/account.schema.js';

/**
 * The customers list's filters live in the URL in the API's own filter syntax (docs/lists.md: ?q=&status=&
 * custom.credit_terms=gte:30&needs.service=sea&sort=&order=), so a list can be bookmarked, Back returns to it and
 * the export link is the same query. Parsing is forgiving: a parameter the filter refuses is dropped, not fatal.
 */
export type SortOrder = 'asc' | 'desc';

export interface AccountFilters {
  /** The search box's text (debounced separately from the rest of the filter). */
  q: string;
  /** Everything else of the account filter (its q is unused: the search box is the q). */
  filter: AccountFilter;
  sort: AccountSort;
  order: SortOrder;
}

export const industries = ['freight', 'automotive', 'retail'] as const satisfies readonly Industry[];
export const sortColumns = ['code', 'name', 'created', 'updated', 'status'] as const satisfies readonly AccountSort[];
export const pageSize = 50;

export const defaultFilters: AccountFilters = { q: '', filter: emptyAccountFilter, sort: 'name', order: 'asc' };

/** Newest first is what people want from a date column; names and codes read A→Z. */
export const defaultOrderFor = (sort: AccountSort): SortOrder =>
  sort === 'created' || sort === 'updated' ? 'desc' : 'asc';

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | null =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : null;

const listKeys = new Set(['q', 'sort', 'order', 'limit', 'cursor']);

export function filtersFromSearch(search: URLSearchParams): AccountFilters {
  const sort = oneOf(sortColumns, search.get('sort')) ?? defaultFilters.sort;
  const kept: Record<string, string> = {};
  for (const [key, value] of search.entries()) {
    if (listKeys.has(key)) continue;
    if (accountFilterSchema.safeParse({ [key]: value }).success) kept[key] = value;
  }
  const parsed = accountFilterSchema.safeParse(kept);
  return {
    q: search.get('q') ?? '',
    filter: parsed.success ? parsed.data : emptyAccountFilter,
    sort,
    order: oneOf(['asc', 'desc'] as const, search.get('order')) ?? defaultOrderFor(sort),
  };
}

/** The filter's own parameters, without q (the search box's text is added where it is wanted). */
function filterParams(filter: AccountFilter): [string, string][] {
  const { q: _searchBox, ...rest } = filter;
  return accountFilterToParams(rest);
}

/** Only what differs from the defaults goes into the URL. */
export function filtersToSearch(filters: AccountFilters): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.q) search.set('q', filters.q);
  for (const [key, value] of filterParams(filters.filter)) search.append(key, value);
  if (filters.sort !== defaultFilters.sort) search.set('sort', filters.sort);
  if (filters.order !== defaultOrderFor(filters.sort)) search.set('order', filters.order);
  return search;
}

/** Clicking the sorted column flips its order; clicking another sorts by it in its natural order. */
export function toggleSort(filters: AccountFilters, column: AccountSort): AccountFilters {
  if (filters.sort === column) return { ...filters, order: filters.order === 'asc' ? 'desc' : 'asc' };
  return { ...filters, sort: column, order: defaultOrderFor(column) };
}

/** How many filters besides the search are set (the filter button shows it). */
export function activeFilterCount(filter: AccountFilter): number {
  return filterParams(filter).length;
}

/** The GET /api/accounts parameters for one page. */
export function listParams(filters: AccountFilters, cursor: string | null, limit = pageSize) {
  const q = filters.q.trim();
  return {
    q: q || undefined,
    ...Object.fromEntries(filterParams(filters.filter)),
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
  for (const [key, value] of filterParams(filters.filter)) search.append(key, value);
  return `/api/exports/accounts?${search.toString()}`;
}
