import type { ChurnClass, ChurnRule } from './analytics.schema.js';

/**
 * Churn classification by editable rules (criteria for the classification of customer churn, AUTO / RETAIL / 408B).
 * Each customer gets the most severe class whose rule fires (lost > at_risk > declining; active when none fires) and
 * the plain-words reason of that rule. Pure: the as-of date is already folded into the facts (days since last
 * purchase), computed by SQL from the run's as-of date.
 *
 * A customer's own purchase rhythm (Wübben & Wangenheim 2008, "Instant customer base analysis: managerial
 * heuristics often get it right", J. Marketing 72(3) — the hiatus heuristic, scaled per customer):
 *   usual gap = (last − first purchase day) / repeat purchases;
 * for one-time buyers, the median usual gap of the repeat customers (or a fallback number of days).
 */
export interface ChurnFacts {
  /** As-of date − last purchase day, in days. */
  daysSinceLast: number;
  /** Repeat purchase days (lifetimes' frequency). */
  frequency: number;
  /** Last − first purchase day, in days. */
  recencyDays: number;
  /** Volume in the last window (as-of − window, as-of]. */
  current: number;
  /** Volume in the window before that. */
  prior: number;
  /** P(alive) from a fitted model, when there is one. */
  pAlive: number | null;
}

export interface ChurnContext {
  /** Usual gap of one-time buyers: median gap of repeat customers, or the fallback. */
  oneTimeGapDays: number;
  /** True when oneTimeGapDays is the fallback (no customer bought twice). */
  gapIsFallback: boolean;
  windowDays: number;
  /** What the volume is, for reasons: 'Revenue' or 'Volume (TEU)'. */
  volumeLabel: string;
}

export interface ChurnVerdict {
  class: ChurnClass;
  /** The rule kind that decided ('none' for active). */
  rule: ChurnRule['rule'] | 'none';
  /** Its position in the rule list (−1 for active), to look up its parameters. */
  ruleIndex: number;
  reason: string;
}

/** The built-in rules: lost after 3× the usual gap (≥ 90 days), at risk after 1.5× (≥ 30 days) or P(alive) < 0.3, declining when volume fell ≥ 30%. */
export const DEFAULT_CHURN_RULES: readonly ChurnRule[] = [
  { rule: 'inactive_rhythm', class: 'lost', multiplier: 3, minDays: 90 },
  { rule: 'inactive_rhythm', class: 'at_risk', multiplier: 1.5, minDays: 30 },
  { rule: 'p_alive_below', class: 'at_risk', p: 0.3 },
  { rule: 'volume_drop', class: 'declining', percent: 30 },
];

export const SEVERITY: Record<ChurnClass, number> = { active: 0, declining: 1, at_risk: 2, lost: 3 };

/** A customer's usual gap between purchase days. */
export const usualGapDays = (
  facts: Pick<ChurnFacts, 'frequency' | 'recencyDays'>,
  context: Pick<ChurnContext, 'oneTimeGapDays'>,
): number => (facts.frequency > 0 ? facts.recencyDays / facts.frequency : context.oneTimeGapDays);

/** Median of the usual gaps of repeat customers with a positive gap; null when there are none. */
export function medianGapDays(customers: readonly Pick<ChurnFacts, 'frequency' | 'recencyDays'>[]): number | null {
  const gaps = customers
    .filter((c) => c.frequency > 0 && c.recencyDays > 0)
    .map((c) => c.recencyDays / c.frequency)
    .sort((a, b) => a - b);
  if (gaps.length === 0) return null;
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 === 1 ? (gaps[mid] ?? 0) : ((gaps[mid - 1] ?? 0) + (gaps[mid] ?? 0)) / 2;
}

const days = (n: number) => `${Math.round(n).toLocaleString('en')} day${Math.round(n) === 1 ? '' : 's'}`;
const amount = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 2 });

/** Whether one rule fires, and why. Null when it does not fire or cannot be judged (no P(alive)). */
export function applyRule(rule: ChurnRule, facts: ChurnFacts, context: ChurnContext): string | null {
  switch (rule.rule) {
    case 'inactive_rhythm': {
      const gap = usualGapDays(facts, context);
      const limit = Math.max(rule.multiplier * gap, rule.minDays);
      if (!(facts.daysSinceLast > limit)) return null;
      const whose =
        facts.frequency > 0
          ? "this customer's usual gap"
          : context.gapIsFallback
            ? 'the default gap (one purchase only)'
            : 'the usual gap of repeat customers (one purchase only)';
      const times = gap > 0 ? `, ${(facts.daysSinceLast / gap).toFixed(1)}× ${whose} of ${days(gap)}` : '';
      return `No purchase for ${days(facts.daysSinceLast)}${times} (rule: over ${rule.multiplier}× the usual gap and at least ${days(rule.minDays)})`;
    }
    case 'inactive_days':
      return facts.daysSinceLast > rule.days
        ? `No purchase for ${days(facts.daysSinceLast)} (rule: over ${days(rule.days)})`
        : null;
    case 'volume_drop': {
      if (!(facts.prior > 0)) return null;
      const change = (facts.current - facts.prior) / facts.prior;
      if (!(change <= -rule.percent / 100 + 1e-12)) return null;
      return (
        `${context.volumeLabel} down ${Math.round(-change * 100)}% in the last ${days(context.windowDays)} ` +
        `(${amount(facts.current)} against ${amount(facts.prior)} in the ${days(context.windowDays)} before; rule: down at least ${rule.percent}%)`
      );
    }
    case 'p_alive_below':
      if (facts.pAlive === null || !(facts.pAlive < rule.p)) return null;
      return `Probability of still being a customer (P(alive)) is ${facts.pAlive.toFixed(2)}, below ${rule.p}`;
  }
}

/** The most severe class whose rule fires (rules of equal class: the first listed), with its reason. */
export function classifyChurn(facts: ChurnFacts, rules: readonly ChurnRule[], context: ChurnContext): ChurnVerdict {
  let best: ChurnVerdict | null = null;
  for (const [ruleIndex, rule] of rules.entries()) {
    if (best && SEVERITY[rule.class] <= SEVERITY[best.class]) continue;
    const reason = applyRule(rule, facts, context);
    if (reason !== null) best = { class: rule.class, rule: rule.rule, ruleIndex, reason };
  }
  if (best) return best;
  const gap = usualGapDays(facts, context);
  return {
    class: 'active',
    rule: 'none',
    ruleIndex: -1,
    reason: `Last purchase ${days(facts.daysSinceLast)} ago; usual gap ${days(gap)}; no churn rule fired`,
  };
}
