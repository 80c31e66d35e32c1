import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { createAuthTestApp, type AuthTestApp, type SignedInUser } from '../../testing/auth.js';
import { databaseKinds } from '../../testing/databases.js';
import { insertAccount } from '../../testing/factories.js';
import { duplicateRoutes } from './duplicate.routes.js';
import { createDuplicateService, type DuplicateService } from './duplicate.service.js';

for (const kind of databaseKinds) {
  describe(`duplicates routes [${kind}]`, () => {
    let t: AuthTestApp;
    let admin: SignedInUser;
    const ids: number[] = [];
    beforeAll(async () => {
      let service: DuplicateService | null = null;
      const lazy: DuplicateService = {
        find: (...args) => service!.find(...args),
        merge: (...args) => service!.merge(...args),
        history: (...args) => service!.history(...args),
      };
      t = await createAuthTestApp(kind, { routes: duplicateRoutes(lazy) });
      service = createDuplicateService({ db: t.database.db, clock: fixedClock('2026-11-24T02:00:00Z') });
      admin = await t.user('admin');
      ids.push((await insertAccount(t.database.db, { code: 'RD-1', name_en: 'Pacific Star Shipping Ltd' })).id);
      ids.push((await insertAccount(t.database.db, { code: 'RD-2', name_en: 'Pacific Star Shipping Limited' })).id);
    });
    afterAll(() => t.close());

    it('lists likely duplicates with reasons, merges with a version check (409 when stale) and shows the merge', async () => {
      const list = await t.app.inject({ url: '/api/duplicates/accounts', headers: admin.headers });
      expect(list.statusCode).toBe(200);
      const pair = list.json<{
        items: { a: { id: number; version: number }; b: { id: number; version: number }; reasons: string[] }[];
      }>().items[0]!;
      expect(pair.reasons[0]).toMatch(/^similar English name/);
      const stale = await t.app.inject({
        method: 'POST',
        url: '/api/merges/accounts',
        headers: admin.headers,
        payload: { survivorId: pair.a.id, mergedId: pair.b.id, survivorVersion: pair.a.version + 1 },
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json()).toMatchObject({ code: 'conflict', details: { changed: [{ id: pair.a.id }] } });
      const merged = await t.app.inject({
        method: 'POST',
        url: '/api/merges/accounts',
        headers: admin.headers,
        payload: {
          survivorId: pair.a.id,
          mergedId: pair.b.id,
          survivorVersion: pair.a.version,
          mergedVersion: pair.b.version,
        },
      });
      expect(merged.statusCode).toBe(200);
      const history = await t.app.inject({ url: `/api/merges/accounts/${pair.a.id}`, headers: admin.headers });
      expect(history.json<{ items: { mergedId: number; mergedBy: number }[] }>().items[0]).toMatchObject({
        mergedId: pair.b.id,
        mergedBy: admin.user.id,
      });
      expect((await t.app.inject({ url: '/api/duplicates/accounts' })).statusCode).toBe(401);
    });
  });
}
