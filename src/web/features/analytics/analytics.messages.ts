/**
 * The analytics API words its churn reasons and fit warnings in English sentences (see churn.rules.ts and
 * models/diagnostics.ts). These parsers read the known sentences back into a message key and its values, so the
 * page can say them in the reader's language; a sentence they do not know is shown as the API wrote it.
 */

const num = (text: string | undefined): number => Number((text ?? '').replaceAll(',', ''));

// ---- Churn reasons -----------------------------------------------------------------------------------------------

/** Whose usual gap an inactivity rule compared with: the customer's own, the repeat buyers' median, or the default. */
export type GapSource = 'own' | 'repeat' | 'default';

export type ChurnReason =
  | {
      kind: 'inactiveRhythm';
      days: number;
      ratio: number | null;
      gapSource: GapSource | null;
      gapDays: number | null;
      multiplier: number;
      minDays: number;
    }
  | { kind: 'inactiveDays'; days: number; limitDays: number }
  | {
      kind: 'volumeDrop';
      measure: 'revenue' | 'volume';
      unit: string | null;
      percent: number;
      windowDays: number;
      current: number;
      prior: number;
      rulePercent: number;
    }
  | { kind: 'pAliveBelow'; pAlive: number; p: number }
  | { kind: 'active'; days: number; gapDays: number };

const D = String.raw`(-?[\d,]+) days?`;
const N = String.raw`(-?[\d,]*\.?\d+(?:e[-+]?\d+)?)`;
const gapSources: Record<string, GapSource> = {
  "this customer's usual gap": 'own',
  'the usual gap of repeat customers (one purchase only)': 'repeat',
  'the default gap (one purchase only)': 'default',
};
const inactiveRhythm = new RegExp(
  String.raw`^No purchase for ${D}(?:, ${N}× (this customer's usual gap|the usual gap of repeat customers \(one purchase only\)|the default gap \(one purchase only\)) of ${D})? \(rule: over ${N}× the usual gap and at least ${D}\)$`,
);
const inactiveDays = new RegExp(String.raw`^No purchase for ${D} \(rule: over ${D}\)$`);
const volumeDrop = new RegExp(
  String.raw`^(Revenue|Volume)(?: \((.+)\))? down ${N}% in the last ${D} \(${N} against ${N} in the ${D} before; rule: down at least ${N}%\)$`,
);
const pAliveBelow = new RegExp(String.raw`^Probability of still being a customer \(P\(alive\)\) is ${N}, below ${N}$`);
const active = new RegExp(String.raw`^Last purchase ${D} ago; usual gap ${D}; no churn rule fired$`);

export function parseChurnReason(reason: string): ChurnReason | null {
  let m = inactiveRhythm.exec(reason);
  if (m) {
    return {
      kind: 'inactiveRhythm',
      days: num(m[1]),
      ratio: m[2] === undefined ? null : num(m[2]),
      gapSource: m[3] === undefined ? null : (gapSources[m[3]] ?? null),
      gapDays: m[4] === undefined ? null : num(m[4]),
      multiplier: num(m[5]),
      minDays: num(m[6]),
    };
  }
  m = inactiveDays.exec(reason);
  if (m) return { kind: 'inactiveDays', days: num(m[1]), limitDays: num(m[2]) };
  m = volumeDrop.exec(reason);
  if (m) {
    return {
      kind: 'volumeDrop',
      measure: m[1] === 'Revenue' ? 'revenue' : 'volume',
      unit: m[2] ?? null,
      percent: num(m[3]),
      windowDays: num(m[4]),
      current: num(m[5]),
      prior: num(m[6]),
      rulePercent: num(m[8]),
    };
  }
  m = pAliveBelow.exec(reason);
  if (m) return { kind: 'pAliveBelow', pAlive: num(m[1]), p: num(m[2]) };
  m = active.exec(reason);
  if (m) return { kind: 'active', days: num(m[1]), gapDays: num(m[2]) };
  return null;
}

