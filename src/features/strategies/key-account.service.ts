import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { recordAudit } from '../audit/index.js';
import { accountScopeWhere, canSee, requireScope, type Actor } from '../auth/index.js';
import { addMonths, todayOf, twelveMonthsTo, DEFAULT_TIME_ZONE } from '../segments/index.js';
import {
  accountFigures,
  insertAssessment,
  latestAssessment,
  listCriteria,
  matrixRows,
  replaceCriteria,
  visibleAccount,
  type AssessmentRow,
} from './key-account.repository.js';
import { MATRIX_MIDPOINT, quadrantAdvice, quadrantOf, scoreAssessment, suggestScores } from './key-account.rules.js';
import type {
  Assessment,
  AssessmentInput,
  Criterion,
  PortfolioMatrix,
  Quadrant,
  Suggestion,
} from './key-account.schema.js';

/**
 * Use cases of key-account assessment (408B): editable criteria, suggested scores from the data, assessments (kept
 * as history; the version guards concurrent edits) and the portfolio matrix of the accounts the actor may see.
 */
export interface KeyAccountService {
  criteria(actor: Actor): Promise<Criterion[]>;
  updateCriteria(actor: Actor, criteria: Criterion[]): Promise<Criterion[]>;
  suggestion(actor: Actor, accountId: number): Promise<Suggestion>;
  get(actor: Actor, accountId: number): Promise<Assessment>;
  save(actor: Actor, accountId: number, input: AssessmentInput): Promise<Assessment>;
  matrix(actor: Actor): Promise<PortfolioMatrix>;
}

export interface KeyAccountDeps {
  db: Kysely<DB>;
  clock: Clock;
  timeZone?: string;
}

const present = (row: AssessmentRow): Assessment => ({ ...row, quadrant: quadrantOf(row.attractiveness, row.fit) });

