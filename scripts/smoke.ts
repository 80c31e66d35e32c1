import { loadConfig } from '../src/config/env.js';
import { composeApp } from '../src/compose.js';
import { buildApp } from '../src/server/app.js';
const t0 = Date.now();
const ctx = await composeApp(loadConfig({ dataDir: '/tmp/rapport-smoke' }));
console.log('composed', Date.now() - t0, ctx.migrationsApplied);
const app = await buildApp(ctx, { logLevel: 'silent', webDistDir: null });
for (const url of ['/api/health', '/api/accounts?limit=0', '/api/accounts/1', '/api/accounts?q=x&sort=code', '/api/nope']) {
  const r = await app.inject({ url });
  console.log(url, r.statusCode, r.body.slice(0, 300));
}
const oa = await app.inject({ url: '/api/openapi.json' });
console.log(oa.statusCode, oa.body.slice(0, 400));
await app.close(); await ctx.close();
