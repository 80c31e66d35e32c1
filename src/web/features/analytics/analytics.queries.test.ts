import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../api.js';
import { forgetCsrfToken, runAnalysis } from './analytics.queries.js';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fake fetch answering from a list of [status, body] per URL, recording every call. */
function fakeFetch(answers: Record<string, [number, unknown][]>) {
  const calls: Call[] = [];
  const fetch = (async (input: string, init: RequestInit = {}) => {
    const url = String(input);
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const queue = answers[url.split('?')[0] ?? url] ?? [];
    const [status, body] =
      queue.length > 1 ? queue.shift()! : (queue[0] ?? [404, { code: 'not_found', message: 'no' }]);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const run = { id: 7, kind: 'rfm', asOf: '2026-11-24', status: 'completed', parameters: {}, results: {} };

describe('runAnalysis (POST /api/analytics/runs)', () => {
  beforeEach(forgetCsrfToken);

  it('posts the request with the session’s CSRF token and returns the stored run', async () => {
    const { fetch, calls } = fakeFetch({
      '/api/auth/me': [[200, { csrfToken: 'token-1' }]],
      '/api/analytics/runs': [[201, run]],
    });
    await expect(runAnalysis({ kind: 'rfm', parameters: { unit: 'day' } }, fetch)).resolves.toEqual(run);
    const post = calls.find((call) => call.method === 'POST');
    expect(post).toMatchObject({
      url: '/api/analytics/runs',
      headers: { 'content-type': 'application/json', 'x-csrf-token': 'token-1' },
      body: { kind: 'rfm', parameters: { unit: 'day' } },
    });
  });

  it('retries once with a fresh token after a 403 (a stale session token)', async () => {
    const { fetch, calls } = fakeFetch({
      '/api/auth/me': [
        [200, { csrfToken: 'stale' }],
        [200, { csrfToken: 'fresh' }],
      ],
      '/api/analytics/runs': [
        [403, { code: 'forbidden', message: 'This change needs the X-CSRF-Token header of your session.' }],
        [201, run],
      ],
    });
    await expect(runAnalysis({ kind: 'rfm' }, fetch)).resolves.toEqual(run);
    const tokens = calls.filter((call) => call.method === 'POST').map((call) => call.headers['x-csrf-token']);
    expect(tokens).toEqual(['stale', 'fresh']);
  });

  it('sends no token when nobody is signed in, and turns the error body into an ApiError', async () => {
    const { fetch, calls } = fakeFetch({
      '/api/auth/me': [[401, { code: 'unauthenticated', message: 'Sign in first.' }]],
      '/api/analytics/runs': [[400, { code: 'validation_failed', message: 'a must be below b' }]],
    });
    const error = await runAnalysis({ kind: 'abc', parameters: { thresholds: { a: 0.9, b: 0.8 } } }, fetch).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'validation_failed', message: 'a must be below b', status: 400 });
    expect(calls.find((call) => call.method === 'POST')?.headers).not.toHaveProperty('x-csrf-token');
  });

  it('says the server cannot be reached when fetch fails', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    await expect(runAnalysis({ kind: 'rfm' }, fetch)).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });
});
