import { describe, expect, it } from 'vitest';
import {
  addMonths,
  changedFields,
  combinePairs,
  comparableName,
  conflictsOf,
  fillMonths,
  mergeAccountFields,
  mergeContactFields,
  monthOf,
  nameScore,
  normaliseContactEmail,
  normaliseContactPhone,
  readNeeds,
  sameValue,
  type CandidatePair,
} from './customer.rules.js';
import type { DuplicateRecord } from './customer.schema.js';

describe('readNeeds', () => {
  it('reads what imports and edits store, and drops what is malformed', () => {
    expect(readNeeds({ servicesUsed: ['sea', '', 3, 'HKG-LAX'], requirements: 'Weekly sailings' })).toEqual({
      servicesUsed: ['sea', 'HKG-LAX'],
      requirements: 'Weekly sailings',
      choiceFactors: [],
    });
    expect(
      readNeeds({
        choiceFactors: [
          { factor: 'price', importance: 5, performance: '3' },
          { factor: 'reliability', importance: 9, performance: 0 },
          { factor: '', importance: 3, performance: 3 },
          { importance: 3 },
          'transit time',
        ],
      }).choiceFactors,
    ).toEqual([
      { factor: 'price', importance: 5, performance: 3 },
      { factor: 'reliability', importance: 5, performance: 1 },
    ]);
    for (const stored of [null, undefined, 'x', [], 42]) {
      expect(readNeeds(stored)).toEqual({ servicesUsed: [], requirements: null, choiceFactors: [] });
    }
  });
});

describe('optimistic concurrency', () => {
  const current = {
    nameEn: 'Pacific Harbour',
    status: 'active',
    tags: ['key', 'sea'],
    needs: { requirements: null, servicesUsed: ['sea'] },
  };

  it('names the fields of a stale edit that differ from what is stored, with both values', () => {
    expect(conflictsOf({ nameEn: 'Pacific Harbour', status: 'lost', tags: ['sea', 'key'] }, current)).toEqual([
      { field: 'status', yours: 'lost', current: 'active' },
      { field: 'tags', yours: ['sea', 'key'], current: ['key', 'sea'] },
    ]);
  });

  it('compares objects by value whatever the key order, and ignores the version and undefined fields', () => {
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(
      changedFields({ version: 3, needs: { servicesUsed: ['sea'], requirements: null }, source: undefined }, current),
    ).toEqual([]);
    expect(changedFields({ version: 3, nameEn: 'PH Logistics' }, current)).toEqual(['nameEn']);
    expect(conflictsOf({ version: 1, source: 'referral' }, current)).toEqual([
      { field: 'source', yours: 'referral', current: null },
    ]);
  });
});

describe('contact normal forms', () => {
  it.each([
    [' Mei.Chan@Example.HK ', 'mei.chan@example.hk'],
    ['mailto:ops@harbour.hk', 'ops@harbour.hk'],
  ])('email %s → %s', (input, expected) => expect(normaliseContactEmail(input)).toEqual({ ok: true, value: expected }));

  it.each([
    ['9123 4567', '+85291234567'],
    ['+852 2345-6789', '+85223456789'],
    ['00852 9123 4567', '+85291234567'],
    ['+86 139 1234 5678', '+8613912345678'],
  ])('phone %s → %s', (input, expected) => expect(normaliseContactPhone(input)).toEqual({ ok: true, value: expected }));

  it('rejects what is not an email or a phone, saying so', () => {
    expect(normaliseContactEmail('mei at example')).toMatchObject({
      ok: false,
      message: '"mei at example" is not an email address',
    });
    expect(normaliseContactPhone('12')).toMatchObject({ ok: false });
  });
});

describe('months', () => {
  it('takes the calendar month in the business time zone', () => {
    // 31 Dec 2025 17:00 UTC is already 1 January 2026 in Hong Kong.
    expect(monthOf(new Date('2025-12-31T17:00:00Z'), 'Asia/Hong_Kong')).toBe('2026-01');
    expect(monthOf(new Date('2025-12-31T15:59:59Z'), 'Asia/Hong_Kong')).toBe('2025-12');
  });

  it('adds and subtracts months across years', () => {
    expect(addMonths('2025-11', 3)).toBe('2026-02');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-11', -23)).toBe('2024-12');
  });

  it('fills the months without transactions with zeros', () => {
    const filled = fillMonths(
      '2025-11',
      '2026-02',
      [{ month: '2026-01', revenue: '1200.50', transactions: 2, volume: '3.5' }],
      true,
    );
    expect(filled).toEqual([
      { month: '2025-11', revenue: '0.00', transactions: 0, volume: '0' },
      { month: '2025-12', revenue: '0.00', transactions: 0, volume: '0' },
      { month: '2026-01', revenue: '1200.50', transactions: 2, volume: '3.5' },
      { month: '2026-02', revenue: '0.00', transactions: 0, volume: '0' },
    ]);
    expect(fillMonths('2026-01', '2026-01', [], false)).toEqual([
      { month: '2026-01', revenue: '0.00', transactions: 0, volume: null },
    ]);
  });
});

