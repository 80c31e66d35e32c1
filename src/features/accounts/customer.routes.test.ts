import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/app.js';
import { databaseKinds } from '../../testing/databases.js';
import { insertAccount } from '../../testing/factories.js';
import type {
  AccountProfile,
  Contact,
  CustomerOverview,
  DuplicatePair,
  Interaction,
  MergeResult,
  StaleEditDetails,
  Timeline,
  TransactionPage,
} from './customer.schema.js';

for (const kind of databaseKinds) {
  describe(`customer routes [${kind}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    });
    afterAll(() => t.close());

    const auditEntries = async (action: string, resource: string) =>
      Number(
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from audit_log where action = ${action} and resource = ${resource}`.execute(
            t.database.db,
          )
        ).rows[0]?.n ?? 0,
      );

    it('creates, edits and archives an account; a stale edit answers 409 with what changed', async () => {
      const created = await t.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: { code: 'RT-1', nameEn: 'Route Freight Ltd', industry: 'freight', needs: { servicesUsed: ['air'] } },
      });
      expect(created.statusCode).toBe(201);
      const account = created.json<AccountProfile>();
      expect(account).toMatchObject({
        code: 'RT-1',
        version: 1,
        needs: { servicesUsed: ['air'], requirements: null, choiceFactors: [] },
      });
      // The service records the audit entry itself: exactly one per write.
      expect(await auditEntries('create', 'accounts')).toBe(1);

      const edited = await t.inject({
        method: 'PATCH',
        url: `/api/accounts/${account.id}`,
        payload: { version: 1, status: 'prospect' },
      });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ status: 'prospect', version: 2 });

      const stale = await t.inject({
        method: 'PATCH',
        url: `/api/accounts/${account.id}`,
        payload: { version: 1, status: 'lost' },
      });
      expect(stale.statusCode).toBe(409);
      const body = stale.json<{ code: string; message: string; details: StaleEditDetails }>();
      expect(body.code).toBe('conflict');
      expect(body.message).toMatch(/changed by someone else/);
      expect(body.details).toMatchObject({
        currentVersion: 2,
        yourVersion: 1,
        conflicts: [{ field: 'status', yours: 'lost', current: 'prospect' }],
      });

      const archived = await t.inject({
        method: 'POST',
        url: `/api/accounts/${account.id}/archive`,
        payload: { version: 2 },
      });
      expect(archived.statusCode).toBe(200);
      expect(archived.json<AccountProfile>().archivedAt).not.toBeNull();
      const restored = await t.inject({
        method: 'POST',
        url: `/api/accounts/${account.id}/restore`,
        payload: { version: 3 },
      });
      expect(restored.json<AccountProfile>()).toMatchObject({ archivedAt: null, version: 4 });
    });

    it.each([
      [{ version: 1, status: 'sleeping' }, 'status'],
      [{ status: 'lost' }, 'version'],
      [{ version: 1, bogus: true }, ''],
      [{ version: 1, needs: { choiceFactors: [{ factor: 'price', importance: 9, performance: 1 }] } }, 'needs'],
    ])('answers 400 for the edit %j', async (payload, field) => {
      const { id } = await insertAccount(t.database.db);
      const response = await t.inject({ method: 'PATCH', url: `/api/accounts/${id}`, payload });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ code: string; message: string }>()).toMatchObject({ code: 'validation_failed' });
      expect(response.json<{ message: string }>().message).toContain(field);
    });

    it('answers 401 without credentials, 403 for a role without the action, 404 for an unknown account', async () => {
      expect((await t.app.inject({ url: '/api/accounts/1/overview' })).statusCode).toBe(401);
      const viewer = await t.as('viewer');
      const denied = await viewer.inject({
        method: 'POST',
        url: '/api/accounts',
        payload: { code: 'RT-V', nameEn: 'No', industry: 'retail' },
      });
      expect(denied.statusCode).toBe(403);
      expect(denied.json()).toMatchObject({ code: 'forbidden' });
      expect((await viewer.inject({ url: '/api/accounts/1/transactions' })).statusCode).toBe(403);
      const missing = await t.inject({ url: '/api/accounts/987654/overview' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ code: 'not_found', message: 'Account 987654 does not exist.' });
    });

    it('serves the 360: overview, transactions page, contacts, interactions in two requests, activities and the timeline', async () => {
      const { id } = await insertAccount(t.database.db, { code: 'RT-360', name_en: 'Three Sixty Ltd' });
      await t.database.db
        .insertInto('transactions')
        .values([
          {
            external_id: 'RT-T1',
            account_id: id,
            occurred_at: '2026-11-01T02:00:00Z',
            amount: '100',
            quantity: '1',
            unit: 'TEU',
          },
          {
            external_id: 'RT-T2',
            account_id: id,
            occurred_at: '2026-10-01T02:00:00Z',
            amount: '200',
            quantity: '2',
            unit: 'TEU',
          },
        ])
        .execute();
      const overview = (await t.inject({ url: `/api/accounts/${id}/overview` })).json<CustomerOverview>();
      expect(overview.monthly?.points.at(-1)).toEqual({
        month: '2026-11',
        revenue: '100.00',
        transactions: 1,
        volume: '1.000',
      });
      expect(overview.permissions.logInteraction).toBe(true);

      const page = await t.inject({ url: `/api/accounts/${id}/transactions?page=2&pageSize=1` });
      expect(page.json<TransactionPage>()).toMatchObject({
        total: 2,
        page: 2,
        items: [{ externalId: 'RT-T2', amount: '200.00' }],
      });

      const contact = await t.inject({
        method: 'POST',
        url: `/api/accounts/${id}/contacts`,
        payload: { name: 'Lee Siu Ming', phone: '6123 4567' },
      });
      expect(contact.statusCode).toBe(201);
      const contactId = contact.json<Contact>().id;
      expect(contact.json<Contact>().phone).toBe('+85261234567');
      const contactEdit = await t.inject({
        method: 'PATCH',
        url: `/api/contacts/${contactId}`,
        payload: { version: 1, title: 'Logistics manager' },
      });
      expect(contactEdit.json<Contact>()).toMatchObject({ title: 'Logistics manager', version: 2 });
      expect((await t.inject({ url: `/api/accounts/${id}/contacts` })).json()).toMatchObject({
        items: [{ id: contactId }],
      });

      const logged = await t.inject({
        method: 'POST',
        url: `/api/accounts/${id}/interactions`,
        payload: {
          channel: 'phone',
          occurredAt: '2026-11-24T09:30:00+08:00',
          subject: 'Follow-up',
          contactIds: [contactId],
        },
      });
      expect(logged.statusCode).toBe(201);
      const interaction = logged.json<Interaction>();
      expect(interaction).toMatchObject({
        channel: 'phone',
        direction: 'outbound',
        userId: t.user.id,
        occurredAt: '2026-11-24T01:30:00.000Z',
      });
      expect(
        (
          await t.inject({
            method: 'PATCH',
            url: `/api/interactions/${interaction.id}`,
            payload: { version: 1, notes: 'Quote sent' },
          })
        ).statusCode,
      ).toBe(200);
      const badTime = await t.inject({
        method: 'POST',
        url: `/api/accounts/${id}/interactions`,
        payload: { channel: 'phone', occurredAt: 'yesterday' },
      });
      expect(badTime.statusCode).toBe(400);

      const activity = await t.inject({
        method: 'POST',
        url: `/api/accounts/${id}/activities`,
        payload: { kind: 'souvenir', description: 'Company calendar', value: '120', occurredOn: '2026-01-05' },
      });
      expect(activity.statusCode).toBe(201);
      const timeline = (await t.inject({ url: `/api/accounts/${id}/timeline` })).json<Timeline>();
      expect(timeline.interactions).toMatchObject([{ id: interaction.id, notes: 'Quote sent', version: 2 }]);
      expect(timeline.activities).toMatchObject([{ kind: 'souvenir', value: '120.00' }]);
      const removed = await t.inject({
        method: 'DELETE',
        url: `/api/activities/${activity.json<{ id: number }>().id}`,
      });
      expect(removed.statusCode).toBe(204);
    });

    it('lists duplicates with their reasons and merges with a chosen survivor', async () => {
      const a = await insertAccount(t.database.db, { code: 'RD-1', name_en: 'Kowloon Bay Motors Ltd' });
      const b = await insertAccount(t.database.db, { code: 'RD-2', name_en: 'Kowloon Bay Motors Limited' });
      const list = await t.inject({ url: '/api/duplicates?entity=accounts' });
      expect(list.statusCode).toBe(200);
      const pair = list.json<{ items: DuplicatePair[] }>().items.find((item) => item.a.id === a.id);
      expect(pair).toMatchObject({ b: { id: b.id }, reasons: [{ kind: 'name_en', similarity: 1 }], score: 1 });
      expect((await t.inject({ url: '/api/duplicates?entity=leads' })).statusCode).toBe(400);

      const sales = await t.as('sales');
      expect(
        (
          await sales.inject({
            method: 'POST',
            url: '/api/accounts/merge',
            payload: { survivorId: b.id, mergedId: a.id },
          })
        ).statusCode,
      ).toBe(403);
      const merged = await t.inject({
        method: 'POST',
        url: '/api/accounts/merge',
        payload: { survivorId: b.id, mergedId: a.id, reason: 'One dealer' },
      });
      expect(merged.statusCode).toBe(200);
      expect(merged.json<MergeResult>()).toMatchObject({ survivorId: b.id, mergedId: a.id });
      expect(
        (await t.inject({ url: `/api/accounts/${a.id}/overview` })).json<CustomerOverview>().mergedInto,
      ).toMatchObject({
        id: b.id,
      });
      const timeline = (await t.inject({ url: `/api/accounts/${b.id}/timeline` })).json<Timeline>();
      expect(timeline.merges).toMatchObject([{ mergedLabel: 'RD-1 Kowloon Bay Motors Ltd', reason: 'One dealer' }]);
      expect(await auditEntries('merge', 'accounts')).toBe(1);
    });

    it('lets a sales user log an interaction on an account they own but not on another team’s', async () => {
      const sales = await t.as('sales', { team: 'Route Sea' });
      const own = await insertAccount(t.database.db, { code: 'RS-OWN', owner_id: sales.user.id });
      const stranger = await t.as('sales', { team: 'Route Air' });
      const others = await insertAccount(t.database.db, { code: 'RS-OTHER', owner_id: stranger.user.id });
      const payload = { channel: 'whatsapp', occurredAt: '2026-11-24T02:00:00Z' };
      expect(
        (await sales.inject({ method: 'POST', url: `/api/accounts/${own.id}/interactions`, payload })).statusCode,
      ).toBe(201);
      expect(
        (await sales.inject({ method: 'POST', url: `/api/accounts/${others.id}/interactions`, payload })).statusCode,
      ).toBe(404);
    });
  });
}
