/**
 * BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing Science 24(2)), with the
 * formulas of lifetimes' BetaGeoFitter (lifetimes 0.11.3).
 */
import { fitPositive, type FitOptions, type FitResult, type LogLikelihoodWithGradient } from './optimize.js';
import { digamma, expit, gammaln, logHyp2f1 } from './special.js';
import { asCollapsed, indexDistinct, type CollapsedSummary, type RfmColumns } from './summary.js';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export const BG_NBD_PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;

const toArray = (p: BgNbdParams): number[] => [p.r, p.alpha, p.a, p.b];
const fromArray = (v: ArrayLike<number>): BgNbdParams => ({ r: v[0]!, alpha: v[1]!, a: v[2]!, b: v[3]! });

/**
 * Log-likelihood of one customer (FHL 2005 eq. 6, in lifetimes' log-space form):
 *   ln L = A₁ + A₂ + ln(e^{A₃} + [x>0] e^{A₄}),
 *   A₁ = lnΓ(r+x) − lnΓ(r) + r ln α,  A₂ = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x),
 *   A₃ = −(r+x) ln(α+T),  A₄ = ln a − ln(b+x−1) − (r+x) ln(α+t_x).
 */
export function bgNbdCustomerLogLikelihood(p: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const A1 = gammaln(r + x) - gammaln(r) + r * Math.log(alpha);
  const A2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x);
  const A3 = -(r + x) * Math.log(alpha + T);
  if (x <= 0) return A1 + A2 + A3;
  const A4 = Math.log(a) - Math.log(b + Math.max(x, 1) - 1) - (r + x) * Math.log(alpha + tx);
  const m = Math.max(A3, A4);
  return A1 + A2 + m + Math.log(Math.exp(A3 - m) + Math.exp(A4 - m));
}

/**
 * Builds Σ_i w_i ln L_i and its analytic gradient. Per-value tables (lnΓ and ψ per distinct x; ln(α+T), ln(α+t_x) per
 * distinct T and t_x) make each evaluation cost one exp and one log1p per distinct row.
 * ∂A₁/∂r = ψ(r+x) − ψ(r) + ln α, ∂A₁/∂α = r/α; ∂A₂/∂a = ψ(a+b) − ψ(a+b+x);
 * ∂A₂/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x); ∂A₃/∂r = −ln(α+T), ∂A₃/∂α = −(r+x)/(α+T);
 * ∂A₄/∂a = 1/a, ∂A₄/∂b = −1/(b+x−1), ∂A₄/∂r = −ln(α+t_x), ∂A₄/∂α = −(r+x)/(α+t_x).
 */
