import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connect.js';
import { writeAccountsCsv, writeTransactionsCsv } from '../../src/features/imports/import.fixtures.js';
import { createRandom } from '../../src/shared/random.js';
import { rapportBin, runRapport, tempDataDir } from './support.js';

/**
 * kill -9 at random moments of a 200k-row import, then the same command again until it completes: the table
 * must equal an uninterrupted run's — same rows, same checksum, no duplicates — and the import's counts too.
 */
const ROWS = 200_000;
const ACCOUNTS = 1_000;

interface Snapshot {
  count: number;
  distinct: number;
  total: string;
  digest: string;
}

async function snapshot(dataDir: string): Promise<Snapshot> {
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    return await database.rawTransaction(async (raw) => {
      const rows = await raw.query<Snapshot>(
        `select count(*)::int as count, count(distinct t.external_id)::int as distinct, sum(t.amount)::text as total,
           md5(string_agg(t.external_id || '|' || a.code || '|' || t.amount::text || '|' || t.occurred_at::text || '|' || t.quantity::text,
               ',' order by t.external_id)) as digest
         from transactions t join accounts a on a.id = t.account_id`,
      );
      return rows[0]!;
    });
  } finally {
    await database.close();
  }
}

interface ImportListItem {
  importId: number;
  entity: string;
  status: string;
  rowsDone: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  startedBy: { id: number; name: string } | null;
}

async function transactionImports(dataDir: string): Promise<ImportListItem[]> {
  const result = await runRapport(['imports', 'list', '--json', '--data-dir', dataDir]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { items: ImportListItem[] }).items.filter(
    (item) => item.entity === 'transactions',
  );
}

/**
 * Starts the import (without --json, so it prints progress) and SIGKILLs it delayMs after its first progress line — printed once a batch has committed —
 * so every kill lands inside the import, at a random point; resolves true when it was killed.
 */
function killDuringImport(args: string[], delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(rapportBin, args, {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (chunk: Buffer) => {
      if (!timer && chunk.toString('utf8').includes('Importing'))
        timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL');
    });
  });
}

describe('import kill-and-resume', () => {
  it(
    'ends with exactly the rows of an uninterrupted run after kill -9 at random moments',
    { timeout: 600_000 },
    async () => {
      const work = tempDataDir();
      const accountsFile = join(work, 'accounts.csv');
      const transactionsFile = join(work, 'transactions.csv');
      await writeAccountsCsv(accountsFile, ACCOUNTS);
      await writeTransactionsCsv(transactionsFile, ROWS, ACCOUNTS, 7);

      const reference = join(work, 'reference');
      const interrupted = join(work, 'interrupted');
      for (const dataDir of [reference, interrupted]) {
        const accounts = await runRapport([
          'import',
          accountsFile,
          '--entity',
          'accounts',
          '--json',
          '--data-dir',
          dataDir,
        ]);
        expect(accounts.code, accounts.stderr).toBe(0);
      }
      const importArgs = (dataDir: string, json = true) => [
        'import',
        transactionsFile,
        '--entity',
        'transactions',
        ...(json ? ['--json'] : []),
        '--data-dir',
        dataDir,
      ];

      const uninterrupted = await runRapport(importArgs(reference));
      expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
      expect(JSON.parse(uninterrupted.stdout)).toMatchObject({
        inserted: ROWS,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        errorsFile: null,
      });
      const expected = await snapshot(reference);
      expect(expected.count).toBe(ROWS);

      // Kill at random moments after a batch has committed (a resumed run commits its next batch first); within
      // 0.6 s, because a quiet machine imports the 200k rows in a few seconds.
      const random = createRandom(Date.now() % 100_000);
      const checkpoints: number[] = [];
      let kills = 0;
      for (let attempt = 0; attempt < 8 && kills < 3; attempt += 1) {
        const killed = await killDuringImport(importArgs(interrupted, false), random.int(0, 600));
        const imports = await transactionImports(interrupted);
        expect(imports.length).toBeLessThanOrEqual(1); // every run resumed the same import, never started a second
        if (!killed || imports[0]?.status === 'completed') break;
        kills += 1;
        checkpoints.push(imports[0]?.rowsDone ?? 0);
        // The data so far is exactly the committed batches: no partial batch, no duplicates.
        const partial = await snapshot(interrupted);
        expect(partial.count).toBe(partial.distinct);
        expect(partial.count).toBe(imports[0]?.inserted ?? 0);
        expect((imports[0]?.rowsDone ?? 0) % 5000 === 0 || imports[0]?.rowsDone === ROWS).toBe(true);
      }
      expect(kills).toBeGreaterThan(0);
      expect(checkpoints.some((done) => done > 0 && done < ROWS)).toBe(true);

      const finish = await runRapport(importArgs(interrupted));
      expect(finish.code, finish.stderr).toBe(0);
      expect(JSON.parse(finish.stdout)).toMatchObject({ inserted: ROWS, updated: 0, unchanged: 0, rejected: 0 });
      const imports = await transactionImports(interrupted);
      expect(imports).toHaveLength(1);
      // Started from the command line: by no user.
      expect(imports[0]).toMatchObject({ status: 'completed', rowsDone: ROWS, inserted: ROWS, startedBy: null });
      expect(await snapshot(interrupted)).toEqual(expected);

      // And the same command once more: a new import that changes nothing.
      const again = await runRapport(importArgs(interrupted));
      expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: ROWS, rejected: 0 });
      expect(await snapshot(interrupted)).toEqual(expected);
    },
  );
});
