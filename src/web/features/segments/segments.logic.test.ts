import { describe, expect, it } from 'vitest';
import type { SegmentSnapshot } from '../../../features/segments/segment.schema.js';
import { chronological, historyOption } from './segments.logic.js';

const snapshot = (id: number, takenAt: string, memberCount: number, revenue12m: number): SegmentSnapshot => ({
  id,
  segmentId: 1,
  takenAt,
  trigger: 'analysis_run',
  analysisRunId: null,
  runIds: {},
  asOf: takenAt,
  memberCount,
  entered: 0,
  left: 0,
  totalClv: null,
  revenue12m,
});

describe('the segment history chart', () => {
  it('shows members as bars and revenue as a line, oldest first', () => {
    const snapshots = [snapshot(2, '2026-07-01T00:00:00Z', 12, 900), snapshot(1, '2026-06-01T00:00:00Z', 10, 800)];
    expect(chronological(snapshots).map((s) => s.id)).toEqual([1, 2]);
    const option = historyOption(snapshots, {
      members: 'Members',
      revenue: 'Revenue',
      formatDay: (iso) => iso.slice(0, 10),
      formatMoney: String,
    }) as { xAxis: { data: string[] }; series: { type: string; data: number[] }[] };
    expect(option.xAxis.data).toEqual(['2026-06-01', '2026-07-01']);
    expect(option.series.map((s) => [s.type, s.data])).toEqual([
      ['bar', [10, 12]],
      ['line', [800, 900]],
    ]);
  });
});
