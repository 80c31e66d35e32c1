import type { Command } from 'commander';
import { action, globalOptions, type WithService } from '../../cli/action.js';
import { formatTable, printResult } from '../../cli/output.js';
import { AppError } from '../../shared/errors.js';
import { systemActor } from '../auth/index.js';
import { parseId } from '../segments/index.js';
import { cadenceLabel } from './strategy.rules.js';
import { strategyStatusSchema, type Budget, type Strategy, type StrategySummary } from './strategy.schema.js';
import { type StrategyService } from './strategy.service.js';

const money = (value: number | null): string =>
  value === null ? '—' : `HKD ${Math.round(value).toLocaleString('en')}`;
const percent = (value: number | null): string => (value === null ? '—' : `${Math.round(value * 1000) / 10}%`);

const listText = (items: StrategySummary[]): string =>
  items.length === 0
    ? 'No strategies yet. Draft one with the guided builder (POST /api/strategies/guided-draft).'
    : formatTable(
        ['ID', 'Title', 'Status', 'Version', 'Targets', 'Updated', 'Approved'],
        items.map((s) => [
          s.id,
          s.title,
          s.status,
          s.version,
          s.targetCount,
          s.updatedAt.slice(0, 10),
          s.approvedAt?.slice(0, 10) ?? '',
        ]),
      );

function showText({ strategy, budget }: { strategy: Strategy; budget: Budget }): string {
  const segment = new Map(strategy.segments.map((s) => [s.id, s]));
  const lines = [
    `Strategy ${strategy.id}: ${strategy.title}`,
    `Status: ${strategy.status} · version ${strategy.version}${strategy.industry ? ` · ${strategy.industry}` : ''} · market role ${strategy.document.context.marketRole}` +
      ` · next: ${strategy.nextStatuses.join(', ') || '—'}`,
    '',
    formatTable(
      ['Priority', 'Segment', 'Members', 'Cadence', 'Budget', 'Expected return', 'ROI'],
      strategy.document.targets.map((target, index) => {
        const figures = budget.segments.find((s) => s.segmentId === target.segmentId);
        return [
          index + 1,
          `${segment.get(target.segmentId)?.name ?? target.segmentId}${segment.get(target.segmentId)?.archived ? ' (deleted)' : ''}`,
          figures?.members ?? 0,
          target.cadence.map(cadenceLabel).join(', '),
          money(figures?.total ?? 0),
          money(figures?.expectedReturn.expectedReturn ?? null),
          percent(figures?.roi ?? null),
        ];
      }),
    ),
    '',
    `Budget over ${budget.horizonMonths} months: ${money(budget.total)} · expected return ${money(budget.expectedReturn)} · ROI ${percent(budget.roi)}`,
  ];
  if (strategy.approvals.length > 0) {
    lines.push('', 'Decisions on this version:');
    for (const approval of strategy.approvals)
      lines.push(`  ${approval.department}: ${approval.decision} (${approval.decidedByName ?? 'system'})`);
  }
  if (strategy.comments.length > 0)
    lines.push('', `${strategy.comments.length} comment${strategy.comments.length === 1 ? '' : 's'}.`);
  return lines.join('\n');
}

export function registerStrategyCommands(program: Command, withStrategies: WithService<StrategyService>): void {
  const strategy = program.command('strategy').description('Customer relationship strategies');
  strategy
    .command('list')
    .description('List strategies with their status and version')
    .option('--status <status>', 'only strategies in this status (draft, in_review, approved, retired)')
    .action(
      action(async (flags: { status?: string }, command: Command) => {
        const options = globalOptions(command);
        const status = flags.status === undefined ? undefined : strategyStatusSchema.safeParse(flags.status);
        if (status && !status.success) {
          throw new AppError(
            'validation_failed',
            'Invalid option --status: must be draft, in_review, approved or retired',
            { option: '--status' },
          );
        }
        const items = await withStrategies(options, (service) =>
          service.list(systemActor('cli'), { status: status?.data }),
        );
        printResult(options, { items }, (value) => listText(value.items));
      }),
    );
  strategy
    .command('show')
    .description('One strategy: targets, cadence, budget, expected return and decisions')
    .argument('<id>', 'strategy id')
    .action(
      action(async (idText: string, _flags: unknown, command: Command) => {
        const options = globalOptions(command);
        const id = parseId(idText);
        const result = await withStrategies(options, (service) => service.exportJson(systemActor('cli'), id));
        printResult(options, result, showText);
      }),
    );
  strategy
    .command('export')
    .description('Export a strategy with its budget: Markdown for the sales department, or JSON')
    .argument('<id>', 'strategy id')
    .option('--format <format>', 'md or json (default: md, or json with --json)')
    .action(
      action(async (idText: string, flags: { format?: string }, command: Command) => {
        const options = globalOptions(command);
        const id = parseId(idText);
        const format = flags.format ?? (options.json ? 'json' : 'md');
        if (format !== 'md' && format !== 'json') {
          throw new AppError('validation_failed', 'Invalid option --format: must be json or md', {
            option: '--format',
          });
        }
        if (format === 'json') {
          const result = await withStrategies(options, (service) => service.exportJson(systemActor('cli'), id));
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const markdown = await withStrategies(options, (service) => service.exportMarkdown(systemActor('cli'), id));
        if (options.json) process.stdout.write(`${JSON.stringify({ format: 'md', content: markdown })}\n`);
        else process.stdout.write(markdown);
      }),
    );
}
