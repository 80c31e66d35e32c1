import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import jschardet from 'jschardet';
import Papa from 'papaparse';
import unzipper, { type CentralDirectory, type CentralDirectoryFile } from 'unzipper';
import { AppError } from '../../shared/errors.js';

/**
 * Reading an import file as a stream of records, never the whole file: CSV in any of the usual delimiters
 * (sniffed) and encodings (UTF-8 with or without BOM, UTF-16 by BOM or by its zero bytes, Big5 and other
 * legacy code pages detected from the bytes), CRLF or LF, quoted fields with line breaks; XLSX through
 * exceljs's streaming reader over the zip's central directory (readWorksheets says why).
 */
export type FileFormat = 'csv' | 'xlsx';

export interface SourceOptions {
  format?: FileFormat | undefined;
  /** 'auto' or undefined: detect. */
  encoding?: string | undefined;
  delimiter?: string | undefined;
  sheet?: string | undefined;
}

export interface SourceRecord {
  /** Row number as a spreadsheet shows it: the header is row 1 when it is the first line. */
  row: number;
  cells: string[];
}

export interface RecordSource {
  format: FileFormat;
  encoding: string;
  delimiter: string | null;
  headers: string[];
  /**
   * Data records after the header, in file order (empty rows included, so numbering never shifts), handed out
   * in arrays of up to a thousand: one await per array, not per record, keeps parsing cheap.
   */
  records: AsyncIterable<SourceRecord[]>;
  /** Bytes of the file read so far (a little ahead of the records handed out). */
  bytesRead(): number;
  close(): void;
}

const SAMPLE_BYTES = 64 * 1024;

async function readSample(path: string, bytes = SAMPLE_BYTES): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** XLSX is a zip (PK\x03\x04); anything else is read as delimited text. */
export function detectFormat(fileName: string, head: Buffer): FileFormat {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'xlsx';
  return /\.xlsx$/i.test(fileName) ? 'xlsx' : 'csv';
}

