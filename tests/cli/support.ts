import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const rapportBin = join(repoRoot, 'bin', 'rapport');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs ./bin/rapport as a user would, in its own process, with a clean environment for Rapport's variables. */
export function runRapport(args: string[], env: NodeJS.ProcessEnv = {}, cwd = tmpdir()): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(rapportBin, args, {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'rapport-cli-'));
