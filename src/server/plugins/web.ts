import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors.js';

/**
 * The one not-found handler. Unknown /api paths get the JSON 404 body; with a web build (dist/web),
 * other GETs fall back to index.html so client-side routes such as /customers/42 load the app.
 */
export async function registerWebAndFallback(app: FastifyInstance, distDir: string | null): Promise<void> {
  const hasBuild = distDir !== null && existsSync(join(distDir, 'index.html'));
  if (hasBuild) {
    await app.register(fastifyStatic, { root: distDir, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith('/api') || request.method !== 'GET' || distDir === null) {
      return reply.status(404).send(new AppError('not_found', `No route ${request.method} ${path}`).toBody());
    }
    if (!hasBuild) {
      return reply
        .status(404)
        .type('text/plain')
        .send('The web app is not built. Run `npm run build` (or `npm start`, which builds it).');
    }
    return reply.sendFile('index.html');
  });
}
