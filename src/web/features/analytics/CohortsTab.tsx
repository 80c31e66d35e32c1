import { Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisRun, CohortResults } from '../../../features/analytics/analytics.schema.js';
import { EChart } from '../../ui/EChart.js';
import { formatCount } from '../../ui/format.js';
import { averageRetentionOption, cohortHeatmapOption, type CohortMeasure } from './analytics.charts.js';
import { formatMoney, formatPercent } from './analytics.format.js';
import { cohortFromMonth, cohortParameters } from './analytics.params.js';
import { AnalysisView, RunControls } from './AnalysisView.js';
import { Figure } from './AnalyticsBits.js';

/** Cohorts: the acquisition-month retention matrix as a heatmap, by customers or by revenue. */
export function CohortsTab() {
  return (
    <AnalysisView kind="cohorts" form={(run) => <CohortParametersForm run={run} />}>
      {(run) => <CohortResultsView run={run} />}
    </AnalysisView>
  );
}

function CohortParametersForm({ run }: { run: AnalysisRun | null }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => cohortFromMonth(run));
  return (
    <>
      <TextInput
        type="month"
        label={t('analytics.cohorts.from')}
        description={t('analytics.cohorts.fromHint')}
        value={from}
        onChange={(event) => setFrom(event.currentTarget.value)}
        w={260}
      />
      <RunControls parameters={cohortParameters(from)} />
    </>
  );
}

function CohortResultsView({ run }: { run: AnalysisRun }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const results = run.results as unknown as CohortResults;
  const [measure, setMeasure] = useState<CohortMeasure>('customers');

  const heatmap = useMemo(
    () =>
      cohortHeatmapOption(results, measure, {
        months: t('analytics.cohorts.months'),
        cohortLabel: (cohort, size) => t('analytics.cohorts.cohortLabel', { cohort, size: formatCount(size, lang) }),
        cellLabel: (share) => formatPercent(share, lang, 0) ?? '',
        tooltip: (cohort, month, cell) =>
          measure === 'customers'
            ? t('analytics.cohorts.tooltipCustomers', {
                cohort,
                month,
                value: formatCount(cell.absolute ?? 0, lang),
                share: formatPercent(cell.share, lang),
              })
            : t('analytics.cohorts.tooltipRevenue', {
                cohort,
                month,
                value: formatMoney(cell.absolute, lang) ?? '',
                share: formatPercent(cell.share, lang),
              }),
      }),
    [results, measure, t, lang],
  );
  const average = useMemo(
    () =>
      averageRetentionOption(results.averageRetention, {
        months: t('analytics.cohorts.months'),
        name: t('analytics.cohorts.averageTitle'),
        percent: (share) => formatPercent(share, lang) ?? '',
      }),
    [results.averageRetention, t, lang],
  );
  const rows = results.cohorts.length;

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Figure label={t('analytics.cohorts.figures.customers')} value={formatCount(results.customers, lang)} />
        <Figure
          label={t('analytics.cohorts.figures.cohorts')}
          value={formatCount(rows, lang)}
          hint={`${results.from} – ${results.to}`}
        />
        <Figure
          label={t('analytics.cohorts.figures.month1')}
          value={formatPercent(results.averageRetention[1] ?? null, lang) ?? '—'}
        />
        <Figure
          label={t('analytics.cohorts.figures.month12')}
          value={formatPercent(results.averageRetention[12] ?? null, lang) ?? '—'}
        />
      </SimpleGrid>
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb={4}>
          <Title order={5}>{t('analytics.cohorts.heatmapTitle')}</Title>
          <SegmentedControl
            size="xs"
            value={measure}
            onChange={(value) => setMeasure(value === 'revenue' ? 'revenue' : 'customers')}
            data={[
              { value: 'customers', label: t('analytics.cohorts.measures.customers') },
              { value: 'revenue', label: t('analytics.cohorts.measures.revenue') },
            ]}
            data-testid="cohort-measure"
          />
        </Group>
        <Text size="xs" c="dimmed">
          {t(measure === 'customers' ? 'analytics.cohorts.introCustomers' : 'analytics.cohorts.introRevenue')}
          {results.partialLastMonth ? ` ${t('analytics.cohorts.partial', { month: results.to })}` : ''}
        </Text>
        <EChart
          option={heatmap}
          height={Math.max(320, rows * 26 + 130)}
          label={t('analytics.cohorts.heatmapTitle')}
          testId="cohort-heatmap"
        />
      </Paper>
      <Paper withBorder p="md" radius="md">
        <Title order={5}>{t('analytics.cohorts.averageTitle')}</Title>
        <EChart option={average} height={240} label={t('analytics.cohorts.averageTitle')} testId="cohort-average" />
      </Paper>
    </Stack>
  );
}