// ---- Warnings of a run -------------------------------------------------------------------------------------------

export type WarningKey =
  | 'gammaGammaQ'
  | 'spendCorrelated'
  | 'pAliveNearOne'
  | 'fewRepeatCustomers'
  | 'flatLikelihood'
  | 'singularFit'
  | 'parameterAtBound'
  | 'notConverged'
  | 'noHoldout'
  | 'noCustomers'
  | 'noRepeatCustomers'
  | 'noTransactions'
  | 'missingCost'
  | 'mixedUnits'
  | 'negativeValues'
  | 'noCohorts'
  | 'fallbackGap'
  | 'pAliveSkipped'
  | 'spendFallback';

export interface ParsedWarning {
  key: WarningKey;
  values: Record<string, string>;
}

export const warningPatterns: readonly { key: WarningKey; pattern: RegExp; names: readonly string[] }[] = [
  { key: 'gammaGammaQ', pattern: /^Gamma-Gamma q = (\S+) ≤ 1: /, names: ['q'] },
  { key: 'spendCorrelated', pattern: /^Frequency and average spend are correlated \(ρ = (\S+)\);/, names: ['rho'] },
  {
    key: 'pAliveNearOne',
    pattern: /^(.+): (\d+)% of customers have P\(alive\) above ([\d.]+);/,
    names: ['model', 'share', 'level'],
  },
  { key: 'fewRepeatCustomers', pattern: /^Only (\d+) repeat customers to fit Gamma-Gamma;/, names: ['count'] },
  {
    key: 'flatLikelihood',
    pattern: /^(.+): the likelihood is nearly flat in (.+); the data barely identify these parameters\.$/,
    names: ['model', 'parameters'],
  },
  {
    key: 'singularFit',
    pattern: /^(.+): the likelihood is not curved at the optimum .*other values of (.+) fit the data as well\.$/,
    names: ['model', 'parameters'],
  },
  {
    key: 'parameterAtBound',
    pattern: /^(.+) parameter (\S+) = (\S+) ran off towards (zero|infinity):/,
    names: ['model', 'name', 'value', 'bound'],
  },
  { key: 'notConverged', pattern: /^The (.+?) fit did not converge/, names: ['model'] },
  { key: 'noHoldout', pattern: /^Too little history for a calibration\/holdout check\.$/, names: [] },
  { key: 'noCustomers', pattern: /^No customers bought anything up to (\S+)\.$/, names: ['date'] },
  { key: 'noRepeatCustomers', pattern: /^No customer has bought twice; the models cannot be fitted\.$/, names: [] },
  { key: 'noTransactions', pattern: /^No transactions between (\S+) and (\S+)\.$/, names: ['from', 'to'] },
  {
    key: 'missingCost',
    pattern: /^([\d,]+) of ([\d,]+) transactions in the period have no cost;/,
    names: ['missing', 'total'],
  },
  { key: 'mixedUnits', pattern: /^Quantities in different units \((.+)\) are added together;/, names: ['units'] },
  { key: 'negativeValues', pattern: /^Some customers have a negative value;/, names: [] },
  { key: 'noCohorts', pattern: /^No customer made a first purchase between (\S+) and (\S+)\.$/, names: ['from', 'to'] },
  {
    key: 'fallbackGap',
    pattern: /^No customer has bought on two different days; one-time buyers are judged against (\d+) days\.$/,
    names: ['days'],
  },
  { key: 'pAliveSkipped', pattern: /^P\(alive\) could not be estimated/, names: [] },
  {
    key: 'spendFallback',
    pattern: /^Expected spend and CLV use each customer's own average purchase value/,
    names: [],
  },
];

export function parseWarning(message: string): ParsedWarning | null {
  for (const { key, pattern, names } of warningPatterns) {
    const m = pattern.exec(message);
    if (!m) continue;
    const values: Record<string, string> = {};
    names.forEach((name, index) => {
      values[name] = m[index + 1] ?? '';
    });
    return { key, values };
  }
  return null;
}
