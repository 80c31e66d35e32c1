import type { Command } from 'commander';
import { loadConfig, type AppConfig } from '../config/env.js';
import { composeApp, type AppContext } from '../compose.js';
import { reportError } from './output.js';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

export const globalOptions = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();

export const configFor = (options: GlobalOptions, overrides: { port?: number } = {}): AppConfig =>
  loadConfig({ dataDir: options.dataDir, port: overrides.port });

/** Opens the app (database, migrations, services) for one command and always closes it. */
export async function withApp<T>(options: GlobalOptions, fn: (context: AppContext) => Promise<T>): Promise<T> {
  const context = await composeApp(configFor(options));
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}

/** Wraps a command action: errors become one clear line (or JSON) and the catalogue's exit code. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const command = args.at(-1) as Command;
    try {
      await run(...args);
    } catch (error) {
      process.exitCode = reportError(error, globalOptions(command));
    }
  };
}
