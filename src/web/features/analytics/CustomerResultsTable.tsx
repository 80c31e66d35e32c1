import { Anchor, Button, Center, Group, Loader, Table, Text, UnstyledButton } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { CustomerResult, CustomerSort } from '../../../features/analytics/analytics.schema.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatCount } from '../../ui/format.js';
import { nextSort, type SortState } from './analytics.params.js';
import { runCustomersQuery, type CustomerFilters } from './analytics.queries.js';

export interface ResultColumn {
  key: string;
  label: string;
  /** Set when the API can sort by this column. */
  sort?: CustomerSort;
  numeric?: boolean;
  render: (row: CustomerResult) => ReactNode;
}

/** A run's per-customer results: code and name (linking to the customer), the tab's columns, sortable, 50 a page. */
export function CustomerResultsTable({
  runId,
  columns,
  filter = {},
  initialSort,
  testId,
  expand,
}: {
  runId: number;
  columns: ResultColumn[];
  filter?: Pick<CustomerFilters, 'abcClass' | 'segment' | 'churnClass'>;
  initialSort: SortState;
  testId: string;
  /** Extra content under a row (a group's members); null: the row does not expand. */
  expand?: (row: CustomerResult) => ReactNode | null;
}) {
  const { t, i18n } = useTranslation();
  const [sort, setSort] = useState<SortState>(initialSort);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const filters: CustomerFilters = { ...sort, ...filter };
  const list = useInfiniteQuery({ ...runCustomersQuery(runId, filters), placeholderData: keepPreviousData });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];
  const width = columns.length + 2;

  const toggle = (accountId: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(accountId)) next.delete(accountId);
      else next.add(accountId);
      return next;
    });

  const header = (label: string, column?: CustomerSort, numeric?: boolean) => {
    const align = numeric ? 'right' : 'left';
    if (!column) return <Table.Th style={{ textAlign: align }}>{label}</Table.Th>;
    const sorted = sort.sort === column;
    return (
      <Table.Th
        style={{ textAlign: align, whiteSpace: 'nowrap' }}
        aria-sort={sorted ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}
      >
        <UnstyledButton
          onClick={() => setSort(nextSort(sort, column))}
          title={t('analytics.customers.sortBy', { column: label })}
          fw={700}
          fz="sm"
        >
          {label} <span aria-hidden>{sorted ? (sort.order === 'asc' ? '▲' : '▼') : '↕'}</span>
        </UnstyledButton>
      </Table.Th>
    );
  };

  if (list.isError) {
    return (
      <ErrorAlert title={t('analytics.customers.loadError')} error={list.error} onRetry={() => void list.refetch()} />
    );
  }
  if (list.isPending) {
    return (
      <Center py="md">
        <Group gap="sm">
          <Loader size="sm" />
          <Text c="dimmed">{t('analytics.customers.loading')}</Text>
        </Group>
      </Center>
    );
  }

  return (
    <div>
      <Table.ScrollContainer minWidth={720}>
        <Table striped highlightOnHover verticalSpacing={6} data-testid={testId}>
          <Table.Thead>
            <Table.Tr>
              {header(t('analytics.customers.code'), 'code')}
              {header(t('analytics.customers.name'))}
              {columns.map((column) => (
                <Fragment key={column.key}>{header(column.label, column.sort, column.numeric)}</Fragment>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => {
              const extra = expand?.(row) ?? null;
              const open = expanded.has(row.accountId);
              return (
                <Fragment key={row.accountId}>
                  <Table.Tr data-testid={`${testId}-row`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Anchor component={Link} to={`/customers/${row.accountId}`} ff="monospace" fz="sm">
                        {row.accountCode}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {row.accountName}
                      {extra !== null ? (
                        <UnstyledButton
                          ml="xs"
                          fz="xs"
                          c="teal.8"
                          onClick={() => toggle(row.accountId)}
                          aria-expanded={open}
                          data-testid="toggle-members"
                        >
                          {open ? t('analytics.customers.hide') : t('analytics.customers.show')}
                        </UnstyledButton>
                      ) : null}
                    </Table.Td>
                    {columns.map((column) => (
                      <Table.Td
                        key={column.key}
                        style={column.numeric ? { textAlign: 'right', whiteSpace: 'nowrap' } : undefined}
                      >
                        {column.render(row)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                  {open && extra !== null ? (
                    <Table.Tr>
                      <Table.Td colSpan={width} bg="gray.0">
                        {extra}
                      </Table.Td>
                    </Table.Tr>
                  ) : null}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 ? (
        <Text c="dimmed" mt="sm">
          {t('analytics.customers.empty')}
        </Text>
      ) : (
        <Group justify="space-between" mt="sm">
          <Text size="sm" c="dimmed" data-testid={`${testId}-count`}>
            {t('analytics.customers.shown', { count: rows.length, formatted: formatCount(rows.length, i18n.language) })}
          </Text>
          {list.hasNextPage ? (
            <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
              {t('analytics.customers.more')}
            </Button>
          ) : (
            <Text size="sm" c="dimmed">
              {t('analytics.customers.allShown')}
            </Text>
          )}
        </Group>
      )}
    </div>
  );
}
