/**
 * Builds the web app (dist/web) with Vite's JS API when it is missing or older than its sources;
 * otherwise prints nothing and exits fast (Vite is only loaded when a build is needed).
 * `npm start` runs this first; the browser tests call buildWebIfStale() too.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const webDistIndex = join(repoRoot, 'dist/web/index.html');

/** What the bundle is made from: the app, its config, the shared kernel it imports, and the locked dependencies. */
const inputs = [
  'src/web',
  'vite.config.ts',
  'src/shared',
  'src/features/accounts/account.schema.ts',
  'package-lock.json',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's mtime
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

export function isWebBuildStale(root: string = repoRoot): boolean {
  const index = join(root, 'dist/web/index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return inputs.some((input) => newestMtime(join(root, input)) > built);
}

export interface BuildResult {
  built: boolean;
  ms: number;
}

/** Builds when stale; `quiet` also silences the one line that says a build is happening. */
export async function buildWebIfStale(options: { quiet?: boolean } = {}): Promise<BuildResult> {
  if (!isWebBuildStale()) return { built: false, ms: 0 };
  const started = performance.now();
  if (!options.quiet) process.stderr.write('Building the web app (dist/web is missing or older than src/web)…\n');
  const { build } = await import('vite');
  await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: options.quiet ? 'silent' : 'warn' });
  const ms = Math.round(performance.now() - started);
  if (!options.quiet) process.stderr.write(`Built the web app in ${ms} ms.\n`);
  return { built: true, ms };
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  try {
    await buildWebIfStale();
  } catch (error) {
    process.stderr.write(`The web app could not be built: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
