import { describe, expect, it } from 'vitest';
import { entityColumns, type Preview } from '../../../features/imports/import.schema.js';
import { importEntities, packAttributes, wizardColumns } from './imports.columns.js';
import { industryPacks } from '../../../features/imports/packs.schema.js';
import {
  acceptedRows,
  applySavedMapping,
  cellProblems,
  checkMappingState,
  indexProblems,
  mappingFromPreview,
  progressOf,
  rowProblems,
  sampleValues,
  setTarget,
  toMappingInput,
} from './imports.wizard.js';

const preview: Preview = {
  format: 'csv',
  encoding: 'utf-8',
  delimiter: ',',
  headers: ['Job No', '客戶編號', 'Inv Date', 'Net HKD', 'TEU', 'Remarks'],
  mapping: {
    columns: {
      'Job No': 'transaction_id',
      客戶編號: 'account_code',
      'Inv Date': 'occurred_at',
      'Net HKD': 'amount',
      TEU: null,
      Remarks: null,
    },
    dateFormat: 'DMY',
    encoding: 'auto',
    defaults: {},
  },
  missingRequired: [],
  unmappedHeaders: ['TEU', 'Remarks'],
  dateOrder: 'DMY',
  rows: [
    {
      row: 2,
      values: {
        'Job No': 'J-1',
        客戶編號: 'FF-0001',
        'Inv Date': '31/12/2025',
        'Net HKD': '1,200.00',
        TEU: '2',
        Remarks: '',
      },
    },
    {
      row: 3,
      values: {
        'Job No': 'J-2',
        客戶編號: 'FF-0002',
        'Inv Date': '31/02/2026',
        'Net HKD': 'abc',
        TEU: '',
        Remarks: 'rush',
      },
    },
    {
      row: 4,
      values: { 'Job No': 'J-3', 客戶編號: '', 'Inv Date': '01/03/2026', 'Net HKD': '50', TEU: '1', Remarks: '' },
    },
  ],
  problems: [
    { row: 3, column: 'Inv Date', value: '31/02/2026', message: 'occurred_at day 31 does not exist in 2026-02' },
    { row: 3, column: 'Net HKD', value: 'abc', message: 'amount "abc" is not a number' },
    { row: 4, column: '客戶編號', value: '', message: 'account_code is required' },
    { row: 4, column: null, value: null, message: 'duplicate of row 9' },
  ],
  warnings: [],
};

describe('the wizard’s column list', () => {
  it('is the server’s canonical columns, in order, with the same required ones', () => {
    for (const entity of importEntities) {
      expect(wizardColumns[entity]).toEqual(entityColumns[entity].map(({ name, required }) => ({ name, required })));
    }
  });

  it('offers every industry-pack attribute the server checks', () => {
    for (const [industry, pack] of Object.entries(industryPacks)) {
      expect(packAttributes[industry as keyof typeof packAttributes]).toEqual(Object.keys(pack));
    }
  });
});

