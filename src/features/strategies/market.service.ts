import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { requireScope, type Actor } from '../auth/index.js';
import type { SegmentService } from '../segments/index.js';
import { deleteFigure, findFigure, insertFigure, listFigures, periodTaken, updateFigure } from './market.repository.js';
import { kotler, kotlerFormulas } from './market.rules.js';
import type {
  MarketFigure,
  MarketFigureInput,
  MarketFigureUpdate,
  MarketMetrics,
  MarketMetricsRow,
} from './market.schema.js';

/**
 * Use cases of market metrics (515B): the user's market figures per segment and period, and for each the Kotler
 * decomposition of our share from Rapport's own transactions (the segment's members now, over that period).
 */
export interface MarketService {
  metrics(actor: Actor, segmentId: number | undefined): Promise<MarketMetrics>;
  create(actor: Actor, input: MarketFigureInput): Promise<MarketFigure>;
  update(actor: Actor, id: number, input: MarketFigureUpdate): Promise<MarketFigure>;
  remove(actor: Actor, id: number, version: number): Promise<void>;
}

export interface MarketDeps {
  db: Kysely<DB>;
  clock: Clock;
  segments: SegmentService;
}

export function createMarketService({ db, clock, segments }: MarketDeps): MarketService {
  async function checkInput(actor: Actor, input: MarketFigureInput, exceptId: number | null): Promise<void> {
    if (input.segmentId !== null) {
      await segments.get(actor, input.segmentId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'not_found') {
          throw new AppError(
            'validation_failed',
            `Invalid body field segmentId: segment ${input.segmentId} does not exist`,
            {
              location: 'body',
              parameter: 'segmentId',
            },
          );
        }
        throw error;
      });
    }
    if (await periodTaken(db, input, exceptId)) {
      throw new AppError(
        'conflict',
        `Market figures for this segment and period exist already (${input.periodFrom} to ${input.periodTo}).`,
      );
    }
  }

  async function row(actor: Actor, figure: MarketFigure): Promise<MarketMetricsRow> {
    const own = await segments.periodTotals(actor, figure.segmentId, {
      from: figure.periodFrom,
      to: figure.periodTo,
      unit: figure.volumeUnit,
    });
    const result = kotler({
      marketCustomers: figure.marketCustomers,
      marketValue: figure.marketValue,
      averageCompetitorPrice: figure.averageCompetitorPrice,
      shareOfWallet: figure.shareOfWallet,
      ourCustomers: own.customers,
      ourValue: own.value,
      ourVolume: own.volume,
      unit: figure.volumeUnit,
    });
    return {
      figure,
      own: { customers: own.customers, value: own.value, volume: own.volume, averagePrice: result.averagePrice },
      factors: result.factors,
      marketShare: result.marketShare,
      check: result.check,
      warnings: result.warnings,
    };
  }

  return {
    async metrics(actor, segmentId) {
      requireScope(actor, 'strategies', 'read');
      const figures = await listFigures(db, segmentId);
      const rows: MarketMetricsRow[] = [];
      for (const figure of figures) rows.push(await row(actor, figure));
      return { rows, formulas: kotlerFormulas.map((f) => ({ ...f })) };
    },

    async create(actor, input) {
      requireScope(actor, 'strategies', 'create');
      await checkInput(actor, input, null);
      const id = await db.transaction().execute(async (trx) => {
        const created = await insertFigure(trx, input, actor.userId, clock.now());
        await recordAudit(trx, clock, {
          actor,
          action: 'create',
          resource: 'market_figures',
          recordIds: [created],
          details: { segmentId: input.segmentId, periodFrom: input.periodFrom, periodTo: input.periodTo },
        });
        return created;
      });
      const figure = await findFigure(db, id);
      if (!figure) throw new AppError('internal', 'figure vanished');
      return figure;
    },

    async update(actor, id, input) {
      requireScope(actor, 'strategies', 'update');
      const current = await findFigure(db, id);
      if (!current) throw new AppError('not_found', `Market figures ${id} do not exist.`);
      const { version, ...values } = input;
      if (current.version !== version) {
        throw new AppError(
          'conflict',
          `Market figures ${id} were changed by someone else (now version ${current.version}).`,
          {
            currentVersion: current.version,
          },
        );
      }
      await checkInput(actor, values, id);
      await db.transaction().execute(async (trx) => {
        if (!(await updateFigure(trx, id, version, values, clock.now()))) {
          throw new AppError('conflict', `Market figures ${id} were changed by someone else.`);
        }
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'market_figures',
          recordIds: [id],
          details: { version: version + 1 },
        });
      });
      const figure = await findFigure(db, id);
      if (!figure) throw new AppError('internal', 'figure vanished');
      return figure;
    },

    async remove(actor, id, version) {
      requireScope(actor, 'strategies', 'delete');
      const current = await findFigure(db, id);
      if (!current) throw new AppError('not_found', `Market figures ${id} do not exist.`);
      await db.transaction().execute(async (trx) => {
        if (!(await deleteFigure(trx, id, version))) {
          throw new AppError(
            'conflict',
            `Market figures ${id} were changed by someone else (now version ${current.version}).`,
            {
              currentVersion: current.version,
            },
          );
        }
        await recordAudit(trx, clock, { actor, action: 'delete', resource: 'market_figures', recordIds: [id] });
      });
    },
  };
}
