import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/app.js';
import { buildApp } from './app.js';

describe('server', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(() => t.close());

  it('reports health with the database kind, version and migrations', async () => {
    const response = await t.inject({ url: '/api/health' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      status: string;
      database: string;
      migrations: { pending: number; applied: number };
    }>();
    expect(body).toMatchObject({ status: 'ok', database: 'pglite', version: '0.1.0' });
    expect(body.migrations.pending).toBe(0);
    expect(body.migrations.applied).toBeGreaterThan(0);
  });

  it('publishes an OpenAPI 3.1 document covering every API route', async () => {
    const response = await t.inject({ url: '/api/openapi.json' });
    const document = response.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/accounts', '/api/accounts/{id}']),
    );
    const docs = await t.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('answers unknown API paths with the JSON error body', async () => {
    const response = await t.inject({ url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'not_found', message: 'No route GET /api/nothing-here' });
  });
});

describe('server with a failed database', () => {
  it('answers 500 or 503 with the catalogue body, never a stack trace or SQL', async () => {
    const t = await createTestApp('pglite');
    try {
      await t.database.rawTransaction((raw) => raw.exec('drop table accounts cascade'));
      const list = await t.inject({ url: '/api/accounts?q=x' });
      expect(list.statusCode).toBe(500);
      expect(list.json()).toEqual({ code: 'internal', message: 'An unexpected error occurred. It has been logged.' });
      await t.database.rawTransaction((raw) => raw.exec('drop table rapport_migrations'));
      await t.database.rawTransaction((raw) => raw.exec('create table rapport_migrations (broken int)'));
      const health = await t.inject({ url: '/api/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ code: 'database_unavailable' });
    } finally {
      await t.close();
    }
  });
});

describe('server with a web build', () => {
  it('serves files, falls back to index.html for app routes and keeps JSON 404s under /api', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'rapport-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Rapport</title>');
    writeFileSync(join(dist, 'app.js'), 'console.log(1)');
    const t = await createTestApp('pglite');
    const app = await buildApp(t.context, { logLevel: 'silent', webDistDir: dist });
    try {
      expect((await app.inject({ url: '/app.js' })).body).toBe('console.log(1)');
      const deep = await app.inject({ url: '/customers/42?tab=x' });
      expect(deep.statusCode).toBe(200);
      expect(deep.body).toContain('<title>Rapport</title>');
      const api = await app.inject({ url: '/api/unknown' });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toMatchObject({ code: 'not_found' });
    } finally {
      await app.close();
      await t.close();
    }
  });
});
