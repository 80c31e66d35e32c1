import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api.js';
import { latestRunQuery, runAnalysis } from './analytics.queries.js';

/** A fake fetch answering one status and body, recording the calls. */
function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (input: string, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const run = { id: 7, kind: 'rfm', asOf: '2026-11-24', status: 'completed', parameters: {}, results: {} };

describe('analytics API calls', () => {
  it('runs an analysis with a POST of the request', async () => {
    const { fetch, calls } = fakeFetch(201, run);
    await expect(runAnalysis({ kind: 'rfm', parameters: { unit: 'day' } }, { fetch })).resolves.toEqual(run);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/api/analytics/runs');
    expect(calls[0]?.init.method).toBe('POST');
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({ kind: 'rfm', parameters: { unit: 'day' } });
  });

  it("turns the API's error body into an ApiError", async () => {
    const { fetch } = fakeFetch(400, { code: 'validation_failed', message: 'a must be below b' });
    const error = await runAnalysis({ kind: 'abc' }, { fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'validation_failed', message: 'a must be below b', status: 400 });
  });

  it('reads "no run of this kind yet" (404) as null, so the tab shows its empty state', async () => {
    const original = globalThis.fetch;
    globalThis.fetch = fakeFetch(404, { code: 'not_found', message: 'No completed rfm analysis yet.' }).fetch;
    try {
      const queryFn = latestRunQuery('rfm').queryFn as (context: { signal: AbortSignal }) => Promise<unknown>;
      await expect(queryFn({ signal: new AbortController().signal })).resolves.toBeNull();
    } finally {
      globalThis.fetch = original;
    }
  });
});
