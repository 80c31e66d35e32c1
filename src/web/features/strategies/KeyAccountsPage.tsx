import { Anchor, Badge, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Quadrant } from '../../../features/strategies/key-account.schema.js';
import { EChart } from '../../ui/EChart.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatDate } from '../../ui/format.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { formatMoney, formatNumber } from '../analytics/analytics.format.js';
import { matrixOption, quadrantColors, quadrantOrder } from './keyAccounts.logic.js';
import { matrixQuery } from './keyAccounts.queries.js';

/**
 * The key-account portfolio (B7): every assessed account placed by its attractiveness to us and our position with
 * it, the four quadrants with what each calls for, and the accounts as a table (most attractive first).
 */
export function KeyAccountsPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('keyAccounts.title'));
  const matrix = useQuery(matrixQuery());
  const language = i18n.language;
  const quadrantName = (quadrant: Quadrant) => t(`keyAccounts.quadrant.${quadrant}`);
  const option = useMemo(
    () =>
      matrix.data
        ? matrixOption(matrix.data, {
            attractiveness: t('keyAccounts.attractiveness'),
            fit: t('keyAccounts.fit'),
            quadrant: (quadrant) => t(`keyAccounts.quadrant.${quadrant}`),
            formatMoney: (value) => formatMoney(value, language) ?? '—',
          })
        : null,
    [matrix.data, t, language],
  );
  const counts = new Map(matrix.data?.quadrants.map((entry) => [entry.quadrant, entry.accounts]) ?? []);
  const rows = [...(matrix.data?.points ?? [])].sort(
    (a, b) => b.attractiveness - a.attractiveness || b.fit - a.fit || a.accountCode.localeCompare(b.accountCode),
  );

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('keyAccounts.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('keyAccounts.intro')}
        </Text>
      </div>
      {matrix.isPending ? <Loader size="sm" /> : null}
      {matrix.isError ? <ErrorAlert title={t('keyAccounts.loadError')} error={matrix.error} /> : null}
      {matrix.data ? (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            {quadrantOrder.map((quadrant) => (
              <Paper key={quadrant} withBorder p="sm" radius="md" data-testid={`quadrant-${quadrant}`}>
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={600} c={quadrantColors[quadrant]}>
                    {quadrantName(quadrant)}
                  </Text>
                  <Text fw={700} fz="xl" data-testid="quadrant-count">
                    {counts.get(quadrant) ?? 0}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {t(`keyAccounts.advice.${quadrant}`)}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          {rows.length === 0 ? (
            <Text c="dimmed" data-testid="key-accounts-empty">
              {t('keyAccounts.empty')}
            </Text>
          ) : (
            <>
              {option ? (
                <EChart option={option} height={420} label={t('keyAccounts.chartLabel')} testId="key-account-matrix" />
              ) : null}
              <Table.ScrollContainer minWidth={760}>
                <Table striped data-testid="key-account-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('keyAccounts.columns.account')}</Table.Th>
                      <Table.Th ta="right">{t('keyAccounts.attractiveness')}</Table.Th>
                      <Table.Th ta="right">{t('keyAccounts.fit')}</Table.Th>
                      <Table.Th>{t('keyAccounts.columns.quadrant')}</Table.Th>
                      <Table.Th>{t('keyAccounts.columns.stage')}</Table.Th>
                      <Table.Th ta="right">{t('keyAccounts.columns.revenue')}</Table.Th>
                      <Table.Th>{t('keyAccounts.columns.assessedOn')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((point) => (
                      <Table.Tr key={point.accountId} data-testid="key-account-row">
                        <Table.Td>
                          <Anchor component={Link} to={`/customers/${point.accountId}`}>
                            {point.accountCode}
                          </Anchor>{' '}
                          {point.accountName}
                        </Table.Td>
                        <Table.Td ta="right">{formatNumber(point.attractiveness, language)}</Table.Td>
                        <Table.Td ta="right">{formatNumber(point.fit, language)}</Table.Td>
                        <Table.Td>
                          <Badge color={quadrantColors[point.quadrant]} variant="light">
                            {quadrantName(point.quadrant)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{t(`keyAccounts.stage.${point.relationshipStage}`)}</Table.Td>
                        <Table.Td ta="right">{formatMoney(point.revenue12m, language)}</Table.Td>
                        <Table.Td>{formatDate(point.assessedOn, language)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          )}
        </>
      ) : null}
    </Stack>
  );
}
