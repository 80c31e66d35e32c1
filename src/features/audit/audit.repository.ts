import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { AuditContent, ChainRow } from './audit.rules.js';
import type { AuditEntry, AuditFilter } from './audit.schema.js';
import { auditDb } from './audit.tables.js';

/** SQL of the audit log. Inserts only: the table refuses UPDATE and DELETE (migration 0004). */
const CHAIN_LOCK_KEY = 7_250_612; // advisory lock: one writer extends the chain at a time

/** An entry as stored: its content and the chain's hashes. */
export interface AuditRowInput extends AuditContent {
  prevHash: string;
  hash: string;
}

/** Takes the chain lock for the rest of the current transaction and returns the last entry's hash. */
export async function lockChainHead(db: Kysely<DB>): Promise<string | null> {
  await sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`.execute(db);
  const row = await auditDb(db)
    .selectFrom('audit_log')
    .select('hash')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.hash ?? null;
}

export async function insertAuditRow(db: Kysely<DB>, row: AuditRowInput): Promise<number> {
  const inserted = await auditDb(db)
    .insertInto('audit_log')
    .values({
      occurred_at: row.occurredAt,
      actor_user_id: row.actorUserId,
      actor_role: row.actorRole,
      via: row.via,
      action: row.action,
      resource: row.resource,
      record_ids: JSON.stringify(row.recordIds),
      record_count: row.recordCount,
      ip: row.ip,
      user_agent: row.userAgent,
      details: JSON.stringify(row.details),
      prev_hash: row.prevHash,
      hash: row.hash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

function filtered(db: Kysely<DB>, filter: AuditFilter, ownUserId: number | null) {
  let builder = auditDb(db).selectFrom('audit_log as l').leftJoin('users as u', 'u.id', 'l.actor_user_id');
  if (filter.action) builder = builder.where('l.action', '=', filter.action);
  if (filter.resource) builder = builder.where('l.resource', '=', filter.resource);
  if (filter.actorUserId !== undefined) builder = builder.where('l.actor_user_id', '=', filter.actorUserId);
  if (filter.recordId)
    builder = builder.where(sql<boolean>`l.record_ids @> ${JSON.stringify([filter.recordId])}::jsonb`);
  if (filter.from) builder = builder.where('l.occurred_at', '>=', new Date(filter.from));
  if (filter.to) builder = builder.where('l.occurred_at', '<', new Date(filter.to));
  if (ownUserId !== null) builder = builder.where('l.actor_user_id', '=', ownUserId);
  return builder;
}

const toIso = (value: Date | string): string => new Date(value).toISOString();

/** Newest first, keyset on id. `ownUserId` limits to one actor's entries (own scope). */
export async function listAuditEntries(
  db: Kysely<DB>,
  filter: AuditFilter,
  options: { beforeId: number | null; limit: number; ownUserId: number | null },
): Promise<AuditEntry[]> {
  let builder = filtered(db, filter, options.ownUserId);
  if (options.beforeId !== null) builder = builder.where('l.id', '<', options.beforeId);
  const rows = await builder
    .selectAll('l')
    .select('u.display_name as actor_name')
    .orderBy('l.id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    occurredAt: toIso(row.occurred_at),
    actorUserId: row.actor_user_id,
    actorName: row.actor_name,
    actorRole: row.actor_role,
    via: row.via as AuditEntry['via'],
    action: row.action,
    resource: row.resource,
    recordIds: row.record_ids,
    recordCount: row.record_count,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
    hash: row.hash,
  }));
}

export async function countAuditEntries(
  db: Kysely<DB>,
  filter: AuditFilter,
  ownUserId: number | null,
): Promise<number> {
  const row = await filtered(db, filter, ownUserId)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Rows in chain order after `afterId`, for verification. */
export async function chainRowsAfter(db: Kysely<DB>, afterId: number, limit: number): Promise<ChainRow[]> {
  const rows = await auditDb(db)
    .selectFrom('audit_log')
    .selectAll()
    .where('id', '>', afterId)
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    occurredAt: toIso(row.occurred_at),
    actorUserId: row.actor_user_id,
    actorRole: row.actor_role,
    via: row.via,
    action: row.action,
    resource: row.resource,
    recordIds: row.record_ids,
    recordCount: row.record_count,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  }));
}
