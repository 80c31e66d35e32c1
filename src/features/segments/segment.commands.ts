import type { Command } from 'commander';
import { action, globalOptions, type WithService } from '../../cli/action.js';
import { z } from 'zod';
import { formatTable, printResult } from '../../cli/output.js';
import { AppError } from '../../shared/errors.js';
import { systemActor } from '../auth/index.js';
import {
  segmentIndustrySchema,
  type Segment,
  type SegmentMember,
  type SegmentRule,
  type SegmentSnapshot,
} from './segment.schema.js';
import { type SegmentService } from './segment.service.js';

const idSchema = z.coerce.number().int().positive();
export function parseId(text: string, what = 'ID'): number {
  const parsed = idSchema.safeParse(text);
  if (!parsed.success)
    throw new AppError('validation_failed', `Invalid argument ${what}: must be a positive whole number`);
  return parsed.data;
}

const money = (value: number | null): string =>
  value === null ? '' : value.toLocaleString('en', { maximumFractionDigits: 0 });

/** One line per condition, indented by nesting: the rule as a reader sees it. */
export function describeRule(rule: SegmentRule, indent = ''): string[] {
  if (rule.kind === 'and' || rule.kind === 'or') {
    return [
      `${indent}${rule.kind.toUpperCase()}`,
      ...rule.rules.flatMap((child) => describeRule(child, `${indent}  `)),
    ];
  }
  if (rule.kind === 'not') return [`${indent}NOT`, ...describeRule(rule.rule, `${indent}  `)];
  const key = rule.key ? `[${rule.key}]` : '';
  const value = rule.value === undefined ? '' : ` ${JSON.stringify(rule.value)}`;
  const period = rule.period
    ? ` (${'lastDays' in rule.period ? `last ${rule.period.lastDays} days` : `${rule.period.from}..${rule.period.to}`})`
    : '';
  const unit = rule.unit ? ` in ${rule.unit}` : '';
  return [`${indent}${rule.field}${key} ${rule.operator}${value}${unit}${period}`];
}

const listTable = (items: Segment[]): string =>
  items.length === 0
    ? "No segments yet. Create them in the app, or install an industry pack's defaults (POST /api/segments/defaults)."
    : formatTable(
        ['ID', 'Name', 'Industry', 'Members', 'Last snapshot', 'Σ CLV'],
        items.map((s) => [
          s.id,
          s.name,
          s.industry ?? 'any',
          s.memberCount.toLocaleString('en'),
          s.lastSnapshot
            ? `${s.lastSnapshot.takenAt.slice(0, 10)} (${s.lastSnapshot.memberCount}, +${s.lastSnapshot.entered}/−${s.lastSnapshot.left})`
            : '',
          money(s.lastSnapshot?.totalClv ?? null),
        ]),
      );

interface ShowResult {
  segment: Segment;
  members: SegmentMember[];
  snapshots: SegmentSnapshot[];
}

const showText = ({ segment, members, snapshots }: ShowResult): string =>
  [
    `Segment ${segment.id}: ${segment.name}${segment.archivedAt ? ' (deleted)' : ''}`,
    segment.description ?? '',
    `Industry: ${segment.industry ?? 'any'} · version ${segment.version} · members now: ${segment.memberCount.toLocaleString('en')}`,
    '',
    'Rule:',
    ...describeRule(segment.rule, '  '),
    '',
    members.length === 0
      ? 'No members.'
      : formatTable(
          ['Account', 'Code', 'Name', 'Owner', 'ABC', 'RFM', 'CLV', 'P(alive)', 'Churn'],
          members.map((m) => [
            m.accountId,
            m.code,
            m.nameEn,
            m.ownerName ?? '',
            m.abcClass ?? '',
            m.rfmSegment ?? '',
            money(m.clv),
            m.pAlive === null ? '' : m.pAlive.toFixed(2),
            m.churnClass ?? '',
          ]),
        ),
    ...(members.length < segment.memberCount
      ? [`(first ${members.length} of ${segment.memberCount.toLocaleString('en')})`]
      : []),
    '',
    snapshots.length === 0
      ? 'No snapshots yet.'
      : formatTable(
          ['Snapshot', 'Taken', 'Trigger', 'Members', 'Entered', 'Left', 'Σ CLV', 'Revenue 12m'],
          snapshots.map((s) => [
            s.id,
            s.takenAt.slice(0, 16).replace('T', ' '),
            s.trigger,
            s.memberCount,
            s.entered,
            s.left,
            money(s.totalClv),
            money(s.revenue12m),
          ]),
        ),
  ]
    .filter((line, index, lines) => !(line === '' && lines[index - 1] === ''))
    .join('\n');

export function registerSegmentCommands(program: Command, withSegments: WithService<SegmentService>): void {
  const segments = program.command('segments').description('Saved customer segments and their members');
  segments
    .command('list')
    .description('List segments with their live member counts')
    .option('--industry <industry>', 'only segments of this industry pack (and those of any industry)')
    .action(
      action(async (flags: { industry?: string }, command: Command) => {
        const options = globalOptions(command);
        const industry = flags.industry === undefined ? undefined : segmentIndustrySchema.safeParse(flags.industry);
        if (industry && !industry.success) {
          throw new AppError('validation_failed', 'Invalid option --industry: must be freight, automotive or retail', {
            option: '--industry',
          });
        }
        const items = await withSegments(options, (service) =>
          service.list(systemActor('cli'), { industry: industry?.data }),
        );
        printResult(options, { items }, (value) => listTable(value.items));
      }),
    );
  segments
    .command('show')
    .description('One segment: its rule, member count, first members and snapshot history')
    .argument('<id>', 'segment id')
    .option('--members <n>', 'how many members to list (default 20, at most 500)', '20')
    .action(
      action(async (idText: string, flags: { members: string }, command: Command) => {
        const options = globalOptions(command);
        const id = parseId(idText);
        const limit = z.coerce.number().int().min(0).max(500).safeParse(flags.members);
        if (!limit.success)
          throw new AppError('validation_failed', 'Invalid option --members: must be a whole number from 0 to 500', {
            option: '--members',
          });
        const result = await withSegments(options, async (service) => {
          const actor = systemActor('cli');
          const segment = await service.get(actor, id);
          const members = limit.data === 0 ? { items: [] } : await service.members(actor, id, { limit: limit.data });
          const snapshots = await service.history(actor, id);
          return { segment, members: members.items, snapshots };
        });
        printResult(options, result, showText);
      }),
    );
}
