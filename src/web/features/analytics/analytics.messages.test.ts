import { describe, expect, it } from 'vitest';
import en from '../../i18n/en.json' with { type: 'json' };
import zhHant from '../../i18n/zh-Hant.json' with { type: 'json' };
import { parseChurnReason, parseWarning, warningPatterns } from './analytics.messages.js';

/** Sentences exactly as the API words them (churn.rules.ts, models/diagnostics.ts, analytics.service.ts). */
describe('parseChurnReason', () => {
  it.each([
    [
      "No purchase for 771 days, 8.5× this customer's usual gap of 91 days (rule: over 3× the usual gap and at least 90 days)",
      { kind: 'inactiveRhythm', days: 771, ratio: 8.5, gapSource: 'own', gapDays: 91, multiplier: 3, minDays: 90 },
    ],
    [
      'No purchase for 111 days, 4.0× the usual gap of repeat customers (one purchase only) of 28 days (rule: over 1.5× the usual gap and at least 30 days)',
      { kind: 'inactiveRhythm', days: 111, ratio: 4, gapSource: 'repeat', gapDays: 28, multiplier: 1.5, minDays: 30 },
    ],
    [
      'No purchase for 1,201 days, 13.3× the default gap (one purchase only) of 90 days (rule: over 3× the usual gap and at least 1 day)',
      { kind: 'inactiveRhythm', days: 1201, ratio: 13.3, gapSource: 'default', gapDays: 90, multiplier: 3, minDays: 1 },
    ],
    [
      'No purchase for 40 days (rule: over 3× the usual gap and at least 30 days)',
      { kind: 'inactiveRhythm', days: 40, ratio: null, gapSource: null, gapDays: null, multiplier: 3, minDays: 30 },
    ],
    ['No purchase for 200 days (rule: over 180 days)', { kind: 'inactiveDays', days: 200, limitDays: 180 }],
    [
      'Revenue down 45% in the last 90 days (12,000.5 against 21,818.18 in the 90 days before; rule: down at least 30%)',
      {
        kind: 'volumeDrop',
        measure: 'revenue',
        unit: null,
        percent: 45,
        windowDays: 90,
        current: 12000.5,
        prior: 21818.18,
        rulePercent: 30,
      },
    ],
    [
      'Volume (TEU) down 100% in the last 1 day (0 against 3 in the 1 day before; rule: down at least 12.5%)',
      {
        kind: 'volumeDrop',
        measure: 'volume',
        unit: 'TEU',
        percent: 100,
        windowDays: 1,
        current: 0,
        prior: 3,
        rulePercent: 12.5,
      },
    ],
    [
      'Probability of still being a customer (P(alive)) is 0.12, below 0.3',
      { kind: 'pAliveBelow', pAlive: 0.12, p: 0.3 },
    ],
    ['Last purchase 5 days ago; usual gap 28 days; no churn rule fired', { kind: 'active', days: 5, gapDays: 28 }],
    ['Last purchase 1 day ago; usual gap 1 day; no churn rule fired', { kind: 'active', days: 1, gapDays: 1 }],
  ])('%s', (reason, expected) => {
    expect(parseChurnReason(reason)).toEqual(expected);
  });

  it('gives null for a sentence it does not know (the page shows it as written)', () => {
    expect(parseChurnReason('Customer asked to close the account')).toBeNull();
    expect(parseChurnReason('')).toBeNull();
  });
});

describe('parseWarning', () => {
  it.each([
    [
      "Gamma-Gamma q = 0.5957 ≤ 1: the model's mean spend pv/(q−1) is undefined (infinite), so expected spend and CLV cannot be computed from it.",
      { key: 'gammaGammaQ', values: { q: '0.5957' } },
    ],
    [
      'Frequency and average spend are correlated (ρ = 0.4223); Gamma-Gamma assumes they are independent, so its spend and CLV figures are biased.',
      { key: 'spendCorrelated', values: { rho: '0.4223' } },
    ],
    [
      'BG/NBD: 97% of customers have P(alive) above 0.99; the model sees almost no churn, so P(alive) and revenue at risk say little here.',
      { key: 'pAliveNearOne', values: { model: 'BG/NBD', share: '97', level: '0.99' } },
    ],
    [
      'Only 12 repeat customers to fit Gamma-Gamma; its spend estimates are unreliable.',
      { key: 'fewRepeatCustomers', values: { count: '12' } },
    ],
    [
      'Pareto/NBD: the likelihood is nearly flat in s (12.5 ± 300.1), beta (1000 ± 1e+05); the data barely identify these parameters.',
      { key: 'flatLikelihood', values: { model: 'Pareto/NBD', parameters: 's (12.5 ± 300.1), beta (1000 ± 1e+05)' } },
    ],
    [
      'BG/NBD parameter a = 1.2e-7 ran off towards zero: the data cannot pin it down, so the model is degenerate.',
      { key: 'parameterAtBound', values: { model: 'BG/NBD', name: 'a', value: '1.2e-7', bound: 'zero' } },
    ],
    ['Too little history for a calibration/holdout check.', { key: 'noHoldout', values: {} }],
    [
      "Expected spend and CLV use each customer's own average purchase value instead of the Gamma-Gamma model, which is unusable on this data.",
      { key: 'spendFallback', values: {} },
    ],
    [
      'No transactions between 2025-01-01 and 2025-12-31.',
      { key: 'noTransactions', values: { from: '2025-01-01', to: '2025-12-31' } },
    ],
    [
      '1,234 of 5,000 transactions in the period have no cost; they are left out of the margin.',
      { key: 'missingCost', values: { missing: '1,234', total: '5,000' } },
    ],
  ])('%s', (message, expected) => {
    expect(parseWarning(message)).toEqual(expected);
  });

  it('gives null for a warning it does not know', () => {
    expect(parseWarning('Something new went wrong.')).toBeNull();
  });
});

describe('warning and reason texts in both languages', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

  it('every parsed warning has a text whose placeholders are the parsed values', () => {
    for (const resources of [en, zhHant]) {
      const texts = resources.analytics.warning as Record<string, string>;
      for (const { key, names } of warningPatterns) {
        expect(texts[key], key).toBeTruthy();
        expect(placeholders(texts[key] ?? ''), key).toEqual([...names].sort());
      }
    }
  });
});
