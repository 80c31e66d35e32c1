import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import {
  absorbAccount,
  absorbContact,
  accountLabels,
  accountPairs,
  contactLabels,
  contactPairs,
  insertMerge,
  lockAccounts,
  lockContacts,
  mergesOf,
  moveAccountHistory,
  type PairRow,
} from './duplicate.repository.js';
import type {
  DuplicateEntity,
  DuplicatePair,
  DuplicateQuery,
  MergeInput,
  MergeRecord,
  MergeResult,
} from './duplicate.schema.js';

/**
 * Likely duplicates and their merge. A merge moves the merged record's history to the survivor in one
 * transaction, archives the merged record (never deletes: other features may still point at it), records a
 * snapshot in `merges` for the survivor's timeline, and refuses (409) when either record changed since the user
 * looked at it (optimistic concurrency on `version`).
 */
export interface DuplicateService {
  find(entity: DuplicateEntity, query: DuplicateQuery): Promise<DuplicatePair[]>;
  merge(entity: DuplicateEntity, input: MergeInput, mergedBy?: number | null): Promise<MergeResult>;
  history(entity: DuplicateEntity, survivorId: number): Promise<MergeRecord[]>;
}

function groupPairs(
  rows: readonly PairRow[],
  limit: number,
): { a: number; b: number; reasons: string[]; score: number }[] {
  const pairs = new Map<string, { a: number; b: number; reasons: string[]; score: number }>();
  for (const row of rows) {
    const a = Number(row.a_id);
    const b = Number(row.b_id);
    const key = `${a}|${b}`;
    const pair = pairs.get(key) ?? { a, b, reasons: [], score: 0 };
    if (!pair.reasons.includes(row.reason)) {
      pair.reasons.push(row.reason);
      pair.score += Number(row.weight);
    }
    pairs.set(key, pair);
  }
  return [...pairs.values()].sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b).slice(0, limit);
}

function checkVersions(
  entity: DuplicateEntity,
  rows: readonly { id: number; version: number }[],
  input: MergeInput,
): void {
  const changed: { id: number; expected: number; actual: number }[] = [];
  for (const [id, expected] of [
    [input.survivorId, input.survivorVersion],
    [input.mergedId, input.mergedVersion],
  ] as const) {
    const actual = rows.find((row) => Number(row.id) === id)?.version;
    if (expected !== undefined && actual !== undefined && actual !== expected) changed.push({ id, expected, actual });
  }
  if (changed.length > 0) {
    throw new AppError(
      'conflict',
      `The ${entity === 'accounts' ? 'account' : 'contact'} changed since you looked at it; reload and try again.`,
      {
        changed,
      },
    );
  }
}

export function createDuplicateService({ db }: { db: Kysely<DB>; clock: Clock }): DuplicateService {
  return {
    async find(entity, query) {
      return db.transaction().execute(async (trx) => {
        const rows = entity === 'accounts' ? await accountPairs(trx, query) : await contactPairs(trx, query);
        const pairs = groupPairs(rows, query.limit);
        const ids = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
        const labels = new Map<number, { id: number; label: string; version: number }>();
        if (entity === 'accounts') {
          for (const row of await accountLabels(trx, ids))
            labels.set(Number(row.id), {
              id: Number(row.id),
              label: `${row.code} ${row.name_en}`,
              version: row.version,
            });
        } else {
          for (const row of await contactLabels(trx, ids)) {
            const label = [row.name, row.email ?? row.phone].filter(Boolean).join(' · ');
            labels.set(Number(row.id), { id: Number(row.id), label, version: row.version });
          }
        }
        return pairs.flatMap((pair) => {
          const a = labels.get(pair.a);
          const b = labels.get(pair.b);
          return a && b ? [{ a, b, reasons: pair.reasons, score: Math.round(pair.score * 100) / 100 }] : [];
        });
      });
    },

    async merge(entity, input, mergedBy = null) {
      if (input.survivorId === input.mergedId)
        throw new AppError('validation_failed', 'A record cannot be merged into itself.');
      return db.transaction().execute(async (trx) => {
        const ids = [input.survivorId, input.mergedId];
        const rows = entity === 'accounts' ? await lockAccounts(trx, ids) : await lockContacts(trx, ids);
        const noun = entity === 'accounts' ? 'Account' : 'Contact';
        for (const id of ids) {
          const row = rows.find((r) => Number(r.id) === id);
          if (!row) throw new AppError('not_found', `${noun} ${id} does not exist.`);
          if (row.archived_at) throw new AppError('conflict', `${noun} ${id} is archived (merged already?).`);
        }
        checkVersions(entity, rows, input);
        const merged = rows.find((r) => Number(r.id) === input.mergedId)! as unknown as Record<string, unknown>;
        let moved: Record<string, number>;
        let survivorVersion: number;
        if (entity === 'accounts') {
          moved = await moveAccountHistory(trx, input.survivorId, input.mergedId);
          survivorVersion = await absorbAccount(trx, input.survivorId, input.mergedId);
        } else {
          const result = await absorbContact(trx, input.survivorId, input.mergedId);
          moved = { interactions: result.interactions };
          survivorVersion = result.version;
        }
        const { id: mergeId } = await insertMerge(trx, {
          entity,
          survivorId: input.survivorId,
          mergedId: input.mergedId,
          snapshot: { ...merged, moved },
          reason: input.reason ?? null,
          mergedBy,
        });
        return {
          mergeId: Number(mergeId),
          entity,
          survivorId: input.survivorId,
          mergedId: input.mergedId,
          moved,
          survivorVersion,
        };
      });
    },

    async history(entity, survivorId) {
      return (await mergesOf(db, entity, survivorId)).map((row) => ({
        mergeId: Number(row.id),
        entity: row.entity,
        survivorId: Number(row.survivor_id),
        mergedId: Number(row.merged_id),
        merged: (typeof row.merged_snapshot === 'string'
          ? JSON.parse(row.merged_snapshot)
          : row.merged_snapshot) as Record<string, unknown>,
        reason: row.reason,
        mergedBy: row.merged_by === null ? null : Number(row.merged_by),
        mergedAt: new Date(row.merged_at).toISOString(),
      }));
    },
  };
}
