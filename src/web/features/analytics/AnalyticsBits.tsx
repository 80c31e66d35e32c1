import { Badge, Paper, SegmentedControl, Text, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AbcClass, AbcMeasure, ChurnClass } from '../../../features/analytics/analytics.schema.js';
import { abcColors, churnColors } from './analytics.colors.js';
import { formatMoney, formatNumber, formatPercent } from './analytics.format.js';
import { parseChurnReason } from './analytics.messages.js';

/** Small pieces shared by the analytics tabs and the customer page's card. */

/** A run parameter picked from a few values (measure, time unit, model): its label above a segmented control. */
export function Choice<T extends string>({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  testId?: string;
}) {
  return (
    <div>
      <Text size="sm" fw={500} mb={4}>
        {label}
      </Text>
      <SegmentedControl
        value={value}
        onChange={(next) => {
          // The control only offers these options; the lookup gives back the typed value.
          const chosen = options.find((option) => option.value === next);
          if (chosen) onChange(chosen.value);
        }}
        data={[...options]}
        data-testid={testId}
      />
    </div>
  );
}

/** The measure of a run (revenue, margin, volume) and, for volume, the unit its quantities are counted in. */
export function MeasureChoice<M extends AbcMeasure>({
  label,
  measures,
  measure,
  volumeUnit,
  onMeasure,
  onVolumeUnit,
  unitWidth,
  testId,
}: {
  label: string;
  measures: readonly M[];
  measure: M;
  volumeUnit: string;
  onMeasure: (measure: M) => void;
  onVolumeUnit: (volumeUnit: string) => void;
  unitWidth: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Choice
        label={label}
        value={measure}
        options={measures.map((m) => ({ value: m, label: t(`analytics.abc.measures.${m}`) }))}
        onChange={onMeasure}
        testId={testId}
      />
      {measure === 'volume' ? (
        <TextInput
          label={t('analytics.abc.volumeUnit')}
          placeholder={t('analytics.abc.volumeUnitPlaceholder')}
          value={volumeUnit}
          onChange={(event) => onVolumeUnit(event.currentTarget.value)}
          w={unitWidth}
        />
      ) : null}
    </>
  );
}

export function Dash() {
  const { t } = useTranslation();
  return (
    <Text span c="dimmed">
      {t('account.none')}
    </Text>
  );
}

/** A value, or the dash when there is none. */
export const orDash = (text: string | null | undefined): ReactNode => (text ? text : <Dash />);

export function AbcBadge({ value }: { value: AbcClass | null }) {
  if (!value) return <Dash />;
  return (
    <Badge color={abcColors[value]} variant="filled" radius="sm" w={28} px={0} data-testid="abc-class">
      {value}
    </Badge>
  );
}

export function ChurnBadge({ value }: { value: ChurnClass | null }) {
  const { t } = useTranslation();
  if (!value) return <Dash />;
  return (
    <Badge
      color={churnColors[value]}
      variant="light"
      radius="sm"
      data-testid="churn-class"
      style={{ flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t(`analytics.churn.classes.${value}`)}
    </Badge>
  );
}

/** One headline figure. */
export function Figure({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: string;
  testId?: string;
}) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}

const knownSegments = [
  'champions',
  'cant_lose',
  'loyal',
  'at_risk',
  'new',
  'promising',
  'potential_loyalists',
  'need_attention',
  'about_to_sleep',
  'hibernating',
  'lost',
  'others',
] as const;
type KnownSegment = (typeof knownSegments)[number];
export const isKnownSegment = (slug: string): slug is KnownSegment =>
  (knownSegments as readonly string[]).includes(slug);

/** An RFM segment's name: translated for the built-in map, the slug in words for an edited one. */
export function segmentLabel(t: TFunction, slug: string | null): string {
  if (slug === null) return t('account.none');
  return isKnownSegment(slug) ? t(`analytics.rfm.segments.${slug}`) : slug.replaceAll('_', ' ');
}

/** "90 days" / "90 日". */
export function daysText(t: TFunction, days: number, language: string): string {
  const rounded = Math.round(days);
  return t('analytics.days', { count: rounded, formatted: formatNumber(rounded, language, 0) ?? String(rounded) });
}

/** A duration in the run's unit: "90 days" or "12.9 weeks". */
export function durationText(t: TFunction, value: number, unit: 'day' | 'week', language: string): string {
  if (unit === 'day') return daysText(t, value, language);
  return t('analytics.weeks', {
    count: Math.round(value),
    formatted: formatNumber(value, language, 1) ?? String(value),
  });
}

/** A churn reason in the reader's language (as the API wrote it when the sentence is not a known one). */
export function churnReasonText(t: TFunction, reason: string | null, language: string): string | null {
  if (!reason) return null;
  const parsed = parseChurnReason(reason);
  if (!parsed) return reason;
  const d = (days: number) => daysText(t, days, language);
  const n = (value: number, digits = 2) => formatNumber(value, language, digits) ?? String(value);
  switch (parsed.kind) {
    case 'inactiveRhythm':
      return parsed.ratio !== null && parsed.gapSource !== null && parsed.gapDays !== null
        ? t('analytics.reason.inactiveRhythm', {
            days: d(parsed.days),
            ratio: n(parsed.ratio, 1),
            whose: t(`analytics.reason.gapSource.${parsed.gapSource}`),
            gap: d(parsed.gapDays),
            multiplier: n(parsed.multiplier),
            minDays: d(parsed.minDays),
          })
        : t('analytics.reason.inactiveRhythmShort', {
            days: d(parsed.days),
            multiplier: n(parsed.multiplier),
            minDays: d(parsed.minDays),
          });
    case 'inactiveDays':
      return t('analytics.reason.inactiveDays', { days: d(parsed.days), limit: d(parsed.limitDays) });
    case 'volumeDrop':
      return t('analytics.reason.volumeDrop', {
        measure:
          parsed.measure === 'revenue'
            ? t('analytics.reason.revenue')
            : parsed.unit
              ? t('analytics.reason.volumeIn', { unit: parsed.unit })
              : t('analytics.reason.volume'),
        percent: formatPercent(parsed.percent / 100, language, 0) ?? '',
        window: d(parsed.windowDays),
        current: parsed.measure === 'revenue' ? (formatMoney(parsed.current, language) ?? '') : n(parsed.current),
        prior: parsed.measure === 'revenue' ? (formatMoney(parsed.prior, language) ?? '') : n(parsed.prior),
        rulePercent: formatPercent(parsed.rulePercent / 100, language, 1) ?? '',
      });
    case 'pAliveBelow':
      return t('analytics.reason.pAliveBelow', { pAlive: n(parsed.pAlive), p: n(parsed.p) });
    case 'active':
      return t('analytics.reason.active', { days: d(parsed.days), gap: d(parsed.gapDays) });
  }
}
