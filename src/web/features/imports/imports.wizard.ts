import type {
  ImportEntity,
  ImportSummary,
  MappingInput,
  Preview,
  RowProblem,
} from '../../../features/imports/import.schema.js';
import { openPrefix, wizardColumns } from './imports.columns.js';

/**
 * The import wizard's logic, pure: the column mapping the user edits (one header per column), what it still
 * lacks, the mapping sent to the API, a saved mapping applied to a new file, the preview's problems per cell,
 * and the progress of a running import.
 */
export type DateFormat = 'DMY' | 'MDY';
export type Industry = 'freight' | 'automotive' | 'retail';

export interface MappingState {
  entity: ImportEntity;
  headers: string[];
  /** header → canonical column, or null (not imported). Every header has an entry. */
  columns: Record<string, string | null>;
  dateFormat: DateFormat;
  defaults: { industry?: Industry | undefined; currency?: string | undefined };
  /** Reading options the server found or the saved mapping named; sent back unchanged. */
  options: Pick<MappingInput, 'encoding' | 'delimiter' | 'sheet' | 'timeZone'>;
}

/** The state from a preview: its headers and the mapping the server guessed (or was given). */
export function mappingFromPreview(entity: ImportEntity, preview: Preview): MappingState {
  const columns: Record<string, string | null> = {};
  for (const header of preview.headers) columns[header] = preview.mapping.columns[header] ?? null;
  return {
    entity,
    headers: [...preview.headers],
    columns,
    dateFormat: preview.mapping.dateFormat,
    defaults: { ...preview.mapping.defaults },
    options: {
      encoding: preview.mapping.encoding,
      ...(preview.mapping.delimiter ? { delimiter: preview.mapping.delimiter } : {}),
      ...(preview.mapping.sheet ? { sheet: preview.mapping.sheet } : {}),
      ...(preview.mapping.timeZone ? { timeZone: preview.mapping.timeZone } : {}),
    },
  };
}

/** Maps a header to a column; a column already taken by another header is taken away from it (one header each). */
export function setTarget(state: MappingState, header: string, target: string | null): MappingState {
  if (!(header in state.columns)) return state;
  const columns: Record<string, string | null> = {};
  for (const [other, current] of Object.entries(state.columns)) {
    columns[other] = other === header ? target : target !== null && current === target ? null : current;
  }
  return { ...state, columns };
}

/**
 * A saved mapping applied to this file: each header the saved mapping names takes its column (or null); the
 * other headers keep the guess unless the saved mapping gave that column to another header. Options follow.
 */
export function applySavedMapping(state: MappingState, saved: MappingInput): MappingState {
  const named = Object.entries(saved.columns).filter(([header]) => header in state.columns);
  const taken = new Set(named.map(([, target]) => target).filter((target): target is string => target !== null));
  const columns: Record<string, string | null> = {};
  for (const header of state.headers) {
    if (Object.hasOwn(saved.columns, header)) columns[header] = saved.columns[header] ?? null;
    else {
      const guess = state.columns[header] ?? null;
      columns[header] = guess !== null && taken.has(guess) ? null : guess;
    }
  }
  return {
    ...state,
    columns,
    dateFormat: saved.dateFormat ?? state.dateFormat,
    defaults: { ...state.defaults, ...(saved.defaults ?? {}) },
    options: {
      ...state.options,
      ...(saved.encoding ? { encoding: saved.encoding } : {}),
      ...(saved.delimiter ? { delimiter: saved.delimiter } : {}),
      ...(saved.sheet ? { sheet: saved.sheet } : {}),
      ...(saved.timeZone ? { timeZone: saved.timeZone } : {}),
    },
  };
}

export interface MappingCheck {
  /** Required columns no header is mapped to ("name|email|phone": contacts need one of them). */
  missing: string[];
  /** Headers not imported. */
  skipped: string[];
  mapped: number;
  ready: boolean;
}

