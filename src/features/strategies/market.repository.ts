import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { MarketFigure, MarketFigureInput } from './market.schema.js';

/** SQL of the market figures users enter for Kotler's decomposition. */

const toIso = (value: Date | string): string => new Date(value).toISOString();

function figureQuery(db: Kysely<DB>) {
  return db
    .selectFrom('market_figures as f')
    .leftJoin('segments as s', 's.id', 'f.segment_id')
    .select([
      'f.id',
      'f.segment_id',
      's.name as segment_name',
      sql<string>`f.period_from::text`.as('period_from'),
      sql<string>`f.period_to::text`.as('period_to'),
      'f.market_customers',
      'f.market_value',
      'f.average_competitor_price',
      'f.volume_unit',
      'f.share_of_wallet',
      'f.source',
      'f.version',
      'f.created_at',
      'f.updated_at',
    ]);
}

type FigureRaw = Awaited<ReturnType<ReturnType<typeof figureQuery>['executeTakeFirstOrThrow']>>;

const toFigure = (row: FigureRaw): MarketFigure => ({
  id: Number(row.id),
  segmentId: row.segment_id === null ? null : Number(row.segment_id),
  segmentName: row.segment_name,
  periodFrom: row.period_from,
  periodTo: row.period_to,
  marketCustomers: row.market_customers,
  marketValue: Number(row.market_value),
  averageCompetitorPrice: Number(row.average_competitor_price),
  volumeUnit: row.volume_unit,
  shareOfWallet: row.share_of_wallet,
  source: row.source,
  version: row.version,
  createdAt: toIso(row.created_at),
  updatedAt: toIso(row.updated_at),
});

export async function listFigures(db: Kysely<DB>, segmentId: number | undefined): Promise<MarketFigure[]> {
  let builder = figureQuery(db);
  if (segmentId !== undefined) builder = builder.where('f.segment_id', '=', segmentId);
  const rows = await builder
    .orderBy('f.segment_id')
    .orderBy('f.period_from')
    .orderBy('f.period_to')
    .orderBy('f.id')
    .execute();
  return rows.map(toFigure);
}

export async function findFigure(db: Kysely<DB>, id: number): Promise<MarketFigure | null> {
  const row = await figureQuery(db).where('f.id', '=', id).executeTakeFirst();
  return row ? toFigure(row) : null;
}

export async function periodTaken(db: Kysely<DB>, input: MarketFigureInput, exceptId: number | null): Promise<boolean> {
  let builder = db
    .selectFrom('market_figures')
    .select('id')
    .where(sql`coalesce(segment_id, 0)`, '=', input.segmentId ?? 0)
    .where('period_from', '=', input.periodFrom)
    .where('period_to', '=', input.periodTo);
  if (exceptId !== null) builder = builder.where('id', '<>', exceptId);
  return (await builder.executeTakeFirst()) !== undefined;
}

const values = (input: MarketFigureInput) => ({
  segment_id: input.segmentId,
  period_from: input.periodFrom,
  period_to: input.periodTo,
  market_customers: input.marketCustomers,
  market_value: input.marketValue,
  average_competitor_price: input.averageCompetitorPrice,
  volume_unit: input.volumeUnit,
  share_of_wallet: input.shareOfWallet,
  source: input.source,
});

export async function insertFigure(
  db: Kysely<DB>,
  input: MarketFigureInput,
  createdBy: number | null,
  at: Date,
): Promise<number> {
  const row = await db
    .insertInto('market_figures')
    .values({ ...values(input), created_by: createdBy, created_at: at, updated_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function updateFigure(
  db: Kysely<DB>,
  id: number,
  version: number,
  input: MarketFigureInput,
  at: Date,
): Promise<boolean> {
  const rows = await db
    .updateTable('market_figures')
    .set({ ...values(input), version: sql<number>`version + 1`, updated_at: at })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .execute();
  return rows.length === 1;
}

export async function deleteFigure(db: Kysely<DB>, id: number, version: number): Promise<boolean> {
  const rows = await db
    .deleteFrom('market_figures')
    .where('id', '=', id)
    .where('version', '=', version)
    .returning('id')
    .execute();
  return rows.length === 1;
}
