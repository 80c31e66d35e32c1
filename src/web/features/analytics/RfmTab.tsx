import { Badge, Grid, Group, Paper, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisRun, RfmResults, RfmSegmentRule } from '../../../features/analytics/analytics.schema.js';
import { EChart } from '../../ui/EChart.js';
import { formatCount } from '../../ui/format.js';
import { rfmHeatmapOption, segmentBarsOption } from './analytics.charts.js';
import { formatCompact, formatMoney, formatNumber, formatPercent } from './analytics.format.js';
import { rfmFormFrom, rfmParameters, type RfmForm } from './analytics.params.js';
import { AnalysisView, RunControls } from './AnalysisView.js';
import { Choice, durationText, Figure, isKnownSegment, orDash, segmentLabel } from './AnalyticsBits.js';
import { CustomerResultsTable, type ResultColumn } from './CustomerResultsTable.js';

/** RFM: the recency × frequency grid, named segments, the score map that names them, and customers by segment. */
export function RfmTab() {
  return (
    <AnalysisView kind="rfm" form={(run) => <RfmParametersForm run={run} />}>
      {(run) => <RfmResultsView run={run} />}
    </AnalysisView>
  );
}

function RfmParametersForm({ run }: { run: AnalysisRun | null }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<RfmForm>(() => rfmFormFrom(run?.parameters ?? null));
  return (
    <>
      <Choice
        label={t('analytics.rfm.unit')}
        value={form.unit}
        options={[
          { value: 'day', label: t('analytics.units.day') },
          { value: 'week', label: t('analytics.units.week') },
        ]}
        onChange={(unit) => setForm({ ...form, unit })}
      />
      <Text size="xs" c="dimmed" mt={4}>
        {t('analytics.rfm.unitHint')}
      </Text>
      <RunControls parameters={rfmParameters(form)} />
    </>
  );
}

