import { beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { describeEachDatabase, type TestDatabase } from '../../testing/databases.js';
import { insertAccount, insertTransaction } from '../../testing/factories.js';
import { duplicateQuerySchema } from './duplicate.schema.js';
import { createDuplicateService, type DuplicateService } from './duplicate.service.js';

const query = (input: Record<string, unknown> = {}) => duplicateQuerySchema.parse(input);

describeEachDatabase('duplicates and merges', (use) => {
  let database: TestDatabase;
  let service: DuplicateService;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    database = use();
    service = createDuplicateService({ db: database.db, clock: fixedClock('2026-11-24T02:00:00Z') });
    ids.harbour = (
      await insertAccount(database.db, {
        code: 'D-1',
        name_en: 'Harbour Link Logistics Ltd',
        name_zh: '港聯物流有限公司',
        parent_id: null,
      })
    ).id;
    ids.harbour2 = (
      await insertAccount(database.db, { code: 'D-2', name_en: 'Harbour Link Logistics Limited', name_zh: '港聯物流' })
    ).id;
    ids.kowloon = (await insertAccount(database.db, { code: 'D-3', name_en: 'Kowloon Auto Parts', name_zh: null })).id;
    ids.kowloon2 = (await insertAccount(database.db, { code: 'D-4', name_en: 'KAP Trading', name_zh: null })).id;
    ids.member = (
      await insertAccount(database.db, {
        code: 'D-5',
        name_en: 'Unrelated Member Co',
        name_zh: null,
        parent_id: ids.harbour2,
      })
    ).id;
    await database.db
      .insertInto('contacts')
      .values([
        { account_id: ids.kowloon, name: 'Tom Lee', email: 'tom@kap.hk', phone: '+85291234567' },
        { account_id: ids.kowloon2, name: 'Tom Lee', email: 'tom@kap.hk', phone: null },
        { account_id: ids.harbour, name: 'Karen Chan', email: 'karen@hl.hk', phone: null },
        { account_id: ids.harbour, name: 'Karen Chan', email: null, phone: '+85298765432' },
        { account_id: ids.harbour2, name: 'Ivy Ho', email: 'ivy@hl.hk', phone: null },
      ])
      .execute();
    await insertTransaction(database.db, ids.harbour2, '2026-01-05T03:00:00Z', '500.00');
    await database.db
      .updateTable('accounts')
      .set({ tags: ['key'] })
      .where('id', '=', ids.harbour)
      .execute();
    await database.db
      .updateTable('accounts')
      .set({ tags: ['sea', 'key'], source: 'trade fair' })
      .where('id', '=', ids.harbour2)
      .execute();
  });

  it('finds accounts with a shared contact email, similar English names or the same Chinese name, with reasons', async () => {
    const pairs = await service.find('accounts', query());
    const byPair = new Map(pairs.map((p) => [`${p.a.id}-${p.b.id}`, p.reasons]));
    expect(byPair.get(`${ids.kowloon}-${ids.kowloon2}`)).toEqual(['same contact email tom@kap.hk']);
    const harbour = byPair.get(`${ids.harbour}-${ids.harbour2}`) ?? [];
    expect(harbour).toContain('same Chinese name 港聯物流有限公司');
    expect(harbour.some((reason) => reason.startsWith('similar English name'))).toBe(true);
    expect(pairs[0]?.a.label).toContain('D-');
    expect((await service.find('accounts', query({ accountId: ids.kowloon }))).map((p) => p.b.id)).toEqual([
      ids.kowloon2,
    ]);
  });

  it('finds contacts with the same email, phone or a similar name at the same account', async () => {
    const pairs = await service.find('contacts', query());
    expect(pairs.map((p) => p.reasons).flat()).toEqual(expect.arrayContaining(['same email tom@kap.hk']));
    expect(pairs.some((p) => p.reasons.some((r) => r.startsWith('similar name at the same account')))).toBe(true);
  });

  it('merges an account: history moves to the survivor, the merged one is archived and recorded', async () => {
    const [survivor, merged] = await database.db
      .selectFrom('accounts')
      .select(['id', 'version'])
      .where('id', 'in', [ids.harbour!, ids.harbour2!])
      .orderBy('id')
      .execute();
    const stale = service.merge('accounts', {
      survivorId: ids.harbour!,
      mergedId: ids.harbour2!,
      survivorVersion: survivor!.version + 5,
    });
    await expect(stale).rejects.toMatchObject({
      code: 'conflict',
      details: { changed: [{ id: ids.harbour, actual: survivor!.version }] },
    });

    const result = await service.merge(
      'accounts',
      {
        survivorId: ids.harbour!,
        mergedId: ids.harbour2!,
        survivorVersion: survivor!.version,
        mergedVersion: merged!.version,
        reason: 'same company',
      },
      null,
    );
    expect(result.moved).toMatchObject({ transactions: 1, contacts: 1, member_accounts: 1 });
    const after = await database.db
      .selectFrom('accounts')
      .select(['id', 'tags', 'source', 'archived_at', 'parent_id'])
      .where('id', 'in', [ids.harbour!, ids.harbour2!, ids.member!])
      .orderBy('id')
      .execute();
    expect(after[0]).toMatchObject({ tags: ['key', 'sea'], source: 'trade fair', archived_at: null });
    expect(after[1]?.archived_at).not.toBeNull();
    expect(after[2]?.parent_id).toBe(ids.harbour);
    const history = await service.history('accounts', ids.harbour!);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ mergedId: ids.harbour2, reason: 'same company', merged: { code: 'D-2' } });
    await expect(
      service.merge('accounts', { survivorId: ids.harbour!, mergedId: ids.harbour2! }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect((await service.find('accounts', query())).some((p) => [p.a.id, p.b.id].includes(ids.harbour2!))).toBe(false);
  });

  it('merges contacts, filling empty fields and moving interactions to the survivor', async () => {
    const karen = await database.db
      .selectFrom('contacts')
      .select(['id'])
      .where('account_id', '=', ids.harbour!)
      .where('name', '=', 'Karen Chan')
      .orderBy('id')
      .execute();
    await database.db
      .insertInto('interactions')
      .values({
        account_id: ids.harbour!,
        channel: 'phone',
        occurred_at: '2026-02-01T02:00:00Z',
        contact_ids: [karen[1]!.id],
      })
      .execute();
    const result = await service.merge('contacts', { survivorId: karen[0]!.id, mergedId: karen[1]!.id });
    expect(result.moved).toEqual({ interactions: 1 });
    const survivor = await database.db
      .selectFrom('contacts')
      .select(['email', 'phone'])
      .where('id', '=', karen[0]!.id)
      .executeTakeFirstOrThrow();
    expect(survivor).toEqual({ email: 'karen@hl.hk', phone: '+85298765432' });
    const interaction = await database.db.selectFrom('interactions').select('contact_ids').executeTakeFirstOrThrow();
    expect(interaction.contact_ids.map(Number)).toEqual([karen[0]!.id]);
    await expect(service.merge('contacts', { survivorId: karen[0]!.id, mergedId: karen[0]!.id })).rejects.toMatchObject(
      { code: 'validation_failed' },
    );
    await expect(service.merge('contacts', { survivorId: karen[0]!.id, mergedId: 999_999 })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
