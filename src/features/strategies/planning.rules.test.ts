import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cadenceLabel } from './strategy.rules.js';
import { complianceRates, remedialTasks, scheduleCadence, spreadDays } from './cadence.rules.js';
import { growthScore, percentileScore, quadrantOf, scoreAssessment, suggestScores } from './key-account.rules.js';
import { kotler, kotlerFormulas } from './market.rules.js';
import type { Criterion } from './key-account.schema.js';

describe("Kotler's market-share decomposition", () => {
  const input = {
    marketCustomers: 1000,
    marketValue: 10_000_000,
    averageCompetitorPrice: 1000,
    shareOfWallet: 0.6,
    ourCustomers: 100,
    ourValue: 1_200_000,
    ourVolume: 1000,
    unit: 'TEU',
  };

  it('computes each factor as documented and multiplies back to the value share', () => {
    const result = kotler(input);
    const factor = (key: string) => result.factors.find((f) => f.key === key)?.value;
    // Q = 1000 + (10,000,000 − 1,200,000) / 1000 = 9800 TEU; market price = 10,000,000 / 9800
    expect(result.marketVolume).toBe(9800);
    expect(result.averagePrice).toBe(1200);
    expect(factor('penetration')).toBe(0.1);
    expect(factor('loyalty')).toBe(0.6);
    // W = 1000 / 0.6; Cs = (W / 100) / (9800 / 1000)
    expect(factor('selectivity')).toBeCloseTo(1000 / 0.6 / 100 / 9.8, 12);
    expect(factor('priceSelectivity')).toBeCloseTo(1200 / (10_000_000 / 9800), 12);
    expect(result.marketShare).toBe(0.12);
    const product =
      (factor('penetration') ?? 0) *
      (factor('loyalty') ?? 0) *
      (factor('selectivity') ?? 0) *
      (factor('priceSelectivity') ?? 0);
    expect(product).toBeCloseTo(0.12, 12);
    expect(result.check).toBeCloseTo(0.12, 12);
    expect(factor('loyaltyTimesSelectivity')).toBeCloseTo((factor('loyalty') ?? 0) * (factor('selectivity') ?? 0), 12);
    for (const f of result.factors) {
      expect(f.formula.length, f.key).toBeGreaterThan(10);
      expect(f.computation.length, f.key).toBeGreaterThan(0);
    }
    expect(kotlerFormulas.map((f) => f.key)).toEqual(result.factors.map((f) => f.key));
  });

  it('multiplies back to the share for any figures (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 1, max: 1e6, noNaN: true }),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.double({ min: 1.01, max: 100, noNaN: true }),
        (N, n, q, v, pc, s, marketMultiple) => {
          const result = kotler({
            marketCustomers: N + n,
            marketValue: v * marketMultiple,
            averageCompetitorPrice: pc,
            shareOfWallet: s,
            ourCustomers: n,
            ourValue: v,
            ourVolume: q,
            unit: null,
          });
          const values = Object.fromEntries(result.factors.map((f) => [f.key, f.value ?? Number.NaN]));
          const product = values.penetration! * values.loyalty! * values.selectivity! * values.priceSelectivity!;
          expect(product / (result.marketShare ?? Number.NaN)).toBeCloseTo(1, 9);
        },
      ),
    );
  });

  it('reports loyalty × selectivity without a share of wallet, and warns about impossible figures', () => {
    const result = kotler({ ...input, shareOfWallet: null, ourCustomers: 2000 });
    expect(result.factors.find((f) => f.key === 'loyalty')?.value).toBeNull();
    expect(result.factors.find((f) => f.key === 'loyaltyTimesSelectivity')?.value).not.toBeNull();
    expect(result.warnings).toEqual([
      'We have more customers in the period (2000) than the market size entered (1000).',
      'Without a share of wallet, loyalty and selectivity are shown only as their product.',
    ]);
    const none = kotler({ ...input, ourCustomers: 0, ourValue: 0, ourVolume: 0 });
    expect(none.marketShare).toBe(0);
    expect(none.check).toBeNull();
  });
});

describe('key-account scoring', () => {
  const criteria: Criterion[] = [
    { key: 'volume', axis: 'attractiveness', labelEn: 'Volume', labelZh: null, weight: 0.5, source: 'volume' },
    { key: 'growth', axis: 'attractiveness', labelEn: 'Growth', labelZh: null, weight: 0.3, source: 'growth' },
    { key: 'payment', axis: 'attractiveness', labelEn: 'Payment', labelZh: null, weight: 0.2, source: 'manual' },
    { key: 'capability', axis: 'fit', labelEn: 'Capability', labelZh: null, weight: 0.6, source: 'manual' },
    { key: 'relationship', axis: 'fit', labelEn: 'Relationship', labelZh: null, weight: 0.4, source: 'relationship' },
  ];

  it('takes the weighted mean per axis and names missing scores', () => {
    const scored = scoreAssessment(criteria, { volume: 5, growth: 3, payment: 4, capability: 2, relationship: 5 });
    expect(scored).toEqual({ attractiveness: 0.5 * 5 + 0.3 * 3 + 0.2 * 4, fit: 0.6 * 2 + 0.4 * 5, missing: [] });
    expect(scoreAssessment(criteria, { volume: 5 }).missing).toEqual([
      'growth',
      'payment',
      'capability',
      'relationship',
    ]);
  });

  it('places accounts in the portfolio quadrants', () => {
    expect(quadrantOf(4.2, 3.5)).toBe('key_strategic');
    expect(quadrantOf(4.2, 2)).toBe('key_development');
    expect(quadrantOf(2, 4)).toBe('key_status');
    expect(quadrantOf(2, 2)).toBe('key_maintenance');
    expect(quadrantOf(3, 3)).toBe('key_strategic');
  });

  it('suggests scores from the data', () => {
    expect([0, 0.1, 0.5, 0.9, 1].map(percentileScore)).toEqual([1, 1.5, 3, 4.5, 5]);
    expect([-0.5, -0.1, 0, 0.1, 0.5].map(growthScore)).toEqual([1, 2, 3, 4, 5]);
    const suggestion = suggestScores(
      criteria,
      { revenue12m: 115, revenuePrior12m: 100, margin12m: null, revenuePercentile: 0.9, marginRatePercentile: null },
      'preferred',
    );
    expect(suggestion.scores).toEqual({ volume: 4.5, growth: 4, payment: null, capability: null, relationship: 3.5 });
    expect(suggestion.growth).toBeCloseTo(0.15, 12);
    expect(suggestion.explanations[1]?.text).toBe('Revenue changed +15% against the 12 months before.');
  });
});

