import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type {
  Approval,
  ApprovalCreate,
  Comment,
  Department,
  StrategyDocument,
  StrategyIndustry,
  StrategyStatus,
  StrategySummary,
  VersionSummary,
} from './strategy.schema.js';

/** SQL of strategy documents, their versions, comments and approvals. */

const toIso = (value: Date | string): string => new Date(value).toISOString();
const toIsoOrNull = (value: Date | string | null): string | null => (value === null ? null : toIso(value));
const idOrNull = (value: number | string | null): number | null => (value === null ? null : Number(value));
const parseJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

export interface StrategyRow extends StrategySummary {
  document: StrategyDocument;
  approvedBy: number | null;
}

interface RawStrategy {
  id: number;
  title: string;
  industry: StrategyIndustry | null;
  status: StrategyStatus;
  document: unknown;
  version: number;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  approved_at: Date | null;
  approved_by: number | null;
  retired_at: Date | null;
}

const strategyColumns = [
  'id',
  'title',
  'industry',
  'status',
  'document',
  'version',
  'created_by',
  'created_at',
  'updated_at',
  'approved_at',
  'approved_by',
  'retired_at',
] as const;

const toStrategy = (row: RawStrategy): StrategyRow => {
  const document = parseJson<StrategyDocument>(row.document);
  return {
    id: Number(row.id),
    title: row.title,
    industry: row.industry,
    status: row.status,
    version: row.version,
    targetCount: document.targets.length,
    createdBy: idOrNull(row.created_by),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    approvedAt: toIsoOrNull(row.approved_at),
    approvedBy: idOrNull(row.approved_by),
    retiredAt: toIsoOrNull(row.retired_at),
    document,
  };
};

