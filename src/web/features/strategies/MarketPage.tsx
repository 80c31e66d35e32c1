import {
  type NumberInputProps,
  Alert,
  Button,
  Group,
  List,
  Loader,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Factor, MarketMetricsRow } from '../../../features/strategies/market.schema.js';
import { EChart } from '../../ui/EChart.js';
import { ErrorAlert } from '../../ui/ErrorAlert.js';
import { usePageTitle } from '../../ui/usePageTitle.js';
import { formatMoney, formatNumber, formatPercent, formatSignificant } from '../analytics/analytics.format.js';
import { can } from '../auth/auth.queries.js';
import { useMe } from '../auth/session.js';
import { allSegmentsQuery } from '../segments/segments.queries.js';
import { createMarketFigure, deleteMarketFigure, marketMetricsQuery, planningKeys } from './keyAccounts.queries.js';
import {
  chartFactors,
  emptyDraft,
  factorValue,
  figureInputOf,
  marketOption,
  WHOLE_MARKET,
  type FigureDraft,
} from './market.logic.js';

const ALL = 'all';
const shares: ReadonlySet<Factor['key']> = new Set(['penetration', 'loyalty', 'marketShare']);

/**
 * Market metrics (B6): the market figures the user enters per segment and period, and for each Kotler's decomposition
 * of our market share — customer penetration × loyalty × selectivity × price selectivity — from our own sales.
 */
