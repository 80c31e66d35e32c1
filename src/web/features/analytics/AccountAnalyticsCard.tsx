import { Anchor, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { formatDate } from '../../ui/format.js';
import { formatMoney, formatNumber, formatPercent } from './analytics.format.js';
import { accountAnalyticsQuery } from './analytics.queries.js';
import { AbcBadge, ChurnBadge, churnReasonText, segmentLabel } from './AnalyticsBits.js';

function Item({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <div data-testid={testId}>{children}</div>
    </div>
  );
}

/**
 * The customer page's Analytics card: this customer's figures from the latest run of each kind — ABC class, RFM
 * segment and scores, CLV, P(alive), expected purchases, churn class with its reason. A kind never run, or a run
 * without this customer, says so instead of showing a blank.
 */
export function AccountAnalyticsCard({ accountId }: { accountId: number }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const query = useQuery(accountAnalyticsQuery(accountId));
  const data = query.data;

  const frame = (body: ReactNode) => (
    <Paper withBorder p="md" radius="md" data-testid="account-analytics">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('analytics.card.title')}</Title>
        <Anchor component={Link} to="/analytics" size="sm">
          {t('analytics.card.open')}
        </Anchor>
      </Group>
      {body}
    </Paper>
  );

  if (query.isError)
    return frame(
      <ErrorAlert title={t('analytics.card.loadError')} error={query.error} onRetry={() => void query.refetch()} />,
    );
  if (!data) {
    return frame(
      <Group gap="sm">
        <Loader size="xs" />
        <Text c="dimmed" size="sm">
          {t('analytics.card.loading')}
        </Text>
      </Group>,
    );
  }
  const kinds = [data.abc, data.group, data.rfm, data.clv, data.churn, data.cohort];
  if (kinds.every((kind) => kind === null)) {
    return frame(
      <Text c="dimmed" data-testid="account-analytics-empty">
        {t('analytics.card.noRuns')}
      </Text>,
    );
  }

  /** A value, or why there is none: the kind was never run, or this customer is not in its latest run. */
  const show = (ref: { included: boolean } | null, content: () => ReactNode): ReactNode => {
    if (ref === null)
      return (
        <Text c="dimmed" size="sm">
          {t('analytics.card.notRun')}
        </Text>
      );
    if (!ref.included)
      return (
        <Text c="dimmed" size="sm">
          {t('analytics.card.notIncluded')}
        </Text>
      );
    return content();
  };
  const text = (value: string | null) =>
    value === null ? <Text c="dimmed">{t('account.none')}</Text> : <Text>{value}</Text>;
  const asOfs = [...new Set(kinds.flatMap((kind) => (kind ? [kind.asOf] : [])))].sort();

  return frame(
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
        <Item label={t('analytics.card.abc')} testId="card-abc">
          {show(data.abc, () => (
            <Group gap={6}>
              <AbcBadge value={data.abc?.class ?? null} />
              <Text size="sm" c="dimmed">
                {[
                  data.abc?.rank ? t('analytics.card.rank', { rank: formatNumber(data.abc.rank, lang, 0) }) : null,
                  data.abc?.previousClass ? t('analytics.card.previously', { cls: data.abc.previousClass }) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </Group>
          ))}
        </Item>
        <Item label={t('analytics.card.group')}>
          {show(data.group, () => (
            <AbcBadge value={data.group?.class ?? null} />
          ))}
        </Item>
        <Item label={t('analytics.card.rfm')} testId="card-rfm">
          {show(data.rfm, () => (
            <>
              <Text fw={600}>{segmentLabel(t, data.rfm?.segment ?? null)}</Text>
              <Text size="sm" c="dimmed" ff="monospace">
                R {data.rfm?.rScore ?? '–'} · F {data.rfm?.fScore ?? '–'} · M {data.rfm?.mScore ?? '–'}
              </Text>
            </>
          ))}
        </Item>
        <Item label={t('analytics.card.cohort')}>{show(data.cohort, () => text(data.cohort?.cohort ?? null))}</Item>
        <Item label={t('analytics.card.clv')} testId="card-clv">
          {show(data.clv, () => text(formatMoney(data.clv?.clv, lang)))}
        </Item>
        <Item label={t('analytics.card.pAlive')} testId="card-p-alive">
          {show(data.clv, () => text(formatPercent(data.clv?.pAlive, lang)))}
        </Item>
        <Item label={t('analytics.card.expectedPurchases')} testId="card-expected">
          {show(data.clv, () => text(formatNumber(data.clv?.expectedPurchases, lang, 2)))}
        </Item>
        <Item label={t('analytics.card.revenueAtRisk')}>
          {show(data.clv, () => text(formatMoney(data.clv?.revenueAtRisk, lang)))}
        </Item>
      </SimpleGrid>
      <Item label={t('analytics.card.churn')} testId="card-churn">
        {show(data.churn, () => (
          <Group gap="sm" wrap="nowrap" align="flex-start">
            <ChurnBadge value={data.churn?.class ?? null} />
            <Text size="sm" data-testid="card-churn-reason">
              {churnReasonText(t, data.churn?.reason ?? null, lang)}
            </Text>
          </Group>
        ))}
      </Item>
      <Text size="xs" c="dimmed">
        {t('analytics.card.asOf', { dates: asOfs.map((day) => formatDate(day, lang)).join(', ') })}
      </Text>
    </Stack>,
  );
}
