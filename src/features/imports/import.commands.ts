import { createWriteStream, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { action, globalOptions, type GlobalOptions } from '../../cli/action.js';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { formatTable, printResult } from '../../cli/output.js';
import { createProgress } from '../../cli/progress.js';
import { AppError } from '../../shared/errors.js';
import { systemActor } from '../auth/index.js';
import { accountFilterSchema } from '../accounts/index.js';
import type { ExportRequest, ImportService } from './import.service.js';
import {
  exportFormatSchema,
  exportQuerySchema,
  importEntitySchema,
  type ImportSummary,
  type MappingInput,
} from './import.schema.js';

/**
 * `rapport import FILE --entity …`, `rapport imports list` and `rapport export ENTITY --format … --out FILE`.
 * The app is opened by the runner main.ts passes in (this feature must not import the composition root, which
 * imports this feature: an import cycle).
 */
export type WithImportService = <T>(options: GlobalOptions, fn: (imports: ImportService) => Promise<T>) => Promise<T>;

const importFlagsSchema = z.object({
  entity: importEntitySchema,
  mapping: z.string().optional(),
  dryRun: z.boolean().optional(),
  resume: z.coerce.number().int().positive().optional(),
  batchSize: z.coerce.number().int().min(1).max(100_000).optional(),
});

function parseFlags<T>(schema: z.ZodType<T>, flags: unknown): T {
  const parsed = schema.safeParse(flags);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  throw new AppError('validation_failed', `Invalid option --${name}: ${issue?.message ?? ''}`);
}

/** --filter key=value pairs: an error names the filter as written (custom.credit_terms, not an option). */
function parseFilter<T>(schema: z.ZodType<T>, filters: Record<string, string>): T {
  const parsed = schema.safeParse(filters);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError('validation_failed', `Invalid --filter ${String(issue?.path[0] ?? '')}: ${issue?.message ?? ''}`);
}

function readMapping(path: string): MappingInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AppError('not_found', `The mapping file ${path} does not exist.`);
  }
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    // A bare { header: column } object is accepted as the columns.
    return (value.columns === undefined ? { columns: value } : value) as MappingInput;
  } catch {
    throw new AppError('validation_failed', `The mapping file ${path} is not valid JSON.`);
  }
}

const describeImport = (result: ImportSummary): string => {
  const lines = [
    `${result.dryRun ? 'Dry run of ' : ''}${result.entity} from ${result.fileName}${result.importId ? ` (import ${result.importId}${result.resumed ? ', resumed' : ''})` : ''}: ` +
      `${result.inserted.toLocaleString('en')} inserted, ${result.updated.toLocaleString('en')} updated, ` +
      `${result.unchanged.toLocaleString('en')} unchanged, ${result.rejected.toLocaleString('en')} rejected.`,
  ];
  if (result.rejected > 0) lines.push(result.errorsFile ? `Error report: ${result.errorsFile}` : 'Rows were rejected.');
  if (result.dryRun) lines.push('Nothing was stored.');
  return lines.join('\n');
};

