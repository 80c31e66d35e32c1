import { describe, expect, it } from 'vitest';
import type { AccountProfile, Interaction, Timeline } from '../../../features/accounts/customer.schema.js';
import {
  activityInstant,
  buildTimeline,
  changedSince,
  choiceFactorOption,
  draftOf,
  editedFields,
  fromHongKongLocal,
  groupByMonth,
  hongKongParts,
  interactionPrefill,
  performanceGaps,
  rebaseDraft,
  revenueChartOption,
} from './customer360.js';

const interaction = (id: number, occurredAt: string): Interaction => ({
  id,
  accountId: 1,
  channel: 'phone',
  direction: 'outbound',
  subject: null,
  notes: null,
  occurredAt,
  userId: null,
  userName: null,
  contactIds: [],
  archivedAt: null,
  version: 1,
  createdAt: occurredAt,
  updatedAt: occurredAt,
});

const timeline: Timeline = {
  interactions: [interaction(7, '2026-11-20T02:00:00.000Z'), interaction(3, '2026-10-31T17:30:00.000Z')],
  activities: [
    {
      id: 5,
      accountId: 1,
      kind: 'gift',
      description: 'Mooncakes',
      value: '880.00',
      currency: 'HKD',
      occurredOn: '2026-11-20',
      userId: null,
      userName: null,
      createdAt: '2026-11-20T05:00:00.000Z',
    },
  ],
  merges: [
    {
      id: 2,
      entity: 'accounts',
      survivorId: 1,
      mergedId: 9,
      mergedLabel: 'FF-0009 Old name',
      moved: { transactions: 3 },
      reason: null,
      mergedBy: 'Chan Tai Man',
      mergedAt: '2026-11-20T02:00:00.000Z',
    },
  ],
};

describe('timeline', () => {
  it('merges interactions, activities and merges newest first, with a stable order at the same instant', () => {
    const entries = buildTimeline(timeline);
    expect(entries.map((entry) => entry.key)).toEqual(['m2', 'i7', 'a5', 'i3']);
    // A date-only activity sits at the start of its Hong Kong day.
    expect(activityInstant('2026-11-20')).toBe('2026-11-19T16:00:00.000Z');
  });

  it('leaves out what the role may not read (null lists)', () => {
    expect(buildTimeline({ interactions: null, activities: null, merges: timeline.merges }).map((e) => e.kind)).toEqual(
      ['merge'],
    );
  });

  it('groups by Hong Kong calendar month: 31 Oct 17:30 UTC is already November', () => {
    const groups = groupByMonth(buildTimeline(timeline));
    expect(groups.map((group) => [group.month, group.entries.length])).toEqual([['2026-11', 4]]);
    const october = groupByMonth(
      buildTimeline({ ...timeline, interactions: [interaction(1, '2026-10-31T15:00:00Z')] }),
    );
    expect(october.map((group) => group.month)).toEqual(['2026-11', '2026-10']);
  });
});

describe('the interaction form', () => {
  it('is prefilled with now in Hong Kong and the last channel used (phone when none)', () => {
    expect(interactionPrefill(new Date('2026-11-24T02:05:41Z'), null)).toEqual({
      channel: 'phone',
      direction: 'outbound',
      occurredAt: '2026-11-24T10:05',
      subject: '',
      notes: '',
      contactIds: [],
    });
    expect(interactionPrefill(new Date('2026-11-24T02:05:41Z'), 'whatsapp').channel).toBe('whatsapp');
    expect(interactionPrefill(new Date('2026-11-24T02:05:41Z'), 'fax').channel).toBe('phone');
  });

  it('reads the time back as Hong Kong time for the API', () => {
    expect(fromHongKongLocal('2026-11-24T10:05')).toBe('2026-11-24T10:05:00+08:00');
    expect(fromHongKongLocal(hongKongParts(new Date('2026-12-31T16:30:00Z')))).toBe('2027-01-01T00:30:00+08:00');
    expect(fromHongKongLocal('')).toBeNull();
    expect(fromHongKongLocal('2026-13-45T99:99')).toBeNull();
  });
});