export function createKeyAccountService({
  db,
  clock,
  timeZone = DEFAULT_TIME_ZONE,
}: KeyAccountDeps): KeyAccountService {
  const today = () => todayOf(clock, timeZone);
  // Assessments are strategy records about an account: within the strategies scope, and only of accounts the
  // actor may see at all (the account's read scope applies too, as for every record of an account).
  const accountScope = (actor: Actor, action: 'read' | 'update' = 'read') =>
    sql<SqlBool>`(${accountScopeWhere(actor, action, { resource: 'strategies', ownerColumn: 'a.owner_id' })} and ${accountScopeWhere(
      actor,
      'read',
      { ownerColumn: 'a.owner_id' },
    )})`;
  /** Margins are commercial: a role that may not see them gets neither the figures nor a margin-based score. */
  const seesMargin = (actor: Actor) => canSee(actor, 'transactions.margin');

  async function account(actor: Actor, accountId: number, action: 'read' | 'update' = 'read') {
    const found = await visibleAccount(db, accountId, accountScope(actor, action));
    if (!found) throw new AppError('not_found', `Account ${accountId} does not exist.`);
    return found;
  }

  async function suggest(
    actor: Actor,
    accountId: number,
    criteria: Criterion[],
    stage: AssessmentInput['relationshipStage'] | null,
  ) {
    const { from, to } = twelveMonthsTo(today());
    const all = await accountFigures(db, accountId, { from, to, priorFrom: addMonths(from, -12), timeZone });
    const figures = seesMargin(actor) ? all : { ...all, margin12m: null, marginRatePercentile: null };
    const suggested = suggestScores(criteria, figures, stage);
    if (!seesMargin(actor)) {
      const marginKeys = new Set(criteria.filter((c) => c.source === 'margin').map((c) => c.key));
      suggested.explanations = suggested.explanations.map((e) =>
        marginKeys.has(e.criterion) ? { ...e, text: 'Margins are hidden from your role: scored by the assessor.' } : e,
      );
    }
    return { figures, ...suggested };
  }

  return {
    async criteria(actor) {
      requireScope(actor, 'strategies', 'read');
      return listCriteria(db);
    },

    async updateCriteria(actor, criteria) {
      requireScope(actor, 'strategies', 'update');
      await db.transaction().execute(async (trx) => {
        await replaceCriteria(trx, criteria, clock.now());
        await recordAudit(trx, clock, {
          actor,
          action: 'update',
          resource: 'key_account_criteria',
          recordIds: criteria.map((c) => c.key),
          details: { criteria: criteria.length },
        });
      });
      return listCriteria(db);
    },

    async suggestion(actor, accountId) {
      requireScope(actor, 'strategies', 'read');
      await account(actor, accountId);
      const latest = await latestAssessment(db, accountId);
      const result = await suggest(actor, accountId, await listCriteria(db), latest?.relationshipStage ?? null);
      const margin = result.figures.margin12m;
      return {
        accountId,
        scores: result.scores,
        figures: {
          revenue12m: result.figures.revenue12m,
          revenuePrior12m: result.figures.revenuePrior12m,
          margin12m: margin,
          marginRate: margin !== null && result.figures.revenue12m > 0 ? margin / result.figures.revenue12m : null,
          growth: result.growth,
          revenuePercentile: result.figures.revenuePercentile,
          marginRatePercentile: result.figures.marginRatePercentile,
        },
        explanations: result.explanations,
        masked: seesMargin(actor) ? [] : ['margin12m', 'marginRate', 'marginRatePercentile'],
      };
    },

    async get(actor, accountId) {
      requireScope(actor, 'strategies', 'read');
      await account(actor, accountId);
      const latest = await latestAssessment(db, accountId);
      if (!latest) throw new AppError('not_found', `Account ${accountId} has no key-account assessment yet.`);
      return present(latest);
    },

    async save(actor, accountId, input) {
      requireScope(actor, 'strategies', 'update');
      await account(actor, accountId, 'update');
      const criteria = await listCriteria(db);
      const known = new Set(criteria.map((c) => c.key));
      const unknown = Object.keys(input.scores).find((key) => !known.has(key));
      if (unknown !== undefined) {
        throw new AppError(
          'validation_failed',
          `Invalid body field scores.${unknown}: no criterion is called ${unknown}`,
          {
            location: 'body',
            parameter: `scores.${unknown}`,
          },
        );
      }
      const { scores: suggested } = await suggest(actor, accountId, criteria, input.relationshipStage);
      const scores: Record<string, number> = {};
      for (const criterion of criteria) {
        const given = input.scores[criterion.key] ?? suggested[criterion.key] ?? undefined;
        if (given !== undefined && given !== null) scores[criterion.key] = given;
      }
      const scored = scoreAssessment(criteria, scores);
      const missing = scored.missing[0];
      if (missing !== undefined) {
        throw new AppError(
          'validation_failed',
          `Invalid body field scores.${missing}: score ${missing} from 1 to 5 (the data cannot suggest it)`,
          {
            location: 'body',
            parameter: `scores.${missing}`,
            missing: scored.missing,
          },
        );
      }
      await db.transaction().execute(async (trx) => {
        const latest = await latestAssessment(trx, accountId);
        const current = latest?.version ?? 0;
        if (current !== input.version) {
          throw new AppError(
            'conflict',
            `The assessment of account ${accountId} was changed by someone else (now version ${current}); reload and try again.`,
            {
              currentVersion: current,
            },
          );
        }
        const id = await insertAssessment(trx, {
          accountId,
          assessedOn: today(),
          relationshipStage: input.relationshipStage,
          scores,
          criteria,
          attractiveness: scored.attractiveness,
          fit: scored.fit,
          notes: input.notes,
          version: current + 1,
          assessedBy: actor.userId,
          at: clock.now(),
        });
        await recordAudit(trx, clock, {
          actor,
          action: current === 0 ? 'create' : 'update',
          resource: 'key_accounts',
          recordIds: [accountId],
          details: { assessmentId: id, version: current + 1, quadrant: quadrantOf(scored.attractiveness, scored.fit) },
        });
      });
      const saved = await latestAssessment(db, accountId);
      if (!saved) throw new AppError('internal', 'assessment vanished');
      return present(saved);
    },

    async matrix(actor) {
      requireScope(actor, 'strategies', 'read');
      const { from, to } = twelveMonthsTo(today());
      const rows = await matrixRows(db, accountScope(actor), { from, to, timeZone });
      const counts = new Map<Quadrant, number>();
      const points = rows.map((row) => {
        const quadrant = quadrantOf(row.attractiveness, row.fit);
        counts.set(quadrant, (counts.get(quadrant) ?? 0) + 1);
        return {
          accountId: row.accountId,
          accountCode: row.accountCode,
          accountName: row.accountName,
          attractiveness: row.attractiveness,
          fit: row.fit,
          quadrant,
          relationshipStage: row.relationshipStage,
          revenue12m: row.revenue12m,
          assessedOn: row.assessedOn,
        };
      });
      const quadrants = (['key_strategic', 'key_development', 'key_status', 'key_maintenance'] as const).map(
        (quadrant) => ({
          quadrant,
          accounts: counts.get(quadrant) ?? 0,
          advice: quadrantAdvice[quadrant],
        }),
      );
      return { midpoint: MATRIX_MIDPOINT, points, quadrants };
    },
  };
}