export function bgNbdLogLikelihoodFunction(data: CollapsedSummary | RfmColumns): LogLikelihoodWithGradient {
  const d = asCollapsed(data);
  const n = d.x.length;
  const X = indexDistinct(d.x);
  const Tv = indexDistinct(d.T);
  const tv = indexDistinct(d.tx);
  const nx = X.unique.length;
  const nT = Tv.unique.length;
  const nt = tv.unique.length;
  const xIdx = X.index;
  const TIdx = Tv.index;
  const tIdx = tv.index;
  const w = d.count;
  // Tables
  const base = new Float64Array(nx); // A1 + A2 without the r ln α part
  const dBase = new Float64Array(nx * 4); // ∂(A1+A2)/∂(r, a, b) per x (slot 1 unused)
  const logB1 = new Float64Array(nx); // ln(b + x − 1)
  const invB1 = new Float64Array(nx);
  const logAT = new Float64Array(nT);
  const invAT = new Float64Array(nT);
  const logAt = new Float64Array(nt);
  const invAt = new Float64Array(nt);
  return (params, grad) => {
    const r = params[0]!;
    const alpha = params[1]!;
    const a = params[2]!;
    const b = params[3]!;
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return -Infinity;
    const lgr = gammaln(r);
    const lgab = gammaln(a + b);
    const lgb = gammaln(b);
    const psir = digamma(r);
    const psiab = digamma(a + b);
    const psib = digamma(b);
    const logA = Math.log(a);
    const logAlpha = Math.log(alpha);
    for (let k = 0; k < nx; k++) {
      const x = X.unique[k]!;
      base[k] = gammaln(r + x) - lgr + lgab + gammaln(b + x) - lgb - gammaln(a + b + x);
      const psiabx = digamma(a + b + x);
      dBase[k * 4] = digamma(r + x) - psir;
      dBase[k * 4 + 2] = psiab - psiabx;
      dBase[k * 4 + 3] = psiab + digamma(b + x) - psib - psiabx;
      const b1 = b + Math.max(x, 1) - 1;
      logB1[k] = Math.log(b1);
      invB1[k] = 1 / b1;
    }
    for (let k = 0; k < nT; k++) {
      logAT[k] = Math.log(alpha + Tv.unique[k]!);
      invAT[k] = 1 / (alpha + Tv.unique[k]!);
    }
    for (let k = 0; k < nt; k++) {
      logAt[k] = Math.log(alpha + tv.unique[k]!);
      invAt[k] = 1 / (alpha + tv.unique[k]!);
    }
    let ll = 0;
    let gr = 0;
    let gal = 0;
    let ga = 0;
    let gb = 0;
    let W = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i]!;
      const k = xIdx[i]!;
      const x = d.x[i]!;
      const rx = r + x;
      const jT = TIdx[i]!;
      const A3 = -rx * logAT[jT]!;
      W += wi;
      let li = base[k]! + A3;
      let w4 = 0;
      let jt = 0;
      if (x > 0) {
        jt = tIdx[i]!;
        const A4 = logA - logB1[k]! - rx * logAt[jt]!;
        // ln(e^{A3} + e^{A4}) and the weight e^{A4}/(e^{A3}+e^{A4})
        if (A4 > A3) {
          const e = Math.exp(A3 - A4);
          li = base[k]! + A4 + Math.log1p(e);
          w4 = 1 / (1 + e);
        } else {
          const e = Math.exp(A4 - A3);
          li += Math.log1p(e);
          w4 = e / (1 + e);
        }
      }
      ll += wi * li;
      if (grad) {
        const w3 = 1 - w4;
        let dr = dBase[k * 4]! - w3 * logAT[jT]!;
        let dal = -w3 * rx * invAT[jT]!;
        let da = dBase[k * 4 + 2]!;
        let db = dBase[k * 4 + 3]!;
        if (w4 > 0) {
          dr -= w4 * logAt[jt]!;
          dal -= w4 * rx * invAt[jt]!;
          da += w4 / a;
          db -= w4 * invB1[k]!;
        }
        gr += wi * dr;
        gal += wi * dal;
        ga += wi * da;
        gb += wi * db;
      }
    }
    ll += W * r * logAlpha;
    if (grad) {
      grad[0] = gr + W * logAlpha;
      grad[1] = gal + (W * r) / alpha;
      grad[2] = ga;
      grad[3] = gb;
    }
    return ll;
  };
}

/** Total log-likelihood Σ ln L_i of BG/NBD at `params`. */
export function bgNbdLogLikelihood(params: BgNbdParams, data: CollapsedSummary | RfmColumns): number {
  return bgNbdLogLikelihoodFunction(data)(toArray(params));
}

const totalWeight = (d: CollapsedSummary): number => d.count.reduce((s, v) => s + v, 0);

/** Fit BG/NBD by maximum likelihood (lifetimes BetaGeoFitter.fit). */
export function fitBgNbd(data: CollapsedSummary | RfmColumns, options: FitOptions = {}): FitResult<BgNbdParams> {
  const d = asCollapsed(data);
  return fitPositive(bgNbdLogLikelihoodFunction(d), totalWeight(d), [1, 1, 1, 1], fromArray, options);
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + [x>0] a/(b+x−1) ((α+T)/(α+t_x))^{r+x})  (FHL 2005 eq. 13; 1 when x = 0).
 */
export function bgNbdProbabilityAlive(p: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logDiv = (p.r + x) * Math.log((p.alpha + T) / (p.alpha + tx)) + Math.log(p.a / (p.b + Math.max(x, 1) - 1));
  return expit(-logDiv);
}

/**
 * E[Y(t) | x, t_x, T] (FHL 2005 eq. 10):
 *   [(a+b+x−1)/(a−1)] [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
 *   / (1 + [x>0] a/(b+x−1) ((α+T)/(α+t_x))^{r+x}).
 */
export function bgNbdConditionalExpectedPurchases(p: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  if (t === 0) return 0;
  const z = t / (alpha + T + t);
  const h = logHyp2f1(r + x, b + x, a + b + x - 1, z);
  const L = h.log + (r + x) * Math.log((alpha + T) / (alpha + t + T));
  const second = h.sign > 0 ? -Math.expm1(L) : 1 - h.sign * Math.exp(L);
  const numerator = ((a + b + x - 1) / (a - 1)) * second;
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
  return numerator / denominator;
}

/**
 * E[X(t)] for a new customer (FHL 2005 eq. 9): (a+b−1)/(a−1) [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
 */
export function bgNbdExpectedPurchases(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t === 0) return 0;
  const h = logHyp2f1(r, b, a + b - 1, t / (alpha + t));
  const L = h.log + r * Math.log(alpha / (alpha + t));
  const second = h.sign > 0 ? -Math.expm1(L) : 1 - h.sign * Math.exp(L);
  return ((a + b - 1) / (a - 1)) * second;
}

export { fromArray as bgNbdParamsFromArray, toArray as bgNbdParamsToArray };
