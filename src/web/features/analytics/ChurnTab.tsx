import {
  ActionIcon,
  Button,
  Grid,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AnalysisRun, ChurnClass, ChurnResults, ChurnRule } from '../../../features/analytics/analytics.schema.js';
import { EChart } from '../../ui/EChart.js';
import { formatCount } from '../../ui/format.js';
import { churnBarsOption } from './analytics.charts.js';
import { churnClasses } from './analytics.colors.js';
import { formatMoney, formatNumber, formatPercent } from './analytics.format.js';
import { churnFormFrom, churnParameters, churnRuleKinds, ruleOfKind, type ChurnForm } from './analytics.params.js';
import { AnalysisView, RunControls } from './AnalysisView.js';
import { ChurnBadge, Choice, churnReasonText, daysText, durationText, MeasureChoice, orDash } from './AnalyticsBits.js';
import { CustomerResultsTable, type ResultColumn } from './CustomerResultsTable.js';

/** Churn: editable rules, the classes they give (chart), why, and customers with their reason. */
export function ChurnTab() {
  return (
    <AnalysisView kind="churn" form={(run) => <ChurnParametersForm run={run} />}>
      {(run) => <ChurnResultsView run={run} />}
    </AnalysisView>
  );
}

type SevereClass = ChurnRule['class'];
const severeClasses: readonly SevereClass[] = ['declining', 'at_risk', 'lost'];
const volumeMeasures = ['revenue', 'volume'] as const;

/** A rule in words: "No purchase for more than 3× the usual gap (and at least 90 days) → lost". */
export function ruleText(t: TFunction, rule: ChurnRule, language: string): string {
  const n = (value: number) => formatNumber(value, language, 3) ?? String(value);
  switch (rule.rule) {
    case 'inactive_rhythm':
      return t('analytics.churn.ruleText.inactive_rhythm', {
        multiplier: n(rule.multiplier),
        minDays: daysText(t, rule.minDays, language),
      });
    case 'inactive_days':
      return t('analytics.churn.ruleText.inactive_days', { days: daysText(t, rule.days, language) });
    case 'volume_drop':
      return t('analytics.churn.ruleText.volume_drop', { percent: n(rule.percent) });
    case 'p_alive_below':
      return t('analytics.churn.ruleText.p_alive_below', { p: n(rule.p) });
  }
}

