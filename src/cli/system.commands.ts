import { Option, type Command } from 'commander';
import { seedDemo, hasAnyAccounts, type DemoIndustry, type DemoResult } from '../demo/index.js';
import type { AppContext } from '../compose.js';
import { analysisKindSchema, runRequestSchema } from '../features/analytics/index.js';
import { seedDemoUsers, systemActor, type DemoSignIn } from '../features/auth/index.js';
import { seedDefaultSegments } from '../features/segments/index.js';
import { composeApp } from '../compose.js';
import { migrate, migrationStatus } from '../db/migrate.js';
import { buildApp } from '../server/app.js';
import { formatTable, printResult } from './output.js';
import { createProgress } from './progress.js';
import { action, configFor, globalOptions, withApp, type GlobalOptions } from './runtime.js';
import { z } from 'zod';
import { AppError } from '../shared/errors.js';

const demoFlagsSchema = z.object({
  industry: z.enum(['freight', 'automotive', 'retail']),
  customers: z.coerce.number().int().min(1).max(2_000_000),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});

const portSchema = z.coerce.number().int().min(0).max(65535);

function parseFlags<T>(schema: z.ZodType<T>, flags: unknown): T {
  const parsed = schema.safeParse(flags);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError('validation_failed', `Invalid option --${String(issue?.path[0] ?? '')}: ${issue?.message ?? ''}`);
}

async function runDemo(
  context: AppContext,
  options: GlobalOptions,
  industry: DemoIndustry,
  customers: number,
  seed: number,
) {
  const progress = createProgress(options);
  try {
    const result = await seedDemo(context.database, {
      industry,
      customers,
      seed,
      asOf: context.clock.now(),
      onProgress: (done, total, stage) => progress.update(done, total, stage),
    });
    // A demo should open on something to look at: the industry's default segments and every analysis run once
    // (each run also snapshots the segments' membership).
    await seedDefaultSegments(context.database, industry, context.clock);
    const kinds = analysisKindSchema.options;
    for (const [index, kind] of kinds.entries()) {
      progress.update(index, kinds.length, `analysis: ${kind}`);
      await context.services.analytics.run(runRequestSchema.parse({ kind }));
    }
    progress.update(kinds.length, kinds.length, 'analysis: done');
    return result;
  } finally {
    progress.stop();
  }
}

const describeDemo = (result: DemoResult): string =>
  `Demo data (${result.industry}): ${result.accounts.toLocaleString('en')} accounts, ${result.contacts.toLocaleString('en')} contacts, ` +
  `${result.transactions.toLocaleString('en')} transactions, ${result.users} users in ${result.seconds.toFixed(1)} s ` +
  `(${Math.round((result.accounts + result.contacts + result.transactions) / Math.max(result.seconds, 0.001)).toLocaleString('en')} rows/s).`;

const describeDemoUsers = (demo: { password: string; users: DemoSignIn[] }): string =>
  `\nDemo sign-ins (one per role), password ${demo.password}:\n` +
  demo.users
    .map((user) => `  ${user.role.padEnd(16)} ${user.email}${user.team ? `  (team ${user.team})` : ''}\n`)
    .join('') +
  '\n';

const firstAdminHint =
  '\nNo one can sign in yet. Create the first admin (the password is read from standard input):\n' +
  "  printf '%s' 'a long passphrase' | ./bin/rapport users add --email you@example.com --role admin --password-stdin\n\n";

export function registerSystemCommands(program: Command): void {
  program
    .command('serve')
    .description('Serve the web app and the API')
    .option('--port <port>', 'port to listen on (default: PORT or 3000)')
    .option('--demo', 'fill an empty database with demo data (freight pack) first')
    .action(
      action(async (flags: { port?: string; demo?: boolean }, command: Command) => {
        const options = globalOptions(command);
        const port = flags.port === undefined ? undefined : parseFlags(portSchema, flags.port);
        const context = await composeApp(configFor(options, { port }));
        try {
          if (flags.demo && !(await hasAnyAccounts(context.database))) {
            process.stderr.write('Empty database: generating demo data (freight, 3,000 customers)…\n');
            process.stderr.write(`${describeDemo(await runDemo(context, options, 'freight', 3000, 1))}\n`);
          }
          const demoUsers = flags.demo ? await seedDemoUsers(context.database) : null;
          const canSignIn = (await context.services.auth.listUsers(systemActor(), { active: 'true' })).some(
            (user) => user.hasPassword,
          );
          const app = await buildApp(context);
          app.addHook('onClose', () => context.close());
          const address = await app.listen({ port: context.config.port, host: context.config.host });
          const where =
            context.config.database.kind === 'pglite' ? context.config.database.dataDir : 'PostgreSQL server';
          process.stderr.write(
            `\nRapport is running at ${address.replace('127.0.0.1', 'localhost')}  (database: ${context.database.kind}, ${where})\n` +
              `API docs: ${address}/api/docs\n` +
              (demoUsers ? describeDemoUsers(demoUsers) : canSignIn ? '' : firstAdminHint) +
              'Press Ctrl-C to stop.\n',
          );
          const shutdown = (signal: string) => {
            app.log.info({ signal }, 'shutting down');
            void app.close().then(
              () => process.exit(0),
              () => process.exit(1),
            );
          };
          process.once('SIGTERM', () => shutdown('SIGTERM'));
          process.once('SIGINT', () => shutdown('SIGINT'));
        } catch (error) {
          await context.close();
          throw error;
        }
      }),
    );

  program
    .command('demo')
    .description('Generate seeded, deterministic demo data into an empty database')
    .addOption(
      new Option('--industry <industry>', 'industry pack')
        .choices(['freight', 'automotive', 'retail'])
        .default('freight'),
    )
    .option('--customers <n>', 'number of customers', '3000')
    .option('--seed <s>', 'random seed (same seed, same data)', '1')
    .action(
      action(async (flags: Record<string, unknown>, command: Command) => {
        const options = globalOptions(command);
        const { industry, customers, seed } = parseFlags(demoFlagsSchema, flags);
        const result = await withApp(options, (context) => runDemo(context, options, industry, customers, seed));
        printResult(options, result, describeDemo);
      }),
    );

  const db = program.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Apply pending migrations')
    .action(
      action(async (_flags: unknown, command: Command) => {
        const options = globalOptions(command);
        // composeApp migrates on open; report what this call applied.
        const applied = await withApp(options, async (context) => [
          ...context.migrationsApplied,
          ...(await migrate(context.database)),
        ]);
        printResult(options, { applied }, (value) =>
          value.applied.length === 0 ? 'Database is up to date.' : `Applied: ${value.applied.join(', ')}`,
        );
      }),
    );
  db.command('status')
    .description('Show applied and pending migrations')
    .action(
      action(async (_flags: unknown, command: Command) => {
        const options = globalOptions(command);
        const config = configFor(options);
        const { openDatabase } = await import('../db/connect.js');
        const database = await openDatabase(config.database);
        try {
          const statuses = await migrationStatus(database);
          printResult(options, { database: database.kind, migrations: statuses }, (value) =>
            formatTable(
              ['migration', 'state', 'applied at'],
              value.migrations.map((status) => [status.name, status.state, status.appliedAt ?? '']),
            ),
          );
        } finally {
          await database.close();
        }
      }),
    );
}
