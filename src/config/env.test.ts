import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.js';
import { loadConfig } from './env.js';

describe('loadConfig', () => {
  it('defaults to the embedded database in ./.rapport on port 3000', () => {
    const config = loadConfig({}, {});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.rapport' });
    expect(config.port).toBe(3000);
    expect(config.timeZone).toBe('Asia/Hong_Kong');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses a PostgreSQL server when DATABASE_URL is set', () => {
    const config = loadConfig({}, { DATABASE_URL: 'postgres://u@db:5432/crm', DATABASE_SCHEMA: 'crm' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/crm', schema: 'crm' });
  });

  it('lets flags override the environment', () => {
    const config = loadConfig({ dataDir: '/tmp/x', port: 4000 }, { RAPPORT_DATA_DIR: '/elsewhere', PORT: '5000' });
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/tmp/x' });
    expect(config.port).toBe(4000);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['RAPPORT_TIME_ZONE', { RAPPORT_TIME_ZONE: 'Mars/Olympus' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('names the variable %s when its value is bad', (variable, env) => {
    let caught: unknown;
    try {
      loadConfig({}, env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('config_invalid');
    expect((caught as AppError).message).toContain(variable);
  });
});
