import { describe, expect, it } from 'vitest';
import type { AbcResults, CohortResults } from '../../../features/analytics/analytics.schema.js';
import {
  calibrationOption,
  churnBarsOption,
  classBands,
  cohortCells,
  cohortHeatmapOption,
  moversMatrix,
  paretoOption,
  paretoPoints,
  rfmCells,
  rfmHeatmapOption,
} from './analytics.charts.js';
import { abcColors, churnColors } from './analytics.colors.js';

const abc: AbcResults = {
  measure: 'revenue',
  volumeUnit: null,
  period: { from: '2025-11-25', to: '2026-11-24' },
  previousPeriod: { from: '2024-11-25', to: '2025-11-24' },
  thresholds: { a: 0.8, b: 0.95 },
  customers: 10,
  total: 1000,
  classes: [
    { class: 'A', customers: 2, value: 800, customerShare: 0.2, valueShare: 0.8 },
    { class: 'B', customers: 3, value: 150, customerShare: 0.3, valueShare: 0.15 },
    { class: 'C', customers: 5, value: 50, customerShare: 0.49999999, valueShare: 0.05 },
  ],
  concentration: { top20Share: 0.8, gini: 0.62 },
  curve: [
    { customerShare: 0, valueShare: 0 },
    { customerShare: 0.1, valueShare: 0.5 },
    { customerShare: 0.2, valueShare: 0.8 },
    { customerShare: 0.5, valueShare: 0.95 },
    { customerShare: 1, valueShare: 1 },
  ],
  movers: [
    { from: 'A', to: 'A', customers: 1 },
    { from: 'B', to: 'A', customers: 1 },
    { from: null, to: 'C', customers: 4 },
    { from: 'C', to: null, customers: 2 },
  ],
  groups: null,
  warnings: [],
};

const paretoText = {
  customers: 'Customers',
  value: 'Value',
  equality: 'Equal',
  classLabel: (cls: string) => `Class ${cls}`,
  threshold: (cls: string, share: number) => `${cls} ≤ ${share * 100}%`,
  top20: 'Top 20%',
  tooltip: (x: number, y: number) => `${x} → ${y}`,
};

describe('ABC / Pareto chart', () => {
  it('bands the customer axis by class in rank order, the last band ending at 100%', () => {
    expect(classBands(abc.classes)).toEqual([
      { class: 'A', from: 0, to: 0.2 },
      { class: 'B', from: 0.2, to: 0.5 },
      { class: 'C', from: 0.5, to: 1 },
    ]);
  });

  it('leaves out a class without customers', () => {
    const classes = abc.classes.map((c) => (c.class === 'B' ? { ...c, customers: 0, customerShare: 0 } : c));
    expect(classBands(classes).map((band) => band.class)).toEqual(['A', 'C']);
    expect(classBands([])).toEqual([]);
  });

  it('draws the curve in percent from the origin', () => {
    expect(paretoPoints(abc.curve)).toEqual([
      [0, 0],
      [10, 50],
      [20, 80],
      [50, 95],
      [100, 100],
    ]);
    expect(paretoPoints([{ customerShare: 0.5, valueShare: 0.9 }])).toEqual([
      [0, 0],
      [50, 90],
    ]);
  });

  it('colours the curve and the bands with the class colours, and marks the thresholds and the top 20%', () => {
    const option = paretoOption(abc, paretoText) as unknown as {
      visualMap: { pieces: { gte: number; lt?: number; lte?: number; color: string }[] };
      series: {
        markArea: { data: [{ xAxis: number; name: string }, { xAxis: number }][] };
        markLine: { data: { yAxis?: number; xAxis?: number }[] };
      }[];
    };
    expect(option.visualMap.pieces).toEqual([
      { gte: 0, lt: 20, color: abcColors.A },
      { gte: 20, lt: 50, color: abcColors.B },
      { gte: 50, lte: 100, color: abcColors.C },
    ]);
    const line = option.series[0]!;
    expect(line.markArea.data.map(([start, end]) => [start.name, start.xAxis, end.xAxis])).toEqual([
      ['Class A', 0, 20],
      ['Class B', 20, 50],
      ['Class C', 50, 100],
    ]);
    expect(line.markLine.data.map((d) => d.yAxis ?? `x${d.xAxis}`)).toEqual([80, 95, 'x20']);
  });

  it('lays movers out as previous class × current class, with new and dropped customers', () => {
    const matrix = moversMatrix(abc.movers);
    expect(matrix.from).toEqual(['A', 'B', 'C', null]);
    expect(matrix.to).toEqual(['A', 'B', 'C', null]);
    expect(matrix.counts).toEqual([
      [1, 0, 0, 0],
      [1, 0, 0, 0],
      [0, 0, 0, 2],
      [0, 0, 4, 0],
    ]);
    expect(matrix.total).toBe(8);
  });
});