export function MarketPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('market.title'));
  const me = useMe();
  const language = i18n.language;
  const [filter, setFilter] = useState<string>(ALL);
  const segmentId = filter === ALL ? null : Number(filter);
  const metrics = useQuery(marketMetricsQuery(segmentId));
  const segments = useQuery(allSegmentsQuery());
  const segmentOptions = (segments.data?.items ?? [])
    .filter((segment) => segment.archivedAt === null)
    .map((segment) => ({ value: String(segment.id), label: segment.name }));
  const factorName = (key: Factor['key']) => t(`market.factor.${key}`);
  const segmentName = (row: MarketMetricsRow) => row.figure.segmentName ?? t('market.wholeMarket');
  const formatFactor = (key: Factor['key'], value: number | null) =>
    (shares.has(key) ? formatPercent(value, language, 2) : formatSignificant(value, language, 3)) ?? '—';
  const data = metrics.data;
  const rows = data?.rows ?? [];
  const option = useMemo(
    () =>
      marketOption(data?.rows ?? [], {
        factor: (key) => t(`market.factor.${key}`),
        segment: (row) => row.figure.segmentName ?? t('market.wholeMarket'),
        formatValue: (value) => formatSignificant(value, language, 3) ?? '—',
      }),
    [data, t, language],
  );

  return (
    <Stack gap="md">
      <div>
        <Title order={2}>{t('market.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('market.intro')}
        </Text>
      </div>
      <Select
        label={t('market.segmentFilter')}
        data={[{ value: ALL, label: t('market.allSegments') }, ...segmentOptions]}
        value={filter}
        onChange={(value) => setFilter(value ?? ALL)}
        allowDeselect={false}
        maw={360}
        data-testid="market-filter"
      />
      {metrics.isPending ? <Loader size="sm" /> : null}
      {metrics.isError ? <ErrorAlert title={t('market.loadError')} error={metrics.error} /> : null}
      {metrics.data && rows.length === 0 ? (
        <Text c="dimmed" data-testid="market-empty">
          {t('market.empty')}
        </Text>
      ) : null}
      {rows.length > 0 ? (
        <>
          <EChart option={option} height={360} label={t('market.chartLabel')} testId="market-chart" />
          <Table.ScrollContainer minWidth={960}>
            <Table striped data-testid="market-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('market.columns.segment')}</Table.Th>
                  <Table.Th>{t('market.columns.period')}</Table.Th>
                  <Table.Th ta="right">{t('market.columns.customers')}</Table.Th>
                  <Table.Th ta="right">{t('market.columns.value')}</Table.Th>
                  {chartFactors.map((key) => (
                    <Table.Th key={key} ta="right">
                      {factorName(key)}
                    </Table.Th>
                  ))}
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <MarketRow
                    key={row.figure.id}
                    row={row}
                    segment={segmentName(row)}
                    formatFactor={formatFactor}
                    mayDelete={can(me, 'strategies', 'delete')}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {rows.some((row) => row.warnings.length > 0) ? (
            <Alert color="yellow" variant="light" title={t('market.warnings')}>
              <List size="sm">
                {rows.flatMap((row) =>
                  row.warnings.map((warning) => (
                    <List.Item key={`${row.figure.id}-${warning}`}>
                      {segmentName(row)} · {row.figure.periodFrom}: {warning}
                    </List.Item>
                  )),
                )}
              </List>
            </Alert>
          ) : null}
          <Paper withBorder p="sm" radius="md">
            <Text fw={600} mb="xs">
              {t('market.formulas')}
            </Text>
            <List size="sm" spacing={4}>
              {chartFactors.map((key) => (
                <List.Item key={key}>{t(`market.formula.${key}`)}</List.Item>
              ))}
            </List>
          </Paper>
        </>
      ) : null}
      {can(me, 'strategies', 'create') ? <FigureForm segmentOptions={segmentOptions} /> : null}
    </Stack>
  );
}

function MarketRow({
  row,
  segment,
  formatFactor,
  mayDelete,
}: {
  row: MarketMetricsRow;
  segment: string;
  formatFactor: (key: Factor['key'], value: number | null) => string;
  mayDelete: boolean;
}) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteMarketFigure(row.figure.id, row.figure.version),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: planningKeys.allMarket }),
  });
  const computation = (key: Factor['key']) => row.factors.find((factor) => factor.key === key)?.computation;
  return (
    <Table.Tr data-testid="market-row">
      <Table.Td>{segment}</Table.Td>
      <Table.Td>
        {row.figure.periodFrom} – {row.figure.periodTo}
      </Table.Td>
      <Table.Td ta="right">
        {formatNumber(row.own.customers, i18n.language, 0)} /{' '}
        {formatNumber(row.figure.marketCustomers, i18n.language, 0)}
      </Table.Td>
      <Table.Td ta="right">{formatMoney(row.own.value, i18n.language)}</Table.Td>
      {chartFactors.map((key) => (
        <Table.Td key={key} ta="right" title={computation(key)} data-testid={`market-${key}`}>
          {formatFactor(key, factorValue(row, key))}
        </Table.Td>
      ))}
      <Table.Td>
        {mayDelete ? (
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            loading={remove.isPending}
            onClick={() => remove.mutate()}
          >
            {t('market.delete')}
          </Button>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

type FigureKey = 'marketCustomers' | 'marketValue' | 'averageCompetitorPrice' | 'shareOfWalletPercent';

/** The form's number fields: the draft key, its label and help keys, its test id and its input's options. */
const figureFields: readonly {
  key: FigureKey;
  label: 'marketCustomers' | 'marketValue' | 'competitorPrice' | 'shareOfWallet';
  testId: string;
  props: NumberInputProps;
}[] = [
  {
    key: 'marketCustomers',
    label: 'marketCustomers',
    testId: 'customers',
    props: { min: 1, allowDecimal: false, thousandSeparator: true, required: true },
  },
  {
    key: 'marketValue',
    label: 'marketValue',
    testId: 'value',
    props: { min: 0, prefix: 'HK$ ', thousandSeparator: true, required: true },
  },
  {
    key: 'averageCompetitorPrice',
    label: 'competitorPrice',
    testId: 'price',
    props: { min: 0, prefix: 'HK$ ', thousandSeparator: true, required: true },
  },
  { key: 'shareOfWalletPercent', label: 'shareOfWallet', testId: 'wallet', props: { min: 0, max: 100, suffix: '%' } },
];

function FigureInput(props: {
  field: (typeof figureFields)[number];
  draft: FigureDraft;
  set: (key: FigureKey, value: number | string) => void;
}) {
  const { t } = useTranslation();
  const { field } = props;
  return (
    <NumberInput
      {...field.props}
      label={t(`market.form.${field.label}`)}
      description={t(`market.form.${field.label}Help`)}
      value={props.draft[field.key]}
      onChange={(value) => props.set(field.key, value)}
      data-testid={`market-form-${field.testId}`}
    />
  );
}

function FigureForm({ segmentOptions }: { segmentOptions: { value: string; label: string }[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<FigureDraft>(emptyDraft);
  const set = <K extends keyof FigureDraft>(key: K, value: FigureDraft[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));
  const save = useMutation({
    mutationFn: () => createMarketFigure(figureInputOf(draft)),
    onSuccess: async () => {
      setDraft(emptyDraft());
      await queryClient.invalidateQueries({ queryKey: planningKeys.allMarket });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Paper withBorder p="md" radius="md" component="form" onSubmit={submit} data-testid="market-form">
      <Stack gap="sm">
        <Title order={3}>{t('market.form.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('market.form.intro')}
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          <Select
            label={t('market.columns.segment')}
            data={[{ value: WHOLE_MARKET, label: t('market.wholeMarket') }, ...segmentOptions]}
            value={draft.segmentId}
            onChange={(value) => set('segmentId', value ?? WHOLE_MARKET)}
            allowDeselect={false}
            data-testid="market-form-segment"
          />
          <TextInput
            type="date"
            label={t('market.form.periodFrom')}
            value={draft.periodFrom}
            onChange={(event) => set('periodFrom', event.currentTarget.value)}
            required
            data-testid="market-form-from"
          />
          <TextInput
            type="date"
            label={t('market.form.periodTo')}
            value={draft.periodTo}
            onChange={(event) => set('periodTo', event.currentTarget.value)}
            required
            data-testid="market-form-to"
          />
          {figureFields.slice(0, 3).map((field) => (
            <FigureInput key={field.key} field={field} draft={draft} set={set} />
          ))}
          <TextInput
            label={t('market.form.volumeUnit')}
            description={t('market.form.volumeUnitHelp')}
            value={draft.volumeUnit}
            onChange={(event) => set('volumeUnit', event.currentTarget.value)}
            data-testid="market-form-unit"
          />
          <FigureInput field={figureFields[3]!} draft={draft} set={set} />
          <TextInput
            label={t('market.form.source')}
            value={draft.source}
            onChange={(event) => set('source', event.currentTarget.value)}
            data-testid="market-form-source"
          />
        </SimpleGrid>
        {save.isError ? <ErrorAlert title={t('market.form.saveError')} error={save.error} /> : null}
        <Group>
          <Button type="submit" loading={save.isPending} data-testid="market-form-save">
            {t('market.form.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
