import type { EChartsOption } from 'echarts';
import type { Factor, MarketFigureInput, MarketMetricsRow } from '../../../features/strategies/market.schema.js';

/**
 * The four Kotler factors and the share they multiply to, in the order of the formula; loyalty × selectivity too,
 * the only form of those two without a share of wallet.
 */
export const chartFactors: readonly Factor['key'][] = [
  'penetration',
  'loyalty',
  'selectivity',
  'loyaltyTimesSelectivity',
  'priceSelectivity',
  'marketShare',
];

export const factorValue = (row: MarketMetricsRow, key: Factor['key']): number | null =>
  row.factors.find((factor) => factor.key === key)?.value ?? null;

export const periodLabel = (row: MarketMetricsRow): string => `${row.figure.periodFrom} – ${row.figure.periodTo}`;

export interface MarketText {
  factor: (key: Factor['key']) => string;
  segment: (row: MarketMetricsRow) => string;
  formatValue: (value: number) => string;
}

/**
 * One group of bars per factor, one bar per segment and period (oldest first: the trend). Shares (0–1) and ratios
 * around 1 differ by orders of magnitude, so the value axis is logarithmic; a factor not computable is left out.
 */
export function marketOption(rows: readonly MarketMetricsRow[], text: MarketText): EChartsOption {
  return {
    grid: { left: 56, right: 24, top: 40, bottom: 56 },
    legend: { type: 'scroll', top: 0 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => (typeof value === 'number' ? text.formatValue(value) : '—'),
    },
    xAxis: { type: 'category', data: chartFactors.map((key) => text.factor(key)), axisLabel: { interval: 0 } },
    yAxis: { type: 'log', logBase: 10, axisLabel: { formatter: (value: number) => text.formatValue(value) } },
    series: rows.map((row) => ({
      type: 'bar' as const,
      name: `${text.segment(row)} · ${periodLabel(row)}`,
      data: chartFactors.map((key) => {
        const value = factorValue(row, key);
        return value !== null && value > 0 ? value : null;
      }),
    })),
  };
}

/** The figures form as the user types it (text fields), and what the API takes. */
export interface FigureDraft {
  segmentId: string;
  periodFrom: string;
  periodTo: string;
  marketCustomers: number | string;
  marketValue: number | string;
  averageCompetitorPrice: number | string;
  volumeUnit: string;
  shareOfWalletPercent: number | string;
  source: string;
}

export const WHOLE_MARKET = 'market';

export const emptyDraft = (): FigureDraft => ({
  segmentId: WHOLE_MARKET,
  periodFrom: '',
  periodTo: '',
  marketCustomers: '',
  marketValue: '',
  averageCompetitorPrice: '',
  volumeUnit: '',
  shareOfWalletPercent: '',
  source: '',
});

const numberOrNull = (value: number | string): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  const parsed = Number(trimmed.replaceAll(',', ''));
  return Number.isFinite(parsed) ? parsed : null;
};

/** The draft as the API's input; the API validates it and names any field that is wrong. */
export function figureInputOf(draft: FigureDraft): MarketFigureInput {
  const share = numberOrNull(draft.shareOfWalletPercent);
  return {
    segmentId: draft.segmentId === WHOLE_MARKET ? null : Number(draft.segmentId),
    periodFrom: draft.periodFrom,
    periodTo: draft.periodTo,
    marketCustomers: numberOrNull(draft.marketCustomers) ?? 0,
    marketValue: numberOrNull(draft.marketValue) ?? 0,
    averageCompetitorPrice: numberOrNull(draft.averageCompetitorPrice) ?? 0,
    volumeUnit: draft.volumeUnit.trim() === '' ? null : draft.volumeUnit.trim(),
    shareOfWallet: share === null ? null : share / 100,
    source: draft.source.trim() === '' ? null : draft.source.trim(),
  };
}