export function registerImportCommands(program: Command, withImports: WithImportService): void {
  program
    .command('import')
    .description(
      'Import accounts, contacts, transactions or interactions from CSV or XLSX (upsert by business key, resumable)',
    )
    .argument('<file>', 'CSV (any delimiter; UTF-8, UTF-16 or Big5) or XLSX file')
    .addOption(
      new Option('--entity <entity>', 'what the rows are').choices(importEntitySchema.options).makeOptionMandatory(),
    )
    .option(
      '--mapping <file>',
      'column mapping JSON ({"columns": {"header": "column"}, "dateFormat": "DMY"}); default: guessed',
    )
    .option('--dry-run', 'validate and count without storing anything')
    .option(
      '--resume <importId>',
      'continue an interrupted import (default: the same file and entity resume by themselves)',
    )
    .option('--batch-size <rows>', 'rows per transaction (default 5000)')
    .action(
      action(async (file: string, flags: Record<string, unknown>, command: Command) => {
        const options = globalOptions(command);
        const parsed = parseFlags(importFlagsSchema, flags);
        const mapping = parsed.mapping ? readMapping(parsed.mapping) : null;
        const progress = createProgress(options);
        try {
          const result = await withImports(options, (imports) =>
            imports.runImport({
              filePath: resolve(file),
              entity: parsed.entity,
              mapping,
              dryRun: parsed.dryRun ?? false,
              resumeId: parsed.resume ?? null,
              batchSize: parsed.batchSize,
              errorsFile: 'beside',
              onProgress: (p) =>
                progress.update(p.bytesDone, Math.max(p.fileSize, 1), parsed.dryRun ? 'Checking' : 'Importing'),
            }),
          );
          progress.stop();
          const { importId, inserted, updated, unchanged, rejected, errorsFile } = result;
          printResult(
            options,
            options.json ? { importId, inserted, updated, unchanged, rejected, errorsFile } : result,
            () => describeImport(result),
          );
        } finally {
          progress.stop();
        }
      }),
    );

  const imports = program.command('imports').description('Import history');
  imports
    .command('list')
    .description('Recent imports')
    .action(
      action(async (_flags: unknown, command: Command) => {
        const options = globalOptions(command);
        const items = await withImports(options, (imports) => imports.listImports(systemActor('cli'), 50));
        printResult(options, { items }, (value) =>
          formatTable(
            ['id', 'entity', 'file', 'status', 'rows', 'inserted', 'updated', 'unchanged', 'rejected', 'started', 'by'],
            value.items.map((i) => [
              i.importId,
              i.entity,
              i.fileName,
              i.status,
              i.rowsDone,
              i.inserted,
              i.updated,
              i.unchanged,
              i.rejected,
              i.startedAt,
              i.startedBy?.name ?? 'command line',
            ]),
          ),
        );
      }),
    );

  program
    .command('export')
    .description('Export accounts, contacts or transactions to CSV or XLSX (streamed; formula-safe cells)')
    .argument('<entity>', 'accounts, contacts or transactions')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'xlsx']).default('csv'))
    .requiredOption('--out <file>', 'where to write the file')
    .option(
      '--filter <key=value...>',
      'filters, e.g. status=active custom.credit_terms=gte:30 needs.service=sea (accounts: the list filter of docs/lists.md; contacts, transactions: q, industry, account_code, from, to, include_archived=true)',
    )
    .action(
      action(async (entity: string, flags: { format: string; out: string; filter?: string[] }, command: Command) => {
        const options = globalOptions(command);
        const target = parseFlags(z.object({ entity: z.enum(['accounts', 'contacts', 'transactions']) }), {
          entity,
        }).entity;
        const filters: Record<string, string> = {};
        for (const item of flags.filter ?? []) {
          const [key, ...rest] = item.split('=');
          if (!key || rest.length === 0)
            throw new AppError('validation_failed', `Invalid option --filter: ${item} is not key=value`);
          filters[key] = rest.join('=');
        }
        const format = parseFlags(z.object({ format: exportFormatSchema }), { format: flags.format }).format;
        const request: ExportRequest =
          target === 'accounts'
            ? { entity: target, filter: parseFilter(accountFilterSchema, filters) }
            : { entity: target, query: parseFilter(exportQuerySchema.strict(), { ...filters, format }) };
        const out = createWriteStream(resolve(flags.out));
        const rows = await withImports(options, (imports) => imports.exportTo(request, format, out)).catch(
          async (error: unknown) => {
            // A refused filter leaves no empty file behind.
            out.destroy();
            await rm(resolve(flags.out), { force: true });
            throw error;
          },
        );
        if (!out.closed) await once(out, 'close');
        printResult(
          options,
          { entity: target, format, rows, file: resolve(flags.out) },
          (value) => `Exported ${value.rows.toLocaleString('en')} ${value.entity} to ${value.file}.`,
        );
      }),
    );
}
