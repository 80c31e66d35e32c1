import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Database, RawSql } from '../../db/connect.js';
import type { Clock } from '../../shared/clock.js';
import { creatorScopeWhere, type Actor } from '../auth/index.js';
import { AppError } from '../../shared/errors.js';
import { openSource, type RecordSource } from './decode.js';
import { detectDateOrder } from './dates.rules.js';
import { prepareAccountFilter, type AccountFilter } from '../accounts/index.js';
import { exportColumns, exportRows, type ExportSource, type RecordScope } from './export.repository.js';
import { csvLine, xlsxCell, type ExportValue } from './export.rules.js';
import { createHandler, type EntityHandler, type Validated } from './import.handlers.js';
import {
  advanceImport,
  createImport,
  deleteMapping,
  findImport,
  findMapping,
  findUnfinishedImport,
  customFieldDefinitions,
  findImportInScope,
  finishImport,
  insertImportErrors,
  insertMapping,
  listImports,
  listMappings,
  mappingNameTaken,
  pageImportErrors,
  updateMapping,
  type ImportRecord,
} from './import.repository.js';
import {
  mappingSchema,
  openColumnPrefix,
  type ExportFormat,
  type ExportQuery,
  type ImportEntity,
  type ImportSummary,
  type Mapping,
  type MappingInput,
  type Preview,
  type RawRow,
  type RowProblem,
  type SavedMapping,
  type SavedMappingInput,
} from './import.schema.js';
import { checkMapping, guessMapping, type CustomFieldLabel } from './mapping.rules.js';

export interface ImportProgress {
  importId: number | null;
  rowsDone: number;
  bytesDone: number;
  fileSize: number;
}

