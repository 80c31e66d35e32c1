import { userInfo } from 'node:os';
import { action, globalOptions, type GlobalOptions } from '../../cli/action.js';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { formatTable, printResult } from '../../cli/output.js';
import { AppError } from '../../shared/errors.js';
import { parseDuration } from './auth.rules.js';
import { roles, roleSchema, type Actor, type ApiToken, type Role, type User } from './auth.schema.js';
import { generatedPassword } from './auth.secrets.js';
import type { AuthService } from './auth.service.js';
import { systemActor } from './permissions.rules.js';

/**
 * `rapport users …` and `rapport tokens …`: administration from the server's own terminal. Whoever can run
 * the CLI can open the database directly, so it acts as the trusted system actor, recorded in the audit log as
 * via "cli" with the operating-system user name.
 */
function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export const cliActor = (): Actor => systemActor('cli', `rapport-cli (${osUser()})`);

/**
 * Opens the app (src/cli/runtime.ts withApp: config → database → services) for one command and always closes
 * it. Passed in by src/cli/main.ts, so this feature does not import the composition root (which imports it).
 */
export type WithAuthService = <T>(options: GlobalOptions, fn: (auth: AuthService) => Promise<T>) => Promise<T>;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new AppError('bad_request', '--password-stdin needs the password piped in (echo … | rapport …).');
  let text = '';
  for await (const chunk of process.stdin)
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text.replace(/\r?\n$/, '');
}

