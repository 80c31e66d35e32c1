import type { EChartsOption } from 'echarts';
import type {
  AbcClass,
  AbcResults,
  ChurnClass,
  ChurnResults,
  ClvResults,
  CohortResults,
  RfmResults,
} from '../../../features/analytics/analytics.schema.js';
import { abcBandColors, abcClasses, abcColors, churnColors, heatColors, neutral } from './analytics.colors.js';

/**
 * API results → ECharts options, pure (no DOM, no i18n): the caller passes the words and number formats of the
 * reader's language in `text`. Shares arrive as 0…1 and are drawn as percentages.
 */

const pct = (share: number): number => Math.round(share * 10_000) / 100;

/** The first entry of an ECharts tooltip's params (axis tooltips pass an array, item tooltips one object). */
function firstParam(params: unknown): { value?: unknown; dataIndex?: number; seriesName?: string } {
  const first: unknown = Array.isArray(params) ? params[0] : params;
  return typeof first === 'object' && first !== null ? first : {};
}

const numbersOf = (value: unknown): number[] =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'number' ? item : Number.NaN)) : [];

/** Dark text on the light end of the heat scale, white on the dark end (level 0…1 along heatColors). */
export const labelColorOn = (level: number): string => (level > 0.62 ? '#ffffff' : '#212529');

// ---- ABC / Pareto ----------------------------------------------------------------------------------------------

/** A class's stretch of the customer axis (0…1), in rank order A, B, C; classes without customers are left out. */
export interface ClassBand {
  class: AbcClass;
  from: number;
  to: number;
}

export function classBands(classes: AbcResults['classes']): ClassBand[] {
  const bands: ClassBand[] = [];
  let start = 0;
  for (const cls of abcClasses) {
    const total = classes.find((item) => item.class === cls);
    if (!total || total.customers === 0) continue;
    const end = Math.min(1, start + total.customerShare);
    bands.push({ class: cls, from: start, to: end });
    start = end;
  }
  const last = bands.at(-1);
  if (last) last.to = 1; // the shares add up to 1 but for rounding
  return bands;
}

/** The Pareto curve as [customer %, cumulative value %] points, starting at the origin. */
export function paretoPoints(curve: AbcResults['curve']): [number, number][] {
  const points = curve.map((point): [number, number] => [pct(point.customerShare), pct(point.valueShare)]);
  const first = points[0];
  if (!first || first[0] !== 0 || first[1] !== 0) points.unshift([0, 0]);
  return points;
}

export interface ParetoText {
  customers: string;
  value: string;
  equality: string;
  classLabel: (cls: AbcClass) => string;
  threshold: (cls: 'A' | 'B', share: number) => string;
  top20: string;
  tooltip: (customerShare: number, valueShare: number) => string;
}

