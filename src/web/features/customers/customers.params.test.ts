import { describe, expect, it } from 'vitest';
import { emptyAccountFilter } from '../../../features/accounts/account-filter.schema.js';
import {
  type AccountFilters,
  defaultFilters,
  exportHref,
  filtersFromSearch,
  filtersToSearch,
  listParams,
  toggleSort,
} from './customers.params.js';

describe('customers list filters in the URL', () => {
  it('reads defaults from an empty URL and writes nothing back', () => {
    const filters = filtersFromSearch(new URLSearchParams(''));
    expect(filters).toEqual(defaultFilters);
    expect(filtersToSearch(filters).toString()).toBe('');
  });

  it('round-trips every filter', () => {
    const filters = {
      q: '貨運 & co',
      filter: {
        ...emptyAccountFilter,
        industry: ['retail'],
        status: ['active', 'prospect'],
        tags: ['vip'],
        createdFrom: '2024-01-01',
        custom: [{ key: 'credit_terms', op: 'gte', values: ['30'] }],
        services: ['sea'],
        factors: [{ factor: 'price', minGap: 2 }],
      },
      sort: 'code',
      order: 'desc',
    } as const satisfies AccountFilters;
    expect(filtersFromSearch(filtersToSearch(filters))).toEqual(filters);
    expect(filtersToSearch(filters).get('custom.credit_terms')).toBe('gte:30');
  });

  it('ignores values that are not allowed', () => {
    expect(filtersFromSearch(new URLSearchParams('industry=mining&sort=revenue&order=sideways'))).toEqual(
      defaultFilters,
    );
    // A bad parameter is dropped; the good ones beside it stay.
    expect(filtersFromSearch(new URLSearchParams('status=asleep&tag=vip&custom.x=between:1')).filter).toEqual({
      ...emptyAccountFilter,
      tags: ['vip'],
    });
  });

  it('defaults the created column to newest first', () => {
    expect(filtersFromSearch(new URLSearchParams('sort=created')).order).toBe('desc');
    expect(filtersToSearch({ ...defaultFilters, sort: 'created', order: 'desc' }).toString()).toBe('sort=created');
  });
});

describe('toggleSort', () => {
  it('flips the order of the sorted column', () => {
    expect(toggleSort(defaultFilters, 'name')).toMatchObject({ sort: 'name', order: 'desc' });
  });
  it('sorts a new column in its natural order', () => {
    expect(toggleSort({ ...defaultFilters, order: 'desc' }, 'code')).toMatchObject({ sort: 'code', order: 'asc' });
    expect(toggleSort(defaultFilters, 'created')).toMatchObject({ sort: 'created', order: 'desc' });
  });
});

describe('listParams', () => {
  it('trims the search, leaves out what is unset and passes the cursor', () => {
    expect(listParams({ ...defaultFilters, q: '  acme ' }, 'abc', 25)).toEqual({
      q: 'acme',
      sort: 'name',
      order: 'asc',
      limit: 25,
      cursor: 'abc',
    });
    const freight = { ...defaultFilters, q: '   ', filter: { ...emptyAccountFilter, industry: ['freight' as const] } };
    expect(listParams(freight, null)).toMatchObject({
      q: undefined,
      industry: 'freight',
      cursor: undefined,
    });
  });
});

describe('exportHref', () => {
  it('exports the list with its search and industry in the chosen format', () => {
    expect(exportHref(defaultFilters, 'csv')).toBe('/api/exports/accounts?format=csv');
    const filters = {
      ...defaultFilters,
      q: ' 太平洋 & co ',
      filter: { ...emptyAccountFilter, industry: ['freight' as const], services: ['sea'] },
    };
    expect(exportHref(filters, 'xlsx')).toBe(
      `/api/exports/accounts?format=xlsx&q=${encodeURIComponent('太平洋 & co').replaceAll('%20', '+')}&industry=freight&needs.service=sea`,
    );
  });
});