export interface RunImportInput {
  filePath: string;
  /** The name the user knows the file by (an upload's original name); default: the path's base name. */
  fileName?: string;
  entity: ImportEntity;
  mapping?: MappingInput | null;
  dryRun?: boolean;
  /** Continue this import (it must be unfinished and of the same file). Without it, an unfinished import of the same file and entity is resumed. */
  resumeId?: number | null;
  batchSize?: number;
  /** Where the CLI writes the error report CSV: 'beside' the input file, a path, or nowhere (the API serves it). */
  errorsFile?: string | null;
  /** The user starting the import (the API's signed-in user); null or absent: the command line. */
  startedBy?: number | null;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportService {
  /** Runs an import to its end (CLI). */
  runImport(input: RunImportInput): Promise<ImportSummary>;
  /** Checks the file and mapping, records the import and runs it in the background (API). */
  startImport(input: RunImportInput & { removeFileAfter?: boolean }): Promise<ImportSummary>;
  /**
   * One import, within the actor's imports read scope (own: imports the actor started; team: started by the
   * actor's team; all: every one, the command line's included). Outside it: not_found, as if it did not exist.
   */
  getImport(actor: Actor, id: number): Promise<ImportSummary>;
  /** The import history within the actor's scope, newest first, with who started each import. */
  listImports(actor: Actor, limit?: number): Promise<ImportSummary[]>;
  /** The error report as CSV text chunks (the import must be within the actor's scope). */
  errorReport(actor: Actor, id: number): Promise<AsyncIterable<string>>;
  preview(input: {
    filePath: string;
    fileName?: string;
    entity: ImportEntity;
    mapping?: MappingInput | null;
    rows?: number;
  }): Promise<Preview>;
  listMappings(): Promise<SavedMapping[]>;
  getMapping(id: number): Promise<SavedMapping>;
  createMapping(input: SavedMappingInput): Promise<SavedMapping>;
  updateMapping(id: number, input: SavedMappingInput): Promise<SavedMapping>;
  deleteMapping(id: number): Promise<void>;
  /**
   * Streams an export (CSV or XLSX) into out; returns the number of data rows. The scope limits the records
   * (the role's export scope) and hidden columns are written empty (field masks: personal, commercial).
   */
  exportTo(request: ExportRequest, format: ExportFormat, out: Writable, access?: ExportAccess): Promise<number>;
  /**
   * The same in two steps, for the API: resolves once the request is checked (an account filter naming an unknown
   * custom field rejects here, before any byte is sent, so it can answer 400); `done` settles when out is written.
   */
  startExport(
    request: ExportRequest,
    format: ExportFormat,
    out: Writable,
    access?: ExportAccess,
  ): Promise<{ done: Promise<number> }>;
  /** Where uploads are kept while their import runs. */
  uploadPath(): string;
  /** Waits for background imports (tests). */
  idle(): Promise<void>;
  /** Stops background imports at their next batch (server shutdown): each stays resumable from its checkpoint. */
  stop(): Promise<void>;
}

/** What to export: accounts with the account list's filter, contacts or transactions with the export query. */
export type ExportRequest =
  { entity: 'accounts'; filter: AccountFilter } | { entity: 'contacts' | 'transactions'; query: ExportQuery };

export interface ExportAccess {
  scope: RecordScope;
  hiddenColumns: ReadonlySet<string>;
}

export interface ImportServiceDeps {
  database: Database;
  clock: Clock;
  timeZone?: string;
  uploadDir?: string;
  batchSize?: number;
}

const DEFAULT_BATCH = 5000;
const formulaTrigger = /^'[=+\-@\t\r]/;

class DryRunRollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

/** Imports belong to the user who started them (imports.created_by; the command line's to no one). */
const importsReadScope = (actor: Actor) => creatorScopeWhere(actor, 'imports', 'read', 'imports.created_by');

const toIso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function toSummary(record: ImportRecord, extra: { dryRun?: boolean; resumed?: boolean } = {}): ImportSummary {
  const rejected = Number(record.rejected);
  return {
    importId: extra.dryRun ? null : Number(record.id),
    entity: record.entity,
    fileName: record.file_name,
    status: record.status,
    dryRun: extra.dryRun ?? false,
    rowsDone: Number(record.checkpoint),
    bytesDone: Number(record.bytes_done),
    fileSize: Number(record.file_size),
    inserted: Number(record.inserted),
    updated: Number(record.updated),
    unchanged: Number(record.unchanged),
    rejected,
    errorsFile: record.errors_file ?? (rejected > 0 && !extra.dryRun ? `/api/imports/${record.id}/errors` : null),
    failure: record.failure,
    resumed: extra.resumed ?? false,
    startedBy:
      record.created_by === null || record.created_by === undefined
        ? null
        : { id: Number(record.created_by), name: record.created_by_name ?? '' },
    startedAt: toIso(record.started_at) ?? '',
    finishedAt: toIso(record.finished_at),
  };
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Resolves a mapping for the file's headers: given columns are kept, an empty column map is guessed. */
function resolveMapping(
  entity: ImportEntity,
  headers: readonly string[],
  input: MappingInput | null | undefined,
  customFields: readonly CustomFieldLabel[] = [],
): Mapping {
  const parsed = mappingSchema.safeParse(input ?? { columns: {} });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'validation_failed',
      `Invalid mapping ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`.trim(),
    );
  }
  const mapping = parsed.data;
  const given = Object.keys(mapping.columns).length > 0;
  return { ...mapping, columns: given ? mapping.columns : guessMapping(entity, headers, customFields) };
}

function assertUsable(entity: ImportEntity, headers: readonly string[], mapping: Mapping): void {
  if (headers.length === 0) throw new AppError('validation_failed', 'The file is empty: no header row was found.');
  const check = checkMapping(entity, headers, mapping.columns);
  if (check.unknownTargets.length > 0) {
    throw new AppError(
      'validation_failed',
      `The mapping names unknown ${entity} columns: ${check.unknownTargets.join(', ')}.`,
      check,
    );
  }
  if (check.duplicateTargets.length > 0) {
    throw new AppError(
      'validation_failed',
      `More than one column is mapped to ${check.duplicateTargets.join(', ')}.`,
      check,
    );
  }
  if (check.missingRequired.length > 0) {
    throw new AppError(
      'validation_failed',
      `The file has no column for ${check.missingRequired.join(', ')} (headers: ${headers.join(', ')}). ` +
        'Rename the header or give a mapping (--mapping MAP.json); see docs/import.md.',
      check,
    );
  }
}

