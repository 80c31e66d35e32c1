import type { Command } from 'commander';
import { globalOptions, type GlobalOptions } from '../../cli/action.js';
import { printResult, reportError } from '../../cli/output.js';
import { AppError } from '../../shared/errors.js';
import type { AuditService } from './audit.service.js';

/** `rapport audit verify`: recomputes the audit log's hash chain; exit code 5 (conflict) when it is broken. */
/** Opens the app for one command (src/cli/runtime.ts withApp), passed in by src/cli/main.ts. */
export type WithAuditService = <T>(options: GlobalOptions, fn: (audit: AuditService) => Promise<T>) => Promise<T>;

export function registerAuditCommands(program: Command, withAudit: WithAuditService): void {
  const audit = program.command('audit').description('The append-only audit log');
  audit
    .command('verify')
    .description('Check that no audit entry was changed, removed or reordered (recomputes the hash chain)')
    .action(async (_flags: unknown, command: Command) => {
      const options = globalOptions(command);
      try {
        const result = await withAudit(options, (service) => service.verify());
        if (!result.ok) {
          throw new AppError(
            'conflict',
            `The audit log was tampered with: ${result.reason ?? 'the chain is broken'}`,
            result,
          );
        }
        printResult(options, result, (value) =>
          value.rows === 0
            ? 'The audit log is empty.'
            : `The audit log is intact: ${value.rows.toLocaleString('en')} entries, head ${value.headHash ?? ''}.\n` +
              'Keep the head hash somewhere else (a ticket, an e-mail): a later verify proves nothing before it changed.',
        );
      } catch (error) {
        process.exitCode = reportError(error, options);
      }
    });
}
