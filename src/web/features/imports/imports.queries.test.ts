import { afterEach, describe, expect, it } from 'vitest';
import { setCsrfToken } from '../../api.js';
import { upload } from './imports.queries.js';

const file = new File(['Code,Name\r\nC1,Acme\r\n'], 'customers.csv', { type: 'text/csv' });

describe('upload', () => {
  afterEach(() => setCsrfToken(null));

  it('posts the entity, the mapping and the file as multipart with the session’s CSRF header', async () => {
    setCsrfToken('csrf-123');
    let seen: { url: string; init: RequestInit } | null = null;
    const fake = (async (url: string, init: RequestInit) => {
      seen = { url, init };
      return new Response(JSON.stringify({ importId: 7 }), { status: 202 });
    }) as unknown as typeof fetch;
    const result = await upload<{ importId: number }>(
      '/api/imports',
      { file, entity: 'accounts', mapping: { columns: { Code: 'account_code', Name: 'name' } } },
      fake,
    );
    expect(result).toEqual({ importId: 7 });
    const request = seen as unknown as { url: string; init: RequestInit };
    expect(request.url).toBe('/api/imports');
    expect(request.init.method).toBe('POST');
    expect(request.init.headers).toEqual({ accept: 'application/json', 'x-csrf-token': 'csrf-123' });
    const form = request.init.body as FormData;
    // Text fields come before the file, so the server has them when the file streams to disk.
    expect([...form.keys()]).toEqual(['entity', 'mapping', 'file']);
    expect(form.get('entity')).toBe('accounts');
    expect(JSON.parse(form.get('mapping') as string)).toEqual({ columns: { Code: 'account_code', Name: 'name' } });
    expect((form.get('file') as File).name).toBe('customers.csv');
  });

  it('reports the API’s error and a network failure like the rest of the client', async () => {
    const refused = (async () =>
      new Response(
        JSON.stringify({ code: 'validation_failed', message: 'The file is empty: no header row was found.' }),
        {
          status: 400,
        },
      )) as unknown as typeof fetch;
    await expect(upload('/api/imports/preview', { file, entity: 'contacts', rows: 20 }, refused)).rejects.toMatchObject(
      {
        code: 'validation_failed',
        status: 400,
        message: 'The file is empty: no header row was found.',
      },
    );
    const offline = (async () => {
      throw new TypeError('failed to fetch');
    }) as unknown as typeof fetch;
    await expect(upload('/api/imports', { file, entity: 'accounts' }, offline)).rejects.toMatchObject({
      code: 'network_error',
      status: 0,
    });
  });
});