describe('duplicate names', () => {
  it('compares names without legal suffixes and punctuation, English and Chinese', () => {
    expect(comparableName('Pacific Harbour Logistics Ltd.')).toBe('pacific harbour logistics');
    expect(comparableName('PACIFIC HARBOUR LOGISTICS LIMITED')).toBe('pacific harbour logistics');
    expect(comparableName('太平洋海港物流有限公司')).toBe('太平洋海港物流');
    expect(comparableName('太平洋海港物流公司')).toBe('太平洋海港物流');
  });

  it('scores equal normalised names 1, different numbers 0, else the trigram similarity', () => {
    expect(nameScore(0.72, 'Pacific Harbour Logistics Ltd', 'Pacific Harbour Logistics Limited')).toBe(1);
    expect(nameScore(0.81, 'Harbour Trading 01', 'Harbour Trading 02')).toBe(0);
    expect(nameScore(0.64, 'Kwai Chung Container Services', 'Kwai Chung Container Service Co')).toBe(0.64);
  });
});

describe('combinePairs', () => {
  const record = (id: number): DuplicateRecord => ({
    id,
    accountId: id,
    code: `A-${id}`,
    name: `Account ${id}`,
    nameZh: null,
    detail: 'freight',
    transactions: 0,
    contacts: 0,
    interactions: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const records = new Map([1, 2, 3, 4, 5].map((id) => [id, record(id)]));

  it('joins the reasons of one pair in either order, scores and sorts them, and drops weak names', () => {
    const candidates: CandidatePair[] = [
      {
        a: 3,
        b: 4,
        reason: { kind: 'name_en', value: null, similarity: 0.7 },
        left: 'Tsing Yi Air Cargo',
        right: 'Tsing Yi Aircargo',
      },
      { a: 2, b: 1, reason: { kind: 'phone', value: '+85291234567', similarity: null } },
      {
        a: 1,
        b: 2,
        reason: { kind: 'name_zh', value: null, similarity: 0.57 },
        left: '太平洋海港物流有限公司',
        right: '太平洋海港物流公司',
      },
      { a: 1, b: 2, reason: { kind: 'email', value: 'ops@pacific.hk', similarity: null } },
      { a: 1, b: 2, reason: { kind: 'email', value: 'ops@pacific.hk', similarity: null } },
      { a: 4, b: 5, reason: { kind: 'name_en', value: null, similarity: 0.45 } },
      { a: 5, b: 5, reason: { kind: 'email', value: 'self@x.hk', similarity: null } },
      { a: 1, b: 99, reason: { kind: 'email', value: 'gone@x.hk', similarity: null } },
    ];
    const pairs = combinePairs('accounts', candidates, records, 0.6, 10);
    expect(pairs.map((pair) => [pair.a.id, pair.b.id, pair.score, pair.reasons.map((reason) => reason.kind)])).toEqual([
      [1, 2, 1, ['email', 'phone', 'name_zh']],
      [3, 4, 0.7, ['name_en']],
    ]);
    // 太平洋海港物流有限公司 and 太平洋海港物流公司 are the same name once the legal suffix is dropped.
    expect(pairs[0]?.reasons.find((reason) => reason.kind === 'name_zh')?.similarity).toBe(1);
    expect(combinePairs('accounts', candidates, records, 0.6, 1)).toHaveLength(1);
  });
});

describe('merging', () => {
  const base = {
    nameZh: null,
    source: null,
    ownerId: null,
    parentId: null,
    tags: ['key'],
    needs: { servicesUsed: ['sea'], requirements: null, choiceFactors: [] },
    custom: { tier: 'gold' },
  };

  it('keeps the survivor’s values and fills its empty ones from the merged account', () => {
    const fill = mergeAccountFields(
      base,
      {
        nameZh: '太平洋海港',
        source: 'trade fair',
        ownerId: 7,
        parentId: 10,
        tags: ['sea', 'key'],
        needs: {
          servicesUsed: ['air', 'sea'],
          requirements: 'Cold chain',
          choiceFactors: [{ factor: 'price', importance: 4, performance: 3 }],
        },
        custom: { tier: 'silver', region: 'NT' },
      },
      1,
    );
    expect(fill).toEqual({
      nameZh: '太平洋海港',
      source: 'trade fair',
      ownerId: 7,
      parentId: 10,
      tags: ['key', 'sea'],
      needs: {
        servicesUsed: ['sea', 'air'],
        requirements: 'Cold chain',
        choiceFactors: [{ factor: 'price', importance: 4, performance: 3 }],
      },
      custom: { tier: 'gold', region: 'NT' },
    });
    expect(mergeAccountFields(base, base, 1)).toEqual({});
    // The merged account's parent is the survivor itself: not taken.
    expect(mergeAccountFields(base, { ...base, parentId: 1 }, 1)).toEqual({});
  });

  it('fills a contact’s empty fields and joins the channels', () => {
    expect(
      mergeContactFields(
        { name: 'Mei Chan', title: null, email: 'mei@x.hk', phone: null, language: null, channels: ['email'] },
        {
          name: 'Chan Mei',
          title: 'Buyer',
          email: 'chan@x.hk',
          phone: '+85291234567',
          language: 'zh-Hant',
          channels: ['whatsapp', 'email'],
        },
      ),
    ).toEqual({ title: 'Buyer', phone: '+85291234567', language: 'zh-Hant', channels: ['email', 'whatsapp'] });
  });
});
