import {
  Anchor,
  Checkbox,
  Grid,
  Group,
  NumberInput,
  Paper,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type {
  AbcClass,
  AbcMeasure,
  AbcResults,
  AnalysisRun,
  CustomerResult,
} from '../../../features/analytics/analytics.schema.js';
import { EChart } from '../../ui/EChart.js';
import { formatCount, formatDate } from '../../ui/format.js';
import { accountDetailQuery } from '../customers/customers.queries.js';
import { moversMatrix, paretoOption } from './analytics.charts.js';
import { abcClasses, abcColors } from './analytics.colors.js';
import { formatMoney, formatNumber, formatPercent } from './analytics.format.js';
import { abcFormFrom, abcParameters, type AbcForm } from './analytics.params.js';
import { AnalysisView, RunControls } from './AnalysisView.js';
import { AbcBadge, Dash, Figure, MeasureChoice, orDash } from './AnalyticsBits.js';
import { CustomerResultsTable, type ResultColumn } from './CustomerResultsTable.js';

type AbcKind = 'abc' | 'groups';

/** ABC / Pareto (kind abc) and the same figures rolled up by customer group (kind groups). */
export function AbcTab({ kind }: { kind: AbcKind }) {
  return (
    <AnalysisView kind={kind} form={(run) => <AbcParametersForm run={run} />}>
      {(run) => <AbcResultsView run={run} kind={kind} />}
    </AnalysisView>
  );
}

const measures: readonly AbcMeasure[] = ['revenue', 'margin', 'volume'];

function AbcParametersForm({ run }: { run: AnalysisRun | null }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<AbcForm>(() => abcFormFrom(run));
  const set = (patch: Partial<AbcForm>) => setForm((current) => ({ ...current, ...patch }));
  const invalid = !(form.a > 0 && form.a < form.b && form.b < 100);
  return (
    <>
      <Group align="flex-end" gap="md" wrap="wrap">
        <MeasureChoice
          label={t('analytics.abc.measure')}
          measures={measures}
          measure={form.measure}
          volumeUnit={form.volumeUnit}
          onMeasure={(measure) => set({ measure })}
          onVolumeUnit={(volumeUnit) => set({ volumeUnit })}
          unitWidth={180}
          testId="abc-measure"
        />
        <TextInput
          type="date"
          label={t('analytics.abc.from')}
          value={form.from}
          onChange={(event) => set({ from: event.currentTarget.value })}
          w={170}
        />
        <TextInput
          type="date"
          label={t('analytics.abc.to')}
          value={form.to}
          onChange={(event) => set({ to: event.currentTarget.value })}
          w={170}
        />
        <NumberInput
          label={t('analytics.abc.thresholdA')}
          value={form.a}
          onChange={(value) => set({ a: Number(value) })}
          min={1}
          max={99}
          step={5}
          suffix="%"
          w={150}
        />
        <NumberInput
          label={t('analytics.abc.thresholdB')}
          value={form.b}
          onChange={(value) => set({ b: Number(value) })}
          min={1}
          max={99.9}
          step={1}
          suffix="%"
          w={150}
          error={invalid ? t('analytics.abc.thresholdError') : undefined}
        />
        <Checkbox
          label={t('analytics.abc.compare')}
          checked={form.compare}
          onChange={(event) => set({ compare: event.currentTarget.checked })}
          mb={8}
        />
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {t('analytics.abc.periodHint')}
      </Text>
      <RunControls parameters={abcParameters(form)} disabled={invalid} />
    </>
  );
}

/** Formats a value of the run's measure: money for revenue and margin, a quantity (with its unit) for volume. */
function useMeasureFormat(results: Pick<AbcResults, 'measure' | 'volumeUnit'>) {
  const { i18n } = useTranslation();
  return (value: number | null | undefined): string | null => {
    if (results.measure !== 'volume') return formatMoney(value, i18n.language);
    const text = formatNumber(value, i18n.language, 1);
    return text && results.volumeUnit ? `${text} ${results.volumeUnit}` : text;
  };
}

function AbcResultsView({ run, kind }: { run: AnalysisRun; kind: AbcKind }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const results = run.results as unknown as AbcResults;
  const value = useMeasureFormat(results);
  const [classFilter, setClassFilter] = useState<AbcClass | 'all'>('all');
  const measureName = t(`analytics.abc.measures.${results.measure}`);
  const measureInText = t(`analytics.abc.measuresInText.${results.measure}`);
  const period = (range: { from: string; to: string }) =>
    t('analytics.abc.periodRange', { from: formatDate(range.from, lang), to: formatDate(range.to, lang) });

  const option = useMemo(
    () =>
      paretoOption(results, {
        customers: t(kind === 'groups' ? 'analytics.abc.groupsAxis' : 'analytics.abc.customersAxis'),
        value: t('analytics.abc.valueAxis', { measure: measureInText }),
        equality: t('analytics.abc.equality'),
        classLabel: (cls) => t('analytics.abc.classLabel', { cls }),
        threshold: (cls, share) => t('analytics.abc.threshold', { cls, share: formatPercent(share, lang, 1) }),
        top20: t('analytics.abc.top20Mark'),
        tooltip: (customers, share) =>
          t('analytics.abc.tooltip', { customers: formatPercent(customers, lang), value: formatPercent(share, lang) }),
      }),
    [results, kind, measureInText, t, lang],
  );

  const columns: ResultColumn[] = [
    ...(kind === 'groups'
      ? [
          {
            key: 'members',
            label: t('analytics.groups.members'),
            numeric: true,
            render: (row: CustomerResult) => formatCount(memberCountOf(row), lang),
          },
        ]
      : []),
    {
      key: 'rank',
      label: t('analytics.abc.table.rank'),
      sort: 'rank',
      numeric: true,
      render: (row) => orDash(formatNumber(row.rank, lang, 0)),
    },
    {
      key: 'value',
      label: t('analytics.abc.table.value', { measure: measureName }),
      sort: 'value',
      numeric: true,
      render: (row) => orDash(value(row.value)),
    },
    {
      key: 'share',
      label: t('analytics.abc.table.share'),
      numeric: true,
      render: (row) => orDash(formatPercent(row.share, lang, 2)),
    },
    {
      key: 'cumulative',
      label: t('analytics.abc.table.cumulative'),
      numeric: true,
      render: (row) => orDash(formatPercent(row.cumulativeShare, lang, 1)),
    },
    { key: 'class', label: t('analytics.abc.table.class'), render: (row) => <AbcBadge value={row.abcClass} /> },
    {
      key: 'previous',
      label: t('analytics.abc.table.previous'),
      render: (row) => (results.previousPeriod ? <AbcBadge value={row.previousClass} /> : <Dash />),
    },
  ];

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Figure
          label={t(kind === 'groups' ? 'analytics.abc.figures.groups' : 'analytics.abc.figures.customers')}
          value={formatCount(results.customers, lang)}
          hint={
            kind === 'groups' && results.groups !== null
              ? t('analytics.groups.multiMember', {
                  count: results.groups,
                  formatted: formatCount(results.groups, lang),
                })
              : period(results.period)
          }
          testId="abc-customers"
        />
        <Figure
          label={t('analytics.abc.figures.total', { measure: measureInText })}
          value={orDash(value(results.total))}
          hint={period(results.period)}
        />
        <Figure
          label={t('analytics.abc.figures.top20')}
          value={orDash(formatPercent(results.concentration.top20Share, lang))}
          hint={t('analytics.abc.figures.top20Hint')}
          testId="abc-top20"
        />
        <Figure
          label={t('analytics.abc.figures.gini')}
          value={orDash(formatNumber(results.concentration.gini, lang, 3))}
          hint={t('analytics.abc.figures.giniHint')}
          testId="abc-gini"
        />
      </SimpleGrid>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Paper withBorder p="md" radius="md" h="100%">
            <Title order={5}>{t('analytics.abc.chartTitle')}</Title>
            <EChart option={option} height={380} label={t('analytics.abc.chartTitle')} testId="pareto-chart" />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Paper withBorder p="md" radius="md" h="100%">
            <ClassTotals results={results} format={value} />
          </Paper>
        </Grid.Col>
      </Grid>

      {results.previousPeriod ? (
        <Paper withBorder p="md" radius="md">
          <Title order={5}>{t('analytics.abc.movers.title')}</Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('analytics.abc.movers.intro', {
              previous: period(results.previousPeriod),
              current: period(results.period),
            })}
          </Text>
          <MoversTable movers={results.movers} />
        </Paper>
      ) : null}

      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="sm">
          <Title order={5}>{t(kind === 'groups' ? 'analytics.groups.tableTitle' : 'analytics.abc.tableTitle')}</Title>
          <SegmentedControl
            size="xs"
            value={classFilter}
            onChange={(next) => setClassFilter(abcClasses.find((cls) => cls === next) ?? 'all')}
            data={[
              { value: 'all', label: t('analytics.customers.all') },
              ...abcClasses.map((cls) => ({ value: cls, label: t('analytics.abc.classLabel', { cls }) })),
            ]}
            data-testid="abc-class-filter"
          />
        </Group>
        {kind === 'groups' ? (
          <Text size="sm" c="dimmed" mb="sm">
            {t('analytics.groups.intro')}
          </Text>
        ) : null}
        <CustomerResultsTable
          key={classFilter}
          runId={run.id}
          columns={columns}
          filter={classFilter === 'all' ? {} : { abcClass: classFilter }}
          initialSort={{ sort: 'rank', order: 'asc' }}
          testId={kind === 'groups' ? 'groups-table' : 'abc-table'}
          expand={
            kind === 'groups' ? (row) => (membersOf(row) ? <GroupMembers row={row} format={value} /> : null) : undefined
          }
        />
      </Paper>
    </Stack>
  );
}