function parse<T>(schema: z.ZodType<T>, value: unknown, flag: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError('validation_failed', `Invalid option --${flag}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
}

const emailFlag = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an e-mail address');
const roleOption = () => new Option('--role <role>', 'role').choices([...roles]);

const userRow = (user: User) => [
  user.id,
  user.email,
  user.displayName,
  user.role,
  user.team ?? '',
  user.active ? 'active' : 'deactivated',
  user.hasPassword ? 'yes' : 'no',
];
const tokenRow = (token: ApiToken) => [
  token.id,
  token.userId,
  token.name,
  `${token.prefix}…`,
  token.role,
  token.expiresAt,
  token.revokedAt ?? '',
];

export function registerAuthCommands(program: Command, withAuth: WithAuthService): void {
  const users = program.command('users').description('Users who sign in: add, list, deactivate');

  users
    .command('add')
    .description('Add a user (prints a generated password once unless --password-stdin)')
    .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
    .addOption(roleOption().makeOptionMandatory())
    .option('--team <team>', 'team (created if it does not exist)')
    .option('--name <name>', 'display name (default: the e-mail address)')
    .option('--password-stdin', 'read the password from standard input')
    .action(
      action(
        async (
          flags: { email: string; role: Role; team?: string; name?: string; passwordStdin?: boolean },
          command: Command,
        ) => {
          const options = globalOptions(command);
          const email = parse(emailFlag, flags.email, 'email');
          const role = parse(roleSchema, flags.role, 'role');
          const password = flags.passwordStdin ? await readStdin() : generatedPassword();
          const result = await withAuth(options, async (auth) => {
            const actor = cliActor();
            const team = flags.team?.trim() || null;
            if (team && !(await auth.listTeams(actor)).some((existing) => existing.name === team))
              await auth.createTeam(actor, team);
            const user = await auth.createUser(actor, {
              email,
              displayName: flags.name?.trim() || email,
              role,
              team,
              password,
            });
            return { user, ...(flags.passwordStdin ? {} : { password }) };
          });
          printResult(options, result, (value) =>
            [
              `Added ${value.user.email} (${value.user.role}${value.user.team ? `, team ${value.user.team}` : ''}).`,
              ...('password' in value ? [`Password (shown once): ${value.password}`] : []),
            ].join('\n'),
          );
        },
      ),
    );

  users
    .command('list')
    .description('List users')
    .addOption(roleOption())
    .option('--team <team>', 'only this team')
    .action(
      action(async (flags: { role?: Role; team?: string }, command: Command) => {
        const options = globalOptions(command);
        const items = await withAuth(options, (auth) =>
          auth.listUsers(cliActor(), {
            ...(flags.role ? { role: flags.role } : {}),
            ...(flags.team ? { team: flags.team } : {}),
          }),
        );
        printResult(options, { items }, (value) =>
          value.items.length === 0
            ? 'No users yet. Add the first admin: rapport users add --email you@example.com --role admin'
            : formatTable(['id', 'email', 'name', 'role', 'team', 'state', 'password'], value.items.map(userRow)),
        );
      }),
    );

  users
    .command('deactivate')
    .description('Deactivate a user: ends all their sessions and revokes all their API tokens at once')
    .requiredOption('--email <email>', 'e-mail address')
    .action(
      action(async (flags: { email: string }, command: Command) => {
        const options = globalOptions(command);
        const email = parse(emailFlag, flags.email, 'email');
        const result = await withAuth(options, async (auth) => {
          const actor = cliActor();
          return auth.deactivateUser(actor, (await auth.findUserByEmail(actor, email)).id);
        });
        printResult(
          options,
          result,
          (value) =>
            `Deactivated ${value.user.email}: ${value.sessionsEnded} session(s) ended, ${value.tokensRevoked} token(s) revoked.`,
        );
      }),
    );

  users
    .command('reactivate')
    .description('Reactivate a user (old sessions and tokens stay ended)')
    .requiredOption('--email <email>', 'e-mail address')
    .action(
      action(async (flags: { email: string }, command: Command) => {
        const options = globalOptions(command);
        const email = parse(emailFlag, flags.email, 'email');
        const user = await withAuth(options, async (auth) => {
          const actor = cliActor();
          return auth.reactivateUser(actor, (await auth.findUserByEmail(actor, email)).id);
        });
        printResult(options, user, (value) => `Reactivated ${value.email}.`);
      }),
    );

  users
    .command('set-password')
    .description("Set a user's password (ends their sessions); prints a generated one once unless --password-stdin")
    .requiredOption('--email <email>', 'e-mail address')
    .option('--password-stdin', 'read the password from standard input')
    .action(
      action(async (flags: { email: string; passwordStdin?: boolean }, command: Command) => {
        const options = globalOptions(command);
        const email = parse(emailFlag, flags.email, 'email');
        const password = flags.passwordStdin ? await readStdin() : generatedPassword();
        await withAuth(options, async (auth) => {
          const actor = cliActor();
          await auth.resetPassword(actor, (await auth.findUserByEmail(actor, email)).id, password);
        });
        const result = { email, ...(flags.passwordStdin ? {} : { password }) };
        printResult(options, result, (value) =>
          'password' in value
            ? `New password for ${value.email} (shown once): ${value.password}`
            : `Password of ${value.email} set.`,
        );
      }),
    );

  const tokens = program.command('tokens').description('API tokens for integrations (Authorization: Bearer)');

  tokens
    .command('create')
    .description('Create an API token for a user; the token is printed once')
    .requiredOption('--email <email>', 'the user the token acts for')
    .addOption(roleOption())
    .option('--expires-in <duration>', 'lifetime, e.g. 30d, 12h (at most 366d)', '30d')
    .option('--name <name>', 'what the token is for', 'cli')
    .action(
      action(async (flags: { email: string; role?: Role; expiresIn: string; name: string }, command: Command) => {
        const options = globalOptions(command);
        const email = parse(emailFlag, flags.email, 'email');
        const expiresInMs = parseDuration(flags.expiresIn);
        const created = await withAuth(options, async (auth) => {
          const actor = cliActor();
          const user = await auth.findUserByEmail(actor, email);
          return auth.createToken(actor, { name: flags.name, role: flags.role, expiresInMs, userId: user.id });
        });
        printResult(
          options,
          created,
          (value) =>
            `${value.token}\n(API token for ${email}, role ${value.role}, expires ${value.expiresAt}. It is shown this once.)`,
        );
      }),
    );

  tokens
    .command('list')
    .description('List API tokens (never their secrets)')
    .action(
      action(async (_flags: unknown, command: Command) => {
        const options = globalOptions(command);
        const items = await withAuth(options, (auth) => auth.listTokens(cliActor()));
        printResult(options, { items }, (value) =>
          formatTable(['id', 'user', 'name', 'prefix', 'role', 'expires', 'revoked'], value.items.map(tokenRow)),
        );
      }),
    );

  tokens
    .command('revoke')
    .description('Revoke an API token')
    .requiredOption('--id <id>', 'token id (from tokens list)')
    .action(
      action(async (flags: { id: string }, command: Command) => {
        const options = globalOptions(command);
        const id = parse(z.coerce.number().int().positive(), flags.id, 'id');
        const token = await withAuth(options, (auth) => auth.revokeToken(cliActor(), id));
        printResult(options, token, (value) => `Revoked token ${value.id} (${value.name}).`);
      }),
    );
}