describe('RFM grid', () => {
  it('has all 25 cells, empty ones with no customers', () => {
    const cells = rfmCells([
      { r: 5, f: 5, customers: 12, meanTotalValue: 900 },
      { r: 1, f: 2, customers: 3, meanTotalValue: 10 },
    ]);
    expect(cells).toHaveLength(25);
    expect(cells.find((c) => c.r === 5 && c.f === 5)).toEqual({ r: 5, f: 5, customers: 12, meanTotalValue: 900 });
    expect(cells.find((c) => c.r === 3 && c.f === 3)).toEqual({ r: 3, f: 3, customers: 0, meanTotalValue: 0 });
    expect(cells.reduce((sum, c) => sum + c.customers, 0)).toBe(15);
  });

  it('puts frequency on x and recency on y (score − 1), coloured up to the fullest cell', () => {
    const option = rfmHeatmapOption([{ r: 5, f: 4, customers: 7, meanTotalValue: 1 }], {
      recency: 'R',
      frequency: 'F',
      cellLabel: (cell) => `${cell.customers}`,
      tooltip: () => '',
    }) as unknown as {
      series: { data: { value: number[]; label: { color: string } }[] }[];
      visualMap: { max: number };
    };
    const data = option.series[0]!.data;
    // The fullest cell is dark: white text; an empty one light: dark text.
    expect(data).toContainEqual({ value: [3, 4, 7], label: { color: '#ffffff' } });
    expect(data).toContainEqual({ value: [0, 0, 0], label: { color: '#212529' } });
    expect(option.visualMap.max).toBe(7);
  });
});

const cohorts: CohortResults = {
  from: '2026-09',
  to: '2026-11',
  partialLastMonth: true,
  customers: 5,
  cohorts: [
    {
      cohort: '2026-09',
      size: 3,
      customers: [3, 1, 2],
      revenue: [100, 40, 150],
      retention: [1, 1 / 3, 2 / 3],
      revenueRetention: [1, 0.4, 1.5],
    },
    {
      cohort: '2026-10',
      size: 2,
      customers: [2, 1, null],
      revenue: [50, 10, null],
      retention: [1, 0.5, null],
      revenueRetention: [1, 0.2, null],
    },
    {
      cohort: '2026-11',
      size: 0,
      customers: [0, null, null],
      revenue: [0, null, null],
      retention: [null, null, null],
      revenueRetention: [null, null, null],
    },
  ],
  averageRetention: [1, 0.4, 2 / 3],
  warnings: [],
};

describe('cohort heatmap', () => {
  it('has one cell per observed month; months not yet observed are not drawn', () => {
    const cells = cohortCells(cohorts, 'customers');
    expect(cells).toHaveLength(5);
    expect(cells[2]).toEqual({ month: 2, row: 0, share: 2 / 3, absolute: 2 });
    expect(cells.some((cell) => cell.row === 2)).toBe(false);
  });

  it('switches to revenue retention, which may exceed 100%: the colour is clipped, the label is not', () => {
    const cells = cohortCells(cohorts, 'revenue');
    expect(cells[2]).toEqual({ month: 2, row: 0, share: 1.5, absolute: 150 });
    const option = cohortHeatmapOption(cohorts, 'revenue', {
      months: 'Months',
      cohortLabel: (cohort, size) => `${cohort} (${size})`,
      cellLabel: (share) => `${Math.round(share * 100)}%`,
      tooltip: () => '',
    }) as unknown as {
      series: { data: { value: number[] }[] }[];
      yAxis: { data: string[]; inverse: boolean };
      xAxis: { data: string[] };
    };
    expect(option.series[0]!.data[2]!.value).toEqual([2, 0, 1]);
    expect(option.yAxis.data).toEqual(['2026-09 (3)', '2026-10 (2)', '2026-11 (0)']);
    expect(option.yAxis.inverse).toBe(true); // the oldest cohort on top
    expect(option.xAxis.data).toEqual(['0', '1', '2']);
  });
});

describe('churn and calibration charts', () => {
  it('colours each churn class with its colour', () => {
    const option = churnBarsOption(
      [
        { class: 'active', customers: 5, share: 0.5, totalValue: 1 },
        { class: 'lost', customers: 5, share: 0.5, totalValue: 1 },
      ],
      { label: (cls) => cls, tooltip: () => '' },
    ) as unknown as { series: { data: { value: number; itemStyle: { color: string } }[] }[] };
    expect(option.series[0]!.data).toEqual([
      { value: 5, itemStyle: { color: churnColors.active } },
      { value: 5, itemStyle: { color: churnColors.lost } },
    ]);
  });

  it('labels the last calibration bucket as "this many or more"', () => {
    const option = calibrationOption(
      [
        { frequency: 0, customers: 10, actual: 0.2, predicted: 0.25 },
        { frequency: 1, customers: 4, actual: 1.1, predicted: 1.0 },
        { frequency: 2, customers: 2, actual: 2.5, predicted: 2.2 },
      ],
      {
        purchases: 'Purchases',
        actual: 'Actual',
        predicted: 'Predicted',
        customers: 'Customers',
        bucket: (f, last) => (last ? `${f}+` : String(f)),
        number: String,
      },
    ) as unknown as { xAxis: { data: string[] }; series: { name: string; data: number[] }[] };
    expect(option.xAxis.data).toEqual(['0', '1', '2+']);
    expect(option.series.map((s) => [s.name, s.data])).toEqual([
      ['Actual', [0.2, 1.1, 2.5]],
      ['Predicted', [0.25, 1.0, 2.2]],
      ['Customers', [10, 4, 2]],
    ]);
  });
});
