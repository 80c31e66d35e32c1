import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { describeEachDatabase } from '../../testing/databases.js';
import { buildActor, systemActor } from '../auth/index.js';
import { auditListQuerySchema } from './audit.schema.js';
import { createAuditService, recordAudit } from './audit.service.js';

const clock = fixedClock('2026-11-24T02:00:00Z');
const actor = buildActor({
  userId: null,
  role: 'admin',
  team: null,
  via: 'session',
  ip: '10.0.0.7',
  userAgent: 'Vitest',
});

describeEachDatabase('audit log', (use) => {
  beforeAll(async () => {
    const { db } = use();
    const service = createAuditService({ db, clock });
    for (let i = 1; i <= 12; i += 1) {
      await service.record({
        actor,
        action: i % 3 === 0 ? 'export' : 'update',
        resource: 'accounts',
        recordIds: [i, i + 100],
        details: { fields: ['name_en'] },
      });
    }
  });

  it('chains every entry to the one before and verifies the whole log', async () => {
    const service = createAuditService({ db: use().db, clock });
    const result = await service.verify();
    expect(result).toMatchObject({ ok: true, brokenAt: null, reason: null });
    expect(result.rows).toBeGreaterThanOrEqual(12);
    expect(result.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records who, what, when, from where and which records', async () => {
    const service = createAuditService({ db: use().db, clock });
    const page = await service.list(systemActor(), auditListQuerySchema.parse({ recordId: '105' }));
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      occurredAt: '2026-11-24T02:00:00.000Z',
      actorRole: 'admin',
      via: 'session',
      action: 'update',
      resource: 'accounts',
      recordIds: ['5', '105'],
      recordCount: 2,
      ip: '10.0.0.7',
      userAgent: 'Vitest',
      details: { fields: ['name_en'] },
    });
  });

  it('filters by action and pages newest first', async () => {
    const service = createAuditService({ db: use().db, clock });
    const exports = await service.list(
      systemActor(),
      auditListQuerySchema.parse({ action: 'export', resource: 'accounts' }),
    );
    expect(exports.items.map((e) => e.recordIds[0])).toEqual(['12', '9', '6', '3']);
    const first = await service.list(systemActor(), auditListQuerySchema.parse({ limit: 5 }));
    const second = await service.list(
      systemActor(),
      auditListQuerySchema.parse({ limit: 5, cursor: first.nextCursor }),
    );
    expect(first.items).toHaveLength(5);
    expect(second.items[0]!.id).toBeLessThan(first.items[4]!.id);
    await expect(
      service.list(buildActor({ userId: 1, role: 'sales', team: null, via: 'token' }), auditListQuerySchema.parse({})),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows in the database itself', async () => {
    const { db } = use();
    await expect(sql`update audit_log set action = 'read' where id = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where id = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    expect((await createAuditService({ db, clock }).verify()).ok).toBe(true);
  });

  it('rolls an entry back with the transaction of the change it records', async () => {
    const { db } = use();
    const before = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db);
    await expect(
      db.transaction().execute(async (trx) => {
        await recordAudit(trx, clock, { actor, action: 'delete', resource: 'accounts', recordIds: [1] });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const after = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('keeps one chain when many entries are written at once', async () => {
    const { db } = use();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAudit(db, clock, { actor, action: 'create', resource: 'contacts', recordIds: [i] }),
      ),
    );
    expect((await createAuditService({ db, clock }).verify()).ok).toBe(true);
  });

  it('refuses personal values and malformed names', async () => {
    const { db } = use();
    await expect(
      recordAudit(db, clock, { actor, action: 'update', resource: 'contacts', details: { email: 'x' } }),
    ).rejects.toThrow(/personal/);
    await expect(recordAudit(db, clock, { actor, action: 'Drop Table', resource: 'contacts' })).rejects.toThrow();
  });

  it('exports CSV and records the export itself', async () => {
    const { db } = use();
    const service = createAuditService({ db, clock });
    const exported = await service.exportCsv(systemActor('cli'), { limit: 3, resource: 'accounts' });
    let text = '';
    for await (const chunk of exported.chunks) text += chunk;
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFid,occurred_at,actor_user_id,actor_name,actor_role,via,action,resource,record_ids,record_count,ip,user_agent,details,hash',
    );
    expect(lines).toHaveLength(4);
    const latest = await service.list(systemActor(), auditListQuerySchema.parse({ limit: 1 }));
    expect(latest.items[0]).toMatchObject({ action: 'export', resource: 'audit', via: 'cli', recordCount: 3 });
  });

  // Last: it tampers with the log.
  it('detects a changed row and a removed row once the trigger is bypassed (as a database owner could)', async () => {
    const { db } = use();
    const service = createAuditService({ db, clock });
    await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
    try {
      await sql`update audit_log set record_ids = '["999"]'::jsonb where id = 4`.execute(db);
      expect(await service.verify()).toMatchObject({
        ok: false,
        brokenAt: 4,
        reason: expect.stringContaining('changed'),
      });
      await sql`update audit_log set record_ids = '["4","104"]'::jsonb where id = 4`.execute(db);
      expect((await service.verify()).ok).toBe(true);
      await sql`delete from audit_log where id = 7`.execute(db);
      expect(await service.verify()).toMatchObject({
        ok: false,
        brokenAt: 8,
        reason: expect.stringContaining('removed'),
      });
    } finally {
      await sql`alter table audit_log enable trigger audit_log_append_only`.execute(db);
    }
  });
});
