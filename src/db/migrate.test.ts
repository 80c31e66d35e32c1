import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.js';
import { migrate, migrationStatus, readMigrationFiles } from './migrate.js';

describe('readMigrationFiles', () => {
  it('reads NNNN_verb_object.sql files in order with their checksums', () => {
    const files = readMigrationFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((file) => file.name)).toEqual([...files.map((file) => file.name)].sort());
    for (const file of files) expect(file.checksum).toMatch(/^[0-9a-f]{64}$/);
  });
});

describeEachDatabase('migrate', (use) => {
  it('has applied every migration, and applying again does nothing', async () => {
    const database = use();
    const statuses = await migrationStatus(database);
    expect(statuses.every((status) => status.state === 'applied')).toBe(true);
    expect(await migrate(database)).toEqual([]);
  });

  it('applies a new file once and refuses a file changed after it was applied', async () => {
    const database = use();
    const dir = mkdtempSync(join(tmpdir(), 'rapport-migrations-'));
    const dirUrl = pathToFileURL(`${dir}/`);
    writeFileSync(join(dir, '9001_create_probe.sql'), 'create table probe (id int); insert into probe values (1);');
    const first = [...readMigrationFiles(), ...readMigrationFiles(dirUrl)];
    expect(await migrate(database, first)).toEqual(['9001_create_probe.sql']);
    expect(await migrate(database, first)).toEqual([]);

    writeFileSync(join(dir, '9001_create_probe.sql'), 'create table probe (id bigint);');
    const changed = [...readMigrationFiles(), ...readMigrationFiles(dirUrl)];
    await expect(migrate(database, changed)).rejects.toMatchObject({ code: 'migration_failed' });
    const statuses = await migrationStatus(database, changed);
    expect(statuses.find((status) => status.name === '9001_create_probe.sql')?.state).toBe('changed');
  });

  it('rolls back a failing migration entirely', async () => {
    const database = use();
    const dir = mkdtempSync(join(tmpdir(), 'rapport-migrations-'));
    writeFileSync(join(dir, '9100_create_half.sql'), 'create table half (id int); select no_such_function();');
    const files = [...readMigrationFiles(), ...readMigrationFiles(pathToFileURL(`${dir}/`))];
    await expect(migrate(database, files)).rejects.toMatchObject({ code: 'migration_failed' });
    const tables = await database.rawTransaction((raw) =>
      raw.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_name = 'half'"),
    );
    expect(tables[0]?.n).toBe(0);
  });
});
