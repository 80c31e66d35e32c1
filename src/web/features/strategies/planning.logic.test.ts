import { describe, expect, it } from 'vitest';
import type { PortfolioMatrix } from '../../../features/strategies/key-account.schema.js';
import type { MarketMetricsRow } from '../../../features/strategies/market.schema.js';
import { bubbleSize, matrixOption } from './keyAccounts.logic.js';
import { emptyDraft, figureInputOf, marketOption } from './market.logic.js';

const matrix: PortfolioMatrix = {
  midpoint: 3,
  points: [
    {
      accountId: 1,
      accountCode: 'FF-0001',
      accountName: 'Pacific Harbour Logistics',
      attractiveness: 4.2,
      fit: 3.6,
      quadrant: 'key_strategic',
      relationshipStage: 'partner',
      revenue12m: 900_000,
      assessedOn: '2026-11-20',
    },
    {
      accountId: 2,
      accountCode: 'FF-0002',
      accountName: 'Kwai Chung Container',
      attractiveness: 2.1,
      fit: 2.5,
      quadrant: 'key_maintenance',
      relationshipStage: 'transactional',
      revenue12m: 100_000,
      assessedOn: '2026-11-21',
    },
  ],
  quadrants: [],
};

describe('key-account matrix chart', () => {
  it('places accounts at (our position, attractiveness), one series per quadrant, midpoint lines on both axes', () => {
    const option = matrixOption(matrix, {
      attractiveness: 'Attractiveness',
      fit: 'Our position',
      quadrant: (q) => q,
      formatMoney: String,
    });
    const series = option.series as { name?: string; data: { value: number[] }[]; markLine?: { data: unknown[] } }[];
    expect(series.map((s) => s.name)).toEqual([
      'key_strategic',
      'key_development',
      'key_status',
      'key_maintenance',
      undefined,
    ]);
    expect(series[0]?.data.map((d) => d.value)).toEqual([[3.6, 4.2, 900_000]]);
    expect(series[3]?.data.map((d) => d.value)).toEqual([[2.5, 2.1, 100_000]]);
    expect(series[4]?.markLine?.data).toEqual([{ xAxis: 3 }, { yAxis: 3 }]);
  });

  it('sizes bubbles by revenue, never below 10 px', () => {
    expect(bubbleSize(900_000, 900_000)).toBe(40);
    expect(bubbleSize(0, 900_000)).toBe(10);
    expect(bubbleSize(225_000, 900_000)).toBe(25);
  });
});

describe('market metrics', () => {
  it('turns the form into the API input: whole market as null, share of wallet from percent', () => {
    const input = figureInputOf({
      ...emptyDraft(),
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
      marketCustomers: 2000,
      marketValue: '50,000,000',
      averageCompetitorPrice: 1200,
      volumeUnit: ' TEU ',
      shareOfWalletPercent: 40,
    });
    expect(input).toEqual({
      segmentId: null,
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
      marketCustomers: 2000,
      marketValue: 50_000_000,
      averageCompetitorPrice: 1200,
      volumeUnit: 'TEU',
      shareOfWallet: 0.4,
      source: null,
    });
    expect(figureInputOf({ ...emptyDraft(), segmentId: '7' }).segmentId).toBe(7);
  });

  it('charts the four factors and the share per period, leaving out what cannot be computed', () => {
    const factor = (key: string, value: number | null) => ({ key, name: key, value, formula: '', computation: '' });
    const row = {
      figure: { id: 1, segmentName: null, periodFrom: '2026-01-01', periodTo: '2026-06-30' },
      factors: [
        factor('penetration', 0.1),
        factor('loyalty', null),
        factor('selectivity', null),
        factor('loyaltyTimesSelectivity', 0.19),
        factor('priceSelectivity', 1.05),
        factor('marketShare', 0.02),
      ],
    } as unknown as MarketMetricsRow;
    const option = marketOption([row], { factor: (k) => k, segment: () => 'Whole market', formatValue: String });
    const series = option.series as { name: string; data: (number | null)[] }[];
    expect(series).toEqual([
      expect.objectContaining({
        name: 'Whole market · 2026-01-01 – 2026-06-30',
        data: [0.1, null, null, 0.19, 1.05, 0.02],
      }),
    ]);
  });
});
