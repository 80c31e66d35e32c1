/**
 * `npm run dev`: the API server (`rapport serve --demo`, restarted on change by tsx watch) and Vite's
 * dev server (hot reload, /api proxied to the API). Ctrl-C stops both; if either dies, the other stops too.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const tsxCli = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
// vite.config.ts proxies /api to RAPPORT_API_URL; by default that is the API's own PORT (3000).
process.env.RAPPORT_API_URL ??= `http://127.0.0.1:${process.env.PORT ?? '3000'}`;
const apiUrl = process.env.RAPPORT_API_URL;

const api = spawn(
  process.execPath,
  [tsxCli, 'watch', '--clear-screen=false', '--exclude', 'src/web/**', 'src/cli/main.ts', 'serve', '--demo'],
  { cwd: repoRoot, stdio: 'inherit', env: { NODE_ENV: 'development', ...process.env } },
);

const web = await createServer({ configFile: join(repoRoot, 'vite.config.ts') });

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (api.exitCode === null && api.signalCode === null) api.kill('SIGTERM');
  await web.close().catch(() => undefined);
  const forced = setTimeout(() => api.kill('SIGKILL'), 5000);
  if (api.exitCode === null && api.signalCode === null) await new Promise((done) => api.once('exit', done));
  clearTimeout(forced);
  process.exit(code);
}

api.on('exit', (code, signal) => {
  if (stopping) return;
  process.stderr.write(
    `\nThe API server stopped (${signal ?? `exit code ${code ?? '?'}`}); stopping the web dev server.\n`,
  );
  void stop(code ?? 1);
});
api.on('error', (error) => {
  process.stderr.write(`Could not start the API server: ${error.message}\n`);
  void stop(1);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));

try {
  await web.listen();
  web.printUrls();
  process.stderr.write(`  ➜  API:     ${apiUrl}/api (proxied at /api; Ctrl-C stops both)\n\n`);
} catch (error) {
  process.stderr.write(`Could not start the web dev server: ${(error as Error).message}\n`);
  await stop(1);
}
