import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../testing/databases.js';
import { insertAccount, insertTransaction, insertUser } from '../../testing/factories.js';
import { accountListQuerySchema } from './account-filter.schema.js';
import { createAccountService } from './account.service.js';
import { buildActor, systemActor } from '../auth/index.js';

const admin = systemActor();

const query = (input: Record<string, unknown> = {}) => accountListQuerySchema.parse(input);

describeEachDatabase('account service', (use) => {
  let groupId = 0;
  beforeAll(async () => {
    const { db } = use();
    const owner = await insertUser(db, 'Mei Ling Chan');
    const group = await insertAccount(db, { code: 'GRP-1', name_en: 'Pacific Star Group', name_zh: '太平洋之星集團' });
    groupId = group.id;
    await insertAccount(db, {
      code: 'ACC-1',
      name_en: 'Harbour Link Logistics',
      name_zh: '港聯物流',
      parent_id: group.id,
      owner_id: owner.id,
    });
    await insertAccount(db, {
      code: 'ACC-2',
      name_en: 'Kowloon Auto Parts',
      name_zh: '九龍汽車零件',
      industry: 'automotive',
    });
    await insertAccount(db, { code: 'ACC-3', name_en: '100% Fresh_Mart', name_zh: null, industry: 'retail' });
    for (let i = 0; i < 7; i += 1) await insertAccount(db, { code: `BULK-${i}`, name_en: `Bulk Shipper ${i}` });
    await insertTransaction(db, group.id, '2026-01-05T03:00:00Z', '1200.50');
    await insertTransaction(db, group.id, '2026-03-05T03:00:00Z', '799.50');
  });

  it('searches code, English and Chinese names, case-insensitively', async () => {
    const service = createAccountService({ db: use().db });
    expect((await service.listAccounts(admin, query({ q: 'harbour' }))).items.map((a) => a.code)).toEqual(['ACC-1']);
    expect((await service.listAccounts(admin, query({ q: '港聯' }))).items.map((a) => a.code)).toEqual(['ACC-1']);
    expect((await service.listAccounts(admin, query({ q: 'grp-' }))).items.map((a) => a.code)).toEqual(['GRP-1']);
  });

  it('treats LIKE wildcards in the search as text', async () => {
    const service = createAccountService({ db: use().db });
    expect((await service.listAccounts(admin, query({ q: '100%' }))).items.map((a) => a.code)).toEqual(['ACC-3']);
    expect((await service.listAccounts(admin, query({ q: 'h_mart' }))).items.map((a) => a.code)).toEqual(['ACC-3']);
    expect((await service.listAccounts(admin, query({ q: 'h%mart' }))).items).toEqual([]);
    expect((await service.listAccounts(admin, query({ q: 'fresh_ma' }))).items).toHaveLength(1);
    expect((await service.listAccounts(admin, query({ q: 'freshxmart' }))).items).toEqual([]);
  });

  it('walks every page exactly once with cursors, in both directions of every sort', async () => {
    const service = createAccountService({ db: use().db });
    for (const sort of ['name', 'code', 'created'] as const) {
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await service.listAccounts(admin, query({ sort, order, limit: 3, cursor }));
          seen.push(...page.items.map((a) => a.code));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        const all = (await service.listAccounts(admin, query({ sort, order, limit: 200 }))).items.map((a) => a.code);
        expect(seen).toEqual(all);
        expect(new Set(seen).size).toBe(11);
      }
    }
  });

  it('sorts by code descending', async () => {
    const service = createAccountService({ db: use().db });
    const codes = (await service.listAccounts(admin, query({ sort: 'code', order: 'desc', limit: 3 }))).items.map(
      (a) => a.code,
    );
    expect(codes).toEqual(['GRP-1', 'BULK-6', 'BULK-5']);
  });

  it('filters by industry and returns parent and owner', async () => {
    const service = createAccountService({ db: use().db });
    const freight = await service.listAccounts(admin, query({ industry: 'freight', q: 'ACC' }));
    expect(freight.items).toHaveLength(1);
    expect(freight.items[0]).toMatchObject({ code: 'ACC-1', parentCode: 'GRP-1', ownerName: 'Mei Ling Chan' });
  });

  it('returns one account with its group members and transaction totals', async () => {
    const service = createAccountService({ db: use().db });
    const group = await service.getAccount(admin, groupId);
    expect(group).toMatchObject({ code: 'GRP-1', memberCount: 1, contactCount: 0 });
    expect(group.totals).toEqual({
      transactionCount: 2,
      revenue: '2000.00',
      firstTransactionAt: '2026-01-05T03:00:00.000Z',
      lastTransactionAt: '2026-03-05T03:00:00.000Z',
    });
  });

  it('answers not_found for an unknown id and validation_failed for a forged cursor', async () => {
    const service = createAccountService({ db: use().db });
    await expect(service.getAccount(admin, 999_999)).rejects.toMatchObject({ code: 'not_found' });
    await expect(service.listAccounts(admin, query({ cursor: 'not-a-cursor' }))).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('applies record scope: own, team and all; an account outside the scope does not exist', async () => {
    const { db } = use();
    const service = createAccountService({ db });
    const team = (name: string, teamName: string) =>
      db
        .insertInto('users')
        .values({ email: `${name}@scope.test`, display_name: name, role: 'sales', team: teamName })
        .returning('id')
        .executeTakeFirstOrThrow();
    const me = await team('me', 'Scope Sea');
    const mate = await team('mate', 'Scope Sea');
    const stranger = await team('stranger', 'Scope Air');
    const own = await insertAccount(db, { code: 'SCOPE-OWN', owner_id: me.id, parent_id: groupId });
    const mine = await insertAccount(db, { code: 'SCOPE-TEAM', owner_id: mate.id });
    const other = await insertAccount(db, { code: 'SCOPE-OTHER', owner_id: stranger.id });
    const sales = buildActor({ userId: me.id, role: 'sales', team: 'Scope Sea', via: 'token' });
    const listed = (await service.listAccounts(sales, query({ q: 'SCOPE-' }))).items.map((a) => a.code);
    expect(listed).toEqual(['SCOPE-OTHER', 'SCOPE-OWN', 'SCOPE-TEAM'].filter((code) => code !== 'SCOPE-OTHER').sort());
    expect(await service.getAccount(sales, mine.id)).toMatchObject({ code: 'SCOPE-TEAM' });
    await expect(service.getAccount(sales, other.id)).rejects.toMatchObject({
      code: 'not_found',
      message: `Account ${other.id} does not exist.`,
    });
    // The parent group (unowned) is outside the sales user's scope: named by id only.
    expect(await service.getAccount(sales, own.id)).toMatchObject({
      parentId: groupId,
      parentCode: null,
      parentName: null,
    });
    const viewer = buildActor({ userId: me.id, role: 'privacy_officer', team: null, via: 'token' });
    expect((await service.listAccounts(viewer, query({ q: 'SCOPE-' }))).items).toHaveLength(3);
    await expect(
      service.listAccounts(
        buildActor({ userId: me.id, role: 'sales', team: null, via: 'token' }),
        query({ q: 'SCOPE-' }),
      ),
    ).resolves.toMatchObject({
      items: [{ code: 'SCOPE-OWN' }],
    });
  });
});
