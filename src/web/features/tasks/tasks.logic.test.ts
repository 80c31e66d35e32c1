import { describe, expect, it } from 'vitest';
import type { ComplianceRow, Task } from '../../../features/strategies/task.schema.js';
import { complianceOption, dueWindowEnd, rowLabel, sortTasks } from './tasks.logic.js';

const row = (segmentName: string | null, ownerName: string | null, planned: number, done: number): ComplianceRow => ({
  segmentId: 1,
  segmentName,
  ownerId: 1,
  ownerName,
  planned,
  done,
  onTime: done - 1,
  overdue: planned - done,
  interactions: 0,
  compliance: planned === 0 ? null : done / planned,
  onTimeRate: null,
});

const text = { planned: 'Planned', done: 'Done', onTime: 'On time', unassigned: 'Unassigned' };

describe('the compliance chart', () => {
  it('has planned, done and on-time bars per segment or owner', () => {
    const rows = [row('A-class shippers', 'Chan', 10, 7), row(null, null, 4, 1)];
    const option = complianceOption(rows, 'segment', text) as {
      xAxis: { data: string[] };
      series: { name: string; data: number[] }[];
    };
    expect(option.xAxis.data).toEqual(['A-class shippers', 'Unassigned']);
    expect(option.series.map((s) => s.name)).toEqual(['Planned', 'Done', 'On time']);
    expect(option.series.map((s) => s.data)).toEqual([
      [10, 4],
      [7, 1],
      [6, 0],
    ]);
    const byOwner = complianceOption(rows, 'owner', text) as { xAxis: { data: string[] } };
    expect(byOwner.xAxis.data).toEqual(['Chan', 'Unassigned']);
    expect(rowLabel(rows[0]!, 'owner', 'x')).toBe('Chan');
  });
});

describe('my tasks', () => {
  it('lists open tasks first, by due day, remedial before cadence on the same day', () => {
    const task = (id: number, dueOn: string, purpose: 'cadence' | 'remedial', status: 'open' | 'done' = 'open') =>
      ({ id, dueOn, purpose, status }) as Task;
    const sorted = sortTasks([
      task(1, '2026-07-02', 'cadence'),
      task(2, '2026-07-01', 'cadence', 'done'),
      task(3, '2026-07-02', 'remedial'),
      task(4, '2026-07-01', 'cadence'),
    ]);
    expect(sorted.map((t) => t.id)).toEqual([4, 3, 1, 2]);
  });
});

describe('the due window', () => {
  it('ends the given days after today in Hong Kong', () => {
    expect(dueWindowEnd(new Date('2026-06-30T20:00:00Z'), 14)).toBe('2026-07-15');
    expect(dueWindowEnd(new Date('2026-06-30T04:00:00Z'), 0)).toBe('2026-06-30');
  });
});
