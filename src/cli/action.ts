import type { Command } from 'commander';
import { reportError } from './output.js';

/**
 * What every command's action needs, without the app: features' x.commands.ts import this (not runtime.ts, which
 * opens the app through compose.ts — and compose imports the features: a cycle).
 */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

export const globalOptions = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();

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

/** Runs fn with one feature's service on the opened app; src/cli/main.ts passes these in (see withApp). */
export type WithService<S> = <T>(options: GlobalOptions, fn: (service: S) => Promise<T>) => Promise<T>;
