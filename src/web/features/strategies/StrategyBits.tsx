import { Badge, List, Paper, SimpleGrid, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Budget, Explanation, StrategyStatus } from '../../../features/strategies/strategy.schema.js';
import { formatMoney, formatPercent } from '../analytics/analytics.format.js';
import { statusColors } from './strategies.logic.js';

/** Pieces shared by the strategy list, the guided builder and a strategy's page. */

export function StatusBadge({ status }: { status: StrategyStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColors[status]} variant="light" data-testid="strategy-status">
      {t(`strategies.status.${status}`)}
    </Badge>
  );
}

const dash = '—';

/** The figures behind a step or a budget, as the API explains them. */
export function Explanations({ items, testId }: { items: readonly Explanation[]; testId?: string }) {
  if (items.length === 0) return null;
  return (
    <List size="sm" spacing={4} data-testid={testId}>
      {items.map((item, index) => (
        <List.Item key={`${item.key}-${index}`}>{item.text}</List.Item>
      ))}
    </List>
  );
}

/** The budget (contact costs and programmes per target) and the expected return, per segment and in total. */
export function BudgetSummary({ budget }: { budget: Budget }) {
  const { t, i18n } = useTranslation();
  const money = (value: number | null) => formatMoney(value, i18n.language) ?? dash;
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Paper withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('strategies.budget.total', { months: budget.horizonMonths })}
          </Text>
          <Text fz="xl" fw={700} data-testid="budget-total">
            HK$ {money(budget.total)}
          </Text>
        </Paper>
        <Paper withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('strategies.budget.expectedReturn')}
          </Text>
          <Text fz="xl" fw={700} data-testid="expected-return">
            {budget.expectedReturn === null ? t('strategies.budget.noClv') : `HK$ ${money(budget.expectedReturn)}`}
          </Text>
        </Paper>
        <Paper withBorder p="sm" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('strategies.budget.roi')}
          </Text>
          <Text fz="xl" fw={700} data-testid="budget-roi">
            {formatPercent(budget.roi, i18n.language) ?? dash}
          </Text>
        </Paper>
      </SimpleGrid>
      <Table.ScrollContainer minWidth={640}>
        <Table striped data-testid="budget-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('strategies.budget.segment')}</Table.Th>
              <Table.Th ta="right">{t('strategies.budget.members')}</Table.Th>
              <Table.Th ta="right">{t('strategies.budget.contactCost')}</Table.Th>
              <Table.Th ta="right">{t('strategies.budget.programmeCost')}</Table.Th>
              <Table.Th ta="right">{t('strategies.budget.segmentTotal')}</Table.Th>
              <Table.Th ta="right">{t('strategies.budget.expectedReturn')}</Table.Th>
              <Table.Th ta="right">{t('strategies.budget.roi')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {budget.segments.map((segment) => (
              <Table.Tr key={segment.segmentId}>
                <Table.Td>
                  {segment.priority}. {segment.name}
                </Table.Td>
                <Table.Td ta="right">{segment.members}</Table.Td>
                <Table.Td ta="right">{money(segment.contactCost)}</Table.Td>
                <Table.Td ta="right">{money(segment.programmeCost)}</Table.Td>
                <Table.Td ta="right">{money(segment.total)}</Table.Td>
                <Table.Td ta="right">{money(segment.expectedReturn.expectedReturn)}</Table.Td>
                <Table.Td ta="right">{formatPercent(segment.roi, i18n.language) ?? dash}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}
