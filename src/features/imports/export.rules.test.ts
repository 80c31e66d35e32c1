import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellText, csvField, csvLine, neutraliseText, startsLikeFormula, xlsxCell } from './export.rules.js';

const triggers = ['=', '+', '-', '@', '\t', '\r'];

describe('formula-injection neutralisation', () => {
  it('never lets an exported text cell start with a formula trigger unless prefixed with an apostrophe', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constantFrom(...triggers).chain((t) => fc.string().map((s) => t + s)),
        ),
        (text) => {
          const cell = cellText(text);
          expect(startsLikeFormula(cell)).toBe(false);
          if (startsLikeFormula(text)) expect(cell).toBe(`'${text}`);
          else expect(cell).toBe(text);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps XLSX cells as strings or numbers, never formulas', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.double({ noNaN: true }), fc.constant(null)),
        fc.boolean(),
        (value, numeric) => {
          const cell = xlsxCell(value, numeric);
          expect(cell === null || typeof cell === 'string' || typeof cell === 'number').toBe(true);
          if (typeof cell === 'string') expect(startsLikeFormula(cell)).toBe(false);
          if (typeof cell === 'number') expect(Number.isFinite(cell)).toBe(true);
        },
      ),
    );
  });

  it('round-trips any cell through RFC 4180 quoting', () => {
    const parse = (line: string) => (line.startsWith('"') ? line.slice(1, -1).replaceAll('""', '"') : line);
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(parse(csvField(text))).toBe(text);
      }),
    );
  });

  it('writes numbers as numbers and lists joined', () => {
    expect(neutraliseText('-5')).toBe("'-5");
    expect(cellText(-5)).toBe('-5');
    expect(cellText(['sea', 'air'])).toBe('sea; air');
    expect(csvLine(['a,b', '=1+1', 3, null])).toBe(`"a,b",'=1+1,3,\r\n`);
    expect(xlsxCell('1500.50', true)).toBe(1500.5);
    expect(xlsxCell('+85291234567', false)).toBe("'+85291234567");
  });
});
