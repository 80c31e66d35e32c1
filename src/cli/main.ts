import { Command, CommanderError } from 'commander';
import { appVersion } from '../shared/version.js';
import { reportError } from './output.js';
import { registerSystemCommands } from './system.commands.js';
import { withApp } from './runtime.js';
import { registerAuthCommands } from '../features/auth/index.js';
import { registerAuditCommands } from '../features/audit/index.js';
import { registerImportCommands } from '../features/imports/index.js';
import { registerAnalyticsCommands } from '../features/analytics/index.js';
import { registerSegmentCommands } from '../features/segments/index.js';
import { registerStrategyCommands } from '../features/strategies/index.js';
import { AppError } from '../shared/errors.js';

/** `rapport …`: every command is a thin adapter over one service call (see src/features/<name>/x.commands.ts). */
export function buildProgram(): Command {
  const program = new Command('rapport')
    .description('Rapport: customer-relationship strategy workbench')
    .version(appVersion, '-v, --version')
    .option('--data-dir <dir>', 'embedded database folder (default: RAPPORT_DATA_DIR or ./.rapport)')
    .option('--json', 'machine-readable output on stdout')
    .exitOverride();
  program.configureOutput({ outputError: () => undefined });
  registerSystemCommands(program);
  registerAuthCommands(program, (options, fn) => withApp(options, (context) => fn(context.services.auth)));
  registerAuditCommands(program, (options, fn) => withApp(options, (context) => fn(context.services.audit)));
  registerImportCommands(program, (options, fn) => withApp(options, (context) => fn(context.services.imports)));
  registerAnalyticsCommands(program, (options, fn) => withApp(options, (context) => fn(context.services.analytics)));
  registerSegmentCommands(program, (options, fn) => withApp(options, (context) => fn(context.services.segments)));
  registerStrategyCommands(program, (options, fn) =>
    withApp(options, (context) => fn(context.services.strategies.strategies)),
  );
  for (const command of program.commands) applyDefaults(command);
  return program;
}

/** Sub-commands inherit the root's error behaviour (exitOverride, quiet commander errors). */
function applyDefaults(command: Command): void {
  command.exitOverride();
  command.configureOutput({ outputError: () => undefined });
  for (const child of command.commands) applyDefaults(child);
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return 0;
      if (error.code === 'commander.help') return 0;
      const message = error.message.replace(/^error: /, '');
      const sentence = `${message.charAt(0).toUpperCase()}${message.slice(1)}`.replace(/\.$/, '');
      return reportError(new AppError('bad_request', `${sentence}. Run rapport --help for usage.`), {
        json,
      });
    }
    return reportError(error, { json });
  }
}

const exitCode = await runCli(process.argv.slice(2));
if (exitCode !== 0) process.exitCode = exitCode;