interface ColumnPlan {
  canonical: { index: number; target: string }[];
  open: { index: number; key: string }[];
  present: Set<string>;
  headerOf: (column: string) => string;
  width: number;
}

function planColumns(entity: ImportEntity, headers: readonly string[], mapping: Mapping): ColumnPlan {
  const prefix = openColumnPrefix[entity];
  const canonical: ColumnPlan['canonical'] = [];
  const open: ColumnPlan['open'] = [];
  const headerFor = new Map<string, string>();
  headers.forEach((header, index) => {
    const target = mapping.columns[header];
    if (!target || headerFor.has(target)) return;
    headerFor.set(target, header);
    if (prefix && target.startsWith(prefix)) open.push({ index, key: target });
    else canonical.push({ index, target });
  });
  return {
    canonical,
    open,
    present: new Set(canonical.map((c) => c.target)),
    headerOf: (column) => headerFor.get(column) ?? column,
    width: headers.length,
  };
}

const cellAt = (cells: readonly string[], index: number): string => {
  const cell = cells[index] ?? '';
  // An export neutralised "=…" as "'=…"; reading it back takes the apostrophe off.
  return formulaTrigger.test(cell) ? cell.slice(1) : cell;
};

interface Batch {
  start: number;
  end: number;
  bytes: number;
  valid: Validated<unknown>[];
  problems: RowProblem[];
}

function validateRecord(
  plan: ColumnPlan,
  handler: EntityHandler<unknown>,
  row: number,
  cells: readonly string[],
  batch: Batch,
): void {
  if (cells.length > plan.width && cells.slice(plan.width).some((cell) => cell.trim() !== '')) {
    batch.problems.push({
      row,
      column: null,
      value: null,
      message: `the row has ${cells.length} cells but the header has ${plan.width}`,
    });
    return;
  }
  const raw: RawRow = {};
  for (const { index, target } of plan.canonical) raw[target] = cellAt(cells, index);
  const parsed = handler.schema.safeParse(raw);
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const column = typeof issue.path[0] === 'string' ? issue.path[0] : null;
      const key = column ?? '';
      if (seen.has(key)) continue;
      seen.add(key);
      batch.problems.push({
        row,
        column: column === null ? null : plan.headerOf(column),
        value: column === null ? null : (raw[column] ?? null),
        message: column === null ? issue.message : `${column} ${issue.message}`,
      });
    }
    return;
  }
  const open: Record<string, string> = {};
  for (const { index, key } of plan.open) open[key] = cellAt(cells, index);
  batch.valid.push({ row, data: parsed.data, open });
}

/** Within one batch a business key counts once: the later row wins, the earlier ones are reported. */
function dropDuplicates(handler: EntityHandler<unknown>, plan: ColumnPlan, batch: Batch): void {
  const last = new Map<string, number>();
  batch.valid.forEach((item, i) => last.set(handler.key(item.data), i));
  if (last.size === batch.valid.length) return;
  const kept: Validated<unknown>[] = [];
  batch.valid.forEach((item, i) => {
    const key = handler.key(item.data);
    const winner = last.get(key)!;
    if (winner === i) kept.push(item);
    else {
      batch.problems.push({
        row: item.row,
        column: plan.headerOf(handler.keyColumn),
        value: key.replace(/^[^|]*\|[enp]:/, ''),
        message: `the same ${handler.keyColumn === 'email' ? 'contact' : handler.keyColumn} appears again on row ${batch.valid[winner]!.row}; that later row is imported`,
      });
    }
  });
  batch.valid = kept;
}

const errorsHeader = csvLine(['row', 'column', 'value', 'message']);