export async function listStrategies(db: Kysely<DB>, status: StrategyStatus | undefined): Promise<StrategyRow[]> {
  let builder = db.selectFrom('strategies').select([...strategyColumns]);
  if (status) builder = builder.where('status', '=', status);
  const rows = await builder.orderBy('updated_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map((row) => toStrategy(row));
}

export async function findStrategy(db: Kysely<DB>, id: number): Promise<StrategyRow | null> {
  const row = await db
    .selectFrom('strategies')
    .select([...strategyColumns])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toStrategy(row) : null;
}

/** Locks the strategy row for the rest of the transaction (transitions and saves are serialised per strategy). */
export async function lockStrategy(db: Kysely<DB>, id: number): Promise<StrategyRow | null> {
  const row = await db
    .selectFrom('strategies')
    .select([...strategyColumns])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? toStrategy(row) : null;
}

export async function insertStrategy(
  db: Kysely<DB>,
  input: {
    title: string;
    industry: StrategyIndustry | null;
    document: StrategyDocument;
    createdBy: number | null;
    at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('strategies')
    .values({
      title: input.title,
      industry: input.industry,
      document: JSON.stringify(input.document),
      created_by: input.createdBy,
      created_at: input.at,
      updated_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export interface StrategyChange {
  title?: string;
  document?: StrategyDocument;
  status?: StrategyStatus;
  approvedAt?: Date | null;
  approvedBy?: number | null;
  retiredAt?: Date | null;
}

/** Applies a change when the version matches; returns the new version, or null when stale. */
export async function updateStrategy(
  db: Kysely<DB>,
  id: number,
  version: number,
  change: StrategyChange,
  at: Date,
): Promise<number | null> {
  const row = await db
    .updateTable('strategies')
    .set({
      ...(change.title === undefined ? {} : { title: change.title }),
      ...(change.document === undefined ? {} : { document: JSON.stringify(change.document) }),
      ...(change.status === undefined ? {} : { status: change.status }),
      ...(change.approvedAt === undefined ? {} : { approved_at: change.approvedAt }),
      ...(change.approvedBy === undefined ? {} : { approved_by: change.approvedBy }),
      ...(change.retiredAt === undefined ? {} : { retired_at: change.retiredAt }),
      version: sql<number>`version + 1`,
      updated_at: at,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst();
  return row ? row.version : null;
}

export async function insertVersion(
  db: Kysely<DB>,
  input: {
    strategyId: number;
    version: number;
    change: VersionSummary['change'];
    status: StrategyStatus;
    title: string;
    document: StrategyDocument;
    note: string | null;
    savedBy: number | null;
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('strategy_versions')
    .values({
      strategy_id: input.strategyId,
      version: input.version,
      change: input.change,
      status: input.status,
      title: input.title,
      document: JSON.stringify(input.document),
      note: input.note,
      saved_by: input.savedBy,
      saved_at: input.at,
    })
    .execute();
}

interface RawVersion {
  version: number;
  change: VersionSummary['change'];
  status: StrategyStatus;
  title: string;
  note: string | null;
  saved_by: number | null;
  saved_by_name: string | null;
  saved_at: Date;
  document?: unknown;
}

const versionSummary = (row: RawVersion): VersionSummary => ({
  version: row.version,
  change: row.change,
  status: row.status,
  title: row.title,
  note: row.note,
  savedBy: idOrNull(row.saved_by),
  savedByName: row.saved_by_name,
  savedAt: toIso(row.saved_at),
});

const versionQuery = (db: Kysely<DB>, strategyId: number) =>
  db
    .selectFrom('strategy_versions as v')
    .leftJoin('users as u', 'u.id', 'v.saved_by')
    .select([
      'v.version',
      'v.change',
      'v.status',
      'v.title',
      'v.note',
      'v.saved_by',
      'u.display_name as saved_by_name',
      'v.saved_at',
    ])
    .where('v.strategy_id', '=', strategyId);

export async function listVersions(db: Kysely<DB>, strategyId: number): Promise<VersionSummary[]> {
  const rows = await versionQuery(db, strategyId).orderBy('v.version', 'desc').execute();
  return rows.map((row) => versionSummary(row as RawVersion));
}

export async function findVersion(
  db: Kysely<DB>,
  strategyId: number,
  version: number,
): Promise<(VersionSummary & { document: StrategyDocument }) | null> {
  const row = await versionQuery(db, strategyId)
    .select('v.document')
    .where('v.version', '=', version)
    .executeTakeFirst();
  return row ? { ...versionSummary(row), document: parseJson<StrategyDocument>(row.document) } : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Review: comments and approvals

export async function insertComment(
  db: Kysely<DB>,
  input: {
    strategyId: number;
    version: number;
    department: Department;
    body: string;
    authorId: number | null;
    at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('strategy_comments')
    .values({
      strategy_id: input.strategyId,
      version: input.version,
      department: input.department,
      body: input.body,
      author_id: input.authorId,
      created_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function listComments(db: Kysely<DB>, strategyId: number): Promise<Comment[]> {
  const rows = await db
    .selectFrom('strategy_comments as c')
    .leftJoin('users as u', 'u.id', 'c.author_id')
    .select([
      'c.id',
      'c.version',
      'c.department',
      'c.body',
      'c.author_id',
      'u.display_name as author_name',
      'c.created_at',
    ])
    .where('c.strategy_id', '=', strategyId)
    .orderBy('c.id')
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    version: row.version,
    department: row.department as Department,
    body: row.body,
    authorId: idOrNull(row.author_id),
    authorName: row.author_name,
    createdAt: toIso(row.created_at),
  }));
}

export async function insertApproval(
  db: Kysely<DB>,
  input: ApprovalCreate & { strategyId: number; decidedBy: number | null; at: Date },
): Promise<number> {
  const row = await db
    .insertInto('strategy_approvals')
    .values({
      strategy_id: input.strategyId,
      version: input.version,
      department: input.department,
      decision: input.decision,
      note: input.note ?? null,
      decided_by: input.decidedBy,
      decided_at: input.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function listApprovals(db: Kysely<DB>, strategyId: number, version: number): Promise<Approval[]> {
  const rows = await db
    .selectFrom('strategy_approvals as a')
    .leftJoin('users as u', 'u.id', 'a.decided_by')
    .select([
      'a.id',
      'a.version',
      'a.department',
      'a.decision',
      'a.note',
      'a.decided_by',
      'u.display_name as decided_by_name',
      'a.decided_at',
    ])
    .where('a.strategy_id', '=', strategyId)
    .where('a.version', '=', version)
    .orderBy('a.id')
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    version: row.version,
    department: row.department as Department,
    decision: row.decision,
    note: row.note,
    decidedBy: idOrNull(row.decided_by),
    decidedByName: row.decided_by_name,
    decidedAt: toIso(row.decided_at),
  }));
}
