import type { EChartsOption } from 'echarts';
import type { SegmentSnapshot } from '../../../features/segments/segment.schema.js';

/** Pure helpers of the segments pages: the size and value over time chart. */

export interface HistoryText {
  members: string;
  revenue: string;
  formatDay: (iso: string) => string;
  formatMoney: (value: number) => string;
}

/** Snapshots oldest first, as the chart's x axis reads them. */
export const chronological = (snapshots: readonly SegmentSnapshot[]): SegmentSnapshot[] =>
  [...snapshots].sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.id - b.id);

/** Members (bars, left axis) and 12-month revenue (line, right axis) per snapshot. */
export function historyOption(snapshots: readonly SegmentSnapshot[], text: HistoryText): EChartsOption {
  const ordered = chronological(snapshots);
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 72, top: 36, bottom: 32 },
    xAxis: { type: 'category', data: ordered.map((snapshot) => text.formatDay(snapshot.takenAt)) },
    yAxis: [
      { type: 'value', minInterval: 1, name: text.members },
      { type: 'value', name: text.revenue, axisLabel: { formatter: (value: number) => text.formatMoney(value) } },
    ],
    series: [
      {
        type: 'bar',
        name: text.members,
        barMaxWidth: 40,
        data: ordered.map((snapshot) => snapshot.memberCount),
        itemStyle: { color: '#12b886' },
      },
      {
        type: 'line',
        name: text.revenue,
        yAxisIndex: 1,
        data: ordered.map((snapshot) => snapshot.revenue12m),
        itemStyle: { color: '#228be6' },
      },
    ],
  };
}