export function paretoOption(results: AbcResults, text: ParetoText): EChartsOption {
  const bands = classBands(results.classes);
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 36, bottom: 56 },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const [x = 0, y = 0] = numbersOf(firstParam(params).value);
        return text.tooltip(x / 100, y / 100);
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      name: text.customers,
      nameLocation: 'middle',
      nameGap: 32,
      axisLabel: { formatter: '{value}%' },
      splitLine: { lineStyle: { color: neutral.grid } },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      name: text.value,
      nameLocation: 'middle',
      nameGap: 44,
      axisLabel: { formatter: '{value}%' },
      splitLine: { lineStyle: { color: neutral.grid } },
    },
    visualMap: {
      show: false,
      type: 'piecewise',
      dimension: 0,
      seriesIndex: 0,
      pieces: bands.map((band, index) =>
        index === bands.length - 1
          ? { gte: pct(band.from), lte: 100, color: abcColors[band.class] }
          : { gte: pct(band.from), lt: pct(band.to), color: abcColors[band.class] },
      ),
    },
    series: [
      {
        type: 'line',
        name: text.value,
        data: paretoPoints(results.curve),
        showSymbol: false,
        lineStyle: { width: 3 },
        markArea: {
          silent: true,
          label: { position: 'insideTop', fontWeight: 'bold', fontSize: 13 },
          data: bands.map((band) => [
            {
              xAxis: pct(band.from),
              name: text.classLabel(band.class),
              itemStyle: { color: abcBandColors[band.class] },
              label: { color: abcColors[band.class] },
            },
            { xAxis: pct(band.to) },
          ]),
        },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { type: 'dashed', color: neutral.muted },
          label: { position: 'insideEndTop', color: neutral.line, fontSize: 11 },
          data: [
            { yAxis: pct(results.thresholds.a), label: { formatter: text.threshold('A', results.thresholds.a) } },
            { yAxis: pct(results.thresholds.b), label: { formatter: text.threshold('B', results.thresholds.b) } },
            {
              xAxis: 20,
              lineStyle: { type: 'dotted', color: neutral.line },
              label: { position: 'insideStartTop', formatter: text.top20 },
            },
          ],
        },
      },
      {
        type: 'line',
        name: text.equality,
        data: [
          [0, 0],
          [100, 100],
        ],
        showSymbol: false,
        silent: true,
        lineStyle: { type: 'dotted', color: neutral.muted, width: 1 },
        tooltip: { show: false },
      },
    ],
  };
}

/** Movers between classes as a matrix: rows = class in the previous period (null: new), columns = class now (null: dropped out). */
export interface MoversMatrix {
  from: (AbcClass | null)[];
  to: (AbcClass | null)[];
  counts: number[][];
  total: number;
}

export function moversMatrix(movers: AbcResults['movers']): MoversMatrix {
  const axis: (AbcClass | null)[] = [...abcClasses, null];
  const counts = axis.map((from) =>
    axis.map((to) => movers.filter((m) => m.from === from && m.to === to).reduce((sum, m) => sum + m.customers, 0)),
  );
  return { from: axis, to: axis, counts, total: movers.reduce((sum, m) => sum + m.customers, 0) };
}

// ---- RFM ----------------------------------------------------------------------------------------------------------

export interface RfmCell {
  r: number;
  f: number;
  customers: number;
  meanTotalValue: number;
}

/** All 25 (R, F) cells, empty ones with 0 customers, R and F from 1 to 5. */
export function rfmCells(grid: RfmResults['grid']): RfmCell[] {
  const cells: RfmCell[] = [];
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      const cell = grid.find((item) => item.r === r && item.f === f);
      cells.push({ r, f, customers: cell?.customers ?? 0, meanTotalValue: cell?.meanTotalValue ?? 0 });
    }
  }
  return cells;
}

export interface RfmText {
  recency: string;
  frequency: string;
  cellLabel: (cell: RfmCell) => string;
  tooltip: (cell: RfmCell) => string;
}

export function rfmHeatmapOption(grid: RfmResults['grid'], text: RfmText): EChartsOption {
  const cells = rfmCells(grid);
  const max = Math.max(1, ...cells.map((cell) => cell.customers));
  const scores = ['1', '2', '3', '4', '5'];
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 16, bottom: 96 },
    tooltip: {
      formatter: (params: unknown) => {
        const index = firstParam(params).dataIndex ?? -1;
        const cell = cells[index];
        return cell ? text.tooltip(cell) : '';
      },
    },
    xAxis: {
      type: 'category',
      data: scores,
      name: text.frequency,
      nameLocation: 'middle',
      nameGap: 28,
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      data: scores,
      name: text.recency,
      nameLocation: 'middle',
      nameGap: 36,
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 8,
      itemHeight: 200,
      inRange: { color: [...heatColors] },
    },
    series: [
      {
        type: 'heatmap',
        data: cells.map((cell) => ({
          value: [cell.f - 1, cell.r - 1, cell.customers],
          label: { color: labelColorOn(cell.customers / max) },
        })),
        label: {
          show: true,
          fontSize: 11,
          lineHeight: 15,
          formatter: (params: unknown) => {
            const cell = cells[firstParam(params).dataIndex ?? -1];
            return cell ? text.cellLabel(cell) : '';
          },
        },
        itemStyle: { borderColor: '#fff', borderWidth: 2 },
        emphasis: { itemStyle: { borderColor: neutral.line } },
      },
    ],
  };
}