const account: AccountProfile = {
  id: 1,
  code: 'FF-0001',
  nameEn: 'Pacific Harbour Logistics Ltd',
  nameZh: null,
  kind: 'company',
  industry: 'freight',
  parentId: null,
  ownerId: null,
  ownerName: null,
  status: 'active',
  source: null,
  tags: ['key'],
  needs: {
    servicesUsed: ['sea'],
    requirements: null,
    choiceFactors: [{ factor: 'price', importance: 5, performance: 3 }],
  },
  custom: {},
  archivedAt: null,
  version: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('editing', () => {
  it('sends only the fields the user changed, trimmed, empty text as null', () => {
    const base = draftOf(account);
    expect(editedFields(base, base)).toEqual({});
    expect(
      editedFields(base, {
        ...base,
        nameZh: '  太平洋海港  ',
        source: '   ',
        tags: ['key', ' sea ', 'key'],
        status: 'lost',
      }),
    ).toEqual({ nameZh: '太平洋海港', tags: ['key', 'sea'], status: 'lost' });
    const needs = {
      ...base.needs,
      choiceFactors: [...base.needs.choiceFactors, { factor: '', importance: 3, performance: 3 }],
    };
    expect(editedFields(base, { ...base, needs })).toEqual({});
  });

  it('keeps only the user’s own changes when saving over someone else’s', () => {
    const base = draftOf(account);
    const mine = { ...base, status: 'lost' as const, tags: ['key', 'vip'] };
    const theirs = draftOf({ ...account, source: 'Trade fair', tags: ['key', 'sea'] });
    const rebased = rebaseDraft(base, mine, theirs);
    // My status and tags; their source (which I never touched).
    expect(rebased).toMatchObject({ status: 'lost', tags: ['key', 'vip'], source: 'Trade fair' });
    expect(editedFields(theirs, rebased)).toEqual({ status: 'lost', tags: ['key', 'vip'] });
  });

  it('says what someone else changed since the form was opened', () => {
    const base = draftOf(account);
    expect(changedSince(base, { ...account, status: 'lost', tags: ['key', 'vip'], version: 4 })).toEqual([
      { field: 'status', before: 'active', after: 'lost' },
      { field: 'tags', before: ['key'], after: ['key', 'vip'] },
    ]);
    expect(changedSince(base, { version: 4 })).toEqual([]);
  });
});

describe('charts', () => {
  const text = { revenue: 'Revenue', volume: 'Volume (TEU)', month: (m: string) => m, money: String, number: String };
  const points = [
    { month: '2026-10', revenue: '100.50', transactions: 1, volume: '2.000' },
    { month: '2026-11', revenue: '0.00', transactions: 0, volume: '0' },
  ];

  it('draws revenue bars and, when there is a unit, a volume line on its own axis', () => {
    const option = revenueChartOption(points, text);
    const series = option.series as { type: string; data: number[]; yAxisIndex?: number }[];
    expect(series.map((item) => [item.type, item.data, item.yAxisIndex ?? 0])).toEqual([
      ['bar', [100.5, 0], 0],
      ['line', [2, 0], 1],
    ]);
    const revenueOnly = revenueChartOption(points, { ...text, volume: null });
    expect((revenueOnly.series as unknown[]).length).toBe(1);
    expect(revenueOnly.yAxis).toHaveLength(1);
  });

  it('lists choice factors with the biggest gap on top, and names the gaps', () => {
    const factors = [
      { factor: 'price', importance: 5, performance: 3 },
      { factor: 'reliability', importance: 4, performance: 4 },
      { factor: 'transit_time', importance: 5, performance: 2 },
    ];
    const option = choiceFactorOption(factors, { importance: 'Importance', performance: 'Ours', factor: (f) => f });
    // ECharts draws the first category at the bottom: the largest gap is last.
    expect((option.yAxis as { data: string[] }).data).toEqual(['reliability', 'price', 'transit_time']);
    expect(performanceGaps(factors).map((factor) => [factor.factor, factor.gap])).toEqual([
      ['transit_time', 3],
      ['price', 2],
    ]);
  });
});
