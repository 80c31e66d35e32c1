/**
 * Plain-words warnings for fits that should not be trusted as they are.
 */

export type DiagnosticCode =
  | 'not-converged'
  | 'flat-likelihood'
  | 'p-alive-near-one'
  | 'parameter-at-bound'
  | 'huge-standard-error'
  | 'gamma-gamma-q-not-above-one'
  | 'frequency-monetary-correlated'
  | 'few-repeat-customers';

export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
}

/** What the checks read from a fit (any model); parameters and standard errors by name. */
export interface FitSummaryForDiagnostics {
  model: string;
  converged: boolean;
  message?: string;
  params: Readonly<Record<string, number>>;
  standardErrors?: Readonly<Record<string, number>>;
}

export interface DiagnosticsInput {
  /** BG/NBD or Pareto/NBD fit. */
  transactions?: FitSummaryForDiagnostics & {
    /** P(alive) per customer (or per collapsed row with `weights`). */
    probabilityAlive?: ArrayLike<number>;
    weights?: ArrayLike<number>;
  };
  /** Gamma-Gamma fit with the frequency–monetary correlation of the repeat customers. */
  spend?: FitSummaryForDiagnostics & { correlation?: number; repeatCustomers?: number };
}

export interface DiagnosticsThresholds {
  /** P(alive) above this counts as "certainly alive". Default 0.99. */
  aliveLevel?: number;
  /** Warn when at least this share of customers is "certainly alive". Default 0.95. */
  aliveShare?: number;
  /** |corr(frequency, monetary)| above this is a warning. Default 0.3. */
  correlation?: number;
  /** Standard error / parameter above this is "huge". Default 10. */
  relativeStandardError?: number;
  /** Parameters outside [low, high] are "at a bound" of log-space (0 or ∞). Default 1e-5 and 1e5. */
  low?: number;
  high?: number;
  /** Fewer repeat customers than this makes Gamma-Gamma unreliable. Default 30. */
  minRepeatCustomers?: number;
}

const fmt = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v));

function checkFit(fit: FitSummaryForDiagnostics, t: Required<DiagnosticsThresholds>, out: Diagnostic[]): void {
  if (!fit.converged) {
    out.push({
      code: 'not-converged',
      message: `The ${fit.model} fit did not converge${fit.message ? ` (${fit.message})` : ''}; its parameters may be far from the best ones.`,
    });
  }
  for (const [name, value] of Object.entries(fit.params)) {
    if (!(value >= t.low && value <= t.high)) {
      out.push({
        code: 'parameter-at-bound',
        message: `${fit.model} parameter ${name} = ${fmt(value)} ran off towards ${value < t.low ? 'zero' : 'infinity'}: the data cannot pin it down, so the model is degenerate.`,
      });
    }
  }
  if (fit.standardErrors) {
    const huge: string[] = [];
    const undefinedSe: string[] = [];
    for (const [name, se] of Object.entries(fit.standardErrors)) {
      const value = fit.params[name];
      if (value === undefined) continue;
      if (!Number.isFinite(se)) undefinedSe.push(name);
      else if (se > t.relativeStandardError * Math.abs(value)) huge.push(`${name} (${fmt(value)} ± ${fmt(se)})`);
    }
    if (undefinedSe.length > 0) {
      out.push({
        code: 'flat-likelihood',
        message: `${fit.model}: the likelihood is not curved at the optimum (singular information matrix), so other values of ${undefinedSe.join(', ')} fit the data as well.`,
      });
    }
    if (huge.length > 0) {
      out.push({
        code: 'huge-standard-error',
        message: `${fit.model}: the likelihood is nearly flat in ${huge.join(', ')}; the data barely identify these parameters.`,
      });
    }
  }
}

/**
 * Warnings for degenerate fits: non-convergence, parameters running to 0 or ∞, huge standard errors / flat
 * likelihood, P(alive) ≈ 1 for nearly every customer, Gamma-Gamma q ≤ 1 (population mean spend pv/(q−1) undefined),
 * strong frequency–monetary correlation (Gamma-Gamma independence assumption), too few repeat customers.
 */
export function diagnose(input: DiagnosticsInput, thresholds: DiagnosticsThresholds = {}): Diagnostic[] {
  const t: Required<DiagnosticsThresholds> = {
    aliveLevel: thresholds.aliveLevel ?? 0.99,
    aliveShare: thresholds.aliveShare ?? 0.95,
    correlation: thresholds.correlation ?? 0.3,
    relativeStandardError: thresholds.relativeStandardError ?? 10,
    low: thresholds.low ?? 1e-5,
    high: thresholds.high ?? 1e5,
    minRepeatCustomers: thresholds.minRepeatCustomers ?? 30,
  };
  const out: Diagnostic[] = [];
  const tr = input.transactions;
  if (tr) {
    checkFit(tr, t, out);
    if (tr.probabilityAlive && tr.probabilityAlive.length > 0) {
      let alive = 0;
      let total = 0;
      for (let i = 0; i < tr.probabilityAlive.length; i++) {
        const w = tr.weights ? tr.weights[i]! : 1;
        total += w;
        if (tr.probabilityAlive[i]! > t.aliveLevel) alive += w;
      }
      const share = alive / total;
      if (share >= t.aliveShare) {
        out.push({
          code: 'p-alive-near-one',
          message: `${tr.model}: ${Math.round(share * 100)}% of customers have P(alive) above ${t.aliveLevel}; the model sees almost no churn, so P(alive) and revenue at risk say little here.`,
        });
      }
    }
  }
  const sp = input.spend;
  if (sp) {
    checkFit(sp, t, out);
    const q = sp.params.q;
    if (q !== undefined && !(q > 1)) {
      out.push({
        code: 'gamma-gamma-q-not-above-one',
        message: `Gamma-Gamma q = ${fmt(q)} ≤ 1: the model's mean spend pv/(q−1) is undefined (infinite), so expected spend and CLV cannot be computed from it.`,
      });
    }
    if (sp.correlation !== undefined && Math.abs(sp.correlation) > t.correlation) {
      out.push({
        code: 'frequency-monetary-correlated',
        message: `Frequency and average spend are correlated (ρ = ${fmt(sp.correlation)}); Gamma-Gamma assumes they are independent, so its spend and CLV figures are biased.`,
      });
    }
    if (sp.repeatCustomers !== undefined && sp.repeatCustomers < t.minRepeatCustomers) {
      out.push({
        code: 'few-repeat-customers',
        message: `Only ${sp.repeatCustomers} repeat customers to fit Gamma-Gamma; its spend estimates are unreliable.`,
      });
    }
  }
  return out;
}