export interface BarText {
  label: (key: string) => string;
  tooltip: (key: string, customers: number) => string;
}

/** Customers per RFM segment, largest first, as horizontal bars. */
export function segmentBarsOption(segments: RfmResults['segments'], text: BarText): EChartsOption {
  const sorted = [...segments].sort((a, b) => a.customers - b.customers); // bottom-up: largest on top
  return {
    animation: false,
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      formatter: (params: unknown) => {
        const item = sorted[firstParam(params).dataIndex ?? -1];
        return item ? text.tooltip(item.segment, item.customers) : '';
      },
    },
    xAxis: { type: 'value', splitLine: { lineStyle: { color: neutral.grid } } },
    yAxis: { type: 'category', data: sorted.map((item) => text.label(item.segment)) },
    series: [
      {
        type: 'bar',
        data: sorted.map((item) => item.customers),
        itemStyle: { color: heatColors[4] },
        label: { show: true, position: 'right' },
      },
    ],
  };
}

// ---- Churn -------------------------------------------------------------------------------------------------------

export function churnBarsOption(
  classes: ChurnResults['classes'],
  text: { label: (cls: ChurnClass) => string; tooltip: (cls: ChurnClass, customers: number, share: number) => string },
): EChartsOption {
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: {
      formatter: (params: unknown) => {
        const item = classes[firstParam(params).dataIndex ?? -1];
        return item ? text.tooltip(item.class, item.customers, item.share) : '';
      },
    },
    xAxis: { type: 'category', data: classes.map((item) => text.label(item.class)) },
    yAxis: { type: 'value', splitLine: { lineStyle: { color: neutral.grid } } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 64,
        data: classes.map((item) => ({ value: item.customers, itemStyle: { color: churnColors[item.class] } })),
        label: { show: true, position: 'top' },
      },
    ],
  };
}

// ---- Lifetime value: calibration / holdout ---------------------------------------------------------------------

export interface CalibrationText {
  purchases: string;
  actual: string;
  predicted: string;
  customers: string;
  bucket: (frequency: number, last: boolean) => string;
  number: (value: number) => string;
}

export function calibrationOption(
  points: NonNullable<ClvResults['calibration']>['points'],
  text: CalibrationText,
): EChartsOption {
  const categories = points.map((point, index) => text.bucket(point.frequency, index === points.length - 1));
  return {
    animation: false,
    color: [neutral.actual, neutral.predicted, heatColors[1] ?? '#c3fae8'],
    grid: { left: 56, right: 56, top: 40, bottom: 48 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) => (typeof value === 'number' ? text.number(value) : ''),
    },
    xAxis: { type: 'category', data: categories, name: text.purchases, nameLocation: 'middle', nameGap: 30 },
    yAxis: [
      { type: 'value', splitLine: { lineStyle: { color: neutral.grid } } },
      { type: 'value', name: text.customers, splitLine: { show: false } },
    ],
    series: [
      { type: 'line', name: text.actual, data: points.map((point) => point.actual), symbolSize: 8, z: 3 },
      {
        type: 'line',
        name: text.predicted,
        data: points.map((point) => point.predicted),
        symbolSize: 8,
        lineStyle: { type: 'dashed' },
        z: 3,
      },
      {
        type: 'bar',
        name: text.customers,
        yAxisIndex: 1,
        data: points.map((point) => point.customers),
        itemStyle: { color: '#e9ecef' },
        barMaxWidth: 40,
        z: 1,
      },
    ],
  };
}

