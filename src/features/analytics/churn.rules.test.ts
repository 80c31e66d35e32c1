import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock.js';
import { churnRuleSchema, type ChurnRule } from './analytics.schema.js';
import {
  classifyChurn,
  DEFAULT_CHURN_RULES,
  medianGapDays,
  usualGapDays,
  type ChurnContext,
  type ChurnFacts,
} from './churn.rules.js';
import { daysBetween, today } from './period.rules.js';

// A fixed clock: "today" in Hong Kong is 2026-11-24 (02:00 UTC is 10:00 in Hong Kong).
const clock = fixedClock('2026-11-24T02:00:00Z');
const asOf = today(clock, 'Asia/Hong_Kong');

const context: ChurnContext = { oneTimeGapDays: 45, gapIsFallback: false, windowDays: 90, volumeLabel: 'Revenue' };

/** A customer whose first and last purchases are given as dates; the as-of date comes from the clock. */
const customer = (first: string, last: string, purchaseDays: number, extra: Partial<ChurnFacts> = {}): ChurnFacts => ({
  daysSinceLast: daysBetween(last, asOf),
  frequency: purchaseDays - 1,
  recencyDays: daysBetween(first, last),
  current: 100,
  prior: 100,
  pAlive: null,
  ...extra,
});

describe('churn rules with a fixed clock', () => {
  it('reads today from the clock in the business time zone', () => {
    expect(asOf).toBe('2026-11-24');
    expect(today(fixedClock('2026-11-24T20:00:00Z'), 'Asia/Hong_Kong')).toBe('2026-11-25');
    expect(today(fixedClock('2026-11-24T20:00:00Z'), 'Europe/London')).toBe('2026-11-24');
  });

  it.each<[string, ChurnFacts, string, string]>([
    // monthly buyer (gap 30 days), last bought 10 days ago → active
    ['monthly, recent', customer('2026-01-14', '2026-11-14', 11), 'active', 'none'],
    // monthly buyer, silent for 60 days: > 1.5 × 30 and ≥ 30 days → at risk
    ['monthly, 60 days silent', customer('2025-11-25', '2026-09-25', 11), 'at_risk', 'inactive_rhythm'],
    // monthly buyer, silent for 100 days: > 3 × 30 and ≥ 90 → lost
    ['monthly, 100 days silent', customer('2025-10-16', '2026-08-16', 11), 'lost', 'inactive_rhythm'],
    // yearly buyer (gap 365), silent 200 days: within its own rhythm → active
    ['yearly, 200 days silent', customer('2023-05-08', '2026-05-08', 4), 'active', 'none'],
    // weekly buyer silent 40 days: 3 × 7 = 21 but the 90-day minimum holds it at risk (1.5 × 7 < 40 ≥ 30)
    ['weekly, 40 days silent', customer('2026-06-01', '2026-10-15', 20), 'at_risk', 'inactive_rhythm'],
    // one-time buyer: judged against the median gap of repeat customers (45): 100 days > 1.5 × 45 → at risk
    ['one purchase, 100 days ago', customer('2026-08-16', '2026-08-16', 1), 'at_risk', 'inactive_rhythm'],
    // one-time buyer 200 days ago: > 3 × 45 and ≥ 90 → lost
    ['one purchase, 200 days ago', customer('2026-05-08', '2026-05-08', 1), 'lost', 'inactive_rhythm'],
    // active by rhythm but revenue fell 50% → declining
    [
      'volume down 50%',
      customer('2026-01-14', '2026-11-14', 11, { current: 50, prior: 100 }),
      'declining',
      'volume_drop',
    ],
    // fell exactly 30% → declining (the threshold is inclusive)
    [
      'volume down 30%',
      customer('2026-01-14', '2026-11-14', 11, { current: 70, prior: 100 }),
      'declining',
      'volume_drop',
    ],
    // fell 29% → active
    ['volume down 29%', customer('2026-01-14', '2026-11-14', 11, { current: 71, prior: 100 }), 'active', 'none'],
    // no prior volume → the drop rule cannot fire
    ['new this window', customer('2026-10-01', '2026-11-14', 3, { current: 80, prior: 0 }), 'active', 'none'],
    // low P(alive) → at risk, and it outranks a volume drop
    [
      'P(alive) 0.1',
      customer('2026-01-14', '2026-11-14', 11, { pAlive: 0.1, current: 10 }),
      'at_risk',
      'p_alive_below',
    ],
    // lost outranks everything
    ['lost and low P(alive)', customer('2025-10-16', '2026-08-16', 11, { pAlive: 0.05 }), 'lost', 'inactive_rhythm'],
  ])('%s → %s by %s', (_name, facts, cls, rule) => {
    const verdict = classifyChurn(facts, DEFAULT_CHURN_RULES, context);
    expect(verdict.class).toBe(cls);
    expect(verdict.rule).toBe(rule);
    expect(verdict.reason.length).toBeGreaterThan(10);
  });

  it('explains the verdict in plain words', () => {
    const lost = classifyChurn(customer('2025-10-16', '2026-08-16', 11), DEFAULT_CHURN_RULES, context);
    expect(lost.reason).toBe(
      "No purchase for 100 days, 3.3× this customer's usual gap of 30 days (rule: over 3× the usual gap and at least 90 days)",
    );
    const declining = classifyChurn(
      customer('2026-01-14', '2026-11-14', 11, { current: 1200, prior: 4000 }),
      DEFAULT_CHURN_RULES,
      context,
    );
    expect(declining.reason).toBe(
      'Revenue down 70% in the last 90 days (1,200 against 4,000 in the 90 days before; rule: down at least 30%)',
    );
    const oneTime = classifyChurn(customer('2026-05-08', '2026-05-08', 1), DEFAULT_CHURN_RULES, context);
    expect(oneTime.reason).toContain('the usual gap of repeat customers (one purchase only) of 45 days');
    const active = classifyChurn(customer('2026-01-14', '2026-11-14', 11), DEFAULT_CHURN_RULES, context);
    expect(active.reason).toBe('Last purchase 10 days ago; usual gap 30 days; no churn rule fired');
  });

  it('applies edited rules: fixed inactivity days, order within a class', () => {
    const rules: ChurnRule[] = [
      churnRuleSchema.parse({ rule: 'inactive_days', class: 'lost', days: 180 }),
      churnRuleSchema.parse({ rule: 'inactive_days', class: 'at_risk', days: 60 }),
      churnRuleSchema.parse({ rule: 'volume_drop', class: 'at_risk', percent: 50 }),
    ];
    expect(classifyChurn(customer('2025-01-01', '2026-05-01', 12), rules, context)).toMatchObject({
      class: 'lost',
      rule: 'inactive_days',
    });
    expect(classifyChurn(customer('2025-01-01', '2026-09-01', 12), rules, context)).toMatchObject({
      class: 'at_risk',
      rule: 'inactive_days',
    });
    expect(classifyChurn(customer('2025-01-01', '2026-11-20', 12, { current: 40 }), rules, context)).toMatchObject({
      class: 'at_risk',
      rule: 'volume_drop',
    });
    expect(classifyChurn(customer('2025-01-01', '2026-11-20', 12), rules, context).class).toBe('active');
  });

  it('skips the P(alive) rule when no model was fitted', () => {
    const rules: ChurnRule[] = [{ rule: 'p_alive_below', class: 'lost', p: 0.5 }];
    expect(classifyChurn(customer('2025-01-01', '2026-11-20', 12), rules, context).class).toBe('active');
  });
});

describe('purchase rhythm', () => {
  it('is the mean gap between purchase days, or the median gap of repeat customers for one-time buyers', () => {
    expect(usualGapDays({ frequency: 4, recencyDays: 120 }, context)).toBe(30);
    expect(usualGapDays({ frequency: 0, recencyDays: 0 }, context)).toBe(45);
    expect(
      medianGapDays([
        { frequency: 0, recencyDays: 0 },
        { frequency: 1, recencyDays: 10 },
        { frequency: 2, recencyDays: 60 },
        { frequency: 4, recencyDays: 400 },
      ]),
    ).toBe(30);
    expect(
      medianGapDays([
        { frequency: 1, recencyDays: 10 },
        { frequency: 1, recencyDays: 20 },
      ]),
    ).toBe(15);
    expect(medianGapDays([{ frequency: 0, recencyDays: 0 }])).toBeNull();
  });
});
