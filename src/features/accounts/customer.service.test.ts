import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { describeEachDatabase } from '../../testing/databases.js';
import { insertAccount } from '../../testing/factories.js';
import { buildActor, systemActor, type Role } from '../auth/index.js';
import {
  accountCreateSchema,
  accountUpdateSchema,
  interactionCreateSchema,
  type StaleEditDetails,
} from './customer.schema.js';
import { createCustomerService } from './customer.service.js';

const admin = systemActor();
const clock = fixedClock('2026-11-24T02:00:00Z');
const query = { page: 1, pageSize: 2 };

describeEachDatabase('customer service', (use) => {
  let salesId: number;
  let mateId: number;
  let strangerId: number;
  const actor = (role: Role, userId: number, team: string | null = 'Sea Freight') =>
    buildActor({ userId, role, team, via: 'token' });
  const service = () => createCustomerService({ db: use().db, clock });
  const auditCount = async (action: string, resource: string) => {
    const row = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_log where action = ${action} and resource = ${resource}`.execute(use().db);
    return Number(row.rows[0]?.n ?? 0);
  };

  beforeAll(async () => {
    const { db } = use();
    const user = (email: string, team: string) =>
      db
        .insertInto('users')
        .values({ email, display_name: email.split('@')[0]!, role: 'sales', team })
        .returning('id')
        .executeTakeFirstOrThrow();
    salesId = (await user('mei@svc.test', 'Sea Freight')).id;
    mateId = (await user('ken@svc.test', 'Sea Freight')).id;
    strangerId = (await user('amy@svc.test', 'Air Freight')).id;
  });

  it('creates an account with its needs profile, owned by the creator; codes are unique', async () => {
    const sales = actor('sales', salesId);
    const created = await service().createAccount(
      sales,
      accountCreateSchema.parse({
        code: 'SVC-1',
        nameEn: 'Pacific Harbour Logistics Ltd',
        nameZh: '太平洋海港物流有限公司',
        industry: 'freight',
        tags: ['key', 'sea', 'key'],
        needs: {
          servicesUsed: ['sea', 'HKG-LAX'],
          requirements: 'Weekly sailings',
          choiceFactors: [{ factor: 'price', importance: 5, performance: 3 }],
        },
      }),
    );
    expect(created).toMatchObject({
      code: 'SVC-1',
      ownerId: salesId,
      status: 'active',
      tags: ['key', 'sea'],
      needs: {
        servicesUsed: ['sea', 'HKG-LAX'],
        requirements: 'Weekly sailings',
        choiceFactors: [{ factor: 'price', importance: 5, performance: 3 }],
      },
      version: 1,
      archivedAt: null,
    });
    await expect(
      service().createAccount(
        sales,
        accountCreateSchema.parse({ code: 'SVC-1', nameEn: 'Again', industry: 'freight' }),
      ),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    // A sales user may only create accounts they own.
    await expect(
      service().createAccount(
        sales,
        accountCreateSchema.parse({ code: 'SVC-X', nameEn: 'Not mine', industry: 'freight', ownerId: strangerId }),
      ),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      service().createAccount(
        actor('viewer', salesId),
        accountCreateSchema.parse({ code: 'SVC-V', nameEn: 'V', industry: 'retail' }),
      ),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await auditCount('create', 'accounts')).toBe(1);
  });

  it('edits with the version; a stale edit answers conflict with the conflicting fields and the stored record', async () => {
    const sales = actor('sales', salesId);
    const { id } = await service().createAccount(
      sales,
      accountCreateSchema.parse({ code: 'SVC-2', nameEn: 'Kwai Chung Container', industry: 'freight' }),
    );
    const first = await service().updateAccount(
      sales,
      id,
      accountUpdateSchema.parse({ version: 1, status: 'prospect', source: ' trade fair ' }),
    );
    expect(first).toMatchObject({ version: 2, status: 'prospect', source: 'trade fair' });
    // The same edit again changes nothing and keeps the version.
    expect(
      await service().updateAccount(sales, id, accountUpdateSchema.parse({ version: 2, status: 'prospect' })),
    ).toMatchObject({ version: 2 });

    const error = await service()
      .updateAccount(
        sales,
        id,
        accountUpdateSchema.parse({ version: 1, status: 'lost', nameEn: 'Kwai Chung Container' }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'conflict' });
    const details = (error as { details: StaleEditDetails }).details;
    expect(details).toMatchObject({
      currentVersion: 2,
      yourVersion: 1,
      conflicts: [{ field: 'status', yours: 'lost', current: 'prospect' }],
    });
    expect(details.current).toMatchObject({ status: 'prospect', source: 'trade fair', version: 2 });
    expect(await auditCount('update', 'accounts')).toBe(1);
  });

  it('refuses a parent that makes a cycle, an unknown parent and another team’s owner', async () => {
    const sales = actor('sales', salesId);
    const group = await service().createAccount(
      sales,
      accountCreateSchema.parse({ code: 'SVC-G', nameEn: 'Group', industry: 'freight' }),
    );
    const member = await service().createAccount(
      sales,
      accountCreateSchema.parse({ code: 'SVC-M', nameEn: 'Member', industry: 'freight', parentId: group.id }),
    );
    await expect(
      service().updateAccount(sales, group.id, accountUpdateSchema.parse({ version: 1, parentId: member.id })),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: { parameter: 'parentId' },
    });
    await expect(
      service().updateAccount(sales, group.id, accountUpdateSchema.parse({ version: 1, parentId: 987_654 })),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
    const manager = actor('manager', mateId);
    await expect(
      service().updateAccount(manager, group.id, accountUpdateSchema.parse({ version: 1, ownerId: strangerId })),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(
      await service().updateAccount(manager, group.id, accountUpdateSchema.parse({ version: 1, ownerId: mateId })),
    ).toMatchObject({ ownerId: mateId, version: 2 });
  });

  it('archives and restores with the version', async () => {
    const sales = actor('sales', salesId);
    const { id } = await service().createAccount(
      sales,
      accountCreateSchema.parse({ code: 'SVC-A', nameEn: 'To archive', industry: 'retail' }),
    );
    const archived = await service().setAccountArchived(sales, id, 1, true);
    expect(archived.archivedAt).toBe('2026-11-24T02:00:00.000Z');
    await expect(service().setAccountArchived(sales, id, 1, false)).rejects.toMatchObject({ code: 'conflict' });
    expect((await service().setAccountArchived(sales, id, 2, false)).archivedAt).toBeNull();
  });

  it('applies the record scope: another team’s account does not exist, a teammate’s may be read but not edited', async () => {
    const sales = actor('sales', salesId);
    const mates = await insertAccount(use().db, { code: 'SVC-MATE', owner_id: mateId });
    const others = await insertAccount(use().db, { code: 'SVC-OTHER', owner_id: strangerId });
    await expect(service().overview(sales, others.id)).rejects.toMatchObject({
      code: 'not_found',
      message: `Account ${others.id} does not exist.`,
    });
    const overview = await service().overview(sales, mates.id);
    expect(overview.permissions).toEqual({
      edit: false,
      logInteraction: false,
      addActivity: false,
      editContacts: false,
      readTransactions: false,
      readInteractions: false,
    });
    expect(overview.contacts).toBeNull();
    expect(overview.monthly).toBeNull();
    await expect(
      service().updateAccount(sales, mates.id, accountUpdateSchema.parse({ version: 1, status: 'lost' })),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(service().transactions(sales, mates.id, query)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('keeps contacts in normal form, masks them for roles that may not see personal data, edits them with the version', async () => {
    const sales = actor('sales', salesId);
    const { id: accountId } = await service().createAccount(
      sales,
      accountCreateSchema.parse({ code: 'SVC-C', nameEn: 'Contacts Ltd', industry: 'freight' }),
    );
    const contact = await service().createContact(sales, accountId, {
      name: ' Chan Mei Ling ',
      email: 'Mei.Chan@Example.HK',
      phone: '9123 4567',
      channels: ['whatsapp'],
    });
    expect(contact).toMatchObject({
      name: 'Chan Mei Ling',
      email: 'mei.chan@example.hk',
      phone: '+85291234567',
      channels: ['whatsapp'],
      version: 1,
      masked: [],
    });
    await expect(service().createContact(sales, accountId, { title: 'Buyer' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(service().createContact(sales, accountId, { email: 'not an email' })).rejects.toMatchObject({
      code: 'validation_failed',
      details: { parameter: 'email' },
    });

    const analyst = actor('analyst', mateId, null);
    const [seen] = await service().listContacts(analyst, accountId, false);
    expect(seen).toMatchObject({ name: 'Chan Mei Ling', email: null, phone: null, masked: ['email', 'phone'] });

    const edited = await service().updateContact(sales, contact.id, {
      version: 1,
      title: 'Shipping manager',
      phone: '+852 2345 6789',
    });
    expect(edited).toMatchObject({ title: 'Shipping manager', phone: '+85223456789', version: 2 });
    await expect(service().updateContact(sales, contact.id, { version: 1, title: 'Buyer' })).rejects.toMatchObject({
      code: 'conflict',
      details: { conflicts: [{ field: 'title', yours: 'Buyer', current: 'Shipping manager' }] },
    });
    const archived = await service().setContactArchived(sales, contact.id, 2, true);
    expect(archived.archivedAt).not.toBeNull();
    expect(await service().listContacts(sales, accountId, false)).toEqual([]);
    expect(await service().listContacts(sales, accountId, true)).toHaveLength(1);
  });

  it('logs interactions by the actor with the account’s contacts, edits and archives them, and lists them with activities', async () => {
    const sales = actor('sales', salesId);
    const { id: accountId } = await service().createAccount(
      sales,
      accountCreateSchema.parse({ code: 'SVC-I', nameEn: 'Interactions Ltd', industry: 'freight' }),
    );
    const contact = await service().createContact(sales, accountId, { name: 'Ken Lee' });
    const other = await service().createContact(
      sales,
      (
        await service().createAccount(
          sales,
          accountCreateSchema.parse({ code: 'SVC-I2', nameEn: 'Other', industry: 'freight' }),
        )
      ).id,
      { name: 'Not here' },
    );
    const logged = await service().createInteraction(
      sales,
      accountId,
      interactionCreateSchema.parse({
        channel: 'phone',
        occurredAt: '2026-11-20T10:30:00+08:00',
        subject: 'Rates for Q1',
        contactIds: [contact.id],
      }),
    );
    expect(logged).toMatchObject({
      channel: 'phone',
      direction: 'outbound',
      occurredAt: '2026-11-20T02:30:00.000Z',
      userId: salesId,
      userName: 'mei',
      contactIds: [contact.id],
      version: 1,
    });
    await expect(
      service().createInteraction(
        sales,
        accountId,
        interactionCreateSchema.parse({ channel: 'visit', occurredAt: '2026-11-21T10:00:00Z', contactIds: [other.id] }),
      ),
    ).rejects.toMatchObject({ code: 'validation_failed', details: { parameter: 'contactIds' } });

    await service().createInteraction(
      sales,
      accountId,
      interactionCreateSchema.parse({ channel: 'visit', occurredAt: '2026-11-22T03:00:00Z', notes: 'Warehouse tour' }),
    );
    const edited = await service().updateInteraction(sales, logged.id, { version: 1, notes: 'Agreed to send a quote' });
    expect(edited).toMatchObject({ notes: 'Agreed to send a quote', version: 2 });
    await service().createActivity(sales, accountId, {
      kind: 'gift',
      description: 'Mooncakes',
      value: '880.00',
      currency: 'HKD',
      occurredOn: '2026-09-15',
    });

    const timeline = await service().timeline(sales, accountId, { limit: 100, include_archived: false });
    expect(timeline.interactions?.map((item) => item.channel)).toEqual(['visit', 'phone']);
    expect(timeline.activities).toMatchObject([
      { kind: 'gift', description: 'Mooncakes', value: '880.00', occurredOn: '2026-09-15', userName: 'mei' },
    ]);

    await service().setInteractionArchived(sales, logged.id, 2, true);
    expect(
      (await service().timeline(sales, accountId, { limit: 100, include_archived: false })).interactions,
    ).toHaveLength(1);
    expect(
      (await service().timeline(sales, accountId, { limit: 100, include_archived: true })).interactions,
    ).toHaveLength(2);
    // Sales may not delete activities (interactions:delete); a manager of the team may.
    const activityId = timeline.activities?.[0]?.id ?? 0;
    await expect(service().deleteActivity(sales, activityId)).rejects.toMatchObject({ code: 'forbidden' });
    await service().deleteActivity(actor('manager', mateId), activityId);
    expect((await service().timeline(sales, accountId, { limit: 100, include_archived: false })).activities).toEqual(
      [],
    );
  });

  it('builds the 360 overview: group and siblings, contacts, monthly revenue and volume in Hong Kong months, totals', async () => {
    const { db } = use();
    const group = await insertAccount(db, { code: 'O-GRP', name_en: 'Overview Group', owner_id: salesId });
    const account = await insertAccount(db, {
      code: 'O-1',
      name_en: 'Overview One',
      owner_id: salesId,
      parent_id: group.id,
    });
    await insertAccount(db, { code: 'O-2', name_en: 'Overview Two', owner_id: mateId, parent_id: group.id });
    await insertAccount(db, { code: 'O-3', name_en: 'Overview Three', owner_id: strangerId, parent_id: group.id });
    await insertAccount(db, { code: 'O-1A', name_en: 'Overview Member', owner_id: salesId, parent_id: account.id });
    await db
      .insertInto('transactions')
      .values([
        // 31 Oct 2026 20:00 UTC is 1 November in Hong Kong.
        {
          external_id: 'O-T1',
          account_id: account.id,
          occurred_at: '2026-10-31T20:00:00Z',
          amount: '1000.50',
          quantity: '2',
          unit: 'TEU',
          cost: '800',
        },
        {
          external_id: 'O-T2',
          account_id: account.id,
          occurred_at: '2026-11-03T02:00:00Z',
          amount: '500',
          quantity: '1',
          unit: 'TEU',
        },
        {
          external_id: 'O-T3',
          account_id: account.id,
          occurred_at: '2026-09-10T02:00:00Z',
          amount: '250',
          quantity: '120',
          unit: 'kg',
        },
        {
          external_id: 'O-T4',
          account_id: account.id,
          occurred_at: '2025-12-01T02:00:00Z',
          amount: '99',
          currency: 'USD',
        },
      ])
      .execute();
    const sales = actor('sales', salesId);
    await service().createContact(sales, account.id, { name: 'Overview Contact', email: 'ov@x.hk' });

    const overview = await service().overview(sales, account.id);
    expect(overview.account).toMatchObject({ code: 'O-1', parentId: group.id });
    expect(overview.group.parent).toMatchObject({ code: 'O-GRP' });
    // O-3 belongs to another team: not shown to a sales user.
    expect(overview.group.siblings.map((ref) => ref.code)).toEqual(['O-2']);
    expect(overview.group).toMatchObject({ siblingCount: 1, memberCount: 1, members: [{ code: 'O-1A' }] });
    expect(overview.contacts?.map((contact) => contact.name)).toEqual(['Overview Contact']);
    expect(overview.totals).toMatchObject({ transactionCount: 4, revenue: '1849.50' });
    const monthly = overview.monthly!;
    expect(monthly).toMatchObject({
      from: '2024-12',
      to: '2026-11',
      currency: 'HKD',
      mixedCurrencies: true,
      volumeUnit: 'TEU',
    });
    expect(monthly.points).toHaveLength(24);
    expect(monthly.points.at(-1)).toEqual({ month: '2026-11', revenue: '1500.50', transactions: 2, volume: '3.000' });
    expect(monthly.points.find((point) => point.month === '2026-09')).toEqual({
      month: '2026-09',
      revenue: '250.00',
      transactions: 1,
      volume: '0',
    });
    // The USD transaction is counted but not added to the HKD revenue.
    expect(monthly.points.find((point) => point.month === '2025-12')).toMatchObject({
      revenue: '0.00',
      transactions: 1,
    });
    expect(overview.permissions).toMatchObject({
      edit: true,
      logInteraction: true,
      readTransactions: true,
      readInteractions: true,
    });

    const page = await service().transactions(sales, account.id, query);
    expect(page).toMatchObject({ total: 4, page: 1, pageSize: 2, masked: ['cost'] });
    expect(page.items.map((item) => item.externalId)).toEqual(['O-T2', 'O-T1']);
    expect(page.items[1]?.cost).toBeNull();
    const full = await service().transactions(admin, account.id, { page: 2, pageSize: 2 });
    expect(full.items.map((item) => item.externalId)).toEqual(['O-T3', 'O-T4']);
    expect((await service().transactions(admin, account.id, query)).items[1]?.cost).toBe('800.00');
  });

  it('finds duplicate accounts by shared email or phone and by similar English or Chinese names, with reasons', async () => {
    const { db } = use();
    const a = await insertAccount(db, {
      code: 'D-1',
      name_en: 'Tsuen Wan Forwarding Ltd',
      name_zh: '荃灣貨運有限公司',
      owner_id: salesId,
    });
    const b = await insertAccount(db, {
      code: 'D-2',
      name_en: 'Tsuen Wan Forwarding Limited',
      name_zh: '荃灣貨運公司',
      owner_id: salesId,
    });
    const c = await insertAccount(db, { code: 'D-3', name_en: 'Lantau Express', name_zh: null, owner_id: salesId });
    const d = await insertAccount(db, {
      code: 'D-4',
      name_en: 'Lamma Island Couriers',
      name_zh: null,
      owner_id: salesId,
    });
    await insertAccount(db, { code: 'D-5', name_en: 'Sai Kung Trading 01', name_zh: null, owner_id: salesId });
    await insertAccount(db, { code: 'D-6', name_en: 'Sai Kung Trading 02', name_zh: null, owner_id: salesId });
    const sales = actor('sales', salesId);
    await service().createContact(sales, c.id, { name: 'Shared', email: 'ops@lantau.hk', phone: '9876 5432' });
    await service().createContact(sales, d.id, { name: 'Shared too', email: 'OPS@lantau.hk', phone: '+852 9876 5432' });

    const pairs = await service().duplicates(admin, { entity: 'accounts', limit: 100, threshold: 0.6 });
    const codes = pairs.map((pair) => `${pair.a.code}~${pair.b.code}`);
    expect(codes).toContain('D-1~D-2');
    expect(codes).toContain('D-3~D-4');
    expect(codes).not.toContain('D-5~D-6');
    const byName = pairs.find((pair) => pair.a.id === a.id && pair.b.id === b.id)!;
    expect(byName.reasons.map((reason) => reason.kind)).toEqual(['name_en', 'name_zh']);
    expect(byName.score).toBe(1);
    const byContact = pairs.find((pair) => pair.a.id === c.id)!;
    expect(byContact.reasons).toEqual([
      { kind: 'email', value: 'ops@lantau.hk', similarity: null },
      { kind: 'phone', value: '+85298765432', similarity: null },
    ]);
    expect(byContact.a).toMatchObject({ contacts: 1, transactions: 0 });
    // An analyst may see the pair but not the shared address.
    const analystPairs = await service().duplicates(actor('analyst', mateId, null), {
      entity: 'accounts',
      limit: 100,
      threshold: 0.6,
    });
    expect(analystPairs.find((pair) => pair.a.id === c.id)?.reasons.map((reason) => reason.value)).toEqual([
      null,
      null,
    ]);

    const contactPairs = await service().duplicates(admin, { entity: 'contacts', limit: 100, threshold: 0.6 });
    expect(contactPairs.find((pair) => pair.a.code === 'D-3')?.reasons.map((reason) => reason.kind)).toEqual([
      'email',
      'phone',
    ]);
  });

  it('merges an account: the survivor keeps the history, fills its gaps, and shows the merge on its timeline', async () => {
    const { db } = use();
    const sales = actor('sales', salesId);
    const manager = actor('manager', mateId);
    const survivor = await insertAccount(db, {
      code: 'M-1',
      name_en: 'Merge Survivor',
      name_zh: null,
      owner_id: salesId,
    });
    const merged = await insertAccount(db, {
      code: 'M-2',
      name_en: 'Merge Survivor Ltd',
      name_zh: '合併客戶',
      owner_id: salesId,
    });
    const child = await insertAccount(db, {
      code: 'M-2A',
      name_en: 'Child of merged',
      owner_id: salesId,
      parent_id: merged.id,
    });
    await db
      .insertInto('transactions')
      .values({ external_id: 'M-T1', account_id: merged.id, occurred_at: '2026-05-01T00:00:00Z', amount: '10' })
      .execute();
    const contact = await service().createContact(sales, merged.id, { name: 'Moved Contact' });
    await service().createInteraction(
      sales,
      merged.id,
      interactionCreateSchema.parse({ channel: 'email', occurredAt: '2026-06-01T00:00:00Z', contactIds: [contact.id] }),
    );
    await service().createActivity(sales, merged.id, {
      kind: 'event',
      description: 'Dinner',
      currency: 'HKD',
      occurredOn: '2026-06-02',
    });

    await expect(
      service().mergeAccounts(sales, { survivorId: survivor.id, mergedId: merged.id }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      service().mergeAccounts(manager, { survivorId: survivor.id, mergedId: survivor.id }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    // A version the user saw that is no longer current: nothing is merged.
    await expect(
      service().mergeAccounts(manager, {
        survivorId: survivor.id,
        mergedId: merged.id,
        survivorVersion: 1,
        mergedVersion: 7,
      }),
    ).rejects.toMatchObject({ code: 'conflict', details: { changed: [{ id: merged.id, yours: 7, current: 1 }] } });

    const result = await service().mergeAccounts(manager, {
      survivorId: survivor.id,
      mergedId: merged.id,
      survivorVersion: 1,
      mergedVersion: 1,
      reason: 'Same company',
    });
    expect(result.moved).toEqual({ transactions: 1, contacts: 1, interactions: 1, activities: 1, members: 1 });
    // The merged account is archived, never deleted, and says where it went; merging it again is refused.
    expect(await service().overview(admin, merged.id)).toMatchObject({
      account: { code: 'M-2', archivedAt: '2026-11-24T02:00:00.000Z' },
      mergedInto: { id: survivor.id, code: 'M-1' },
      totals: { transactionCount: 0 },
    });
    await expect(
      service().mergeAccounts(manager, { survivorId: survivor.id, mergedId: merged.id }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const overview = await service().overview(admin, survivor.id);
    expect(overview.account).toMatchObject({ nameZh: '合併客戶', version: 2 });
    expect(overview.totals?.transactionCount).toBe(1);
    expect(overview.group.members.map((ref) => ref.id)).toEqual([child.id]);
    expect(overview.contacts?.map((item) => item.id)).toEqual([contact.id]);
    const timeline = await service().timeline(admin, survivor.id, { limit: 100, include_archived: false });
    expect(timeline.interactions).toHaveLength(1);
    expect(timeline.activities).toHaveLength(1);
    expect(timeline.merges).toMatchObject([
      {
        entity: 'accounts',
        survivorId: survivor.id,
        mergedId: merged.id,
        mergedLabel: 'M-2 Merge Survivor Ltd',
        reason: 'Same company',
        mergedBy: 'ken',
        mergedAt: '2026-11-24T02:00:00.000Z',
      },
    ]);
    expect(timeline.merges[0]?.moved).toMatchObject({ transactions: 1, contacts: 1 });
    expect(await auditCount('merge', 'accounts')).toBe(1);
  });

  it('merges a contact: interactions naming it name the survivor once, empty fields are filled', async () => {
    const { db } = use();
    const sales = actor('sales', salesId);
    const account = await insertAccount(db, { code: 'MC-1', owner_id: salesId });
    const keep = await service().createContact(sales, account.id, { name: 'Wong Ka Yan', email: 'ky@x.hk' });
    const drop = await service().createContact(sales, account.id, {
      name: 'Wong Ka-yan',
      phone: '6123 4567',
      title: 'Director',
    });
    await service().createInteraction(
      sales,
      account.id,
      interactionCreateSchema.parse({
        channel: 'meeting',
        occurredAt: '2026-10-01T00:00:00Z',
        contactIds: [keep.id, drop.id],
      }),
    );
    await service().createInteraction(
      sales,
      account.id,
      interactionCreateSchema.parse({ channel: 'phone', occurredAt: '2026-10-02T00:00:00Z', contactIds: [drop.id] }),
    );
    const pairs = await service().duplicates(sales, { entity: 'contacts', limit: 100, threshold: 0.5 });
    expect(
      pairs.some((pair) => pair.a.id === keep.id && pair.b.id === drop.id && pair.reasons[0]?.kind === 'name'),
    ).toBe(true);

    const result = await service().mergeContacts(sales, { survivorId: keep.id, mergedId: drop.id });
    expect(result.moved).toEqual({ interactions: 2 });
    const [survivor, archived] = await service().listContacts(sales, account.id, true);
    expect(archived?.id).toBe(drop.id);
    expect(archived?.archivedAt).not.toBeNull();
    expect(survivor).toMatchObject({
      id: keep.id,
      email: 'ky@x.hk',
      phone: '+85261234567',
      title: 'Director',
      version: 2,
    });
    const timeline = await service().timeline(sales, account.id, { limit: 100, include_archived: false });
    expect(timeline.interactions?.map((item) => item.contactIds)).toEqual([[keep.id], [keep.id]]);
    expect(timeline.merges).toMatchObject([
      { entity: 'contacts', survivorId: keep.id, mergedLabel: 'Wong Ka-yan', moved: { interactions: 2 } },
    ]);
  });
});
