import { Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router-dom';
import { formatDateTime } from '../analytics/analytics.format.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { NotFoundPage } from '../../ui/NotFoundPage.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { GuidedBuilderPage } from './GuidedBuilderPage.js';
import { strategyListQuery } from './strategies.queries.js';
import { StatusBadge } from './StrategyBits.js';
import { StrategyDetailPage } from './StrategyDetailPage.js';

/** /strategies/*: the list, the guided builder (new) and one strategy's page. */
export function StrategiesArea() {
  return (
    <Routes>
      <Route index element={<StrategyList />} />
      <Route path="new" element={<GuidedBuilderPage />} />
      <Route path=":id" element={<StrategyDetailPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}

function StrategyList() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('strategies.title'));
  const list = useQuery(strategyListQuery());
  return (
    <Stack gap="md">
      <Group justify="space-between" align="start">
        <div>
          <Title order={2}>{t('strategies.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('strategies.intro')}
          </Text>
        </div>
        <Button component={Link} to="/strategies/new" data-testid="new-strategy">
          {t('strategies.new')}
        </Button>
      </Group>
      {list.isPending ? <Loader size="sm" /> : null}
      {list.isError ? <ErrorAlert title={t('strategies.errors.list')} error={list.error} /> : null}
      {list.data && list.data.items.length === 0 ? (
        <Text c="dimmed" data-testid="strategies-empty">
          {t('strategies.empty')}
        </Text>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <Table striped highlightOnHover data-testid="strategy-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('strategies.columns.title')}</Table.Th>
              <Table.Th>{t('strategies.columns.status')}</Table.Th>
              <Table.Th ta="right">{t('strategies.columns.version')}</Table.Th>
              <Table.Th ta="right">{t('strategies.columns.targets')}</Table.Th>
              <Table.Th>{t('strategies.columns.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((strategy) => (
              <Table.Tr key={strategy.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/strategies/${strategy.id}`}>
                    {strategy.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={strategy.status} />
                </Table.Td>
                <Table.Td ta="right">{strategy.version}</Table.Td>
                <Table.Td ta="right">{strategy.targetCount}</Table.Td>
                <Table.Td>{formatDateTime(strategy.updatedAt, i18n.language)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
