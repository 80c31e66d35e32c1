import { queryOptions } from '@tanstack/react-query';
import type {
  ImportEntity,
  ImportSummary,
  MappingInput,
  Preview,
  SavedMapping,
} from '../../../features/imports/import.schema.js';
import { ApiError, apiGet, apiSend, currentCsrfToken, parseErrorBody } from '../../api.js';
import { isRunning } from './imports.wizard.js';

/** TanStack Query definitions and calls of the import API: preview, start, progress, history, saved mappings. */
export const importKeys = {
  all: ['imports'] as const,
  history: ['imports', 'history'] as const,
  one: (id: number) => ['imports', 'one', id] as const,
  mappings: ['imports', 'mappings'] as const,
};

/** How often a running import is asked for its progress. */
export const pollMs = 700;

export const importHistoryQuery = () =>
  queryOptions({
    queryKey: importKeys.history,
    queryFn: ({ signal }) => apiGet<{ items: ImportSummary[] }>('/api/imports', { limit: 200 }, { signal }),
    staleTime: 0,
  });

/** One import; polled while it runs. */
export const importQuery = (id: number) =>
  queryOptions({
    queryKey: importKeys.one(id),
    queryFn: ({ signal }) => apiGet<ImportSummary>(`/api/imports/${id}`, {}, { signal }),
    refetchInterval: (query) => (query.state.data && !isRunning(query.state.data) ? false : pollMs),
    staleTime: 0,
  });

export const mappingsQuery = () =>
  queryOptions({
    queryKey: importKeys.mappings,
    queryFn: ({ signal }) => apiGet<{ items: SavedMapping[] }>('/api/import-mappings', {}, { signal }),
  });

/**
 * A multipart upload (the file, the entity, the mapping as JSON) with the session's CSRF header; errors as the
 * rest of the API client reports them.
 */
export async function upload<T>(
  path: string,
  fields: { file: File; entity: ImportEntity; mapping?: MappingInput | null; rows?: number },
  doFetch: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<T> {
  const form = new FormData();
  // Text fields first: the server reads the parts in order and the file streams to disk.
  form.set('entity', fields.entity);
  if (fields.mapping) form.set('mapping', JSON.stringify(fields.mapping));
  if (fields.rows !== undefined) form.set('rows', String(fields.rows));
  form.set('file', fields.file, fields.file.name);
  const token = currentCsrfToken();
  let response: Response;
  try {
    response = await doFetch(path, {
      method: 'POST',
      headers: { accept: 'application/json', ...(token ? { 'x-csrf-token': token } : {}) },
      body: form,
    });
  } catch {
    throw new ApiError({ code: 'network_error', message: 'The server cannot be reached.' }, 0);
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError(parseErrorBody(response.status, response.statusText, text), response.status);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(
      { code: 'bad_response', message: `HTTP ${response.status}: the response is not JSON.` },
      response.status,
    );
  }
}

export const previewRows = 20;

export const previewImport = (file: File, entity: ImportEntity, mapping: MappingInput | null) =>
  upload<Preview>('/api/imports/preview', { file, entity, mapping, rows: previewRows });

export const startImport = (file: File, entity: ImportEntity, mapping: MappingInput) =>
  upload<ImportSummary>('/api/imports', { file, entity, mapping });

export const saveMapping = (name: string, entity: ImportEntity, mapping: MappingInput, id?: number) =>
  id === undefined
    ? apiSend<SavedMapping>('POST', '/api/import-mappings', { name, entity, mapping })
    : apiSend<SavedMapping>('PUT', `/api/import-mappings/${id}`, { name, entity, mapping });

export const errorReportHref = (id: number): string => `/api/imports/${id}/errors`;
