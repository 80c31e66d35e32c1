/**
 * Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves for customer base
 * analysis", JMR 42(4); Fader & Hardie 2013 note "The Gamma-Gamma model of monetary value"), as lifetimes'
 * GammaGammaFitter: fitted on repeat customers (x > 0) with m = mean value of their repeat purchases.
 */
import { fitPositive, type FitOptions, type FitResult, type LogLikelihoodWithGradient } from './optimize.js';
import { digamma, gammaln } from './special.js';
import { indexDistinct } from './summary.js';

/** A type alias (not an interface) so that it is assignable to Record<string, number>. */
export type GammaGammaParams = {
  p: number;
  q: number;
  v: number;
};

export const GAMMA_GAMMA_PARAM_NAMES = ['p', 'q', 'v'] as const;

/** Spend data: number of repeat purchases x and their mean value m (rows with x ≤ 0 or m ≤ 0 are ignored). */
export interface SpendColumns {
  frequency: ArrayLike<number>;
  monetaryValue: ArrayLike<number>;
}

const fromArray = (v: ArrayLike<number>): GammaGammaParams => ({ p: v[0]!, q: v[1]!, v: v[2]! });

/**
 * Log density of the mean spend m̄ of a customer with x repeat purchases (lifetimes GammaGammaFitter):
 *   ln f = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(xm+v).
 */
export function gammaGammaCustomerLogLikelihood(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, v } = params;
  const px = p * x;
  return (
    gammaln(px + q) -
    gammaln(px) -
    gammaln(q) +
    q * Math.log(v) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(x * m + v)
  );
}

/** Repeat customers only (x > 0 and m > 0), as typed arrays. */
function repeatRows(data: SpendColumns): { x: Float64Array; m: Float64Array } {
  const xs: number[] = [];
  const ms: number[] = [];
  for (let i = 0; i < data.frequency.length; i++) {
    const x = data.frequency[i]!;
    const m = data.monetaryValue[i]!;
    if (x > 0 && m > 0) {
      xs.push(x);
      ms.push(m);
    }
  }
  return { x: Float64Array.from(xs), m: Float64Array.from(ms) };
}

/**
 * Σ ln f_i and its gradient: ∂/∂p = x[ψ(px+q) − ψ(px) + ln m + ln x − ln(xm+v)],
 * ∂/∂q = ψ(px+q) − ψ(q) + ln v − ln(xm+v), ∂/∂v = q/v − (px+q)/(xm+v). ψ and lnΓ are tabulated per distinct x.
 */
export function gammaGammaLogLikelihoodFunction(data: SpendColumns): LogLikelihoodWithGradient {
  const { x, m } = repeatRows(data);
  const n = x.length;
  const X = indexDistinct(x);
  const nx = X.unique.length;
  const logM = m.map(Math.log);
  const logX = x.map(Math.log);
  const xm = new Float64Array(n);
  for (let i = 0; i < n; i++) xm[i] = x[i]! * m[i]!;
  const base = new Float64Array(nx);
  const psiPxq = new Float64Array(nx);
  const psiPx = new Float64Array(nx);
  return (params, grad) => {
    const p = params[0]!;
    const q = params[1]!;
    const v = params[2]!;
    if (!(p > 0 && q > 0 && v > 0)) return -Infinity;
    for (let k = 0; k < nx; k++) {
      const px = p * X.unique[k]!;
      base[k] = gammaln(px + q) - gammaln(px);
      psiPxq[k] = digamma(px + q);
      psiPx[k] = digamma(px);
    }
    const logV = Math.log(v);
    let ll = 0;
    let llComp = 0;
    let gp = 0;
    let gq = 0;
    let gv = 0;
    for (let i = 0; i < n; i++) {
      const k = X.index[i]!;
      const xi = x[i]!;
      const px = p * xi;
      const denom = xm[i]! + v;
      const logDen = Math.log(denom);
      // Neumaier-compensated sum (the terms are large and cancel; plain summation would leave ~1e-14 noise).
      const term = base[k]! + (px - 1) * logM[i]! + px * logX[i]! - (px + q) * logDen;
      const t = ll + term;
      llComp += Math.abs(ll) >= Math.abs(term) ? ll - t + term : term - t + ll;
      ll = t;
      if (grad) {
        gp += xi * (psiPxq[k]! - psiPx[k]! + logM[i]! + logX[i]! - logDen);
        gq += psiPxq[k]! - logDen;
        gv -= (px + q) / denom;
      }
    }
    ll += llComp + n * (q * logV - gammaln(q));
    if (grad) {
      grad[0] = gp;
      grad[1] = gq + n * (logV - digamma(q));
      grad[2] = gv + (n * q) / v;
    }
    return ll;
  };
}

/** Total Gamma-Gamma log-likelihood over repeat customers. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendColumns): number {
  return gammaGammaLogLikelihoodFunction(data)([params.p, params.q, params.v]);
}

/** Fit the Gamma-Gamma model by maximum likelihood on repeat customers (lifetimes GammaGammaFitter.fit). */
export function fitGammaGamma(data: SpendColumns, options: FitOptions = {}): FitResult<GammaGammaParams> {
  const { x } = repeatRows(data);
  if (x.length === 0) throw new Error('Gamma-Gamma needs at least one repeat customer (frequency > 0, monetary > 0)');
  return fitPositive(gammaGammaLogLikelihoodFunction(data), x.length, [1, 1, 1], fromArray, options);
}

/**
 * E[M | x, m̄] = (1 − w) · pv/(q−1) + w · m̄,  w = px/(px+q−1)  (FHL 2005 "RFM and CLV" eq. 5; lifetimes
 * conditional_expected_average_profit). For x = 0 it is the population mean pv/(q−1); undefined (NaN) if q ≤ 1.
 */
export function gammaGammaConditionalExpectedSpend(params: GammaGammaParams, x: number, m: number): number {
  const { p, q, v } = params;
  if (!(q > 1)) return NaN;
  const w = (p * x) / (p * x + q - 1);
  return (1 - w) * ((v * p) / (q - 1)) + w * m;
}

/**
 * Pearson correlation between frequency and monetary value over repeat customers. The Gamma-Gamma model assumes
 * spend is independent of frequency; a large |ρ| (say > 0.3) makes its CLV suspect.
 */
export function frequencyMonetaryCorrelation(data: SpendColumns): number {
  const { x, m } = repeatRows(data);
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0;
  let mm = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    mm += m[i]!;
  }
  mx /= n;
  mm /= n;
  let sxx = 0;
  let smm = 0;
  let sxm = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dm = m[i]! - mm;
    sxx += dx * dx;
    smm += dm * dm;
    sxm += dx * dm;
  }
  return sxm / Math.sqrt(sxx * smm);
}
