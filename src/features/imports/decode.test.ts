import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectEncoding, detectFormat, openSource, sniffDelimiter } from './decode.js';

const dir = mkdtempSync(join(tmpdir(), 'rapport-decode-'));
let n = 0;
const write = (content: Buffer | string, name = 'f.csv') => {
  n += 1;
  const path = join(dir, `${n}-${name}`);
  writeFileSync(path, content);
  return path;
};
const text = '客戶編號,名稱,電話\r\nA001,港聯物流有限公司,91234567\r\nA002,"九龍汽車, 零件",23456789\r\n';

async function readAll(path: string) {
  const source = await openSource(path, path);
  const rows = [];
  for await (const chunk of source.records) rows.push(...chunk);
  return { source, rows };
}

describe('detecting encodings', () => {
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8'],
    ['UTF-8', Buffer.from(text), 'utf-8'],
    ['UTF-16 LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]), 'utf-16le'],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]), 'utf-16be'],
    ['UTF-16 LE without BOM', iconv.encode('account_code,name\nA1,Alpha\n', 'utf-16le'), 'utf-16le'],
    ['Big5', iconv.encode(text.repeat(5), 'big5'), 'big5'],
  ])('%s', (_name, bytes, expected) => {
    expect(detectEncoding(bytes)).toBe(expected);
  });

  it.each(['UTF-8 BOM', 'UTF-16 LE', 'UTF-16 BE', 'Big5'])('reads %s files to the same records', async (kind) => {
    const bytes =
      kind === 'UTF-8 BOM'
        ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
        : kind === 'UTF-16 LE'
          ? Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])
          : kind === 'UTF-16 BE'
            ? Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')])
            : iconv.encode(text, 'big5');
    const { source, rows } = await readAll(write(bytes));
    expect(source.headers).toEqual(['客戶編號', '名稱', '電話']);
    expect(rows).toEqual([
      { row: 2, cells: ['A001', '港聯物流有限公司', '91234567'] },
      { row: 3, cells: ['A002', '九龍汽車, 零件', '23456789'] },
    ]);
  });
});

describe('sniffing delimiters and reading records', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1;2,5;3\n', ';'],
    ['a\tb\tc\n1\t2\t3\n', '\t'],
    ['a|b|c\n1|2|3\n', '|'],
    ['"x,y";b\n"1,2";3\n', ';'],
    ['single\nvalue\n', ','],
  ])('%j → %j', (sample, expected) => {
    expect(sniffDelimiter(sample)).toBe(expected);
  });

  it('keeps quoted line breaks inside a field, counts rows as a spreadsheet does, and keeps empty rows', async () => {
    const { source, rows } = await readAll(write('code;notes\nA;"two\nlines"\n\nB;"say ""hi"""\r\nC;x'));
    expect(source.delimiter).toBe(';');
    expect(rows).toEqual([
      { row: 2, cells: ['A', 'two\nlines'] },
      { row: 3, cells: [''] },
      { row: 4, cells: ['B', 'say "hi"'] },
      { row: 5, cells: ['C', 'x'] },
    ]);
  });

  it('reads old Mac line breaks (lone CR) and a CRLF split across read chunks the same as LF', async () => {
    const { rows } = await readAll(write('a,b\r1,2\r3,4\r'));
    expect(rows).toEqual([
      { row: 2, cells: ['1', '2'] },
      { row: 3, cells: ['3', '4'] },
    ]);
    // 256 KiB read chunks: put a CRLF exactly on the boundary.
    const filler = 'x'.repeat(256 * 1024 - 'h\r\n'.length - 1);
    const { rows: long } = await readAll(write(`h\r\n${filler}\r\nlast\r\n`));
    expect(long.map((r) => r.cells[0]?.length)).toEqual([filler.length, 4]);
  });

  it('refuses a quoted field that is never closed, naming the record', async () => {
    await expect(readAll(write('a,b\n1,"open\n2,3\n'))).rejects.toThrow(/never closed/);
  });

  it('streams a large file through the parser without reading ahead of the importer', async () => {
    const rowsWanted = 400_000;
    const content = `id,v\n${Array.from({ length: rowsWanted }, (_, i) => `${i},"q,${i}"`).join('\n')}\n`;
    const path = write(content);
    const source = await openSource(path, path);
    let count = 0;
    let last: string[] = [];
    for await (const chunk of source.records) {
      // An importer busy with its first rows: the parser pauses, so far less than the file has been read.
      if (count === 0) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(source.bytesRead()).toBeLessThan(content.length / 2);
      }
      count += chunk.length;
      last = chunk[chunk.length - 1]!.cells;
    }
    expect(count).toBe(rowsWanted);
    expect(last).toEqual([String(rowsWanted - 1), `q,${rowsWanted - 1}`]);
  });

  it('tells XLSX from CSV by its zip signature', () => {
    expect(detectFormat('x.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04]))).toBe('xlsx');
    expect(detectFormat('x.csv', Buffer.from('a,b'))).toBe('csv');
  });

  it('reads XLSX workbooks reliably when many are read at once, with the chosen sheet and progress', async () => {
    // exceljs writes xl/workbook.xml last; read as one zip stream it was sometimes lost under load ("reading
    // 'sheets'"). Read by the central directory, every one of many parallel reads sees every part.
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Notes').addRow(['ignore me']);
    const sheet = workbook.addWorksheet('Sales');
    sheet.addRow(['Invoice No', 'Customer Code', 'Amount']);
    for (let i = 1; i <= 50; i += 1) sheet.addRow([`XL-${i}`, `客戶${i}`, i * 10]);
    const path = write(Buffer.from(await workbook.xlsx.writeBuffer()), 'sales.xlsx');
    const readOnce = async () => {
      const source = await openSource(path, 'sales.xlsx', { sheet: 'Sales' });
      const rows: string[][] = [];
      for await (const chunk of source.records) for (const record of chunk) rows.push(record.cells);
      const bytes = source.bytesRead();
      source.close();
      return { headers: source.headers, rows, bytes };
    };
    const results = await Promise.all(Array.from({ length: 100 }, readOnce));
    for (const result of results) {
      expect(result.headers).toEqual(['Invoice No', 'Customer Code', 'Amount']);
      expect(result.rows).toHaveLength(50);
      expect(result.rows[49]).toEqual(['XL-50', '客戶50', '500']);
      expect(result.bytes).toBeGreaterThan(0);
    }
    await expect(openSource(path, 'sales.xlsx', { sheet: 'Nope' })).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'The workbook has no sheet named Nope (sheets: Notes, Sales).',
    });
    await expect(openSource(write('PK\u0003\u0004 not a zip', 'broken.xlsx'), 'broken.xlsx')).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('cannot be read as XLSX'),
    });
  });
});
