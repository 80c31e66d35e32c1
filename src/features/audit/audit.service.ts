import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { decodeCursor, encodeCursor } from '../../shared/page.js';
import { requireScope, type Actor } from '../auth/index.js';
import {
  chainRowsAfter,
  countAuditEntries,
  insertAuditRow,
  listAuditEntries,
  lockChainHead,
} from './audit.repository.js';
import {
  assertNoPersonalValues,
  auditHash,
  checkChain,
  cleanDetails,
  cleanText,
  csvBom,
  csvLine,
  genesisHash,
  type AuditContent,
} from './audit.rules.js';
import {
  auditActionSchema,
  auditResourceSchema,
  type AuditDetails,
  type AuditExportQuery,
  type AuditFilter,
  type AuditListQuery,
  type AuditPage,
  type AuditVerifyResult,
} from './audit.schema.js';

/** What a feature records: who and from where come from the actor; never personal values. */
export interface AuditInput {
  actor: Actor;
  /** create, update, delete, merge, import, export, read_personal, … (see knownAuditActions). */
  action: string;
  /** The resource acted on (accounts, contacts, users, …). */
  resource: string;
  recordIds?: readonly (string | number)[];
  /** Defaults to the number of recordIds. */
  recordCount?: number;
  /** Field names, counts, filters — checked by assertNoPersonalValues. */
  details?: AuditDetails;
}

/**
 * The request being served, if any: the auth plugin opens a scope per write request, and recordAudit marks it,
 * so the plugin's safety net records only the writes whose service recorded nothing itself.
 */
export const auditScope = new AsyncLocalStorage<{ recorded: boolean }>();

/** At most this many ids are kept on one entry; a bigger read-out keeps its filter and count. */
export const maxRecordIdsPerEntry = 50_000;

/**
 * Appends one entry to the chain, inside the caller's transaction when `db` is one (so the entry commits or
 * rolls back with the change it records), else in a transaction of its own. Returns the entry's id.
 */
export async function recordAudit(db: Kysely<DB>, clock: Clock, input: AuditInput): Promise<number> {
  const scope = auditScope.getStore();
  if (scope) scope.recorded = true;
  auditActionSchema.parse(input.action);
  auditResourceSchema.parse(input.resource);
  const details: Record<string, unknown> = { ...(input.details ?? {}) };
  assertNoPersonalValues(input.details ?? {});
  const allIds = (input.recordIds ?? []).map(String);
  const recordIds = allIds.length > maxRecordIdsPerEntry ? allIds.slice(0, maxRecordIdsPerEntry) : allIds;
  if (recordIds.length < allIds.length) details.recordIdsTruncated = true;
  const content: AuditContent = {
    occurredAt: clock.now().toISOString(),
    actorUserId: input.actor.userId,
    actorRole: input.actor.via === 'anonymous' ? null : input.actor.role,
    via: input.actor.via,
    action: input.action,
    resource: input.resource,
    recordIds,
    recordCount: input.recordCount ?? allIds.length,
    ip: cleanText(input.actor.origin.ip, 100),
    userAgent: cleanText(input.actor.origin.userAgent, 300),
    details: cleanDetails(details),
  };
  const append = async (trx: Kysely<DB>) => {
    const prevHash = (await lockChainHead(trx)) ?? genesisHash;
    return insertAuditRow(trx, { ...content, prevHash, hash: auditHash(prevHash, content) });
  };
  return db.isTransaction ? append(db) : db.transaction().execute(append);
}

export interface AuditService {
  record: (input: AuditInput, db?: Kysely<DB>) => Promise<number>;
  list(actor: Actor, query: AuditListQuery): Promise<AuditPage>;
  /** The CSV export (recorded as an export of the audit log itself). */
  exportCsv(actor: Actor, query: AuditExportQuery): Promise<{ rows: number; chunks: AsyncIterable<string> }>;
  /** Recomputes the whole chain; ok false names the first entry that breaks it. */
  verify(): Promise<AuditVerifyResult>;
}

const exportColumns = [
  'id',
  'occurred_at',
  'actor_user_id',
  'actor_name',
  'actor_role',
  'via',
  'action',
  'resource',
  'record_ids',
  'record_count',
  'ip',
  'user_agent',
  'details',
  'hash',
] as const;

const filterDetails = (filter: AuditFilter): AuditDetails =>
  Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));

export function createAuditService({ db, clock }: { db: Kysely<DB>; clock: Clock }): AuditService {
  const ownScope = (actor: Actor, action: 'read' | 'export'): number | null => {
    const scope = requireScope(actor, 'audit', action);
    return scope === 'all' ? null : (actor.userId ?? -1);
  };

  return {
    record: (input, trx) => recordAudit(trx ?? db, clock, input),

    async list(actor, query) {
      const own = ownScope(actor, 'read');
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !after) {
        throw new AppError('validation_failed', 'Invalid query parameter cursor: not a cursor this API returned', {
          parameter: 'cursor',
        });
      }
      const rows = await listAuditEntries(db, query, {
        beforeId: after?.id ?? null,
        limit: query.limit + 1,
        ownUserId: own,
      });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ v: null, id: last.id }) : null };
    },

    async exportCsv(actor, query) {
      const own = ownScope(actor, 'export');
      const { limit, ...filter } = query;
      const rows = Math.min(limit, await countAuditEntries(db, filter, own));
      const exportEntryId = await recordAudit(db, clock, {
        actor,
        action: 'export',
        resource: 'audit',
        recordCount: rows,
        details: { ...filterDetails(filter), format: 'csv' },
      });
      async function* chunks(): AsyncIterable<string> {
        yield csvBom + csvLine(exportColumns);
        let beforeId: number | null = exportEntryId; // what was logged before this export, not the export itself
        let left = rows;
        while (left > 0) {
          const batch = await listAuditEntries(db, filter, { beforeId, limit: Math.min(1000, left), ownUserId: own });
          if (batch.length === 0) break;
          let text = '';
          for (const entry of batch) {
            text += csvLine([
              entry.id,
              entry.occurredAt,
              entry.actorUserId,
              entry.actorName,
              entry.actorRole,
              entry.via,
              entry.action,
              entry.resource,
              entry.recordIds.join(' '),
              entry.recordCount,
              entry.ip,
              entry.userAgent,
              entry.details,
              entry.hash,
            ]);
          }
          yield text;
          left -= batch.length;
          beforeId = batch.at(-1)?.id ?? null;
        }
      }
      return { rows, chunks: chunks() };
    },

    async verify() {
      let prevHash = genesisHash;
      let lastId = 0;
      let count = 0;
      for (;;) {
        const rows = await chainRowsAfter(db, lastId, 2000);
        if (rows.length === 0) break;
        const check = checkChain(rows, prevHash);
        if (!check.ok)
          return { ok: false, rows: count, headHash: null, brokenAt: check.brokenAt, reason: check.reason };
        prevHash = check.headHash;
        count += rows.length;
        lastId = rows.at(-1)?.id ?? lastId;
      }
      return { ok: true, rows: count, headHash: count === 0 ? null : prevHash, brokenAt: null, reason: null };
    },
  };
}
