import {
  Anchor,
  Button,
  Center,
  Group,
  Loader,
  Menu,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { AccountSort } from '../../../features/accounts/account-filter.schema.js';
import type { AccountSummary } from '../../../features/accounts/account.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount, formatDate } from '../../ui/format.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { useMe } from '../auth/session.js';
import { AccountFormModal } from './AccountFormModal.js';
import { accountListQuery } from './customers.queries.js';
import { AccountFilterPanel } from './AccountFilterPanel.js';
import {
  activeFilterCount,
  exportHref,
  filtersFromSearch,
  filtersToSearch,
  industries,
  toggleSort,
  type AccountFilters,
} from './customers.params.js';

const searchDebounceMs = 300;

type ColumnKey = 'code' | 'nameEn' | 'nameZh' | 'industry' | 'parentCode' | 'owner' | 'created';
const columns: readonly { key: ColumnKey; sort?: AccountSort }[] = [
  { key: 'code', sort: 'code' },
  { key: 'nameEn', sort: 'name' },
  { key: 'nameZh' },
  { key: 'industry' },
  { key: 'parentCode' },
  { key: 'owner' },
  { key: 'created', sort: 'created' },
];

/**
 * The customers list: search (debounced), industry filter, sortable columns, cursor pages via "Load more"; the data
 * bank's tools by role: new customer, import and its history, duplicates, export of the filtered list (CSV, XLSX).
 */
export function CustomersPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('customers.title'));
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const [debouncedQ] = useDebouncedValue(filters.q, searchDebounceMs);
  const queried: AccountFilters = { ...filters, q: debouncedQ.trim() };

  const list = useInfiniteQuery({ ...accountListQuery(queried), placeholderData: keepPreviousData });
  const me = useMe();
  const can = (resource: string, action: string): boolean => me.grants[resource]?.[action] !== undefined;
  const [creating, setCreating] = useState(false);
  const filterCount = activeFilterCount(filters.filter);
  const [panelOpen, setPanelOpen] = useState(filterCount > 0);
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  const update = (next: AccountFilters) => setSearch(filtersToSearch(next), { replace: true });
  const open = (account: AccountSummary) =>
    navigate(`/customers/${account.id}`, { state: { listSearch: search.toString() } });

  const none = (
    <Text c="dimmed" span>
      {t('account.none')}
    </Text>
  );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('customers.title')}</Title>
        <Group gap="xs">
          {can('accounts', 'create') ? (
            <Button onClick={() => setCreating(true)} data-testid="new-account">
              {t('customersTools.new')}
            </Button>
          ) : null}
          {can('imports', 'create') ? (
            <Button component={Link} to="/customers/import" variant="default" data-testid="open-import">
              {t('customersTools.import')}
            </Button>
          ) : null}
          {can('imports', 'read') ? (
            <Button component={Link} to="/customers/imports" variant="default" data-testid="open-import-history">
              {t('customersTools.history')}
            </Button>
          ) : null}
          <Button component={Link} to="/customers/duplicates" variant="default" data-testid="open-duplicates">
            {t('customersTools.duplicates')}
          </Button>
          {can('accounts', 'export') ? (
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" data-testid="export-menu">
                  {t('customersTools.export')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('customersTools.exportHint')}</Menu.Label>
                <Menu.Item component="a" href={exportHref(queried, 'csv')} download data-testid="export-csv">
                  {t('customersTools.exportCsv')}
                </Menu.Item>
                <Menu.Item component="a" href={exportHref(queried, 'xlsx')} download data-testid="export-xlsx">
                  {t('customersTools.exportXlsx')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          ) : null}
        </Group>
      </Group>
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('customers.searchLabel')}
          placeholder={t('customers.searchPlaceholder')}
          value={filters.q}
          onChange={(event) => update({ ...filters, q: event.currentTarget.value })}
          type="search"
          w={320}
          data-testid="customer-search"
        />
        <Select
          label={t('customers.industryLabel')}
          value={filters.filter.industry.length === 1 ? (filters.filter.industry[0] ?? 'all') : 'all'}
          onChange={(value) =>
            update({
              ...filters,
              filter: { ...filters.filter, industry: industries.filter((industry) => industry === value) },
            })
          }
          data={[
            { value: 'all', label: t('industry.all') },
            ...industries.map((industry) => ({ value: industry, label: t(`industry.${industry}`) })),
          ]}
          allowDeselect={false}
          w={220}
          data-testid="industry-filter"
        />
        <Button
          variant={panelOpen ? 'light' : 'default'}
          onClick={() => setPanelOpen(!panelOpen)}
          aria-expanded={panelOpen}
          data-testid="filters-toggle"
        >
          {filterCount > 0 ? t('customerFilters.buttonCount', { count: filterCount }) : t('customerFilters.button')}
        </Button>
        {list.isFetching && !list.isFetchingNextPage ? <Loader size="sm" mb={8} aria-hidden /> : null}
      </Group>
      {panelOpen ? (
        <AccountFilterPanel
          key={JSON.stringify(filters.filter)}
          filter={filters.filter}
          myUserId={me.user.id}
          onApply={(filter) => update({ ...filters, filter })}
        />
      ) : null}

      {list.isError && !list.isFetchingNextPage ? (
        <ErrorAlert title={t('customers.loadError')} error={list.error} onRetry={() => void list.refetch()} />
      ) : null}

      {list.isPending ? (
        <Center py="xl">
          <Group gap="sm">
            <Loader size="sm" />
            <Text c="dimmed">{t('customers.loading')}</Text>
          </Group>
        </Center>
      ) : null}

      {list.data ? (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="customers-table">
            <Table.Thead>
              <Table.Tr>
                {columns.map((column) => {
                  const label = t(`customers.columns.${column.key}`);
                  if (!column.sort) return <Table.Th key={column.key}>{label}</Table.Th>;
                  const sorted = filters.sort === column.sort;
                  const sortKey = column.sort;
                  return (
                    <Table.Th
                      key={column.key}
                      aria-sort={sorted ? (filters.order === 'asc' ? 'ascending' : 'descending') : 'none'}
                    >
                      <UnstyledButton
                        onClick={() => update(toggleSort(filters, sortKey))}
                        title={t('customers.sortBy', { column: label })}
                        fw={700}
                        fz="sm"
                      >
                        {label} <span aria-hidden>{sorted ? (filters.order === 'asc' ? '▲' : '▼') : '↕'}</span>
                      </UnstyledButton>
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((account) => (
                <Table.Tr
                  key={account.id}
                  onClick={() => void open(account)}
                  style={{ cursor: 'pointer' }}
                  data-testid="customer-row"
                >
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/customers/${account.id}`}
                      state={{ listSearch: search.toString() }}
                      onClick={(event) => event.stopPropagation()}
                      ff="monospace"
                      fz="sm"
                    >
                      {account.code}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{account.nameEn}</Table.Td>
                  <Table.Td lang="zh-Hant-HK">{account.nameZh ?? none}</Table.Td>
                  <Table.Td>{t(`industry.${account.industry}`)}</Table.Td>
                  <Table.Td>
                    {account.parentCode ? (
                      <Text span ff="monospace" fz="sm">
                        {account.parentCode}
                      </Text>
                    ) : (
                      none
                    )}
                  </Table.Td>
                  <Table.Td>{account.ownerName ?? none}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(account.createdAt, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}

      {list.data && rows.length === 0 ? (
        <Text c="dimmed" data-testid="customers-empty">
          {queried.q || filterCount > 0 ? t('customers.empty') : t('customers.emptyAll')}
        </Text>
      ) : null}

      {list.data && rows.length > 0 ? (
        <Group justify="space-between">
          <Text size="sm" c="dimmed" data-testid="customers-count">
            {t('customers.shown', { count: rows.length, formatted: formatCount(rows.length, i18n.language) })}
          </Text>
          {list.hasNextPage ? (
            <Button
              variant="default"
              onClick={() => void list.fetchNextPage()}
              loading={list.isFetchingNextPage}
              data-testid="load-more"
            >
              {t('customers.more')}
            </Button>
          ) : (
            <Text size="sm" c="dimmed">
              {t('customers.allShown')}
            </Text>
          )}
        </Group>
      ) : null}
      <AccountFormModal
        opened={creating}
        onClose={() => setCreating(false)}
        account={null}
        onSaved={(saved) => void navigate(`/customers/${saved.id}`)}
      />
    </Stack>
  );
}
