import { describe, expect, it } from 'vitest';
import { ApiError, apiGet, apiSend, parseErrorBody, setCsrfToken, toQueryString } from './api.js';

const jsonResponse = (status: number, body: unknown, statusText = '') =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    statusText,
    headers: { 'content-type': 'application/json' },
  });

describe('parseErrorBody', () => {
  it.each([
    {
      name: 'the API body, kept as sent',
      status: 400,
      text: JSON.stringify({
        code: 'validation_failed',
        message: 'Invalid query parameter limit: too big',
        details: { parameter: 'limit' },
      }),
      expected: {
        code: 'validation_failed',
        message: 'Invalid query parameter limit: too big',
        details: { parameter: 'limit' },
      },
    },
    {
      name: 'an API body without details',
      status: 404,
      text: JSON.stringify({ code: 'not_found', message: 'Account 9 does not exist.' }),
      expected: { code: 'not_found', message: 'Account 9 does not exist.' },
    },
    {
      name: 'a code outside the catalogue → the code for the status, message kept',
      status: 503,
      text: JSON.stringify({ code: 'EWEIRD', message: 'Service down' }),
      expected: { code: 'database_unavailable', message: 'Service down' },
    },
    {
      name: 'a proxy HTML page → code from the status, status text as message',
      status: 502,
      statusText: 'Bad Gateway',
      text: '<html><body>nginx</body></html>',
      expected: { code: 'internal', message: 'HTTP 502: Bad Gateway' },
    },
    {
      name: 'short plain text without a status text',
      status: 404,
      text: 'Not here',
      expected: { code: 'not_found', message: 'HTTP 404: Not here' },
    },
    { name: 'an empty body', status: 500, text: '', expected: { code: 'internal', message: 'HTTP 500' } },
    {
      name: 'an HTML page without a status text is not shown as the message',
      status: 500,
      text: '<!doctype html><title>oops</title>',
      expected: { code: 'internal', message: 'HTTP 500' },
    },
    {
      name: 'JSON without a message',
      status: 409,
      text: JSON.stringify({ code: 'conflict' }),
      expected: { code: 'conflict', message: 'HTTP 409' },
    },
  ])('$name', ({ status, statusText, text, expected }) => {
    expect(parseErrorBody(status, statusText ?? '', text)).toEqual(expected);
  });
});

describe('toQueryString', () => {
  it('leaves out unset values and encodes the rest', () => {
    expect(toQueryString({ q: 'Kwai Chung & Co', industry: undefined, cursor: null, empty: '', limit: 50 })).toBe(
      '?q=Kwai+Chung+%26+Co&limit=50',
    );
    expect(toQueryString({ q: '' })).toBe('');
  });
});

describe('apiGet', () => {
  it('returns the parsed JSON of a 2xx and sends the query string', async () => {
    let requested = '';
    const result = await apiGet<{ items: number[] }>(
      '/api/accounts',
      { q: '貨運', limit: 2 },
      {
        fetch: async (input) => {
          requested = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
          return jsonResponse(200, { items: [1, 2] });
        },
      },
    );
    expect(result).toEqual({ items: [1, 2] });
    expect(requested).toBe(`/api/accounts?q=${encodeURIComponent('貨運')}&limit=2`);
  });

  it('throws an ApiError carrying the API code, message and status', async () => {
    const failing = apiGet(
      '/api/accounts/9',
      {},
      {
        fetch: async () => jsonResponse(404, { code: 'not_found', message: 'Account 9 does not exist.' }),
      },
    );
    await expect(failing).rejects.toBeInstanceOf(ApiError);
    await expect(failing).rejects.toMatchObject({
      code: 'not_found',
      message: 'Account 9 does not exist.',
      status: 404,
    });
  });

  it('turns a failed connection into network_error with status 0', async () => {
    const failing = apiGet(
      '/api/health',
      {},
      {
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      },
    );
    await expect(failing).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });

  it('turns a 200 that is not JSON into bad_response', async () => {
    const failing = apiGet('/api/health', {}, { fetch: async () => new Response('<html></html>', { status: 200 }) });
    await expect(failing).rejects.toMatchObject({ code: 'bad_response', status: 200 });
  });

  it('lets an abort through as an abort, not as an API error', async () => {
    const failing = apiGet(
      '/api/health',
      {},
      {
        fetch: async () => {
          throw new DOMException('The operation was aborted.', 'AbortError');
        },
      },
    );
    await expect(failing).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('apiSend', () => {
  const recording = (status: number, body: unknown) => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, init });
      return status === 204 ? new Response(null, { status }) : jsonResponse(status, body);
    };
    return { calls, fetch };
  };

  it('sends JSON with the session’s CSRF token, and returns the parsed answer', async () => {
    setCsrfToken('csrf-1');
    const { calls, fetch } = recording(201, { id: 7 });
    expect(await apiSend('POST', '/api/teams', { name: 'Sea' }, { fetch })).toEqual({ id: 7 });
    expect(calls[0]!.init).toMatchObject({
      method: 'POST',
      body: '{"name":"Sea"}',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'csrf-1' },
    });
    setCsrfToken(null);
  });

  it('sends no CSRF header without a session, and reads 204 as undefined', async () => {
    setCsrfToken(null);
    const { calls, fetch } = recording(204, null);
    expect(await apiSend('DELETE', '/api/tokens/3', undefined, { fetch })).toBeUndefined();
    expect(calls[0]!.init?.headers).toEqual({ accept: 'application/json' });
  });

  it('throws the API error of a refused change', async () => {
    const { fetch } = recording(403, { code: 'forbidden', message: 'Your role (viewer) may not create teams.' });
    await expect(apiSend('POST', '/api/teams', { name: 'x' }, { fetch })).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
  });
});
