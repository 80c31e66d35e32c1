import { errorCatalogue, type ErrorCode } from '../shared/errors.js';

/**
 * The web app's one way to the API: typed GETs and writes (with the session's CSRF token), query strings built from plain values, and every
 * failure turned into an ApiError {code, message} — the server's own body when it sent one.
 * Two codes exist only on this side: the server could not be reached, or its answer was not JSON.
 */
export type ApiErrorCode = ErrorCode | 'network_error' | 'bad_response';

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  details?: unknown;
}

export class ApiError extends Error implements ApiErrorBody {
  readonly code: ApiErrorCode;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;
  readonly details: unknown;

  constructor(body: ApiErrorBody, status: number) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.status = status;
    this.details = body.details;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

const isErrorCode = (value: unknown): value is ErrorCode =>
  typeof value === 'string' && Object.hasOwn(errorCatalogue, value);

/** The code the catalogue gives an HTTP status, for error responses that carry no body of ours (proxies, 502s). */
function codeForStatus(status: number): ErrorCode {
  if (status === 404) return 'not_found';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'database_unavailable';
  if (status >= 400 && status < 500) return 'bad_request';
  return 'internal';
}

/** Reads an error response's text into {code, message}: the API's body if it is one, else a code from the status. */
export function parseErrorBody(status: number, statusText: string, text: string): ApiErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  const fields = isObject ? (parsed as Record<string, unknown>) : {};
  const code = isErrorCode(fields.code) ? fields.code : codeForStatus(status);
  if (typeof fields.message === 'string' && fields.message.length > 0) {
    const body: ApiErrorBody = { code, message: fields.message };
    if (fields.details !== undefined) body.details = fields.details;
    return body;
  }
  // No message of ours: the status text, or a short plain-text body (never JSON or an HTML page).
  const plain = text.trim();
  const usablePlain = parsed === undefined && plain.length > 0 && plain.length <= 200 && !plain.startsWith('<');
  const reason = statusText || (usablePlain ? plain : '');
  return { code, message: reason ? `HTTP ${status}: ${reason}` : `HTTP ${status}` };
}

export type QueryValue = string | number | boolean | null | undefined;

/** "?a=1&b=x" from the values that are set; empty strings, null and undefined are left out. */
export function toQueryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export async function apiGet<T>(
  path: string,
  params: Record<string, QueryValue> = {},
  options: RequestOptions = {},
): Promise<T> {
  return request<T>('GET', `${path}${toQueryString(params)}`, undefined, options);
}

/**
 * The session's CSRF token (from sign-in or /api/auth/me). Every change the web app sends carries it as the
 * X-CSRF-Token header: the API refuses cookie-authenticated writes without it.
 */
let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};
export const currentCsrfToken = (): string | null => csrfToken;

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A change (POST, PUT, PATCH, DELETE) with a JSON body, the CSRF header, and the same errors as apiGet. 204 → undefined. */
export function apiSend<T>(
  method: WriteMethod,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  return request<T>(method, path, body, options);
}

async function request<T>(
  method: 'GET' | WriteMethod,
  url: string,
  body: unknown,
  options: RequestOptions,
): Promise<T> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await doFetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ code: 'network_error', message: 'The server cannot be reached.' }, 0);
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError(parseErrorBody(response.status, response.statusText, text), response.status);
  if (response.status === 204 || text === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(
      { code: 'bad_response', message: `HTTP ${response.status}: the response is not JSON.` },
      response.status,
    );
  }
}