const isKnown = (entity: ImportEntity, target: string): boolean => {
  const prefix = openPrefix[entity];
  if (prefix && target.startsWith(prefix)) return /^[a-z][a-z0-9_]{0,62}$/.test(target.slice(prefix.length));
  return wizardColumns[entity].some((column) => column.name === target);
};

export function checkMappingState(state: MappingState): MappingCheck {
  const targets = new Set(
    Object.values(state.columns).filter((target): target is string => target !== null && isKnown(state.entity, target)),
  );
  const missing = wizardColumns[state.entity]
    .filter((column) => column.required && !targets.has(column.name))
    .map((column) => column.name);
  if (state.entity === 'contacts' && !['name', 'email', 'phone'].some((name) => targets.has(name))) {
    missing.push('name|email|phone');
  }
  const skipped = state.headers.filter((header) => (state.columns[header] ?? null) === null && header.trim() !== '');
  return { missing, skipped, mapped: targets.size, ready: missing.length === 0 };
}

/** The mapping as the API takes it (multipart field `mapping`, or a saved mapping's body). */
export function toMappingInput(state: MappingState): MappingInput {
  const defaults: MappingInput['defaults'] = {};
  if (state.defaults.industry) defaults.industry = state.defaults.industry;
  if (state.defaults.currency) defaults.currency = state.defaults.currency;
  return { columns: { ...state.columns }, dateFormat: state.dateFormat, defaults, ...state.options };
}

/** The first non-empty values of a column in the preview rows, to recognise it by. */
export function sampleValues(preview: Preview, header: string, count = 3): string[] {
  const values: string[] = [];
  for (const row of preview.rows) {
    const value = row.values[header]?.trim();
    if (value) values.push(value);
    if (values.length >= count) break;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------------------
// Problems of the preview, by cell.

export interface ProblemIndex {
  byCell: Map<string, RowProblem[]>;
  /** Problems of a whole row (no column, or a column the file does not have). */
  byRow: Map<number, RowProblem[]>;
  badRows: Set<number>;
}

const cellKey = (row: number, header: string): string => `${row}\u0000${header}`;

export function indexProblems(problems: readonly RowProblem[], headers: readonly string[]): ProblemIndex {
  const known = new Set(headers);
  const index: ProblemIndex = { byCell: new Map(), byRow: new Map(), badRows: new Set() };
  for (const problem of problems) {
    index.badRows.add(problem.row);
    if (problem.column !== null && known.has(problem.column)) {
      const key = cellKey(problem.row, problem.column);
      index.byCell.set(key, [...(index.byCell.get(key) ?? []), problem]);
    } else {
      index.byRow.set(problem.row, [...(index.byRow.get(problem.row) ?? []), problem]);
    }
  }
  return index;
}

export const cellProblems = (index: ProblemIndex, row: number, header: string): RowProblem[] =>
  index.byCell.get(cellKey(row, header)) ?? [];

export const rowProblems = (index: ProblemIndex, row: number): RowProblem[] => index.byRow.get(row) ?? [];

// ---------------------------------------------------------------------------------------------------------
// Running.

export const isRunning = (summary: Pick<ImportSummary, 'status'>): boolean => summary.status === 'running';

/** 0–100: bytes read of the file while running (never 100 before it finished), 100 when done. */
export function progressOf(summary: Pick<ImportSummary, 'status' | 'bytesDone' | 'fileSize'>): number {
  if (summary.status !== 'running') return 100;
  if (summary.fileSize <= 0) return 0;
  return Math.min(99, Math.floor((summary.bytesDone / summary.fileSize) * 100));
}

/** Rows accepted by the import (each one inserted, updated or unchanged). */
export const acceptedRows = (summary: Pick<ImportSummary, 'inserted' | 'updated' | 'unchanged'>): number =>
  summary.inserted + summary.updated + summary.unchanged;