// ---- Cohorts ------------------------------------------------------------------------------------------------------

export type CohortMeasure = 'customers' | 'revenue';

export interface CohortCell {
  /** Months since acquisition. */
  month: number;
  /** Row of the cohort (0 = the oldest). */
  row: number;
  /** Retention as a share of month 0 (customers) or of month-0 revenue; can exceed 1 for revenue. */
  share: number;
  /** Active customers or revenue in that month. */
  absolute: number | null;
}

/** The observed cells of the retention matrix (months not yet observed are left out, not drawn as 0). */
export function cohortCells(results: CohortResults, measure: CohortMeasure): CohortCell[] {
  const cells: CohortCell[] = [];
  results.cohorts.forEach((cohort, row) => {
    const shares = measure === 'customers' ? cohort.retention : cohort.revenueRetention;
    const absolutes = measure === 'customers' ? cohort.customers : cohort.revenue;
    shares.forEach((share, month) => {
      if (share === null || !Number.isFinite(share)) return;
      cells.push({ month, row, share, absolute: absolutes[month] ?? null });
    });
  });
  return cells;
}

export interface CohortText {
  months: string;
  cohortLabel: (cohort: string, size: number) => string;
  cellLabel: (share: number) => string;
  tooltip: (cohort: string, month: number, cell: CohortCell) => string;
}

export function cohortHeatmapOption(results: CohortResults, measure: CohortMeasure, text: CohortText): EChartsOption {
  const cells = cohortCells(results, measure);
  const months = Math.max(0, ...results.cohorts.map((cohort) => cohort.retention.length));
  const rows = results.cohorts.length;
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 8, bottom: 80, containLabel: true },
    tooltip: {
      formatter: (params: unknown) => {
        const cell = cells[firstParam(params).dataIndex ?? -1];
        const cohort = cell ? results.cohorts[cell.row] : undefined;
        return cell && cohort ? text.tooltip(cohort.cohort, cell.month, cell) : '';
      },
    },
    xAxis: {
      type: 'category',
      data: Array.from({ length: months }, (_, month) => String(month)),
      name: text.months,
      nameLocation: 'middle',
      nameGap: 28,
      splitArea: { show: true },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: results.cohorts.map((cohort) => text.cohortLabel(cohort.cohort, cohort.size)),
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max: 1,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemHeight: 240,
      dimension: 2,
      text: ['100%', '0%'],
      inRange: { color: [...heatColors] },
    },
    series: [
      {
        type: 'heatmap',
        // The colour is the share clipped to [0, 1]; revenue can exceed 100% of month 0, and the label says so.
        data: cells.map((cell) => {
          const level = Math.min(1, Math.max(0, cell.share));
          return { value: [cell.month, cell.row, level], label: { color: labelColorOn(level) } };
        }),
        label: {
          show: rows <= 36 && months <= 36,
          fontSize: 10,
          formatter: (params: unknown) => {
            const cell = cells[firstParam(params).dataIndex ?? -1];
            return cell ? text.cellLabel(cell.share) : '';
          },
        },
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
      },
    ],
  };
}

/** Average retention by month since acquisition, as a line. */
export function averageRetentionOption(
  average: CohortResults['averageRetention'],
  text: { months: string; name: string; percent: (share: number) => string },
): EChartsOption {
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 16, bottom: 40 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) => (typeof value === 'number' ? text.percent(value / 100) : ''),
    },
    xAxis: {
      type: 'category',
      data: average.map((_, month) => String(month)),
      name: text.months,
      nameLocation: 'middle',
      nameGap: 26,
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 100,
      axisLabel: { formatter: '{value}%' },
      splitLine: { lineStyle: { color: neutral.grid } },
    },
    series: [
      {
        type: 'line',
        name: text.name,
        data: average.map((share) => (share === null ? null : pct(share))),
        connectNulls: false,
        itemStyle: { color: heatColors[5] },
      },
    ],
  };
}
