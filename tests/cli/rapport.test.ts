import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../src/config/env.js';
import { rapportBin, runRapport, tempDataDir } from './support.js';

describe('rapport CLI', () => {
  it('prints help for the program and for every command', async () => {
    const root = await runRapport(['--help']);
    expect(root.code).toBe(0);
    for (const command of ['serve', 'demo', 'db']) expect(root.stdout).toContain(command);
    for (const args of [
      ['serve', '--help'],
      ['demo', '--help'],
      ['db', 'migrate', '--help'],
      ['db', 'status', '--help'],
    ]) {
      const result = await runRapport(args);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: rapport');
    }
  });

  it('refuses an unknown flag with one clear line and a non-zero exit', async () => {
    const result = await runRapport(['db', 'status', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      "rapport: Unknown option '--bogus'. Run rapport --help for usage.",
    ]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects a bad flag value by name', async () => {
    const result = await runRapport(['demo', '--customers', 'many', '--data-dir', tempDataDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--customers');
  });

  it('migrates and reports status as JSON on the embedded database', async () => {
    const dataDir = tempDataDir();
    const migrate = await runRapport(['db', 'migrate', '--json', '--data-dir', dataDir]);
    expect(migrate.code).toBe(0);
    expect(JSON.parse(migrate.stdout)).toMatchObject({
      applied: expect.arrayContaining(['0001_create_core_tables.sql']),
    });
    const status = await runRapport(['db', 'status', '--json'], { RAPPORT_DATA_DIR: dataDir });
    const body = JSON.parse(status.stdout) as { database: string; migrations: { state: string }[] };
    expect(body.database).toBe('pglite');
    expect(body.migrations.every((migration) => migration.state === 'applied')).toBe(true);
  });

  it('generates demo data with --json counts, and refuses to generate twice', async () => {
    const dataDir = tempDataDir();
    const first = await runRapport([
      'demo',
      '--industry',
      'retail',
      '--customers',
      '200',
      '--seed',
      '7',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { industry: string; accounts: number; transactions: number };
    expect(result.industry).toBe('retail');
    expect(result.accounts).toBeGreaterThanOrEqual(200);
    expect(result.transactions).toBeGreaterThan(200);
    const second = await runRapport(['demo', '--customers', '10', '--data-dir', dataDir]);
    expect(second.code).toBe(5);
    expect(second.stderr).toMatch(/^rapport: .*already/);
  });

  it('fails fast with a clear message when the data folder is in use by another process', async () => {
    const dataDir = tempDataDir();
    const server = spawn(rapportBin, ['serve', '--port', '0', '--data-dir', dataDir], {
      env: { PATH: process.env.PATH, CI: 'true', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        let seen = '';
        server.stderr.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes('Rapport is running')) resolve();
        });
        server.on('exit', () => reject(new Error(`server exited: ${seen}`)));
      });
      const second = await runRapport(['db', 'status', '--data-dir', dataDir]);
      expect(second.code).toBe(7);
      expect(second.stderr).toContain('in use by another Rapport process');
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.on('exit', resolve));
    }
    expect(server.exitCode).toBe(0);
    const after = await runRapport(['db', 'status', '--json', '--data-dir', dataDir]);
    expect(after.code).toBe(0);
  });

  it('fails with one line when the PostgreSQL server cannot be reached', async () => {
    const result = await runRapport(['db', 'status'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(result.code).toBe(7);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('Cannot connect to the PostgreSQL server');
  });

  it('names the environment variable that is wrong', async () => {
    const result = await runRapport(['db', 'status'], { PORT: 'eighty' });
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('PORT');
  });

  it('runs on a PostgreSQL server when DATABASE_URL is set', async () => {
    const schema = `rapport_cli_${randomBytes(5).toString('hex')}`;
    const env = { DATABASE_URL: testDatabaseUrl(), DATABASE_SCHEMA: schema };
    const migrate = await runRapport(['db', 'migrate', '--json'], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    const status = await runRapport(['db', 'status', '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ database: 'postgres' });
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    await client.query(`drop schema "${schema}" cascade`);
    await client.end();
  });
});