describe('cadence scheduling', () => {
  it('schedules each member’s contacts from the anchor, staggered and on working days', () => {
    const tasks = scheduleCadence({
      anchor: '2026-07-01', // a Wednesday
      from: '2026-07-01',
      until: '2026-10-01',
      segmentId: 9,
      segmentName: 'A-class shippers',
      cadence: [
        { kind: 'review_meeting', every: 1, unit: 'month', costPerContact: 1000 },
        { kind: 'call', every: 1, unit: 'week', costPerContact: 100 },
      ],
      members: [
        { accountId: 14, ownerId: 3 },
        { accountId: 17, ownerId: null },
      ],
    });
    const of = (accountId: number, kind: string) =>
      tasks.filter((t) => t.accountId === accountId && t.kind === kind).map((t) => t.dueOn);
    // Account 14: offset 14 mod 28 = 14 days → 15 Jul (Wed), 15 Aug (Sat → Mon 17), 15 Sep (Tue).
    expect(of(14, 'review_meeting')).toEqual(['2026-07-15', '2026-08-17', '2026-09-15']);
    // Weekly calls: offset 14 mod 7 = 0 → every Wednesday from 1 Jul to 30 Sep.
    expect(of(14, 'call')).toHaveLength(14);
    expect(of(14, 'call')[0]).toBe('2026-07-01');
    expect(of(14, 'call').at(-1)).toBe('2026-09-30');
    // Account 17: offset 3 → 4 Jul is a Saturday → Monday 6 Jul; then every Saturday → Monday.
    expect(of(17, 'call').slice(0, 3)).toEqual(['2026-07-06', '2026-07-13', '2026-07-20']);
    expect(of(17, 'review_meeting')).toEqual(['2026-07-20', '2026-08-18', '2026-09-18']);
    expect(tasks.every((t) => t.dueOn >= '2026-07-01' && t.dueOn < '2026-10-01')).toBe(true);
    expect(tasks.every((t) => ![0, 6].includes(new Date(`${t.dueOn}T00:00:00Z`).getUTCDay()))).toBe(true);
    expect(tasks.find((t) => t.accountId === 17)?.ownerId).toBeNull();
    expect(tasks[0]?.title).toBe('Weekly call — A-class shippers');
    expect(tasks.map((t) => t.dueOn)).toEqual([...tasks.map((t) => t.dueOn)].sort());
  });

  it('schedules again from a later day without the contacts already due', () => {
    const input = {
      anchor: '2026-07-01',
      from: '2026-07-01',
      until: '2026-10-01',
      segmentId: 1,
      segmentName: 'S',
      cadence: [{ kind: 'call' as const, every: 1, unit: 'month' as const, costPerContact: 1 }],
      members: [{ accountId: 28, ownerId: 1 }],
    };
    expect(scheduleCadence(input).map((t) => t.dueOn)).toEqual(['2026-07-01', '2026-08-03', '2026-09-01']);
    expect(scheduleCadence({ ...input, from: '2026-08-10', until: '2027-01-01' }).map((t) => t.dueOn)).toEqual([
      '2026-09-01',
      '2026-10-01',
      '2026-11-02',
      '2026-12-01',
    ]);
  });

  it('spreads at most four weeks and labels cadences', () => {
    expect(spreadDays({ every: 1, unit: 'week' })).toBe(7);
    expect(spreadDays({ every: 1, unit: 'quarter' })).toBe(28);
    expect(cadenceLabel({ kind: 'review_meeting', every: 1, unit: 'month', costPerContact: 0 })).toBe(
      'Monthly review meeting',
    );
    expect(cadenceLabel({ kind: 'call', every: 2, unit: 'week', costPerContact: 0 })).toBe('Call every 2 weeks');
  });

  it('gives at-risk members one remedial call two working days after the start', () => {
    const tasks = remedialTasks('2026-07-02', 4, [
      { accountId: 1, ownerId: 2, churnReason: 'No shipment for 95 days' },
    ]);
    expect(tasks).toEqual([
      {
        accountId: 1,
        ownerId: 2,
        segmentId: 4,
        kind: 'call',
        purpose: 'remedial',
        title: 'Remedial call — at risk: No shipment for 95 days',
        dueOn: '2026-07-06',
      },
    ]);
  });

  it('computes compliance rates', () => {
    expect(complianceRates(10, 8, 6)).toEqual({ compliance: 0.8, onTimeRate: 0.6 });
    expect(complianceRates(0, 0, 0)).toEqual({ compliance: null, onTimeRate: null });
  });
});
