import type { Criterion, Quadrant, RelationshipStage } from './key-account.schema.js';

/**
 * Key-account assessment (408B): weighted scores on two axes and the portfolio quadrant (McDonald & Rogers' key
 * account portfolio: customer attractiveness against our relative strength, i.e. our fit for them).
 */
export const MATRIX_MIDPOINT = 3;

export const stageScore: Readonly<Record<RelationshipStage, number>> = { transactional: 2, preferred: 3.5, partner: 5 };

export const quadrantAdvice: Readonly<Record<Quadrant, string>> = {
  key_strategic: 'Attractive and we fit well: invest in the partnership (joint planning, dedicated team).',
  key_development: 'Attractive but we fit less well: invest to close the gap in capability, capacity or relationship.',
  key_status: 'Less attractive but we fit well: maintain efficiently, protect the margin.',
  key_maintenance: 'Less attractive and a weaker fit: serve efficiently at low cost to serve.',
};

export function quadrantOf(attractiveness: number, fit: number, midpoint = MATRIX_MIDPOINT): Quadrant {
  const attractive = attractiveness >= midpoint;
  const strong = fit >= midpoint;
  if (attractive) return strong ? 'key_strategic' : 'key_development';
  return strong ? 'key_status' : 'key_maintenance';
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** Weighted mean of the axis' scores: Σ wᵢ·sᵢ / Σ wᵢ over its criteria. `missing` names criteria without a score. */
export function scoreAssessment(
  criteria: readonly Criterion[],
  scores: Readonly<Record<string, number>>,
): { attractiveness: number; fit: number; missing: string[] } {
  const missing: string[] = [];
  const axis = (name: Criterion['axis']): number => {
    let weighted = 0;
    let weights = 0;
    for (const criterion of criteria.filter((c) => c.axis === name)) {
      const score = scores[criterion.key];
      if (score === undefined) {
        missing.push(criterion.key);
        continue;
      }
      weighted += criterion.weight * score;
      weights += criterion.weight;
    }
    return weights > 0 ? round(weighted / weights) : 0;
  };
  return { attractiveness: axis('attractiveness'), fit: axis('fit'), missing };
}

/** A percentile (0–1) as a 1–5 score in half points: 0 → 1, 0.5 → 3, 1 → 5. */
export const percentileScore = (percentile: number): number =>
  1 + Math.round(Math.min(Math.max(percentile, 0), 1) * 8) / 2;

/** Year-on-year growth as a score: ≤ −20% → 1, ≤ −5% → 2, < +5% → 3, < +20% → 4, else 5. */
export function growthScore(growth: number): number {
  if (growth <= -0.2) return 1;
  if (growth <= -0.05) return 2;
  if (growth < 0.05) return 3;
  if (growth < 0.2) return 4;
  return 5;
}

export interface AccountFigures {
  revenue12m: number;
  revenuePrior12m: number;
  margin12m: number | null;
  /** Share of active customers with less revenue (0–1); null: no revenue. */
  revenuePercentile: number | null;
  marginRatePercentile: number | null;
}

/** Suggested scores from the data, per criterion source; null where the assessor scores by hand. */
export function suggestScores(
  criteria: readonly Criterion[],
  figures: AccountFigures,
  stage: RelationshipStage | null,
): {
  scores: Record<string, number | null>;
  explanations: { criterion: string; text: string }[];
  growth: number | null;
} {
  const growth =
    figures.revenuePrior12m > 0
      ? (figures.revenue12m - figures.revenuePrior12m) / figures.revenuePrior12m
      : figures.revenue12m > 0
        ? 1
        : null;
  const scores: Record<string, number | null> = {};
  const explanations: { criterion: string; text: string }[] = [];
  const pct = (value: number) => `${Math.round(value * 100)}%`;
  for (const criterion of criteria) {
    let score: number | null = null;
    let text = 'Scored by the assessor.';
    if (criterion.source === 'volume' && figures.revenuePercentile !== null) {
      score = percentileScore(figures.revenuePercentile);
      text = `Revenue over 12 months is above ${pct(figures.revenuePercentile)} of active customers.`;
    } else if (criterion.source === 'margin' && figures.marginRatePercentile !== null) {
      score = percentileScore(figures.marginRatePercentile);
      text = `Margin rate is above ${pct(figures.marginRatePercentile)} of customers with costs recorded.`;
    } else if (criterion.source === 'growth' && growth !== null) {
      score = growthScore(growth);
      text =
        figures.revenuePrior12m > 0
          ? `Revenue changed ${growth >= 0 ? '+' : ''}${pct(growth)} against the 12 months before.`
          : 'New customer: no revenue in the 12 months before.';
    } else if (criterion.source === 'relationship' && stage !== null) {
      score = stageScore[stage];
      text = `Relationship stage ${stage}.`;
    } else if (criterion.source !== 'manual') {
      text = 'Not enough data: scored by the assessor.';
    }
    scores[criterion.key] = score;
    explanations.push({ criterion: criterion.key, text });
  }
  return { scores, explanations, growth };
}

/** Rank of a value among others as the share strictly below it (0–1). */
export function percentileOf(value: number, population: readonly number[]): number | null {
  if (population.length === 0) return null;
  const below = population.filter((other) => other < value).length;
  return below / population.length;
}