describe('mapping state', () => {
  it('starts from the guessed mapping, with every header present', () => {
    const state = mappingFromPreview('transactions', preview);
    expect(state.headers).toEqual(preview.headers);
    expect(state.columns['客戶編號']).toBe('account_code');
    expect(state.columns.TEU).toBeNull();
    expect(checkMappingState(state)).toEqual({ missing: [], skipped: ['TEU', 'Remarks'], mapped: 4, ready: true });
  });

  it('gives each column to one header: mapping a taken column takes it from the other header', () => {
    let state = mappingFromPreview('transactions', preview);
    state = setTarget(state, 'TEU', 'quantity');
    expect(state.columns.TEU).toBe('quantity');
    state = setTarget(state, 'Remarks', 'transaction_id');
    expect(state.columns.Remarks).toBe('transaction_id');
    expect(state.columns['Job No']).toBeNull();
    expect(checkMappingState(state)).toMatchObject({ missing: [], ready: true });
    state = setTarget(state, 'Remarks', null);
    expect(checkMappingState(state)).toMatchObject({ missing: ['transaction_id'], ready: false });
    // An unknown header changes nothing.
    expect(setTarget(state, 'Nope', 'amount')).toBe(state);
  });

  it('asks contacts for a name, an email or a phone', () => {
    const state = mappingFromPreview('contacts', {
      ...preview,
      headers: ['Code', 'Title'],
      mapping: { ...preview.mapping, columns: { Code: 'account_code', Title: 'title' } },
    });
    expect(checkMappingState(state).missing).toEqual(['name|email|phone']);
    expect(checkMappingState(setTarget(state, 'Title', 'email')).ready).toBe(true);
  });

  it('accepts open columns (attributes.<key>) as mapped', () => {
    const state = setTarget(mappingFromPreview('transactions', preview), 'TEU', 'attributes.teu');
    expect(checkMappingState(state).mapped).toBe(5);
  });

  it('sends the columns, the date order and the defaults', () => {
    let state = mappingFromPreview('transactions', preview);
    state = { ...setTarget(state, 'TEU', 'quantity'), dateFormat: 'MDY', defaults: { currency: 'USD' } };
    expect(toMappingInput(state)).toEqual({
      columns: {
        'Job No': 'transaction_id',
        客戶編號: 'account_code',
        'Inv Date': 'occurred_at',
        'Net HKD': 'amount',
        TEU: 'quantity',
        Remarks: null,
      },
      dateFormat: 'MDY',
      defaults: { currency: 'USD' },
      encoding: 'auto',
    });
  });

  it('applies a saved mapping to the headers it names and keeps the guesses it does not contradict', () => {
    const state = applySavedMapping(mappingFromPreview('transactions', preview), {
      columns: { TEU: 'quantity', Remarks: 'transaction_id', 'Other file only': 'unit' },
      dateFormat: 'MDY',
      defaults: { currency: 'USD' },
    });
    expect(state.columns).toEqual({
      'Job No': null, // its guess (transaction_id) went to Remarks
      客戶編號: 'account_code',
      'Inv Date': 'occurred_at',
      'Net HKD': 'amount',
      TEU: 'quantity',
      Remarks: 'transaction_id',
    });
    expect(state.dateFormat).toBe('MDY');
    expect(state.defaults).toEqual({ currency: 'USD' });
  });

  it('shows a few sample values per column, skipping empty cells', () => {
    expect(sampleValues(preview, 'Remarks')).toEqual(['rush']);
    expect(sampleValues(preview, '客戶編號', 5)).toEqual(['FF-0001', 'FF-0002']);
    expect(sampleValues(preview, 'Missing')).toEqual([]);
  });
});

describe('problem highlighting', () => {
  const index = indexProblems(preview.problems, preview.headers);

  it('puts each problem on its cell, and whole-row problems on the row', () => {
    expect(cellProblems(index, 3, 'Inv Date').map((problem) => problem.message)).toEqual([
      'occurred_at day 31 does not exist in 2026-02',
    ]);
    expect(cellProblems(index, 3, 'Net HKD')).toHaveLength(1);
    expect(cellProblems(index, 3, 'Job No')).toEqual([]);
    expect(cellProblems(index, 2, 'Inv Date')).toEqual([]);
    expect(cellProblems(index, 4, '客戶編號')).toHaveLength(1);
    expect(rowProblems(index, 4).map((problem) => problem.message)).toEqual(['duplicate of row 9']);
    expect([...index.badRows].sort()).toEqual([3, 4]);
  });

  it('treats a problem naming a column the file lacks as a row problem', () => {
    const other = indexProblems([{ row: 2, column: 'currency', value: null, message: 'x' }], preview.headers);
    expect(rowProblems(other, 2)).toHaveLength(1);
    expect(other.byCell.size).toBe(0);
  });
});

describe('progress', () => {
  it('follows the bytes read, never shows 100 before the end, and counts the accepted rows', () => {
    expect(progressOf({ status: 'running', bytesDone: 0, fileSize: 0 })).toBe(0);
    expect(progressOf({ status: 'running', bytesDone: 512, fileSize: 2048 })).toBe(25);
    expect(progressOf({ status: 'running', bytesDone: 2048, fileSize: 2048 })).toBe(99);
    expect(progressOf({ status: 'completed', bytesDone: 10, fileSize: 2048 })).toBe(100);
    expect(progressOf({ status: 'failed', bytesDone: 10, fileSize: 2048 })).toBe(100);
    expect(acceptedRows({ inserted: 3, updated: 2, unchanged: 5 })).toBe(10);
  });
});