function ClassTotals({ results, format }: { results: AbcResults; format: (value: number) => string | null }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const byClass = abcClasses.map(
    (cls) =>
      results.classes.find((item) => item.class === cls) ?? {
        class: cls,
        customers: 0,
        value: 0,
        customerShare: 0,
        valueShare: 0,
      },
  );
  const bar = (key: 'customerShare' | 'valueShare') => (
    <Progress.Root size={22}>
      {byClass.map((item) => (
        <Progress.Section key={item.class} value={item[key] * 100} color={abcColors[item.class]}>
          <Progress.Label>{item[key] >= 0.06 ? item.class : ''}</Progress.Label>
        </Progress.Section>
      ))}
    </Progress.Root>
  );
  return (
    <Stack gap="sm">
      <Title order={5}>{t('analytics.abc.classes.title')}</Title>
      <Table verticalSpacing={6} data-testid="abc-classes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('analytics.abc.classes.class')}</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>{t('analytics.abc.classes.customers')}</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>{t('analytics.abc.classes.value')}</Table.Th>
            <Table.Th style={{ textAlign: 'right' }}>{t('analytics.abc.classes.valueShare')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {byClass.map((item) => (
            <Table.Tr key={item.class} data-testid={`abc-class-${item.class}`}>
              <Table.Td>
                <AbcBadge value={item.class} />
              </Table.Td>
              <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                <Text span fw={600} data-testid="abc-class-count">
                  {formatCount(item.customers, lang)}
                </Text>{' '}
                <Text span c="dimmed" size="xs">
                  ({formatPercent(item.customerShare, lang)})
                </Text>
              </Table.Td>
              <Table.Td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>{orDash(format(item.value))}</Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{formatPercent(item.valueShare, lang)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t('analytics.abc.classes.customerShare')}
      </Text>
      {bar('customerShare')}
      <Text size="xs" c="dimmed">
        {t('analytics.abc.classes.valueShareBar')}
      </Text>
      {bar('valueShare')}
      <Text size="xs" c="dimmed">
        {t('analytics.abc.classes.rule', {
          a: formatPercent(results.thresholds.a, lang),
          b: formatPercent(results.thresholds.b, lang),
        })}
      </Text>
    </Stack>
  );
}

function MoversTable({ movers }: { movers: AbcResults['movers'] }) {
  const { t, i18n } = useTranslation();
  const matrix = moversMatrix(movers);
  const name = (cls: AbcClass | null, side: 'from' | 'to') =>
    cls
      ? t('analytics.abc.classLabel', { cls })
      : t(side === 'from' ? 'analytics.abc.movers.new' : 'analytics.abc.movers.dropped');
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table withColumnBorders verticalSpacing={6} data-testid="abc-movers" maw={720}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('analytics.abc.movers.corner')}</Table.Th>
            {matrix.to.map((cls) => (
              <Table.Th key={cls ?? 'none'} style={{ textAlign: 'right' }}>
                {name(cls, 'to')}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {matrix.from.map((from, row) => (
            <Table.Tr key={from ?? 'none'}>
              <Table.Th>{name(from, 'from')}</Table.Th>
              {matrix.to.map((to, column) => {
                const count = matrix.counts[row]?.[column] ?? 0;
                const stays = from !== null && from === to;
                return (
                  <Table.Td
                    key={to ?? 'none'}
                    style={{ textAlign: 'right' }}
                    fw={stays ? 700 : undefined}
                    c={count === 0 ? 'dimmed' : undefined}
                  >
                    {from === null && to === null ? '' : formatCount(count, i18n.language)}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

// ---- Customer groups: members ------------------------------------------------------------------------------------

interface Member {
  accountId: number;
  value: number;
  previous: number | null;
}

function detailsOf(row: CustomerResult): Record<string, unknown> {
  return typeof row.details === 'object' && row.details !== null ? (row.details as Record<string, unknown>) : {};
}

const memberCountOf = (row: CustomerResult): number => {
  const count = detailsOf(row).memberCount;
  return typeof count === 'number' ? count : 1;
};

const membersOf = (row: CustomerResult): Member[] | null => {
  const members = detailsOf(row).members;
  return Array.isArray(members) && members.length > 0 ? (members as Member[]) : null;
};

/** A group's members with their values; names come from the accounts API (a group has a handful of members). */
function GroupMembers({ row, format }: { row: CustomerResult; format: (value: number | null) => string | null }) {
  const { t, i18n } = useTranslation();
  const members = membersOf(row) ?? [];
  const shown = members.slice(0, 50);
  const accounts = useQueries({ queries: shown.map((member) => accountDetailQuery(member.accountId)) });
  const total = row.value ?? 0;
  return (
    <Table verticalSpacing={4} data-testid="group-members" fz="sm">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('analytics.groups.member')}</Table.Th>
          <Table.Th style={{ textAlign: 'right' }}>{t('analytics.groups.memberValue')}</Table.Th>
          <Table.Th style={{ textAlign: 'right' }}>{t('analytics.groups.memberShare')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {shown.map((member, index) => {
          const account = accounts[index]?.data;
          return (
            <Table.Tr key={member.accountId}>
              <Table.Td>
                <Anchor component={Link} to={`/customers/${member.accountId}`} fz="sm">
                  {account ? `${account.code} ${account.nameEn}` : `#${member.accountId}`}
                </Anchor>
                {member.accountId === row.accountId ? (
                  <Text span size="xs" c="dimmed" ml={6}>
                    {t('analytics.groups.head')}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>{orDash(format(member.value))}</Table.Td>
              <Table.Td style={{ textAlign: 'right' }}>
                {orDash(total > 0 ? formatPercent(member.value / total, i18n.language) : null)}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
