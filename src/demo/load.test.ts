import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.js';
import {
  centsText,
  csvChunks,
  csvField,
  csvJson,
  csvRow,
  csvText,
  encodeTransaction,
  scaledText,
  type ChunkPlan,
} from './load.js';
import type { TransactionRow } from './model.js';

/** A strict RFC 4180 reader with PostgreSQL's NULL rule (unquoted empty = null), to check the writer. */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error('unterminated quote');
        value += text.slice(i, quote);
        if (text[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      row.push(value);
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\n') end += 1;
      const raw = text.slice(i, end);
      if (raw.includes('"')) throw new Error(`stray quote in ${raw}`);
      row.push(raw === '' ? null : raw);
      i = end;
    }
    if (text[i] === ',') i += 1;
    else if (text[i] === '\n' || i >= text.length) {
      rows.push(row);
      row = [];
      i += 1;
    } else throw new Error(`unexpected ${text[i]}`);
  }
  return rows;
}

const awkward = [
  'Harbour Link Logistics Ltd',
  'Chan, Tai Man',
  'Say "hello"',
  'two\nlines',
  'carriage\r\nreturn',
  '港聯物流有限公司',
  '',
  '\\.',
  ' padded ',
  "O'Brien & Sons (HK) Co., Ltd.",
  '"',
  ',',
];

describe('CSV encoding', () => {
  it('quotes commas, quotes, line breaks and backslashes; leaves plain and Chinese text alone', () => {
    expect(csvText('Harbour Link Logistics Ltd')).toBe('Harbour Link Logistics Ltd');
    expect(csvText('港聯物流有限公司')).toBe('港聯物流有限公司');
    expect(csvText('Chan, Tai Man')).toBe('"Chan, Tai Man"');
    expect(csvText('Say "hello"')).toBe('"Say ""hello"""');
    expect(csvText('two\nlines')).toBe('"two\nlines"');
    expect(csvText('\\.')).toBe('"\\."');
    expect(csvText('')).toBe('""');
  });

  it('tells NULL (unquoted empty) from empty text (quoted)', () => {
    expect(csvRow([null, '', undefined, 'x'])).toBe(',"",,x\n');
    expect(csvField(12)).toBe('12');
    expect(csvField(true)).toBe('true');
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
    expect(() => csvText('nul\u0000')).toThrow(RangeError);
  });

  it('round-trips any text through a strict CSV reader', () => {
    expect(parseCsv(csvRow(awkward))).toEqual([awkward]);
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\u0000')))),
        (values) => {
          fc.pre(values.length > 0);
          expect(parseCsv(csvRow(values))).toEqual([values.map((v) => v)]);
        },
      ),
    );
  });

  it('writes money and quantities exactly from integers', () => {
    expect(centsText(1230)).toBe('12.30');
    expect(centsText(5)).toBe('0.05');
    expect(centsText(-5)).toBe('-0.05');
    expect(centsText(0)).toBe('0.00');
    expect(centsText(123_456_789_012)).toBe('1234567890.12');
    expect(scaledText(2250, 3)).toBe('2.250');
    expect(scaledText(7, 3)).toBe('0.007');
    expect(() => centsText(12.3)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        const text = centsText(cents);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(Math.round(Number(text) * 100)).toBe(cents);
      }),
    );
  });

  it('writes attribute JSON as one quoted field, equal to quoting JSON.stringify', () => {
    const attributes = {
      lane: 'HKG-LAX',
      note: 'a "quoted", text\nwith 中文 \\ slash',
      teu: 2.25,
      reefer: false,
      none: null,
    };
    expect(csvJson(attributes)).toBe(`"${JSON.stringify(attributes).replace(/"/g, '""')}"`);
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string(),
          fc.oneof(fc.string({ unit: 'grapheme' }), fc.double(), fc.boolean(), fc.constant(null), fc.integer()),
        ),
        (value) => {
          expect(csvJson(value)).toBe(`"${JSON.stringify(value).replace(/"/g, '""')}"`);
          const parsed = parseCsv(`${csvJson(value)}\n`)[0]![0]!;
          expect(JSON.parse(parsed)).toEqual(JSON.parse(JSON.stringify(value)));
        },
      ),
    );
  });

  it('encodes a transaction row in column order', () => {
    const row: TransactionRow = {
      externalId: 'FRT-SHP-000001-0001',
      accountCode: 'FRT-000001',
      occurredAt: Date.parse('2025-01-02T03:04:05.000Z'),
      amountCents: 1230,
      currency: 'USD',
      quantityMilli: 2250,
      unit: 'TEU',
      productLine: 'sea_fcl',
      channel: null,
      costCents: 1000,
      attributes: { lane: 'HKG-LAX', consignee: 'Smith, "Jr"' },
    };
    const line = encodeTransaction(row, { account: () => 42, user: () => 1 });
    expect(parseCsv(line)).toEqual([
      [
        'FRT-SHP-000001-0001',
        '42',
        '2025-01-02T03:04:05.000Z',
        '12.30',
        'USD',
        '2.250',
        'TEU',
        'sea_fcl',
        null,
        '10.00',
        '{"lane":"HKG-LAX","consignee":"Smith, \\"Jr\\""}',
      ],
    ]);
  });

  it('chunks lazily, splits chunks between parallel streams and can join small chunks', async () => {
    const seen: number[] = [];
    const plan: ChunkPlan<number> = {
      total: 10,
      chunkSize: 3,
      rows: function* (from, to) {
        for (let i = from; i < to; i += 1) yield i;
      },
      encode: (n) => `${n}\n`,
      onChunk: (items) => seen.push(items),
    };
    const collect = async (iterable: AsyncIterable<string>) => {
      const out: string[] = [];
      for await (const chunk of iterable) out.push(chunk);
      return out;
    };
    expect(await collect(csvChunks(plan))).toEqual(['1\n2\n3\n', '4\n5\n6\n', '7\n8\n9\n', '10\n']);
    expect(seen).toEqual([3, 3, 3, 1]);
    expect(await collect(csvChunks(plan, { part: 0, parts: 2 }))).toEqual(['1\n2\n3\n', '7\n8\n9\n']);
    expect(await collect(csvChunks(plan, { part: 1, parts: 2 }))).toEqual(['4\n5\n6\n', '10\n']);
    expect(await collect(csvChunks(plan, { minChars: 10 }))).toEqual(['1\n2\n3\n4\n5\n6\n', '7\n8\n9\n10\n']);
  });
});

describeEachDatabase('CSV through COPY', (use) => {
  it('stores awkward text exactly, and empty text apart from NULL', async () => {
    const database = use();
    const rows = awkward.map((name, i) => ({ email: `csv${i}@test.local`, name }));
    const loaded = await database.copyCsv(
      'users',
      ['email', 'display_name', 'team'],
      csvChunks({
        total: 1,
        chunkSize: 1,
        rows: () => rows,
        encode: (row) => csvRow([row.email, row.name, row.name === '' ? '' : null]),
      }),
    );
    expect(loaded).toBe(awkward.length);
    const stored = await database.db
      .selectFrom('users')
      .select(['email', 'display_name', 'team'])
      .where('email', 'like', 'csv%@test.local')
      .execute();
    const byEmail = new Map(stored.map((row) => [row.email, row]));
    rows.forEach((row) => {
      expect(byEmail.get(row.email)?.display_name).toBe(row.name);
      expect(byEmail.get(row.email)?.team).toBe(row.name === '' ? '' : null);
    });
  });
});
