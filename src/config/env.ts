import { z } from 'zod';
import { AppError } from '../shared/errors.js';

/**
 * The only reader of process.env. One schema for the environment; a bad value stops
 * start-up with a message that names the variable.
 */
const portSchema = z.coerce.number().int().min(0).max(65535);

export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('public'),
  RAPPORT_DATA_DIR: z.string().min(1).default('.rapport'),
  PORT: portSchema.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RAPPORT_TIME_ZONE: z
    .string()
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Asia/Hong_Kong')
    .default('Asia/Hong_Kong'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
});

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  readonly database:
    | { readonly kind: 'pglite'; readonly dataDir: string }
    | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };
  readonly port: number;
  readonly host: string;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly timeZone: string;
  readonly webDistDir: string;
}

export interface ConfigOverrides {
  dataDir?: string | undefined;
  port?: number | undefined;
}

/** Parses an environment (process.env by default) into a frozen AppConfig, or throws config_invalid. */
export function loadConfig(overrides: ConfigOverrides = {}, source: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new AppError('config_invalid', `Invalid environment variable ${variable}: ${issue?.message ?? 'invalid'}`, {
      variable,
    });
  }
  const env = parsed.data;
  return Object.freeze({
    database: env.DATABASE_URL
      ? Object.freeze({ kind: 'postgres' as const, url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA })
      : Object.freeze({ kind: 'pglite' as const, dataDir: overrides.dataDir ?? env.RAPPORT_DATA_DIR }),
    port: overrides.port ?? env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    timeZone: env.RAPPORT_TIME_ZONE,
    webDistDir: new URL('../../dist/web', import.meta.url).pathname,
  });
}

/** For tests: where the PostgreSQL test server is (DATABASE_URL, else the local trust-auth server). */
export function testDatabaseUrl(source: NodeJS.ProcessEnv = process.env): string {
  return source.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** Whether the CLI should draw progress bars and colours (not under CI or when piped). */
export function isInteractiveTerminal(source: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stderr.isTTY) && source.CI !== 'true';
}

/** RAPPORT_DEBUG=1 prints the underlying error of an unexpected failure (for bug reports). */
export function debugEnabled(source: NodeJS.ProcessEnv = process.env): boolean {
  return source.RAPPORT_DEBUG === '1';
}
