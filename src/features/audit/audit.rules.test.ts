import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { viaSchema } from '../auth/index.js';
import {
  assertNoPersonalValues,
  auditHash,
  canonicalJson,
  checkChain,
  cleanDetails,
  csvCell,
  csvLine,
  genesisHash,
  neutralizeFormula,
  type AuditContent,
  type ChainRow,
} from './audit.rules.js';
import { auditViaSchema } from './audit.schema.js';

const content = (n: number): AuditContent => ({
  occurredAt: new Date(Date.UTC(2026, 10, 24, 2, 0, n)).toISOString(),
  actorUserId: n,
  actorRole: 'admin',
  via: 'session',
  action: 'update',
  resource: 'accounts',
  recordIds: [String(n)],
  recordCount: 1,
  ip: '127.0.0.1',
  userAgent: 'test',
  details: { fields: ['name_en'], n },
});

function chain(length: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = genesisHash;
  for (let i = 1; i <= length; i += 1) {
    const hash = auditHash(prev, content(i));
    rows.push({ ...content(i), id: i, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe('hash chain', () => {
  it('accepts an intact chain and returns its head', () => {
    const rows = chain(5);
    expect(checkChain(rows, genesisHash)).toEqual({ ok: true, headHash: rows[4]!.hash });
  });

  it('finds a changed row, a removed row and a reordered pair', () => {
    const changed = chain(5);
    changed[2] = { ...changed[2]!, recordIds: ['999'] };
    expect(checkChain(changed, genesisHash)).toMatchObject({
      ok: false,
      brokenAt: 3,
      reason: expect.stringContaining('changed'),
    });

    const removed = chain(5).filter((row) => row.id !== 3);
    expect(checkChain(removed, genesisHash)).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: expect.stringContaining('removed'),
    });

    const swapped = chain(5);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(checkChain(swapped, genesisHash)).toMatchObject({ ok: false });
  });

  it('hashes the same content the same way whatever the key order of details', () => {
    const a = { ...content(1), details: { b: 1, a: { y: 2, x: [1, 'z'] } } };
    const b = { ...content(1), details: { a: { x: [1, 'z'], y: 2 }, b: 1 } };
    expect(auditHash(genesisHash, a)).toBe(auditHash(genesisHash, b));
    expect(canonicalJson({ b: 1, a: undefined, c: null })).toBe('{"b":1,"c":null}');
  });

  it('changes the hash when any field changes', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const base = content(1);
        const altered = { ...base, userAgent: `${base.userAgent ?? ''}${text}x` };
        return auditHash(genesisHash, base) !== auditHash(genesisHash, altered);
      }),
      { numRuns: 200 },
    );
  });
});

describe('personal values', () => {
  it('are refused in details; field names, ids and counts are fine', () => {
    expect(() => assertNoPersonalValues({ fields: ['email', 'phone'], count: 3, ids: [1, 2] })).not.toThrow();
    expect(() => assertNoPersonalValues({ email: 'x' })).toThrow(/personal/);
    expect(() => assertNoPersonalValues({ contact_phone: '1' })).toThrow(/personal/);
    expect(() => assertNoPersonalValues({ note: 'mail tm@example.hk' })).toThrow(/e-mail/);
    expect(() => assertNoPersonalValues({ list: ['ok', 'a@b.hk'] })).toThrow(/e-mail/);
  });

  it('details are cleaned of characters the database cannot store', () => {
    expect(cleanDetails({ a: 'x\u0000y', b: [1, 'z\u0000'], c: undefined, d: Number.NaN })).toEqual({
      a: 'xy',
      b: [1, 'z'],
      d: null,
    });
  });
});

it('audit via values equal the auth via values', () => {
  expect(auditViaSchema.options).toEqual(viaSchema.options);
});

// ── CSV formula injection (CVE-2022-38844 class) ──

const dangerous = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r\n]/;

/** Minimal RFC 4180 reader for one line, to check what a spreadsheet would receive. */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  const text = line.replace(/\r\n$/, '');
  while (i <= text.length) {
    if (text[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else {
          value += text[i];
          i += 1;
        }
      }
      cells.push(value);
      i += 1; // comma
    } else {
      const end = text.indexOf(',', i);
      const stop = end === -1 ? text.length : end;
      cells.push(text.slice(i, stop));
      i = stop + 1;
    }
  }
  return cells;
}

const formulaLike = fc.oneof(
  fc.string(),
  fc
    .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', ' =', '\u3000=', '＝', '＋', '－', '＠'), fc.string())
    .map(([start, rest]) => `${start}${rest}`),
  fc.constantFrom(
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '-2+3',
  ),
);

describe('CSV cells', () => {
  it('never start like a formula, and read back as the original text (with an apostrophe when neutralised)', () => {
    fc.assert(
      fc.property(fc.array(formulaLike, { minLength: 1, maxLength: 6 }), (values) => {
        const cells = parseCsvLine(csvLine(values));
        expect(cells).toHaveLength(values.length);
        cells.forEach((cell, index) => {
          const original = values[index]!;
          expect(dangerous.test(cell)).toBe(false);
          expect(cell === original || cell === `'${original}`).toBe(true);
          if (dangerous.test(original)) expect(cell).toBe(`'${original}`);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('write numbers as numbers and nulls as empty cells', () => {
    expect(csvLine([-5, 1.5, null, undefined, true, 'x'])).toBe('-5,1.5,,,true,x\r\n');
    expect(neutralizeFormula('-5')).toBe("'-5");
    expect(csvCell({ b: '=1', a: 1 })).toBe('"{""a"":1,""b"":""=1""}"');
  });
});