function RfmResultsView({ run }: { run: AnalysisRun }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const results = run.results as unknown as RfmResults;
  const [segment, setSegment] = useState<string | null>(null);
  const unit = (value: number) => durationText(t, value, results.unit, lang);

  const heatmap = useMemo(
    () =>
      rfmHeatmapOption(results.grid, {
        recency: t('analytics.rfm.recencyAxis'),
        frequency: t('analytics.rfm.frequencyAxis'),
        cellLabel: (cell) =>
          cell.customers === 0
            ? ''
            : `${formatCount(cell.customers, lang)}\n${formatCompact(cell.meanTotalValue, lang) ?? ''}`,
        tooltip: (cell) =>
          t('analytics.rfm.cellTooltip', {
            r: cell.r,
            f: cell.f,
            customers: formatCount(cell.customers, lang),
            value: formatMoney(cell.meanTotalValue, lang),
          }),
      }),
    [results.grid, t, lang],
  );
  const bars = useMemo(
    () =>
      segmentBarsOption(results.segments, {
        label: (slug) => segmentLabel(t, slug),
        tooltip: (slug, customers) => `${segmentLabel(t, slug)}: ${formatCount(customers, lang)}`,
      }),
    [results.segments, t, lang],
  );

  const columns: ResultColumn[] = [
    { key: 'segment', label: t('analytics.rfm.segment'), render: (row) => segmentLabel(t, row.rfmSegment) },
    {
      key: 'scores',
      label: t('analytics.rfm.scoresColumn'),
      render: (row) => (
        <Text span ff="monospace" fz="sm">
          {row.rScore ?? '–'}·{row.fScore ?? '–'}·{row.mScore ?? '–'}
        </Text>
      ),
    },
    {
      key: 'sinceLast',
      label: t('analytics.rfm.sinceLast'),
      sort: 'since_last',
      numeric: true,
      render: (row) => (row.sinceLast === null ? orDash(null) : unit(row.sinceLast)),
    },
    {
      key: 'frequency',
      label: t('analytics.rfm.frequency'),
      sort: 'frequency',
      numeric: true,
      render: (row) => orDash(formatNumber(row.frequency, lang, 0)),
    },
    {
      key: 'total',
      label: t('analytics.rfm.totalValue'),
      sort: 'total_value',
      numeric: true,
      render: (row) => orDash(formatMoney(row.totalValue, lang)),
    },
  ];

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Figure
          label={t('analytics.rfm.figures.customers')}
          value={formatCount(results.customers, lang)}
          testId="rfm-customers"
        />
        <Figure
          label={t('analytics.rfm.figures.oneTime')}
          value={orDash(formatPercent(results.summary.frequencyZeroShare, lang))}
        />
        <Figure
          label={t('analytics.rfm.figures.meanFrequency')}
          value={orDash(formatNumber(results.summary.meanFrequency, lang, 1))}
        />
        <Figure
          label={t('analytics.rfm.figures.meanTotal')}
          value={orDash(formatMoney(results.summary.meanTotalValue, lang))}
        />
      </SimpleGrid>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Paper withBorder p="md" radius="md" h="100%">
            <Title order={5}>{t('analytics.rfm.gridTitle')}</Title>
            <Text size="xs" c="dimmed">
              {t('analytics.rfm.gridIntro')}
            </Text>
            <EChart option={heatmap} height={420} label={t('analytics.rfm.gridTitle')} testId="rfm-grid" />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Paper withBorder p="md" radius="md" h="100%">
            <Title order={5}>{t('analytics.rfm.segmentsTitle')}</Title>
            <EChart
              option={bars}
              height={Math.max(220, results.segments.length * 30)}
              label={t('analytics.rfm.segmentsTitle')}
              testId="rfm-segments-chart"
            />
          </Paper>
        </Grid.Col>
      </Grid>

      <Paper withBorder p="md" radius="md">
        <Title order={5}>{t('analytics.rfm.segmentsTableTitle')}</Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('analytics.rfm.segmentsHint')}
        </Text>
        <Table.ScrollContainer minWidth={720}>
          <Table highlightOnHover verticalSpacing={6} data-testid="rfm-segments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('analytics.rfm.segment')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('analytics.rfm.customers')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('analytics.rfm.share')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('analytics.rfm.totalValue')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('analytics.rfm.meanSinceLast')}</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>{t('analytics.rfm.meanFrequency')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {results.segments.map((item) => (
                <Table.Tr key={item.segment} bg={segment === item.segment ? 'teal.0' : undefined}>
                  <Table.Td>
                    <UnstyledButton
                      onClick={() => setSegment(segment === item.segment ? null : item.segment)}
                      fw={600}
                      fz="sm"
                      c="teal.8"
                      data-testid="rfm-segment"
                    >
                      {segmentLabel(t, item.segment)}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{formatCount(item.customers, lang)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{formatPercent(item.share, lang)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{formatMoney(item.totalValue, lang)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{unit(item.meanSinceLast)}</Table.Td>
                  <Table.Td style={{ textAlign: 'right' }}>{formatNumber(item.meanFrequency, lang, 1)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <ScoreMapLegend map={results.segmentMap} />

      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="sm">
          <Title order={5}>{t('analytics.rfm.tableTitle')}</Title>
          {segment ? (
            <Badge
              variant="light"
              size="lg"
              rightSection={
                <UnstyledButton onClick={() => setSegment(null)} aria-label={t('analytics.customers.clearFilter')}>
                  ×
                </UnstyledButton>
              }
            >
              {segmentLabel(t, segment)}
            </Badge>
          ) : null}
        </Group>
        <CustomerResultsTable
          key={segment ?? 'all'}
          runId={run.id}
          columns={columns}
          filter={segment ? { segment } : {}}
          initialSort={{ sort: 'total_value', order: 'desc' }}
          testId="rfm-table"
        />
      </Paper>
    </Stack>
  );
}

/** The score map as a legend: which R, F and M ranges name each segment, first match wins. */
function ScoreMapLegend({ map }: { map: RfmSegmentRule[] }) {
  const { t } = useTranslation();
  const range = ([low, high]: readonly [number, number]) => (low === high ? String(low) : `${low}–${high}`);
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={5}>{t('analytics.rfm.legendTitle')}</Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('analytics.rfm.legendIntro')}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing={4} fz="sm" data-testid="rfm-legend">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('analytics.rfm.segment')}</Table.Th>
              <Table.Th>R</Table.Th>
              <Table.Th>F</Table.Th>
              <Table.Th>M</Table.Th>
              <Table.Th>{t('analytics.rfm.meaning')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {map.map((rule) => (
              <Table.Tr key={rule.segment}>
                <Table.Td fw={600}>{segmentLabel(t, rule.segment)}</Table.Td>
                <Table.Td ff="monospace">{range(rule.r)}</Table.Td>
                <Table.Td ff="monospace">{range(rule.f)}</Table.Td>
                <Table.Td ff="monospace">{range(rule.m)}</Table.Td>
                <Table.Td c="dimmed">
                  {isKnownSegment(rule.segment) ? t(`analytics.rfm.meanings.${rule.segment}`) : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