async function* errorCsv(problems: AsyncIterable<RowProblem>): AsyncGenerator<string> {
  yield `\uFEFF${errorsHeader}`;
  let chunk = '';
  for await (const problem of problems) {
    chunk += csvLine([problem.row, problem.column, problem.value, problem.message]);
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function writeText(path: string, chunks: AsyncIterable<string>): Promise<void> {
  const out = createWriteStream(path);
  try {
    for await (const chunk of chunks) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
}

function errorsPathFor(input: RunImportInput, importId: number | null): string | null {
  if (!input.errorsFile) return null;
  if (input.errorsFile !== 'beside') return input.errorsFile;
  const base = basename(input.filePath, extname(input.filePath));
  return join(dirname(input.filePath), `${base}.${importId === null ? 'dry-run' : `import-${importId}`}.errors.csv`);
}

export function createImportService(deps: ImportServiceDeps): ImportService {
  const { database } = deps;
  const timeZone = deps.timeZone ?? 'Asia/Hong_Kong';
  const uploadDir = deps.uploadDir ?? join(tmpdir(), 'rapport-uploads');
  const active = new Map<number, Promise<unknown>>();
  let stopping = false;
  const query = <R>(sqlText: string, params: unknown[]): Promise<R[]> =>
    database.rawTransaction((raw) => raw.query<R>(sqlText, params));

  /** The entity's defined custom fields, for guessing `custom.<key>` columns from headers (none: no lookup). */
  async function customFieldLabels(entity: ImportEntity): Promise<CustomFieldLabel[]> {
    if (entity !== 'accounts' && entity !== 'contacts') return [];
    const definitions = await database.rawTransaction((raw) => customFieldDefinitions(raw, entity));
    return definitions.map((d) => ({ key: d.key, labelEn: d.label_en, labelZh: d.label_zh }));
  }

  interface Prepared {
    input: RunImportInput;
    fileName: string;
    fileSize: number;
    fileHash: string;
    source: RecordSource;
    mapping: Mapping;
    plan: ColumnPlan;
    resume: ImportRecord | null;
  }

  async function prepare(input: RunImportInput): Promise<Prepared | { done: ImportRecord }> {
    const fileName = input.fileName ?? basename(input.filePath);
    let size: number;
    try {
      size = (await stat(input.filePath)).size;
    } catch {
      throw new AppError('not_found', `The file ${input.filePath} does not exist.`);
    }
    const fileHash = await hashFile(input.filePath);
    let resume: ImportRecord | null = null;
    if (input.resumeId) {
      resume = await database.rawTransaction((raw) => findImport(raw, input.resumeId!));
      if (!resume) throw new AppError('not_found', `Import ${input.resumeId} does not exist.`);
      if (resume.file_hash !== fileHash || resume.entity !== input.entity) {
        throw new AppError(
          'conflict',
          `Import ${resume.id} read another file or entity (${resume.entity}, ${resume.file_name}); give the same file and --entity.`,
        );
      }
      if (resume.status === 'completed') return { done: resume };
    } else if (!input.dryRun) {
      resume = await database.rawTransaction((raw) =>
        findUnfinishedImport(raw, fileHash, input.entity, input.startedBy ?? null),
      );
    }
    if (resume && active.has(Number(resume.id))) throw new AppError('conflict', `Import ${resume.id} is running.`);
    const stored = resume ? mappingSchema.parse(resume.mapping) : null;
    const options = stored ?? mappingSchema.safeParse(input.mapping ?? { columns: {} }).data;
    const source = await openSource(input.filePath, fileName, {
      encoding: options?.encoding,
      delimiter: options?.delimiter,
      sheet: options?.sheet,
    });
    try {
      const labels = stored ? [] : await customFieldLabels(input.entity);
      let mapping = stored ?? resolveMapping(input.entity, source.headers, input.mapping, labels);
      if (resume && !input.resumeId && input.mapping) {
        // Same file, other mapping: that is a new import, not the old one resumed.
        const wanted = resolveMapping(
          input.entity,
          source.headers,
          input.mapping,
          await customFieldLabels(input.entity),
        );
        if (JSON.stringify(wanted) !== JSON.stringify(stored)) {
          resume = null;
          mapping = wanted;
        }
      }
      assertUsable(input.entity, source.headers, mapping);
      return {
        input,
        fileName,
        fileSize: size,
        fileHash,
        source,
        mapping,
        plan: planColumns(input.entity, source.headers, mapping),
        resume,
      };
    } catch (error) {
      source.close();
      throw error;
    }
  }

  /** Streams the records, validates, and commits batch after batch with the checkpoint. */
  async function execute(prepared: Prepared, record: ImportRecord, outer: RawSql | null): Promise<void> {
    const { input, plan, source } = prepared;
    const importId = Number(record.id);
    const batchSize = input.batchSize ?? deps.batchSize ?? DEFAULT_BATCH;
    const handler = await (outer
      ? createHandler(outer, handlerContext(prepared))
      : database.rawTransaction((raw) => createHandler(raw, handlerContext(prepared))));
    const checkpoint = Number(record.checkpoint);
    const commit = async (batch: Batch): Promise<void> => {
      dropDuplicates(handler, plan, batch);
      const work = async (raw: RawSql) => {
        const result = await handler.write(raw, batch.valid);
        const problems = [...batch.problems, ...result.problems].sort((a, b) => a.row - b.row);
        const dbRejected = new Set(result.problems.map((p) => p.row)).size;
        const counts = {
          inserted: result.inserted,
          updated: result.updated,
          unchanged: batch.valid.length - dbRejected - result.inserted - result.updated,
          rejected: new Set(problems.map((p) => p.row)).size,
        };
        await insertImportErrors(raw, importId, problems);
        // Moves the checkpoint only from where this batch started: a second process continuing the same import
        // finds it moved (or waits on the row lock, then finds it moved) and rolls its batch back.
        if (
          !(await advanceImport(
            raw,
            importId,
            batch.start,
            batch.end,
            batch.bytes,
            counts,
            database.kind === 'postgres',
          ))
        ) {
          throw new AppError('conflict', `Import ${importId} was continued by another process.`);
        }
      };
      if (outer) await work(outer);
      else await database.rawTransaction(work);
      input.onProgress?.({
        importId: outer ? null : importId,
        rowsDone: batch.end,
        bytesDone: batch.bytes,
        fileSize: prepared.fileSize,
      });
    };
    const newBatch = (start: number): Batch => ({ start, end: start, bytes: 0, valid: [], problems: [] });
    let dataIndex = 0;
    let batch = newBatch(checkpoint);
    let inflight: Promise<void> | null = null;
    try {
      for await (const chunk of source.records) {
        for (const { row, cells } of chunk) {
          dataIndex += 1;
          if (dataIndex <= checkpoint) continue;
          batch.end = dataIndex;
          if (!(cells.length === 0 || cells.every((cell) => cell.trim() === '')))
            validateRecord(plan, handler, row, cells, batch);
          if (dataIndex - batch.start >= batchSize) {
            if (stopping)
              throw new AppError(
                'database_unavailable',
                'The server is stopping; upload the same file again to resume this import.',
              );
            const ready = batch;
            ready.bytes = source.bytesRead();
            batch = newBatch(dataIndex);
            // One batch in the database while the next is parsed: PostgreSQL and Node work side by side.
            if (inflight) await inflight;
            inflight = commit(ready);
            inflight.catch(() => undefined);
          }
        }
        // Let the database's replies in between chunks, so the batch in flight never waits for the parser.
        if (inflight) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (inflight) await inflight;
      inflight = null;
      batch.bytes = prepared.fileSize;
      if (batch.end > batch.start) await commit(batch);
      else
        input.onProgress?.({
          importId,
          rowsDone: batch.end,
          bytesDone: prepared.fileSize,
          fileSize: prepared.fileSize,
        });
    } finally {
      if (inflight) await inflight.catch(() => undefined);
      source.close();
    }
  }

  function handlerContext(prepared: Prepared) {
    return {
      entity: prepared.input.entity,
      mapping: prepared.mapping,
      timeZone: prepared.mapping.timeZone ?? timeZone,
      headerOf: prepared.plan.headerOf,
      present: prepared.plan.present,
      openColumns: prepared.plan.open.map((o) => o.key),
    };
  }

  async function begin(prepared: Prepared, raw: RawSql | null): Promise<ImportRecord> {
    if (prepared.resume) return prepared.resume;
    const values = {
      entity: prepared.input.entity,
      fileName: prepared.fileName,
      fileHash: prepared.fileHash,
      fileSize: prepared.fileSize,
      format: prepared.source.format,
      mapping: prepared.mapping,
      createdBy: prepared.input.startedBy ?? null,
    };
    return raw ? createImport(raw, values) : database.rawTransaction((tx) => createImport(tx, values));
  }

  async function complete(prepared: Prepared, importId: number): Promise<ImportSummary> {
    const record = (await database.rawTransaction((raw) => findImport(raw, importId)))!;
    let errorsFile: string | null = null;
    const path = errorsPathFor(prepared.input, importId);
    if (path && Number(record.rejected) > 0) {
      await writeText(path, errorCsv(pageImportErrors(query, importId)));
      errorsFile = path;
    }
    await database.rawTransaction((raw) =>
      finishImport(raw, importId, { status: 'completed', errorsFile, bytesDone: prepared.fileSize }),
    );
    const finished = (await database.rawTransaction((raw) => findImport(raw, importId)))!;
    return toSummary(finished, { resumed: prepared.resume !== null });
  }

  async function fail(importId: number, error: unknown): Promise<void> {
    const message =
      error instanceof AppError ? error.message : `Unexpected failure: ${(error as Error).message ?? String(error)}`;
    await database
      .rawTransaction((raw) => finishImport(raw, importId, { status: 'failed', failure: message }))
      .catch(() => undefined);
  }

  async function dryRun(prepared: Prepared): Promise<ImportSummary> {
    try {
      await database.rawTransaction(async (raw) => {
        const record = await begin(prepared, raw);
        await execute(prepared, record, raw);
        const done = (await findImport(raw, Number(record.id)))!;
        let errorsFile: string | null = null;
        const path = errorsPathFor(prepared.input, null);
        if (path && Number(done.rejected) > 0) {
          await writeText(path, errorCsv(pageImportErrors((s, p) => raw.query(s, p), Number(record.id))));
          errorsFile = path;
        }
        throw new DryRunRollback(
          toSummary(
            { ...done, status: 'completed', errors_file: errorsFile, finished_at: deps.clock.now() },
            { dryRun: true },
          ),
        );
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.summary;
      throw error;
    }
    throw new AppError('internal', 'dry run did not finish');
  }

  /** Accounts are filtered by the account list's filter, typed against the custom field definitions. */
  const exportSource = async (request: ExportRequest): Promise<ExportSource> =>
    request.entity === 'accounts'
      ? { entity: 'accounts', filter: await prepareAccountFilter(database.db, request.filter) }
      : request;

  const service: ImportService = {
    async runImport(input) {
      const prepared = await prepare(input);
      if ('done' in prepared) return toSummary(prepared.done);
      if (input.dryRun) return dryRun(prepared);
      const record = await begin(prepared, null);
      const id = Number(record.id);
      const run = (async () => {
        try {
          await execute(prepared, record, null);
          return await complete(prepared, id);
        } catch (error) {
          await fail(id, error);
          throw error;
        }
      })();
      active.set(id, run);
      try {
        return await run;
      } finally {
        active.delete(id);
      }
    },

    async startImport(input) {
      const prepared = await prepare({ ...input, dryRun: false, errorsFile: null });
      if ('done' in prepared) return toSummary(prepared.done);
      const record = await begin(prepared, null);
      const id = Number(record.id);
      const run = (async () => {
        try {
          await execute(prepared, record, null);
          await complete(prepared, id);
        } catch (error) {
          await fail(id, error);
        } finally {
          active.delete(id);
          if (input.removeFileAfter) await rm(input.filePath, { force: true });
        }
      })();
      active.set(id, run);
      return toSummary(record, { resumed: prepared.resume !== null });
    },

    async getImport(actor, id) {
      const record = await findImportInScope(database.db, id, importsReadScope(actor));
      if (!record) throw new AppError('not_found', `Import ${id} does not exist.`);
      return toSummary(record);
    },

    async listImports(actor, limit = 100) {
      return (await listImports(database.db, importsReadScope(actor), limit)).map((record) => toSummary(record));
    },

    async errorReport(actor, id) {
      await service.getImport(actor, id);
      return errorCsv(pageImportErrors(query, id));
    },

    async preview({ filePath, fileName, entity, mapping: input, rows = 20 }) {
      const name = fileName ?? basename(filePath);
      const options = mappingSchema.safeParse(input ?? { columns: {} }).data;
      const source = await openSource(filePath, name, {
        encoding: options?.encoding,
        delimiter: options?.delimiter,
        sheet: options?.sheet,
      });
      try {
        const mapping = resolveMapping(entity, source.headers, input, await customFieldLabels(entity));
        const check = checkMapping(entity, source.headers, mapping.columns);
        const plan = planColumns(entity, source.headers, mapping);
        const warnings: string[] = [];
        if (check.unmappedHeaders.length > 0)
          warnings.push(`Not imported (no matching column): ${check.unmappedHeaders.join(', ')}`);
        if (check.unknownTargets.length > 0)
          warnings.push(`Unknown target columns: ${check.unknownTargets.join(', ')}`);
        const preview: Preview = {
          format: source.format,
          encoding: source.encoding,
          delimiter: source.delimiter,
          headers: source.headers,
          mapping,
          missingRequired: check.missingRequired,
          unmappedHeaders: check.unmappedHeaders,
          dateOrder: null,
          rows: [],
          problems: [],
          warnings,
        };
        let handler: EntityHandler<unknown> | null = null;
        if (check.missingRequired.length === 0 && check.unknownTargets.length === 0) {
          try {
            handler = await database.rawTransaction((raw) =>
              createHandler(raw, {
                entity,
                mapping,
                timeZone: mapping.timeZone ?? timeZone,
                headerOf: plan.headerOf,
                present: plan.present,
                openColumns: plan.open.map((o) => o.key),
              }),
            );
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
            warnings.push(error.message);
          }
        }
        const dateHeader = plan.canonical.find((c) => c.target === 'occurred_at');
        const dateSamples: string[] = [];
        const batch: Batch = { start: 0, end: 0, bytes: 0, valid: [], problems: [] };
        let scanned = 0;
        scan: for await (const chunk of source.records) {
          for (const { row, cells } of chunk) {
            scanned += 1;
            if (dateHeader && cells[dateHeader.index]) dateSamples.push(cells[dateHeader.index]!);
            if (preview.rows.length < rows && cells.some((cell) => cell.trim() !== '')) {
              const values: Record<string, string> = {};
              source.headers.forEach((header, i) => (values[header] = cells[i] ?? ''));
              preview.rows.push({ row, values });
              if (handler) validateRecord(plan, handler, row, cells, batch);
            }
            if (scanned >= Math.max(rows, 500)) break scan;
          }
        }
        preview.problems = batch.problems;
        if (dateHeader) {
          const order = detectDateOrder(dateSamples);
          if (order !== 'not-slashed') {
            preview.dateOrder = order;
            if (order === 'ambiguous')
              warnings.push(
                `Dates like ${dateSamples[0] ?? ''} could be day-first or month-first: they are read as ${mapping.dateFormat}; set dateFormat in the mapping if that is wrong.`,
              );
            if (order === 'conflicting') warnings.push('The date column mixes day-first and month-first values.');
            if ((order === 'DMY' || order === 'MDY') && order !== mapping.dateFormat) {
              warnings.push(
                `The dates look ${order === 'MDY' ? 'month-first' : 'day-first'} but the mapping reads them as ${mapping.dateFormat}: set dateFormat to ${order}.`,
              );
            }
          }
        }
        return preview;
      } finally {
        source.close();
      }
    },

    async listMappings() {
      return (await listMappings(database.db)).map(toSavedMapping);
    },
    async getMapping(id) {
      const row = await findMapping(database.db, id);
      if (!row) throw new AppError('not_found', `Mapping ${id} does not exist.`);
      return toSavedMapping(row);
    },
    async createMapping(input) {
      if (await mappingNameTaken(database.db, input.name, null))
        throw new AppError('conflict', `A mapping named ${input.name} exists already.`);
      return toSavedMapping(await insertMapping(database.db, input));
    },
    async updateMapping(id, input) {
      if (await mappingNameTaken(database.db, input.name, id))
        throw new AppError('conflict', `A mapping named ${input.name} exists already.`);
      const row = await updateMapping(database.db, id, input);
      if (!row) throw new AppError('not_found', `Mapping ${id} does not exist.`);
      return toSavedMapping(row);
    },
    async deleteMapping(id) {
      if (!(await deleteMapping(database.db, id))) throw new AppError('not_found', `Mapping ${id} does not exist.`);
    },

    async exportTo(request, format, out, access = { scope: { kind: 'all' }, hiddenColumns: new Set() }) {
      const source = await exportSource(request);
      const entity = source.entity;
      const columns = exportColumns[entity];
      const hidden = columns.map((column) => access.hiddenColumns.has(column.name));
      const rows = (async function* () {
        for await (const cells of exportRows(database.db, source, access.scope, 5000, access.hiddenColumns)) {
          yield hidden.some(Boolean) ? cells.map((cell, i) => (hidden[i] ? null : cell)) : cells;
        }
      })();
      let count = 0;
      if (format === 'csv') {
        const write = async (text: string) => {
          if (!out.write(text)) await once(out, 'drain');
        };
        await write(`\uFEFF${csvLine(columns.map((c) => c.name))}`);
        let chunk = '';
        for await (const cells of rows) {
          count += 1;
          chunk += csvLine(cells.map((cell, i) => exportCell(cell, columns[i]?.numeric ?? false)));
          if (chunk.length > 64 * 1024) {
            await write(chunk);
            chunk = '';
          }
        }
        if (chunk) await write(chunk);
        out.end();
        return count;
      }
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
        stream: out,
        useSharedStrings: false,
        useStyles: false,
      });
      const sheet = workbook.addWorksheet(entity);
      sheet.addRow(columns.map((c) => c.name)).commit();
      for await (const cells of rows) {
        count += 1;
        sheet.addRow(cells.map((cell, i) => xlsxCell(cell as ExportValue, columns[i]?.numeric ?? false))).commit();
      }
      sheet.commit();
      await workbook.commit();
      return count;
    },

    async startExport(request, format, out, access) {
      await exportSource(request); // checked here, so that a bad filter answers before the first byte
      return { done: service.exportTo(request, format, out, access) };
    },

    uploadPath() {
      mkdirSync(uploadDir, { recursive: true });
      return join(uploadDir, randomUUID());
    },

    async idle() {
      await Promise.allSettled([...active.values()]);
    },

    async stop() {
      stopping = true;
      await Promise.allSettled([...active.values()]);
    },
  };
  return service;
}

/** A CSV cell: decimal strings of numeric columns stay as they are (a negative amount is not a formula). */
function exportCell(value: unknown, numeric: boolean): ExportValue {
  if (numeric && typeof value === 'string' && value.startsWith('-') && /^-\d+(\.\d+)?$/.test(value))
    return Number(value);
  return value as ExportValue;
}

function toSavedMapping(row: {
  id: number;
  name: string;
  entity: ImportEntity;
  mapping: unknown;
  created_at: Date;
  updated_at: Date;
}): SavedMapping {
  const mapping = typeof row.mapping === 'string' ? (JSON.parse(row.mapping) as unknown) : row.mapping;
  return {
    id: Number(row.id),
    name: row.name,
    entity: row.entity,
    mapping: mappingSchema.parse(mapping),
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
