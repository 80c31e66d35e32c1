import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { rapportBin, runRapport, tempDataDir, type CliResult } from './support.js';

/** `rapport users …`, `tokens …` and `audit verify` as an operator runs them, in their own processes. */
function runWithStdin(args: string[], input: string): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(rapportBin, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('rapport users, tokens and audit', () => {
  it('adds users, lists them, creates a token shown once, deactivates, and verifies the audit log', async () => {
    const dataDir = tempDataDir();
    const added = await runWithStdin(
      ['users', 'add', '--email', 'Boss@Example.HK', '--role', 'admin', '--password-stdin', '--data-dir', dataDir],
      'a long admin passphrase\n',
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Added boss@example.hk (admin)');
    expect(added.stdout).not.toContain('passphrase');

    const generated = await runRapport([
      'users',
      'add',
      '--email',
      'mei@example.hk',
      '--role',
      'sales',
      '--team',
      'Sea Freight',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(generated.code).toBe(0);
    const body = JSON.parse(generated.stdout) as { user: { team: string }; password: string };
    expect(body.user.team).toBe('Sea Freight');
    expect(body.password.length).toBeGreaterThanOrEqual(20);

    const list = await runRapport(['users', 'list', '--data-dir', dataDir]);
    expect(list.stdout).toMatch(/boss@example\.hk\s+boss@example\.hk\s+admin/);
    expect(list.stdout).toMatch(/mei@example\.hk.*sales\s+Sea Freight\s+active/);

    const token = await runRapport([
      'tokens',
      'create',
      '--email',
      'mei@example.hk',
      '--expires-in',
      '30d',
      '--data-dir',
      dataDir,
    ]);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^rpt_[A-Za-z0-9_-]{43}\n/);
    const tooWide = await runRapport([
      'tokens',
      'create',
      '--email',
      'mei@example.hk',
      '--role',
      'admin',
      '--data-dir',
      dataDir,
    ]);
    expect(tooWide.code).toBe(3);
    expect(tooWide.stderr).toMatch(/^rapport: .*wider than/);
    const badDuration = await runRapport([
      'tokens',
      'create',
      '--email',
      'mei@example.hk',
      '--expires-in',
      'forever',
      '--data-dir',
      dataDir,
    ]);
    expect(badDuration.code).toBe(2);

    const deactivated = await runRapport(['users', 'deactivate', '--email', 'mei@example.hk', '--data-dir', dataDir]);
    expect(deactivated.stdout).toContain('0 session(s) ended, 1 token(s) revoked');
    const unknown = await runRapport(['users', 'deactivate', '--email', 'nobody@example.hk', '--data-dir', dataDir]);
    expect(unknown.code).toBe(4);

    const verified = await runRapport(['audit', 'verify', '--data-dir', dataDir]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/The audit log is intact: \d+ entries, head [0-9a-f]{64}/);

    // Someone with the database owner's rights disables the trigger and rewrites history: verify notices.
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await database.rawTransaction((raw) =>
        raw.exec(
          "alter table audit_log disable trigger audit_log_append_only; update audit_log set action = 'update' where id = 1; alter table audit_log enable trigger audit_log_append_only;",
        ),
      );
    } finally {
      await database.close();
    }
    const tampered = await runRapport(['audit', 'verify', '--json', '--data-dir', dataDir]);
    expect(tampered.code).toBe(5);
    expect(JSON.parse(tampered.stdout)).toMatchObject({
      error: { code: 'conflict', details: { ok: false, brokenAt: 1 } },
    });
  }, 120_000);

  it('serve tells how to create the first admin when no one can sign in', async () => {
    const dataDir = tempDataDir();
    const server = spawn(rapportBin, ['serve', '--port', '0', '--data-dir', dataDir], {
      env: { PATH: process.env.PATH, CI: 'true', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = '';
    try {
      await new Promise<void>((resolve, reject) => {
        server.stderr.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes('Press Ctrl-C')) resolve();
        });
        server.on('exit', () => reject(new Error(`server exited: ${seen}`)));
      });
    } finally {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.on('exit', resolve));
    }
    expect(seen).toContain('No one can sign in yet');
    expect(seen).toContain('users add --email you@example.com --role admin --password-stdin');
  }, 60_000);
});