function RuleEditor({
  rule,
  onChange,
  onRemove,
}: {
  rule: ChurnRule;
  onChange: (rule: ChurnRule) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const number = (
    label: string,
    value: number,
    apply: (value: number) => ChurnRule,
    props: { min: number; max: number; step?: number; decimal?: boolean },
  ) => (
    <NumberInput
      label={label}
      value={value}
      onChange={(next) => {
        const parsed = Number(next);
        if (next !== '' && Number.isFinite(parsed)) onChange(apply(parsed));
      }}
      min={props.min}
      max={props.max}
      step={props.step ?? 1}
      allowDecimal={props.decimal ?? false}
      w={150}
      size="xs"
    />
  );
  return (
    <Group align="flex-end" gap="sm" wrap="wrap" data-testid="churn-rule">
      <Select
        label={t('analytics.churn.rule')}
        value={rule.rule}
        onChange={(value) => {
          const kind = churnRuleKinds.find((k) => k === value);
          if (kind && kind !== rule.rule) onChange(ruleOfKind(kind, rule.class));
        }}
        data={churnRuleKinds.map((kind) => ({ value: kind, label: t(`analytics.churn.ruleKinds.${kind}`) }))}
        allowDeselect={false}
        w={330}
        size="xs"
      />
      {rule.rule === 'inactive_rhythm' ? (
        <>
          {number(t('analytics.churn.fields.multiplier'), rule.multiplier, (multiplier) => ({ ...rule, multiplier }), {
            min: 0.1,
            max: 100,
            step: 0.5,
            decimal: true,
          })}
          {number(t('analytics.churn.fields.minDays'), rule.minDays, (minDays) => ({ ...rule, minDays }), {
            min: 0,
            max: 3650,
          })}
        </>
      ) : null}
      {rule.rule === 'inactive_days'
        ? number(t('analytics.churn.fields.days'), rule.days, (days) => ({ ...rule, days }), { min: 1, max: 3650 })
        : null}
      {rule.rule === 'volume_drop'
        ? number(t('analytics.churn.fields.percent'), rule.percent, (percent) => ({ ...rule, percent }), {
            min: 1,
            max: 100,
            decimal: true,
          })
        : null}
      {rule.rule === 'p_alive_below'
        ? number(t('analytics.churn.fields.p'), rule.p, (p) => ({ ...rule, p }), {
            min: 0.01,
            max: 0.99,
            step: 0.05,
            decimal: true,
          })
        : null}
      <Select
        label={t('analytics.churn.thenClass')}
        value={rule.class}
        onChange={(value) => {
          const cls = severeClasses.find((c) => c === value);
          if (cls) onChange({ ...rule, class: cls });
        }}
        data={severeClasses.map((cls) => ({ value: cls, label: t(`analytics.churn.classes.${cls}`) }))}
        allowDeselect={false}
        w={130}
        size="xs"
      />
      <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={t('analytics.churn.removeRule')} mb={4}>
        ×
      </ActionIcon>
    </Group>
  );
}

function ChurnParametersForm({ run }: { run: AnalysisRun | null }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<ChurnForm>(() => churnFormFrom(run?.parameters ?? null));
  const set = (patch: Partial<ChurnForm>) => setForm((current) => ({ ...current, ...patch }));
  const setRule = (index: number, rule: ChurnRule | null) =>
    setForm((current) => ({
      ...current,
      rules:
        rule === null
          ? current.rules.filter((_, i) => i !== index)
          : current.rules.map((r, i) => (i === index ? rule : r)),
    }));
  return (
    <>
      <Text size="sm" c="dimmed" mb="xs">
        {t('analytics.churn.rulesIntro')}
      </Text>
      <Stack gap="xs" data-testid="churn-rules">
        {form.rules.map((rule, index) => (
          <RuleEditor
            key={index}
            rule={rule}
            onChange={(next) => setRule(index, next)}
            onRemove={() => setRule(index, null)}
          />
        ))}
      </Stack>
      <Button
        variant="light"
        size="xs"
        mt="xs"
        disabled={form.rules.length >= 20}
        onClick={() => set({ rules: [...form.rules, ruleOfKind('inactive_days', 'at_risk')] })}
      >
        {t('analytics.churn.addRule')}
      </Button>
      <Group align="flex-end" gap="md" mt="md" wrap="wrap">
        <Choice
          label={t('analytics.rfm.unit')}
          value={form.unit}
          options={[
            { value: 'day', label: t('analytics.units.day') },
            { value: 'week', label: t('analytics.units.week') },
          ]}
          onChange={(unit) => set({ unit })}
        />
        <NumberInput
          label={t('analytics.churn.windowDays')}
          value={form.windowDays}
          onChange={(value) => set({ windowDays: Number(value) })}
          min={7}
          max={730}
          allowDecimal={false}
          w={190}
        />
        <MeasureChoice
          label={t('analytics.churn.volumeMeasure')}
          measures={volumeMeasures}
          measure={form.volumeMeasure}
          volumeUnit={form.volumeUnit}
          onMeasure={(volumeMeasure) => set({ volumeMeasure })}
          onVolumeUnit={(volumeUnit) => set({ volumeUnit })}
          unitWidth={160}
        />
        <NumberInput
          label={t('analytics.churn.fallbackGap')}
          value={form.fallbackGapDays}
          onChange={(value) => set({ fallbackGapDays: Number(value) })}
          min={1}
          max={3650}
          allowDecimal={false}
          w={260}
        />
      </Group>
      <RunControls parameters={churnParameters(form)} disabled={form.rules.length === 0} />
    </>
  );
}

function ChurnResultsView({ run }: { run: AnalysisRun }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const results = run.results as unknown as ChurnResults;
  const unit = run.parameters.unit === 'week' ? 'week' : 'day';
  const [classFilter, setClassFilter] = useState<ChurnClass | 'all'>('all');
  const chart = useMemo(
    () =>
      churnBarsOption(results.classes, {
        label: (cls) => t(`analytics.churn.classes.${cls}`),
        tooltip: (cls, customers, share) =>
          `${t(`analytics.churn.classes.${cls}`)}: ${formatCount(customers, lang)} (${formatPercent(share, lang)})`,
      }),
    [results.classes, t, lang],
  );
  const ruleName = (rule: string) =>
    rule === 'none'
      ? t('analytics.churn.noRule')
      : churnRuleKinds.some((k) => k === rule)
        ? t(`analytics.churn.ruleKinds.${rule as ChurnRule['rule']}`)
        : rule;

  const columns: ResultColumn[] = [
    { key: 'class', label: t('analytics.churn.table.class'), render: (row) => <ChurnBadge value={row.churnClass} /> },
    {
      key: 'reason',
      label: t('analytics.churn.table.reason'),
      render: (row) => (
        <Text size="sm" maw={520} data-testid="churn-reason">
          {orDash(churnReasonText(t, row.churnReason, lang))}
        </Text>
      ),
    },
    {
      key: 'sinceLast',
      label: t('analytics.churn.table.sinceLast'),
      sort: 'since_last',
      numeric: true,
      render: (row) => (row.sinceLast === null ? orDash(null) : durationText(t, row.sinceLast, unit, lang)),
    },
    {
      key: 'total',
      label: t('analytics.churn.table.totalValue'),
      sort: 'total_value',
      numeric: true,
      render: (row) => orDash(formatMoney(row.totalValue, lang)),
    },
  ];

  return (
    <Stack gap="md">
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Paper withBorder p="md" radius="md" h="100%">
            <Title order={5}>{t('analytics.churn.classesTitle')}</Title>
            <EChart option={chart} height={280} label={t('analytics.churn.classesTitle')} testId="churn-chart" />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Paper withBorder p="md" radius="md" h="100%">
            <Table verticalSpacing={6} data-testid="churn-classes">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('analytics.churn.table.class')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('analytics.churn.customers')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('analytics.churn.share')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('analytics.churn.table.totalValue')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {results.classes.map((item) => (
                  <Table.Tr key={item.class}>
                    <Table.Td>
                      <ChurnBadge value={item.class} />
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right' }} data-testid={`churn-count-${item.class}`}>
                      {formatCount(item.customers, lang)}
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{formatPercent(item.share, lang)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{formatMoney(item.totalValue, lang)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Title order={6} mt="md" mb={4}>
              {t('analytics.churn.reasonsTitle')}
            </Title>
            <Table verticalSpacing={4} fz="sm" data-testid="churn-reasons">
              <Table.Tbody>
                {results.reasons.map((reason) => (
                  <Table.Tr key={`${reason.class}:${reason.rule}`}>
                    <Table.Td>
                      <ChurnBadge value={reason.class} />
                    </Table.Td>
                    <Table.Td>{ruleName(reason.rule)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{formatCount(reason.customers, lang)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Text size="xs" c="dimmed" mt="sm">
              {results.medianGapDays !== null
                ? t('analytics.churn.medianGap', { days: daysText(t, results.medianGapDays, lang) })
                : t('analytics.churn.noMedianGap')}
              {results.pAliveModel
                ? ` ${t('analytics.churn.pAliveModel', { model: results.pAliveModel === 'bgnbd' ? 'BG/NBD' : results.pAliveModel })}`
                : ''}
            </Text>
          </Paper>
        </Grid.Col>
      </Grid>

      <Paper withBorder p="md" radius="md">
        <Title order={5} mb={4}>
          {t('analytics.churn.rulesTitle')}
        </Title>
        <Table verticalSpacing={4} fz="sm" data-testid="churn-run-rules">
          <Table.Tbody>
            {results.rules.map((rule, index) => (
              <Table.Tr key={index}>
                <Table.Td>{ruleText(t, rule, lang)}</Table.Td>
                <Table.Td>→</Table.Td>
                <Table.Td>
                  <ChurnBadge value={rule.class} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>

      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="sm">
          <Title order={5}>{t('analytics.churn.tableTitle')}</Title>
          <SegmentedControl
            size="xs"
            value={classFilter}
            onChange={(next) => setClassFilter(churnClasses.find((cls) => cls === next) ?? 'all')}
            data={[
              { value: 'all', label: t('analytics.customers.all') },
              ...churnClasses.map((cls) => ({ value: cls, label: t(`analytics.churn.classes.${cls}`) })),
            ]}
            data-testid="churn-class-filter"
          />
        </Group>
        <CustomerResultsTable
          key={classFilter}
          runId={run.id}
          columns={columns}
          filter={classFilter === 'all' ? {} : { churnClass: classFilter }}
          initialSort={{ sort: 'total_value', order: 'desc' }}
          testId="churn-table"
        />
      </Paper>
    </Stack>
  );
}
