import { loadConfig, type AppConfig } from '../config/env.js';
import { composeApp, type AppContext } from '../compose.js';
import type { GlobalOptions } from './action.js';

export { action, globalOptions, type GlobalOptions } from './action.js';

export const configFor = (options: GlobalOptions, overrides: { port?: number } = {}): AppConfig =>
  loadConfig({ dataDir: options.dataDir, port: overrides.port });

/** Opens the app (database, migrations, services) for one command and always closes it. */
export async function withApp<T>(options: GlobalOptions, fn: (context: AppContext) => Promise<T>): Promise<T> {
  const context = await composeApp(configFor(options));
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}
