import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRandom } from '../../shared/random.js';

/**
 * Generated import files for tests and the bench: deterministic for a seed, written as a stream so a
 * 10M-row file never sits in memory.
 */
export const fixtureAccountCode = (i: number): string => `C${String(i).padStart(6, '0')}`;

async function writeLines(path: string, header: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header}\n`);
  let chunk = '';
  for (let i = 1; i <= count; i += 1) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 256 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'close');
}

export function writeAccountsCsv(path: string, accounts: number): Promise<void> {
  return writeLines(
    path,
    'account_code,name,industry',
    accounts,
    (i) => `${fixtureAccountCode(i)},Customer ${i} Ltd,freight`,
  );
}

/** transaction_id,account_code,occurred_at,amount,currency,quantity,unit — day-first dates as Hong Kong exports write them. */
export function writeTransactionsCsv(path: string, rows: number, accounts: number, seed = 1): Promise<void> {
  const random = createRandom(seed);
  const pad = (n: number) => String(n).padStart(2, '0');
  return writeLines(path, 'transaction_id,account_code,occurred_at,amount,currency,quantity,unit', rows, (i) => {
    const day = random.int(1, 28);
    const month = random.int(1, 12);
    const year = random.int(2021, 2025);
    const amount = (random.int(100, 5_000_000) / 100).toFixed(2);
    return `T${String(i).padStart(9, '0')},${fixtureAccountCode(random.int(1, accounts))},${pad(day)}/${pad(month)}/${year} ${pad(random.int(8, 19))}:${pad(random.int(0, 59))},${amount},HKD,${random.int(1, 40)},TEU`;
  });
}
