/**
 * `npm run bench`: every speed figure beside its reference, measured in the same run.
 * `npm run bench -- models analytics` runs only the named groups. Results also go to bench/out/results.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { benchAccounts } from './accounts.bench.js';
import { benchAnalytics } from './analytics.bench.js';
import { benchDemo } from './demo.bench.js';
import { benchImport } from './import.bench.js';
import { benchModels } from './models.bench.js';
import { printRows, type Row } from './report.js';

const groups: Record<string, () => Promise<Row[]>> = {
  models: benchModels,
  demo: benchDemo,
  import: benchImport,
  analytics: benchAnalytics,
  accounts: benchAccounts,
};

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !(name in groups));
if (unknown.length > 0) {
  console.error(`Unknown bench group(s): ${unknown.join(', ')}. Known: ${Object.keys(groups).join(', ')}`);
  process.exit(2);
}

console.log(
  `Machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} free), load ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}, node ${process.version}`,
);
const results: Record<string, Row[]> = {};
for (const [name, run] of Object.entries(groups)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n== ${name}`);
  const started = performance.now();
  const rows = await run();
  results[name] = rows;
  printRows(rows);
  console.log(
    `(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB)`,
  );
}
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./out/results.json', import.meta.url),
  `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`,
);