const isValidUtf8 = (sample: Buffer): boolean => {
  // Drop a character cut off at the end of the sample.
  let end = sample.length;
  for (let back = 1; back <= 3 && end - back >= 0; back += 1) {
    const byte = sample[end - back]!;
    if ((byte & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((byte & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
};

const jschardetNames: Record<string, string> = {
  big5: 'big5',
  'big5-hkscs': 'big5',
  gb2312: 'gb18030',
  gbk: 'gb18030',
  gb18030: 'gb18030',
  'euc-tw': 'big5',
  'windows-1252': 'windows-1252',
  'iso-8859-1': 'windows-1252',
  ascii: 'utf-8',
  'utf-8': 'utf-8',
};

/**
 * The encoding of a file from its first bytes: a BOM wins; UTF-16 without a BOM shows as zero bytes in every
 * other position; valid UTF-8 is UTF-8; otherwise the detector's guess (Big5 for older Hong Kong exports).
 */
export function detectEncoding(sample: Buffer): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  const probe = sample.subarray(0, Math.min(sample.length, 4096));
  if (probe.length >= 4) {
    let zeroOdd = 0;
    let zeroEven = 0;
    for (let i = 0; i + 1 < probe.length; i += 2) {
      if (probe[i] === 0) zeroEven += 1;
      if (probe[i + 1] === 0) zeroOdd += 1;
    }
    const pairs = Math.floor(probe.length / 2);
    if (zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.05) return 'utf-16le';
    if (zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.05) return 'utf-16be';
  }
  if (isValidUtf8(sample)) return 'utf-8';
  const guess = jschardet.detect(sample);
  const name = guess.encoding ? jschardetNames[guess.encoding.toLowerCase()] : undefined;
  if (name && name !== 'utf-8') return name;
  // Not UTF-8 and nothing better: Hong Kong's legacy exports are Big5.
  return 'big5';
}

const delimiterCandidates = [',', ';', '\t', '|'] as const;

/** Splits sample text into lines, keeping quoted line breaks inside their field. */
function sampleLines(text: string, max: number): string[] {
  const lines: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length && lines.length < max; i += 1) {
    const char = text[i]!;
    if (char === '"') quoted = !quoted;
    if (!quoted && (char === '\n' || char === '\r')) {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      if (current.length > 0) lines.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (lines.length === 0 && current.length > 0) lines.push(current);
  return lines;
}

const countOutsideQuotes = (line: string, delimiter: string): number => {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === delimiter) count += 1;
  }
  return count;
};

/**
 * The delimiter of delimited text: the candidate that splits the header and the following lines into the same
 * number of fields most consistently (ties: , ; tab |). A single-column file gets ','.
 */
export function sniffDelimiter(sampleText: string): string {
  const lines = sampleLines(sampleText.replace(/^\uFEFF/, ''), 30);
  if (lines.length > 1) lines.pop(); // the last line of a sample may be cut off
  let best: { delimiter: string; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of delimiterCandidates) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistent = counts.filter((count) => count === header).length / counts.length;
    const score = consistent * 1000 + Math.min(header, 999);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

/** Counts bytes flowing through, for progress. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

const isBlank = (cells: readonly string[]): boolean => cells.every((cell) => cell.trim() === '');

export async function openSource(path: string, fileName: string, options: SourceOptions = {}): Promise<RecordSource> {
  const sample = await readSample(path);
  const format = options.format ?? detectFormat(fileName, sample);
  return format === 'xlsx' ? openXlsx(path, options) : openCsv(path, sample, options);
}

/**
 * Line breaks made uniform (CRLF and lone CR become LF) before parsing, so a file that mixes them parses the
 * same as one that does not; a CR at the end of a chunk waits for the next, in case an LF follows.
 */
class NewlineNormaliser extends Transform {
  private carry = '';
  constructor() {
    // One chunk buffered on each side: when the parser pauses, reading the file stops soon after.
    super({ readableObjectMode: true, writableObjectMode: true, readableHighWaterMark: 1, writableHighWaterMark: 1 });
  }
  override _transform(chunk: string, _encoding: BufferEncoding, callback: TransformCallback): void {
    let text = this.carry + chunk;
    this.carry = '';
    if (text.endsWith('\r')) {
      this.carry = '\r';
      text = text.slice(0, -1);
    }
    callback(null, text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
  }
  override _flush(callback: TransformCallback): void {
    callback(null, this.carry ? '\n' : undefined);
  }
}

/** Rows held parsed ahead of the importer before the parser pauses (flat memory on any file size). */
const PARSED_AHEAD = 20_000;

async function openCsv(path: string, sample: Buffer, options: SourceOptions): Promise<RecordSource> {
  const encoding = !options.encoding || options.encoding === 'auto' ? detectEncoding(sample) : options.encoding;
  if (!iconv.encodingExists(encoding)) throw new AppError('validation_failed', `Unknown encoding ${String(encoding)}.`);
  const delimiter = options.delimiter ?? sniffDelimiter(iconv.decode(sample, encoding));
  const counter = new ByteCounter();
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  const text = file.pipe(counter).pipe(iconv.decodeStream(encoding)).pipe(new NewlineNormaliser());
  file.on('error', (error) => text.destroy(error));
  // papaparse: several times faster than csv-parse on large files; quoted fields may hold line breaks.
  let parser: Papa.Parser | null = null;
  let paused = false;
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  // Parsed rows not yet handed out: queue[head…].
  let queue: string[][] = [];
  let head = 0;
  const queued = () => queue.length - head;
  const signal = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  Papa.parse<string[]>(text as unknown as File, {
    delimiter,
    newline: '\n',
    quoteChar: '"',
    escapeChar: '"',
    skipEmptyLines: false,
    chunk: (results, handle) => {
      parser = handle;
      const unclosed = results.errors.find((error) => error.code === 'MissingQuotes');
      if (unclosed)
        failure = new Error(`a quoted field on data record ${String((unclosed.row ?? 0) + 1)} is never closed`);
      if (queued() === 0) {
        queue = results.data;
        head = 0;
      } else for (const record of results.data) queue.push(record);
      if (queued() >= PARSED_AHEAD && !paused) {
        paused = true;
        // papaparse's pause halts only its parser; its streamer would go on queueing the file's text, so the
        // stream it reads from is paused too, and the file is read no further than the pipes' buffers.
        handle.pause();
        text.pause();
      }
      signal();
    },
    complete: () => {
      // A file ending in a line break has no record after it (papaparse reports an empty one).
      const last = queue[queue.length - 1];
      if (queued() > 0 && last?.length === 1 && last[0] === '') queue.pop();
      ended = true;
      signal();
    },
    error: (error: Error) => {
      failure = error;
      signal();
    },
  });
  text.on('error', (error) => {
    failure = error;
    signal();
  });
  /** Up to max parsed records (fewer only at the end of the file); waits for the stream when it has none. */
  const pull = async (max: number): Promise<string[][]> => {
    for (;;) {
      if (failure) throw csvError(failure);
      if (queued() > 0 || ended) {
        const out = queue.slice(head, head + max);
        head += out.length;
        // Let go of the rows handed out, so the queue never holds more than what is parsed ahead.
        if (queued() === 0) {
          queue = [];
          head = 0;
        } else if (head >= PARSED_AHEAD) {
          queue = queue.slice(head);
          head = 0;
        }
        if (paused && queued() < PARSED_AHEAD / 2) {
          paused = false;
          text.resume();
          parser?.resume();
        }
        return out;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
  let row = 0;
  let headers: string[] | null = null;
  let pending: string[][] = [];
  try {
    while (headers === null) {
      const got = await pull(1000);
      if (got.length === 0) break;
      let index = 0;
      for (; index < got.length; index += 1) {
        row += 1;
        if (!isBlank(got[index]!)) {
          headers = got[index]!.map((cell) => cell.replace(/^\uFEFF/, '').trim());
          break;
        }
      }
      pending = got.slice(index + 1);
    }
  } catch (error) {
    file.destroy();
    throw error;
  }
  const headerRow = row;
  async function* records(): AsyncGenerator<SourceRecord[]> {
    let current = headerRow;
    const number = (cells: string[][]): SourceRecord[] =>
      cells.map((cellsOfRow) => {
        current += 1;
        return { row: current, cells: cellsOfRow };
      });
    try {
      if (pending.length > 0) yield number(pending);
      pending = [];
      for (;;) {
        const got = await pull(1000);
        if (got.length === 0) return;
        yield number(got);
      }
    } finally {
      file.destroy();
    }
  }
  return {
    format: 'csv',
    encoding,
    delimiter,
    headers: headers ?? [],
    records: records(),
    bytesRead: () => counter.bytes,
    close: () => file.destroy(),
  };
}

function csvError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = (error as Error).message ?? String(error);
  return new AppError('validation_failed', `The file cannot be read as CSV: ${message}`);
}

type XlsxValue = ExcelJS.CellValue | undefined;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** exceljs gives dates as the wall-clock time in UTC fields; we keep them as wall-clock text. */
function xlsxDateText(date: Date): string {
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0) return day;
  return `${day} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

export function xlsxCellText(value: XlsxValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e9) / 1e9);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return xlsxDateText(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return xlsxCellText(value.result);
    if ('formula' in value || 'sharedFormula' in value) return '';
    if ('text' in value) return xlsxCellText(value.text);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/** The internals of exceljs' streaming WorkbookReader that readWorksheets drives (stable across 4.x). */
interface WorkbookReaderInternals {
  model?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<unknown>, sheetNo: string): Generator<{ eventType: string; value: unknown }>;
}

type WorksheetReader = ExcelJS.stream.xlsx.WorksheetReader & { name?: string };

/**
 * The worksheets of an XLSX file, each streamed straight from the zip, read through exceljs' streaming reader but
 * with the zip opened by its central directory (one stream per entry) instead of as one stream.
 *
 * Why: exceljs' own WorkbookReader.parse reads the zip through unzipper's Parse stream, and Parse emits 'end' as
 * soon as its input is used up, even while entries it has parsed still wait in its paused output. exceljs stops at
 * that 'end' and silently drops the waiting entries. Whether any wait depends on timing — how long exceljs takes
 * over the entry it is busy with (it copies a worksheet that comes before the shared strings to a temporary file)
 * against how fast the rest of the zip inflates — so under load it happens now and then: with files exceljs
 * writes, xl/workbook.xml (written last) is lost and the reader fails with "Cannot read properties of undefined
 * (reading 'sheets')"; with other files shared strings or styles could be lost without an error.
 * Reading by the central directory has no such race, and lets the workbook, its relations, shared strings and
 * styles be read first, so a worksheet never needs a temporary copy.
 */
async function* readWorksheets(
  path: string,
  reader: ExcelJS.stream.xlsx.WorkbookReader,
  opened: (file: CentralDirectoryFile, stream: Readable) => Readable,
): AsyncGenerator<WorksheetReader> {
  let directory: CentralDirectory;
  try {
    directory = await unzipper.Open.file(path);
  } catch (error) {
    throw new AppError('validation_failed', `The file cannot be read as XLSX: ${(error as Error).message}`);
  }
  const internals = reader as unknown as WorkbookReaderInternals;
  const entry = (name: string) => directory.files.find((file) => file.path === name);
  const workbook = entry('xl/workbook.xml');
  if (!workbook) throw new AppError('validation_failed', 'The file cannot be read as XLSX: it has no workbook part.');
  const rels = entry('xl/_rels/workbook.xml.rels');
  if (rels) await internals._parseRels(rels.stream());
  await internals._parseWorkbook(workbook.stream());
  const sharedStrings = entry('xl/sharedStrings.xml');
  if (sharedStrings) {
    // With sharedStrings: 'cache' this yields nothing; it fills the reader's table.
    for await (const _ of internals._parseSharedStrings(sharedStrings.stream()));
  }
  const styles = entry('xl/styles.xml');
  if (styles) await internals._parseStyles(styles.stream());
  for (const file of directory.files) {
    const sheetNo = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(file.path)?.[1];
    if (sheetNo === undefined) continue;
    for (const { eventType, value } of internals._parseWorksheet(opened(file, file.stream()), sheetNo)) {
      if (eventType === 'worksheet') yield value as WorksheetReader;
    }
  }
}

async function openXlsx(path: string, options: SourceOptions): Promise<RecordSource> {
  const fileSize = (await stat(path)).size;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  // Progress: the share of the chosen worksheet's bytes read, as a share of the file.
  let sheetStream: Readable | null = null;
  let counter: ByteCounter | null = null;
  let sheetSize = 0;
  const opened = (file: CentralDirectoryFile, stream: Readable): Readable => {
    sheetStream?.destroy();
    sheetStream = stream;
    sheetSize = file.uncompressedSize;
    counter = new ByteCounter();
    stream.on('error', (error) => counter?.destroy(error));
    return stream.pipe(counter);
  };
  const close = () => {
    sheetStream?.destroy();
    counter?.destroy();
  };
  const sheets = readWorksheets(path, reader, opened);
  let rows: AsyncIterator<ExcelJS.Row> | null = null;
  const seen: string[] = [];
  for (;;) {
    const next = await sheets.next();
    if (next.done) break;
    const sheet = next.value;
    seen.push(sheet.name ?? '');
    if (!options.sheet || sheet.name === options.sheet) {
      rows = sheet[Symbol.asyncIterator]();
      break;
    }
  }
  if (!rows) {
    close();
    throw new AppError(
      'validation_failed',
      options.sheet
        ? `The workbook has no sheet named ${options.sheet} (sheets: ${seen.join(', ')}).`
        : 'The workbook has no sheets.',
    );
  }
  const toCells = (row: ExcelJS.Row): string[] => {
    const values = row.values as XlsxValue[];
    const cells: string[] = [];
    for (let i = 1; i < values.length; i += 1) cells.push(xlsxCellText(values[i]));
    return cells;
  };
  let headers: string[] = [];
  let headerRow = 0;
  for (;;) {
    const next = await rows.next();
    if (next.done) break;
    const cells = toCells(next.value);
    if (!isBlank(cells)) {
      headers = cells.map((cell) => cell.trim());
      headerRow = next.value.number;
      break;
    }
  }
  const rowIterator = rows;
  async function* records(): AsyncGenerator<SourceRecord[]> {
    let previous = headerRow;
    let out: SourceRecord[] = [];
    try {
      for (;;) {
        const next = await rowIterator.next();
        if (next.done) break;
        // The streaming reader skips empty rows; hand them out so numbering and checkpoints stay exact.
        for (let gap = previous + 1; gap < next.value.number; gap += 1) out.push({ row: gap, cells: [] });
        previous = next.value.number;
        out.push({ row: next.value.number, cells: toCells(next.value) });
        if (out.length >= 500) {
          yield out;
          out = [];
        }
      }
      if (out.length > 0) yield out;
    } finally {
      close();
    }
  }
  return {
    format: 'xlsx',
    encoding: 'xlsx',
    delimiter: null,
    headers,
    records: records(),
    bytesRead: () =>
      sheetSize > 0 && counter ? Math.min(fileSize, Math.round((counter.bytes / sheetSize) * fileSize)) : 0,
    close,
  };
}
