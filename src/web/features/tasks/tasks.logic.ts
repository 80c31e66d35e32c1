import type { EChartsOption } from 'echarts';
import type { ComplianceRow, Task } from '../../../features/strategies/task.schema.js';

/** Pure helpers of My tasks: grouping, and the compliance chart's option. */

export interface ComplianceText {
  planned: string;
  done: string;
  onTime: string;
  unassigned: string;
}

/** The label of a compliance row: its segment or owner name, or the "unassigned" word. */
export const rowLabel = (row: ComplianceRow, by: 'segment' | 'owner', unassigned: string): string =>
  (by === 'segment' ? row.segmentName : row.ownerName) ?? unassigned;

/** Planned vs done vs on time per row, as grouped bars. */
export function complianceOption(
  rows: readonly ComplianceRow[],
  by: 'segment' | 'owner',
  text: ComplianceText,
): EChartsOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 56 },
    xAxis: {
      type: 'category',
      data: rows.map((row) => rowLabel(row, by, text.unassigned)),
      axisLabel: { interval: 0, width: 160, overflow: 'truncate' },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        barMaxWidth: 48,
        name: text.planned,
        data: rows.map((row) => row.planned),
        itemStyle: { color: '#adb5bd' },
      },
      {
        type: 'bar',
        barMaxWidth: 48,
        name: text.done,
        data: rows.map((row) => row.done),
        itemStyle: { color: '#12b886' },
      },
      {
        type: 'bar',
        barMaxWidth: 48,
        name: text.onTime,
        data: rows.map((row) => row.onTime),
        itemStyle: { color: '#228be6' },
      },
    ],
  };
}

/** Open tasks first by due day (overdue first, then remedial before cadence on the same day). */
export function sortTasks(tasks: readonly Task[]): Task[] {
  return [...tasks].sort(
    (a, b) =>
      Number(b.status === 'open') - Number(a.status === 'open') ||
      a.dueOn.localeCompare(b.dueOn) ||
      Number(b.purpose === 'remedial') - Number(a.purpose === 'remedial') ||
      a.id - b.id,
  );
}

/** The last day "My tasks" shows open tasks for: today plus `days`, as YYYY-MM-DD in Hong Kong. */
export function dueWindowEnd(now: Date, days: number): string {
  const later = new Date(now.getTime() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Hong_Kong' }).format(later);
}
