import { Grid, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisRun, ClvModel, ClvResults, FitSummary } from '../../../features/analytics/analytics.schema.js';
import { EChart } from '../../ui/EChart.js';
import { formatCount, formatDate } from '../../ui/format.js';
import { calibrationOption } from './analytics.charts.js';
import { formatMoney, formatNumber, formatPercent, formatSignificant } from './analytics.format.js';
import { clvFormFrom, clvParameters, type ClvForm } from './analytics.params.js';
import { AnalysisView, RunControls } from './AnalysisView.js';
import { Choice, Figure, orDash } from './AnalyticsBits.js';
import { CustomerResultsTable, type ResultColumn } from './CustomerResultsTable.js';

/** Lifetime value: BG/NBD or Pareto/NBD with Gamma-Gamma, fitted parameters, the holdout check, customers by CLV. */
export function ClvTab() {
  return (
    <AnalysisView kind="clv" form={(run) => <ClvParametersForm run={run} />}>
      {(run) => <ClvResultsView run={run} />}
    </AnalysisView>
  );
}

const models: readonly ClvModel[] = ['bgnbd', 'pareto-nbd'];
const modelNames: Record<string, string> = {
  bgnbd: 'BG/NBD',
  'pareto-nbd': 'Pareto/NBD',
  'gamma-gamma': 'Gamma-Gamma',
};
const modelName = (model: string) => modelNames[model] ?? model;

function ClvParametersForm({ run }: { run: AnalysisRun | null }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<ClvForm>(() => clvFormFrom(run?.parameters ?? null));
  const set = (patch: Partial<ClvForm>) => setForm((current) => ({ ...current, ...patch }));
  const valid =
    form.horizonMonths >= 1 &&
    form.marginPercent > 0 &&
    form.marginPercent <= 100 &&
    form.discountPercent >= 0 &&
    form.discountPercent <= 100;
  return (
    <>
      <Group align="flex-end" gap="md" wrap="wrap">
        <Choice
          label={t('analytics.clv.model')}
          value={form.model}
          options={models.map((m) => ({ value: m, label: modelName(m) }))}
          onChange={(model) => set({ model })}
        />
        <Choice
          label={t('analytics.clv.unit')}
          value={form.unit}
          options={[
            { value: 'week', label: t('analytics.units.week') },
            { value: 'day', label: t('analytics.units.day') },
          ]}
          onChange={(unit) => set({ unit })}
        />
        <NumberInput
          label={t('analytics.clv.horizon')}
          value={form.horizonMonths}
          onChange={(value) => set({ horizonMonths: Number(value) })}
          min={1}
          max={120}
          allowDecimal={false}
          w={140}
        />
        <NumberInput
          label={t('analytics.clv.margin')}
          value={form.marginPercent}
          onChange={(value) => set({ marginPercent: Number(value) })}
          min={1}
          max={100}
          suffix="%"
          w={140}
        />
        <NumberInput
          label={t('analytics.clv.discount')}
          value={form.discountPercent}
          onChange={(value) => set({ discountPercent: Number(value) })}
          min={0}
          max={100}
          step={0.5}
          decimalScale={3}
          suffix="%"
          w={190}
        />
        <NumberInput
          label={t('analytics.clv.holdout')}
          placeholder={t('analytics.clv.holdoutAuto')}
          value={form.holdoutDays}
          onChange={(value) => set({ holdoutDays: value === '' ? '' : Number(value) })}
          min={0}
          max={3650}
          allowDecimal={false}
          w={160}
        />
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {t('analytics.clv.formHint')}
      </Text>
      <RunControls parameters={clvParameters(form)} disabled={!valid} />
    </>
  );
}

function ClvResultsView({ run }: { run: AnalysisRun }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const results = run.results as unknown as ClvResults;
  const horizon = typeof run.parameters.horizonMonths === 'number' ? run.parameters.horizonMonths : 12;
  // Runs stored before spendSource existed had CLVs only from a usable Gamma-Gamma fit (q > 1).
  const spendSource =
    results.spendSource ?? (results.spendModel && (results.spendModel.params.q ?? 0) > 1 ? 'gamma-gamma' : 'none');
  const hasClv = spendSource !== 'none';
  const money = (value: number | null) => orDash(formatMoney(value, lang));

  const calibration = results.calibration;
  const chart = useMemo(
    () =>
      calibration
        ? calibrationOption(calibration.points, {
            purchases: t('analytics.clv.calibration.purchases'),
            actual: t('analytics.clv.calibration.actual'),
            predicted: t('analytics.clv.calibration.predicted'),
            customers: t('analytics.clv.calibration.customers'),
            bucket: (frequency, last) =>
              last ? t('analytics.clv.calibration.orMore', { n: frequency }) : String(frequency),
            number: (value) => formatNumber(value, lang, 2) ?? '',
          })
        : null,
    [calibration, t, lang],
  );

  const columns: ResultColumn[] = [
    {
      key: 'frequency',
      label: t('analytics.clv.table.frequency'),
      sort: 'frequency',
      numeric: true,
      render: (row) => orDash(formatNumber(row.frequency, lang, 0)),
    },
    {
      key: 'pAlive',
      label: t('analytics.clv.table.pAlive'),
      sort: 'p_alive',
      numeric: true,
      render: (row) => orDash(formatPercent(row.pAlive, lang, 1)),
    },
    {
      key: 'expected',
      label: t('analytics.clv.table.expectedPurchases', { months: horizon }),
      numeric: true,
      render: (row) => orDash(formatNumber(row.expectedPurchases, lang, 2)),
    },
    {
      key: 'spend',
      label: t('analytics.clv.table.expectedSpend'),
      numeric: true,
      render: (row) => money(row.expectedSpend),
    },
    { key: 'clv', label: t('analytics.clv.table.clv'), sort: 'clv', numeric: true, render: (row) => money(row.clv) },
    {
      key: 'risk',
      label: t('analytics.clv.table.revenueAtRisk'),
      sort: 'revenue_at_risk',
      numeric: true,
      render: (row) => money(row.revenueAtRisk),
    },
  ];

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 3, xl: 6 }} spacing="sm">
        <Figure label={t('analytics.clv.figures.customers')} value={formatCount(results.customers, lang)} />
        <Figure label={t('analytics.clv.figures.repeatCustomers')} value={formatCount(results.repeatCustomers, lang)} />
        <Figure
          label={t('analytics.clv.figures.meanPAlive')}
          value={orDash(formatPercent(results.totals.meanPAlive, lang))}
          testId="clv-mean-p-alive"
        />
        <Figure
          label={t('analytics.clv.figures.expectedPurchases')}
          value={orDash(formatNumber(results.totals.expectedPurchases, lang, 0))}
          hint={t('analytics.clv.figures.horizon', { months: horizon })}
        />
        <Figure
          label={t('analytics.clv.figures.clv')}
          value={hasClv ? money(results.totals.clv) : orDash(null)}
          hint={t('analytics.clv.figures.horizon', { months: horizon })}
          testId="clv-total"
        />
        <Figure
          label={t('analytics.clv.figures.revenueAtRisk')}
          value={hasClv ? money(results.totals.revenueAtRisk) : orDash(null)}
        />
      </SimpleGrid>
      {spendSource === 'customer-mean' ? (
        <Text size="sm" c="dimmed" data-testid="clv-spend-source">
          {t('analytics.clv.customerMeanSpend')}
        </Text>
      ) : null}
      {!hasClv && results.customers > 0 ? (
        <Text size="sm" c="dimmed" data-testid="clv-no-spend">
          {t('analytics.clv.noClv')}
        </Text>
      ) : null}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Paper withBorder p="md" radius="md" h="100%">
            <Title order={5} mb="xs">
              {t('analytics.clv.fit.title')}
            </Title>
            <FitTable
              title={t('analytics.clv.fit.purchase', { model: modelName(results.purchaseModel.model) })}
              fit={results.purchaseModel}
            />
            {results.spendModel ? (
              <FitTable title={t('analytics.clv.fit.spend')} fit={results.spendModel} />
            ) : (
              <Text size="sm" c="dimmed" mt="sm">
                {t('analytics.clv.fit.noSpend')}
              </Text>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Paper withBorder p="md" radius="md" h="100%">
            <Title order={5}>{t('analytics.clv.calibration.title')}</Title>
            {calibration && chart ? (
              <>
                <Text size="xs" c="dimmed">
                  {t('analytics.clv.calibration.intro', {
                    date: formatDate(calibration.calibrationEnd, lang),
                    days: formatCount(calibration.holdoutDays, lang),
                  })}
                </Text>
                <EChart
                  option={chart}
                  height={340}
                  label={t('analytics.clv.calibration.title')}
                  testId="clv-calibration"
                />
              </>
            ) : (
              <Text size="sm" c="dimmed" mt="sm">
                {t('analytics.clv.calibration.none')}
              </Text>
            )}
          </Paper>
        </Grid.Col>
      </Grid>

      <Paper withBorder p="md" radius="md">
        <Title order={5} mb="sm">
          {t('analytics.clv.tableTitle')}
        </Title>
        <CustomerResultsTable
          runId={run.id}
          columns={columns}
          initialSort={hasClv ? { sort: 'clv', order: 'desc' } : { sort: 'frequency', order: 'desc' }}
          testId="clv-table"
        />
      </Paper>
    </Stack>
  );
}

function FitTable({ title, fit }: { title: string; fit: FitSummary }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  return (
    <Stack gap={4} mt="sm">
      <Text fw={600} size="sm">
        {title}
      </Text>
      <Table verticalSpacing={4} fz="sm" data-testid="clv-fit">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('analytics.clv.fit.parameter')}</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>{t('analytics.clv.fit.estimate')}</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>{t('analytics.clv.fit.standardError')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {Object.entries(fit.params).map(([name, value]) => (
            <Table.Tr key={name}>
              <Table.Td ff="monospace">{name === 'alpha' ? 'α' : name === 'beta' ? 'β' : name}</Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{orDash(formatSignificant(value, lang))}</Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>
                {orDash(formatSignificant(fit.standardErrors[name], lang))}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t('analytics.clv.fit.footer', {
          n: formatCount(fit.n, lang),
          ll: formatNumber(fit.logLikelihood, lang, 4),
        })}
      </Text>
    </Stack>
  );
}
